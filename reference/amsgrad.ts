/**
 * amsgrad, reference (Reddi, Kale & Kumar 2018, Algorithm 2 with constant β1 and α_t = η, as Ruder
 * 2016, §4.10 writes it; no bias correction):
 *   m_t = β1 m_{t−1} + (1 − β1) g_t
 *   v_t = β2 v_{t−1} + (1 − β2) g_t²
 *   v̂_t = max(v̂_{t−1}, v_t)
 *   θ_t = θ_{t−1} − η m_t / (√v̂_t + ε)
 * Where √v̂_t + ε = 0, m_t = 0 and the update is 0.
 *
 * Conventions (m_t, v_t as above in every form; the buffer 'vhat' holds the running max):
 *   form 'ruder'         the rule above
 *        'rawMax'        PyTorch Adam(amsgrad=True): v_t^max = max(v_{t−1}^max, v_t);
 *                        θ_t = θ_{t−1} − η (m_t / (1 − β1^t)) / (√(v_t^max / (1 − β2^t)) + ε)
 *        'correctedMax'  optax scale_by_amsgrad: ν_t = max(ν_{t−1}, v_t / (1 − β2^t));
 *                        θ_t = θ_{t−1} − η (m_t / (1 − β1^t)) / (√ν_t + ε)
 *   epsMode 'hat'        Keras Adam(amsgrad=True), with 'rawMax': α_t = η √(1 − β2^t) / (1 − β1^t),
 *                        θ_t = θ_{t−1} − α_t m_t / (√v_t^max + ε̂). The other forms have no 1/(1 − β2^t)
 *                        after the max to move, so 'hat' leaves them as they are.
 */
import type { AmsgradHyper } from '../src/optimizers/amsgrad.js';
import { elementwise, oneMinusPow, options } from './common.js';
import { add, div, exact, leaf, max, mul, sqrt, sub } from './scaled.js';

export const amsgrad = elementwise<AmsgradHyper, { form: string; epsMode: string }>(
  'amsgrad',
  ['m', 'v', 'vhat'],
  (h, t, c) => {
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
      let vhat;
      let delta;
      if (c.form === 'rawMax') {
        vhat = max(b.vhat!, v);
        delta =
          c.epsMode === 'hat'
            ? div(mul(div(mul(o.eta, sqrt(c2)), c1), m), add(sqrt(vhat), eps))
            : div(mul(o.eta, div(m, c1)), add(sqrt(div(vhat, c2)), eps));
      } else if (c.form === 'correctedMax') {
        vhat = max(b.vhat!, div(v, c2));
        delta = div(mul(o.eta, div(m, c1)), add(sqrt(vhat), eps));
      } else {
        vhat = max(b.vhat!, v);
        delta = div(mul(o.eta, m), add(sqrt(vhat), eps));
      }
      return { theta: o.apply(theta, delta), b: { m, v, vhat } };
    };
  },
  { form: 'ruder', epsMode: 'outside' },
);
