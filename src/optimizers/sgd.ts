/**
 * sgd — vanilla (batch / stochastic / mini-batch) gradient descent.
 *
 *   θ ← θ − η g
 *
 * Source: Ruder 2016, "An overview of gradient descent optimization algorithms", §2. Default η = 0.01.
 * With options: g̃ = s·g + λθ, θ ← κθ − η g̃ (see common.ts).
 */
import { defineOptimizer } from './define.js';
import { commonSpecs, crossCommon, pick, keepFactor, type CommonHyper } from './common.js';
import { lr } from './hyper.js';
import type { Vec } from './types.js';

export type SgdHyper = CommonHyper;

function sgdKernel(p: Vec, g: Vec, n: number, lr: number, wd: number, keep: number, $neg: boolean, $decay: boolean, $keep: boolean): void {
  for (let i = 0; i < n; i++) {
    const pi = p[i]!;
    const gr = $neg ? -g[i]! : g[i]!;
    const gi = $decay ? gr + wd * pi : gr;
    p[i] = ($keep ? keep * pi : pi) - lr * gi;
  }
}

export const sgd = defineOptimizer<SgdHyper, typeof sgdKernel>({
  name: 'sgd',
  title: 'SGD',
  source: 'Ruder 2016, §2 (gradient descent variants)',
  rule: ['θ ← θ − η g'],
  hyper: { lr: lr(0.01), ...commonSpecs },
  cross: crossCommon,
  buffers: [],
  traits: {
    elementwise: true, gradScaleInvariantWhenEpsZero: false, monotoneBuffers: [], biasCorrected: false,
    gradientDescentWhen: {},
    // |Δθ_t| = lr·|g_t| ≤ lr·gmax.
    displacementBound: (h, T, gmax) => T * (h.lr as number) * gmax,
  },
  kernel: sgdKernel,
  run(k, p, g, _b, h) {
    pick(k, h)(p, g, p.length, h.lr, h.weightDecay, keepFactor(h), h.maximize, h.weightDecay !== 0, h.decoupledWeightDecay !== 0);
  },
});
