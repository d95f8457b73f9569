// @ts-check
/**
 * Mutation testing (StrykerJS with its vitest runner), run by `npm run mutation` (test/mutation.mjs),
 * never by `npm test`. Stryker changes one spot of the source at a time (a `<` into `<=`, a `-`
 * into a `+`, a condition into `true` …) and runs the tests that cover that spot: a mutant no test
 * fails on ("survived") is a behaviour the gate does not pin down. reports/mutation/README.md says
 * how to read the results and how survivors are dealt with.
 *
 * FOLDERS is the one list of what is mutated. Each row is one Stryker run: the folder's files are
 * mutated, and only the tests that state its laws run (`tests`: test files; `laws`: law IDs or
 * families of the property suite, passed to it as OPTIMLAB_LAWS), which keeps a run on two cores
 * to minutes. Adding a folder = adding a row (see reports/mutation/README.md).
 */

import { INSTRUMENTER_CONSTANTS } from '@stryker-mutator/api/core';

/** The four law-suite part files (properties/vitest.ts splits the laws across them). */
const LAW_PARTS = 'properties/laws.*.test.ts';

/**
 * The kernels run as copies generated from them (src/optimizers/kernel/build.ts, run again by the
 * tests' global set-up in Stryker's sandbox). Given the names of Stryker's hooks, the build keeps
 * the hooks in every copy, so that a mutant of a kernel lives in the loops that run.
 */
process.env.OPTIMLAB_KERNEL_HOOKS ??= 'stryMutAct_9fa48,stryCov_9fa48';
/**
 * Where Stryker names the mutant switched on in a test run (its instrumenter's constants): each
 * copy is then compiled for that mutant, the other mutants' switches folded to what they return and
 * the coverage counts (read only in the initial run) left out, so that a kernel runs at the speed of
 * the loop as written in every mutant run (src/optimizers/kernel/build.ts, foldingLines).
 */
process.env.OPTIMLAB_KERNEL_MUTANT ??= `${INSTRUMENTER_CONSTANTS.NAMESPACE}.${INSTRUMENTER_CONSTANTS.ACTIVE_MUTANT}`;

/**
 * @typedef {object} MutationFolder
 * @property {string} folder  folder to mutate (every .ts file under it)
 * @property {string[]} tests  test files (globs) that may run against its mutants
 * @property {string[]} laws  law IDs or families of the property suite that may run (OPTIMLAB_LAWS)
 * @property {boolean} [ignoreStatic]  do not run mutants of module initialisation (see the row)
 * @property {string[][]} [shards]  groups of the folder's files (paths from the folder), each run
 *   alone with `--shard k/N` when the whole row is too long for one sitting; every file in one group
 *   (test/mutation-shards.mjs, reports/mutation/README.md "Shards")
 */

/** @type {MutationFolder[]} */
export const FOLDERS = [
  { folder: 'src/train', tests: ['test/train.test.ts', LAW_PARTS], laws: ['H'] },
  {
    folder: 'src/data',
    tests: ['test/data.test.ts', 'test/train.test.ts', 'test/randomness-defects.test.ts', LAW_PARTS],
    laws: ['H', 'R'],
  },
  { folder: 'src/gradient', tests: ['test/train.test.ts', 'test/gradient.test.ts', LAW_PARTS], laws: ['A'] },
  { folder: 'src/objectives', tests: ['test/objectives.test.ts', 'test/train.test.ts', LAW_PARTS], laws: ['A', 'H'] },
  // The optimizers (kernels, scalars, definitions, validation, state, conventions); the kernel
  // generator (src/optimizers/kernel) is a row of its own, with its own tests. Half of this
  // folder's mutants are static: they change what the modules build when they load (each
  // optimizer's definition, hyperparameter specs, the framework profiles), so every test of the
  // row would run for each (measured: 1216 of 2354 mutants, 91% of the run, about 6 hours on the
  // two shared cores). They are not run (ignoreStatic) and are counted apart in the summary; the
  // mutants that run are the code a step and a validation execute.
  {
    folder: 'src/optimizers',
    ignoreStatic: true,
    // Every law family that states a property of an optimizer (A, H and R are about gradients,
    // training and randomness): the traits' bounds and weights (C to G) are part of each
    // optimizer's file. Measured with B, V, X alone: 362 mutants not covered.
    // Not test/engine.test.ts: it compares the wasm kernels, built from the sources as they are
    // (src/engine/kernels.generated.ts), with the JS kernels, which in Stryker's sandbox carry the
    // mutants. Every kernel mutant would fail that comparison without any law stating why (in the
    // project, a changed kernel rebuilds its wasm and the two agree again), and its test of the
    // build's hash fails on the instrumented sources by construction, which stops the initial run.
    tests: [
      'test/optimizers.test.ts',
      'test/published.test.ts',
      'test/validation.test.ts',
      'test/state.test.ts',
      'test/state-conventions.test.ts',
      'test/conventions-doc.test.ts',
      'test/parity.test.ts',
      'test/bias.test.ts',
      'test/overflow.test.ts',
      'test/core-input.test.ts',
      'test/kernel.test.ts',
      'test/kernel-copies.test.ts',
      'test/kit.test.ts',
      'test/define.test.ts',
      'test/profile-text.test.ts',
      'test/hyper-values.test.ts',
      'test/state-input.test.ts',
      LAW_PARTS,
    ],
    laws: ['B', 'C', 'D', 'E', 'F', 'G', 'V', 'X'],
    // About 1700 mutants run, more than a sitting on two cores: five groups, run one at a time
    // (`npm run mutation -- src/optimizers --shard next`) and added up in the summary.
    shards: [
      ['define.ts'],
      ['state.ts', 'registry.ts', 'kernel.ts', 'common.ts', 'bias.ts', 'types.ts'],
      ['hyper.ts', 'show.ts', 'conventions.ts', 'conventions-doc.ts'],
      ['adam-family.ts', 'adam.ts', 'amsgrad.ts', 'nadam.ts', 'rmsprop.ts'],
      ['adadelta.ts', 'adagrad.ts', 'adamax.ts', 'momentum.ts', 'nesterov.ts', 'sgd.ts'],
    ],
  },
  {
    folder: 'src/optimizers/kernel',
    tests: [
      'test/kernel.test.ts',
      'test/kernel-check.test.ts',
      'test/kernel-mutation.test.ts',
      'test/kernel-gen-build.test.ts',
      'test/kernel-gen-check.test.ts',
      'test/kernel-gen-emit.test.ts',
      'test/kernel-gen-tree.test.ts',
    ],
    laws: [],
  },
];

