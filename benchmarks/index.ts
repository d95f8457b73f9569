/**
 * The benchmark harness: `runBench` measures every selected optimizer of the registry, on the JS
 * kernels and on the wasm engine, beside the roofline (triad, copy), the hand-written loops and the
 * TensorFlow.js peers, in one process, and returns one results document (schema.ts, SCHEMA.md).
 * `optimlab bench` is its command line.
 *
 * Timing defaults (benchmarks/presets.ts, the same for optimlab bench and run; a full run takes a
 * few minutes on 2 cores): 250 ms per task after a third of it as warmup, at least 5 timed
 * iterations (2 of warmup);
 * peers at least 5 (1 of warmup): one tfjs-cpu step at n = 4e6 takes up to a second.
 * One timed iteration covers at least 1e5 element-steps (block = ceil(1e5 / n) steps: 100 at
 * n = 1e3), well above performance.now()'s resolution; peers at least 1e4 (10 steps at n = 1e3).
 */
import os from 'node:os';
import { getOptimizer, optimizerNames } from '../src/optimizers/registry.js';
import type { OptimizerEntry } from '../src/optimizers/define.js';
import { UNROLL } from '../src/optimizers/kernel.js';
import { wasmEngine, type WasmEngine } from '../src/engine/wasm.js';
import type { Dtype } from '../src/optimizers/types.js';
import { collectEnvironment, packageVersion } from './env.js';
import { ownLoadMeter } from '../src/util/loadavg.js';
import { DEFAULT_SIZES, DEFAULT_TIME, QUICK_SIZES, QUICK_TIME, defaultWarmup } from './presets.js';
import { measure, type Timing } from './measure.js';
import { ENGINES, PEER_OPTIMIZERS, loadTfjs, peerTask, type Engine } from './peers/tfjs.js';
import {
  RESULTS_FORMAT,
  RESULTS_VERSION,
  type AbstractionCheck,
  type BenchResults,
  type CoreEngine,
  type EngineCheck,
  type PairedRatio,
  type PeerCheck,
  type Settings,
  type TaskResult,
  triadLevel,
} from './schema.js';
import {
  BYTES,
  HAND_WRITTEN,
  makeGroupData,
  planGroup,
  wasmServes,
  type GroupData,
  type PlannedTask,
  type Prepared,
} from './suite.js';
import { gradientCost, lawSuiteCost, referenceStepCost, trainingCost } from './system.js';
import { formatSize } from '../src/util/size.js';

export { summaryTable } from './table.js';
export { formatSize } from '../src/util/size.js';
export { writeFileAtomic } from './env.js';
export * from './schema.js';

export { DEFAULT_SIZES, QUICK_SIZES } from './presets.js';
export const DTYPES: readonly Dtype[] = ['float64', 'float32'];
/** The core's engines a run measures by default: both. */
export const CORE_ENGINES: readonly CoreEngine[] = ['js', 'wasm'];
export const DEFAULT_SEED = 'optimlab-bench-1';

export interface BenchOptions {
  /** Registry names, and names of `entries` (default: all of both). */
  optimizers?: readonly string[];
  /**
   * Optimizers optimlab does not ship (defineOptimizer entries), measured beside the built-ins in the
   * same run, the same way: in the same arenas, against the same triad.
   */
  entries?: readonly OptimizerEntry[];
  /** Where `entries` came from (`--module`: path, content hash), recorded in the results. */
  modules?: BenchResults['modules'];
  sizes?: readonly number[];
  dtypes?: readonly Dtype[];
  /** Time per task, ms. */
  time?: number;
  /** Warmup per task, ms. */
  warmupTime?: number;
  /** Measure the TensorFlow.js peers (default true). */
  peers?: boolean;
  /** The core's engines to measure: 'js' (the JS kernels), 'wasm' (the wasm engine). Default: both. */
  engines?: readonly CoreEngine[];
  /** A smoke run of a few seconds: sizes 1e3 and 1e4, 15 ms per task, peers at 1e3 only. */
  quick?: boolean;
  seed?: string;
  /** A vitest JSON report to read the law suite's wall time from. */
  lawReport?: string;
  /** Called before each task (and once at the end with done = total). */
  onProgress?: (p: Progress) => void;
}

