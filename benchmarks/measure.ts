/**
 * One timed task through tinybench, and the statistics the results document keeps.
 *
 * A task function runs `block` steps per call (block > 1 only where one step is below the
 * timer's useful resolution); tinybench times each call, and every latency statistic is divided
 * by `block`, so all figures are per step. rme is scale-free and needs no division.
 */
import { Bench } from 'tinybench';
import type { Latency } from './schema.js';

export interface Timing {
  /** Time budget per task, ms (tinybench `time`). */
  time: number;
  warmupTime: number;
  /** Minimum timed iterations (tinybench runs until both the time and this count are reached). */
  iterations: number;
  warmupIterations: number;
}

export interface Measured {
  latency: Latency;
  rme: number;
  samples: number;
}

/** Runs `fn` (which performs `block` steps) and returns per-step latency statistics. */
export function measure(name: string, fn: () => void, block: number, timing: Timing): Measured {
  const bench = new Bench({
    time: timing.time,
    warmupTime: timing.warmupTime,
    iterations: timing.iterations,
    warmupIterations: timing.warmupIterations,
    warmup: true,
    throws: true,
  });
  bench.add(name, fn);
  bench.runSync();
  const task = bench.getTask(name);
  const r = task?.result;
  if (!r || (r.state !== 'completed' && r.state !== 'aborted-with-statistics')) {
    const why = r && r.state === 'errored' ? r.error.message : `state ${r?.state ?? 'missing'}`;
    throw new Error(`benchmark task '${name}' did not complete: ${why}`);
  }
  const l = r.latency;
  const per = (x: number): number => x / block;
  return {
    latency: {
      mean: per(l.mean),
      p50: per(l.p50),
      p75: per(l.p75),
      p99: per(l.p99),
      min: per(l.min),
      max: per(l.max),
      sd: per(l.sd),
    },
    rme: l.rme,
    samples: l.samplesCount,
  };
}

/** Steps per timed call so that one call covers at least `minElements` element-steps. */
export function blockFor(n: number, minElements: number): number {
  return Math.max(1, Math.ceil(minElements / Math.max(1, n)));
}
