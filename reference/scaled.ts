/**
 * Exact values with their error scale: the arithmetic every reference optimizer is written in.
 *
 * A `Sc` is a pair (v, a): v is the exact value (Decimal, 50 digits), a ≥ |v| is the scale against
 * which a floating-point computation of v is judged: a correct implementation that rounds each
 * operation with relative error ≤ u computes v with an error of at most about (depth)·u·a, to
 * first order. `a` is the classic "absolute" evaluation of the formula (Higham, Accuracy and
 * Stability of Numerical Algorithms, §3.1, the |f|_abs forward-error bound), extended by first-order
 * propagation through the operations that are not sums and products:
 *
 *   leaf x (a stored double, a hyperparameter)   a = |x|
 *   x ± y                                          a = a_x + a_y         (sum of absolute values)
 *   x ± y, both inputs (leaf, exact)               a = |x ± y|           (one rounding of an exact result)
 *   x · y                                          a = |x|·a_y + a_x·|y| − |x·y|
 *   x / y                                          a = a_x/|y| + |x|·a_y/y²   (both relative errors add)
 *   √y                                             a = √y + a_y / (2√y)      (half the relative error, plus its own rounding)
 *   max(x, y), |x|, −x                             a = max(a_x, a_y), a_x, a_x
 *   sign(x)                                        exact ±1 or 0 (a = |v|), judged only where x's sign is
 *                                                  decided: c = a_x/|x| (see "Where first order stops")
 *
 * A sum of two inputs (stored doubles, hyperparameters, small integers: `e` set) is computed by any
 * implementation with one rounding of its exact value, fl(x ± y) = (x ± y)(1 + δ), so its scale is
 * |x ± y|: 1 − β is judged against |1 − β|, not 1 + β (2000 times wider at β = 0.999, which let an
 * Adam weighting g² by 1 − β but correcting by 1 − fl32(β)^t pass law B1 at ~1000·K·u relative).
 *
 * For a sum the scale is the sum of the absolute values of its terms, so cancellation INSIDE an
 * expression is respected: Adam's m_t = β1 m + (1 − β1) g can cancel to nearly 0, and a float
 * implementation then unavoidably carries an absolute error ≈ u·|β1 m| into Δ = η m̂/(√v̂ + ε). The
 * naive scale u·(|θ| + |Δ|) would call that error hundreds of u; this one carries
 * a_m = |β1 m| + |(1 − β1) g| through the quotient, so Δ's scale is η a_m/((1 − β1^t)(√v̂ + ε)).
 *
 * Underflow: a result with 0 < |v| < 2^-1022 (subnormal in float64, where the core computes) can
 * lose relative accuracy; the standard model fl(x op y) = (x op y)(1 + δ) + η, |η| ≤ 2^-1075 adds an
 * absolute term, here 2^-1022 in units of u64 (= 2^-1075 / 2^-53), carried like any other error.
 *
 * `a` is a plain double: it is a scale, and its own relative error (1e-16) does not matter.
 *
 * Where first order stops. A quotient x/y is first-order accurate only while y's own uncertainty
 * is small against |y|: with a relative perturbation δ of y, 1/(y(1 + δ)) = (1/y)(1 − δ + δ² − …).
 * `c` carries the largest a_y/|y| of any divisor on the way to a value (0 for leaves), and likewise
 * the second-order factor of products of two uncertain factors (see mul): a judge with
 * unit roundoff u and bound K may trust the scale only while K·u·c is small (a centred RMSprop with
 * ρ ≈ 1e-9 computes E[g²] − ḡ² ≈ 9e-9 from terms of 1e10: a_y/|y| ≈ 1e18, and any double evaluation
 * may return 0 there; the value is not determined by the inputs at that precision).
 */
import type { Decimal } from 'decimal.js';
import { D, fromDouble } from './decimal.js';

export interface Sc {
  /** The exact value (to 50 significant digits). */
  readonly v: Decimal;
  /** The error scale: a correct float implementation errs by at most ~(a few)·u·a. */
  readonly a: number;
  /** The largest relative uncertainty a_y/|y| of a divisor on the way (absent: 0). See the header. */
  readonly c?: number;
  /** True for an input (a stored double, a hyperparameter, a small integer): no rounding on its way. */
  readonly e?: boolean;
}

const cOf = (...xs: Sc[]): number => {
  let c = 0;
  for (const x of xs) if (x.c !== undefined && x.c > c) c = x.c;
  return c;
};
/** Attaches c to a result when it is nonzero. */
const withC = (r: Sc, c: number): Sc => (c > 0 ? { ...r, c } : r);

/** Absolute underflow term, in units of u64. */
const UNDERFLOW = 2 ** -1022;
const ZERO = new D(0);

const absNum = (v: Decimal): number => Math.abs(v.toNumber());

function tiny(v: Decimal): boolean {
  // 0 < |v| < 2^-1022 ≈ 2.2e-308: decimal exponent below -308 is enough (a margin, not a bound).
  return !v.isZero() && v.e < -307;
}

function make(v: Decimal, a: number): Sc {
  // NaN arises only from ∞·0 or ∞ − ∞: an unbounded first-order sensitivity, so no judgement.
  const s = Number.isNaN(a) ? Infinity : a;
  return { v, a: tiny(v) ? s + UNDERFLOW : s };
}

/** A double as an exact leaf (a stored value or a hyperparameter). */
export function leaf(x: number): Sc {
  return { v: fromDouble(x), a: Math.abs(x), e: true };
}

