/**
 * amsgrad, reference (Reddi, Kale & Kumar 2018, Algorithm 2 with constant β1 and α_t = η, as Ruder
 * 2016, §4.10 writes it; no bias correction):
 *   m_t = β1 m_{t−1} + (1 − β1) g_t
 *   v_t = β2 v_{t−1} + (1 − β2) g_t²
 *   v̂_t = max(v̂_{t−1}, v_t)
 *   θ_t = θ_{t−1} − η m_t / (√v̂_t + ε)
 * Where √v̂_t + ε = 0, m_t = 0 and the update is 0.
 */
import type { AmsgradHyper } from '../src/optimizers/amsgrad.js';
import { elementwise, options } from './common.js';
import { add, div, exact, leaf, max, mul, sqrt, sub } from './scaled.js';

export const amsgrad = elementwise<AmsgradHyper>('amsgrad', ['m', 'v', 'vhat'], (h) => {
  const o = options(h);
  const b1 = leaf(h.beta1);
  const b2 = leaf(h.beta2);
  const omb1 = sub(exact(1), b1);
  const omb2 = sub(exact(1), b2);
  const eps = leaf(h.eps);
  return (theta, g, b) => {
    const gt = o.grad(g, theta);
    const m = add(mul(b1, b.m!), mul(omb1, gt));
    const v = add(mul(b2, b.v!), mul(omb2, mul(gt, gt)));
    const vhat = max(b.vhat!, v);
    const delta = div(mul(o.eta, m), add(sqrt(vhat), eps));
    return { theta: o.apply(theta, delta), b: { m, v, vhat } };
  };
});
