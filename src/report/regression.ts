/**
 * The regression view: each bench task of the current results against the same task (same id:
 * kind, name, dtype, n) in a baseline results document.
 *
 * What is compared: a task's throughput relative to the STREAM triad measured in the same run at
 * the same n and dtype (elements/s ÷ the triad's elements/s), as `optimlab bench --compare` does.
 * A machine that is busier or slower as a whole (a shared CI runner, another job at the same time)
 * moves the triad too and cancels out; a change in our code does not. Tasks without a triad in
 * their run (and the triad itself) are compared on raw elements/s.
 *
 * The rule, with the bench document's own noise measure: each run's ratio has a relative 95%
 * margin r = √(rme_task² + rme_triad²)/100 (rme: half-width of the 95% interval of the mean
 * latency). A task is a regression when the current interval lies entirely below the baseline's,
 *
 *     ratio_cur · (1 + r_cur) < ratio_base · (1 − r_base),
 *
 * i.e. change = ratio_cur/ratio_base − 1 < (1 − r_base)/(1 + r_cur) − 1, and also |change| ≥
 * `minChange` (default 5%, the default of `optimlab bench --noise-floor`); an improvement when the
 * intervals are apart the other way.
 *
 * Several baseline runs. A baseline merged from k ≥ 2 runs on one machine (`optimlab report
 * --merge`) holds each task k times, and their spread is the noise that matters: the spread
 * between runs, which no within-run rme sees. Measured here, the same code's sgd float64 at
 * n = 4e6 ran 367 and 642 Melem/s in two `npm start` runs, while n = 1e5 tasks moved a few percent;
 * a baseline of one run flagged 14–23 of its own code's tasks in each of three later runs. So with
 * several runs the rule is a prediction interval for one new run:
 *
 *   - each run's ratio v_i is taken with its own run's triad, in logs: x_i = ln v_i;
 *   - the between-run variance s² is pooled over the optimizers (core tasks) of the same dtype and
 *     n, which share the machine's behaviour at that size: s² = Σ_tasks Σ_i (x_i − x̄)² / df,
 *     df = Σ_tasks (k − 1);
 *   - a task is a regression when ln(ratio_cur) < x̄ − h and the change is at least `minChange`,
 *     with h = t(0.975, df) · s · √(1 + 1/k) (Student's t: the new run and the estimated centre
 *     both vary); an improvement the other way. The change is taken from the centre e^x̄.
 *
 * Against three merged runs, a fourth run of the same code flagged 2 of 200 tasks (both −5.5%, at
 * a band of ±2.3%); the band at n = 4e6, float64, was ±46%: a change smaller than that cannot be
 * told from this machine's noise there. Where no pooled spread exists (a task alone at its size),
 * the band spans the runs' intervals [min v_i·(1 − r_i), max v_i·(1 + r_i)].
 */
import { loopFormNote } from '../optimizers/kernel.js';
import type { BenchTask, ResultsDoc } from './types.js';

/** The floor on |change| by default (as optimlab bench --noise-floor). */
export const DEFAULT_MIN_CHANGE = 0.05;

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
  tasks: TaskChange[];
  laws: LawChange[];
  regressions: number;
  improvements: number;
  minChange: number;
  /** What makes the two runs less comparable (loops of another form). */
  warnings: string[];
}

function firstOk(tasks: readonly BenchTask[]): Map<string, BenchTask> {
  const m = new Map<string, BenchTask>();
  for (const t of tasks) if (!m.has(t.id)) m.set(t.id, t);
  return m;
}

/** A task's throughput and relative 95% margin, normalised by its run's triad where there is one. */
function metric(t: BenchTask, triad: BenchTask | undefined): { value: number; margin: number; normalised: boolean } | null {
  if (t.status !== 'ok' || !(t.elementsPerSec! > 0)) return null;
  const rt = (t.rme ?? 0) / 100;
  if (!triad || t === triad || triad.status !== 'ok' || !(triad.elementsPerSec! > 0)) return { value: t.elementsPerSec!, margin: rt, normalised: false };
  const rs = (triad.rme ?? 0) / 100;
  return { value: t.elementsPerSec! / triad.elementsPerSec!, margin: Math.hypot(rt, rs), normalised: true };
}

