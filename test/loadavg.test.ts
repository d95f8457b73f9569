/**
 * When a benchmark run was busy, from what the 1-minute load average is: a kernel that every 5 s
 * sets L ← e^(−5/60)·L + (1 − e^(−5/60))·n (n: threads running or waiting), sampled once when the
 * run starts and once when it ends. The machine is simulated here tick by tick, with the run's
 * start and end falling anywhere between ticks, and the judge (src/report/regression.ts) is asked
 * about runs whose truth is known: a quiet run right after a build is quiet; a run beside a
 * CPU-bound process is busy, with or without a build before it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { busyLoad, otherLoad, runHealth } from '../src/report/regression.js';
import { LOAD_PERIOD_SEC, LOAD_TAU_SEC, ownLoadMeter, runLoad } from '../src/util/loadavg.js';

const A5 = Math.exp(-LOAD_PERIOD_SEC / LOAD_TAU_SEC);

/**
 * The load average seen at `at` (seconds), for a machine whose runnable threads are n(t), ticking
 * every 5 s from `phase`, starting at `l0` at time 0.
 */
function loadAt(n: (t: number) => number, at: number, phase: number, l0 = 0): number {
  let l = l0;
  for (let t = phase; t <= at; t += LOAD_PERIOD_SEC) l = A5 * l + (1 - A5) * n(t);
  return l;
}

interface Scenario {
  /** Seconds of work before the run and its runnable threads (a build: 2.5 on 2 cores). */
  before: number;
  beforeLoad: number;
  /** The run: its length, the benchmark's own threads, and other work's. */
  seconds: number;
  own: number;
  other: number;
  phase: number;
}

/** The environment a bench run on 2 cores would record in that scenario. */
function envOf(s: Scenario, recordOwn = true) {
  const n = (t: number): number => (t < s.before ? s.beforeLoad : s.own + s.other);
  const start = loadAt(n, s.before, s.phase);
  const end = loadAt(n, s.before + s.seconds, s.phase);
  return {
    cores: 2,
    loadAverageStart: [start, 0, 0],
    loadAverageEnd: [end, 0, 0],
    durationSec: s.seconds,
    ...(recordOwn ? { ownLoad: s.own } : {}),
  };
}

const busy = (env: ReturnType<typeof envOf>): boolean => !runHealth(env, {}, []).reliable;

