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
 */
import { defineOptimizer } from './define.js';
import { commonSpecs, crossCommon, gradSign, keepFactor, type CommonHyper } from './common.js';
import { decay, eps, lr } from './hyper.js';
import type { Vec } from './types.js';

export interface RmspropHyper extends CommonHyper { rho: number; eps: number }

function rmspropKernel(p: Vec, g: Vec, Eg2: Vec, n: number, lr: number, rho: number, omr: number, eps: number, s: number, wd: number, keep: number): void {
  for (let i = 0; i < n; i++) {
    const pi = p[i]!;
    const gi = s * g[i]! + wd * pi;
    const eg = rho * Eg2[i]! + omr * (gi * gi);
    Eg2[i] = eg;
    // max(d, 5e-324) is d for every d > 0 and turns 0/0 into 0 (no branch).
    p[i] = keep * pi - (lr * gi) / Math.max(Math.sqrt(eg + eps), 5e-324);
  }
}

export const rmsprop = defineOptimizer<RmspropHyper, typeof rmspropKernel>({
  name: 'rmsprop',
  title: 'RMSprop',
  source: 'Ruder 2016, §4.5 (Hinton, Neural Networks for ML, lecture 6e)',
  rule: ['E[g²]_t = ρ E[g²]_{t−1} + (1 − ρ) g_t²', 'θ_t = θ_{t−1} − η g_t / √(E[g²]_t + ε)'],
  hyper: { lr: lr(0.001), rho: decay(0.9, 'decay ρ of the squared-gradient average'), eps: eps(1e-8), ...commonSpecs },
  cross: crossCommon,
  buffers: ['Eg2'],
  traits: {
    elementwise: true, gradScaleInvariantWhenEpsZero: true, monotoneBuffers: [], biasCorrected: false,
    firstStepSignMagnitude: (h) => (h.lr as number) / Math.sqrt(1 - (h.rho as number)),
  },
  kernel: rmspropKernel,
  run(k, p, g, b, h) {
    k(p, g, b.Eg2!, p.length, h.lr, h.rho, 1 - h.rho, h.eps, gradSign(h), h.weightDecay, keepFactor(h));
  },
});
