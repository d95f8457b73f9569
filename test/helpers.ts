/**
 * Shared helpers for the unit tests of the optimizer core (issue 2). Not a test file itself.
 *
 * Expected values in the tests are derived by hand from the formulas; where they are not exact
 * in binary they are written as closed forms and evaluated here in decimal.js (never by the code
 * under test), and compared with a stated tolerance in units of u.
 */
import { Decimal } from 'decimal.js';
import { expect } from 'vitest';
import type { Dtype, OptimizerState, Vec } from '../src/index.js';

/** 200 significant digits: enough to hold every double the tests meet exactly (|exponent| ≤ ~500). */
export const D = Decimal.clone({ precision: 200 });
export type Dec = InstanceType<typeof D>;

/** Unit roundoff of the two dtypes. */
export const U64 = 2 ** -53;
export const U32 = 2 ** -24;

/** The exact value of a double, through its bits (never through its shortest decimal string). */
export function exact(x: number): Dec {
  if (!Number.isFinite(x)) throw new RangeError(`exact: ${x} is not finite`);
  if (x === 0) return new D(0);
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  const bits = dv.getBigUint64(0);
  const sign = bits >> 63n ? -1 : 1;
  const e = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  // normal: (2^52 + frac) · 2^(e − 1075); subnormal: frac · 2^(1 − 1075)
  const mant = e === 0 ? frac : frac | (1n << 52n);
  const exp = (e === 0 ? 1 : e) - 1075;
  const m = new D(mant.toString());
  const two = new D(2);
  const v = exp >= 0 ? m.times(two.pow(exp)) : m.div(two.pow(-exp));
  return sign < 0 ? v.neg() : v;
}

/**
 * Asserts |actual − expected| ≤ K · u · scale, with u the unit roundoff of `dtype`.
 * `expected` is the exact (hand-derived) value; for float32 it is first rounded to float32
 * (Math.fround of the exact value, through its double) as the brief prescribes.
 * K = 0 asserts bit equality with the (rounded) expected value (Object.is: −0 ≠ +0).
 */
export function near(actual: number, expected: number | Dec, K: number, dtype: Dtype, scale?: number, what = ''): void {
  const e64 = typeof expected === 'number' ? expected : expected.toNumber();
  const e = dtype === 'float32' ? Math.fround(e64) : e64;
  if (K === 0) {
    expect(Object.is(actual, e), `${what}: got ${actual}, expected exactly ${e}`).toBe(true);
    return;
  }
  const u = dtype === 'float32' ? U32 : U64;
  const s = scale ?? Math.abs(e);
  const ref = dtype === 'float32' ? exact(e) : typeof expected === 'number' ? exact(expected) : expected;
  const err = exact(actual).minus(ref).abs();
  const bound = new D(K).times(u).times(exact(s));
  expect(
    err.lte(bound),
    `${what}: got ${actual}, expected ${ref.toSignificantDigits(25).toString()} ± ${K}u·${s}; error ${err
      .div(new D(u).times(exact(s === 0 ? 1 : s)))
      .toSignificantDigits(4)
      .toString()}u·scale`,
  ).toBe(true);
}

/** Byte copy of a typed array's own elements. */
export function bytes(v: ArrayBufferView): Uint8Array {
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength).slice();
}

/** Everything a step may touch, as bytes: params, grad, every buffer, and t. */
export function snapshot(params: unknown, grad: unknown, state: OptimizerState): unknown {
  const view = (x: unknown) => (ArrayBuffer.isView(x) ? Array.from(bytes(x)) : x);
  const buffers: Record<string, unknown> = {};
  if (state && typeof state === 'object' && state.buffers && typeof state.buffers === 'object') {
    for (const [k, b] of Object.entries(state.buffers)) buffers[k] = view(b);
  }
  return { params: view(params), grad: view(grad), t: state?.t, buffers };
}

export function vec(dtype: Dtype, xs: readonly number[]): Vec {
  return dtype === 'float64' ? Float64Array.from(xs) : Float32Array.from(xs);
}

/** mulberry32: a tiny seeded PRNG, so the round-trip tests are repeatable. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const DTYPES: readonly Dtype[] = ['float64', 'float32'];
