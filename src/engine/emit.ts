/**
 * The wasm backend: each Step (a kernel's checked tree for one switch setting and dtype:
 * src/optimizers/kernel/tree.ts, docs/kernels.md) becomes one WebAssembly function, built with
 * Binaryen's module builder (the `binaryen` package), validated and optimised by its passes.
 * Build time only.
 *
 * Exact by construction. The JS copies compute in doubles and round once per stored value; so does
 * every function here: float32 elements are widened exactly when loaded (f64.promote_f32) and
 * rounded to nearest-even when stored (f32.demote_f64), and every operation in between is the
 * IEEE 754 double operation the JavaScript one is (+ − × ÷, √, |x|, −x; Math.max and Math.min are
 * f64.max and f64.min in the scalar remainder, which like them return NaN when either operand is
 * NaN and order −0 below +0, and in the vector loop exact combinations of the pseudo-min/max
 * pmin/pmax, which alone do neither (see `extremum` and the 'max' case); comparisons are false on
 * NaN, as in JavaScript; `c ? a : b` evaluates both sides, which is the same since nothing in a kernel has an
 * effect or traps, and picks one). No fused multiply-add (WebAssembly has none outside relaxed
 * SIMD), no reassociation (Binaryen's optimiser keeps IEEE semantics: fast-math stays off).
 * Per-step scalars are computed in JS and passed in.
 *
 * Shape of a function: parameters (i32 byte offset per array of the Step, i32 n, f64 per scalar).
 * The loop runs `lanes` elements per iteration as lanes/2 f64x2 vectors, the vectors interleaved
 * statement by statement (the elements' order within an iteration is irrelevant: element i touches
 * only index i of arrays that do not overlap, which step checks), then the n mod lanes remaining
 * elements one at a time with the same operations on f64 scalars. `lanes` is 8 for a Step without
 * a division or square root, whose loop is short enough for the loop's own instructions to count,
 * and 4 otherwise, where the divider bounds the speed and more vectors per iteration only add
 * register spills (docs/wasm.md, "Speed"). Float32 arrays move two elements per 8-byte load
 * (load64_zero, promote_low: V8 makes it one cvtps2pd from memory) and store (demote_f64x2_zero,
 * store64_lane); one 16-byte load or store per two vectors, split and joined by shuffles, measured
 * slower.
 */
import binaryen from 'binaryen';
import type { Expr, Step, Stmt } from '../optimizers/kernel/tree.js';

/** Elements per iteration of the widest vector loop (see lanesOf). */
export const LANES = 8;

/** Does `e` divide or take a square root? */
function divides(e: Expr): boolean {
  switch (e.kind) {
    case 'binary':
      return e.op === '/' || divides(e.left) || divides(e.right);
    case 'math':
      return e.fn === 'sqrt' || e.args.some(divides);
    case 'unary':
      return divides(e.arg);
    case 'compare':
    case 'logical':
      return divides(e.left) || divides(e.right);
    case 'select':
      return divides(e.test) || divides(e.then) || divides(e.else);
    default:
      return false;
  }
}

/** Does the Step divide or take a square root anywhere (its statements, in blocks too, or θ's start)? */
function usesDivider(step: Step): boolean {
  const inStmt = (s: Stmt): boolean =>
    s.kind === 'block' ? s.body.some(inStmt) : 'value' in s ? divides(s.value) : false;
  return step.body.some(inStmt) || divides(step.base);
}

/**
 * Elements per iteration of a Step's vector loop: 8 (four f64x2 vectors) without a division or
 * square root, 4 (two) with one.
 */
export function lanesOf(step: Step): number {
  return usesDivider(step) ? 4 : LANES;
}

type Ref = number;

/** The export name of a kernel variant. */
export const exportName = (kernel: string, dtype: string, bits: number): string => `${kernel}.${dtype}.${bits}`;

export class EmitError extends Error {
  override name = 'EmitError';
}

