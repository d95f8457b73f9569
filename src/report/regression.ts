/**
 * The one judge of a benchmark change: `optimlab bench --baseline`, `optimlab run` and `optimlab
 * report --baseline` all call `regression` below, so they give the same verdict on the same
 * figures. docs/benchmarking.md explains the method with the measurements behind each number.
 *
 * 1. Whether to judge at all. A verdict needs two runs that measured the same thing:
 *    - the same machine: CPU model, core count, Node and V8 version (`anyMachine` forces a
 *      comparison across machines, and the result says so);
 *    - the same settings: time and warmup per task, sizes, and not a --quick smoke run;
 *    - runs that are reliable (`runHealth`): other work's load during the run above `busyLoad`
 *      (the run's own load from the 1-minute load average at its start and end, less the
 *      benchmark's own CPU use: `otherLoad`), a STREAM triad whose 95% margin exceeds
 *      UNSTABLE_TRIAD_RME, or whose measurements through its group stray from their median
 *      (UNSTABLE_TRIAD_OFF, UNSTABLE_TRIAD_COUNT), means other work shared the cores or the memory during the run, and
 *      its figures say more about that work than about the code.
 *    Baseline runs that fail a check are left out; when none is left (or the current run is
 *    unreliable) there are no throughput verdicts, and `why` says so in one sentence, checked in
 *    this order: machine, settings, this run's health, the baseline's (another machine makes the
 *    rest moot: even a quiet run there could not be judged).
 *
 * 2. What is compared: a task's throughput relative to the STREAM triad measured in the same run
 *    at the same n and dtype (elements/s ÷ the triad's level, `triadLevel`: the median of its
 *    measurements through the group where it was measured again after each task). A machine that
 *    is busier or slower as a whole moves the triad too and cancels out; a change in our code does not. Each
 *    run's ratio has a relative 95% margin r = √(rme_task² + rme_triad²)/100 (rme: half-width of
 *    the 95% interval of the mean latency, in percent). Tasks without a triad in their run (and
 *    the triad itself) are compared on raw elements/s.
 *
 * 3. The band a change must leave to be a verdict, and the floor `minChange` (default 5%) it must
 *    also exceed, since rme sees only the spread within one process:
 *    - one baseline run: the 95% margin of the ratio of two independent estimates,
 *      h = √(r_cur² + r_base²) (four rme's in quadrature); a regression when the change is below
 *      −max(h, minChange), an improvement when above +max(h, minChange). With every rme at 3%,
 *      h = 6%: a −7% change is a regression, a −5.5% change is within noise;
 *    - several baseline runs of one machine (`optimlab report --merge` of k runs): the spread
 *      between runs is the noise that matters, which no within-run rme sees. The band is a 95%
 *      prediction interval for one new run, in logs: x_i = ln(ratio_i), the between-run variance
 *      s² pooled over the optimizers (core tasks) of the same dtype and n, df = Σ (k − 1),
 *      h = t(0.975, df) · s · √(1 + 1/k), centred on the runs' geometric mean. Where no pooled
 *      spread exists (a task alone at its size), the runs' margins in quadrature, divided by k
 *      (the margin of their mean), take its place in the rule for one run.
 *
 * 4. The triad's own move between the runs. Dividing by the triad cancels a machine that is slower
 *    as a whole only for steps that slow down with it, those limited by memory as the triad is. A
 *    step limited by arithmetic keeps its speed while the triad's level falls, so its ratio rises
 *    by the triad's move with no change in its code: with s = ln(L_base / L_cur) (the triads'
 *    levels, the baseline's averaged in logs), an unchanged step's ln(1 + change) lies between 0
 *    and s. The band is widened on that side by s: ln(1 + low) + min(0, s) and ln(1 + high) +
 *    max(0, s). A move on the other side stays judged as before.
 *
 * The triad, copy, hand-written loops and TensorFlow.js peers are shown as references, never
 * judged: they measure the machine and other libraries, not our code.
 */

