/**
 * 'optimlab.bench' version 1: one `optimlab bench` run (benchmarks/index.ts runBench).
 * benchmarks/SCHEMA.md says what every field means; this file is the shape, checked on load by
 * `bench --baseline` / `--input` and by the report. Fields added within version 1 (paired, unroll, remeasured)
 * are optional: documents written before them still load.
 */
import {
  arr,
  bool,
  nullable,
  num,
  obj,
  oneOf,
  optional,
  record,
  str,
  tagged,
  withDefault,
  type Infer,
} from './check.js';
import { dtype, moduleProvenance, name } from './verify.js';

export const RESULTS_FORMAT = 'optimlab.bench' as const;
/** Bumped on any change a reader could notice (a field renamed, removed or given a new meaning). */
export const RESULTS_VERSION = 1 as const;

/** What a task measures. */
export const taskKind = oneOf('stream', 'core', 'hand', 'peer');
export type TaskKind = Infer<typeof taskKind>;

const nonneg = num({ min: 0 });
const count = num({ int: true, min: 0 });

/** Latency of one optimizer step (one kernel pass for streams), in milliseconds. */
export const latency = obj({
  mean: nonneg,
  p50: nonneg,
  p75: nonneg,
  p99: nonneg,
  min: nonneg,
  max: nonneg,
  sd: nonneg,
});
export type Latency = Infer<typeof latency>;

export const taskShape = {
  /**
   * Unique within a run and stable across runs: `${kind}:${name}:${dtype}:${n}`, with the engine
   * before the name where it is not JS (`core:wasm/adam:float32:1000000`, `peer:tfjs-wasm/adam:…`).
   */
  id: name(),
  kind: taskKind,
  /** Optimizer name (core, hand, peer), 'triad' or 'copy' (stream). */
  name: name(),
  /**
   * What ran the step: 'js' (the core's JS kernels, the loops) or 'wasm' (the core's wasm engine,
   * arrays in its memory); for peers 'tfjs-cpu' or 'tfjs-wasm'. Part of a task's identity. Absent
   * in files written before the wasm engine: 'js'.
   */
  engine: withDefault(name(), 'js'),
  dtype,
  n: num({ int: true, min: 1 }),
  /** Steps per timed iteration (a fixed block where one step is below the timer's resolution). */
  block: num({ int: true, min: 1 }),
  /** Arrays read or written per element and step (a read-and-written array counts 2). */
  streams: count,
  bytesPerElement: num({ int: true, min: 1, max: 8 }),
  status: oneOf('ok', 'error'),
  /** When status is 'error': what went wrong. */
  error: optional(str({ max: 10_000 })),
  /** Per step, in ms (each sample is a block's time divided by `block`). */
  latency: optional(latency),
  /** Relative margin of error of the mean latency: half-width of its 95% interval, in percent. */
  rme: optional(nonneg),
  /** Timed iterations (each of `block` steps). */
  samples: optional(count),
  /** n / mean latency. */
  elementsPerSec: optional(nonneg),
  /** elementsPerSec × streams × bytesPerElement. */
  bytesPerSec: optional(nonneg),
  /** bytesPerSec / the triad's level (`triadLevel`) in bytes/s at the same n and dtype, in this run. */
  ratioToTriad: optional(nonneg),
  /**
   * The triad only: its elements/s each time it was measured in its group, in run order: its own
   * task first, then again, briefly, after every other task of the group. Absent in runs made
   * before it (their triad was measured once).
   */
  remeasured: optional(arr(nonneg, { min: 1, max: 10_000 })),
  /** For peers: tensors alive after the timed steps minus before them (0: memory does not grow). */
  tensorsLeaked: optional(num({ int: true })),
};
export const taskResult = obj(taskShape);
export type TaskResult = Infer<typeof taskResult>;

/**
 * The triad's level, elements/s: the median of its measurements through its group (`remeasured`),
 * or its own figure in runs made before them. Every ratio to the triad divides by this: a machine
 * whose memory bandwidth sags for a few seconds spoils one or two of the measurements, not the level.
 */
