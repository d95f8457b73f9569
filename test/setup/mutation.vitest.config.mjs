// @ts-check
/**
 * The vitest configuration of a mutation run (stryker.config.mjs; `npm test` never reads it): the
 * project's own (vitest.config.ts), with three changes.
 *
 * 1. The test files are the row's (OPTIMLAB_MUTATION_TESTS, comma-separated globs, set by
 *    test/mutation.mjs), not Stryker's `testFiles`. With `testFiles`, StrykerJS 9.6 runs a static
 *    mutant (one in code that runs when a module loads) with the mutant switched on only after the
 *    modules have loaded, so it can never take effect and always "survives" (stryker-js issue 6144,
 *    open). Without `testFiles` it runs the row's tests with the mutant on from the start.
 * 2. A test file that fails to load counts as a failed test. A static mutant can make a module
 *    throw while it loads; vitest then collects no test from the files that import it, and Stryker,
 *    which counts failed tests only, would call the mutant survived although the suite fails on it.
 * 3. In a mutant run, the test files of the run share one worker, fresh for each run: their modules
 *    are loaded once per mutant instead of once per file. Loading a file in a worker of its own cost
 *    about 0.9 s (collecting, mostly: importing the instrumented library), against 0.07 s shared;
 *    the tests covering an adagrad mutant (16 files, 96 tests) ran in 14 s instead of 29 s (measured
 *    in one Stryker-instrumented copy of the repository, the two ways alternated, on a loaded
 *    machine). The initial run, which takes the coverage that decides which tests run for each
 *    mutant, keeps one worker per file, so each file's first use of a lazily made value still
 *    counts as that file's. Nothing carries over from one mutant to the next (vitest stops a shared
 *    worker when its run ends), and test/setup/mutant-per-file.mjs switches the mutant off after
 *    each file, so that the next file's modules load as they would alone.
 */
import { BaseSequencer } from 'vitest/node';
import base from '../../vitest.config.ts';

const include = process.env.OPTIMLAB_MUTATION_TESTS?.split(',').filter(Boolean);
if (!include?.length) {
  throw new Error(
    'test/setup/mutation.vitest.config.mjs: OPTIMLAB_MUTATION_TESTS is not set (npm run mutation sets it)',
  );
}

/**
 * Gives each test file that failed before any test ran (an error while loading) one failed test
 * carrying the load error, so that the result Stryker reads from vitest's state fails.
 * @type {import('vitest/node').Reporter}
 */
const loadFailureFails = {
  onTestRunEnd(testModules) {
    for (const module of testModules) {
      // The module's task is the File Stryker's runner reads (ctx.state.getFiles()).
      const file = /** @type {any} */ (module).task;
      if (file?.result?.state !== 'fail' || file.tasks.length > 0) continue;
      file.tasks.push({
        type: 'test',
        id: `${file.id}_load`,
        name: 'the test file loads',
        mode: 'run',
        file,
        suite: file,
        meta: {},
        context: {},
        annotations: [],
        artifacts: [],
        result: { state: 'fail', errors: file.result.errors ?? [{ message: 'the test file failed to load' }] },
      });
    }
  },
};

/**
 * Vitest's order (failed first, then the longest), with isolation set per run from what Stryker's
 * runner provides: `mode` is 'dry-run' in the initial run and 'mutant' in each mutant's.
 */
class OneWorkerPerMutantRun extends BaseSequencer {
  /** @param {import('vitest/node').TestSpecification[]} files */
  async sort(files) {
    const mode = /** @type {Record<string, unknown>} */ (this.ctx.getProvidedContext()).mode;
    for (const project of this.ctx.projects) project.config.isolate = mode !== 'mutant';
    return super.sort(files);
  }
}

export default {
  ...base,
  test: {
    ...base.test,
    include,
    reporters: ['default', loadFailureFails],
    sequence: { sequencer: OneWorkerPerMutantRun },
    setupFiles: ['test/setup/mutant-per-file.mjs'],
  },
};