import { formatSize } from '../util/size.js';
import { runLoad } from '../util/loadavg.js';
import type { BenchTask, Environment, ResultsDoc, Source } from './types.js';
import { triadLevel } from '../schema/bench.js';

/** The floor on |change| by default: 5% (docs/benchmarking.md, "the floor"). */
export const DEFAULT_MIN_CHANGE = 0.05;

/**
 * A triad 95% margin (rme, percent) above this marks a run unstable. Quiet runs of the default
 * settings stay far below it and loaded ones far above it (the measurements are in
 * docs/benchmarking.md, "When a run is unreliable").
 */
export const UNSTABLE_TRIAD_RME = 5;

/**
 * The triad's measurements through one group (`remeasured`) mark a run unstable when at least
 * UNSTABLE_TRIAD_COUNT of them lie more than UNSTABLE_TRIAD_OFF from their median. Memory and
 * cache shared with other machines' work change speed for seconds at a time while each
 * measurement's rme stays small; one measurement off is a hiccup beside one task, two are a machine
 * that moved (docs/benchmarking.md, "When a run is unreliable", has the runs).
 */
export const UNSTABLE_TRIAD_OFF = 0.15;
export const UNSTABLE_TRIAD_COUNT = 2;

/**
 * 'reference': the triad and copy measure the machine, the hand-written loops what a plain JS loop
 * reaches on it, and the peers other libraries; none of them is our code. Shown, never judged.
 */
export type Verdict = 'regression' | 'improvement' | 'within noise' | 'reference' | 'new' | 'missing' | 'error';

export interface TaskChange {
  id: string;
  name: string;
  kind: string;
  dtype: string;
  n: number;
  base: number | null;
  current: number | null;
  /** Change of the compared metric: (cur/triad_cur) / (base/triad_base) − 1, or raw elements/s when not normalised. */
  change: number | null;
  /** True when the change is relative to each run's triad. */
  normalised?: boolean;
  /** Runs of this task in the baseline, when more than one (base is then their mean). */
  baselineRuns?: number;
  /** The change needed to leave the noise, slower side (negative) and faster side (positive). */
  noiseLow: number | null;
  noiseHigh: number | null;
  verdict: Verdict;
}

export interface LawChange {
  law: string;
  subject: string;
  base: string;
  current: string;
}

export interface Regression {
  /** True when throughput verdicts were issued (see the module comment, part 1). */
  judged: boolean;
  /** When not judged: one sentence saying why, for where the verdicts would be. */
  why: string | null;
  /** When compared across machines because it was forced: one sentence saying so. */
  acrossMachines: string | null;
  /** Baseline runs the verdicts are taken against. */
  baselineRuns: number;
  /** Every task with its change and verdict (empty when not judged). */
  tasks: TaskChange[];
  /** Law cells that changed (judged on any machine: a law holds or not wherever it runs). */
  laws: LawChange[];
  regressions: number;
  improvements: number;
  minChange: number;
  /** What makes the two runs less comparable without preventing a verdict (loops of another form). */
  warnings: string[];
}

export interface RegressionOptions {
  /** Floor on |change|; default DEFAULT_MIN_CHANGE. */
  minChange?: number;
  /** Compare with a baseline from another machine (labelled as such). */
  anyMachine?: boolean;
}

// --- whether to judge ----------------------------------------------------------------------------

/** A machine's identity for the judge, and how to name it. */
export function machineOf(e: Environment | null | undefined): { key: string; text: string } {
  if (!e) return { key: '?', text: 'an unrecorded machine' };
  return {
    key: `${e.cpuModel ?? '?'}|${e.cores ?? '?'}|${e.node ?? '?'}|${e.v8 ?? '?'}`,
    text: `${e.cpuModel ?? 'unknown CPU'}, ${e.cores ?? '?'} cores, Node ${e.node ?? '?'}${e.v8 ? ` (V8 ${e.v8})` : ''}`,
  };
}

