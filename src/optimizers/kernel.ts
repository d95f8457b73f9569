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
 *
 * Unrolled by four. Every copy runs its element loop `for (let i = 0; i < n; i++) { … }` four
 * elements per iteration (`unrollLoops`), each element in a block of its own with `const i`, then
 * the remaining n mod 4 one at a time. The elements are still processed in index order with the
 * same operations, so the results are bit-identical to the loop as written (a test compares them);
 * what changes is the cost per element of V8's loop machinery (induction variable, bound test,
 * back edge with its interrupt check), which a plain loop pays per element. Measured on this
 * machine (2-core Xeon, Node 20; Melem/s, plain → unrolled by 4): sgd float32 708 → 1075 and float64
 * 861 → 1455 at n = 1e4, sgd float32 677 → 1040 at n = 4e6, Adam float32 284 → 334 at n = 1e4. Eight
 * lanes gained another 3–10% on sgd and lost 7% on Adam float32 at n = 4e6; four is the choice.
 */
import { checkKernel } from './kernel/check.js';
import { emitFunction } from './kernel/emit-js.js';
import { SHARED_SWITCHES, specialise, type KernelSignature, type KernelTree } from './kernel/tree.js';
import type { Dtype, Vec } from './types.js';

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
export type ScalarsOf<K> = K extends (i: number, a: any, s: infer S, ...rest: any[]) => void ? { -readonly [P in keyof S]: S[P] } : never;

/** The kernel's own switches (its fourth parameter), as the optimizer's `switches` returns them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SwitchesOf<K> = K extends (i: number, a: any, s: any, w: infer W, ...rest: any[]) => void ? (unknown extends W ? Record<never, boolean> : W) : never;

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

/** Elements per iteration of an unrolled element loop. */
export const UNROLL = 4;

/** `for (let i = 0; i < n; i++) {`, with any spacing and names (a minifier may rename i and n). */
const LOOP_HEAD = /for\s*\(\s*let\s+([\w$]+)\s*=\s*0\s*;\s*\1\s*<\s*([\w$]+)\s*;\s*\1\s*\+\+\s*\)\s*\{/g;

/** Index just past the brace that closes the block opened before `from`, or -1 (skips strings and comments). */
function closingBrace(src: string, from: number): number {
  let depth = 1;
  for (let j = from; j < src.length; j++) {
    const ch = src[j];
    if (ch === '/' && src[j + 1] === '/') j = src.indexOf('\n', j) < 0 ? src.length : src.indexOf('\n', j);
    else if (ch === '/' && src[j + 1] === '*') j = src.indexOf('*/', j + 2) < 0 ? src.length : src.indexOf('*/', j + 2) + 1;
    else if (ch === '"' || ch === "'" || ch === '`') {
      for (j++; j < src.length && src[j] !== ch; j++) if (src[j] === '\\') j++;
    } else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return j + 1;
  }
  return -1;
}

/**
 * Each element loop `for (let i = 0; i < n; i++) { BODY }` of a kernel's source rewritten to run
 * `lanes` elements per iteration, in index order, then the rest one at a time:
 *
 *   { let i$u = 0; for (; i$u <= n - 4; i$u += 4) { { const i = i$u; BODY } … { const i = i$u + 3; BODY } }
 *     for (let i = i$u; i < n; i++) { BODY } }
 *
 * A loop whose body could leave an element early or touch `i` (continue, break, return, an
 * assignment to i) is left as written, as is any loop of another shape.
 */
export function unrollLoops(src: string, lanes = UNROLL): string {
  let out = '';
  let pos = 0;
  const head = new RegExp(LOOP_HEAD.source, 'g');
  for (let m = head.exec(src); m !== null; m = head.exec(src)) {
    const [text, i, n] = m as unknown as [string, string, string];
    const end = closingBrace(src, m.index + text.length);
    if (end < 0) break;
    const body = src.slice(m.index + text.length, end - 1);
    const touches = new RegExp(`\\b(continue|break|return)\\b|(^|[^\\w$.])${i.replace(/\$/g, '\\$')}\\s*(\\+\\+|--|[-+*/%]?=(?!=))|(\\+\\+|--)\\s*${i.replace(/\$/g, '\\$')}(?![\\w$])`);
    if (touches.test(body)) continue;
    const base = `${i}$u`;
    const copies = Array.from({ length: lanes }, (_, k) => `{ const ${i} = ${base}${k === 0 ? '' : ` + ${k}`};${body}\n}`).join(' ');
    out += `${src.slice(pos, m.index)}{ let ${base} = 0; for (; ${base} <= ${n} - ${lanes}; ${base} += ${lanes}) { ${copies} } for (let ${i} = ${base}; ${i} < ${n}; ${i}++) {${body}\n} }`;
    pos = end;
    head.lastIndex = end;
  }
  return out + src.slice(pos);
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
  const unrolled = instrumented ? src : unrollLoops(src);
  return { float64: variants(kernel, unrolled, switches, instrumented, 'float64'), float32: variants(kernel, unrolled, switches, instrumented, 'float32') };
}
