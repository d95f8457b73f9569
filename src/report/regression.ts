/**
 * The regression view: each bench task of the current results against the same task (same id:
 * kind, name, dtype, n) in a baseline results document.
 *
 * The rule, with the bench document's own noise measure: a task's mean step latency L has a 95%
 * interval L·(1 ± rme/100). A task is a regression when the current interval lies entirely above
 * the baseline's (slower beyond the noise of both runs):
 *
 *     L_cur · (1 − rme_cur/100) > L_base · (1 + rme_base/100),
 *
 * equivalently, in throughput, change = cur/base − 1 < (1 − rme_cur/100)/(1 + rme_base/100) − 1;
 * an improvement when the intervals are apart the other way. `minChange` (default 0) adds a floor
 * on |change| for machines whose run-to-run spread exceeds the within-run rme; `optimlab report`
 * and `optimlab run` use 5%, the default of `optimlab bench --noise-floor`.
 */
import type { BenchTask, ResultsDoc } from './types.js';

/** The floor on |change| by default (as optimlab bench --noise-floor). */
export const DEFAULT_MIN_CHANGE = 0.05;

export type Verdict = 'regression' | 'improvement' | 'within noise' | 'new' | 'missing' | 'error';

export interface TaskChange {
  id: string;
  name: string;
  kind: string;
  dtype: string;
  n: number;
  base: number | null;
  current: number | null;
  /** current / base − 1 (throughput). */
  change: number | null;
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
}

function firstOk(tasks: readonly BenchTask[]): Map<string, BenchTask> {
  const m = new Map<string, BenchTask>();
  for (const t of tasks) if (!m.has(t.id)) m.set(t.id, t);
  return m;
}

export function compareTasks(base: BenchTask, cur: BenchTask, minChange = DEFAULT_MIN_CHANGE): TaskChange {
  const row = { id: cur.id, name: cur.name, kind: cur.kind, dtype: cur.dtype, n: cur.n };
  const b = base.status === 'ok' ? base.elementsPerSec ?? null : null;
  const c = cur.status === 'ok' ? cur.elementsPerSec ?? null : null;
  if (b === null || c === null || !(b > 0) || !(c > 0)) {
    return { ...row, base: b, current: c, change: null, noiseLow: null, noiseHigh: null, verdict: 'error' };
  }
  const rb = (base.rme ?? 0) / 100;
  const rc = (cur.rme ?? 0) / 100;
  const change = c / b - 1;
  const noiseLow = Math.min((1 - rc) / (1 + rb) - 1, -minChange);
  const noiseHigh = Math.max((1 + rc) / Math.max(1e-12, 1 - rb) - 1, minChange);
  const verdict: Verdict = change < noiseLow ? 'regression' : change > noiseHigh ? 'improvement' : 'within noise';
  return { ...row, base: b, current: c, change, noiseLow, noiseHigh, verdict };
}

export function regression(current: ResultsDoc, baseline: ResultsDoc, minChange = DEFAULT_MIN_CHANGE): Regression {
  const cur = firstOk(current.bench?.tasks ?? []);
  const base = firstOk(baseline.bench?.tasks ?? []);
  const tasks: TaskChange[] = [];
  for (const [id, t] of cur) {
    const b = base.get(id);
    if (!b) tasks.push({ id, name: t.name, kind: t.kind, dtype: t.dtype, n: t.n, base: null, current: t.elementsPerSec ?? null, change: null, noiseLow: null, noiseHigh: null, verdict: 'new' });
    else tasks.push(compareTasks(b, t, minChange));
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
  return {
    tasks, laws, minChange,
    regressions: tasks.filter((t) => t.verdict === 'regression').length + laws.filter((l) => l.current === 'fail').length,
    improvements: tasks.filter((t) => t.verdict === 'improvement').length,
  };
}
