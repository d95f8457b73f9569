/**
 * rmsprop, reference (Ruder 2016, §4.5; Hinton, lecture 6e), ε inside the root:
 *   E[g²]_t = ρ E[g²]_{t−1} + (1 − ρ) g_t²
 *   θ_t     = θ_{t−1} − η g_t / √(E[g²]_t + ε)
 * Where E[g²]_t + ε = 0, g_t = 0 and the update is 0.
 */
import type { RmspropHyper } from '../src/optimizers/rmsprop.js';
import { elementwise, options } from './common.js';
import { add, div, exact, leaf, mul, sqrt, sub } from './scaled.js';

export const rmsprop = elementwise<RmspropHyper>('rmsprop', ['Eg2'], (h) => {
  const o = options(h);
  const rho = leaf(h.rho);
  const omr = sub(exact(1), rho);
  const eps = leaf(h.eps);
  return (theta, g, b) => {
    const gt = o.grad(g, theta);
    const Eg2 = add(mul(rho, b.Eg2!), mul(omr, mul(gt, gt)));
    const delta = div(mul(o.eta, gt), sqrt(add(Eg2, eps)));
    return { theta: o.apply(theta, delta), b: { Eg2 } };
  };
});