export function triadLevel(triad: Pick<TaskResult, 'elementsPerSec' | 'remeasured'>): number | undefined {
  const v = triad.remeasured;
  if (!v?.length) return triad.elementsPerSec;
  const s = [...v].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export const notAvailable = obj({ status: oneOf('not-available'), reason: str({ max: 10_000 }) });
export type NotAvailable = Infer<typeof notAvailable>;
const errorPart = obj({ status: oneOf('error'), error: str({ max: 10_000 }) });

export const systemCostEntry = obj({
  name: name(),
  /** What one unit is ('element-step', 'gradient evaluation', 'epoch'). */
  unit: name(),
  /** Units per second, from the mean latency. */
  perSec: nonneg,
  /** Seconds per unit. */
  secondsPerUnit: nonneg,
  rme: nonneg,
  samples: count,
  /** Free-form detail (problem size, dimension, data set). */
  detail: optional(str({ max: 10_000 })),
});
export type SystemCostEntry = Infer<typeof systemCostEntry>;

export const systemPart = tagged('status', {
  'not-available': notAvailable,
  ok: obj({ status: oneOf('ok'), entries: arr(systemCostEntry, { max: 10_000 }) }),
  error: errorPart,
});
export type SystemPart = Infer<typeof systemPart>;

export const lawSuiteCost = obj({
  status: oneOf('ok'),
  /** Wall time of the vitest run, from its JSON report, in ms. */
  wallTimeMs: nonneg,
  tests: count,
  passed: count,
  failed: count,
  /** The report file it was read from. */
  source: str({ max: 10_000 }),
});
export type LawSuiteCost = Infer<typeof lawSuiteCost>;

export const pairedRatio = obj({
  rounds: count,
  /** Median over rounds of (hand mean latency ÷ core mean latency) = core speed ÷ hand speed. */
  median: nonneg,
  min: nonneg,
  max: nonneg,
});
export type PairedRatio = Infer<typeof pairedRatio>;

export const abstractionCheck = obj({
  optimizer: name(),
  dtype,
  n: num({ int: true, min: 1 }),
  /** core elements/s ÷ hand-written elements/s (1 = no overhead; < 1: the core is slower). */
  coreOverHand: nonneg,
  /** Quadrature sum of both tasks' rme, in percent: the spread of coreOverHand. */
  noise: nonneg,
  /** The same ratio measured in alternation (hand, core, hand, core, …), per round: robust to load bursts. */
  paired: optional(pairedRatio),
  /** paired.median ≥ 0.9 (coreOverHand ≥ 0.9 when there is no paired measurement). */
  within10pct: bool,
});
export type AbstractionCheck = Infer<typeof abstractionCheck>;

/** The core's engines measured by a run. */
export const coreEngine = oneOf('js', 'wasm');
export type CoreEngine = Infer<typeof coreEngine>;

export const peerCheck = obj({
  optimizer: name(),
  /** The peer's engine ('tfjs-cpu', 'tfjs-wasm'). */
  engine: name(),
  /** The core's engine the peer is compared with ('js' or 'wasm'; absent in older files: 'js'). */
  coreEngine: withDefault<CoreEngine>(coreEngine, 'js'),
  n: num({ int: true, min: 1 }),
  /** core float32 elements/s ÷ peer elements/s. */
  coreSpeedup: nonneg,
});
export type PeerCheck = Infer<typeof peerCheck>;

export const engineCheck = obj({
  optimizer: name(),
  dtype,
  n: num({ int: true, min: 1 }),
  /** wasm elements/s ÷ js elements/s, from the two tasks of this run (the same arrays' placement, inputs, step count). */
  wasmOverJs: nonneg,
  /** Quadrature sum of both tasks' rme, in percent: the spread of wasmOverJs. */
  noise: nonneg,
});
export type EngineCheck = Infer<typeof engineCheck>;

/** The machine and software of a bench run (every field recorded). */
export const benchEnvironment = obj({
  node: name(),
  v8: name(),
  cpuModel: name(),
  cores: num({ int: true, min: 1 }),
  os: name(),
  arch: name(),
  totalMemoryBytes: nonneg,
  /** 1, 5 and 15 minute load averages when the run started and ended (a shared machine's noise). */
  loadAverageStart: arr(nonneg, { max: 3 }),
  loadAverageEnd: arr(nonneg, { max: 3 }),
  /**
   * The benchmark process's own CPU use in cores (every thread), weighted over the run as the
   * 1-minute load average weighs it (src/util/loadavg.ts): the load minus this is other work's.
   * Absent in runs made before it was recorded.
   */
  ownLoad: optional(nonneg),
  packages: record(nullable(name()), { maxKeys: 1000 }),
  git: obj({ commit: nullable(name()), dirty: nullable(bool) }),
  /** ISO 8601, when the run started. */
  date: name(),
  durationSec: nonneg,
});
export type BenchEnvironment = Infer<typeof benchEnvironment>;

export const settings = obj({
  quick: bool,
  optimizers: arr(name(), { max: 10_000 }),
  sizes: arr(num({ int: true, min: 1 }), { max: 1000 }),
  dtypes: arr(dtype, { max: 2 }),
  peers: bool,
  /** The core's engines measured ('js', 'wasm'). Absent in runs made before the wasm engine: JS only. */
  engines: withDefault<CoreEngine[]>(arr(coreEngine, { max: 2 }), ['js']),
  seed: str({ max: 1000 }),
  /** Elements a timed iteration covers at least: block = ceil(minBlockElements / n). */
  minBlockElements: num({ int: true, min: 1 }),
  /**
   * Elements per iteration of the element loops measured: the core's kernels (kernel.ts UNROLL),
   * the triad, copy and hand-written loops. Absent in runs made before loops were unrolled (= 1).
   */
  unroll: optional(num({ int: true, min: 1 })),
  /** The same for peers (block = ceil(peerMinBlockElements / n)). */
  peerMinBlockElements: num({ int: true, min: 1 }),
  tinybench: obj({
    version: nullable(name()),
    /** Time budget per task, ms. */
    time: nonneg,
    warmupTime: nonneg,
    /** Minimum timed and warmup iterations per task. */
    iterations: count,
    warmupIterations: count,
    /** For peers (slower per step): minimum iterations. */
    peerIterations: count,
    peerWarmupIterations: count,
    timestampProvider: name(),
  }),
});
export type Settings = Infer<typeof settings>;

export const benchResults = obj({
  format: oneOf(RESULTS_FORMAT),
  version: oneOf(RESULTS_VERSION),
  environment: benchEnvironment,
  settings,
  tasks: arr(taskResult, { max: 100_000 }),
  checks: obj({
    abstraction: arr(abstractionCheck, { max: 10_000 }),
    peers: arr(peerCheck, { max: 10_000 }),
    /** wasm ÷ js per optimizer, dtype and n (absent in runs made before the wasm engine). */
    engines: withDefault(arr(engineCheck, { max: 10_000 }), []),
  }),
  /** The peer engines that ran, each with how it was set up (backend, SIMD, threads). */
  peerEngines: arr(str({ max: 1000 }), { max: 100 }),
  /** Optional peers that could not run, with the reason (packages missing, backend failed). */
  skipped: arr(obj({ what: str({ max: 1000 }), reason: str({ max: 10_000 }) }), { max: 10_000 }),
  /** Costs beside the step. */
  system: obj({
    referenceStep: systemPart,
    gradientEvaluations: systemPart,
    trainingEpochs: systemPart,
    lawSuite: tagged('status', { 'not-available': notAvailable, ok: lawSuiteCost, error: errorPart }),
  }),
  /** Optimizers from outside (--module): each module's path, SHA-256 and optimizers, measured like the built-ins (kind 'core'). */
  modules: optional(arr(moduleProvenance, { max: 1000 })),
});
export type BenchResults = Infer<typeof benchResults>;
