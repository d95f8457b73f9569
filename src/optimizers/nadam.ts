/**
 * nadam — Adam with Nesterov momentum.
 *
 *   m_t = β1 m_{t−1} + (1 − β1) g_t
 *   v_t = β2 v_{t−1} + (1 − β2) g_t²
 *   m̂_t = m_t / (1 − β1^t),  v̂_t = v_t / (1 − β2^t)
 *   θ_t = θ_{t−1} − η / (√v̂_t + ε) · (β1 m̂_t + (1 − β1) g_t / (1 − β1^t))
 *
 * Source: Dozat 2016, "Incorporating Nesterov momentum into Adam", in the simplified form of Ruder
 * 2016, §4.8 (constant β1: no momentum-decay schedule; PyTorch and Keras use Dozat's schedule).
 * Defaults η = 0.002, β1 = 0.9, β2 = 0.999, ε = 1e-8. Computed as
 * θ_t = θ_{t−1} − (η/(1−β1^t)) · (β1 m_t + (1−β1) g_t) / (√(v_t/(1−β2^t)) + ε). Zero denominators as
 * Adam: update 0 where v_t = 0 with ε = 0; β2 = 0 with ε = 0 rejected.
 * With options: g̃ = s·g + λθ replaces g; θ_t = κθ_{t−1} − Δ (see common.ts).
 */
import { crossAdam } from './adam.js';
import { oneMinusPow } from './bias.js';
import { defineOptimizer } from './define.js';
import { commonSpecs, gradSign, keepFactor, type CommonHyper } from './common.js';
import { decay, eps, lr } from './hyper.js';
import type { Vec } from './types.js';

export interface NadamHyper extends CommonHyper { beta1: number; beta2: number; eps: number }

function nadamKernel(
  p: Vec, g: Vec, m: Vec, v: Vec, n: number,
  b1: number, omb1: number, b2: number, omb2: number, a: number, c2: number, eps: number,
  s: number, wd: number, keep: number,
): void {
  for (let i = 0; i < n; i++) {
    const pi = p[i]!;
    const gi = s * g[i]! + wd * pi;
    const mi = b1 * m[i]! + omb1 * gi;
    const vi = b2 * v[i]! + omb2 * (gi * gi);
    m[i] = mi;
    v[i] = vi;
    // max(d, 5e-324) is d for every d > 0 and turns 0/0 into 0 (no branch).
    p[i] = keep * pi - (a * (b1 * mi + omb1 * gi)) / Math.max(Math.sqrt(vi * c2) + eps, 5e-324);
  }
}

export const nadam = defineOptimizer<NadamHyper, typeof nadamKernel>({
  name: 'nadam',
  title: 'Nadam',
  source: 'Dozat 2016; Ruder 2016, §4.8',
  rule: [
    'm_t = β1 m_{t−1} + (1 − β1) g_t,  v_t = β2 v_{t−1} + (1 − β2) g_t²',
    'm̂_t = m_t / (1 − β1^t),  v̂_t = v_t / (1 − β2^t)',
    'θ_t = θ_{t−1} − η / (√v̂_t + ε) · (β1 m̂_t + (1 − β1) g_t / (1 − β1^t))',
  ],
  hyper: {
    lr: lr(0.002), beta1: decay(0.9, 'first-moment decay β1'), beta2: decay(0.999, 'second-moment decay β2'),
    eps: eps(1e-8), ...commonSpecs,
  },
  cross: crossAdam,
  buffers: ['m', 'v'],
  traits: {
    elementwise: true, gradScaleInvariantWhenEpsZero: true, monotoneBuffers: [], biasCorrected: true,
    // m̂_1 = g, v̂_1 = g²: Δ = η/|g| · (β1 g + g) = η(1 + β1) sign(g).
    firstStepSignMagnitude: (h) => (h.lr as number) * (1 + (h.beta1 as number)),
  },
  kernel: nadamKernel,
  run(k, p, g, b, h, t) {
    const a = h.lr / oneMinusPow(h.beta1, t);
    const c2 = 1 / oneMinusPow(h.beta2, t);
    k(p, g, b.m!, b.v!, p.length, h.beta1, 1 - h.beta1, h.beta2, 1 - h.beta2, a, c2, h.eps, gradSign(h), h.weightDecay, keepFactor(h));
  },
});
