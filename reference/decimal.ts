/**
 * The reference's number system: decimal.js at 50 significant digits, exact conversion of a
 * double into it, and correct rounding back to float64 and float32.
 *
 * Why 50 digits. Every reference operation rounds to 50 significant digits, a relative error of at
 * most 5e-50. The accuracy measure (properties/accuracy.ts) judges the core against a scale of the
 * form u·(|θ| + |Δ|_abs) with u ≥ 2^-53 ≈ 1.1e-16, and the reference's own error is bounded by the
 * same kind of scale times (number of operations)·5e-50. A single step has < 30 operations and the
 * longest trajectory law runs 40 steps, so the reference's error is below 30·40·5e-50 / 1.1e-16
 * ≈ 5e-31 in units of u: invisible at any K we report. 40 digits would already give 5e-21; 50 keeps
 * a margin for longer trajectories and costs little (decimal.js's cost grows with the digits the
 * operands actually hold).
 *
 * Exact conversion. A double is m·2^e with an integer m < 2^53; for e < 0 that is m·5^-e·10^e, whose
 * decimal digits we write out with BigInt (up to 767 significant digits for subnormals). The
 * Decimal constructor keeps a decimal string exactly (it does not round to `precision`), whereas
 * decimal.js's binary/hex strings ('0x1.8p+3') ARE rounded to precision (measured: '0x1p-1074'
 * comes back with 20 digits), and the shortest round-trip string of a double ('0.1') is not its
 * value (0.1000000000000000055511151231257827021181583404541015625).
 *
 * Rounding back. The ECMAScript spec lets Number(string) round inexactly beyond 20 significant
 * digits (RoundMVResult is implementation-defined there), so we do not rely on it: we take
 * Number(x) (or Math.fround of it) as a first guess and then correct it by comparing x with the
 * exact midpoints to its neighbours, ties to even. For float32 this also removes the double
 * rounding of x → float64 → float32 (a float64 that lands exactly on a float32 midpoint).
 */
import { Decimal } from 'decimal.js';
import type { Dtype } from '../src/optimizers/types.js';

/** The reference's Decimal: 50 significant digits, round half to even, no exponent limits in range. */
export const D = Decimal.clone({
  precision: 50,
  rounding: Decimal.ROUND_HALF_EVEN,
  toExpNeg: -7,
  toExpPos: 21,
  minE: -9e15,
  maxE: 9e15,
});
export type D = Decimal;

/** Unbounded-enough precision for exact sums of two doubles (midpoints): ≤ 1100 digits. */
const X = Decimal.clone({ precision: 1200, rounding: Decimal.ROUND_HALF_EVEN, minE: -9e15, maxE: 9e15 });

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

const pow5 = new Map<number, bigint>();
function fivePow(k: number): bigint {
  let p = pow5.get(k);
  if (p === undefined) {
    p = 5n ** BigInt(k);
    pow5.set(k, p);
  }
  return p;
}

/** The exact decimal string of a finite double (no rounding whatsoever). */
export function exactString(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`exactString: ${x} is not finite`);
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  f64[0] = x;
  const bits = u64[0]!;
  const neg = bits >> 63n === 1n;
  const be = Number((bits >> 52n) & 0x7ffn);
  let m = bits & 0xfffffffffffffn;
  let e: number;
  if (be === 0)
    e = -1074; // subnormal: m·2^-1074
  else {
    m |= 1n << 52n;
    e = be - 1075;
  }
  const sign = neg ? '-' : '';
  if (e >= 0) return sign + (m << BigInt(e)).toString();
  // m·2^e = m·5^-e · 10^e
  return `${sign}${(m * fivePow(-e)).toString()}e${e}`;
}

/** A double as a Decimal, exactly: NaN, ±Infinity and −0 included. */
export function fromDouble(x: number): Decimal {
  if (Number.isNaN(x)) return new D(NaN);
  if (!Number.isFinite(x)) return new D(x);
  return new D(exactString(x));
}

