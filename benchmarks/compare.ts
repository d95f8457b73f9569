/**
 * `--compare BASELINE.json`: which tasks got slower relative to the machine's own limit.
 *
 * The compared figure is each task's ratio to the triad (bytes/s ÷ triad bytes/s, same n and
 * dtype, same run), which cancels most of the drift between machines and runs. Its noise comes
 * from the rme (95% half-width of the mean latency, in %) of four measurements: the task and its
 * triad, in both runs. Relative errors of a ratio of two runs' ratios add in quadrature:
 *
 *   noise = √(rme_task,new² + rme_triad,new² + rme_task,base² + rme_triad,base²)   (percent)
 *
 * A task regresses when its ratio fell by more than max(noise, floor) percent. The floor (default
 * 5%) is there because rme measures the spread within one process only: between processes, JIT
 * decisions, memory placement and neighbours on a shared machine move figures by a few percent
 * that no within-run statistic sees. Set it to 0 to judge by the measured noise alone.
 */
import { loopFormNote } from '../src/optimizers/kernel.js';
import type { BenchResults, TaskResult } from './schema.js';
import { RESULTS_FORMAT, RESULTS_VERSION } from './schema.js';

export interface TaskChange {
  id: string;
  baseRatio: number;
  newRatio: number;
  /** (new / base − 1) × 100: negative when the task got slower relative to the triad. */
  changePct: number;
  /** The quadrature noise above, in percent. */
  noisePct: number;
  /** max(noise, floor): how far the ratio may fall before it is flagged. */
  allowedPct: number;
}

export interface Comparison {
  baseline: string;
  floorPct: number;
  compared: TaskChange[];
  regressions: TaskChange[];
  improvements: TaskChange[];
  /** Tasks in the baseline that this run did not measure (or that failed here). */
  missing: string[];
  /** Tasks of this run with no usable counterpart in the baseline. */
  unmatched: string[];
  /** Differences of environment worth knowing (another CPU, Node, ...). */
  warnings: string[];
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

function triadRme(r: BenchResults, t: TaskResult): number | undefined {
  return r.tasks.find((x) => x.id === `stream:triad:${t.dtype}:${t.n}`)?.rme;
}

const usable = (t: TaskResult | undefined): t is TaskResult & { ratioToTriad: number; rme: number } =>
  t !== undefined && t.status === 'ok' && typeof t.ratioToTriad === 'number' && t.ratioToTriad > 0 && typeof t.rme === 'number';

export function compareResults(current: BenchResults, baseline: BenchResults, baselineName: string, floorPct = 5): Comparison {
  const base = new Map(baseline.tasks.map((t) => [t.id, t]));
  const seen = new Set<string>();
  const compared: TaskChange[] = [];
  const unmatched: string[] = [];
  for (const t of current.tasks) {
    if (t.kind === 'stream' && t.name === 'triad') continue; // its ratio is 1 by definition
    const b = base.get(t.id);
    if (!usable(t)) continue;
    if (!usable(b)) { unmatched.push(t.id); continue; }
    seen.add(t.id);
    const rmes = [t.rme, triadRme(current, t), b.rme, triadRme(baseline, b)];
    if (rmes.some((x) => x === undefined)) { unmatched.push(t.id); continue; }
    const noisePct = Math.sqrt(rmes.reduce((s: number, x) => s + x! * x!, 0));
    const changePct = (t.ratioToTriad / b.ratioToTriad - 1) * 100;
    compared.push({ id: t.id, baseRatio: b.ratioToTriad, newRatio: t.ratioToTriad, changePct, noisePct, allowedPct: Math.max(noisePct, floorPct) });
  }
  const missing = baseline.tasks
    .filter((b) => usable(b) && !(b.kind === 'stream' && b.name === 'triad') && !seen.has(b.id))
    .map((b) => b.id);
  const warnings: string[] = [];
  const e1 = baseline.environment;
  const e2 = current.environment;
  if (e1.cpuModel !== e2.cpuModel || e1.cores !== e2.cores) warnings.push(`another machine: baseline ran on ${e1.cpuModel} (${e1.cores} cores), this run on ${e2.cpuModel} (${e2.cores} cores)`);
  if (e1.node !== e2.node) warnings.push(`another Node: baseline ${e1.node}, this run ${e2.node}`);
  for (const [label, r] of [['the baseline', baseline], ['this run', current]] as const) {
    const load = Math.max(r.environment.loadAverageStart?.[0] ?? 0, r.environment.loadAverageEnd?.[0] ?? 0);
    if (load > r.environment.cores) { // the benchmark itself adds 1
      warnings.push(`${label} ran on a busy machine (1-minute load average up to ${load.toFixed(1)} on ${r.environment.cores} cores): rme sees only the spread within the run, so contention between runs can pass for a regression`);
    }
  }
  const [u1, u2] = [baseline.settings.unroll ?? 1, current.settings.unroll ?? 1];
  if (u1 !== u2) warnings.push(loopFormNote(u1, u2));
  if (baseline.settings.quick !== current.settings.quick) warnings.push('one of the runs is a --quick smoke run: its figures are rough');
  return {
    baseline: baselineName,
    floorPct,
    compared,
    regressions: compared.filter((c) => c.changePct < -c.allowedPct),
    improvements: compared.filter((c) => c.changePct > c.allowedPct),
    missing,
    unmatched,
    warnings,
  };
}

/** The comparison as terminal lines. */
export function formatComparison(c: Comparison): string[] {
  const pct = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(1)}%`;
  const lines = [`compare with ${c.baseline}: ${c.compared.length} tasks compared by their ratio to the triad; allowed fall = max(noise from the rme of both runs, ${c.floorPct}%)`];
  for (const w of c.warnings) lines.push(`  warning: ${w}`);
  if (c.regressions.length === 0) lines.push('  no regression');
  for (const r of c.regressions) {
    lines.push(`  REGRESSION ${r.id}: ratio to triad ${r.baseRatio.toFixed(3)} -> ${r.newRatio.toFixed(3)} (${pct(r.changePct)}; allowed −${r.allowedPct.toFixed(1)}%, noise ${r.noisePct.toFixed(1)}%)`);
  }
  for (const r of c.improvements) lines.push(`  improved   ${r.id}: ${r.baseRatio.toFixed(3)} -> ${r.newRatio.toFixed(3)} (${pct(r.changePct)})`);
  if (c.missing.length) lines.push(`  not measured in this run: ${c.missing.length} baseline task(s), e.g. ${c.missing.slice(0, 3).join(', ')}`);
  if (c.unmatched.length) lines.push(`  not in the baseline: ${c.unmatched.length} task(s), e.g. ${c.unmatched.slice(0, 3).join(', ')}`);
  return lines;
}
