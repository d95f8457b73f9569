/**
 * Global set-up of the test suite: builds the kernels (src/optimizers/kernel/build.ts) before any test
 * imports an optimizer, so that the tests always run the kernels as they are written, even when
 * vitest is started without `npm test`. Writes only the files whose text changed. Under mutation
 * testing, OPTIMLAB_KERNEL_HOOKS names Stryker's hook functions (see stryker.config.mjs), which the
 * copies keep as calls, so that every mutant of a kernel lives in the loops that run, and
 * OPTIMLAB_KERNEL_MUTANT where the mutant switched on is named (each copy is then compiled for it).
 */
import { buildKernels } from '../../src/optimizers/kernel/build.js';

export default function setup(): void {
  const hooks = process.env.OPTIMLAB_KERNEL_HOOKS?.split(',').filter(Boolean) ?? [];
  const mutant = process.env.OPTIMLAB_KERNEL_MUTANT || undefined;
  buildKernels({ hooks, out: ['src/optimizers/generated'], ...(mutant ? { mutant } : {}) });
}
