/**
 * The law suite as a library: select cases (by law ID and optimizer), run them, and return the
 * law × optimizer table that `optimlab verify` prints and the reports read (schema
 * 'optimlab.verify/1', documented in properties/SCHEMA.md).
 */
import type { OptimizerEntry, Placement } from '../src/optimizers/define.js';
import { registry } from '../src/optimizers/registry.js';
import {
  cases,
  isStandalone,
  notApplicable,
  optOutAllowed,
  runCase,
  type CaseResult,
  type Law,
  type LawCase,
  type RunOptions,
  type StandaloneLaw,
  DEFAULT_SEED,
} from './framework.js';
import { allLaws } from './laws/index.js';
import { VERIFY_SCHEMA, type Cell, type VerifyDoc } from '../src/schema/verify.js';
import type { Reference } from '../reference/define.js';
import { optimlabVersion } from '../src/util/package.js';
import { NOT_APPLICABLE } from '../src/util/marks.js';

export type { Cell } from '../src/schema/verify.js';
/** The document `optimlab verify --json` writes: schema 'optimlab.verify/1' (src/schema/verify.ts). */
export type VerifyReport = VerifyDoc & {
  summary: { notRun: number };
  notRun: Record<string, Record<string, string>>;
  notApplicable: Record<string, Record<string, string>>;
};

export interface SuiteOptions extends RunOptions {
  /**
   * Where the optimizers laws create live and step, unless a law says otherwise: the suite under an
   * engine (properties/engines.ts). Default: plain typed arrays, the JS kernels.
   */
  placement?: Placement;
  /** Law IDs to run (exact, or a family letter such as 'E' for E1..E5). Default: all. */
  laws?: readonly string[];
  /** Law IDs (or family letters) to leave out, after `laws` selected. */
  exclude?: readonly string[];
  /** Optimizer names or standalone subjects to run. Default: all. */
  subjects?: readonly string[];
  /** Replay exactly this case id (with opts.replay). */
  caseId?: string;
  /** Registry to cross (default: the built-in registry; a maintainer passes theirs). */
  entries?: readonly OptimizerEntry[];
  /** Decimal references of outside optimizers (defineReference), matched to entries by name. */
  references?: readonly Reference[];
  /**
   * Command-line arguments that load the outside optimizers ('--module m.js'): a failure's replay
   * command includes them, so that pasting it replays the case.
   */
  replayArgs?: string;
  /** Where the outside optimizers came from (--module: path, content hash), recorded in the report. */
  modules?: readonly { path: string; sha256: string; files: number; optimizers: string[]; references: string[] }[];
  /** Law set (default: every law). */
  lawSet?: readonly (Law | StandaloneLaw)[];
  /** Called before each case (progress). */
  onCase?: (c: LawCase, index: number, total: number) => void;
  /** Called after each case. */
  onResult?: (r: CaseResult, index: number, total: number) => void;
}

/** Does law `id` match one of `wanted` (an exact ID, or a family letter: 'E' matches E1..E5, not 'E1' E10)? */
const matches = (id: string, wanted: readonly string[]): boolean =>
  wanted.some((w) => id === w || (id.startsWith(w) && !/\d/.test(w.slice(-1))));

/** The laws `opts.laws` selects and `opts.exclude` does not leave out. */
export function selectLaws<L extends { id: string }>(
  laws: readonly L[],
  opts: Pick<SuiteOptions, 'laws' | 'exclude'>,
): L[] {
  return laws.filter((l) => (!opts.laws || matches(l.id, opts.laws)) && !(opts.exclude && matches(l.id, opts.exclude)));
}

/**
 * Checks every optimizer's traits.optOut against the catalogue: each key a law of every optimizer
 * (not one selected by traits, not a reference comparison), each reason a non-empty string.
 */
export function checkOptOuts(
  entries: readonly OptimizerEntry[],
  laws: readonly (Law | StandaloneLaw)[] = allLaws,
): void {
  const allowed = [...new Set(laws.filter(optOutAllowed).map((l) => l.id))];
  for (const e of entries) {
    for (const [id, reason] of Object.entries(e.traits.optOut ?? {})) {
      const law = laws.find((l) => l.id === id);
      if (!law || !optOutAllowed(law)) {
        const what = !law
          ? 'which is no law'
          : isStandalone(law)
            ? 'which is not a law of optimizers'
            : law.appliesTo
              ? `which is selected by ${law.appliesTo.text} (declare the trait instead)`
              : 'which compares with the reference (it runs wherever a reference is supplied)';
        throw new RangeError(
          `${e.name}: traits.optOut names '${id}', ${what}; an optimizer may opt out of ${allowed.join(', ')}`,
        );
      }
      if (typeof reason !== 'string' || reason.trim() === '') {
        throw new TypeError(
          `${e.name}: traits.optOut.${id} = ${JSON.stringify(reason)}; allowed: the reason the law does not hold for it, as a non-empty string`,
        );
      }
    }
  }
}

