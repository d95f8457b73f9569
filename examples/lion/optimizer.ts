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
import { commonSpecs, crossCommon, decay, defineOptimizer, lr, type CommonHyper, type Elements } from 'optimlab';

export interface LionHyper extends CommonHyper {
  beta1: number;
  beta2: number;
}

/**
 * Element i of the step (the kernel: docs/kernels.md). g[i] is the preprocessed gradient (maximize,
 * coupled weight decay) and p[i] −= x stores κθ − x (κ = 1 − η·decoupledWeightDecay): optimlab
 * writes both around the kernel.
 */
export function lionKernel(
  i: number,
  { p, g, m }: Elements<'m'>,
  { b1, omb1, b2, omb2, eta }: { b1: number; omb1: number; b2: number; omb2: number; eta: number },
): void {
  const mi = m[i]!;
  const c = b1 * mi + omb1 * g[i]!;
  m[i] = b2 * mi + omb2 * g[i]!;
  p[i]! -= eta * Math.sign(c);
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
  scalars(s, h) {
    s.b1 = h.beta1;
    s.omb1 = 1 - h.beta1;
    s.b2 = h.beta2;
    s.omb2 = 1 - h.beta2;
    s.eta = h.lr;
  },
});
