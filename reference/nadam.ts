/**
 * nadam, reference, in Ruder's simplified form (Ruder 2016, §4.8; Dozat 2016; constant β1, no
 * momentum-decay schedule):
 *   m_t, v_t, m̂_t, v̂_t as Adam
 *   θ_t = θ_{t−1} − η / (√v̂_t + ε) · (β1 m̂_t + (1 − β1) g_t / (1 − β1^t))
 */
import type { NadamHyper } from '../src/optimizers/nadam.js';
import { elementwise, oneMinusPow, options } from './common.js';
import { add, div, exact, leaf, mul, sqrt, sub } from './scaled.js';

export const nadam = elementwise<NadamHyper>('nadam', ['m', 'v'], (h, t) => {
  const o = options(h);
  const b1 = leaf(h.beta1);
  const b2 = leaf(h.beta2);
  const omb1 = sub(exact(1), b1);
  const omb2 = sub(exact(1), b2);
  const eps = leaf(h.eps);
  const c1 = oneMinusPow(h.beta1, t);
  const c2 = oneMinusPow(h.beta2, t);
  return (theta, g, b) => {
    const gt = o.grad(g, theta);
    const m = add(mul(b1, b.m!), mul(omb1, gt));
    const v = add(mul(b2, b.v!), mul(omb2, mul(gt, gt)));
    const mhat = div(m, c1);
    const vhat = div(v, c2);
    const look = add(mul(b1, mhat), div(mul(omb1, gt), c1));
    // η·(…)/(√v̂_t + ε): one quotient, so the zero-denominator rule (numerator 0 too) applies to it.
    const delta = div(mul(o.eta, look), add(sqrt(vhat), eps));
    return { theta: o.apply(theta, delta), b: { m, v } };
  };
});