/** A baseline measurement of a task: the task and the triad of its own run. */
export interface BaselineSample { task: BenchTask; triad?: BenchTask }

export function compareTasks(base: BenchTask, cur: BenchTask, minChange = DEFAULT_MIN_CHANGE, baseTriad?: BenchTask, curTriad?: BenchTask): TaskChange {
  return compareSamples([{ task: base, triad: baseTriad }], cur, minChange, curTriad);
}

/** Between-run spread of ln(ratio), pooled over the core tasks of one dtype and n (see the module comment). */
export interface PooledSpread { s: number; df: number }

/** Two-sided 95% quantiles of Student's t, df = 1 … 30 (standard tables). */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
  2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042];

/** t(0.975, df): the table to 30, then the Cornish–Fisher expansion around z = 1.95996 (error < 0.001). */
export function t975(df: number): number {
  if (!(df >= 1)) throw new RangeError(`t975: df = ${df}; allowed: df ≥ 1`);
  if (df <= 30) return T975[Math.floor(df) - 1]!;
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2);
}

/** The current task against one or more baseline runs of it (see the module comment). */
export function compareSamples(samples: readonly BaselineSample[], cur: BenchTask, minChange = DEFAULT_MIN_CHANGE, curTriad?: BenchTask, spread?: PooledSpread): TaskChange {
  const row = { id: cur.id, name: cur.name, kind: cur.kind, dtype: cur.dtype, n: cur.n };
  const ok = samples.filter((s) => s.task.status === 'ok' && s.task.elementsPerSec !== undefined);
  const b = ok.length > 0 ? ok.reduce((a, s) => a + s.task.elementsPerSec!, 0) / ok.length : null;
  const c = cur.status === 'ok' ? cur.elementsPerSec ?? null : null;
  let mb = ok.map((s) => metric(s.task, s.triad));
  let mc = metric(cur, curTriad);
  // Normalise all or none: a run without a triad makes every figure raw elements/s.
  if (mc && mb.every((m) => m) && mb.some((m) => m!.normalised !== mc!.normalised)) {
    mb = ok.map((s) => metric(s.task, undefined));
    mc = metric(cur, undefined);
  }
  if (b === null || c === null || !mc || mb.length === 0 || mb.some((m) => !m)) {
    return { ...row, base: b, current: c, change: null, noiseLow: null, noiseHigh: null, verdict: 'error', normalised: false };
  }
  const ms = mb as { value: number; margin: number; normalised: boolean }[];
  const k = ms.length;
  let centre: number;
  let low: number;
  let high: number;
  if (k >= 2 && spread && spread.df >= 1 && mc.normalised === ms[0]!.normalised) {
    // prediction interval for one new run, in logs
    centre = Math.exp(ms.reduce((a, m) => a + Math.log(m.value), 0) / k);
    const h = t975(spread.df) * spread.s * Math.sqrt(1 + 1 / k);
    low = Math.exp(-h) - 1;
    high = Math.exp(h) - 1;
  } else {
    // the runs' own intervals (one run: the rule of the module comment)
    centre = ms.reduce((a, m) => a + m.value, 0) / k;
    low = Math.min(...ms.map((m) => m.value * (1 - m.margin))) / (centre * (1 + mc.margin)) - 1;
    high = Math.max(...ms.map((m) => m.value * (1 + m.margin))) / (centre * Math.max(1e-12, 1 - mc.margin)) - 1;
  }
  const change = mc.value / centre - 1;
  const noiseLow = Math.min(low, -minChange);
  const noiseHigh = Math.max(high, minChange);
  const judged = cur.kind !== 'stream' && cur.kind !== 'hand' && cur.kind !== 'peer';
  const verdict: Verdict = !judged ? 'reference' : change < noiseLow ? 'regression' : change > noiseHigh ? 'improvement' : 'within noise';
  return { ...row, base: b, current: c, change, noiseLow, noiseHigh, verdict, normalised: mc.normalised, ...(k > 1 ? { baselineRuns: k } : {}) };
}