interface TimingSettings {
  time?: number;
  warmupTime?: number;
}

/** The settings that change what a task's figure means, and how to name them. */
export function settingsOf(s: Record<string, unknown> | null | undefined): { key: string; text: string } {
  const tb = (s?.tinybench ?? {}) as TimingSettings;
  const sizes = Array.isArray(s?.sizes) ? [...(s.sizes as number[])].sort((a, b) => a - b) : [];
  const quick = s?.quick === true;
  return {
    key: `${tb.time ?? '?'}|${tb.warmupTime ?? '?'}|${sizes.join(',')}|${quick}`,
    text: `${tb.time ?? '?'} ms per task (warmup ${tb.warmupTime ?? '?'} ms), sizes ${sizes.map(formatSize).join(', ') || '?'}${quick ? ', --quick' : ''}`,
  };
}

export interface RunHealth {
  /** False when the run's throughput figures should not be trusted (and judged). */
  reliable: boolean;
  /** Why not, as clauses ("the machine was busy (…)"). */
  reasons: string[];
}

/**
 * Other work's load while a run ran: the run's own mean load from the load average sampled at its
 * start and end (`runLoad`, which leaves out what ran before it), less the benchmark process's own
 * CPU use over the run (`ownLoad`; 1, its one timing thread, in runs that did not record it).
 * Null when the run recorded no load or core count.
 */
export function otherLoad(
  env: Environment | null | undefined,
): { run: number; own: number; other: number; cores: number } | null {
  const start = env?.loadAverageStart?.[0];
  const end = env?.loadAverageEnd?.[0];
  if (!env?.cores || (start === undefined && end === undefined)) return null;
  const run =
    start !== undefined && end !== undefined
      ? runLoad(start, end, env.durationSec ?? 0)
      : Math.max(start ?? 0, end ?? 0);
  const own = env.ownLoad ?? 1;
  return { run, own, other: Math.max(0, run - own), cores: env.cores };
}

/**
 * The other work's load above which a run was busy: three quarters of the cores the benchmark leaves
 * free, and at least half a core (on 2 cores 0.75: one CPU-bound neighbour, 1.0, is busy; a quiet
 * run measures 0–0.6). docs/benchmarking.md, "When a run is unreliable", has the figures.
 */
export function busyLoad(cores: number): number {
  return Math.max(0.5, 0.75 * (cores - 1));
}

/** Whether one benchmark run's figures can be trusted (module comment, part 1). */
export function runHealth(
  env: Environment | null | undefined,
  settings: Record<string, unknown> | null | undefined,
  tasks: readonly BenchTask[],
): RunHealth {
  const reasons: string[] = [];
  if (settings?.quick === true)
    reasons.push(
      `it is a --quick smoke run (${settingsOf(settings).text.split(' (')[0]}), which checks that everything runs, not how fast`,
    );
  const load = otherLoad(env);
  if (load && load.other > busyLoad(load.cores))
    reasons.push(
      `the machine was busy (other work ran ${load.other.toFixed(1)} threads on average beside the benchmark's ${load.own.toFixed(1)}, on ${load.cores} cores: 1-minute load average ${load.run.toFixed(1)} over the run)`,
    );
  const triads = tasks.filter(
    (t) => t.kind === 'stream' && t.name === 'triad' && t.status === 'ok' && t.rme !== undefined,
  );
  const worst = triads.reduce<BenchTask | undefined>((w, t) => (w === undefined || t.rme! > w.rme! ? t : w), undefined);
  if (worst && worst.rme! > UNSTABLE_TRIAD_RME) {
    const over = triads.filter((t) => t.rme! > UNSTABLE_TRIAD_RME).length;
    reasons.push(
      `the STREAM triad varied by ±${worst.rme!.toFixed(worst.rme! < 10 ? 1 : 0)}% within the run (${worst.dtype}, n = ${formatSize(worst.n)}${over > 1 ? `, and ${over - 1} more above ±${UNSTABLE_TRIAD_RME}%` : ''}; a quiet run stays below ±${UNSTABLE_TRIAD_RME}%)`,
    );
  }
  const off = (t: BenchTask): number[] => {
    const level = triadLevel(t)!;
    return (t.remeasured ?? []).filter((x) => Math.abs(x / level - 1) > UNSTABLE_TRIAD_OFF);
  };
  const moved = triads.filter((t) => off(t).length >= UNSTABLE_TRIAD_COUNT);
  const most = moved.reduce<BenchTask | undefined>(
    (w, t) => (w === undefined || off(t).length > off(w).length ? t : w),
    undefined,
  );
  if (most) {
    const v = most.remeasured!;
    const mel = (x: number): string => (x / 1e6).toFixed(0);
    reasons.push(
      `the STREAM triad ran more than ${100 * UNSTABLE_TRIAD_OFF}% away from its median in ${off(most).length} of its ${v.length} measurements through the run (${most.dtype}, n = ${formatSize(most.n)}: ${mel(Math.min(...v))} to ${mel(Math.max(...v))} M elements/s, median ${mel(triadLevel(most)!)}${moved.length > 1 ? `; ${moved.length - 1} more triad${moved.length > 2 ? 's' : ''} too` : ''}; a quiet run has at most ${UNSTABLE_TRIAD_COUNT - 1})`,
    );
  }
  return { reliable: reasons.length === 0, reasons };
}

