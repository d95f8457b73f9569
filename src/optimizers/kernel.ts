/**
 * Monomorphic kernels per dtype.
 *
 * V8 keeps type feedback per function (closures made by one factory share it), so one loop called
 * with both Float64Array and Float32Array goes polymorphic and slows down (measured here: 25% for
 * Adam at n = 1e3 and 1e6; up to 40× for simpler loops). Each optimizer therefore writes its loop
 * once, as a self-contained function (it may use only its arguments and `Math`), and this module
 * gives the float32 path a fresh copy compiled from the same source, with feedback of its own.
 */
import type { Dtype } from './types.js';

/** Source text of code-coverage or mutation-testing instrumentation, which a copy cannot see. */
const INSTRUMENTED = /stryMutAct_|cov_[0-9a-z]+\(|__vite_ssr|__name\(/;

export type KernelPair<K> = Readonly<Record<Dtype, K>>;

export function specialize<K extends (...args: never[]) => void>(kernel: K): KernelPair<K> {
  const src = kernel.toString();
  if (INSTRUMENTED.test(src)) return { float64: kernel, float32: kernel };
  const copy = new Function(`"use strict"; return (${src});`)() as K;
  return { float64: kernel, float32: copy };
}
