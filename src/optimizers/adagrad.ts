/**
 * adagrad — per-coordinate rates from the sum of squared gradients.
 *
 *   G_t = G_{t−1} + g_t²
 *   θ_t = θ_{t−1} − η g_t / √(G_t + ε)
 *
 * Source: Ruder 2016, §4.3 (Duchi et al. 2011). Defaults η = 0.01, ε = 1e-8 (inside the root, as
 * Ruder writes it; PyTorch and Keras put ε outside). Where G_t = 0 (with ε = 0, no nonzero
 * gradient has reached the coordinate yet) g_t = 0 too and the update is 0, not 0/0 = NaN.
 * With options: g̃ = s·g + λθ replaces g; θ_t = κθ_{t−1} − Δ (see common.ts).
 */
import { defineOptimizer } from './define.js';
import { commonSpecs, crossCommon, gradSign, keepFactor, type CommonHyper } from './common.js';
import { eps, lr } from './hyper.js';
import type { Vec } from './types.js';

export interface AdagradHyper extends CommonHyper { eps: number }

function adagradKernel(p: Vec, g: Vec, G: Vec, n: number, lr: number, eps: number, s: number, wd: number, keep: number): void {
  for (let i = 0; i < n; i++) {
    const pi = p[i]!;
    const gi = s * g[i]! + wd * pi;
    const Gi = G[i]! + gi * gi;
    G[i] = Gi;
    // max(d, 5e-324) is d for every d > 0 and turns 0/0 into 0/5e-324 = 0 (no branch).
    p[i] = keep * pi - (lr * gi) / Math.max(Math.sqrt(Gi + eps), 5e-324);
  }
}

export const adagrad = defineOptimizer<AdagradHyper, typeof adagradKernel>({
  name: 'adagrad',
  title: 'Adagrad',
  source: 'Ruder 2016, §4.3 (Duchi, Hazan & Singer 2011)',
  rule: ['G_t = G_{t−1} + g_t²', 'θ_t = θ_{t−1} − η g_t / √(G_t + ε)'],
  hyper: { lr: lr(0.01), eps: eps(1e-8), ...commonSpecs },
  cross: crossCommon,
  buffers: ['G'],
  traits: {
    elementwise: true, gradScaleInvariantWhenEpsZero: true, monotoneBuffers: ['G'], biasCorrected: false,
    firstStepSignMagnitude: (h) => h.lr as number,
  },
  kernel: adagradKernel,
  run(k, p, g, b, h) {
    k(p, g, b.G!, p.length, h.lr, h.eps, gradSign(h), h.weightDecay, keepFactor(h));
  },
});
