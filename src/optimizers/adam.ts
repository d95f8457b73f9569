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
 * The kernel computes a·m / (√(v·c2) + ε): 'outside' a = η/(1−β1^t), c2 = 1/(1−β2^t); 'hat'
 * a = η·√(1−β2^t)/(1−β1^t), c2 = 1. 'hat' with ε̂ equals 'outside' with ε = ε̂/√(1−β2^t).
 */
import { oneMinusPow } from './bias.js';
import { defineOptimizer } from './define.js';
import { commonSpecs, crossCommon, pick, keepFactor, type CommonHyper } from './common.js';
import { choice, decay, eps, lr } from './hyper.js';
import type { Vec } from './types.js';

export interface AdamHyper extends CommonHyper { beta1: number; beta2: number; eps: number }
export interface AdamConventions { [k: string]: number | boolean | string; epsMode: string }

/** ε of Algorithm 1 ('outside') or Keras's ε̂ ('hat'), shared by the Adam family. */
export const epsMode = choice('outside', ['outside', 'hat'],
  "'outside': η m̂/(√v̂ + ε) (Kingma & Ba Alg. 1, PyTorch, TF.js, optax); 'hat': η√(1−β2^t)/(1−β1^t) · m/(√v + ε̂) (Keras)");

function adamKernel(
  p: Vec, g: Vec, m: Vec, v: Vec, n: number,
  b1: number, omb1: number, b2: number, omb2: number, a: number, c2: number, eps: number,
  wd: number, keep: number, $neg: boolean, $decay: boolean, $keep: boolean, $guard: boolean, $sat: boolean,
): void {
  // $sat (decay = 0): accumulators of g² saturate at the dtype's largest finite value instead of
  // +Infinity, so that the next step's 0·∞ is not NaN. With a decay > 0, β·∞ = ∞ is no NaN: no cost.
  const vmax = p.BYTES_PER_ELEMENT === 4 ? 3.4028234663852886e38 : 1.7976931348623157e308;
  for (let i = 0; i < n; i++) {
    const pi = p[i]!;
    const gr = $neg ? -g[i]! : g[i]!;
    const gi = $decay ? gr + wd * pi : gr;
    const mi = b1 * m[i]! + omb1 * gi;
    const w1 = b2 * v[i]! + omb2 * (gi * gi);
    const vi = $sat ? Math.min(w1, vmax) : w1;
    m[i] = mi;
    v[i] = vi;
    const den = Math.sqrt(vi * c2) + eps;
    // $guard (eps = 0): max(den, 5e-324) is den for every den > 0 and turns 0/0 into 0.
    p[i] = ($keep ? keep * pi : pi) - (a * mi) / ($guard ? Math.max(den, 5e-324) : den);
  }
}

/** Rejects the one combination that divides a nonzero m by zero. Shared by the Adam family. */
export function crossAdam(h: CommonHyper & { beta2: number; eps: number }): string | undefined {
  if (h.beta2 === 0 && h.eps === 0) {
    return 'beta2 = 0 with eps = 0: v_t = g_t² is 0 whenever g_t = 0 while m_t need not be; allowed: beta2 > 0 or eps > 0';
  }
  return crossCommon(h);
}

export const adam = defineOptimizer<AdamHyper, typeof adamKernel, AdamConventions>({
  name: 'adam',
  title: 'Adam',
  source: 'Kingma & Ba 2015, Algorithm 1; Ruder 2016, §4.6',
  rule: [
    'm_t = β1 m_{t−1} + (1 − β1) g_t',
    'v_t = β2 v_{t−1} + (1 − β2) g_t²',
    'm̂_t = m_t / (1 − β1^t),  v̂_t = v_t / (1 − β2^t)',
    'θ_t = θ_{t−1} − η m̂_t / (√v̂_t + ε)',
  ],
  hyper: {
    lr: lr(0.001), beta1: decay(0.9, 'first-moment decay β1'), beta2: decay(0.999, 'second-moment decay β2'),
    eps: eps(1e-8), ...commonSpecs,
  },
  cross: crossAdam,
  conventions: { epsMode },
  buffers: ['m', 'v'],
  traits: {
    elementwise: true, gradScaleInvariantWhenEpsZero: true, monotoneBuffers: [], biasCorrected: true,
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
  kernel: adamKernel,
  run(k, p, g, b, h, t) {
    const hat = h.epsMode === 'hat';
    const a = hat ? (h.lr * Math.sqrt(oneMinusPow(h.beta2, t))) / oneMinusPow(h.beta1, t) : h.lr / oneMinusPow(h.beta1, t);
    const c2 = hat ? 1 : 1 / oneMinusPow(h.beta2, t);
    pick(k, h, h.eps === 0, h.beta2 === 0)(p, g, b.m!, b.v!, p.length, h.beta1, 1 - h.beta1, h.beta2, 1 - h.beta2, a, c2, h.eps, h.weightDecay, keepFactor(h), h.maximize, h.weightDecay !== 0, h.decoupledWeightDecay !== 0, h.eps === 0, h.beta2 === 0);
  },
});
