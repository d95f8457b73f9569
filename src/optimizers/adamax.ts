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
 */
import { crossAdam } from './adam.js';
import { oneMinusPow } from './bias.js';
import { defineOptimizer } from './define.js';
import { commonSpecs, gradSign, keepFactor, type CommonHyper } from './common.js';
import { decay, eps, lr } from './hyper.js';
import type { Vec } from './types.js';

export interface AdamaxHyper extends CommonHyper { beta1: number; beta2: number; eps: number }

function adamaxKernel(
  p: Vec, g: Vec, m: Vec, u: Vec, n: number,
  b1: number, omb1: number, b2: number, a: number, eps: number,
  s: number, wd: number, keep: number,
): void {
  for (let i = 0; i < n; i++) {
    const pi = p[i]!;
    const gi = s * g[i]! + wd * pi;
    const mi = b1 * m[i]! + omb1 * gi;
    const ui = Math.max(b2 * u[i]!, Math.abs(gi));
    m[i] = mi;
    u[i] = ui;
    // max(d, 5e-324) is d for every d > 0 and turns 0/0 into 0 (no branch).
    p[i] = keep * pi - (a * mi) / Math.max(ui + eps, 5e-324);
  }
}

export const adamax = defineOptimizer<AdamaxHyper, typeof adamaxKernel>({
  name: 'adamax',
  title: 'AdaMax',
  source: 'Kingma & Ba 2015, §7.1, Algorithm 2; Ruder 2016, §4.7',
  rule: [
    'm_t = β1 m_{t−1} + (1 − β1) g_t',
    'u_t = max(β2 u_{t−1}, |g_t|)',
    'θ_t = θ_{t−1} − (η / (1 − β1^t)) m_t / (u_t + ε)   (ε = 0: the paper\'s rule)',
  ],
  hyper: {
    lr: lr(0.002), beta1: decay(0.9, 'first-moment decay β1'), beta2: decay(0.999, 'infinity-norm decay β2'),
    eps: eps(0), ...commonSpecs,
  },
  cross: crossAdam,
  buffers: ['m', 'u'],
  traits: {
    elementwise: true, gradScaleInvariantWhenEpsZero: true, monotoneBuffers: [], biasCorrected: true,
    firstStepSignMagnitude: (h) => h.lr as number,
  },
  kernel: adamaxKernel,
  run(k, p, g, b, h, t) {
    const a = h.lr / oneMinusPow(h.beta1, t);
    k(p, g, b.m!, b.u!, p.length, h.beta1, 1 - h.beta1, h.beta2, a, h.eps, gradSign(h), h.weightDecay, keepFactor(h));
  },
});
