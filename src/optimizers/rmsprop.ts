/**
 * rmsprop — Adagrad with a decaying average of squared gradients.
 *
 *   E[g²]_t = ρ E[g²]_{t−1} + (1 − ρ) g_t²
 *   θ_t     = θ_{t−1} − η g_t / √(E[g²]_t + ε)
 *
 * Source: Ruder 2016, §4.5 (Hinton, Coursera lecture 6e). Defaults η = 0.001, ρ = 0.9, ε = 1e-8
 * (inside the root, as Ruder writes it; PyTorch puts it outside, with ρ = 0.99). Where E[g²]_t = 0
 * (ε = 0, no nonzero gradient yet) g_t = 0 and the update is 0, not NaN.
 * With options: g̃ = s·g + λθ replaces g; θ_t = κθ_{t−1} − Δ (see common.ts).
 *
 * Conventions (docs/conventions.md). With D_t = E[g²]_t − c·ḡ_t², ḡ_t = ρ ḡ_{t−1} + (1 − ρ) g_t,
 * c = 1 when centred else 0, and den_t = √(D_t + ε) ('inside') or √D_t + ε ('outside'):
 *   momentum μ = 0 (default)        θ_t = θ_{t−1} − η g_t / den_t
 *   momentum μ > 0, lrPlacement
 *     'inside' (default)            v_t = μ v_{t−1} + η g_t / den_t ;  θ_t = θ_{t−1} − v_t     Keras, TF.js, optax
 *     'outside'                     b_t = μ b_{t−1} + g_t / den_t ;    θ_t = θ_{t−1} − η b_t   PyTorch
 *   centered (default false)        the variance D_t = E[g²]_t − ḡ_t² replaces E[g²]_t (clamped at 0:
 *                                   rounding can make it slightly negative where the exact value is ≥ 0)
 *   epsPlacement 'inside' (default) / 'outside' (PyTorch)
 * The default form (not centred, μ = 0, ε inside) runs the plain loop; ε outside is its switch
 * $outside, compiled out when off (an extra add per element in the default loop costs measurably:
 * docs/benchmarking.md); centred or momentum is the switch $general, whose form keeps the extra state buffers
 * 'mg' (ḡ) and 'mom' (v or b), present only when those conventions are on.
 * Centred with ε = 0 is rejected (D_t = 0 with g_t ≠ 0, e.g. ρ = 0, would divide by zero).
 */
import { defineOptimizer } from './define.js';
import { commonSpecs, crossCommon, type CommonHyper } from './common.js';
import * as compiled from './generated/rmsprop.js';
import { choice, decay, eps, lr } from './hyper.js';
import type { Elements, Limits } from './kernel.js';
import { lrPlacement } from './momentum.js';

export interface RmspropHyper extends CommonHyper {
  rho: number;
  eps: number;
}
export interface RmspropConventions {
  [k: string]: number | boolean | string;
  epsPlacement: string;
  centered: boolean;
  momentum: number;
  lrPlacement: string;
}

/** The scalars of both forms (see the kernel). */
interface RmspropScalars {
  lr: number;
  rho: number;
  omr: number;
  eps: number;
  a: number;
  c: number;
  mu: number;
  cf: number;
  cIn: number;
  cOut: number;
}

/**
 * Element i. Not centred, μ = 0: ε inside the root, η g / √(E[g²] + ε); $outside (PyTorch):
 * η g / (√E[g²] + ε). $general (centred and/or momentum): cf ∈ {0, 1} selects centring, a, c place
 * η, cIn, cOut place ε (see the header). $guard, $sat: see common.ts.
 */
export function rmspropKernel(
  i: number,
  { p, g, Eg2, mg, mom }: Elements<'Eg2' | 'mg' | 'mom'>,
  { lr, rho, omr, eps, a, c, mu, cf, cIn, cOut }: RmspropScalars,
  {
    $guard,
    $sat,
    $outside,
    $general,
    $mom,
  }: { $guard: boolean; $sat: boolean; $outside: boolean; $general: boolean; $mom: boolean },
  { max }: Limits,
): void {
  const w1 = rho * Eg2[i]! + omr * (g[i]! * g[i]!);
  const eg = $sat ? Math.min(w1, max) : w1;
  Eg2[i] = eg;
  if ($general) {
    const mi = rho * mg[i]! + omr * g[i]!;
    mg[i] = mi;
    // ḡ² capped at the largest double: where it overflows (|ḡ| > 1.34e154, float64 only), E[g²] ≥ ḡ²
    // is infinite too, and ∞ − ∞ (centred) or 0·∞ (not centred) would make D NaN; capped, D = ∞.
    const D = Math.max(eg - cf * Math.min(mi * mi, 1.7976931348623157e308), 0);
    const den = Math.sqrt(D + cIn) + cOut;
    // $mom (μ > 0): centred without momentum never reads the buffer, whose overflow to ∞ (a float32
    // store of a step beyond its range) would otherwise make 0·∞ = NaN.
    const bi = ($mom ? mu * mom[i]! : 0) + (a * g[i]!) / ($guard ? Math.max(den, 5e-324) : den);
    mom[i] = bi;
    p[i]! -= c * bi;
  } else {
    const den = $outside ? Math.sqrt(eg) + eps : Math.sqrt(eg + eps);
    p[i]! -= (lr * g[i]!) / ($guard ? Math.max(den, 5e-324) : den);
  }
}

