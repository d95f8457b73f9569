/**
 * The Adam family: Adam (adam.ts), Nadam (nadam.ts) and AMSGrad (amsgrad.ts) run one kernel, written
 * here once with a switch for each member's difference, and share what goes with it: the scalars
 * every member sets alike, ε's two placements, and the one invalid combination of β2 and ε.
 */
import { commonSpecs, crossCommon, type CommonHyper } from './common.js';
import { choice, decay, eps, lr } from './hyper.js';
import type { Elements, Limits } from './kernel.js';
import type { HyperSpec } from './types.js';

/** The family's hyperparameters: η (its default per member), β1 = 0.9, β2 = 0.999, ε = 1e-8, the shared options. */
export function adamFamilySpecs(
  rate: number,
): Record<'lr' | 'beta1' | 'beta2' | 'eps' | keyof typeof commonSpecs, HyperSpec> {
  return {
    lr: lr(rate),
    beta1: decay(0.9, 'first-moment decay β1'),
    beta2: decay(0.999, 'second-moment decay β2'),
    eps: eps(1e-8),
    ...commonSpecs,
  };
}

/** ε of Algorithm 1 ('outside') or Keras's ε̂ ('hat'), shared by the Adam family. */
export const epsMode = choice(
  'outside',
  ['outside', 'hat'],
  "'outside': η m̂/(√v̂ + ε) (Kingma & Ba Alg. 1, PyTorch, TF.js, optax); 'hat': η√(1−β2^t)/(1−β1^t) · m/(√v + ε̂) (Keras)",
);

/** The per-step scalars of the Adam family's kernel. */
export interface AdamScalars {
  b1: number;
  omb1: number;
  b2: number;
  omb2: number;
  a: number;
  k1: number;
  k2: number;
  cIn: number;
  cOut: number;
  eps: number;
}
/** Its switches: $nesterov (Nadam), $amsgrad and $corrected (AMSGrad), and $guard, $sat (common.ts). */
export interface AdamSwitches {
  $guard: boolean;
  $sat: boolean;
  $nesterov: boolean;
  $amsgrad: boolean;
  $corrected: boolean;
}

/**
 * Element i of the Adam family (Adam, Nadam, AMSGrad: each optimizer's header gives its scalars):
 *   m = β1 m + (1 − β1) g,  v = β2 v + (1 − β2) g²
 *   Adam      θ −= a·m / (√(v·cOut) + ε)
 *   Nadam     θ −= a·(k1·m + k2·g) / (√(v·cOut) + ε)              ($nesterov)
 *   AMSGrad   v̂ = max(v̂, v·cIn),  θ −= a·m / (√(v̂·cOut) + ε)       ($amsgrad; without $corrected,
 *             Ruder's form, cIn and cOut are left out)
 */
export function adamFamilyKernel(
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
export function adamSwitches(
  h: AdamFamilyHyper,
  form: Pick<AdamSwitches, '$nesterov' | '$amsgrad' | '$corrected'>,
): AdamSwitches {
  return {
    // Equivalent mutant (`true`: $guard always on): for ε > 0 every den is ≥ ε or ≥ √ε (≥ 5e-324), so
    // Math.max(den, 5e-324) is den (NaN stays NaN); only the speed differs.
    $guard: h.eps === 0,
    $sat: h.beta2 === 0,
    ...form,
  };
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