/** One benchmark run inside a results document: its source (machine, settings) and its tasks. */
export interface BenchRun {
  source: Source;
  tasks: (BenchTask & { source: string })[];
}

/** The benchmark runs of a results document, one per bench source. */
export function benchRuns(doc: ResultsDoc): BenchRun[] {
  return doc.sources
    .filter((s) => s.kind === 'bench')
    .map((source) => ({ source, tasks: (doc.bench?.tasks ?? []).filter((t) => t.source === source.id) }));
}

/** The health of a run from its source. */
export function healthOf(run: BenchRun): RunHealth {
  return runHealth(run.source.environment, run.source.settings, run.tasks);
}

// --- the band -------------------------------------------------------------------------------------

function firstOk(tasks: readonly BenchTask[]): Map<string, BenchTask> {
  const m = new Map<string, BenchTask>();
  for (const t of tasks) if (!m.has(t.id)) m.set(t.id, t);
  return m;
}

/** A task's throughput and relative 95% margin, normalised by its run's triad where there is one. */
function metric(
  t: BenchTask,
  triad: BenchTask | undefined,
): { value: number; margin: number; normalised: boolean } | null {
  if (t.status !== 'ok' || !(t.elementsPerSec! > 0)) return null;
  const rt = (t.rme ?? 0) / 100;
  const level = triad && triad.status === 'ok' ? triadLevel(triad) : undefined;
  if (!triad || t === triad || !(level! > 0)) return { value: t.elementsPerSec!, margin: rt, normalised: false };
  const rs = (triad.rme ?? 0) / 100;
  return { value: t.elementsPerSec! / level!, margin: Math.hypot(rt, rs), normalised: true };
}

/** A baseline measurement of a task: the task and the triad of its own run. */
export interface BaselineSample {
  task: BenchTask;
  triad?: BenchTask;
}

export function compareTasks(
  base: BenchTask,
  cur: BenchTask,
  minChange = DEFAULT_MIN_CHANGE,
  baseTriad?: BenchTask,
  curTriad?: BenchTask,
): TaskChange {
  return compareSamples([{ task: base, triad: baseTriad }], cur, minChange, curTriad);
}

/** Between-run spread of ln(ratio), pooled over the core tasks of one dtype and n (see the module comment). */
export interface PooledSpread {
  s: number;
  df: number;
}

/** Two-sided 95% quantiles of Student's t, df = 1 … 30 (standard tables). */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** t(0.975, df): the table to 30, then the Cornish–Fisher expansion around z = 1.95996 (error < 0.001). */
export function t975(df: number): number {
  if (!(df >= 1)) throw new RangeError(`t975: df = ${df}; allowed: df ≥ 1`);
  if (df <= 30) return T975[Math.floor(df) - 1]!;
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2);
}

