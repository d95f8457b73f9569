/**
 * momentum, reference (Ruder 2016, §4.1):
 *   v_t = γ v_{t−1} + η g_t
 *   θ_t = θ_{t−1} − v_t
 */
import type { MomentumHyper } from '../src/optimizers/momentum.js';
import { elementwise, options } from './common.js';
import { add, leaf, mul } from './scaled.js';

export const momentum = elementwise<MomentumHyper>('momentum', ['v'], (h) => {
  const o = options(h);
  const gamma = leaf(h.momentum);
  return (theta, g, b) => {
    const gt = o.grad(g, theta);
    const v = add(mul(gamma, b.v!), mul(o.eta, gt));
    return { theta: o.apply(theta, v), b: { v } };
  };
});
