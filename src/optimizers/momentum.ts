/**
 * momentum — gradient descent with classical (heavy-ball) momentum.
 *
 *   v_t = γ v_{t−1} + η g_t
 *   θ_t = θ_{t−1} − v_t
 *
 * Source: Ruder 2016, §4.1 (Qian 1999). Defaults η = 0.01, γ = 0.9. The learning rate sits inside
 * the buffer, so changing η between steps scales only the new gradient's contribution.
 * With options: g̃ = s·g + λθ replaces g; θ_t = κθ_{t−1} − v_t (see common.ts).
 * γ = 0 reproduces sgd bit for bit (0·v + ηg = ηg exactly).
 *
 * Conventions (docs/conventions.md; per-step scalars a_t, c, no per-element branch):
 *   lrPlacement 'inside' (default)  v_t = γ v_{t−1} + η d_t g_t ;  θ_t = θ_{t−1} − v_t        Ruder; Keras (whose
 *                                   buffer m = −v: m = γm − ηg, θ ← θ + m, the same bits negated)
 *               'outside'           b_t = γ b_{t−1} + d_t g_t ;    θ_t = θ_{t−1} − η b_t      PyTorch, TF.js, optax
 *   dampening τ ∈ [0, 1)            d_t = 1 − τ for t > 1, d_1 = 1 (PyTorch: the first step stores
 *                                   b_1 = g_1 undampened). τ = 0 (default): d_t = 1.
 * The kernel computes v = γ·v + a_t·g with a_t = η·d_t (inside) or d_t (outside), then θ = κθ − v
 * (inside) or θ = κθ − η·v (outside: the kernel switch $outside, compiled out when off, since a
 * multiply by 1 per element in the default loop costs measurably: docs/benchmarking.md). The
 * defaults give back the rule above bit for bit (η·1 = η).
 */
import { defineOptimizer } from './define.js';
import { commonSpecs, crossCommon, type CommonHyper } from './common.js';
import * as compiled from './generated/momentum.js';
import { choice, decay, lr } from './hyper.js';
import type { Elements } from './kernel.js';

export interface MomentumHyper extends CommonHyper {
  momentum: number;
}
export interface MomentumConventions {
  [k: string]: number | boolean | string;
  lrPlacement: string;
  dampening: number;
}

/** 'inside' / 'outside' placement of η relative to a momentum buffer (momentum, nesterov, rmsprop). */
export const lrPlacement = choice(
  'inside',
  ['inside', 'outside'],
  "where η sits: 'inside' the buffer v = γv + ηg, θ −= v (Ruder, Keras, TF.js RMSprop) or 'outside' b = γb + g, θ −= ηb (PyTorch, TF.js momentum, optax)",
);

/** Element i of the step: v = γv + a·g, θ −= v (a = ηd_t); $outside: a = d_t, θ −= ηv. */
export function momentumKernel(
  i: number,
  { p, g, v }: Elements<'v'>,
  { a, mom, lr }: { a: number; mom: number; lr: number },
  { $outside }: { $outside: boolean },
): void {
  const vi = mom * v[i]! + a * g[i]!;
  v[i] = vi;
  p[i]! -= $outside ? lr * vi : vi;
}

export const momentum = defineOptimizer<MomentumHyper, typeof momentumKernel, MomentumConventions>({
  name: 'momentum',
  title: 'Momentum',
  source: 'Ruder 2016, §4.1 (Qian 1999)',
  rule: ['v_t = γ v_{t−1} + η g_t', 'θ_t = θ_{t−1} − v_t'],
  hyper: { lr: lr(0.01), momentum: decay(0.9, 'momentum γ'), ...commonSpecs },
  cross: crossCommon,
  conventions: {
    lrPlacement,
    dampening: {
      ...decay(0, 'dampening τ: b_t = γ b_{t−1} + (1 − τ) g_t for t > 1, b_1 = g_1 (PyTorch)'),
      sample: [0, 0.9],
    },
  },
  buffers: ['v'],
  traits: {
    elementwise: true,
    gradScaleInvariantWhenEpsZero: false,
    monotoneBuffers: [],
    biasCorrected: false,
    gradientDescentWhen: { momentum: 0 },
    velocity: { buffer: 'v', form: 'heavyBall' },
    // |Δθ_t| = |v_t| ≤ lr·gmax·(1 + γ + … + γ^(t−1)).
    displacementBound: (h, T, gmax) => {
      const lr = h.lr as number;
      const mom = h.momentum as number;
      let v = 0;
      let total = 0;
      for (let t = 1; t <= T; t++) {
        v = mom * v + lr * gmax;
        total += v;
      }
      return total;
    },
  },
  kernel: compiled.momentumKernel,
  switches: (h) => ({ $outside: h.lrPlacement === 'outside' }),
  scalars(s, h, t) {
    const d = t === 1 ? 1 : 1 - h.dampening;
    s.a = h.lrPlacement === 'outside' ? d : h.lr * d;
    s.mom = h.momentum;
    s.lr = h.lr;
  },
});