/** The current task against one or more baseline runs of it (see the module comment, part 3). */
export function compareSamples(
  samples: readonly BaselineSample[],
  cur: BenchTask,
  minChange = DEFAULT_MIN_CHANGE,
  curTriad?: BenchTask,
  spread?: PooledSpread,
): TaskChange {
  const row = { id: cur.id, name: cur.name, kind: cur.kind, dtype: cur.dtype, n: cur.n };
  const ok = samples.filter((s) => s.task.status === 'ok' && s.task.elementsPerSec !== undefined);
  const b = ok.length > 0 ? ok.reduce((a, s) => a + s.task.elementsPerSec!, 0) / ok.length : null;
  const c = cur.status === 'ok' ? (cur.elementsPerSec ?? null) : null;
  let mb = ok.map((s) => metric(s.task, s.triad));
  let mc = metric(cur, curTriad);
  // Normalise all or none: a run without a triad makes every figure raw elements/s.
  if (mc && mb.every((m) => m) && mb.some((m) => m!.normalised !== mc!.normalised)) {
    mb = ok.map((s) => metric(s.task, undefined));
    mc = metric(cur, undefined);
  }
  if (b === null || c === null || !mc || mb.length === 0 || mb.some((m) => !m)) {
    return {
      ...row,
      base: b,
      current: c,
      change: null,
      noiseLow: null,
      noiseHigh: null,
      verdict: 'error',
      normalised: false,
    };
  }
  const ms = mb as { value: number; margin: number; normalised: boolean }[];
  const k = ms.length;
  const centre = Math.exp(ms.reduce((a, m) => a + Math.log(m.value), 0) / k);
  let low: number;
  let high: number;
  if (k >= 2 && spread && spread.df >= 1 && mc.normalised === ms[0]!.normalised) {
    // a prediction interval for one new run, in logs
    const h = t975(spread.df) * spread.s * Math.sqrt(1 + 1 / k);
    low = Math.exp(-h) - 1;
    high = Math.exp(h) - 1;
  } else {
    // the margins in quadrature: this run's, and the baseline's mean's
    const h = Math.hypot(mc.margin, Math.sqrt(ms.reduce((a, m) => a + m.margin ** 2, 0)) / k);
    low = -h;
    high = h;
  }
  const change = mc.value / centre - 1;
  // The triad's move between the runs widens the band on its side (part 4 of the module comment).
  const shift = mc.normalised ? triadShift(ok, curTriad) : 0;
  const widen = (edge: number, by: number): number => (by === 0 ? edge : Math.exp(Math.log1p(edge) + by) - 1);
  const noiseLow = widen(Math.min(low, -minChange), Math.min(0, shift));
  const noiseHigh = widen(Math.max(high, minChange), Math.max(0, shift));
  const judged = cur.kind !== 'stream' && cur.kind !== 'hand' && cur.kind !== 'peer';
  const verdict: Verdict = !judged
    ? 'reference'
    : change < noiseLow
      ? 'regression'
      : change > noiseHigh
        ? 'improvement'
        : 'within noise';
  return {
    ...row,
    base: b,
    current: c,
    change,
    noiseLow,
    noiseHigh,
    verdict,
    normalised: mc.normalised,
    ...(k > 1 ? { baselineRuns: k } : {}),
  };
}

/**
 * ln(baseline triad level ÷ this run's), the baseline's levels averaged in logs: how much a task's
 * ratio to the triad rises, with no change in its code, when its speed does not follow the
 * triad's (a step limited by arithmetic rather than memory). 0 where a level is missing.
 */