/**
 * The pooled between-run spread per dtype and n (key `dtype|n`) of a baseline's core tasks that
 * have two or more runs, each run divided by its own triad.
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
    const key = `${ok[0]!.task.dtype}|${ok[0]!.task.n}`;
    const a = acc.get(key) ?? { ss: 0, df: 0 };
    a.ss += xs.reduce((q, x) => q + (x - mean) ** 2, 0);
    a.df += xs.length - 1;
    acc.set(key, a);
  }
  return new Map([...acc].map(([key, a]) => [key, { s: Math.sqrt(a.ss / a.df), df: a.df }]));
}

/**
 * Every run of each task in a baseline, with the triad of the same run (source), dtype and n.
 * A task that failed in some runs is judged by the runs where it succeeded.
 */
function baselineSamples(tasks: readonly (BenchTask & { source?: string })[]): Map<string, BaselineSample[]> {
  const triads = new Map<string, BenchTask>();
  for (const t of tasks) {
    const key = `${t.source ?? ''}|${t.dtype}|${t.n}`;
    if (t.kind === 'stream' && t.name === 'triad' && !triads.has(key)) triads.set(key, t);
  }
  const out = new Map<string, BaselineSample[]>();
  for (const t of tasks) {
    const list = out.get(t.id) ?? [];
    list.push({ task: t, triad: triads.get(`${t.source ?? ''}|${t.dtype}|${t.n}`) });
    out.set(t.id, list);
  }
  // Keep the successful runs where there are any; else the first (reported as an error).
  for (const [id, list] of out) {
    const ok = list.filter((x) => x.task.status === 'ok');
    out.set(id, ok.length > 0 ? ok : list.slice(0, 1));
  }
  return out;
}

function triadOf(m: Map<string, BenchTask>, t: BenchTask): BenchTask | undefined {
  for (const x of m.values()) if (x.kind === 'stream' && x.name === 'triad' && x.dtype === t.dtype && x.n === t.n) return x;
  return undefined;
}

export function regression(current: ResultsDoc, baseline: ResultsDoc, minChange = DEFAULT_MIN_CHANGE): Regression {
  const cur = firstOk(current.bench?.tasks ?? []);
  const samples = baselineSamples(baseline.bench?.tasks ?? []);
  const spreads = pooledSpreads(samples);
  const tasks: TaskChange[] = [];
  for (const [id, t] of cur) {
    const b = samples.get(id);
    if (!b) tasks.push({ id, name: t.name, kind: t.kind, dtype: t.dtype, n: t.n, base: null, current: t.elementsPerSec ?? null, change: null, noiseLow: null, noiseHigh: null, verdict: 'new' });
    else tasks.push(compareSamples(b, t, minChange, triadOf(cur, t), spreads.get(`${t.dtype}|${t.n}`)));
  }
  for (const [id, list] of samples) {
    const b = list[0]!.task;
    if (!cur.has(id)) tasks.push({ id, name: b.name, kind: b.kind, dtype: b.dtype, n: b.n, base: b.elementsPerSec ?? null, current: null, change: null, noiseLow: null, noiseHigh: null, verdict: 'missing' });
  }
  const laws: LawChange[] = [];
  const cell = (doc: ResultsDoc, law: string, s: string): string => {
    const cs = doc.verify?.cases.filter((c) => c.lawId === law && c.subject === s) ?? [];
    return cs.length === 0 ? 'not run' : cs.some((c) => c.status === 'fail') ? 'fail' : 'pass';
  };
  for (const l of current.verify?.laws ?? []) {
    for (const s of current.verify?.subjects ?? []) {
      const now = cell(current, l.id, s);
      const then = cell(baseline, l.id, s);
      if (now !== then && now !== 'not run' && then !== 'not run') laws.push({ law: l.id, subject: s, base: then, current: now });
    }
  }
  const warnings: string[] = [];
  // Elements per loop iteration of each bench source (settings.unroll; absent before loops were unrolled).
  const unrolls = (doc: ResultsDoc): Set<number> => new Set(doc.sources.filter((s) => s.kind === 'bench').map((s) => Number(s.settings.unroll ?? 1)).sort((a, b) => a - b));
  const [ub, uc] = [[...unrolls(baseline)].join('/'), [...unrolls(current)].join('/')];
  if (ub && uc && ub !== uc) warnings.push(loopFormNote(ub, uc));
  return {
    tasks, laws, minChange, warnings,
    regressions: tasks.filter((t) => t.verdict === 'regression').length + laws.filter((l) => l.current === 'fail').length,
    improvements: tasks.filter((t) => t.verdict === 'improvement').length,
  };
}
