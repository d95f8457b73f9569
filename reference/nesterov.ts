/**
 * nesterov, reference, in the stored look-ahead form (DESIGN.md; Ruder 2016, §4.2): the parameters
 * held are φ = θ − γv, the gradient g_t is taken at φ_{t−1}, and
 *   v_t = γ v_{t−1} + η g_t
 *   φ_t = φ_{t−1} − γ v_t − η g_t
 * (with decoupled decay, ηλ_d φ_{t−1} is subtracted beside the step, as for every optimizer).
 */
import type { NesterovHyper } from '../src/optimizers/nesterov.js';
import { elementwise, options } from './common.js';
import { add, leaf, mul } from './scaled.js';

export const nesterov = elementwise<NesterovHyper>('nesterov', ['v'], (h) => {
  const o = options(h);
  const gamma = leaf(h.momentum);
  return (phi, g, b) => {
    const gt = o.grad(g, phi);
    const step = mul(o.eta, gt);
    const v = add(mul(gamma, b.v!), step);
    return { theta: o.apply(phi, add(mul(gamma, v), step)), b: { v } };
  };
});
