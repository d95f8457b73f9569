/**
 * adam, reference (Kingma & Ba 2015, Algorithm 1; Ruder 2016, §4.6), ε outside the root:
 *   m_t = β1 m_{t−1} + (1 − β1) g_t
 *   v_t = β2 v_{t−1} + (1 − β2) g_t²
 *   m̂_t = m_t / (1 − β1^t),  v̂_t = v_t / (1 − β2^t)
 *   θ_t = θ_{t−1} − η m̂_t / (√v̂_t + ε)
 * Where √v̂_t + ε = 0 (ε = 0, no nonzero gradient yet), m_t = 0 and the update is 0.
 *
 * Convention epsMode:
 *   'outside'  the rule above (Algorithm 1; PyTorch, TF.js, optax)
 *   'hat'      Keras 3 Adam (and Kingma & Ba §2's "more efficient" order):
 *                α_t = η √(1 − β2^t) / (1 − β1^t);  θ_t = θ_{t−1} − α_t m_t / (√v_t + ε̂)
 *              (Keras writes m_t = m_{t−1} + (g_t − m_{t−1})(1 − β1), the same number in exact arithmetic.)
 */
import type { AdamHyper } from '../src/optimizers/adam.js';
import { elementwise, oneMinusPow, options } from './common.js';
import { add, div, exact, leaf, mul, sqrt, sub } from './scaled.js';

export const adam = elementwise<AdamHyper, { epsMode: string }>(
  'adam',
  ['m', 'v'],
  (h, t, c) => {
    const o = options(h);
    const b1 = leaf(h.beta1);
    const b2 = leaf(h.beta2);
    const omb1 = sub(exact(1), b1);
    const omb2 = sub(exact(1), b2);
    const eps = leaf(h.eps);
    const c1 = oneMinusPow(h.beta1, t);
    const c2 = oneMinusPow(h.beta2, t);
    const alpha = div(mul(o.eta, sqrt(c2)), c1);
    return (theta, g, b) => {
      const gt = o.grad(g, theta);
      const m = add(mul(b1, b.m!), mul(omb1, gt));
      const v = add(mul(b2, b.v!), mul(omb2, mul(gt, gt)));
      if (c.epsMode === 'hat') {
        return { theta: o.apply(theta, div(mul(alpha, m), add(sqrt(v), eps))), b: { m, v } };
      }
      const mhat = div(m, c1);
      const vhat = div(v, c2);
      const delta = div(mul(o.eta, mhat), add(sqrt(vhat), eps));
      return { theta: o.apply(theta, delta), b: { m, v } };
    };
  },
  { epsMode: 'outside' },
);
