/**
 * The registry: the one list of optimizers that laws, benchmarks, the reference check and the CLI
 * iterate. Adding an optimizer = one file here, one in reference/, one line below.
 */
import { adadelta } from './adadelta.js';
import { adagrad } from './adagrad.js';
import { adam } from './adam.js';
import { adamax } from './adamax.js';
import { amsgrad } from './amsgrad.js';
import { profileApi, type ProfileName } from './conventions.js';
import type { OptimizerEntry } from './define.js';
import { momentum } from './momentum.js';
import { nadam } from './nadam.js';
import { nesterov } from './nesterov.js';
import { rmsprop } from './rmsprop.js';
import { sgd } from './sgd.js';
import type { Hyper, Optimizer } from './types.js';
import type { WasmEngine } from '../engine/wasm.js';

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

/**
 * How to build: a framework `profile` (docs/conventions.md) supplies that framework's defaults and
 * the convention settings that reproduce its update; `api` picks one of the profile's classes where
 * an optimizer has several ('AdamW' for adam); `conventions` sets convention options directly (and
 * overrides the profile's). Hyperparameters given to createOptimizer override the profile's defaults.
 */
export interface CreateOptions {
  profile?: ProfileName;
  api?: string;
  conventions?: Partial<Hyper>;
  /** A wasm engine (`await wasmEngine()`): `init` places the state in its memory (docs/wasm.md). */
  engine?: WasmEngine;
}

/** The hyperparameters and conventions `createOptimizer(name, hyper, options)` builds with. */
export function resolveCreate(
  name: string,
  hyper: Partial<Hyper> | undefined,
  options: CreateOptions = {},
): { hyper: Partial<Hyper>; conventions: Partial<Hyper> } {
  if (typeof options !== 'object' || options === null)
    throw new TypeError(
      `createOptimizer: options must be an object such as { profile: 'pytorch' }; got ${String(options)}`,
    );
  for (const k of Object.keys(options)) {
    if (k !== 'profile' && k !== 'api' && k !== 'conventions' && k !== 'engine')
      throw new RangeError(`createOptimizer: unknown option '${k}'; allowed: profile, api, conventions, engine`);
  }
  const entry = getOptimizer(name);
  if (options.profile === undefined) {
    if (options.api !== undefined)
      throw new RangeError(`createOptimizer: api = ${JSON.stringify(options.api)} needs a profile`);
    return { hyper: { ...(hyper ?? {}) }, conventions: { ...(options.conventions ?? {}) } };
  }
  const api = profileApi(options.profile, options.api ?? entry.name);
  if (api.optimizer !== entry.name) {
    throw new RangeError(
      `createOptimizer: profile '${options.profile}' api '${api.api}' is optimlab's ${api.optimizer}, not ${entry.name}`,
    );
  }
  for (const r of api.required ?? []) {
    if (hyper?.[r] === undefined) {
      throw new RangeError(
        `createOptimizer('${entry.name}', profile '${options.profile}'): hyperparameter ${r} is required: ${api.api} has no default for it; pass { ${r}: ... }`,
      );
    }
  }
  return {
    hyper: { ...api.hyper, ...(hyper ?? {}) },
    conventions: { ...api.conventions, ...(options.conventions ?? {}) },
  };
}

/**
 * Builds an optimizer by name with validated hyperparameters (defaults filled in); with options, in
 * a framework's profile or with convention options (see CreateOptions):
 *   createOptimizer('adam', { lr: 3e-4 }, { profile: 'keras' })
 *   createOptimizer('adam', {}, { profile: 'pytorch', api: 'AdamW' })
 *   createOptimizer('rmsprop', {}, { conventions: { centered: true } })
 */
export function createOptimizer<N extends OptimizerName>(
  name: N,
  hyper?: Partial<HyperOf<N>>,
  options?: CreateOptions,
): Optimizer<HyperOf<N>>;
export function createOptimizer(name: string, hyper?: Partial<Hyper>, options?: CreateOptions): Optimizer;
export function createOptimizer(name: string, hyper?: Partial<Hyper>, options?: CreateOptions): Optimizer {
  if (typeof name !== 'string') throw new TypeError(`createOptimizer: name must be a string; got ${typeof name}`);
  if (options === undefined) return getOptimizer(name).create(hyper as Partial<Hyper>);
  const r = resolveCreate(name, hyper, options);
  return getOptimizer(name).create(
    r.hyper,
    r.conventions,
    // Equivalent mutant (`false`): a placement { engine: undefined } is the same as {} (checkPlacement
    // reads an undefined engine as none).
    options.engine === undefined ? {} : { engine: options.engine },
  );
}