export interface Progress {
  done: number;
  total: number;
  /** The task about to run (undefined at the end). */
  task?: string;
  elapsedMs: number;
}

export const FULL_TIMING = {
  time: DEFAULT_TIME,
  iterations: 5,
  warmupIterations: 2,
  peerIterations: 5,
  peerWarmupIterations: 1,
};
export const QUICK_TIMING = {
  time: QUICK_TIME,
  iterations: 3,
  warmupIterations: 1,
  peerIterations: 2,
  peerWarmupIterations: 1,
};
const MIN_BLOCK_ELEMENTS = 1e5;
/** Peers: a tf.train step costs ≥ 50 µs even at n = 1e3 (op dispatch), so smaller blocks suffice. */
const PEER_MIN_BLOCK_ELEMENTS = 1e4;

/** Settings with defaults filled in; a RangeError naming the option, the value and the allowed values otherwise. */
export function resolveSettings(o: BenchOptions): Settings {
  const quick = o.quick ?? false;
  const known = [...optimizerNames, ...(o.entries ?? []).map((e) => e.name)];
  const optimizers = [...(o.optimizers ?? known)];
  for (const name of optimizers) {
    if (!known.includes(name))
      throw new RangeError(
        `--optimizer: unknown optimizer '${name}'; allowed: ${known.join(', ')}${o.entries?.length ? '' : ' (an optimizer of your own: --module PATH)'}`,
      );
  }
  if (optimizers.length === 0) throw new RangeError(`--optimizer: empty list; allowed: ${known.join(', ')}`);
  const sizes = [...(o.sizes ?? (quick ? QUICK_SIZES : DEFAULT_SIZES))];
  for (const n of sizes) {
    if (!Number.isSafeInteger(n) || n < 1 || n > 1e8)
      throw new RangeError(`--sizes: '${n}' is not allowed; allowed: integers from 1 to 1e8 (such as 1e4,1e6,4e6)`);
  }
  if (sizes.length === 0) throw new RangeError('--sizes: empty list; allowed: integers from 1 to 1e8');
  const dtypes = [...(o.dtypes ?? DTYPES)];
  for (const d of dtypes) {
    if (!DTYPES.includes(d))
      throw new RangeError(`--dtypes: unknown dtype '${String(d)}'; allowed: ${DTYPES.join(', ')}`);
  }
  if (dtypes.length === 0) throw new RangeError(`--dtypes: empty list; allowed: ${DTYPES.join(', ')}`);
  const engines = [...(o.engines ?? CORE_ENGINES)];
  for (const e of engines) {
    if (!CORE_ENGINES.includes(e))
      throw new RangeError(`--engines: unknown engine '${String(e)}'; allowed: ${CORE_ENGINES.join(', ')}`);
  }
  if (engines.length === 0) throw new RangeError(`--engines: empty list; allowed: ${CORE_ENGINES.join(', ')}`);
  const base = quick ? QUICK_TIMING : FULL_TIMING;
  const time = o.time ?? base.time;
  if (!Number.isFinite(time) || time <= 0 || time > 600_000)
    throw new RangeError(`--time: ${time} ms is not allowed; allowed: 0 < time ≤ 600000 (milliseconds per task)`);
  const warmupTime = o.warmupTime ?? defaultWarmup(time);
  if (!Number.isFinite(warmupTime) || warmupTime < 0 || warmupTime > 600_000)
    throw new RangeError(
      `--warmup: ${warmupTime} ms is not allowed; allowed: 0 ≤ warmup ≤ 600000 (milliseconds per task)`,
    );
  return {
    quick,
    optimizers,
    sizes: [...new Set(sizes)].sort((a, b) => a - b),
    dtypes: DTYPES.filter((d) => dtypes.includes(d)),
    peers: o.peers ?? true,
    engines: CORE_ENGINES.filter((e) => engines.includes(e)),
    seed: o.seed ?? DEFAULT_SEED,
    minBlockElements: MIN_BLOCK_ELEMENTS,
    unroll: UNROLL,
    peerMinBlockElements: PEER_MIN_BLOCK_ELEMENTS,
    tinybench: {
      version: packageVersion('tinybench'),
      time,
      warmupTime,
      iterations: base.iterations,
      warmupIterations: base.warmupIterations,
      peerIterations: base.peerIterations,
      peerWarmupIterations: base.peerWarmupIterations,
      timestampProvider: 'performance.now',
    },
  };
}