export const rmsprop = defineOptimizer<RmspropHyper, typeof rmspropKernel, RmspropConventions>({
  name: 'rmsprop',
  title: 'RMSprop',
  source: 'Ruder 2016, §4.5 (Hinton, Neural Networks for ML, lecture 6e)',
  rule: ['E[g²]_t = ρ E[g²]_{t−1} + (1 − ρ) g_t²', 'θ_t = θ_{t−1} − η g_t / √(E[g²]_t + ε)'],
  hyper: { lr: lr(0.001), rho: decay(0.9, 'decay ρ of the squared-gradient average'), eps: eps(1e-8), ...commonSpecs },
  cross: crossCommon,
  conventions: {
    epsPlacement: choice(
      'inside',
      ['inside', 'outside'],
      "where ε sits: 'inside' √(E[g²] + ε) (Ruder, Keras, TF.js, optax) or 'outside' √E[g²] + ε (PyTorch)",
    ),
    centered: {
      kind: 'boolean',
      default: false,
      doc: 'divide by the running standard deviation √(E[g²] − ḡ²) instead of the RMS',
    },
    momentum: { ...decay(0, 'momentum μ of the update buffer (0: none)'), sample: [0, 0.99] },
    lrPlacement,
  },
  conventionCross: (h) =>
    h.centered && h.eps === 0
      ? 'centered = true with eps = 0: the variance E[g²] − ḡ² can be 0 while g ≠ 0; allowed: eps > 0 when centered'
      : undefined,
  extraBuffers: (c) => (c.centered || c.momentum > 0 ? ['mg', 'mom'] : []),
  buffers: ['Eg2'],
  traits: {
    elementwise: true,
    gradScaleInvariantWhenEpsZero: true,
    monotoneBuffers: [],
    biasCorrected: false,
    firstStepSignMagnitude: (h) => (h.lr as number) / Math.sqrt(1 - (h.rho as number)),
    // ε = 0: Δθ_t = lr·g_t/√(Σ_i (1 − ρ)ρ^(t−i) g_i²).
    stepWeights: (h, t) => {
      const rho = h.rho as number;
      return {
        w: Array.from({ length: t }, (_, i) => (i === t - 1 ? 1 : 0)),
        u: Array.from({ length: t }, (_, i) => (1 - rho) * rho ** (t - 1 - i)),
      };
    },
    // E[g²]_t ≥ (1 − ρ^t)(gmax/r)², so |Δθ_t| ≤ lr·r/√(1 − ρ^t).
    displacementBound: (h, T, _gmax, r) => {
      let total = 0;
      for (let t = 1; t <= T; t++) total += ((h.lr as number) * r) / Math.sqrt(1 - (h.rho as number) ** t);
      return total;
    },
  },
  kernel: compiled.rmspropKernel,
  switches: (h) => {
    const general = h.centered || h.momentum > 0;
    return {
      // Equivalent mutant (`true`: $guard always on): for ε > 0 every den is ≥ ε or ≥ √ε (≥ 5e-324), so
      // Math.max(den, 5e-324) is den (NaN stays NaN); only the speed differs.
      $guard: h.eps === 0,
      $sat: h.rho === 0,
      $outside: !general && h.epsPlacement === 'outside',
      $general: general,
      $mom: h.momentum > 0,
    };
  },
  scalars(s, h) {
    const outside = h.epsPlacement === 'outside';
    const inside = h.lrPlacement === 'inside';
    s.lr = h.lr;
    s.rho = h.rho;
    s.omr = 1 - h.rho;
    s.eps = h.eps;
    s.a = inside ? h.lr : 1;
    s.c = inside ? 1 : h.lr;
    s.mu = h.momentum;
    s.cf = h.centered ? 1 : 0;
    s.cIn = outside ? 0 : h.eps;
    s.cOut = outside ? h.eps : 0;
  },
});