function triadShift(samples: readonly BaselineSample[], curTriad: BenchTask | undefined): number {
  const lc = curTriad ? (triadLevel(curTriad) ?? 0) : 0;
  const lb = samples.map((s) => (s.triad ? (triadLevel(s.triad) ?? 0) : 0));
  if (!(lc > 0) || lb.length === 0 || lb.some((l) => !(l > 0))) return 0;
  return lb.reduce((a, l) => a + Math.log(l), 0) / lb.length - Math.log(lc);
}

/**
 * The pooled between-run spread per engine, dtype and n (key `engine|dtype|n`) of a baseline's core
 * tasks that have two or more runs, each run divided by its own triad: the JS and wasm engines'
 * steps are pooled apart (another engine, another spread), as tasks are matched by id, which
 * names the engine.
 */
export function pooledSpreads(samples: ReadonlyMap<string, readonly BaselineSample[]>): Map<string, PooledSpread> {
  const acc = new Map<string, { ss: number; df: number }>();
  for (const list of samples.values()) {
    const ok = list.filter((x) => x.task.status === 'ok');
    if (ok.length < 2 || ok[0]!.task.kind !== 'core') continue;
    const ms = ok.map((x) => metric(x.task, x.triad));
    if (ms.some((m) => !m) || ms.some((m) => m!.normalised !== ms[0]!.normalised)) continue;
    const xs = ms.map((m) => Math.log(m!.value));
    const mean = xs.reduce((a, x) => a + x, 0) / xs.length;
    const key = `${ok[0]!.task.engine}|${ok[0]!.task.dtype}|${ok[0]!.task.n}`;
    const a = acc.get(key) ?? { ss: 0, df: 0 };
    a.ss += xs.reduce((q, x) => q + (x - mean) ** 2, 0);
    a.df += xs.length - 1;
    acc.set(key, a);
  }
  return new Map([...acc].map(([key, a]) => [key, { s: Math.sqrt(a.ss / a.df), df: a.df }]));
}

/**
 * Every run of each task in the baseline runs, with the triad of the same run, dtype and n. A task
 * that failed in some runs is judged by the runs where it succeeded.
 */
function baselineSamples(runs: readonly BenchRun[]): Map<string, BaselineSample[]> {
  const out = new Map<string, BaselineSample[]>();
  for (const run of runs) {
    const triads = new Map<string, BenchTask>();
    for (const t of run.tasks)
      if (t.kind === 'stream' && t.name === 'triad' && !triads.has(`${t.dtype}|${t.n}`))
        triads.set(`${t.dtype}|${t.n}`, t);
    for (const t of run.tasks) {
      const list = out.get(t.id) ?? [];
      list.push({ task: t, triad: triads.get(`${t.dtype}|${t.n}`) });
      out.set(t.id, list);
    }
  }
  // Keep the successful runs where there are any; else the first (reported as an error).
  for (const [id, list] of out) {
    const ok = list.filter((x) => x.task.status === 'ok');
    out.set(id, ok.length > 0 ? ok : list.slice(0, 1));
  }
  return out;
}

function triadOf(m: Map<string, BenchTask>, t: BenchTask): BenchTask | undefined {
  for (const x of m.values())
    if (x.kind === 'stream' && x.name === 'triad' && x.dtype === t.dtype && x.n === t.n) return x;
  return undefined;
}

/** What `bench --baseline` and the regression view say when two runs measured loops of another form. */
export function loopFormNote(baseline: number | string, current: number | string): string {
  return `the baseline's loops ran ${baseline} element(s) per iteration, this run's ${current}: the triad itself changed, so ratios to it compare different loops`;
}

function lawChanges(current: ResultsDoc, baseline: ResultsDoc): LawChange[] {
  const laws: LawChange[] = [];
  const cell = (doc: ResultsDoc, law: string, s: string): string => {
    const cs = doc.verify?.cases.filter((c) => c.lawId === law && c.subject === s) ?? [];
    return cs.length === 0 ? 'not run' : cs.some((c) => c.status === 'fail') ? 'fail' : 'pass';
  };
  for (const l of current.verify?.laws ?? []) {
    for (const s of current.verify?.subjects ?? []) {
      const now = cell(current, l.id, s);
      const then = cell(baseline, l.id, s);
      if (now !== then && now !== 'not run' && then !== 'not run')
        laws.push({ law: l.id, subject: s, base: then, current: now });
    }
  }
  return laws;
}