/**
 * Runs one planned task and turns its measurement into a TaskResult (without the triad ratio). With
 * `keep`, a task that measured is handed its prepared step (to measure it again later) instead of
 * having it disposed.
 */
function runTask(t: PlannedTask, data: GroupData, timing: Timing, keep?: (p: Prepared) => void): TaskResult {
  const base: TaskResult = {
    id: t.id,
    kind: t.kind,
    name: t.name,
    engine: t.engine,
    dtype: t.dtype,
    n: t.n,
    block: t.block,
    streams: t.streams,
    bytesPerElement: BYTES[t.dtype],
    status: 'ok',
  };
  let prepared;
  try {
    data.arena.reset();
    data.wasm?.reset();
    prepared = t.prepare(data);
    const m = measure(t.id, prepared.fn, t.block, timing);
    prepared.check();
    const elementsPerSec = t.n / (m.latency.mean / 1000);
    Object.assign(base, {
      latency: m.latency,
      rme: m.rme,
      samples: m.samples,
      elementsPerSec,
      bytesPerSec: elementsPerSec * t.streams * BYTES[t.dtype],
    });
  } catch (e) {
    base.status = 'error';
    base.error = (e as Error).message;
  } finally {
    if (keep && prepared && base.status === 'ok') keep(prepared);
    else {
      const leaked = prepared?.dispose?.();
      if (typeof leaked === 'number') base.tensorsLeaked = leaked;
    }
  }
  return base;
}

