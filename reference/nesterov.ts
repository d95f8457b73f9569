/**
 * nesterov, reference, in the stored look-ahead form (src/optimizers/nesterov.ts; Ruder 2016, §4.2): the parameters
 * held are φ = θ − γv, the gradient g_t is taken at φ_{t−1}, and
 *   v_t = γ v_{t−1} + η g_t
 *   φ_t = φ_{t−1} − γ v_t − η g_t
 * (with decoupled decay, ηλ_d φ_{t−1} is subtracted beside the step, as for every optimizer).
 *
 * Conventions:
 *   lrPlacement 'inside'   the rule above (Ruder; Keras: m_t = γ m_{t−1} − η g_t, φ_t = φ_{t−1} + γ m_t − η g_t)
 *               'outside'  PyTorch SGD(nesterov=True), TF.js, optax: b_t = γ b_{t−1} + g_t,
 *                          g ← g_t + γ b_t, φ_t = φ_{t−1} − η (g_t + γ b_t)   (buffer 'v' holds b)
 */
import type { NesterovHyper } from '../src/optimizers/nesterov.js';
import { elementwise, options } from './common.js';
import { add, leaf, mul } from './scaled.js';

export const nesterov = elementwise<NesterovHyper, { lrPlacement: string }>(
  'nesterov',
  ['v'],
  (h, _t, c) => {
    const o = options(h);
    const gamma = leaf(h.momentum);
    if (c.lrPlacement === 'outside') {
      return (phi, g, b) => {
        const gt = o.grad(g, phi);
        const buf = add(mul(gamma, b.v!), gt);
        return { theta: o.apply(phi, mul(o.eta, add(gt, mul(gamma, buf)))), b: { v: buf } };
      };
    }
    return (phi, g, b) => {
      const gt = o.grad(g, phi);
      const step = mul(o.eta, gt);
      const v = add(mul(gamma, b.v!), step);
      return { theta: o.apply(phi, add(mul(gamma, v), step)), b: { v } };
    };
  },
  { lrPlacement: 'inside' },
);
