/**
 * Loads TensorFlow.js (tfjs-core and its `cpu` backend) on demand: optimlab does not depend on it.
 * The benchmark peers (benchmarks/peers/tfjs.ts) and the tf.train adapter (./optimizers.ts) both
 * load it through here.
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import { UserError } from '../../util/errors.js';
import { TFJS_CPU_EPSILON } from './optimizers.js';

export type Tf = typeof TfCore;

/** What to install, in the words an error message uses. */
export const TFJS_PACKAGES = ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu'] as const;

/**
 * A part of optimlab that needs an optional package that is not installed: the user's to fix, so
 * the CLI prints the message (what to install) and exits 2, without a stack trace.
 */
export class AdapterUnavailableError extends UserError {
  override name = 'AdapterUnavailableError';
}

/** Drops the one console banner tfjs prints in Node (advice to install tfjs-node) while `f` runs. */
export async function quietly<T>(f: () => Promise<T>): Promise<T> {
  const { log, warn } = console;
  const keep =
    (orig: (...a: unknown[]) => void) =>
    (...a: unknown[]) => {
      const text = a.map(String).join(' ');
      if (!/tfjs-node|^=+$|^\s*$/.test(text.trim())) orig(...a);
    };
  console.log = keep(log);
  console.warn = keep(warn);
  try {
    return await f();
  } finally {
    console.log = log;
    console.warn = warn;
  }
}

/**
 * Imports tfjs-core and the cpu backend module; AdapterUnavailableError (naming what to install)
 * when either is missing. `load` is the import (tests pass one that fails).
 */
export async function importTfjs(load: (name: string) => Promise<unknown> = (name) => import(name)): Promise<Tf> {
  try {
    const tf = (await load(TFJS_PACKAGES[0])) as Tf;
    await load(TFJS_PACKAGES[1]);
    return tf;
  } catch (e) {
    throw new AdapterUnavailableError(
      `TensorFlow.js is not installed (${(e as Error).message.split('\n')[0]}); install it beside optimlab: npm install -D ${TFJS_PACKAGES.map((p) => `${p}@4`).join(' ')}`,
    );
  }
}

let cpu: Promise<Tf> | undefined;

/**
 * tfjs-core with the `cpu` backend active (plain JS kernels: every operation computed in double and
 * stored in a Float32Array, so each one is correctly rounded to float32). Loaded once.
 */
export function loadTfjsCpu(): Promise<Tf> {
  cpu ??= (async () => {
    const tf = await importTfjs();
    // The cpu backend prints its banner on its first tensor write: make that write here, quietly.
    const ok = await quietly(async () => {
      const r = await tf.setBackend('cpu');
      await tf.ready();
      tf.tensor1d([0]).dispose();
      return r;
    });
    if (!ok || tf.getBackend() !== 'cpu')
      throw new AdapterUnavailableError(
        `TensorFlow.js is installed but tf.setBackend('cpu') failed; is ${TFJS_PACKAGES[1]} installed beside ${TFJS_PACKAGES[0]}?`,
      );
    const eps = tf.backend().epsilon();
    if (eps !== TFJS_CPU_EPSILON)
      throw new AdapterUnavailableError(
        `TensorFlow.js's cpu backend has epsilon() = ${eps}; the adapter was written for tfjs-core 4.x, where it is ${TFJS_CPU_EPSILON}`,
      );
    return tf;
  })();
  cpu.catch(() => {
    cpu = undefined;
  });
  return cpu;
}
