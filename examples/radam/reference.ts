/**
 * RAdam's decimal reference (Liu et al. 2020, Algorithm 2; the formula in ./optimizer.ts), in the
 * exact arithmetic of 'optimlab/reference'.
 *
 * ρ∞, ρ_t and r_t are built with the scaled operations, not as `known` values: ρ_t = ρ∞ − 2tβ2^t/(1 − β2^t)
 * cancels (β2 = 0.999, t = 5: 1999 − 1994.0 = 4.99), and a double computation of it errs by u times
 * the terms, not u times ρ_t; the scales carry that into r_t. The branch ρ_t > 4 is taken on the
 * exact ρ_t; where ρ_t is within its own error of 4 the core may take the other branch, and the
 * value is not judged (sign() marks it, as for Lion's sign(c)).
 *
 * The bound (units of u, float64), counted for the kernel and its scalars (optimizer.ts) by the rules
 * of docs/adding-an-optimizer.md: 1 − β2 1, 2/(1 − β2) 2, ρ∞ 3; β2^t (Math.pow) 2, 2t·β2^t 3,
 * 1 − β2^t 3, quotient 4 → ρ_t = ρ∞ − quotient 5 (rounded 6 to cover Math.pow's last ulp); ρ_t − 4,
 * ρ_t − 2 7; their product 15, × ρ∞ 19; (ρ∞ − 4)(ρ∞ − 2) 9, × ρ_t 16; quotient 20; √ 20 (r_t);
 * η·r_t 21, / (1 − β1^t) 22 (a); m 5; a·m 28; v 8, v·c2 13, √ 13, + ε 14; quotient 29; κθ − 30.
 * Not rectified: a = η/(1 − β1^t) 4, a·m 10, κθ − 11.
 */
import {
  add,
  defineReference,
  div,
  exact,
  leaf,
  mul,
  oneMinusPow,
  options,
  sign,
  sqrt,
  sub,
  abs,
  known,
  D,
  fromDouble,
} from 'optimlab/reference';
import { radam } from './optimizer.js';

export const reference = defineReference(radam, {
  source: 'Liu et al. 2020, "On the Variance of the Adaptive Learning Rate and Beyond", Algorithm 2',
  perElement: (h, t) => {
    const o = options(h);
    const b1 = leaf(h.beta1);
    const b2 = leaf(h.beta2);
    const omb1 = sub(exact(1), b1);
    const omb2 = sub(exact(1), b2);
    const eps = leaf(h.eps);
    const c1 = oneMinusPow(h.beta1, t);
    const c2 = oneMinusPow(h.beta2, t);
    // ρ∞ = 2/(1 − β2) − 1 and ρ_t, with their scales (β2^t is a known power of an exact β2).
    const rhoInf = sub(div(exact(2), omb2), exact(1));
    const b2t = known(new D(fromDouble(h.beta2)).pow(t));
    const rho = sub(rhoInf, div(mul(exact(2 * t), b2t), c2));
    // +1 where ρ_t > 4 (rectified), −1 below, carrying how certain that is (see the header).
    const side = sign(sub(rho, exact(4)));
    const rectified = side.v.gt(0);
    const r = rectified
      ? sqrt(
          div(
            mul(mul(sub(rho, exact(4)), sub(rho, exact(2))), rhoInf),
            mul(mul(sub(rhoInf, exact(4)), sub(rhoInf, exact(2))), rho),
          ),
        )
      : exact(1);
    const certain = abs(side); // exactly 1, with the branch's uncertainty
    return (theta, g, b) => {
      const gt = o.grad(g, theta);
      const m = add(mul(b1, b.m!), mul(omb1, gt));
      const v = add(mul(b2, b.v!), mul(omb2, mul(gt, gt)));
      const mhat = div(m, c1);
      const delta = rectified ? div(mul(mul(o.eta, r), mhat), add(sqrt(div(v, c2)), eps)) : mul(o.eta, mhat);
      return { theta: o.apply(theta, mul(delta, certain)), b: { m, v } };
    };
  },
  bound: {
    float64: 30,
    why: 'ρ∞ 3; ρ_t 6; (ρ_t − 4)(ρ_t − 2)ρ∞ 19; (ρ∞ − 4)(ρ∞ − 2)ρ_t 16; r_t = √(quotient) 20; a = η·r_t/(1 − β1^t) 22; m 5; a·m 28; √(v·c2) + ε 14; quotient 29; κθ − quotient 30 (not rectified: 11)',
  },
});
