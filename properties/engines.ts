/**
 * The engines the law suite runs under. 'js': the registry's optimizers as they are. 'wasm': the
 * same optimizers (the same entries, so the same references) given the placement of the wasm engine
 * in staging mode (docs/wasm.md) whenever a law creates one without its own: laws make their
 * arrays where they like (typed arrays, slices, subarrays), and every step runs the engine's
 * wasm kernel on bit-exact copies of them in its memory, copied back afterwards. So every law
 * judges the wasm kernels' numbers, on exactly the cases (same seeds, same draws) it judges the
 * JS kernels' numbers on.
 *
 * What the suite under wasm does not exercise (law W1 and test/engine.test.ts do): steps on arrays
 * that live in the engine's memory (residency dispatch, no copies), and laws that build their
 * optimizers from the registry directly rather than from the entry they are given (D3's sgd side,
 * the training laws): those run the JS kernels in both suites.
 *
 * Environment: OPTIMLAB_ENGINE = 'js' or 'wasm' runs the law suite under that engine only
 * (default: both, in npm test).
 */
import type { Placement } from '../src/optimizers/define.js';
import { wasmEngineSync } from '../src/engine/sync.js';
import type { WasmEngine } from '../src/engine/wasm.js';

export const ENGINE_NAMES = ['js', 'wasm'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

let shared: WasmEngine | undefined;

/** The wasm engine of this process's laws (made on first use). */
export function lawEngine(): WasmEngine {
  return (shared ??= wasmEngineSync());
}

/**
 * The placement of the suite under engine `name` (selectCases' `placement`): for 'wasm', the law
 * engine in staging mode, given to every optimizer a law creates without a placement of its own
 * (W1 passes its own). The entries themselves are the registry's, so each keeps its reference.
 */
export function placementOn(name: EngineName): Placement | undefined {
  return name === 'js' ? undefined : { engine: lawEngine(), stage: true };
}

/** The engines OPTIMLAB_ENGINE selects ('js', 'wasm'; unset or empty: both). */
export function enginesFromEnv(env: NodeJS.ProcessEnv = process.env): readonly EngineName[] {
  const v = env.OPTIMLAB_ENGINE;
  if (v === undefined || v === '') return ENGINE_NAMES;
  if (!(ENGINE_NAMES as readonly string[]).includes(v))
    throw new RangeError(
      `OPTIMLAB_ENGINE = '${v}'; allowed: ${ENGINE_NAMES.map((e) => `'${e}'`).join(' or ')} (unset: both)`,
    );
  return [v as EngineName];
}
