/**
 * 1 − β^t without cancellation.
 *
 * For β near 1 and small t, β^t is near 1 and `1 - Math.pow(beta, t)` loses most of its digits
 * (β = 0.999, t = 2: 1 − β^t ≈ 2e-3, so a 1-ulp error in β^t is a 5e-14 relative error, ~450 u).
 * Here 1 − β^t = −expm1(t · ln β), with ln β = log1p(β − 1) (β − 1 is exact for β ≥ 0.5 by
 * Sterbenz's lemma): a few units of roundoff for every t. At t = 1 the exact 1 − β is returned.
 */
export function oneMinusPow(beta: number, t: number): number {
  if (t === 1 || beta === 0) return 1 - beta;
  const lnBeta = beta >= 0.5 ? Math.log1p(beta - 1) : Math.log(beta);
  return -Math.expm1(t * lnBeta);
}
