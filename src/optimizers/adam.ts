/**
 * adam — adaptive moment estimation.
 *
 *   m_t = β1 m_{t−1} + (1 − β1) g_t
 *   v_t = β2 v_{t−1} + (1 − β2) g_t²
 *   m̂_t = m_t / (1 − β1^t),  v̂_t = v_t / (1 − β2^t)
 *   θ_t = θ_{t−1} − η m̂_t / (√v̂_t + ε)
 *
 * Source: Kingma & Ba 2015, "Adam: a method for stochastic optimization", Algorithm 1; Ruder 2016,
 * §4.6. Defaults η = 0.001, β1 = 0.9, β2 = 0.999, ε = 1e-8 (outside the root, as in the paper).
 * Computed as θ_t = θ_{t−1} − (η/(1−β1^t)) · m_t / (√(v_t · (1/(1−β2^t))) + ε), with 1 − β^t from
 * oneMinusPow (no cancellation). Where v_t = 0 with ε = 0 (no nonzero gradient yet), m_t = 0 too and
 * the update is 0, not NaN; β2 = 0 with ε = 0 is rejected (v_t = 0 while m_t ≠ 0 would divide by 0).
 * With options: g̃ = s·g + λθ replaces g; θ_t = κθ_{t−1} − Δ, κ = 1 − ηλ_d (AdamW; see common.ts).
 *
 * Conventions (docs/conventions.md; per-step scalars only, one kernel):
 *   epsMode 'outside' (default)  θ_t = θ_{t−1} − (η/(1−β1^t)) m_t / (√(v_t/(1−β2^t)) + ε)     paper Alg. 1, PyTorch, TF.js, optax
 *           'hat'                θ_t = θ_{t−1} − (η√(1−β2^t)/(1−β1^t)) m_t / (√v_t + ε̂)      Keras (ε̂, the paper's §2 form)
 * It runs the Adam family's kernel (adam-family.ts): a·m / (√(v·cOut) + ε), 'outside' a = η/(1−β1^t),
 * cOut = 1/(1−β2^t); 'hat' a = η·√(1−β2^t)/(1−β1^t), cOut = 1. 'hat' with ε̂ equals 'outside' with
 * ε = ε̂/√(1−β2^t).
 */
import {
  adamFamilySpecs,
  adamSwitches,
  crossAdam,
  epsMode,
  momentScalars,
  type adamFamilyKernel,
} from './adam-family.js';
import { oneMinusPow } from './bias.js';
import { defineOptimizer } from './define.js';
import type { CommonHyper } from './common.js';
import * as compiled from './generated/adam-family.js';

export interface AdamHyper extends CommonHyper {
  beta1: number;
  beta2: number;
  eps: number;
}
export interface AdamConventions {
  [k: string]: number | boolean | string;
  epsMode: string;
}

export const adam = defineOptimizer<AdamHyper, typeof adamFamilyKernel, AdamConventions>({
  name: 'adam',
  title: 'Adam',
  source: 'Kingma & Ba 2015, Algorithm 1; Ruder 2016, §4.6',
  rule: [
    'm_t = β1 m_{t−1} + (1 − β1) g_t',
    'v_t = β2 v_{t−1} + (1 − β2) g_t²',
    'm̂_t = m_t / (1 − β1^t),  v̂_t = v_t / (1 − β2^t)',
    'θ_t = θ_{t−1} − η m̂_t / (√v̂_t + ε)',
  ],
  hyper: adamFamilySpecs(0.001),
  cross: crossAdam,
  conventions: { epsMode },
  buffers: ['m', 'v'],
  traits: {
    elementwise: true,
    gradScaleInvariantWhenEpsZero: true,
    monotoneBuffers: [],
    biasCorrected: true,
    firstStepSignMagnitude: (h) => h.lr as number,
    moments: { first: 'm', second: 'v', secondKind: 'square' },
    rmsStep: 'ema',
    // m̂_t = g, v̂_t = g²: Δθ_t = −lr·g/(|g| + ε) at every t.
    constantGradientStepFactor: () => 1,
    // ε = 0: m̂_t = Σ w_i g_i and v̂_t = Σ u_i g_i² with the bias-corrected EMA weights.
    stepWeights: (h, t) => {
      const b1 = h.beta1 as number;
      const b2 = h.beta2 as number;
      const c1 = oneMinusPow(b1, t);
      const c2 = oneMinusPow(b2, t);
      return {
        w: Array.from({ length: t }, (_, i) => ((1 - b1) * b1 ** (t - 1 - i)) / c1),
        u: Array.from({ length: t }, (_, i) => ((1 - b2) * b2 ** (t - 1 - i)) / c2),
      };
    },
    // m̂_t ≤ gmax (a weighted mean), √v̂_t ≥ gmax/r: |Δθ_t| ≤ lr·r.
    displacementBound: (h, T, _gmax, r) => T * (h.lr as number) * r,
  },
  kernel: compiled.adamFamilyKernel,
  // Equivalent mutants ($corrected: true; {} for the whole form): the kernel reads $corrected only
  // where $amsgrad is on (adam-family.ts), and a switch left out is off.
  switches: (h) => adamSwitches(h, { $nesterov: false, $amsgrad: false, $corrected: false }),
  scalars(s, h, t) {
    const hat = h.epsMode === 'hat';
    momentScalars(s, h);
    s.a = hat ? (h.lr * Math.sqrt(oneMinusPow(h.beta2, t))) / oneMinusPow(h.beta1, t) : h.lr / oneMinusPow(h.beta1, t);
    s.cOut = hat ? 1 : 1 / oneMinusPow(h.beta2, t);
  },
});