/** The cases the options select, in catalogue order. */
export function selectCases(opts: SuiteOptions = {}): LawCase[] {
  const lawSet = selectLaws(opts.lawSet ?? allLaws, opts);
  const entries = opts.entries ?? (registry as unknown as OptimizerEntry[]);
  checkOptOuts(entries);
  let all = cases(lawSet, entries, opts.references, opts.placement);
  if (opts.subjects) all = all.filter((c) => opts.subjects!.includes(c.subject));
  if (opts.caseId) all = all.filter((c) => c.id === opts.caseId);
  return all;
}

/** Runs the selected cases and builds the table. */
export function runSuite(opts: SuiteOptions = {}): VerifyReport {
  const lawSet = selectLaws(opts.lawSet ?? allLaws, opts);
  const entries = (opts.entries ?? (registry as unknown as OptimizerEntry[])).filter(
    (e) => !opts.subjects || opts.subjects.includes(e.name),
  );
  const selected = selectCases(opts);
  const results: CaseResult[] = [];
  const t0 = performance.now();
  selected.forEach((c, i) => {
    opts.onCase?.(c, i, selected.length);
    const r = runCase(c, opts);
    if (r.status === 'fail' && opts.replayArgs)
      r.replayCommand = `npx optimlab verify ${opts.replayArgs} --replay '${r.replay}'`;
    results.push(r);
    opts.onResult?.(r, i, selected.length);
  });
  const subjects = [
    ...entries.map((e) => e.name),
    ...new Set(
      lawSet
        .filter(isStandalone)
        .map((l) => l.subject)
        .filter((s) => !opts.subjects || opts.subjects.includes(s)),
    ),
  ];
  const table: Record<string, Record<string, Cell>> = {};
  const notRun: Record<string, Record<string, string>> = {};
  const notApp: Record<string, Record<string, string>> = {};
  for (const law of lawSet) {
    const row: Record<string, Cell> = {};
    for (const s of subjects) {
      const rs = results.filter((r) => r.lawId === law.id && r.subject === s);
      if (rs.length === 0) {
        const entry = entries.find((e) => e.name === s);
        // Not run: either the law does not apply, or the filters left it out.
        const why = !isStandalone(law) && entry ? notApplicable(law, entry) : undefined;
        // (A replay runs one case: the reasons belong to a whole run.)
        if (why !== undefined && !opts.caseId) (notApp[law.id] ??= {})[s] = why;
        if (isStandalone(law) || !entry || why !== undefined) row[s] = 'n/a';
        continue;
      }
      if (rs.every((r) => r.status === 'not run')) {
        row[s] = 'not run';
        (notRun[law.id] ??= {})[s] = rs[0]!.reason ?? 'not run';
        continue;
      }
      row[s] = rs.some((r) => r.status === 'fail') ? 'fail' : 'pass';
    }
    table[law.id] = row;
  }
  const failed = results.filter((r) => r.status === 'fail').length;
  const skipped = results.filter((r) => r.status === 'not run').length;
  return {
    schema: VERIFY_SCHEMA,
    createdAt: new Date().toISOString(),
    provenance: { optimlab: optimlabVersion(), modules: [...(opts.modules ?? [])] },
    seed: opts.seed ?? DEFAULT_SEED,
    runs: opts.runs ?? null,
    // One row per law ID (a standalone law such as A1 is one object per objective).
    laws: [...new Map(lawSet.map((l) => [l.id, { id: l.id, title: l.title }])).values()],
    subjects,
    cases: results,
    table,
    summary: {
      cases: results.length,
      passed: results.length - failed - skipped,
      failed,
      notRun: skipped,
      ms: Math.round(performance.now() - t0),
    },
    notRun,
    notApplicable: notApp,
  };
}

const MARK: Record<Cell, string> = { pass: 'pass', fail: 'FAIL', 'n/a': NOT_APPLICABLE, 'not run': 'n/r' };

