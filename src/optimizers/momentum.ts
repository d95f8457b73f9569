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
 */
import { defineOptimizer } from './define.js';
import { commonSpecs, crossCommon, gradSign, keepFactor, type CommonHyper } from './common.js';
import { decay, lr } from './hyper.js';
import type { Vec } from './types.js';

export interface MomentumHyper extends CommonHyper { momentum: number }

function momentumKernel(p: Vec, g: Vec, v: Vec, n: number, lr: number, mom: number, s: number, wd: number, keep: number): void {
  for (let i = 0; i < n; i++) {
    const pi = p[i]!;
    const gi = s * g[i]! + wd * pi;
    const vi = mom * v[i]! + lr * gi;
    v[i] = vi;
    p[i] = keep * pi - vi;
  }
}

export const momentum = defineOptimizer<MomentumHyper, typeof momentumKernel>({
  name: 'momentum',
  title: 'Momentum',
  source: 'Ruder 2016, §4.1 (Qian 1999)',
  rule: ['v_t = γ v_{t−1} + η g_t', 'θ_t = θ_{t−1} − v_t'],
  hyper: { lr: lr(0.01), momentum: decay(0.9, 'momentum γ'), ...commonSpecs },
  cross: crossCommon,
  buffers: ['v'],
  traits: { elementwise: true, gradScaleInvariantWhenEpsZero: false, monotoneBuffers: [], biasCorrected: false },
  kernel: momentumKernel,
  run(k, p, g, b, h) {
    k(p, g, b.v!, p.length, h.lr, h.momentum, gradSign(h), h.weightDecay, keepFactor(h));
  },
});
