/**
 * The results document of one `optimlab bench` run: its types and version. SCHEMA.md beside this
 * file documents every field; src/report reads only this document.
 */
import type { Dtype } from '../src/optimizers/types.js';

export const RESULTS_FORMAT = 'optimlab.bench' as const;
/** Bumped on any change a reader could notice (a field renamed, removed or given a new meaning). */
export const RESULTS_VERSION = 1 as const;

/** What a task measures. */
export type TaskKind = 'stream' | 'core' | 'hand' | 'peer';

/** Latency of one optimizer step (one kernel pass for streams), in milliseconds. */
export interface Latency {
  mean: number;
  p50: number;
  p75: number;
  p99: number;
  min: number;
  max: number;
  sd: number;
}

export interface TaskResult {
  /** Unique within a run and stable across runs: `${kind}:${name}:${dtype}:${n}`. */
  id: string;
  kind: TaskKind;
  /** Optimizer name (core, hand, peer), 'triad' or 'copy' (stream). */
  name: string;
  /** For peers: 'tfjs-cpu' or 'tfjs-wasm'. For everything else: 'js'. */
  engine: string;
  dtype: Dtype;
  n: number;
  /** Steps per timed iteration (a fixed block where one step is below the timer's resolution). */
  block: number;
  /** Arrays read or written per element and step (a read-and-written array counts 2). */
  streams: number;
  bytesPerElement: number;
  status: 'ok' | 'error';
  /** When status is 'error': what went wrong. */
  error?: string;
  /** Per step, in ms (each sample is a block's time divided by `block`). */
  latency?: Latency;
  /** Relative margin of error of the mean latency: half-width of its 95% interval, in percent. */
  rme?: number;
  /** Timed iterations (each of `block` steps). */
  samples?: number;
  /** n / mean latency. */
  elementsPerSec?: number;
  /** elementsPerSec × streams × bytesPerElement. */
  bytesPerSec?: number;
  /** bytesPerSec / the triad's bytesPerSec at the same n and dtype, in this run. */
  ratioToTriad?: number;
  /** For peers: tensors alive after the timed steps minus before them (0: memory does not grow). */
  tensorsLeaked?: number;
}

export interface NotAvailable {
  status: 'not-available';
  reason: string;
}

export interface SystemCostEntry {
  name: string;
  /** What one unit is ('element-step', 'gradient evaluation', 'epoch'). */
  unit: string;
  /** Units per second, from the mean latency. */
  perSec: number;
  /** Seconds per unit. */
  secondsPerUnit: number;
  rme: number;
  samples: number;
  /** Free-form detail (problem size, dimension, data set). */
  detail?: string;
}

export type SystemPart = NotAvailable | { status: 'ok'; entries: SystemCostEntry[] } | { status: 'error'; error: string };

export interface LawSuiteCost {
  status: 'ok';
  /** Wall time of the vitest run, from its JSON report, in ms. */
  wallTimeMs: number;
  tests: number;
  passed: number;
  failed: number;
  /** The report file it was read from. */
  source: string;
}

export interface AbstractionCheck {
  optimizer: string;
  dtype: Dtype;
  n: number;
  /** core elements/s ÷ hand-written elements/s (1 = no overhead; < 1: the core is slower). */
  coreOverHand: number;
  /** Quadrature sum of both tasks' rme, in percent: the spread of coreOverHand. */
  noise: number;
  /** The same ratio measured in alternation (hand, core, hand, core, …), per round: robust to load bursts. */
  paired?: PairedRatio;
  /** paired.median ≥ 0.9 (coreOverHand ≥ 0.9 when there is no paired measurement). */
  within10pct: boolean;
}

export interface PairedRatio {
  rounds: number;
  /** Median over rounds of (hand mean latency ÷ core mean latency) = core speed ÷ hand speed. */
  median: number;
  min: number;
  max: number;
}

export interface PeerCheck {
  optimizer: string;
  engine: string;
  n: number;
  /** core float32 elements/s ÷ peer elements/s. */
  coreSpeedup: number;
}

export interface Environment {
  node: string;
  v8: string;
  cpuModel: string;
  cores: number;
  os: string;
  arch: string;
  totalMemoryBytes: number;
  /** 1, 5 and 15 minute load averages when the run started and ended (a shared machine's noise). */
  loadAverageStart: number[];
  loadAverageEnd: number[];
  packages: Record<string, string | null>;
  git: { commit: string | null; dirty: boolean | null };
  /** ISO 8601, when the run started. */
  date: string;
  durationSec: number;
}

export interface Settings {
  quick: boolean;
  optimizers: string[];
  sizes: number[];
  dtypes: Dtype[];
  peers: boolean;
  seed: string;
  /** Elements a timed iteration covers at least: block = ceil(minBlockElements / n). */
  minBlockElements: number;
  /**
   * Elements per iteration of the element loops measured: the core's kernels (kernel.ts UNROLL),
   * the triad, copy and hand-written loops. Absent in runs made before loops were unrolled (= 1).
   */
  unroll?: number;
  /** The same for peers (block = ceil(peerMinBlockElements / n)). */
  peerMinBlockElements: number;
  tinybench: {
    version: string | null;
    /** Time budget per task, ms. */
    time: number;
    warmupTime: number;
    /** Minimum timed and warmup iterations per task. */
    iterations: number;
    warmupIterations: number;
    /** For peers (slower per step): minimum iterations. */
    peerIterations: number;
    peerWarmupIterations: number;
    timestampProvider: string;
  };
}

export interface BenchResults {
  format: typeof RESULTS_FORMAT;
  version: typeof RESULTS_VERSION;
  environment: Environment;
  settings: Settings;
  tasks: TaskResult[];
  checks: { abstraction: AbstractionCheck[]; peers: PeerCheck[] };
  /** The peer engines that ran, each with how it was set up (backend, SIMD, threads). */
  peerEngines: string[];
  /** Optional peers that could not run, with the reason (packages missing, backend failed). */
  skipped: { what: string; reason: string }[];
  system: {
    referenceStep: SystemPart;
    gradientEvaluations: SystemPart;
    trainingEpochs: SystemPart;
    lawSuite: NotAvailable | LawSuiteCost | { status: 'error'; error: string };
  };
}

/** Checks that `doc` is a results document this version reads; a TypeError naming `where` otherwise. */
export function asResults(doc: unknown, where: string): BenchResults {
  const d = doc as Partial<BenchResults> | null;
  if (d === null || typeof d !== 'object' || d.format !== RESULTS_FORMAT) {
    throw new TypeError(`${where}: not an optimlab benchmark results document (format must be '${RESULTS_FORMAT}')`);
  }
  if (d.version !== RESULTS_VERSION) {
    throw new RangeError(`${where}: results version ${String(d.version)}; this optimlab reads version ${RESULTS_VERSION}`);
  }
  if (!Array.isArray(d.tasks)) throw new TypeError(`${where}: results document has no tasks array`);
  return d as BenchResults;
}