/** The arithmetic of one f64x2 group of elements, or of one element (the remainder loop). */
interface Arith {
  num(x: number): Ref;
  truth(b: boolean): Ref;
  neg(a: Ref): Ref;
  abs(a: Ref): Ref;
  sqrt(a: Ref): Ref;
  not(a: Ref): Ref;
  add(a: Ref, b: Ref): Ref;
  sub(a: Ref, b: Ref): Ref;
  mul(a: Ref, b: Ref): Ref;
  div(a: Ref, b: Ref): Ref;
  max(a: Ref, b: Ref): Ref;
  min(a: Ref, b: Ref): Ref;
  /** x < c ? c : x and c < x ? c : x: Math.max(x, c) and Math.min(x, c) for a constant c ≠ 0, not NaN. */
  maxConst(x: Ref, c: Ref): Ref;
  minConst(x: Ref, c: Ref): Ref;
  /** Math.max(x, y) for a y that is never −0 (NaN allowed). */
  maxNonNegative(x: Ref, y: Ref): Ref;
  and(a: Ref, b: Ref): Ref;
  or(a: Ref, b: Ref): Ref;
  compare: Record<'<' | '<=' | '>' | '>=' | '===' | '!==', (a: Ref, b: Ref) => Ref>;
  /** test ? a : b, with both evaluated. */
  select(test: Ref, a: Ref, b: Ref): Ref;
  /** A value's type: v128 or f64. */
  type: number;
}