export async function runBench(options: BenchOptions = {}): Promise<BenchResults> {
  const settings = resolveSettings(options);
  const start = new Date();
  const t0 = performance.now();
  const environment = collectEnvironment(start);
  const own = ownLoadMeter();
  const tb = settings.tinybench;
  const timing: Timing = {
    time: tb.time,
    warmupTime: tb.warmupTime,
    iterations: tb.iterations,
    warmupIterations: tb.warmupIterations,
  };
  const peerTiming: Timing = { ...timing, iterations: tb.peerIterations, warmupIterations: tb.peerWarmupIterations };
  const skipped: BenchResults['skipped'] = [];
  const peerEngines: string[] = [];

  // Plan everything first, so progress can say how many tasks are left.
  const lookup = (name: string): OptimizerEntry => options.entries?.find((e) => e.name === name) ?? getOptimizer(name);
  // The wasm engine: one for the run; its memory holds the arenas of the wasm tasks, one group at a time.
  let engine: WasmEngine | undefined;
  let onWasm: string[] = [];
  if (settings.engines.includes('wasm')) {
    try {
      engine = await wasmEngine();
      onWasm = settings.optimizers.filter((o) => wasmServes(engine!, lookup(o)));
      const js = settings.optimizers.filter((o) => !onWasm.includes(o));
      if (js.length > 0)
        skipped.push({
          what: `wasm engine for ${js.join(', ')}`,
          reason: "no wasm kernels (built only for optimlab's own optimizers, by npm run build): measured on JS only",
        });
    } catch (e) {
      skipped.push({ what: 'wasm engine', reason: (e as Error).message });
    }
  }
  const jsGroups = settings.dtypes.flatMap((dtype) =>
    settings.sizes.map((n) => ({
      dtype,
      n,
      tasks: planGroup(dtype, n, settings.optimizers, settings.minBlockElements, lookup, onWasm),
    })),
  );
  const peerNames = settings.optimizers.filter((o) => PEER_OPTIMIZERS.includes(o));
  const peerSizes = settings.quick ? settings.sizes.slice(0, 1) : settings.sizes;
  let peers: Awaited<ReturnType<typeof loadTfjs>> | undefined;
  if (settings.peers && peerNames.length > 0) {
    try {
      peers = await loadTfjs();
    } catch (e) {
      skipped.push({ what: 'TensorFlow.js peers (tfjs-cpu, tfjs-wasm)', reason: (e as Error).message });
    }
  } else if (!settings.peers) {
    skipped.push({ what: 'TensorFlow.js peers', reason: 'turned off (--no-peers)' });
  }
  const peerCount = peers ? ENGINES.length * peerSizes.length * peerNames.length : 0;
  const pairCount = jsGroups.length * HAND_WRITTEN.filter((h) => settings.optimizers.includes(h)).length;
  // + 1: the system costs (reference, gradients, training), measured last.
  const total = jsGroups.reduce((s, g) => s + g.tasks.length, 0) + pairCount + peerCount + 1;
  let done = 0;
  const progress = (task?: string): void => {
    own.sample();
    options.onProgress?.({ done, total, task, elapsedMs: performance.now() - t0 });
  };

  const tasks: TaskResult[] = [];
  const paired = new Map<string, PairedRatio>();
  for (const g of jsGroups) {
    const data = makeGroupData(g.dtype, g.n, settings.seed, onWasm.length > 0 ? engine : undefined);
    const triad = g.tasks.find((t) => t.kind === 'stream' && t.name === 'triad')!;
    let triadResult: TaskResult | undefined;
    let triadStep: Prepared | undefined;
    const levels: number[] = [];
    for (const t of g.tasks) {
      progress(t.id);
      const r = t === triad ? runTask(t, data, timing, (p) => (triadStep = p)) : runTask(t, data, timing);
      tasks.push(r);
      if (t === triad) {
        triadResult = r;
        if (r.status === 'ok') levels.push(r.elementsPerSec!);
      } else if (triadStep) {
        const level = remeasure(triad, triadStep, settings.quick ? QUICK_PAIRS.timing : FULL_PAIRS.timing);
        if (level !== undefined) levels.push(level);
      }
      done++;
    }
    if (triadResult && levels.length > 0) triadResult.remeasured = levels;
    for (const name of HAND_WRITTEN) {
      const hand = g.tasks.find((t) => t.kind === 'hand' && t.name === name);
      const core = g.tasks.find((t) => t.kind === 'core' && t.name === name);
      if (!hand || !core) continue;
      progress(`paired:${name}:${g.dtype}:${g.n}`);
      try {
        paired.set(
          `${name}:${g.dtype}:${g.n}`,
          pairedRatio(hand, core, data, settings.quick ? QUICK_PAIRS : FULL_PAIRS),
        );
      } catch {
        /* the tasks themselves report the error */
      }
      done++;
    }
    data.wasm?.dispose();
  }

  if (peers) {
    const float32 = new Map<number, GroupData>();
    for (const engine of ENGINES as readonly Engine[]) {
      let described: string;
      try {
        described = await peers.activate(engine);
      } catch (e) {
        skipped.push({ what: `${engine} peers`, reason: (e as Error).message });
        done += peerSizes.length * peerNames.length;
        continue;
      }
      peerEngines.push(`${engine}: ${described}`);
      for (const n of peerSizes) {
        if (!float32.has(n)) float32.set(n, makeGroupData('float32', n, settings.seed));
        for (const name of peerNames) {
          const t = peerTask(peers, engine, name, n, settings.peerMinBlockElements);
          progress(t.id);
          tasks.push(runTask(t, float32.get(n)!, peerTiming));
          done++;
        }
      }
    }
  }

  // Ratios to the triad's level (the median of its measurements) at the same dtype and n, in this run.
  const triad = new Map(
    tasks
      .filter((t) => t.kind === 'stream' && t.name === 'triad' && t.status === 'ok')
      .map((t) => [`${t.dtype}:${t.n}`, t]),
  );
  for (const t of tasks) {
    const tr = triad.get(`${t.dtype}:${t.n}`);
    const level = tr && triadLevel(tr);
    if (t.bytesPerSec !== undefined && tr && level)
      t.ratioToTriad = t.bytesPerSec / (level * tr.streams * tr.bytesPerElement);
  }

  // The rest of the system: shorter budgets (these are cost estimates, not throughput races).
  const systemTiming = {
    seed: settings.seed,
    timing: { ...timing, time: Math.min(timing.time, 200), warmupTime: Math.min(timing.warmupTime, 50) },
  };
  progress('system costs (reference, gradients, training)');
  const system = {
    referenceStep: await referenceStepCost(
      settings.optimizers.filter((o) => optimizerNames.includes(o)),
      systemTiming,
    ),
    gradientEvaluations: await gradientCost(systemTiming),
    trainingEpochs: await trainingCost(systemTiming),
    lawSuite: lawSuiteCost(options.lawReport),
  };
  done++;
  progress(undefined);
  const results: BenchResults = {
    format: RESULTS_FORMAT,
    version: RESULTS_VERSION,
    environment,
    settings,
    tasks,
    checks: { abstraction: abstractionChecks(tasks, paired), peers: peerChecks(tasks), engines: engineChecks(tasks) },
    peerEngines,
    skipped,
    system,
    ...(options.modules?.length ? { modules: [...options.modules] } : {}),
  };
  environment.loadAverageEnd = os.loadavg();
  environment.ownLoad = own.result();
  environment.durationSec = (performance.now() - t0) / 1000;
  return results;
}

