/**
 * adadelta, reference (Zeiler 2012, Algorithm 1; Ruder 2016, §4.4):
 *   E[g²]_t  = ρ E[g²]_{t−1} + (1 − ρ) g_t²
 *   Δθ_t     = − (√(E[Δθ²]_{t−1} + ε) / √(E[g²]_t + ε)) g_t
 *   E[Δθ²]_t = ρ E[Δθ²]_{t−1} + (1 − ρ) Δθ_t²
 *   θ_t      = θ_{t−1} + η Δθ_t
 * η multiplies only the applied step: E[Δθ²] accumulates the unscaled Δθ (η = 1 is Zeiler's rule).
 *
 * Convention gradAverage:
 *   'current'   the rule above: the denominator is the average including g_t (Zeiler, PyTorch, Keras, optax)
 *   'previous'  TF.js AdadeltaOptimizer: Δθ_t = −(√(E[Δθ²]_{t−1} + ε) / √(E[g²]_{t−1} + ε)) g_t, the
 *               average before g_t (its accumulatedGrads is updated after the update is computed)
 */
import type { AdadeltaHyper } from '../src/optimizers/adadelta.js';
import { elementwise, options } from './common.js';
import { add, div, exact, leaf, mul, neg, sqrt, sub } from './scaled.js';

export const adadelta = elementwise<AdadeltaHyper, { gradAverage: string }>(
  'adadelta',
  ['Eg2', 'Edx2'],
  (h, _t, c) => {
    const o = options(h);
    const rho = leaf(h.rho);
    const omr = sub(exact(1), rho);
    const eps = leaf(h.eps);
    const previous = c.gradAverage === 'previous';
    return (theta, g, b) => {
      const gt = o.grad(g, theta);
      const Eg2 = add(mul(rho, b.Eg2!), mul(omr, mul(gt, gt)));
      const divisor = previous ? b.Eg2! : Eg2;
      const dx = neg(mul(div(sqrt(add(b.Edx2!, eps)), sqrt(add(divisor, eps))), gt));
      const Edx2 = add(mul(rho, b.Edx2!), mul(omr, mul(dx, dx)));
      // θ_t = θ_{t−1} + η Δθ_t, written as θ − Δ with Δ = −η Δθ_t.
      return { theta: o.apply(theta, neg(mul(o.eta, dx))), b: { Eg2, Edx2 } };
    };
  },
  { gradAverage: 'current' },
);
