/**
 * Lion (EvoLved Sign Momentum), written as a package that uses optimlab would write it: only the
 * public exports of 'optimlab'.
 *
 *   c_t = β1 m_{t−1} + (1 − β1) g_t
 *   θ_t = θ_{t−1} − η (sign(c_t) + λ θ_{t−1})
 *   m_t = β2 m_{t−1} + (1 − β2) g_t
 *
 * Source: Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms" (arXiv:2302.06675),
 * Algorithm 2. Defaults η = 1e-4, β1 = 0.9, β2 = 0.99, λ = 0 (the paper's program and its
 * recommendation of a rate 3–10× below AdamW's). The paper's λ is decoupled weight decay: here
 * optimlab's shared option decoupledWeightDecay (θ ← (1 − ηλ)θ − η·sign(c_t)); weightDecay
 * (coupled, g ← g + λθ) and maximize are the shared options as in every optimizer.
 */
import { commonSpecs, crossCommon, decay, defineOptimizer, keepFactor, lr, pick, type CommonHyper, type Vec } from 'optimlab';

export interface LionHyper extends CommonHyper { beta1: number; beta2: number }

function lionKernel(
  p: Vec, g: Vec, m: Vec, n: number, b1: number, omb1: number, b2: number, omb2: number, lr: number,
  wd: number, keep: number, $neg: boolean, $decay: boolean, $keep: boolean,
): void {
  for (let i = 0; i < n; i++) {
    const pi = p[i]!;
    const gr = $neg ? -g[i]! : g[i]!;
    const gi = $decay ? gr + wd * pi : gr;
    const mi = m[i]!;
    const c = b1 * mi + omb1 * gi;
    m[i] = b2 * mi + omb2 * gi;
    p[i] = ($keep ? keep * pi : pi) - lr * Math.sign(c);
  }
}

export const lion = defineOptimizer<LionHyper, typeof lionKernel>({
  name: 'lion',
  title: 'Lion',
  source: 'Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms", Algorithm 2',
  rule: [
    'c_t = β1 m_{t−1} + (1 − β1) g_t',
    'θ_t = θ_{t−1} − η (sign(c_t) + λ θ_{t−1})',
    'm_t = β2 m_{t−1} + (1 − β2) g_t',
  ],
  hyper: {
    lr: lr(1e-4),
    beta1: decay(0.9, 'interpolation β1 of the update direction c_t'),
    beta2: decay(0.99, 'momentum decay β2'),
    ...commonSpecs,
  },
  cross: crossCommon,
  buffers: ['m'],
  traits: {
    elementwise: true,
    // sign(2^k·c) = sign(c) and m scales by 2^k exactly: the trajectory does not see the scale (Lion has no ε).
    gradScaleInvariantWhenEpsZero: true,
    monotoneBuffers: [],
    biasCorrected: false,
    // From m = 0: c_1 = (1 − β1)·g, so the first step is −η·sign(g) exactly.
    firstStepSignMagnitude: (h) => h.lr as number,
    // |Δθ_t| = η·|sign(c_t)| ≤ η without weight decay: the bound is exact when every c_t ≠ 0.
    displacementBound: (h, T) => T * (h.lr as number),
  },
  kernel: lionKernel,
  run(k, p, g, b, h) {
    pick(k, h)(p, g, b.m!, p.length, h.beta1, 1 - h.beta1, h.beta2, 1 - h.beta2, h.lr, h.weightDecay, keepFactor(h), h.maximize, h.weightDecay !== 0, h.decoupledWeightDecay !== 0);
  },
});
