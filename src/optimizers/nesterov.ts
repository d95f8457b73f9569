/**
 * nesterov — Nesterov accelerated gradient (NAG), stored look-ahead form.
 *
 * Ruder's form evaluates the gradient at the look-ahead point:
 *   v_t = γ v_{t−1} + η ∇J(θ_{t−1} − γ v_{t−1});   θ_t = θ_{t−1} − v_t
 * The core only sees gradients, so it keeps the look-ahead point φ = θ − γv as its parameters;
 * with g_t = ∇J(φ_{t−1}) the same iteration reads
 *   v_t = γ v_{t−1} + η g_t
 *   φ_t = φ_{t−1} − γ v_t − η g_t
 * (φ_t = θ_t − γv_t = θ_{t−1} − v_t − γv_t and θ_{t−1} = φ_{t−1} + γv_{t−1} give it; law D4 checks
 * the two forms agree). This is also the form of PyTorch's nesterov=True and Keras/TF's SGD with
 * nesterov: the parameters you hold are φ.
 *
 * Source: Ruder 2016, §4.2 (Nesterov 1983; Sutskever et al. 2013). Defaults η = 0.01, γ = 0.9.
 * With options: g̃ = s·g + λφ replaces g; φ_t = κφ_{t−1} − γv_t − ηg̃ (see common.ts).
 *
 * Conventions (docs/conventions.md; per-step scalars, no per-element branch):
 *   lrPlacement 'inside' (default)  v_t = γ v_{t−1} + η g_t ;  φ_t = φ_{t−1} − γ v_t − η g_t      Ruder; Keras (m = −v)
 *               'outside'           b_t = γ b_{t−1} + g_t ;    φ_t = φ_{t−1} − η(γ b_t + g_t)    PyTorch, TF.js, optax
 * (PyTorch forbids dampening with nesterov, so there is none here.) 'outside' is the kernel switch
 * $outside, compiled out when off (an extra multiply per element in the default loop costs
 * measurably: docs/benchmarking.md).
 */
import { defineOptimizer } from './define.js';
import { commonSpecs, crossCommon, type CommonHyper } from './common.js';
import * as compiled from './generated/nesterov.js';
import { decay, lr } from './hyper.js';
import type { Elements } from './kernel.js';
import { lrPlacement } from './momentum.js';

export interface NesterovHyper extends CommonHyper {
  momentum: number;
}
export interface NesterovConventions {
  [k: string]: number | boolean | string;
  lrPlacement: string;
}

/**
 * Element i: η inside the buffer, v = γv + ηg, φ −= γv, φ −= ηg. $outside (lrPlacement 'outside',
 * PyTorch): b = γb + g, φ −= η(γb), φ −= ηg.
 */
export function nesterovKernel(
  i: number,
  { p, g, v }: Elements<'v'>,
  { lr, mom }: { lr: number; mom: number },
  { $outside }: { $outside: boolean },
): void {
  const gi = $outside ? g[i]! : lr * g[i]!;
  const vi = mom * v[i]! + gi;
  v[i] = vi;
  p[i]! -= $outside ? lr * (mom * vi) : mom * vi;
  p[i]! -= $outside ? lr * gi : gi;
}

export const nesterov = defineOptimizer<NesterovHyper, typeof nesterovKernel, NesterovConventions>({
  name: 'nesterov',
  title: 'Nesterov (NAG)',
  source: 'Ruder 2016, §4.2 (Nesterov 1983)',
  rule: [
    'v_t = γ v_{t−1} + η g_t,  g_t = ∇J(φ_{t−1}) at the look-ahead point φ = θ − γv',
    'φ_t = φ_{t−1} − γ v_t − η g_t',
  ],
  hyper: { lr: lr(0.01), momentum: decay(0.9, 'momentum γ'), ...commonSpecs },
  cross: crossCommon,
  conventions: { lrPlacement },
  buffers: ['v'],
  traits: {
    elementwise: true,
    gradScaleInvariantWhenEpsZero: false,
    monotoneBuffers: [],
    biasCorrected: false,
    gradientDescentWhen: { momentum: 0 },
    velocity: { buffer: 'v', form: 'storedLookAhead' },
    // |Δφ_t| = |γ v_t + lr·g_t| ≤ γ|v_t| + lr·gmax, |v_t| ≤ lr·gmax·(1 + γ + … + γ^(t−1)).
    displacementBound: (h, T, gmax) => {
      const lr = h.lr as number;
      const mom = h.momentum as number;
      let v = 0;
      let total = 0;
      for (let t = 1; t <= T; t++) {
        v = mom * v + lr * gmax;
        total += mom * v + lr * gmax;
      }
      return total;
    },
  },
  kernel: compiled.nesterovKernel,
  switches: (h) => ({ $outside: h.lrPlacement === 'outside' }),
  scalars(s, h) {
    s.lr = h.lr;
    s.mom = h.momentum;
  },
});
