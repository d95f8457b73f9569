/**
 * AdaBelief's decimal reference (Zhuang et al. 2020, Algorithm 2; the formula in ./optimizer.ts),
 * in the exact arithmetic of 'optimlab/reference'.
 *
 * The bound (units of u, float64), counted for the kernel's evaluation order (optimizer.ts) by the
 * rules of docs/adding-an-optimizer.md: g̃ 2; (1 − β1)·g̃ 4, β1·m 1, m 5; d = g̃ − m 6; d² 13;
 * (1 − β2)·d² 15, β2·s 1, sum 16, + ε 17 (s); c2 = 1/(1 − β2^t) 4 (oneMinusPow 3, the reciprocal
 * 1); s·c2 22; √ 22; + ε 23; a = η/(1 − β1^t) 4; a·m 10; quotient 24; κθ − quotient 25.
 */
import { add, defineReference, div, exact, leaf, mul, oneMinusPow, options, sqrt, sub } from 'optimlab/reference';
import { adabelief } from './optimizer.js';

export const reference = defineReference(adabelief, {
  source:
    'Zhuang et al. 2020, "AdaBelief Optimizer: Adapting Stepsizes by the Belief in Observed Gradients", Algorithm 2',
  perElement: (h, t) => {
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
      const d = sub(gt, m);
      const s = add(add(mul(b2, b.s!), mul(omb2, mul(d, d))), eps);
      const delta = div(mul(o.eta, div(m, c1)), add(sqrt(div(s, c2)), eps));
      return { theta: o.apply(theta, delta), b: { m, s } };
    };
  },
  bound: {
    float64: 25,
    why: 'g̃ 2; m 5; d = g̃ − m 6; d² 13; s = β2·s + (1 − β2)·d² + ε 17; c2 = 1/(1 − β2^t) 4; s·c2 22; √ 22; + ε 23; a = η/(1 − β1^t) 4; a·m 10; quotient 24; κθ − quotient 25',
  },
});
