/**
 * nadam, reference, in Ruder's simplified form (Ruder 2016, §4.8; Dozat 2016; constant β1, no
 * momentum-decay schedule):
 *   m_t, v_t, m̂_t, v̂_t as Adam
 *   θ_t = θ_{t−1} − η / (√v̂_t + ε) · (β1 m̂_t + (1 − β1) g_t / (1 − β1^t))
 *
 * Convention schedule (m_t, v_t and v̂_t = v_t / (1 − β2^t) as Adam in every form):
 *   'none'      the rule above (Ruder 2016)
 *   'constant'  optax scale_by_adam(nesterov=True): Dozat's corrections with μ_t = β1,
 *                 θ_t = θ_{t−1} − η (β1 m_t / (1 − β1^{t+1}) + (1 − β1) g_t / (1 − β1^t)) / (√v̂_t + ε)
 *   'dozat'     PyTorch NAdam (ψ = momentum_decay), Keras Nadam (0.96^t: ψ = 1):
 *                 μ_t = β1 (1 − ½·0.96^{tψ}),  Π_t = μ_1 μ_2 ⋯ μ_t,
 *                 θ_t = θ_{t−1} − η (μ_{t+1} m_t / (1 − Π_t μ_{t+1}) + (1 − μ_t) g_t / (1 − Π_t)) / (√v̂_t + ε)
 *               0.96 is the double nearest 0.96, as every implementation writes it.
 * μ_t is a function of exact inputs (β1, ψ, t) that a good implementation evaluates to a few ulps:
 * its scale is |μ_t| (scaled.ts's `known`); Π_t is their product, 1 − μ_t and 1 − Π_t are sums with
 * the cancellation-aware scale 1 + |·|.
 */
import type { NadamHyper } from '../src/optimizers/nadam.js';
import { elementwise, oneMinusPow, options } from './common.js';
import { D, fromDouble } from './decimal.js';
import { add, div, exact, known, leaf, mul, sqrt, sub, type Sc } from './scaled.js';

const NINETY_SIX = fromDouble(0.96);

const MU = new Map<string, Sc>();

/** μ_t = β1 (1 − ½·0.96^{tψ}), exact to 50 digits (memoised: a fractional power costs ~0.1 ms). */
function mu(beta1: number, psi: number, t: number): Sc {
  const key = `${beta1} ${psi} ${t}`;
  let r = MU.get(key);
  if (r === undefined) {
    const p = NINETY_SIX.pow(fromDouble(psi).times(t));
    r = known(fromDouble(beta1).times(new D(1).minus(p.div(2))));
    if (MU.size > 20000) MU.clear();
    MU.set(key, r);
  }
  return r;
}

export const nadam = elementwise<NadamHyper, { schedule: string; momentumDecay: number }>(
  'nadam',
  ['m', 'v'],
  (h, t, c) => {
    const o = options(h);
    const b1 = leaf(h.beta1);
    const b2 = leaf(h.beta2);
    const omb1 = sub(exact(1), b1);
    const omb2 = sub(exact(1), b2);
    const eps = leaf(h.eps);
    const c1 = oneMinusPow(h.beta1, t);
    const c2 = oneMinusPow(h.beta2, t);
    // The coefficients of m_t and g_t in the numerator.
    let km: Sc;
    let kg: Sc;
    if (c.schedule === 'constant') {
      km = div(b1, oneMinusPow(h.beta1, t + 1));
      kg = div(omb1, c1);
    } else if (c.schedule === 'dozat') {
      let prod: Sc = exact(1);
      for (let i = 1; i <= t; i++) prod = mul(prod, mu(h.beta1, c.momentumDecay, i));
      const muT = mu(h.beta1, c.momentumDecay, t);
      const muNext = mu(h.beta1, c.momentumDecay, t + 1);
      km = div(muNext, sub(exact(1), mul(prod, muNext)));
      kg = div(sub(exact(1), muT), sub(exact(1), prod));
    } else {
      km = div(b1, c1);
      kg = div(omb1, c1);
    }
    return (theta, g, b) => {
      const gt = o.grad(g, theta);
      const m = add(mul(b1, b.m!), mul(omb1, gt));
      const v = add(mul(b2, b.v!), mul(omb2, mul(gt, gt)));
      const vhat = div(v, c2);
      const look = add(mul(km, m), mul(kg, gt));
      // η·(…)/(√v̂_t + ε): one quotient, so the zero-denominator rule (numerator 0 too) applies to it.
      const delta = div(mul(o.eta, look), add(sqrt(vhat), eps));
      return { theta: o.apply(theta, delta), b: { m, v } };
    };
  },
  { schedule: 'none', momentumDecay: 0.004 },
);
