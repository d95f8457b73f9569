/**
 * Kernels: the step of one element, written in each optimizer file (docs/kernels.md), and the copies
 * that run: one function per dtype and switch setting, with the element loop unrolled by four.
 * optimlab's own copies are generated at build time (kernel/build.ts, `npm run kernels`) into
 * src/optimizers/generated; an outside optimizer's kernel is checked and compiled by defineOptimizer
 * (compileAtRunTime, below), with the same checker and the same code generator.
 *
 * Why copies, and why these (the figures: docs/benchmarking.md, "Kernels"):
 * - Monomorphic per dtype. V8 keeps type feedback per function, so one loop called with both
 *   Float64Array and Float32Array goes polymorphic and slows down (by a quarter for Adam, up to 40×
 *   for simpler loops). Each dtype has functions of its own.
 * - No branch per element for a switch. A `$switch ? a : b` tested per element costs a test and
 *   keeps V8 from optimising the loop as tightly as the loop without it (the default Adam step ran
 *   2× slower with four such tests); the always-on option terms s·g + λθ, κθ and max(d, 5e-324)
 *   cost 8 to 27%. Each setting is its own function with the switches folded away, so the loop that
 *   runs is the loop one would write by hand for that setting.
 * - Unrolled by four, in index order, each element in a block of its own: the same operations in
 *   the same order (bit-identical to the loop as written; test/kernel.test.ts compares them), with
 *   V8's loop machinery (induction variable, bound test, back edge with its interrupt check) paid
 *   once per four elements. sgd ran half as fast again unrolled; eight lanes gained a little on sgd
 *   and lost on Adam: four is the choice.
 * - Each copy's text differs (its name names kernel, dtype and setting): V8 caches compilations by
 *   source text, and copies sharing one would share type feedback.
 */
import { checkKernel } from './kernel/check.js';
import { emitFunction, UNROLL } from './kernel/emit-js.js';
import { SHARED_SWITCHES, specialise, type KernelSignature, type KernelTree } from './kernel/tree.js';
import type { Dtype, Vec } from './types.js';

/** Elements per iteration of an unrolled element loop. */
export { UNROLL };

/** The arrays of a kernel (its second parameter): p (the parameters), g (the gradient) and the buffers B. */
export type Elements<B extends string = never> = { readonly p: Vec; readonly g: Vec } & { readonly [K in B]: Vec };

/** The dtype constants a kernel may bind (its fifth parameter): `max`, the largest finite value. */
export interface Limits {
  readonly max: number;
}

/** A kernel as written: (i, arrays, scalars, switches?, limits?) => void (see docs/kernels.md). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type KernelFunction = (i: number, arrays: any, scalars: any, switches?: any, limits?: any) => void;

/** The kernel's scalar record (its third parameter), as the optimizer's `scalars` writes it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ScalarsOf<K> = K extends (i: number, a: any, s: infer S, ...rest: any[]) => void
  ? { -readonly [P in keyof S]: S[P] }
  : never;

/** The kernel's own switches (its fourth parameter), as the optimizer's `switches` returns them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SwitchesOf<K> = K extends (i: number, a: any, s: any, w: infer W, ...rest: any[]) => void
  ? unknown extends W
    ? Record<never, boolean>
    : W
  : never;

/** One compiled copy: a kernel for one dtype and switch setting, over all n = p.length elements. */
export type Variant = (p: Vec, g: Vec, buffers: Readonly<Record<string, Vec>>, scalars: object) => void;

/**
 * A kernel's copies, as the build generates them (src/optimizers/generated/*.js, see kernel/build.ts)
 * or as `compileAtRunTime` makes them at run time: per dtype, the function for each setting `bits`.
 */
export interface Compiled<K extends KernelFunction = KernelFunction> extends KernelSignature {
  /** SHARED_SWITCHES, then the kernel's own: switch k is bit k of a setting. */
  readonly switches: readonly string[];
  readonly float64: readonly Variant[];
  readonly float32: readonly Variant[];
  /** Makes a missing copy (kernels compiled at run time: see compileAtRunTime). */
  readonly make?: (dtype: Dtype, bits: number) => Variant;
  /** Type only: the kernel's function. */
  readonly source?: K;
}

/**
 * An outside optimizer's kernel, checked now (the same checker as the build's: a kernel that reads
 * anything but its parameters and Math is rejected with a KernelError naming it and the identifier)
 * and compiled per dtype and setting when first used, with the same specialisation as the build.
 * Each copy gets a `//# sourceURL` naming the optimizer, dtype and setting, so that stack traces and
 * coverage tools name it.
 */
export function compileAtRunTime<K extends KernelFunction>(kernel: K, optimizer: string): Compiled<K> {
  const tree: KernelTree = checkKernel(kernel, optimizer);
  const switches = [...SHARED_SWITCHES, ...tree.switches];
  const size = 2 ** switches.length;
  return Object.freeze({
    name: tree.name,
    file: tree.file,
    arrays: tree.arrays,
    scalars: tree.scalars,
    switches,
    float64: new Array<Variant>(size),
    float32: new Array<Variant>(size),
    make: (dtype: Dtype, bits: number) => compileStep(tree, bits, dtype, optimizer),
  });
}

/** The copy for this dtype and setting (made on first use for a kernel compiled at run time). */
export function variantOf(c: Compiled, dtype: Dtype, bits: number): Variant {
  const table = c[dtype] as Variant[];
  const f = table[bits];
  if (f !== undefined) return f;
  if (!c.make || bits >= table.length) throw new RangeError(`kernel ${c.name}: no ${dtype} copy for setting ${bits}`);
  return (table[bits] = c.make(dtype, bits));
}

function compileStep(tree: KernelTree, bits: number, dtype: Dtype, optimizer: string): Variant {
  const fn = emitFunction(specialise(tree, bits, dtype), tree.index);
  // The URL names the copy; the text differs per copy (its name), so V8 compiles each apart (one
  // cached compilation would share its type feedback between the dtypes).
  const url = `optimlab-kernel:///${encodeURIComponent(optimizer)}/${fn.name}.js`;
  return new Function(`"use strict";\nreturn ${fn.code};\n//# sourceURL=${url}`)() as Variant;
}
