/**
 * The law suite for maintainers of a new optimizer (`import … from 'optimlab/laws'`;
 * docs/adding-an-optimizer.md walks through it).
 *
 * Describe the optimizer with `defineOptimizer` (its hyperparameter ranges and traits decide which
 * laws apply) and, for the reference laws (B1, B2, B3, G7), its decimal reference with
 * `defineReference` from 'optimlab/reference'. Then either
 *
 *   const report = verifyOptimizer(myOptimizer, { reference });   // every applicable law, once
 *   if (report.summary.failed) console.log(formatTable(report));
 *
 * or, inside your own vitest (or any runner with describe/it):
 *
 *   import { describe, it } from 'vitest';
 *   lawTests(myOptimizer, { describe, it }, { reference });        // one test per law × dtype
 *
 * Without a reference the reference laws are 'not run: no reference supplied' (a test that says so
 * and passes; never a failure). `laws` selects law IDs or families ('E'), `exclude` leaves some out.
 * Seeds and replay work as in optimlab's own suite (OPTIMLAB_SEED, OPTIMLAB_RUNS, OPTIMLAB_REPLAY).
 */
import type { OptimizerEntry } from '../src/optimizers/define.js';
import type { Reference } from '../reference/define.js';
import {
  cases,
  formatFailure,
  isStandalone,
  optionsFromEnv,
  runCase,
  type LawCase,
  type RunOptions,
} from './framework.js';
import { allLaws } from './laws/index.js';
import { checkOptOuts, runSuite, selectLaws, type SuiteOptions, type VerifyReport } from './suite.js';

export { cases, runCase, formatFailure, optionsFromEnv, type LawCase, type RunOptions };
export { formatTable, runSuite, selectLaws, type VerifyReport, type SuiteOptions, type Cell } from './suite.js';
export { allLaws } from './laws/index.js';
export {
  runAccuracy,
  formatAccuracy,
  type AccuracyReport,
  type AccuracyRow,
  type AccuracyOptions,
} from './accuracy.js';
export { NO_REFERENCE } from './bounds.js';
export type { Law, StandaloneLaw, CaseResult, LawContext } from './framework.js';

/** Which laws, and the optimizer's decimal reference (see the module comment). */
export interface LawSelection {
  /** Law IDs or family letters to run ('B1', 'E'); default: every law that applies. */
  laws?: readonly string[];
  /** Law IDs or family letters to leave out. */
  exclude?: readonly string[];
  /** The optimizer's decimal reference (defineReference); without it B1, B2, B3, G7 are not run. */
  reference?: Reference;
}

const optimizerLaws = allLaws.filter((l) => !isStandalone(l));

/** Every optimizer law that applies to `entry` (by its traits), as runnable cases. */
export function lawCases(entry: OptimizerEntry, selection: LawSelection | readonly string[] = {}): LawCase[] {
  // (An array is the law list, as in versions before `exclude` and `reference`.)
  const s: LawSelection = Array.isArray(selection)
    ? { laws: selection as readonly string[] }
    : (selection as LawSelection);
  checkOptOuts([entry]);
  return cases(selectLaws(optimizerLaws, s), [entry], s.reference ? [s.reference] : []);
}

/** Runs every applicable law for `entry` and returns the law table (see formatTable). */
export function verifyOptimizer(
  entry: OptimizerEntry,
  opts: Omit<SuiteOptions, 'entries' | 'subjects' | 'references'> & LawSelection = {},
): VerifyReport {
  const { reference, ...rest } = opts;
  return runSuite({
    ...rest,
    entries: [entry],
    ...(reference ? { references: [reference] } : {}),
    lawSet: optimizerLaws,
  });
}

type Describe = (name: string, body: () => void) => void;
type It = (name: string, body: () => void, timeout?: number) => void;

/**
 * Registers one test per law case for `entry` with your runner's describe/it. A case that cannot
 * run (no reference supplied) is a passing test whose name says so: '… (not run: no reference supplied)'.
 */
export function lawTests(
  entry: OptimizerEntry,
  runner: { describe: Describe; it: It },
  opts: RunOptions & LawSelection = optionsFromEnv(),
): void {
  const run: RunOptions = { ...optionsFromEnv(), ...opts };
  runner.describe(`optimlab laws: ${entry.name}`, () => {
    for (const c of lawCases(entry, opts)) {
      runner.it(c.notRun ? `${c.id} (not run: ${c.notRun})` : c.id, () => {
        const r = runCase(c, run);
        // Replayed in the maintainer's own test run, wherever the test file is.
        if (r.status === 'fail')
          throw new Error(
            formatFailure({ ...r, replayCommand: `OPTIMLAB_REPLAY='${r.replay}' npx vitest run -t '${c.id}'` }),
          );
      });
    }
  });
}