/**
 * Stryker's options for one row. `perTest` coverage runs, for each mutant, only the tests that
 * executed its spot in the initial run; a mutant that runs at import time ("static") runs all of
 * the row's tests, which is what the row's narrow test list keeps affordable.
 * @param {MutationFolder} row
 * @param {{ concurrency?: number, mutate?: string[], incremental?: boolean }} [opts]  `mutate`: these files only (a
 *   shard); `incremental`: reuse the results of the row's last report (json/<folder>.incremental.json, a copy
 *   test/mutation.mjs makes) for mutants whose code and killing test did not change, and survivors no new test
 *   covers (Stryker's rule)
 * @returns {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export function strykerOptions(row, opts = {}) {
  const name = row.folder.replace(/[^A-Za-z0-9]+/g, '-');
  return {
    testRunner: 'vitest',
    plugins: ['@stryker-mutator/vitest-runner'],
    // The project's vitest configuration with the row's test files (OPTIMLAB_MUTATION_TESTS, set by
    // test/mutation.mjs from `tests`), in place of Stryker's `testFiles`, which keeps static mutants
    // from ever taking effect (test/setup/mutation.vitest.config.mjs says how).
    vitest: { configFile: 'test/setup/mutation.vitest.config.mjs', related: false },
    // A subfolder with a row of its own is that row's.
    mutate: opts.mutate ?? [
      `${row.folder}/**/*.ts`,
      '!**/*.d.ts',
      ...FOLDERS.filter((r) => r.folder.startsWith(`${row.folder}/`)).map((r) => `!${r.folder}/**`),
    ],
    ignoreStatic: row.ignoreStatic ?? false,
    coverageAnalysis: 'perTest',
    // Two shared cores: two test-runner processes (override with --concurrency).
    concurrency: opts.concurrency ?? 2,
    // A mutant that makes a law loop runs into the law's own budget first (properties/framework.ts);
    // this is Stryker's outer limit on top of the initial run's time for the same tests.
    timeoutMS: 20_000,
    timeoutFactor: 2,
    // The initial run of a row with laws, instrumented, on a busy machine: over 5 minutes (measured).
    dryRunTimeoutMinutes: 30,
    reporters: ['progress-append-only', 'html', 'json'],
    htmlReporter: { fileName: `reports/mutation/html/${name}.html` },
    jsonReporter: { fileName: `reports/mutation/json/${name}.json` },
    ...(opts.incremental
      ? { incremental: true, incrementalFile: `reports/mutation/json/${name}.incremental.json` }
      : {}),
    tempDirName: '.stryker-tmp',
    cleanTempDir: 'always',
  };
}

/** `npx stryker run` with this file alone mutates every folder with the union of their tests. */
process.env.OPTIMLAB_MUTATION_TESTS ??= [...new Set(FOLDERS.flatMap((r) => r.tests))].join(',');
export default {
  ...strykerOptions({
    folder: '{' + FOLDERS.map((r) => r.folder).join(',') + '}',
    tests: [...new Set(FOLDERS.flatMap((r) => r.tests))],
    laws: [],
  }),
  htmlReporter: { fileName: 'reports/mutation/html/all.html' },
  jsonReporter: { fileName: 'reports/mutation/json/all.json' },
};