/** Adds `step` to `mod` as an exported function; returns its name. */
export function emitStep(mod: binaryen.Module, step: Step): string {
  const name = exportName(step.kernel, step.dtype, step.bits);
  const { i32, f64, v128, none } = binaryen;
  const f32 = step.dtype === 'float32';
  const shift = f32 ? 2 : 3;
  const lanes = lanesOf(step);
  const groups = lanes / 2;
  const fail = (what: string): never => {
    throw new EmitError(
      `${step.kernel} (${step.file}) ${step.dtype} setting ${step.bits}: the wasm backend cannot translate ${what}`,
    );
  };
  const nArrays = step.arrays.length;
  const nParam = nArrays + 1 + step.scalars.length;
  const paramTypes = [...step.arrays.map(() => i32), i32, ...step.scalars.map(() => f64)];
  const N = nArrays;
  const arrayIndex = (a: string): number => {
    const k = step.arrays.indexOf(a);
    return k >= 0 ? k : fail(`array '${a}' (not among the step's arrays ${step.arrays.join(', ')})`);
  };
  const scalarIndex = (s: string): number => {
    const k = step.scalars.indexOf(s);
    return k >= 0 ? k : fail(`scalar '${s}' (not among the step's scalars ${step.scalars.join(', ')})`);
  };

  // Locals after the parameters.
  const localTypes: number[] = [];
  const local = (type: number): number => {
    localTypes.push(type);
    return nParam + localTypes.length - 1;
  };
  const I = local(i32);
  const END = local(i32);
  const scalarV = step.scalars.map(() => local(v128));
  // The statements in the order they run: a `block` (the branch a folded `if` took, kept for source
  // maps) is its statements in place; const names are unique in a kernel (docs/kernels.md).
  const flat = (list: readonly Stmt[]): Stmt[] => list.flatMap((s) => (s.kind === 'block' ? flat(s.body) : [s]));
  const body = flat(step.body);
  const constV = new Map<string, number[]>();
  const constF = new Map<string, number>();
  for (const s of body) {
    if (s.kind !== 'const') continue;
    if (constF.has(s.name)) fail(`const '${s.name}' bound twice`);
    constV.set(
      s.name,
      Array.from({ length: groups }, () => local(v128)),
    );
    constF.set(s.name, local(f64));
  }
  const thetaV = Array.from({ length: groups }, () => local(v128));
  const thetaF = local(f64);

  const ptr = (array: number): Ref =>
    mod.i32.add(mod.local.get(array, i32), mod.i32.shl(mod.local.get(I, i32), mod.i32.const(shift)));

  const { f64x2, v128: v } = mod;
  const d = mod.f64;
  /**
   * Math.max (pick = pmax, tie = and) or Math.min (pmin, or) of two vectors: pick(a, b) and
   * pick(b, a) agree on the larger (smaller) of two ordered unequal values, and on equal ones
   * are a and b, which differ only as ±0: the bitwise AND of +0 and −0 is +0 (max), the OR −0
   * (min). A NaN in either is OR-ed in as all ones (a NaN) from a ≠ a and b ≠ b. Seven short
   * instructions where f64x2.max/min take eight, most of them in one dependent chain.
   */
  const extremum = (pick: (x: Ref, y: Ref) => Ref, tie: (x: Ref, y: Ref) => Ref, a: Ref, b: Ref): Ref => {
    const x = local(v128); // each operand is read three times: a Binaryen node has one parent
    const y = local(v128);
    const A = (): Ref => mod.local.get(x, v128);
    const B = (): Ref => mod.local.get(y, v128);
    return v.or(
      tie(pick(mod.local.tee(x, a, v128), mod.local.tee(y, b, v128)), pick(B(), A())),
      v.or(f64x2.ne(A(), A()), f64x2.ne(B(), B())),
    );
  };
  const wide: Arith = {
    type: v128,
    num: (x) => f64x2.splat(d.const(x)),
    truth: (b) => mod.i64x2.splat(mod.i64.const(b ? -1 : 0, b ? -1 : 0)),
    neg: f64x2.neg,
    abs: f64x2.abs,
    sqrt: f64x2.sqrt,
    not: v.not,
    add: f64x2.add,
    sub: f64x2.sub,
    mul: f64x2.mul,
    div: f64x2.div,
    max: (a, b) => extremum(f64x2.pmax, v.and, a, b),
    min: (a, b) => extremum(f64x2.pmin, v.or, a, b),
    maxConst: f64x2.pmax,
    minConst: f64x2.pmin,
    maxNonNegative: (x, y) => {
      const t = local(v128); // x is read twice: a Binaryen node has one parent
      return v.or(f64x2.pmax(y, mod.local.tee(t, x, v128)), f64x2.ne(mod.local.get(t, v128), mod.local.get(t, v128)));
    },
    and: v.and,
    or: v.or,
    compare: { '<': f64x2.lt, '<=': f64x2.le, '>': f64x2.gt, '>=': f64x2.ge, '===': f64x2.eq, '!==': f64x2.ne },
    select: (t, a, b) => v.bitselect(a, b, t),
  };
  const narrow: Arith = {
    type: f64,
    num: (x) => d.const(x),
    truth: (b) => mod.i32.const(b ? 1 : 0),
    neg: d.neg,
    abs: d.abs,
    sqrt: d.sqrt,
    not: mod.i32.eqz,
    add: d.add,
    sub: d.sub,
    mul: d.mul,
    div: d.div,
    max: d.max,
    min: d.min,
    maxConst: d.max,
    minConst: d.min,
    maxNonNegative: d.max,
    and: mod.i32.and,
    or: mod.i32.or,
    compare: { '<': d.lt, '<=': d.le, '>': d.gt, '>=': d.ge, '===': d.eq, '!==': d.ne },
    select: (t, a, b) => mod.select(t, a, b),
  };

  /** `e` for group g of the vector loop (ops = wide) or one element (ops = narrow, g = −1). */
  const expr = (e: Expr, ops: Arith, g: number): Ref => {
    const sub = (x: Expr): Ref => expr(x, ops, g);
    switch (e.kind) {
      case 'number':
        return ops.num(e.value);
      case 'boolean':
        return ops.truth(e.value);
      case 'scalar': {
        const k = scalarIndex(e.name);
        return g < 0 ? mod.local.get(nArrays + 1 + k, f64) : mod.local.get(scalarV[k]!, v128);
      }
      case 'local': {
        const l = g < 0 ? constF.get(e.name) : constV.get(e.name)?.[g];
        return l !== undefined ? mod.local.get(l, ops.type) : fail(`local '${e.name}' (not bound before its use)`);
      }
      case 'load': {
        const a = arrayIndex(e.array);
        if (g < 0) return f32 ? d.promote(mod.f32.load(0, 4, ptr(a))) : d.load(0, 8, ptr(a));
        return f32 ? f64x2.promote_low_f32x4(v.load64_zero(8 * g, 4, ptr(a))) : v.load(16 * g, 8, ptr(a));
      }
      case 'unary':
        return e.op === '-' ? ops.neg(sub(e.arg)) : e.op === '!' ? ops.not(sub(e.arg)) : sub(e.arg); // unary + is the identity on numbers
      case 'binary':
        return ops[({ '+': 'add', '-': 'sub', '*': 'mul', '/': 'div' } as const)[e.op]](sub(e.left), sub(e.right));
      case 'compare':
        return ops.compare[e.op](sub(e.left), sub(e.right));
      case 'logical':
        return (e.op === '&&' ? ops.and : ops.or)(sub(e.left), sub(e.right));
      case 'select':
        return ops.select(sub(e.test), sub(e.then), sub(e.else));
      case 'math': {
        const [a, b] = e.args.map(sub);
        switch (e.fn) {
          case 'sqrt':
          case 'abs':
            return ops[e.fn](a!);
          case 'max':
          case 'min': {
            // Against a constant c ≠ 0 that is not NaN, Math.max(x, c) is x < c ? c : x for every x
            // (NaN: x; ±0 and everything else: compared with c, whose sign is never in doubt), the
            // pseudo-maximum f64x2.pmax(x, c): one instruction where f64x2.max needs eight to order
            // ±0 and propagate NaN (likewise min and pmin). Math.max(c, x) has the same value.
            const [x, y] = e.args as [Expr, Expr];
            const c = (z: Expr): boolean => z.kind === 'number' && z.value !== 0 && !Number.isNaN(z.value);
            if (c(y)) return ops[e.fn === 'max' ? 'maxConst' : 'minConst'](a!, b!);
            if (c(x)) return ops[e.fn === 'max' ? 'maxConst' : 'minConst'](b!, a!);
            // Math.max(x, |z|) (or |z| first): |z| is never −0, so Math.max is |z| < x ? x : |z|
            // (±0 ordered right, a NaN |z| passed on: the pseudo-maximum pmax(|z|, x)) except when
            // x is NaN, which x ≠ x catches (all ones: a NaN). Three instructions for f64x2.max's
            // eight, and a shorter dependency chain (AdaMax: 1.1–1.4× the speed, docs/wasm.md).
            const abs = (z: Expr): boolean => z.kind === 'math' && z.fn === 'abs';
            if (e.fn === 'max' && (abs(x) || abs(y))) return ops.maxNonNegative(abs(y) ? a! : b!, abs(y) ? b! : a!);
            return ops[e.fn](a!, b!);
          }
          case 'sign': {
            // Math.sign: 1 above 0, −1 below, x itself otherwise (±0 keep their sign; NaN stays NaN).
            const x = e.args[0]!;
            return ops.select(
              ops.compare['>'](a!, ops.num(0)),
              ops.num(1),
              ops.select(ops.compare['<'](sub(x), ops.num(0)), ops.num(-1), sub(x)),
            );
          }
        }
        return fail(`Math.${String(e.fn)}`);
      }
      default:
        return fail(`an expression of kind '${e.kind}' (instrumented builds are JS only)`);
    }
  };

  const theta = (g: number): number => (g < 0 ? thetaF : thetaV[g]!);
  /** The statements of one element (g = −1) or of group g, in order; θ' kept in a local. */
  const stmts = (ops: Arith, g: number, out: Ref[][]): void => {
    let started = false;
    for (const s of body) {
      const put = (r: Ref): void => {
        out[g < 0 ? 0 : g]!.push(r);
      };
      switch (s.kind) {
        case 'const':
          put(mod.local.set(g < 0 ? constF.get(s.name)! : constV.get(s.name)![g]!, expr(s.value, ops, g)));
          break;
        case 'store': {
          const a = arrayIndex(s.array);
          const value = expr(s.value, ops, g);
          if (g < 0) put(f32 ? mod.f32.store(0, 4, ptr(a), mod.f32.demote(value)) : d.store(0, 8, ptr(a), value));
          else
            put(
              f32
                ? v.store64_lane(8 * g, 4, 0, ptr(a), mod.f32x4.demote_f64x2_zero(value))
                : v.store(16 * g, 8, ptr(a), value),
            );
          break;
        }
        case 'update': {
          const before = started ? mod.local.get(theta(g), ops.type) : expr(step.base, ops, g);
          put(mod.local.set(theta(g), (s.op === '-' ? ops.sub : ops.add)(before, expr(s.value, ops, g))));
          started = true;
          break;
        }
        default:
          fail(`a statement of kind '${s.kind}'`);
      }
    }
    // p[i] = θ' (θ' = base where the kernel made no update).
    const a = arrayIndex('p');
    const value = started ? mod.local.get(theta(g), ops.type) : expr(step.base, ops, g);
    out[g < 0 ? 0 : g]!.push(
      g < 0
        ? f32
          ? mod.f32.store(0, 4, ptr(a), mod.f32.demote(value))
          : d.store(0, 8, ptr(a), value)
        : f32
          ? v.store64_lane(8 * g, 4, 0, ptr(a), mod.f32x4.demote_f64x2_zero(value))
          : v.store(16 * g, 8, ptr(a), value),
    );
  };

  const prologue: Ref[] = [];
  step.scalars.forEach((_, k) =>
    prologue.push(mod.local.set(scalarV[k]!, f64x2.splat(mod.local.get(nArrays + 1 + k, f64)))),
  );
  prologue.push(mod.local.set(END, mod.i32.and(mod.local.get(N, i32), mod.i32.const(~(lanes - 1)))));
  prologue.push(mod.local.set(I, mod.i32.const(0)));

  // The vector loop: each group's statements in order, the groups interleaved statement by statement.
  const perGroup: Ref[][] = Array.from({ length: groups }, () => []);
  for (let g = 0; g < groups; g++) stmts(wide, g, perGroup);
  const vbody: Ref[] = [];
  for (let k = 0; k < perGroup[0]!.length; k++) for (let g = 0; g < groups; g++) vbody.push(perGroup[g]![k]!);
  vbody.push(mod.local.set(I, mod.i32.add(mod.local.get(I, i32), mod.i32.const(lanes))));
  vbody.push(mod.br('vloop', mod.i32.lt_u(mod.local.get(I, i32), mod.local.get(END, i32))));
  const vectorLoop = mod.block('vdone', [
    mod.br('vdone', mod.i32.ge_u(mod.local.get(I, i32), mod.local.get(END, i32))),
    mod.loop('vloop', mod.block(null, vbody)),
  ]);

  const one: Ref[][] = [[]];
  stmts(narrow, -1, one);
  const tbody = [...one[0]!];
  tbody.push(mod.local.set(I, mod.i32.add(mod.local.get(I, i32), mod.i32.const(1))));
  tbody.push(mod.br('tloop', mod.i32.lt_u(mod.local.get(I, i32), mod.local.get(N, i32))));
  const tailLoop = mod.block('tdone', [
    mod.br('tdone', mod.i32.ge_u(mod.local.get(I, i32), mod.local.get(N, i32))),
    mod.loop('tloop', mod.block(null, tbody)),
  ]);

  mod.addFunction(
    name,
    binaryen.createType(paramTypes),
    none,
    localTypes,
    mod.block(null, [...prologue, vectorLoop, tailLoop]),
  );
  mod.addFunctionExport(name, name);
  return name;
}

/** Features the module uses: SIMD, and threads for the shared memory it imports. */
export const FEATURES =
  binaryen.Features.SIMD128 |
  binaryen.Features.Atomics |
  binaryen.Features.BulkMemory |
  binaryen.Features.MutableGlobals;

/** A module that imports the engine's shared memory as env.memory. */
export function newModule(): binaryen.Module {
  const mod = new binaryen.Module();
  mod.setFeatures(FEATURES);
  mod.setMemory(1, 65536, null, [], true, false, 'memory');
  mod.addMemoryImport('memory', 'env', 'memory', true);
  return mod;
}

/** Validates and optimises `mod` (IEEE semantics kept: fast-math off); returns the binary. */
export function finish(mod: binaryen.Module): Uint8Array {
  if (!mod.validate()) throw new Error('the generated wasm module does not validate (see the messages above)');
  binaryen.setFastMath(false);
  binaryen.setOptimizeLevel(3);
  binaryen.setShrinkLevel(0);
  mod.optimize();
  if (!mod.validate()) throw new Error('the optimised wasm module does not validate');
  return mod.emitBinary();
}