describe('the load average of a run, without what ran before it', () => {
  it('the first use: npm ci and the tests (2 min at 2.5 threads on 2 cores), then a quiet 3-minute benchmark: quiet', () => {
    const s: Scenario = { before: 120, beforeLoad: 2.5, seconds: 180, own: 1, other: 0.05, phase: 2.3 };
    const env = envOf(s);
    // the issue as it was: the start sample carries the build (above the core count) ...
    expect(env.loadAverageStart[0]).toBeGreaterThan(2);
    // ... while the run's own load is its bench thread
    expect(otherLoad(env)!.run).toBeCloseTo(1.05, 1);
    expect(busy(env)).toBe(false);
    expect(busy(envOf(s, false))).toBe(false); // a file without ownLoad: the bench counted as 1
  });

  it('a CPU-bound neighbour on one core throughout is busy, after a build or on a quiet machine, recorded own share or not', () => {
    for (const before of [0, 120]) {
      const s: Scenario = { before, beforeLoad: 2.5, seconds: 180, own: 1, other: 1, phase: 4.1 };
      expect(busy(envOf(s))).toBe(true);
      expect(busy(envOf(s, false))).toBe(true);
      expect(runHealth(envOf(s), {}, []).reasons[0]).toMatch(
        /^the machine was busy \(other work ran 1\.0 threads on average beside the benchmark's 1\.0, on 2 cores: 1-minute load average 2\.0 over the run\)$/,
      );
    }
    // two neighbours, and a benchmark whose own threads add up to 1.5 cores beside one neighbour
    expect(busy(envOf({ before: 60, beforeLoad: 0.2, seconds: 150, own: 1, other: 2, phase: 0 }))).toBe(true);
    expect(busy(envOf({ before: 60, beforeLoad: 0.2, seconds: 150, own: 1.5, other: 1, phase: 0 }))).toBe(true);
    // the benchmark's own helper threads are not other work
    expect(busy(envOf({ before: 60, beforeLoad: 2.5, seconds: 150, own: 1.5, other: 0, phase: 0 }))).toBe(false);
  });

  it('for any work before it (up to 4 threads on 2 cores), any phase of the ticks and any run of 1 to 10 min: quiet runs are quiet, a neighbour is busy', () => {
    fc.assert(
      fc.property(
        fc.record({
          before: fc.double({ min: 0, max: 600, noNaN: true }),
          beforeLoad: fc.double({ min: 0, max: 4, noNaN: true }),
          seconds: fc.double({ min: 60, max: 600, noNaN: true }),
          own: fc.double({ min: 1, max: 1.6, noNaN: true }),
          quietOther: fc.double({ min: 0, max: 0.3, noNaN: true }),
          busyOther: fc.double({ min: 1, max: 8, noNaN: true }),
          phase: fc.double({ min: 0, max: LOAD_PERIOD_SEC, maxExcluded: true, noNaN: true }),
        }),
        (r) => {
          expect(busy(envOf({ ...r, other: r.quietOther }))).toBe(false);
          expect(busy(envOf({ ...r, other: r.busyOther }))).toBe(true);
        },
      ),
      { seed: 16, numRuns: 500 },
    );
  });

  it('runLoad inverts the average: exact at the tick boundaries, within one period either way, the higher end taken', () => {
    // ticks at 0, 5, …, 100: from a load of 4 just before the first, 21 updates at 1.3 threads,
    // which a span of 100 s between the samples may have seen (one period either way)
    const end = loadAt(() => 1.3, 100, 0, 4);
    const a = Math.exp(-105 / LOAD_TAU_SEC);
    expect((end - a * 4) / (1 - a)).toBeCloseTo(1.3, 10);
    expect(runLoad(4, end, 100)).toBeCloseTo(1.3, 10); // the higher of T = 95 s and T = 105 s
    expect(runLoad(4, end, 100)).toBeGreaterThan(
      (end - Math.exp(-100 / LOAD_TAU_SEC) * 4) / (1 - Math.exp(-100 / LOAD_TAU_SEC)),
    );
    // under two periods the samples cannot tell the run from what came before: the higher one
    expect(runLoad(3, 2.9, 9.9)).toBe(3);
    expect(runLoad(0.5, 1.2, 5)).toBe(1.2);
    // a file without an end sample or core count
    expect(otherLoad({ cores: 2, loadAverageStart: [9.1] })!.run).toBe(9.1);
    expect(otherLoad({ loadAverageStart: [9.1] })).toBeNull();
  });

  it('busyLoad: three quarters of the free cores, at least half a core', () => {
    expect([1, 2, 3, 5, 9].map(busyLoad)).toEqual([0.5, 0.75, 1.5, 3, 6]);
  });
});

describe("ownLoadMeter: the benchmark's CPU use, weighted as the load average weighs the run", () => {
  it('a constant rate is itself; a step is weighted toward the end, e^(−(T − t)/60)', () => {
    let t = 0;
    let cpu = 0;
    let rate = 1;
    const meter = ownLoadMeter(
      () => cpu,
      () => t,
    );
    const advance = (dt: number): void => {
      for (let i = 0; i < dt / 0.5; i++) {
        t += 0.5;
        cpu += 0.5 * rate;
        meter.sample();
      }
    };
    advance(100);
    rate = 2;
    advance(60);
    const T = 160;
    const w = (1 - Math.exp(-60 / LOAD_TAU_SEC)) / (1 - Math.exp(-T / LOAD_TAU_SEC));
    expect(meter.result()).toBeCloseTo(1 * (1 - w) + 2 * w, 10);

    const flat = ownLoadMeter(
      () => 1.7 * t,
      () => t,
    );
    t += 40;
    expect(flat.result()).toBeCloseTo(1.7, 12);
  });

  it('with no other work, the load average of the run less the meter is 0, whatever the shape of the run', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ dt: fc.integer({ min: 1, max: 60 }), rate: fc.double({ min: 0, max: 3, noNaN: true }) }), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        (phases, l0) => {
          // ticks exactly at 5 s, the run from t = 0 to a tick: the meter sees what the kernel counts
          const ends: number[] = [];
          let e = 0;
          for (const p of phases) ends.push((e += p.dt * LOAD_PERIOD_SEC));
          const n = (x: number): number => phases[ends.findIndex((end) => x <= end)]?.rate ?? 0;
          let t = 0;
          let cpu = 0;
          const meter = ownLoadMeter(
            () => cpu,
            () => t,
          );
          for (let k = 1; k <= e / LOAD_PERIOD_SEC; k++) {
            cpu += LOAD_PERIOD_SEC * n(k * LOAD_PERIOD_SEC);
            t = k * LOAD_PERIOD_SEC;
            meter.sample();
          }
          const end = loadAt(n, e, LOAD_PERIOD_SEC, l0);
          const a = Math.exp(-e / LOAD_TAU_SEC);
          const kernel = (end - a * l0) / (1 - a);
          expect(meter.result()).toBeCloseTo(kernel, 9);
        },
      ),
      { seed: 16, numRuns: 200 },
    );
  });
});