/** An exact Decimal computed to a few ulps by any good implementation (1 − β^t, say): a = |v|. */
export function known(v: Decimal): Sc {
  return make(v, absNum(v));
}

export function add(x: Sc, y: Sc): Sc {
  const v = x.v.plus(y.v);
  return withC(make(v, x.e && y.e ? absNum(v) : x.a + y.a), cOf(x, y));
}

export function sub(x: Sc, y: Sc): Sc {
  const v = x.v.minus(y.v);
  return withC(make(v, x.e && y.e ? absNum(v) : x.a + y.a), cOf(x, y));
}

export function mul(x: Sc, y: Sc): Sc {
  // An exact zero factor (a = 0) makes the product exactly 0, whatever the other's scale.
  if ((x.a === 0 && x.v.isZero()) || (y.a === 0 && y.v.isZero())) return withC({ v: x.v.times(y.v), a: 0 }, cOf(x, y));
  const ax = absNum(x.v);
  const ay = absNum(y.v);
  // For leaves this is |x·y| (the classic |f|_abs); a propagated excess a − |·| is carried with
  // exactly the derivative's weight (|y| resp. |x|), which a_x·a_y would halve for a ≈ |·|.
  const a = ax * y.a + x.a * ay - ax * ay;
  // Where both factors carry propagated error (excess a − |·| > 0), the product's error has the
  // second-order term e_x·e_y ≤ (K·u)²·a_x·a_y, which first order ignores: against the scale above
  // it is K·u·c with c = a_x·a_y / a. c ≈ 1 unless both factors are uncertain near-zeros (then the
  // first-order scale vanishes: (λθ)² with θ exactly 0 in the reference and a rounding residue in
  // the core, a = 0, c = ∞). A judge trusts the scale only while K·u·c is small (see the header).
  const second = x.a > ax && y.a > ay ? (a > 0 ? (x.a * y.a) / a : Infinity) : 0;
  return withC(make(x.v.times(y.v), a), Math.max(cOf(x, y), second));
}

/**
 * x / y. Where y = 0 exactly (no nonzero gradient has reached the coordinate), x must be 0 too and
 * the result is 0 (the core's zero-denominator rule); a nonzero x over 0 is a reference error.
 */
export function div(x: Sc, y: Sc): Sc {
  if (y.v.isZero()) {
    if (!x.v.isZero())
      throw new RangeError(`reference: ${x.v.toString()} / 0: a nonzero numerator over a zero denominator`);
    return withC({ v: ZERO, a: x.a === 0 && y.a === 0 ? 0 : Infinity }, cOf(x, y));
  }
  const ay = absNum(y.v);
  const ax = absNum(x.v);
  return withC(make(x.v.div(y.v), x.a / ay + (ax * y.a) / (ay * ay)), Math.max(cOf(x, y), y.a / ay));
}

export function sqrt(y: Sc): Sc {
  if (y.v.isNeg() && !y.v.isZero()) throw new RangeError(`reference: √(${y.v.toString()})`);
  const r = y.v.sqrt();
  if (r.isZero()) return withC({ v: r.abs(), a: y.a === 0 ? 0 : Infinity }, cOf(y));
  const rn = r.toNumber();
  return withC(make(r, rn + y.a / (2 * rn)), cOf(y));
}

export function max(x: Sc, y: Sc): Sc {
  return withC({ v: x.v.gte(y.v) ? x.v : y.v, a: Math.max(x.a, y.a) }, cOf(x, y));
}

export function abs(x: Sc): Sc {
  return withC(x.e ? { v: x.v.abs(), a: x.a, e: true } : { v: x.v.abs(), a: x.a }, cOf(x));
}

export function neg(x: Sc): Sc {
  return withC(x.e ? { v: x.v.neg(), a: x.a, e: true } : { v: x.v.neg(), a: x.a }, cOf(x));
}

/**
 * sign(x): −1, 0 or +1, exactly (Lion's update). A float implementation that computes x with an
 * error of up to K·u·a_x gets the sign right wherever |x| > K·u·a_x; nearer to 0 either sign is a
 * correct answer and the two differ by 1 (or 2) in units of the result. So the result is exact
 * (a = |sign|) and carries c = a_x/|x|, the relative uncertainty of x: a judge skips the value where
 * c·K·u > 1/16 (accuracy.ts, firstOrderValid), as it skips a quotient by an uncertain divisor.
 * x = 0 exactly with a_x = 0 (no error possible) gives 0 with c unchanged; with a_x > 0, c = ∞.
 */
export function sign(x: Sc): Sc {
  const s = x.v.isZero() ? 0 : x.v.isNeg() ? -1 : 1;
  const rel = x.v.isZero() ? (x.a === 0 ? 0 : Infinity) : x.a / absNum(x.v);
  return withC({ v: new D(s), a: Math.abs(s) }, Math.max(cOf(x), rel));
}

/** A leaf from a Decimal that is exact in every implementation (±1, a small integer): a = |v|. */
export function exact(v: Decimal | number): Sc {
  const d = typeof v === 'number' ? fromDouble(v) : v;
  return { v: d, a: absNum(d), e: true };
}

/** Leaves for every element of a typed array. */
export function leaves(xs: ArrayLike<number>): Sc[] {
  const out: Sc[] = new Array(xs.length);
  for (let i = 0; i < xs.length; i++) out[i] = leaf(xs[i]!);
  return out;
}
