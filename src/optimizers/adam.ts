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
 * The family's kernel (below) computes a·m / (√(v·cOut) + ε): 'outside' a = η/(1−β1^t),
 * cOut = 1/(1−β2^t); 'hat' a = η·√(1−β2^t)/(1−β1^t), cOut = 1. 'hat' with ε̂ equals 'outside' with
 * ε = ε̂/√(1−β2^t).
 */
import { oneMinusPow } from './bias.js';
import { defineOptimizer } from './define.js';
import { commonSpecs, crossCommon, type CommonHyper } from './common.js';
import * as compiled from './generated/adam.js';
import { choice, decay, eps, lr } from './hyper.js';
import type { Elements, Limits } from './kernel.js';

export interface AdamHyper extends CommonHyper { beta1: number; beta2: number; eps: number }
export interface AdamConventions { [k: string]: number | boolean | string; epsMode: string }

/** ε of Algorithm 1 ('outside') or Keras's ε̂ ('hat'), shared by the Adam family. */
export const epsMode = choice('outside', ['outside', 'hat'],
  "'outside': η m̂/(√v̂ + ε) (Kingma & Ba Alg. 1, PyTorch, TF.js, optax); 'hat': η√(1−β2^t)/(1−β1^t) · m/(√v + ε̂) (Keras)");

/** The per-step scalars of the Adam family's kernel. */
export interface AdamScalars { b1: number; omb1: number; b2: number; omb2: number; a: number; k1: number; k2: number; cIn: number; cOut: number; eps: number }
/** Its switches: $nesterov (Nadam), $amsgrad and $corrected (AMSGrad), and $guard, $sat (common.ts). */
export interface AdamSwitches { $guard: boolean; $sat: boolean; $nesterov: boolean; $amsgrad: boolean; $corrected: boolean }

/**
 * Element i of the Adam family (Adam, Nadam, AMSGrad: each optimizer's header gives its scalars):
 *   m = β1 m + (1 − β1) g,  v = β2 v + (1 − β2) g²
 *   Adam      θ −= a·m / (√(v·cOut) + ε)
 *   Nadam     θ −= a·(k1·m + k2·g) / (√(v·cOut) + ε)              ($nesterov)
 *   AMSGrad   v̂ = max(v̂, v·cIn),  θ −= a·m / (√(v̂·cOut) + ε)       ($amsgrad; without $corrected,
 *             Ruder's form, cIn and cOut are left out)
 */
export function adamKernel(
  i: number,
  { p, g, m, v, vhat }: Elements<'m' | 'v' | 'vhat'>,
  { b1, omb1, b2, omb2, a, k1, k2, cIn, cOut, eps }: AdamScalars,
  { $guard, $sat, $nesterov, $amsgrad, $corrected }: AdamSwitches,
  { max }: Limits,
): void {
  const mi = b1 * m[i]! + omb1 * g[i]!;
  const w = b2 * v[i]! + omb2 * (g[i]! * g[i]!);
  const vi = $sat ? Math.min(w, max) : w;
  m[i] = mi;
  v[i] = vi;
  if ($amsgrad) {
    const hi = Math.max(vhat[i]!, $corrected ? vi * cIn : vi);
    vhat[i] = hi;
    const den = Math.sqrt($corrected ? hi * cOut : hi) + eps;
    p[i]! -= (a * mi) / ($guard ? Math.max(den, 5e-324) : den);
  } else {
    const den = Math.sqrt(vi * cOut) + eps;
    p[i]! -= (a * ($nesterov ? k1 * mi + k2 * g[i]! : mi)) / ($guard ? Math.max(den, 5e-324) : den);
  }
}

type AdamFamilyHyper = CommonHyper & { beta1: number; beta2: number; eps: number };

/** The switches every member of the family sets alike, with its form's. */
export function adamSwitches(h: AdamFamilyHyper, form: Pick<AdamSwitches, '$nesterov' | '$amsgrad' | '$corrected'>): AdamSwitches {
  return { $guard: h.eps === 0, $sat: h.beta2 === 0, ...form };
}

/** The scalars every member of the family sets alike: the decays and ε. */
export function momentScalars(s: AdamScalars, h: AdamFamilyHyper): void {
  s.b1 = h.beta1;
  s.omb1 = 1 - h.beta1;
  s.b2 = h.beta2;
  s.omb2 = 1 - h.beta2;
  s.eps = h.eps;
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
  kernel: compiled.adamKernel,
  switches: (h) => adamSwitches(h, { $nesterov: false, $amsgrad: false, $corrected: false }),
  scalars(s, h, t) {
    const hat = h.epsMode === 'hat';
    momentScalars(s, h);
    s.a = hat ? (h.lr * Math.sqrt(oneMinusPow(h.beta2, t))) / oneMinusPow(h.beta1, t) : h.lr / oneMinusPow(h.beta1, t);
    s.cOut = hat ? 1 : 1 / oneMinusPow(h.beta2, t);
  },
});