/**
 * The triad measured again, briefly (the time of a paired half-round): the step its own task
 * measured (`step`, the same function, so V8 runs the same code: a second function made from the
 * same source runs 2.5 times slower in cache, docs/benchmarking.md), its inputs copied in again, on
 * the same arrays. Its elements/s, or undefined when the loop failed (its task reports it). Done after
 * every task of a group, so the triad's level is the median of measurements spread over the group's
 * whole time, and how far they move is how far the machine moved ("When a run is unreliable").
 */
function remeasure(triad: PlannedTask, step: Prepared, timing: Timing): number | undefined {
  try {
    step.reload!();
    const m = measure(`${triad.id}#again`, step.fn, triad.block, timing);
    step.check();
    return triad.n / (m.latency.mean / 1000);
  } catch {
    return undefined;
  }
}

/** Rounds of the interleaved core/hand measurement and the time of each half-round. */
const FULL_PAIRS = { rounds: 7, timing: { time: 80, warmupTime: 20, iterations: 3, warmupIterations: 1 } };
const QUICK_PAIRS = { rounds: 3, timing: { time: 5, warmupTime: 2, iterations: 2, warmupIterations: 1 } };

/**
 * core ÷ hand measured in alternation: hand, core, hand, core, … on the same prepared arrays, each
 * half-round a short tinybench run, and the ratio taken per round. A burst of load from a
 * neighbour hits one round, not one side of the comparison, so the median over rounds is robust
 * where two back-to-back tasks are not.
 */
