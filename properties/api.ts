/**
 * The law suite for maintainers of a new optimizer (`import … from 'optimlab/laws'`).
 *
 * Describe the optimizer with `defineOptimizer` (its hyperparameter ranges and traits decide which
 * laws apply), then either
 *
 *   const report = verifyOptimizer(myOptimizer);          // every applicable law, once
 *   if (report.summary.failed) console.log(formatTable(report));
 *
 * or, inside your own vitest (or any runner with describe/it):
 *
 *   import { describe, it } from 'vitest';
 *   lawTests(myOptimizer, { describe, it });               // one test per law × dtype
 *
 * Seeds and replay work as in optimlab's own suite (OPTIMLAB_SEED, OPTIMLAB_RUNS, OPTIMLAB_REPLAY).
 */
import type { OptimizerEntry } from '../src/optimizers/define.js';
import { cases, formatFailure, optionsFromEnv, runCase, type LawCase, type RunOptions } from './framework.js';
import { allLaws } from './laws/index.js';
import { runSuite, type SuiteOptions, type VerifyReport } from './suite.js';

export { cases, runCase, formatFailure, optionsFromEnv, type LawCase, type RunOptions };
export { formatTable, runSuite, type VerifyReport, type SuiteOptions } from './suite.js';
export { allLaws } from './laws/index.js';
export type { Law, StandaloneLaw, CaseResult } from './framework.js';

/** Every optimizer law that applies to `entry` (by its traits), as runnable cases. */
export function lawCases(entry: OptimizerEntry, laws: SuiteOptions['laws'] = undefined): LawCase[] {
  const selected = allLaws.filter((l) => !('subject' in l) && (!laws || laws.some((w) => l.id === w || l.id.startsWith(w))));
  return cases(selected, [entry]);
}

/** Runs every applicable law for `entry` and returns the law table (see formatTable). */
export function verifyOptimizer(entry: OptimizerEntry, opts: Omit<SuiteOptions, 'entries' | 'subjects'> = {}): VerifyReport {
  return runSuite({ ...opts, entries: [entry], lawSet: allLaws.filter((l) => !('subject' in l)) });
}

type Describe = (name: string, body: () => void) => void;
type It = (name: string, body: () => void, timeout?: number) => void;

/** Registers one test per law case for `entry` with your runner's describe/it. */
export function lawTests(entry: OptimizerEntry, runner: { describe: Describe; it: It }, opts: RunOptions = optionsFromEnv()): void {
  runner.describe(`optimlab laws: ${entry.name}`, () => {
    for (const c of lawCases(entry)) {
      runner.it(c.id, () => {
        const r = runCase(c, opts);
        if (r.status === 'fail') throw new Error(formatFailure(r));
      });
    }
  });
}