/**
 * Which baseline runs the current runs may be judged against, or the one sentence saying why none.
 */
function admissible(
  cur: readonly BenchRun[],
  base: readonly BenchRun[],
  anyMachine: boolean,
): { runs: BenchRun[]; why: string | null; acrossMachines: string | null } {
  const none = (why: string): { runs: BenchRun[]; why: string; acrossMachines: null } => ({
    runs: [],
    why,
    acrossMachines: null,
  });
  if (cur.length === 0) return none('No verdicts: this run has no benchmark results.');
  if (base.length === 0) return none('No verdicts: the baseline has no benchmark results.');
  const machines = new Set(cur.map((r) => machineOf(r.source.environment).key));
  const settings = new Set(cur.map((r) => settingsOf(r.source.settings).key));
  const curMachine = machineOf(cur[0]!.source.environment);
  const curSettings = settingsOf(cur[0]!.source.settings);
  const sameMachine = base.filter((r) => machines.has(machineOf(r.source.environment).key));
  let pool = anyMachine ? [...base] : sameMachine;
  // This run's own health: the reason when nothing else stands in the way, else said beside it.
  const sick = [...new Set(cur.map((r) => healthOf(r)).flatMap((h) => h.reasons))];
  const besides = sick.length > 0 ? ` This run's own figures are unreliable besides (${sick.join(', and ')}).` : '';
  if (pool.length === 0) {
    const other = machineOf(base[0]!.source.environment);
    return none(
      `No verdicts: the baseline was measured on another machine (${other.text}; this run: ${curMachine.text}), and figures from different machines are not comparable; make a baseline on this machine (docs/benchmarking.md) or pass --baseline-any-machine to compare anyway.${besides}`,
    );
  }
  const sameSettings = pool.filter((r) => settings.has(settingsOf(r.source.settings).key));
  if (sameSettings.length === 0) {
    return none(
      `No verdicts: the baseline was measured with other settings (${settingsOf(pool[0]!.source.settings).text}; this run: ${curSettings.text}), so its figures mean something else; compare runs made with the same settings.${besides}`,
    );
  }
  pool = sameSettings;
  if (sick.length > 0) {
    return none(
      `No verdicts: this run's throughput figures are unreliable, because ${sick.join(', and ')}; measure again on a quiet machine.`,
    );
  }
  const healthy = pool.filter((r) => healthOf(r).reliable);
  if (healthy.length === 0) {
    return none(
      `No verdicts: the baseline's runs are unreliable, because ${[...new Set(pool.flatMap((r) => healthOf(r).reasons))].join(', and ')}.`,
    );
  }
  const foreign = healthy.filter((r) => !machines.has(machineOf(r.source.environment).key));
  const acrossMachines =
    foreign.length === 0
      ? null
      : `Compared across machines because --baseline-any-machine was given: the baseline ran on ${[...new Set(foreign.map((r) => machineOf(r.source.environment).text))].join('; ')}, this run on ${curMachine.text}; a change may be the machine's, not the code's.`;
  return { runs: healthy, why: null, acrossMachines };
}