function pairedRatio(
  hand: PlannedTask,
  core: PlannedTask,
  data: GroupData,
  cfg: { rounds: number; timing: Timing },
): PairedRatio {
  data.arena.reset();
  const h = hand.prepare(data);
  const c = core.prepare(data);
  const ratios: number[] = [];
  for (let r = 0; r < cfg.rounds; r++) {
    const mh = measure(`${hand.id}#${r}`, h.fn, hand.block, cfg.timing);
    const mc = measure(`${core.id}#${r}`, c.fn, core.block, cfg.timing);
    ratios.push(mh.latency.mean / mc.latency.mean);
  }
  h.check();
  c.check();
  const sorted = [...ratios].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { rounds: cfg.rounds, median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

function abstractionChecks(tasks: TaskResult[], paired: Map<string, PairedRatio>): AbstractionCheck[] {
  const out: AbstractionCheck[] = [];
  for (const h of tasks.filter((t) => t.kind === 'hand' && t.status === 'ok')) {
    const c = tasks.find((t) => t.id === `core:${h.name}:${h.dtype}:${h.n}` && t.status === 'ok');
    if (!c?.elementsPerSec || !h.elementsPerSec) continue;
    const coreOverHand = c.elementsPerSec / h.elementsPerSec;
    const p = paired.get(`${h.name}:${h.dtype}:${h.n}`);
    out.push({
      optimizer: h.name,
      dtype: h.dtype,
      n: h.n,
      coreOverHand,
      noise: Math.hypot(c.rme ?? 0, h.rme ?? 0),
      ...(p ? { paired: p } : {}),
      within10pct: (p?.median ?? coreOverHand) >= 0.9,
    });
  }
  return out;
}

/** The core task of `name` on `engine` at dtype and n, when it ran. */
function coreOf(
  tasks: readonly TaskResult[],
  engine: CoreEngine,
  name: string,
  dtype: Dtype,
  n: number,
): TaskResult | undefined {
  return tasks.find(
    (t) =>
      t.kind === 'core' &&
      t.engine === engine &&
      t.name === name &&
      t.dtype === dtype &&
      t.n === n &&
      t.status === 'ok',
  );
}

function peerChecks(tasks: TaskResult[]): PeerCheck[] {
  const out: PeerCheck[] = [];
  for (const p of tasks.filter((t) => t.kind === 'peer' && t.status === 'ok')) {
    for (const coreEngine of CORE_ENGINES) {
      const c = coreOf(tasks, coreEngine, p.name, 'float32', p.n);
      if (c?.elementsPerSec && p.elementsPerSec)
        out.push({
          optimizer: p.name,
          engine: p.engine,
          coreEngine,
          n: p.n,
          coreSpeedup: c.elementsPerSec / p.elementsPerSec,
        });
    }
  }
  return out;
}

function engineChecks(tasks: TaskResult[]): EngineCheck[] {
  const out: EngineCheck[] = [];
  for (const w of tasks.filter((t) => t.kind === 'core' && t.engine === 'wasm' && t.status === 'ok')) {
    const j = coreOf(tasks, 'js', w.name, w.dtype, w.n);
    if (j?.elementsPerSec && w.elementsPerSec)
      out.push({
        optimizer: w.name,
        dtype: w.dtype,
        n: w.n,
        wasmOverJs: w.elementsPerSec / j.elementsPerSec,
        noise: Math.hypot(w.rme ?? 0, j.rme ?? 0),
      });
  }
  return out;
}

/**
 * What a run measured, in the words of its progress counter: the tasks of the results, and the
 * steps the counter also counts (interleaved core ÷ hand rounds, the system costs).
 */
export function measuredText(r: BenchResults): string {
  const pairs = r.checks.abstraction.filter((a) => a.paired).length;
  return `${r.tasks.length} tasks, plus ${pairs} interleaved core ÷ hand measurements and the system costs: ${r.tasks.length + pairs + 1} steps`;
}

/**
 * Lines about the checks the issues ask for (abstraction cost, distance to the peers), and the parts
 * not available. `verdicts` false (a run whose figures are unreliable): the figures without the
 * within-10% verdict, and the system costs counted rather than listed.
 */
export function checkLines(r: BenchResults, verdicts = true): string[] {
  const lines: string[] = [];
  for (const a of r.checks.abstraction) {
    const p = a.paired
      ? `; interleaved, median of ${a.paired.rounds} rounds ${a.paired.median.toFixed(3)} (${a.paired.min.toFixed(3)}–${a.paired.max.toFixed(3)})`
      : '';
    const verdict = verdicts ? `  ${a.within10pct ? 'within 10%' : 'NOT within 10%'}` : '';
    lines.push(
      `core ÷ hand-written  ${a.optimizer.padEnd(5)} ${a.dtype} n = ${formatSize(a.n).padEnd(4)} tasks ${a.coreOverHand.toFixed(3)} (±${a.noise.toFixed(1)}%)${p}${verdict}`,
    );
  }
  const low = <T>(list: readonly T[], x: (t: T) => number): T => list.reduce((a, b) => (x(b) < x(a) ? b : a));
  const high = <T>(list: readonly T[], x: (t: T) => number): T => list.reduce((a, b) => (x(b) > x(a) ? b : a));
  const wasm = r.checks.engines;
  for (const dtype of DTYPES) {
    const list = wasm.filter((w) => w.dtype === dtype);
    if (list.length === 0) continue;
    const [min, max] = [low(list, (w) => w.wasmOverJs), high(list, (w) => w.wasmOverJs)];
    lines.push(
      `wasm ÷ js ${dtype}: ${min.wasmOverJs.toFixed(2)}× (${min.optimizer}, n = ${formatSize(min.n)}) to ${max.wasmOverJs.toFixed(2)}× (${max.optimizer}, n = ${formatSize(max.n)})`,
    );
  }
  const byEngine = new Map<string, PeerCheck[]>();
  for (const p of r.checks.peers)
    byEngine.set(`${p.coreEngine}|${p.engine}`, [...(byEngine.get(`${p.coreEngine}|${p.engine}`) ?? []), p]);
  for (const list of byEngine.values()) {
    const [min, max] = [low(list, (p) => p.coreSpeedup), high(list, (p) => p.coreSpeedup)];
    const who = list[0]!.coreEngine === 'js' ? 'core' : `${list[0]!.coreEngine} engine`;
    lines.push(
      `${who} float32 vs ${list[0]!.engine}: ${min.coreSpeedup.toFixed(2)}× (${min.optimizer}, n = ${formatSize(min.n)}) to ${max.coreSpeedup.toFixed(2)}× (${max.optimizer}, n = ${formatSize(max.n)}) faster`,
    );
  }
  for (const s of r.skipped) lines.push(`skipped: ${s.what}: ${s.reason}`);
  const sys = r.system;
  for (const [label, part] of [
    ['decimal reference', sys.referenceStep],
    ['gradient evaluations', sys.gradientEvaluations],
    ['training epochs', sys.trainingEpochs],
  ] as const) {
    if (part.status === 'ok' && !verdicts)
      lines.push(
        `${label}: ${part.entries.length} cost(s) measured, in the results JSON (too rough to print from this run)`,
      );
    else if (part.status === 'ok') {
      for (const e of part.entries) {
        const cost =
          e.secondsPerUnit < 1e-3
            ? `${(e.secondsPerUnit * 1e6).toPrecision(3)} µs`
            : `${(e.secondsPerUnit * 1e3).toPrecision(3)} ms`;
        lines.push(
          `${label}: ${e.name}: ${e.perSec.toPrecision(3)} ${e.unit}s/s = ${cost} per ${e.unit} (±${e.rme.toFixed(1)}%)${e.detail ? `; ${e.detail}` : ''}`,
        );
      }
    } else
      lines.push(`${label}: ${part.status === 'error' ? `error: ${part.error}` : `not available: ${part.reason}`}`);
  }
  const law = sys.lawSuite;
  lines.push(
    law.status === 'ok'
      ? `law suite: ${(law.wallTimeMs / 1000).toFixed(1)} s wall, ${law.tests} tests (${law.failed} failed), from ${law.source}`
      : `law suite: ${law.status === 'error' ? `error: ${law.error}` : `not available: ${law.reason}`}`,
  );
  return lines;
}
