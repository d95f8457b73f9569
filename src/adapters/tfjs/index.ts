/**
 * TensorFlow.js's own optimizers (tf.train.*, `cpu` backend, float32) as optimlab registry entries,
 * so that the laws, the benchmarks and the report run on TF.js's real implementations
 * (docs/adapters.md).
 *
 * One step, as a plain step function for defineStepOptimizer:
 *   1. build the tf.train optimizer for the hyperparameters, a variable holding params, and TF.js's
 *      own state variables holding state.buffers (placed where TF.js keeps them, as its setWeights
 *      does), and its scalars (β^t products, the iteration count) rebuilt from state.t;
 *   2. applyGradients({ [variable]: grad });
 *   3. read params and every state variable back into the typed arrays, check that TF.js's scalars
 *      moved to exactly what state.t + 1 gives, and dispose every tensor.
 * So the whole state lives in optimlab's typed arrays between steps: checkpoint/restore, the
 * determinism and concatenation laws see TF.js's real state, and one step is a function of
 * (params, grad, state) alone. TF.js's optimizer objects keep nothing from one step to the next.
 */
import { defineStepOptimizer } from '../step.js';
import type { OptimizerEntry } from '../../optimizers/define.js';
import type { Hyper, Vec } from '../../optimizers/types.js';
import { loadTfjsCpu, type Tf } from './load.js';
import { tfjsOptimizers, type TfjsOptimizerSpec } from './optimizers.js';

export { tfjsOptimizers, type TfjsOptimizerSpec } from './optimizers.js';
export { loadTfjsCpu, AdapterUnavailableError, TFJS_PACKAGES } from './load.js';

/** The TF.js optimizer object's internals the adapter reads and writes (tfjs-core 4.22). */
type Internals = Record<string, unknown> & { applyGradients(g: Record<string, unknown>): void; dispose(): void };

let serial = 0;

/** The step function for `spec` with hyperparameters `h`, on the already loaded `tf`. */
function tfjsStep(tf: Tf, spec: TfjsOptimizerSpec, h: Readonly<Hyper>) {
  const cache = new Map<string, { t: number; x: number }>();
  return (params: Vec, grad: Vec, state: { t: number; buffers: Record<string, Vec> }): void => {
    if (tf.getBackend() !== 'cpu') {
      throw new TypeError(
        `${spec.name}: TensorFlow.js's active backend is '${tf.getBackend()}'; the adapter runs tf.train on 'cpu' (call tf.setBackend('cpu') again after switching)`,
      );
    }
    const t = state.t;
    const name = `optimlab_tfjs_${++serial}`;
    const opt = spec.make(tf, h) as unknown as Internals;
    const owned: { dispose(): void }[] = [];
    try {
      // Copies: tf.tensor1d keeps a reference to a Float32Array it is given.
      const param = tf.tidy(() => tf.variable(tf.tensor1d(params.slice() as Float32Array, 'float32'), true, name));
      owned.push(param);
      for (const s of spec.slots) {
        const variable = tf.tidy(() =>
          tf.tensor1d(state.buffers[s.buffer]!.slice() as Float32Array, 'float32').variable(false),
        );
        const arr = (opt[s.field] ??= []) as { originalName: string; variable: unknown }[];
        arr[0] = { originalName: `${name}/${s.buffer}`, variable };
      }
      for (const s of spec.scalars ?? []) {
        const x = tf.scalar(s.value(h, t, cache), 'float32');
        (opt[s.field] as { assign(x: unknown): void }).assign(x);
        x.dispose();
      }
      const g = tf.tensor1d(grad.slice() as Float32Array, 'float32');
      owned.push(g);
      opt.applyGradients({ [name]: g });
      params.set(param.dataSync() as Float32Array);
      for (const s of spec.slots) {
        const v = (opt[s.field] as { variable: { dataSync(): Float32Array } }[])[0]!.variable;
        state.buffers[s.buffer]!.set(v.dataSync());
      }
      for (const s of spec.scalars ?? []) {
        const got = (opt[s.field] as { dataSync(): Float32Array }).dataSync()[0]!;
        const want = s.value(h, t + 1, cache);
        if (!Object.is(got, want)) {
          throw new Error(
            `${spec.name}: after step ${t + 1} TF.js holds ${s.field} = ${got}, the adapter's model of it gives ${want}; this TensorFlow.js keeps its state differently from 4.22 (report it)`,
          );
        }
      }
    } finally {
      for (const o of owned) o.dispose();
      // Disposes the optimizer's own variables: the slot variables placed above and its scalars.
      opt.dispose();
      // MomentumOptimizer.dispose() does not dispose the learning-rate scalar its SGDOptimizer base
      // keeps (finding T8): one tensor a step would stay alive.
      const c = opt.c as { isDisposed?: boolean; dispose(): void } | undefined;
      if (c && c.isDisposed === false) c.dispose();
    }
  };
}

/** One registry entry for a tf.train optimizer (see the header); `tf` must be loaded with the cpu backend. */
export function tfjsEntry(tf: Tf, spec: TfjsOptimizerSpec): OptimizerEntry {
  const profile = `optimlab's ${spec.optimizer} in the tfjs profile (${spec.profileApi})`;
  return defineStepOptimizer<Hyper>({
    name: spec.name,
    title:
      spec.api.replace(/\(.*$/, '') +
      (spec.name.endsWith('nesterov')
        ? ' (nesterov)'
        : spec.name.endsWith('centered')
          ? ' (centered)'
          : spec.name.endsWith('-eps0')
            ? ' (ε = 0)'
            : ''),
    source: `TensorFlow.js ${tf.version_core} ${spec.api}, cpu backend, float32; reference: ${profile}`,
    rule: [`${spec.api} on the cpu backend (tfjs-core ${tf.version_core})`],
    hyper: spec.hyper,
    ...(spec.cross ? { cross: spec.cross } : {}),
    buffers: spec.slots.map((s) => s.buffer),
    traits: spec.traits,
    dtypes: ['float32'],
    // A step is ~0.4 ms (tensors made, applyGradients, read back), ~100 core steps: a law case that
    // fails and shrinks on a 24-step trajectory can take minutes of a loaded machine's clock.
    budgetScale: 5,
    init: (buffers, h) => {
      const start = spec.initial?.(h) ?? {};
      for (const [k, v] of Object.entries(start)) buffers[k]!.fill(v!);
    },
    create: (h) => tfjsStep(tf, spec, h),
  });
}

/**
 * Loads TensorFlow.js (cpu backend) and returns an entry for every tf.train optimizer; an
 * AdapterUnavailableError that says what to install when it is missing.
 */
export async function loadTfjsOptimizers(): Promise<OptimizerEntry[]> {
  const tf = await loadTfjsCpu();
  return tfjsOptimizers.map((s) => tfjsEntry(tf, s));
}
