// @ts-check
/**
 * Set-up file of a mutation run (test/setup/mutation.vitest.config.mjs), after Stryker's own. In a
 * mutant run the row's test files share one worker (see that configuration): after each file the
 * mutant is switched off, so that the modules the next file loads first are evaluated with it off,
 * exactly as in a worker of their own. Stryker's set-up switches it on again for that file: before
 * its tests (a mutant switched on at run time), or as the file loads (a static mutant).
 */
import { afterAll, inject } from 'vitest';

const provided = /** @type {(key: string) => unknown} */ (inject);
if (provided('mode') === 'mutant') {
  afterAll(() => {
    const ns = /** @type {Record<string, { activeMutant?: unknown } | undefined>} */ (globalThis)[
      String(provided('globalNamespace'))
    ];
    if (ns) ns.activeMutant = undefined;
  });
}
