/**
 * adagrad, reference (Ruder 2016, §4.3; Duchi et al. 2011), ε inside the root:
 *   G_t = G_{t−1} + g_t²
 *   θ_t = θ_{t−1} − η g_t / √(G_t + ε)
 * Where G_t + ε = 0, g_t = 0 and the update is 0 (scaled.ts's div).
 *
 * Conventions, as the frameworks document them (accumulator A_t = G_0 + Σ_{i≤t} g_i²):
 *   epsPlacement 'inside'   θ_t = θ_{t−1} − η_t g_t / √(A_t + ε)       Ruder; Keras, TF.js, optax
 *                'outside'  θ_t = θ_{t−1} − η_t g_t / (√A_t + ε)       PyTorch (std = state_sum.sqrt().add_(eps))
 *   initialAccumulator G_0  A_0 = G_0 (PyTorch initial_accumulator_value, Keras/TF.js/optax 0.1)
 *   lrDecay d               η_t = η / (1 + (t − 1) d)   (PyTorch lr_decay: clr = lr / (1 + (step − 1)·lr_decay))
 * State: the core's buffer 'G' holds Σ g_i² = A_t − G_0 (the accumulator less its start), so the
 * reference keeps the same: G_t = G_{t−1} + g_t², A_t = G_0 + G_t.
 */
import type { AdagradHyper } from '../src/optimizers/adagrad.js';
import { decayedRate, elementwise, options } from './common.js';
import { add, div, leaf, mul, sqrt } from './scaled.js';

export const adagrad = elementwise<AdagradHyper, { epsPlacement: string; initialAccumulator: number; lrDecay: number }>(
  'adagrad',
  ['G'],
  (h, t, c) => {
    const o = options(h);
    const eps = leaf(h.eps);
    const G0 = leaf(c.initialAccumulator);
    const eta = decayedRate(o.eta, c.lrDecay, t);
    return (theta, g, b) => {
      const gt = o.grad(g, theta);
      const G = add(b.G!, mul(gt, gt));
      const A = add(G0, G);
      const den = c.epsPlacement === 'outside' ? add(sqrt(A), eps) : sqrt(add(A, eps));
      const delta = div(mul(eta, gt), den);
      return { theta: o.apply(theta, delta), b: { G } };
    };
  },
  { epsPlacement: 'inside', initialAccumulator: 0, lrDecay: 0 },
);
