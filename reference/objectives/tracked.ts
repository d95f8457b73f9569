/**
 * Tracked decimals for the objectives' reference: each value carries, beside its exact value (to
 * 50 digits, reference/decimal.ts), a first-order bound on the error float64 makes when it
 * evaluates the same expression in the same order: running error analysis (Wilkinson 1963; Higham
 * 2002, "Accuracy and Stability of Numerical Algorithms", §3.3). The bound is kept in units of
 * u = 2^-53; with the standard model fl(a ∘ b) = (a ∘ b)(1 + δ), |δ| ≤ u:
 *
 *   a ± b : e = e_a + e_b + |a ± b|
 *   a × b : e = |b| e_a + |a| e_b + |ab|
 *   a / b : e = (e_a + |a/b| e_b) / |b| + |a/b|
 *   exp, log, log1p: the propagated error (derivative × e_arg) + 2|result|, as V8's fdlibm-derived
 *     Math.exp / Math.log / Math.log1p are accurate to < 1 ulp ≤ 2u relative.
 *
 * Inputs that are doubles are exact (e = 0). The bound respects cancellation: a difference of two
 * large, nearly equal values keeps their errors, not u times the small result. Law A2 checks
 * |core − exact| ≤ e · u, with a factor 1 + 2^-20 for the second-order terms the model drops.
 */
import type { Decimal } from 'decimal.js';
import { D, fromDouble } from '../decimal.js';

export class T {
  constructor(
    /** The exact value (50 significant digits). */
    readonly v: Decimal,
    /** First-order bound on float64's error evaluating it, in units of u. */
    readonly e: Decimal,
  ) {}
}

const ZERO = new D(0);
/** An exact input (a double). */
export const c = (x: number): T => new T(fromDouble(x), ZERO);
export const vec = (x: ArrayLike<number>): T[] => Array.from(x as ArrayLike<number>, c);

export function add(a: T, b: T): T {
  const v = a.v.plus(b.v);
  return new T(v, a.e.plus(b.e).plus(v.abs()));
}
export function sub(a: T, b: T): T {
  const v = a.v.minus(b.v);
  return new T(v, a.e.plus(b.e).plus(v.abs()));
}
export function mul(a: T, b: T): T {
  const v = a.v.times(b.v);
  return new T(v, b.v.abs().times(a.e).plus(a.v.abs().times(b.e)).plus(v.abs()));
}
export function div(a: T, b: T): T {
  const v = a.v.div(b.v);
  return new T(v, a.e.plus(v.abs().times(b.e)).div(b.v.abs()).plus(v.abs()));
}
export function neg(a: T): T {
  return new T(a.v.neg(), a.e);
}
export function abs(a: T): T {
  return new T(a.v.abs(), a.e);
}
export function exp(a: T): T {
  const v = a.v.exp();
  return new T(v, v.times(a.e).plus(v.times(2)));
}
export function log(a: T): T {
  const v = a.v.ln();
  return new T(v, a.e.div(a.v.abs()).plus(v.abs().times(2)));
}
export function log1p(a: T): T {
  const one = a.v.plus(1);
  const v = one.ln();
  return new T(v, a.e.div(one.abs()).plus(v.abs().times(2)));
}
/** σ(z) as the core computes it: 1/(1 + e^−z) for z ≥ 0, e^z/(1 + e^z) otherwise. */
export function sigmoid(z: T): T {
  if (z.v.gte(0)) return div(c(1), add(c(1), exp(neg(z))));
  const e = exp(z);
  return div(e, add(c(1), e));
}
