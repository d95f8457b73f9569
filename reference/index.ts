/**
 * The reference registry: one decimal.js reference per core optimizer, keyed by the core
 * registry's names. `satisfies Record<OptimizerName, …>` makes a missing one a compile error;
 * test/reference.test.ts names it at test time too.
 */
import type { OptimizerName } from '../src/optimizers/registry.js';
import type { ReferenceOptimizer } from './common.js';
import { adadelta } from './adadelta.js';
import { adagrad } from './adagrad.js';
import { adam } from './adam.js';
import { adamax } from './adamax.js';
import { amsgrad } from './amsgrad.js';
import { momentum } from './momentum.js';
import { nadam } from './nadam.js';
import { nesterov } from './nesterov.js';
import { rmsprop } from './rmsprop.js';
import { sgd } from './sgd.js';

export const references = {
  sgd,
  momentum,
  nesterov,
  adagrad,
  adadelta,
  rmsprop,
  adam,
  adamax,
  nadam,
  amsgrad,
} satisfies Record<OptimizerName, ReferenceOptimizer<never>>;

/** The reference for a registry name; a RangeError naming it when there is none. */
export function getReference(name: string): ReferenceOptimizer {
  const r = (references as Record<string, ReferenceOptimizer<never>>)[name];
  if (!r)
    throw new RangeError(
      `no decimal reference for optimizer '${name}': add reference/${name}.ts and list it in reference/index.ts`,
    );
  return r as unknown as ReferenceOptimizer;
}

export type { ReferenceOptimizer, RefState, RefResult } from './common.js';
export { initRef } from './common.js';