/** The law × subject table as fixed-width text: one block for the optimizers, one for the other subjects. */
export function formatTable(r: VerifyReport): string {
  const ran = (s: string): boolean =>
    r.laws.some((l) => r.table[l.id]?.[s] !== undefined && r.table[l.id]![s] !== 'n/a');
  const optimizerNames = new Set(r.cases.filter((c) => c.dtype !== undefined).map((c) => c.subject));
  const blocks = [
    r.subjects.filter((s) => optimizerNames.has(s) && ran(s)),
    r.subjects.filter((s) => !optimizerNames.has(s) && ran(s)),
  ];
  const lines: string[] = [];
  const lawsOf = (cols: string[]) =>
    r.laws.filter((l) => cols.some((c) => r.table[l.id]?.[c] !== undefined && r.table[l.id]![c] !== 'n/a'));
  // Optimizers: a row per law, a column per optimizer.
  const [opts, others] = blocks as [string[], string[]];
  if (opts.length) {
    const w = Math.max(4, ...opts.map((c) => c.length));
    lines.push(`${'law'.padEnd(5)} ${opts.map((c) => c.padEnd(w)).join(' ')}`);
    for (const l of lawsOf(opts)) {
      const row = r.table[l.id] ?? {};
      lines.push(`${l.id.padEnd(5)} ${opts.map((c) => (row[c] ? MARK[row[c]!] : '').padEnd(w)).join(' ')}`);
    }
  }
  // Objectives and training (many subjects, few laws): a row per subject, a column per law.
  if (others.length) {
    const laws = lawsOf(others);
    const w = Math.max(...others.map((c) => c.length));
    if (lines.length) lines.push('');
    lines.push(`${'subject'.padEnd(w)} ${laws.map((l) => l.id.padEnd(4)).join(' ')}`);
    for (const c of others)
      lines.push(
        `${c.padEnd(w)} ${laws
          .map((l) => {
            const v = r.table[l.id]?.[c];
            return (v ? MARK[v] : '').padEnd(4);
          })
          .join(' ')}`,
      );
  }
  lines.push(
    '',
    `pass: holds for every case run (float64 and float32); FAIL: a counterexample was found; ${NOT_APPLICABLE}: does not apply${Object.keys(r.notRun ?? {}).length ? '; n/r: not run (below)' : ''}.`,
  );
  // Not run: one line per subject and reason, naming the laws.
  const why = new Map<string, string[]>();
  for (const [law, row] of Object.entries(r.notRun ?? {}))
    for (const [s, reason] of Object.entries(row)) {
      const k = `${s}\u0000${reason}`;
      why.set(k, [...(why.get(k) ?? []), law]);
    }
  for (const [k, laws] of why) {
    const [s, reason] = k.split('\u0000') as [string, string];
    lines.push(`not run on ${s}: ${laws.join(', ')}: ${reason}`);
  }
  // Does not apply: opt-outs always (a maintainer's declaration), trait reasons where few optimizers
  // are verified (one's own); the JSON has every reason.
  // Grouped per optimizer and reason; the convention laws (options of the built-ins) as one line.
  const bySubject = new Map<string, Map<string, string[]>>();
  for (const [law, row] of Object.entries(r.notApplicable ?? {})) {
    for (const [s, reason] of Object.entries(row)) {
      if (!reason.startsWith('opted out') && opts.length > 3) continue;
      const key = reason.startsWith('needs convention option')
        ? 'needs convention options it does not have (docs/conventions.md)'
        : reason;
      const m = bySubject.get(s) ?? new Map<string, string[]>();
      m.set(key, [...(m.get(key) ?? []), law]);
      bySubject.set(s, m);
    }
  }
  for (const [s, m] of bySubject) {
    lines.push(`does not apply to ${s}:`);
    for (const [reason, laws] of m)
      lines.push(
        `  ${laws.length > 6 ? `${laws[0]} … ${laws[laws.length - 1]} (${laws.length} laws)` : laws.join(', ')}: ${reason}`,
      );
  }
  const nr = r.summary.notRun ? `, ${r.summary.notRun} not run` : '';
  lines.push(
    `${r.summary.cases} cases, ${r.summary.passed} passed, ${r.summary.failed} failed${nr} in ${(r.summary.ms / 1000).toFixed(1)} s (seed ${r.seed}${r.runs ? `, ${r.runs} runs per case` : ''})`,
  );
  return lines.join('\n');
}
