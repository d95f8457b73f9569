/**
 * adadelta — Adagrad's rate replaced by a ratio of running RMS values; no learning rate needed.
 *
 *   E[g²]_t  = ρ E[g²]_{t−1} + (1 − ρ) g_t²
 *   Δθ_t     = − (√(E[Δθ²]_{t−1} + ε) / √(E[g²]_t + ε)) g_t
 *   E[Δθ²]_t = ρ E[Δθ²]_{t−1} + (1 − ρ) Δθ_t²
 *   θ_t      = θ_{t−1} + η Δθ_t
 *
 * Source: Zeiler 2012, "ADADELTA: an adaptive learning rate method", Algorithm 1; Ruder 2016, §4.4.
 * Defaults ρ = 0.9, ε = 1e-6, η = 1. Zeiler has no η: the default η = 1 multiplies exactly, so it
 * is his rule bit for bit; η ≠ 1 scales the applied step only (E[Δθ²] accumulates the unscaled
 * Δθ), as PyTorch and Keras do. ε must be > 0: with ε = 0, E[Δθ²] stays 0 and nothing ever moves.
 * With options: g̃ = s·g + λθ replaces g; θ_t = κθ_{t−1} + ηΔθ_t (see common.ts).
 *
 * Conventions (docs/conventions.md):
 *   gradAverage 'current' (default)  Δθ_t uses √(E[g²]_t + ε), the average including g_t (Zeiler,
 *                                    PyTorch, Keras, optax)
 *               'previous'           Δθ_t uses √(E[g²]_{t−1} + ε), the average before g_t (TF.js's
 *                                    AdadeltaOptimizer: its first step is Δθ_1 = −g_1 exactly)
 * 'previous' is the kernel's switch $previous; the default runs the loop it always had.
 * 'previous' saturates both accumulators at the dtype's largest finite value whatever ρ ($sat on):
 * a gradient whose square overflows (|g| > 1.34e154 in float64, 1.8e19 in float32) makes E[g²]
 * infinite, and this form's Δθ (divided by the previous E[g²], still finite) makes E[Δθ²] infinite
 * in the same step, so the next step would be √∞/√∞ = NaN. Saturated, that ratio is 1 (the exact
 * one is of order 1 too). The 'current' form needs no clamp for ρ > 0: its Δθ is divided by the
 * E[g²] that overflowed, so Δθ = 0 and E[Δθ²] stays finite.
 * The learning rate η (default 1, Zeiler's rule) is the convention's other number: Keras and TF.js
 * default to η = 0.001.
 */
import { defineOptimizer } from './define.js';
import { commonSpecs, crossCommon, type CommonHyper } from './common.js';
import * as compiled from './generated/adadelta.js';
import { choice, decay, eps, lr } from './hyper.js';
import type { Elements, Limits } from './kernel.js';

export interface AdadeltaHyper extends CommonHyper {
  rho: number;
  eps: number;
}
export interface AdadeltaConventions {
  [k: string]: number | boolean | string;
  gradAverage: string;
}

/**
 * Element i: E[g²] and E[Δθ²] as in the header; $previous (TF.js) divides by E[g²]_{t−1}; $sat
 * saturates both averages at the dtype's largest finite value (common.ts).
 */
export function adadeltaKernel(
  i: number,
  { p, g, Eg2, Edx2 }: Elements<'Eg2' | 'Edx2'>,
  { lr, rho, omr, eps }: { lr: number; rho: number; omr: number; eps: number },
  { $sat, $previous }: { $sat: boolean; $previous: boolean },
  { max }: Limits,
): void {
  const e0 = Eg2[i]!;
  const w1 = rho * e0 + omr * (g[i]! * g[i]!);
  const eg = $sat ? Math.min(w1, max) : w1;
  Eg2[i] = eg;
  const ex = Edx2[i]!;
  const dx = (Math.sqrt(ex + eps) / Math.sqrt(($previous ? e0 : eg) + eps)) * g[i]!;
  const w2 = rho * ex + omr * (dx * dx);
  Edx2[i] = $sat ? Math.min(w2, max) : w2;
  p[i]! -= lr * dx;
}

export const adadelta = defineOptimizer<AdadeltaHyper, typeof adadeltaKernel, AdadeltaConventions>({
  name: 'adadelta',
  title: 'Adadelta',
  source: 'Zeiler 2012, Algorithm 1; Ruder 2016, §4.4',
  rule: [
    'E[g²]_t = ρ E[g²]_{t−1} + (1 − ρ) g_t²',
    'Δθ_t = −(√(E[Δθ²]_{t−1} + ε) / √(E[g²]_t + ε)) g_t',
    'E[Δθ²]_t = ρ E[Δθ²]_{t−1} + (1 − ρ) Δθ_t²',
    "θ_t = θ_{t−1} + η Δθ_t   (η = 1: Zeiler's rule)",
  ],
  hyper: {
    lr: lr(1),
    rho: decay(0.9, 'decay ρ of both running averages'),
    eps: eps(1e-6, { minOpen: true }),
    ...commonSpecs,
  },
  cross: crossCommon,
  conventions: {
    gradAverage: choice(
      'current',
      ['current', 'previous'],
      "which E[g²] divides: 'current' E[g²]_t (Zeiler, PyTorch, Keras, optax) or 'previous' E[g²]_{t−1} (TF.js)",
    ),
  },
  buffers: ['Eg2', 'Edx2'],
  traits: {
    elementwise: true,
    gradScaleInvariantWhenEpsZero: false,
    monotoneBuffers: [],
    biasCorrected: false,
    // E[g²]_t ≥ (1 − ρ^t)·gmin² (gmin = gmax/r), so the unscaled |Δθ_t| ≤ D_t = √(B_{t−1} + ε)·gmax/√((1 − ρ^t) gmin² + ε)
    // with B_t = ρ B_{t−1} + (1 − ρ) D_t² ≥ E[Δθ²]_t, B_0 = 0; the applied step is lr·D_t.
    displacementBound: (h, T, gmax, r) => {
      const rho = h.rho as number;
      const eps = h.eps as number;
      const gmin = gmax / r;
      let B = 0;
      let total = 0;
      for (let t = 1; t <= T; t++) {
        const D = (Math.sqrt(B + eps) * gmax) / Math.sqrt((1 - rho ** t) * gmin * gmin + eps);
        B = rho * B + (1 - rho) * D * D;
        total += (h.lr as number) * D;
      }
      return total;
    },
  },
  kernel: compiled.adadeltaKernel,
  // 'previous' always saturates (see the header): its E[Δθ²] can overflow alongside E[g²].
  switches: (h) => ({ $sat: h.gradAverage === 'previous' || h.rho === 0, $previous: h.gradAverage === 'previous' }),
  scalars(s, h) {
    s.lr = h.lr;
    s.rho = h.rho;
    s.omr = 1 - h.rho;
    s.eps = h.eps;
  },
});
