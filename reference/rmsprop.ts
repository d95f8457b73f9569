/**
 * rmsprop, reference (Ruder 2016, §4.5; Hinton, lecture 6e), ε inside the root:
 *   E[g²]_t = ρ E[g²]_{t−1} + (1 − ρ) g_t²
 *   θ_t     = θ_{t−1} − η g_t / √(E[g²]_t + ε)
 * Where E[g²]_t + ε = 0, g_t = 0 and the update is 0.
 *
 * Conventions, as the frameworks document them (torch.optim.RMSprop's pseudocode; Keras's and
 * TF.js's rmsprop; optax's scale_by_rms / scale_by_stddev):
 *   centered      ḡ_t = ρ ḡ_{t−1} + (1 − ρ) g_t and D_t = E[g²]_t − ḡ_t² (else D_t = E[g²]_t)
 *   epsPlacement  den_t = √(D_t + ε) ('inside': Ruder, Keras, TF.js, optax) or √D_t + ε ('outside': PyTorch)
 *   momentum μ, lrPlacement
 *     'inside'    v_t = μ v_{t−1} + η g_t / den_t ;  θ_t = θ_{t−1} − v_t      (Keras, TF.js, optax)
 *     'outside'   b_t = μ b_{t−1} + g_t / den_t ;    θ_t = θ_{t−1} − η b_t    (PyTorch)
 *   centred off and μ = 0: θ_t = θ_{t−1} − η g_t / den_t (no extra state).
 * State, named as the core names it: 'Eg2' always; when centred or μ > 0, 'mg' (ḡ_t, kept whether
 * or not it is used) and 'mom' (v_t or b_t above, which with μ = 0 is just the last increment).
 * D_t ≥ 0 in exact arithmetic from a fresh state (Cauchy–Schwarz: ḡ_t² ≤ (1 − ρ^t) E[g²]_t); from a
 * state that was rounded it can be a hair below 0, and then counts as 0 (so does the core).
 */
import type { RmspropHyper } from '../src/optimizers/rmsprop.js';
import { elementwise, options } from './common.js';
import { add, div, exact, leaf, max, mul, sqrt, sub } from './scaled.js';

interface RmspropConventions {
  [k: string]: string | number | boolean;
  epsPlacement: string;
  centered: boolean;
  momentum: number;
  lrPlacement: string;
}

export const rmsprop = elementwise<RmspropHyper, RmspropConventions>(
  'rmsprop',
  ['Eg2'],
  (h, _t, c) => {
    const o = options(h);
    const rho = leaf(h.rho);
    const omr = sub(exact(1), rho);
    const eps = leaf(h.eps);
    const den = (D: ReturnType<typeof leaf>) => (c.epsPlacement === 'outside' ? add(sqrt(D), eps) : sqrt(add(D, eps)));
    if (!c.centered && c.momentum === 0) {
      return (theta, g, b) => {
        const gt = o.grad(g, theta);
        const Eg2 = add(mul(rho, b.Eg2!), mul(omr, mul(gt, gt)));
        const delta = div(mul(o.eta, gt), den(Eg2));
        return { theta: o.apply(theta, delta), b: { Eg2 } };
      };
    }
    const mu = leaf(c.momentum);
    const outside = c.lrPlacement === 'outside';
    return (theta, g, b) => {
      const gt = o.grad(g, theta);
      const Eg2 = add(mul(rho, b.Eg2!), mul(omr, mul(gt, gt)));
      const mg = add(mul(rho, b.mg!), mul(omr, gt));
      const D = c.centered ? max(sub(Eg2, mul(mg, mg)), exact(0)) : Eg2;
      const inc = div(outside ? gt : mul(o.eta, gt), den(D));
      const mom = add(mul(mu, b.mom!), inc);
      return { theta: o.apply(theta, outside ? mul(o.eta, mom) : mom), b: { Eg2, mg, mom } };
    };
  },
  { epsPlacement: 'inside', centered: false, momentum: 0, lrPlacement: 'inside' },
  (c) => (c.centered || c.momentum > 0 ? ['mg', 'mom'] : []),
);
