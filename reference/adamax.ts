/**
 * adamax, reference (Kingma & Ba 2015, §7.1, Algorithm 2; Ruder 2016, §4.7):
 *   m_t = β1 m_{t−1} + (1 − β1) g_t
 *   u_t = max(β2 u_{t−1}, |g_t|)
 *   θ_t = θ_{t−1} − (η / (1 − β1^t)) m_t / (u_t + ε)
 * ε = 0 is the paper's rule; ε > 0 sits in the denominator (u_t + ε). Where u_t + ε = 0, m_t = 0
 * and the update is 0.
 *
 * Conventions:
 *   epsPlacement 'denominator'  the rule above (Keras 3, TF.js)
 *                'max'          PyTorch Adamax, optax scale_by_adamax: u_t = max(β2 u_{t−1}, |g_t| + ε);
 *                               θ_t = θ_{t−1} − (η / (1 − β1^t)) m_t / u_t
 *   lrDecay d                   TF.js adamax's decay: η_t = η / (1 + (t − 1) d) replaces η
 */
import type { AdamaxHyper } from '../src/optimizers/adamax.js';
import { decayedRate, elementwise, oneMinusPow, options } from './common.js';
import { abs, add, div, exact, leaf, max, mul, sub } from './scaled.js';

export const adamax = elementwise<AdamaxHyper, { epsPlacement: string; lrDecay: number }>(
  'adamax',
  ['m', 'u'],
  (h, t, c) => {
    const o = options(h);
    const b1 = leaf(h.beta1);
    const b2 = leaf(h.beta2);
    const omb1 = sub(exact(1), b1);
    const eps = leaf(h.eps);
    const c1 = oneMinusPow(h.beta1, t);
    const eta = decayedRate(o.eta, c.lrDecay, t);
    const inMax = c.epsPlacement === 'max';
    return (theta, g, b) => {
      const gt = o.grad(g, theta);
      const m = add(mul(b1, b.m!), mul(omb1, gt));
      const u = inMax ? max(mul(b2, b.u!), add(abs(gt), eps)) : max(mul(b2, b.u!), abs(gt));
      const delta = div(mul(div(eta, c1), m), inMax ? u : add(u, eps));
      return { theta: o.apply(theta, delta), b: { m, u } };
    };
  },
  { epsPlacement: 'denominator', lrDecay: 0 },
);