/** The current results against a baseline: the one judge (see the module comment). */
export function regression(
  current: ResultsDoc,
  baseline: ResultsDoc,
  options: RegressionOptions | number = {},
): Regression {
  const opts = typeof options === 'number' ? { minChange: options } : options;
  const minChange = opts.minChange ?? DEFAULT_MIN_CHANGE;
  const laws = lawChanges(current, baseline);
  const lawRegressions = laws.filter((l) => l.current === 'fail').length;
  const curRuns = benchRuns(current);
  const { runs, why, acrossMachines } = admissible(curRuns, benchRuns(baseline), opts.anyMachine ?? false);
  if (why !== null) {
    return {
      judged: false,
      why,
      acrossMachines: null,
      baselineRuns: 0,
      tasks: [],
      laws,
      regressions: lawRegressions,
      improvements: 0,
      minChange,
      warnings: [],
    };
  }
  const cur = firstOk(curRuns.flatMap((r) => r.tasks));
  const samples = baselineSamples(runs);
  const spreads = pooledSpreads(samples);
  const tasks: TaskChange[] = [];
  for (const [id, t] of cur) {
    const b = samples.get(id);
    if (!b)
      tasks.push({
        id,
        name: t.name,
        kind: t.kind,
        dtype: t.dtype,
        n: t.n,
        base: null,
        current: t.elementsPerSec ?? null,
        change: null,
        noiseLow: null,
        noiseHigh: null,
        verdict: 'new',
      });
    else tasks.push(compareSamples(b, t, minChange, triadOf(cur, t), spreads.get(`${t.engine}|${t.dtype}|${t.n}`)));
  }
  for (const [id, list] of samples) {
    const b = list[0]!.task;
    if (!cur.has(id))
      tasks.push({
        id,
        name: b.name,
        kind: b.kind,
        dtype: b.dtype,
        n: b.n,
        base: b.elementsPerSec ?? null,
        current: null,
        change: null,
        noiseLow: null,
        noiseHigh: null,
        verdict: 'missing',
      });
  }
  const warnings: string[] = [];
  // Elements per loop iteration of each run (settings.unroll; absent before loops were unrolled).
  const unrolls = (rs: readonly BenchRun[]): string =>
    [...new Set(rs.map((r) => Number(r.source.settings.unroll ?? 1)))].sort((a, b) => a - b).join('/');
  const [ub, uc] = [unrolls(runs), unrolls(curRuns)];
  if (ub !== uc) warnings.push(loopFormNote(ub, uc));
  return {
    judged: true,
    why: null,
    acrossMachines,
    baselineRuns: runs.length,
    tasks,
    laws,
    minChange,
    warnings,
    regressions: tasks.filter((t) => t.verdict === 'regression').length + lawRegressions,
    improvements: tasks.filter((t) => t.verdict === 'improvement').length,
  };
}

/** The judgement as terminal lines (bench --compare, run, report). */
export function formatRegression(g: Regression, baselineLabel: string): string[] {
  const pct = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)}%`;
  const lines: string[] = [];
  if (!g.judged) lines.push(`against ${baselineLabel}: ${g.why}`);
  else {
    const compared = g.tasks.filter((t) => t.change !== null && t.verdict !== 'reference').length;
    lines.push(
      `against ${baselineLabel} (${g.baselineRuns} run${g.baselineRuns === 1 ? '' : 's'}): ${compared} tasks compared by their ratio to the triad; ${g.tasks.filter((t) => t.verdict === 'regression').length} regression(s), ${g.improvements} improvement(s)`,
    );
    if (g.acrossMachines) lines.push(`  note: ${g.acrossMachines}`);
    for (const w of g.warnings) lines.push(`  note: ${w}`);
    for (const t of g.tasks.filter((x) => x.verdict === 'regression' || x.verdict === 'improvement')) {
      lines.push(
        `  ${t.verdict === 'regression' ? 'REGRESSION' : 'improved  '} ${t.id}: ${pct(t.change!)} (noise band ${pct(t.noiseLow!)} … ${pct(t.noiseHigh!)})`,
      );
    }
    const missing = g.tasks.filter((t) => t.verdict === 'missing');
    if (missing.length)
      lines.push(
        `  not measured in this run: ${missing.length} baseline task(s), e.g. ${missing
          .slice(0, 3)
          .map((t) => t.id)
          .join(', ')}`,
      );
  }
  for (const l of g.laws) lines.push(`  law ${l.law} ${l.subject}: ${l.base} → ${l.current}`);
  return lines;
}
