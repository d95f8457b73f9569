// @ts-check
/**
 * The vitest configuration of a mutation run (stryker.config.mjs; `npm test` never reads it): the
 * project's own (vitest.config.ts), with two changes.
 *
 * 1. The test files are the row's (OPTIMLAB_MUTATION_TESTS, comma-separated globs, set by
 *    test/mutation.mjs), not Stryker's `testFiles`. With `testFiles`, StrykerJS 9.6 runs a static
 *    mutant (one in code that runs when a module loads) with the mutant switched on only after the
 *    modules have loaded, so it can never take effect and always "survives" (stryker-js issue 6144,
 *    open). Without `testFiles` it runs the row's tests with the mutant on from the start.
 * 2. A test file that fails to load counts as a failed test. A static mutant can make a module
 *    throw while it loads; vitest then collects no test from the files that import it, and Stryker,
 *    which counts failed tests only, would call the mutant survived although the suite fails on it.
 */
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

export default {
  ...base,
  test: { ...base.test, include, reporters: ['default', loadFailureFails] },
};
