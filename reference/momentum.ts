/**
 * momentum, reference (Ruder 2016, §4.1):
 *   v_t = γ v_{t−1} + η g_t
 *   θ_t = θ_{t−1} − v_t
 *
 * Conventions, as the frameworks document them:
 *   lrPlacement 'inside'   the rule above (Ruder; Keras writes it with m = −v: m_t = γ m_{t−1} − η g_t,
 *                          θ_t = θ_{t−1} + m_t)
 *               'outside'  PyTorch SGD (torch.optim docs), TF.js momentum, optax trace:
 *                          b_t = γ b_{t−1} + g_t ;  θ_t = θ_{t−1} − η b_t   (buffer 'v' holds b)
 *   dampening τ            PyTorch: b_1 = g_1, b_t = γ b_{t−1} + (1 − τ) g_t for t > 1. With 'inside'
 *                          the same damping of the new gradient: v_t = γ v_{t−1} + η (1 − τ) g_t for t > 1.
 */
import type { MomentumHyper } from '../src/optimizers/momentum.js';
import { elementwise, options } from './common.js';
import { add, exact, leaf, mul, sub } from './scaled.js';

export const momentum = elementwise<MomentumHyper, { lrPlacement: string; dampening: number }>(
  'momentum',
  ['v'],
  (h, t, c) => {
    const o = options(h);
    const gamma = leaf(h.momentum);
    // The first step is never damped (PyTorch initialises the buffer with the gradient itself).
    const damp = t === 1 ? exact(1) : sub(exact(1), leaf(c.dampening));
    if (c.lrPlacement === 'outside') {
      return (theta, g, b) => {
        const gt = o.grad(g, theta);
        const buf = add(mul(gamma, b.v!), mul(damp, gt));
        return { theta: o.apply(theta, mul(o.eta, buf)), b: { v: buf } };
      };
    }
    return (theta, g, b) => {
      const gt = o.grad(g, theta);
      const v = add(mul(gamma, b.v!), mul(mul(o.eta, damp), gt));
      return { theta: o.apply(theta, v), b: { v } };
    };
  },
  { lrPlacement: 'inside', dampening: 0 },
);
