/**
 * The registry: the one list of optimizers that laws, benchmarks, the reference check and the CLI
 * iterate. Adding an optimizer = one file here, one in reference/, one line below.
 */
import { adadelta } from './adadelta.js';
import { adagrad } from './adagrad.js';
import { adam } from './adam.js';
import { adamax } from './adamax.js';
import { amsgrad } from './amsgrad.js';
import type { OptimizerEntry } from './define.js';
import { momentum } from './momentum.js';
import { nadam } from './nadam.js';
import { nesterov } from './nesterov.js';
import { rmsprop } from './rmsprop.js';
import { sgd } from './sgd.js';
import type { Hyper, Optimizer } from './types.js';

export const registry = [sgd, momentum, nesterov, adagrad, adadelta, rmsprop, adam, adamax, nadam, amsgrad] as const;

export type OptimizerName = (typeof registry)[number]['name'];

type EntryOf<N extends string> = Extract<(typeof registry)[number], { name: N }>;
type HyperOf<N extends string> = EntryOf<N> extends OptimizerEntry<infer H> ? H : Hyper;

const byName = new Map<string, OptimizerEntry>(registry.map((e) => [e.name, e as unknown as OptimizerEntry]));

export const optimizerNames: readonly string[] = registry.map((e) => e.name);

/** The registry entry for `name`; a RangeError listing the known names otherwise. */
export function getOptimizer(name: string): OptimizerEntry {
  const e = byName.get(name);
  if (!e) throw new RangeError(`unknown optimizer ${JSON.stringify(name)}; known: ${optimizerNames.join(', ')}`);
  return e;
}

/** Builds an optimizer by name with validated hyperparameters (defaults filled in). */
export function createOptimizer<N extends OptimizerName>(name: N, hyper?: Partial<HyperOf<N>>): Optimizer<HyperOf<N>>;
export function createOptimizer(name: string, hyper?: Partial<Hyper>): Optimizer;
export function createOptimizer(name: string, hyper?: Partial<Hyper>): Optimizer {
  if (typeof name !== 'string') throw new TypeError(`createOptimizer: name must be a string; got ${typeof name}`);
  return getOptimizer(name).create(hyper as Partial<Hyper>);
}
