/**
 * sgd, reference: θ_t = θ_{t−1} − η g_t (Ruder 2016, §2), with the shared options (common.ts).
 * sgd has no convention options: every framework's SGD without momentum is this rule.
 */
import type { SgdHyper } from '../src/optimizers/sgd.js';
import { elementwise, options } from './common.js';
import { mul } from './scaled.js';

export const sgd = elementwise<SgdHyper>('sgd', [], (h) => {
  const o = options(h);
  return (theta, g) => {
    const gt = o.grad(g, theta);
    return { theta: o.apply(theta, mul(o.eta, gt)), b: {} };
  };
});
