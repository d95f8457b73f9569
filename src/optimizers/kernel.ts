/**
 * Kernels compiled per dtype and per switch setting.
 *
 * Monomorphic per dtype. V8 keeps type feedback per function (closures made by one factory share
 * it), so one loop called with both Float64Array and Float32Array goes polymorphic and slows down
 * (measured here: 25% for Adam at n = 1e3 and 1e6; up to 40× for simpler loops). Each optimizer
 * therefore writes its loop once, as a self-contained function (it may use only its arguments and
 * `Math`), and this module compiles a fresh copy of it per dtype, each with feedback of its own.
 *
 * No branch per element for a switch. A kernel parameter whose name starts with `$` is a switch:
 * a boolean that selects a form of the update (maximize, weight decay on or off, the 0/0 guard, a
 * framework's convention). Written as a plain `$switch ? a : b` in the loop, it would cost a
 * test per element and, measured at n = 1e6, keep V8 from optimising the loop as tightly as a
 * loop without it (the default Adam step ran 2× slower with four such tests in its loop, and the
 * always-on option terms s·g + λθ, κθ and max(d, 5e-324) cost 8 to 27% against a hand-written
 * loop). So `pick(...)` compiles the kernel once per switch setting that is used, with the
 * switches assigned as constants at the top of its body: the optimiser folds every `$switch ? a : b`
 * to a or b, and the loop that runs is exactly the loop one would write by hand for that setting.
 * Switch values are taken in parameter order; the copies are made lazily and cached (at most 2^k
 * per dtype for k switches), so a step allocates nothing.
 */
import type { Dtype } from './types.js';

/** Source text of code-coverage or mutation-testing instrumentation, which a copy cannot see. */
const INSTRUMENTED = /stryMutAct_|cov_[0-9a-z]+\(|__vite_ssr|__name\(/;

type AnyKernel = (...args: never[]) => void;

export interface Variants<K> {
  /** Names of the kernel's `$` switches, in parameter order. */
  readonly switches: readonly string[];
  /** The kernel compiled with its switches fixed to these values (in parameter order). */
  pick(a?: boolean, b?: boolean, c?: boolean, d?: boolean, e?: boolean, f?: boolean): K;
}

export type KernelPair<K> = Readonly<Record<Dtype, Variants<K>>>;

/** The names of a function's parameters (kernels have plain identifiers, no defaults). */
export function parameterNames(src: string): string[] {
  const open = src.indexOf('(');
  const close = src.indexOf(')', open);
  return src
    .slice(open + 1, close)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function variants<K extends AnyKernel>(kernel: K, src: string, switches: readonly string[], instrumented: boolean, dtype: Dtype): Variants<K> {
  const cache: (K | undefined)[] = new Array(2 ** switches.length).fill(undefined);
  const body = src.indexOf('{') + 1;
  const compile = (bits: number): K => {
    if (instrumented) return kernel;
    const pins = switches.map((s, i) => `${s} = ${(bits >> i) & 1 ? 'true' : 'false'};`).join(' ');
    // The source must differ per copy: V8 caches `new Function` by source text, and copies from one
    // cached compilation share their type feedback (measured: the float32 Adam copy then ran 2.2×
    // slower than a hand-written loop). The comment names the copy and makes its text unique.
    const tag = `/* optimlab kernel ${kernel.name} ${dtype} ${switches.map((s, i) => `${s}=${(bits >> i) & 1}`).join(' ')} */`;
    return new Function(`"use strict"; ${tag} return (${src.slice(0, body)} ${pins}${src.slice(body)});`)() as K;
  };
  return {
    switches,
    pick(a?: boolean, b?: boolean, c?: boolean, d?: boolean, e?: boolean, f?: boolean): K {
      const bits = (a ? 1 : 0) | (b ? 2 : 0) | (c ? 4 : 0) | (d ? 8 : 0) | (e ? 16 : 0) | (f ? 32 : 0);
      return cache[bits] ?? (cache[bits] = compile(bits));
    },
  };
}

/** Per dtype, the kernel's variants (see the module comment). */
export function specialize<K extends AnyKernel>(kernel: K): KernelPair<K> {
  const src = kernel.toString();
  const switches = parameterNames(src).filter((p) => p.startsWith('$'));
  if (switches.length > 6) throw new RangeError(`kernel ${kernel.name}: ${switches.length} switches; at most 6`);
  const instrumented = INSTRUMENTED.test(src);
  return { float64: variants(kernel, src, switches, instrumented, 'float64'), float32: variants(kernel, src, switches, instrumented, 'float32') };
}
