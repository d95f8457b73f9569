/**
 * adamax — Adam with the infinity norm in place of the second moment.
 *
 *   m_t = β1 m_{t−1} + (1 − β1) g_t
 *   u_t = max(β2 u_{t−1}, |g_t|)
 *   θ_t = θ_{t−1} − (η / (1 − β1^t)) m_t / (u_t + ε)
 *
 * Source: Kingma & Ba 2015, §7.1 (Algorithm 2); Ruder 2016, §4.7. Defaults η = 0.002, β1 = 0.9,
 * β2 = 0.999, ε = 0 (the paper has no ε; ε > 0 adds it to the denominator, Keras's placement).
 * Where u_t = 0 (no nonzero gradient yet) m_t = 0 too and the update is 0, not NaN; β2 = 0 with
 * ε = 0 is rejected (u_t = |g_t| = 0 while m_t ≠ 0 would divide by 0).
 * With options: g̃ = s·g + λθ replaces g; θ_t = κθ_{t−1} − Δ (see common.ts).
 *
 * Conventions (docs/conventions.md; per-step scalars only, one kernel):
 *   epsPlacement 'denominator' (default)  u_t = max(β2 u_{t−1}, |g_t|);      θ_t = θ_{t−1} − (η_t/(1−β1^t)) m_t / (u_t + ε)   Keras, TF.js
 *                'max'                    u_t = max(β2 u_{t−1}, |g_t| + ε);  θ_t = θ_{t−1} − (η_t/(1−β1^t)) m_t / u_t         PyTorch, optax
 *   lrDecay d ≥ 0                         η_t = η / (1 + (t − 1)·d)   (TF.js's decay)
 * 'max' is the kernel switch $inMax, compiled out when off (an extra add per element in the
 * default loop costs measurably: docs/benchmarking.md).
 */
import { crossAdam } from './adam-family.js';
import { oneMinusPow } from './bias.js';
import { defineOptimizer } from './define.js';
import { commonSpecs, type CommonHyper } from './common.js';
import * as compiled from './generated/adamax.js';
import { choice, decay, decayedRate, eps, lr, lrDecay } from './hyper.js';
import type { Elements } from './kernel.js';

export interface AdamaxHyper extends CommonHyper {
  beta1: number;
  beta2: number;
  eps: number;
}
export interface AdamaxConventions {
  [k: string]: number | boolean | string;
  epsPlacement: string;
  lrDecay: number;
}

/**
 * Element i: ε in the denominator (Keras, TF.js), u = max(β2·u, |g|), θ −= a·m/(u + ε). $inMax
 * (epsPlacement 'max', PyTorch, optax): u = max(β2·u, |g| + ε), θ −= a·m/u. $guard: see common.ts.
 */
export function adamaxKernel(
  i: number,
  { p, g, m, u }: Elements<'m' | 'u'>,
  { b1, omb1, b2, a, eps }: { b1: number; omb1: number; b2: number; a: number; eps: number },
  { $guard, $inMax }: { $guard: boolean; $inMax: boolean },
): void {
  const mi = b1 * m[i]! + omb1 * g[i]!;
  const ui = Math.max(b2 * u[i]!, $inMax ? Math.abs(g[i]!) + eps : Math.abs(g[i]!));
  m[i] = mi;
  u[i] = ui;
  const den = $inMax ? ui : ui + eps;
  p[i]! -= (a * mi) / ($guard ? Math.max(den, 5e-324) : den);
}

export const adamax = defineOptimizer<AdamaxHyper, typeof adamaxKernel, AdamaxConventions>({
  name: 'adamax',
  title: 'AdaMax',
  source: 'Kingma & Ba 2015, §7.1, Algorithm 2; Ruder 2016, §4.7',
  rule: [
    'm_t = β1 m_{t−1} + (1 − β1) g_t',
    'u_t = max(β2 u_{t−1}, |g_t|)',
    "θ_t = θ_{t−1} − (η / (1 − β1^t)) m_t / (u_t + ε)   (ε = 0: the paper's rule)",
  ],
  hyper: {
    lr: lr(0.002),
    beta1: decay(0.9, 'first-moment decay β1'),
    beta2: decay(0.999, 'infinity-norm decay β2'),
    eps: eps(0),
    ...commonSpecs,
  },
  cross: crossAdam,
  conventions: {
    epsPlacement: choice(
      'denominator',
      ['denominator', 'max'],
      "where ε sits: 'denominator' m/(u + ε) (Keras, TF.js) or 'max' u = max(β2u, |g| + ε) (PyTorch, optax)",
    ),
    lrDecay,
  },
  buffers: ['m', 'u'],
  traits: {
    elementwise: true,
    gradScaleInvariantWhenEpsZero: true,
    monotoneBuffers: [],
    biasCorrected: true,
    firstStepSignMagnitude: (h) => h.lr as number,
    moments: { first: 'm', second: 'u', secondKind: 'maxAbs' },
    // m̂_t = g, u_t = |g|: Δθ_t = −lr·g/(|g| + ε) at every t.
    constantGradientStepFactor: () => 1,
    // m_t/(1 − β1^t) ≤ gmax, u_t ≥ |g_t| ≥ gmax/r: |Δθ_t| ≤ lr·r.
    displacementBound: (h, T, _gmax, r) => T * (h.lr as number) * r,
  },
  kernel: compiled.adamaxKernel,
  switches: (h) => ({
    // Equivalent mutant (`true`: $guard always on): for ε > 0 every den is ≥ ε or ≥ √ε (≥ 5e-324), so
    // Math.max(den, 5e-324) is den (NaN stays NaN); only the speed differs.
    $guard: h.eps === 0,
    $inMax: h.epsPlacement === 'max',
  }),
  scalars(s, h, t) {
    s.b1 = h.beta1;
    s.omb1 = 1 - h.beta1;
    s.b2 = h.beta2;
    s.a = decayedRate(h.lr, h.lrDecay, t) / oneMinusPow(h.beta1, t);
    s.eps = h.eps;
  },
});
