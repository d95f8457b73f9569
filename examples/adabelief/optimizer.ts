/**
 * AdaBelief, written as a package that uses optimlab would write it: only the public exports of
 * 'optimlab'.
 *
 *   m_t = β1 m_{t−1} + (1 − β1) g_t
 *   s_t = β2 s_{t−1} + (1 − β2)(g_t − m_t)² + ε
 *   m̂_t = m_t / (1 − β1^t),  ŝ_t = s_t / (1 − β2^t)
 *   θ_t = θ_{t−1} − η m̂_t / (√ŝ_t + ε)
 *
 * Source: Zhuang et al. 2020, "AdaBelief Optimizer: Adapting Stepsizes by the Belief in Observed
 * Gradients" (NeurIPS 2020, arXiv:2010.07468), Algorithm 2. Defaults η = 1e-3, β1 = 0.9,
 * β2 = 0.999, ε = 1e-16 (the authors' implementation: "eps = 1e-16 in AdaBelief plays the role of
 * 1e-8 in Adam", since ε enters s_t before the root). ε > 0 is required: with ε = 0 and g_t = m_t
 * at every step (β1 = 0) s_t is 0 while m_t is not.
 * Computed as θ_t = θ_{t−1} − (η/(1 − β1^t))·m_t / (√(s_t·(1/(1 − β2^t))) + ε), like optimlab's Adam.
 * With β2 = 0, s_t = (g − m)² + ε can overflow; it saturates at the dtype's largest finite value
 * (switch $sat), as optimlab's Adam does, so that the next step does not compute 0·∞.
 */
import {
  commonSpecs,
  crossCommon,
  decay,
  defineOptimizer,
  eps as epsSpec,
  lr,
  oneMinusPow,
  type CommonHyper,
  type Elements,
  type Limits,
} from 'optimlab';

export interface AdaBeliefHyper extends CommonHyper {
  beta1: number;
  beta2: number;
  eps: number;
}
interface Scalars {
  b1: number;
  omb1: number;
  b2: number;
  omb2: number;
  a: number;
  c2: number;
  eps: number;
}

/** Element i of the step (docs/kernels.md): a = η/(1 − β1^t), c2 = 1/(1 − β2^t); $sat when β2 = 0. */
export function adabeliefKernel(
  i: number,
  { p, g, m, s }: Elements<'m' | 's'>,
  { b1, omb1, b2, omb2, a, c2, eps }: Scalars,
  { $sat }: { $sat: boolean },
  { max }: Limits,
): void {
  const mi = b1 * m[i]! + omb1 * g[i]!;
  const d = g[i]! - mi;
  const w = b2 * s[i]! + omb2 * (d * d) + eps;
  const si = $sat ? Math.min(w, max) : w;
  m[i] = mi;
  s[i] = si;
  p[i]! -= (a * mi) / (Math.sqrt(si * c2) + eps);
}

export const adabelief = defineOptimizer<AdaBeliefHyper, typeof adabeliefKernel>({
  name: 'adabelief',
  title: 'AdaBelief',
  source:
    'Zhuang et al. 2020, "AdaBelief Optimizer: Adapting Stepsizes by the Belief in Observed Gradients", Algorithm 2',
  rule: [
    'm_t = β1 m_{t−1} + (1 − β1) g_t',
    's_t = β2 s_{t−1} + (1 − β2)(g_t − m_t)² + ε',
    'm̂_t = m_t / (1 − β1^t),  ŝ_t = s_t / (1 − β2^t)',
    'θ_t = θ_{t−1} − η m̂_t / (√ŝ_t + ε)',
  ],
  hyper: {
    lr: lr(1e-3),
    beta1: decay(0.9, 'first-moment decay β1'),
    beta2: decay(0.999, 'belief (second-moment) decay β2'),
    eps: epsSpec(1e-16, { minOpen: true, doc: 'ε, added to s_t at every step and to the denominator' }),
    ...commonSpecs,
  },
  cross: crossCommon,
  buffers: ['m', 's'],
  traits: {
    elementwise: true,
    // ε > 0 always (it enters s_t): no scale invariance to claim.
    gradScaleInvariantWhenEpsZero: false,
    monotoneBuffers: [],
    // A zero gradient from a fresh state keeps m = 0 and θ, but s_t = β2·s_{t−1} + ε grows (law G4).
    zeroGradientDrift: ['s'],
    biasCorrected: true,
    // |m̂_t| ≤ gmax (a weighted mean of gradients of magnitude ≤ gmax) and s_t ≥ ε·(1 − β2^t)/(1 − β2)
    // (every step adds ε), so √ŝ_t ≥ √(ε/(1 − β2)): |Δθ_t| ≤ η·gmax/√(ε/(1 − β2)).
    displacementBound: (h, T, gmax) =>
      (T * (h.lr as number) * gmax) / Math.sqrt((h.eps as number) / (1 - (h.beta2 as number))),
  },
  kernel: adabeliefKernel,
  switches: (h) => ({ $sat: h.beta2 === 0 }),
  scalars(s, h, t) {
    s.b1 = h.beta1;
    s.omb1 = 1 - h.beta1;
    s.b2 = h.beta2;
    s.omb2 = 1 - h.beta2;
    s.a = h.lr / oneMinusPow(h.beta1, t);
    s.c2 = 1 / oneMinusPow(h.beta2, t);
    s.eps = h.eps;
  },
});