/** A typed array (or number list) as exact Decimals. */
export function fromVec(v: ArrayLike<number>): Decimal[] {
  const out: Decimal[] = new Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = fromDouble(v[i]!);
  return out;
}

function nextAfter(x: number, dtype: Dtype, up: boolean): number {
  // x is finite and representable in dtype.
  if (x === 0) {
    const tiny = dtype === 'float64' ? Number.MIN_VALUE : 2 ** -149;
    return up ? tiny : -tiny;
  }
  if (dtype === 'float64') {
    f64[0] = x;
    u64[0] = x > 0 === up ? u64[0]! + 1n : u64[0]! - 1n;
    return f64[0]!;
  }
  f32[0] = x;
  u32[0] = x > 0 === up ? u32[0]! + 1 : u32[0]! - 1;
  return f32[0]!;
}

function evenMantissa(x: number, dtype: Dtype): boolean {
  if (dtype === 'float64') {
    f64[0] = x;
    return (u64[0]! & 1n) === 0n;
  }
  f32[0] = x;
  return (u32[0]! & 1) === 0;
}

const MAX = { float64: Number.MAX_VALUE, float32: 3.4028234663852886e38 } as const;
/** The overflow thresholds: max + ½ulp (a tie there rounds to ∞, as max has an odd mantissa). */
const OVERFLOW = {
  float64: new X(exactString(Number.MAX_VALUE)).plus(new X(2).pow(970)),
  float32: new X(exactString(3.4028234663852886e38)).plus(new X(2).pow(103)),
} as const;

/** The midpoint of two adjacent finite values a < b of the dtype, exactly. */
function midpoint(a: number, b: number): Decimal {
  return new X(exactString(a)).plus(new X(exactString(b))).div(2);
}

/**
 * x rounded to the nearest value of `dtype` (ties to even), correctly for every x: the result is
 * the value a perfect float64 / float32 implementation would store. −0 stays −0; a nonzero x that
 * rounds to zero keeps its sign.
 */
export function roundTo(x: Decimal, dtype: Dtype): number {
  if (x.isNaN()) return NaN;
  if (!x.isFinite()) return x.isNeg() ? -Infinity : Infinity;
  if (x.isZero()) return x.isNeg() ? -0 : 0;
  const neg = x.isNeg();
  const ax = x.abs();
  if (ax.cmp(OVERFLOW[dtype]) >= 0) return neg ? -Infinity : Infinity;
  let f = Number(ax.toString());
  if (dtype === 'float32') f = Math.fround(f);
  if (f > MAX[dtype]) f = MAX[dtype]; // below the threshold: at most max
  // Correct the guess: |x| must lie within the rounding interval of f (ties to even).
  for (let iter = 0; iter < 4; iter++) {
    if (f < MAX[dtype]) {
      const up = nextAfter(f, dtype, true);
      const c = ax.cmp(midpoint(f, up));
      if (c > 0 || (c === 0 && !evenMantissa(f, dtype))) {
        f = up;
        continue;
      }
    }
    if (f > 0) {
      const dn = nextAfter(f, dtype, false);
      const c = ax.cmp(midpoint(dn, f));
      if (c < 0 || (c === 0 && !evenMantissa(f, dtype))) {
        f = dn;
        continue;
      }
    } else {
      // f = 0: |x| > 0 rounds up to the smallest subnormal beyond its midpoint (handled above).
    }
    break;
  }
  return neg ? -f : f;
}

/** Rounds every element to the dtype, as a typed array of that dtype. */
export function toVec(xs: readonly Decimal[], dtype: Dtype): Float64Array | Float32Array {
  const out = dtype === 'float64' ? new Float64Array(xs.length) : new Float32Array(xs.length);
  for (let i = 0; i < xs.length; i++) out[i] = roundTo(xs[i]!, dtype);
  return out;
}
