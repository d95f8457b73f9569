/**
 * TensorFlow.js peers: tf.train optimizers on the `cpu` backend and the `wasm` backend (SIMD, one
 * thread, the .wasm binaries loaded from node_modules, no network), float32.
 *
 * Optional: the packages are devDependencies. When they are missing or a backend fails to start,
 * the peers are skipped with the reason, and the run goes on.
 *
 * Each peer is built with the registry's default hyperparameters of the optimizer of the same
 * name. One iteration is `applyGradients` on one variable of n elements with a constant gradient
 * tensor, then a one-element read of the variable (the backends are eager, so the work is done
 * by then either way; the read keeps the comparison with the JS tasks, which read one element, fair).
 * Every step's temporaries are disposed by tf.train itself; the task records how many tensors the
 * timed steps left alive (tensorsLeaked, 0 when memory does not grow), and disposes all it made.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type * as TfCore from '@tensorflow/tfjs-core';
import { importTfjs, quietly } from '../../src/adapters/tfjs/load.js';
import { getOptimizer } from '../../src/optimizers/registry.js';
import { blockFor } from '../measure.js';
import { optimizerStreams, taskId, type GroupData, type PlannedTask } from '../suite.js';

type Tf = typeof TfCore;
type TfOptimizer = TfCore.Optimizer;

/** Registry name → the tf.train constructor with our defaults. Registry optimizers not here have no peer. */
const PEERS: Record<string, (tf: Tf, h: Record<string, number>) => TfOptimizer> = {
  sgd: (tf, h) => tf.train.sgd(h.lr!),
  momentum: (tf, h) => tf.train.momentum(h.lr!, h.momentum!, false),
  // useNesterov: the same step as optimlab's nesterov with the rate outside (docs/adapters.md, tfjs-nesterov)
  nesterov: (tf, h) => tf.train.momentum(h.lr!, h.momentum!, true),
  adagrad: (tf, h) => tf.train.adagrad(h.lr!),
  adadelta: (tf, h) => tf.train.adadelta(h.lr!, h.rho!, h.eps!),
  rmsprop: (tf, h) => tf.train.rmsprop(h.lr!, h.rho!, 0, h.eps!),
  adam: (tf, h) => tf.train.adam(h.lr!, h.beta1!, h.beta2!, h.eps!),
  adamax: (tf, h) => tf.train.adamax(h.lr!, h.beta1!, h.beta2!, h.eps!, 0),
};

export const PEER_OPTIMIZERS: readonly string[] = Object.keys(PEERS);
export const ENGINES = ['tfjs-cpu', 'tfjs-wasm'] as const;
export type Engine = (typeof ENGINES)[number];

export interface TfjsPeers {
  tf: Tf;
  /** Switches the engine's backend on; resolves to a description, or throws with the reason. */
  activate(engine: Engine): Promise<string>;
}

/** Loads tfjs-core and both backends; throws with a clear reason when they are not installed. */
export async function loadTfjs(): Promise<TfjsPeers> {
  const req = createRequire(import.meta.url);
  const tf: Tf = await importTfjs();
  let wasm: { setWasmPaths(p: string): void };
  try {
    wasm = (await import('@tensorflow/tfjs-backend-wasm')) as unknown as typeof wasm;
  } catch (e) {
    throw new Error(
      `TensorFlow.js's wasm backend is not installed (${(e as Error).message.split('\n')[0]}); install @tensorflow/tfjs-backend-wasm to measure the peers`,
    );
  }
  // The .wasm binaries ship in the package's dist/ folder, beside its node entry point.
  const wasmDir = `${dirname(req.resolve('@tensorflow/tfjs-backend-wasm'))}/`;
  wasm.setWasmPaths(wasmDir);
  // One thread: the JS core runs on one thread too (and threads would need worker scripts).
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  return {
    tf,
    async activate(engine) {
      const backend = engine === 'tfjs-cpu' ? 'cpu' : 'wasm';
      // The cpu backend prints its banner on its first tensor write: make that write here, quietly.
      const ok = await quietly(async () => {
        const r = await tf.setBackend(backend);
        await tf.ready();
        tf.tensor1d([0]).dispose();
        return r;
      });
      if (!ok || tf.getBackend() !== backend) throw new Error(`tf.setBackend('${backend}') failed`);
      if (backend === 'cpu') return 'tfjs-backend-cpu (plain JS kernels)';
      const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
      return `tfjs-backend-wasm, SIMD ${simd ? 'on' : 'off'}, 1 thread, binaries from ${wasmDir}`;
    },
  };
}

let variables = 0;

/** One peer task: `name`'s tf.train optimizer on `engine`, float32, n elements. */
export function peerTask(peers: TfjsPeers, engine: Engine, name: string, n: number, minBlock: number): PlannedTask {
  const { tf } = peers;
  const entry = getOptimizer(name);
  const make = PEERS[name];
  if (!make)
    throw new RangeError(`no TensorFlow.js peer for optimizer '${name}'; peers: ${PEER_OPTIMIZERS.join(', ')}`);
  const block = blockFor(n, minBlock);
  const id = taskId('peer', `${engine}/${name}`, 'float32', n);
  return {
    id,
    kind: 'peer',
    name,
    engine,
    dtype: 'float32',
    n,
    block,
    streams: optimizerStreams(entry.buffers.length),
    prepare(data: GroupData) {
      const init = tf.tensor1d(data.params as Float32Array, 'float32');
      const v = tf.variable(init, true, `optimlab_bench_${++variables}`);
      init.dispose();
      const g = tf.tensor1d(data.grad as Float32Array, 'float32');
      const opt = make(tf, entry.defaults as Record<string, number>);
      const grads = { [v.name]: g };
      // One step before timing: tf.train optimizers create their accumulators on the first step.
      opt.applyGradients(grads);
      const alive = tf.memory().numTensors;
      let grown = 0;
      let k = 0;
      let last = 0;
      const fn = (): void => {
        for (let j = 0; j < block; j++) opt.applyGradients(grads);
        k = (k + 7919) % n;
        last = tf.tidy(() => tf.slice(v, [k], [1]).dataSync()[0]!);
      };
      return {
        fn,
        check() {
          grown = tf.memory().numTensors - alive;
          if (!Number.isFinite(last))
            throw new Error(`${id}: output is ${last} after the run; the measurement is discarded`);
        },
        dispose() {
          opt.dispose();
          v.dispose();
          g.dispose();
          return grown;
        },
      };
    },
  };
}
