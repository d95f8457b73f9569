/**
 * adagrad, reference (Ruder 2016, §4.3; Duchi et al. 2011), ε inside the root:
 *   G_t = G_{t−1} + g_t²
 *   θ_t = θ_{t−1} − η g_t / √(G_t + ε)
 * Where G_t + ε = 0, g_t = 0 and the update is 0 (scaled.ts's div).
 */
import type { AdagradHyper } from '../src/optimizers/adagrad.js';
import { elementwise, options } from './common.js';
import { add, div, leaf, mul, sqrt } from './scaled.js';

export const adagrad = elementwise<AdagradHyper>('adagrad', ['G'], (h) => {
  const o = options(h);
  const eps = leaf(h.eps);
  return (theta, g, b) => {
    const gt = o.grad(g, theta);
    const G = add(b.G!, mul(gt, gt));
    const delta = div(mul(o.eta, gt), sqrt(add(G, eps)));
    return { theta: o.apply(theta, delta), b: { G } };
  };
});
