/**
 * adagrad — per-coordinate rates from the sum of squared gradients.
 *
 *   G_t = G_{t−1} + g_t²
 *   θ_t = θ_{t−1} − η g_t / √(G_t + ε)
 *
 * Source: Ruder 2016, §4.3 (Duchi et al. 2011). Defaults η = 0.01, ε = 1e-8 (inside the root, as
 * Ruder writes it; PyTorch and Keras put ε outside). Where G_t = 0 (with ε = 0, no nonzero
 * gradient has reached the coordinate yet) g_t = 0 too and the update is 0, not 0/0 = NaN.
 * With options: g̃ = s·g + λθ replaces g; θ_t = κθ_{t−1} − Δ (see common.ts).
 *
 * Conventions (docs/conventions.md; per-step scalars, no per-element branch):
 *   epsPlacement 'inside' (default)  θ_t = θ_{t−1} − η_t g_t / √(G_0 + G_t + ε)     Ruder, Keras, TF.js, optax
 *                'outside'           θ_t = θ_{t−1} − η_t g_t / (√(G_0 + G_t) + ε)   PyTorch
 *   initialAccumulator G_0 ≥ 0       the sum of squares starts at G_0 (Keras, TF.js, optax 0.1). The
 *                                    state buffer G holds Σ g_i² only; the accumulator is G_0 + G_t.
 *   lrDecay d ≥ 0                    η_t = η / (1 + (t − 1)·d)   (PyTorch's lr_decay)
 * 'inside' computes η_t g / √(G_t + c) with c = G_0 + ε; 'outside' (kernel switch $outside,
 * compiled out when off: an extra add per element in the default loop costs measurably,
 * docs/benchmarking.md) computes η_t g / (√(G_t + G_0) + ε). The defaults give back the formula above bit for bit
 * (0 + ε = ε, η/1 = η).
 */
import { defineOptimizer } from './define.js';
import { commonSpecs, crossCommon, type CommonHyper } from './common.js';
import * as compiled from './generated/adagrad.js';
import { choice, decayedRate, eps, lr, lrDecay, nonneg } from './hyper.js';
import type { Elements } from './kernel.js';

export interface AdagradHyper extends CommonHyper {
  eps: number;
}
export interface AdagradConventions {
  [k: string]: number | boolean | string;
  epsPlacement: string;
  initialAccumulator: number;
  lrDecay: number;
}

/**
 * Element i: ε inside the root, η_t g / √(G + c) with c = G_0 + ε. $outside (epsPlacement 'outside',
 * PyTorch): η_t g / (√(G + c) + ε) with c = G_0. $guard: see common.ts.
 */
export function adagradKernel(
  i: number,
  { p, g, G }: Elements<'G'>,
  { lr, c, eps }: { lr: number; c: number; eps: number },
  { $guard, $outside }: { $guard: boolean; $outside: boolean },
): void {
  const Gi = G[i]! + g[i]! * g[i]!;
  G[i] = Gi;
  const den = $outside ? Math.sqrt(Gi + c) + eps : Math.sqrt(Gi + c);
  p[i]! -= (lr * g[i]!) / ($guard ? Math.max(den, 5e-324) : den);
}

export const adagrad = defineOptimizer<AdagradHyper, typeof adagradKernel, AdagradConventions>({
  name: 'adagrad',
  title: 'Adagrad',
  source: 'Ruder 2016, §4.3 (Duchi, Hazan & Singer 2011)',
  rule: ['G_t = G_{t−1} + g_t²', 'θ_t = θ_{t−1} − η g_t / √(G_t + ε)'],
  hyper: { lr: lr(0.01), eps: eps(1e-8), ...commonSpecs },
  cross: crossCommon,
  conventions: {
    epsPlacement: choice(
      'inside',
      ['inside', 'outside'],
      "where ε sits: 'inside' √(G + ε) (Ruder, Keras, TF.js, optax) or 'outside' √G + ε (PyTorch)",
    ),
    initialAccumulator: nonneg(0, 'initial accumulator G_0: the sum of squares starts at G_0', [1e-3, 1]),
    lrDecay,
  },
  buffers: ['G'],
  traits: {
    elementwise: true,
    gradScaleInvariantWhenEpsZero: true,
    monotoneBuffers: ['G'],
    biasCorrected: false,
    firstStepSignMagnitude: (h) => h.lr as number,
    // ε = 0: Δθ_t = lr·g_t/√(g_1² + … + g_t²).
    stepWeights: (_h, t) => ({
      w: Array.from({ length: t }, (_, i) => (i === t - 1 ? 1 : 0)),
      u: new Array<number>(t).fill(1),
    }),
    nonincreasingRate: 'grad',
    // G_t + ε ≥ t·(gmax/r)², so |Δθ_t| ≤ lr·gmax/√(t (gmax/r)²) = lr·r/√t.
    displacementBound: (h, T, _gmax, r) => {
      let total = 0;
      for (let t = 1; t <= T; t++) total += ((h.lr as number) * r) / Math.sqrt(t);
      return total;
    },
  },
  kernel: compiled.adagradKernel,
  switches: (h) => ({
    // Equivalent mutant (`true`: $guard always on): for ε > 0 every den is ≥ ε or ≥ √ε (≥ 5e-324), so
    // Math.max(den, 5e-324) is den (NaN stays NaN); only the speed differs.
    $guard: h.eps === 0,
    $outside: h.epsPlacement === 'outside',
  }),
  scalars(s, h, t) {
    s.lr = decayedRate(h.lr, h.lrDecay, t);
    s.c = h.epsPlacement === 'outside' ? h.initialAccumulator : h.initialAccumulator + h.eps;
    s.eps = h.eps;
  },
});
