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
 */
import type { BenchTask, ResultsDoc } from './types.js';

/** The floor on |change| by default (as optimlab bench --noise-floor). */
export const DEFAULT_MIN_CHANGE = 0.05;

/**
 * 'reference': the triad and copy measure the machine, and the hand-written loops measure what a
 * plain JS loop reaches on it; they are not our code. Shown, never judged.
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

export function compareTasks(base: BenchTask, cur: BenchTask, minChange = DEFAULT_MIN_CHANGE, baseTriad?: BenchTask, curTriad?: BenchTask): TaskChange {
  const row = { id: cur.id, name: cur.name, kind: cur.kind, dtype: cur.dtype, n: cur.n };
  const b = base.status === 'ok' ? base.elementsPerSec ?? null : null;
  const c = cur.status === 'ok' ? cur.elementsPerSec ?? null : null;
  let mb = metric(base, baseTriad);
  let mc = metric(cur, curTriad);
  if (mb && mc && mb.normalised !== mc.normalised) {
    mb = metric(base, undefined);
    mc = metric(cur, undefined);
  }
  if (b === null || c === null || !mb || !mc) {
    return { ...row, base: b, current: c, change: null, noiseLow: null, noiseHigh: null, verdict: 'error', normalised: false };
  }
  const change = mc.value / mb.value - 1;
  const noiseLow = Math.min((1 - mb.margin) / (1 + mc.margin) - 1, -minChange);
  const noiseHigh = Math.max((1 + mb.margin) / Math.max(1e-12, 1 - mc.margin) - 1, minChange);
  const verdict: Verdict = cur.kind === 'stream' || cur.kind === 'hand' ? 'reference' : change < noiseLow ? 'regression' : change > noiseHigh ? 'improvement' : 'within noise';
  return { ...row, base: b, current: c, change, noiseLow, noiseHigh, verdict, normalised: mc.normalised };
}

function triadOf(m: Map<string, BenchTask>, t: BenchTask): BenchTask | undefined {
  for (const x of m.values()) if (x.kind === 'stream' && x.name === 'triad' && x.dtype === t.dtype && x.n === t.n) return x;
  return undefined;
}

export function regression(current: ResultsDoc, baseline: ResultsDoc, minChange = DEFAULT_MIN_CHANGE): Regression {
  const cur = firstOk(current.bench?.tasks ?? []);
  const base = firstOk(baseline.bench?.tasks ?? []);
  const tasks: TaskChange[] = [];
  for (const [id, t] of cur) {
    const b = base.get(id);
    if (!b) tasks.push({ id, name: t.name, kind: t.kind, dtype: t.dtype, n: t.n, base: null, current: t.elementsPerSec ?? null, change: null, noiseLow: null, noiseHigh: null, verdict: 'new' });
    else tasks.push(compareTasks(b, t, minChange, triadOf(base, t), triadOf(cur, t)));
  }
  for (const [id, b] of base) {
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
  const unrolls = (doc: ResultsDoc): Set<number> => new Set(doc.sources.filter((s) => s.kind === 'bench').map((s) => Number(s.settings.unroll ?? 1)));
  const [ub, uc] = [[...unrolls(baseline)], [...unrolls(current)]];
  if (ub.length > 0 && uc.length > 0 && (ub.length !== uc.length || ub.some((u) => !uc.includes(u)))) {
    warnings.push(`the baseline's loops ran ${ub.join('/')} element(s) per iteration, this run's ${uc.join('/')}: the triad itself changed, so ratios to it compare different loops`);
  }
  return {
    tasks, laws, minChange, warnings,
    regressions: tasks.filter((t) => t.verdict === 'regression').length + laws.filter((l) => l.current === 'fail').length,
    improvements: tasks.filter((t) => t.verdict === 'improvement').length,
  };
}
