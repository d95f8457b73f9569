/**
 * sgd — vanilla (batch / stochastic / mini-batch) gradient descent.
 *
 *   θ ← θ − η g
 *
 * Source: Ruder 2016, "An overview of gradient descent optimization algorithms", §2. Default η = 0.01.
 * With options: g̃ = s·g + λθ, θ ← κθ − η g̃ (see common.ts).
 */
import { defineOptimizer } from './define.js';
import { commonSpecs, crossCommon, type CommonHyper } from './common.js';
import * as compiled from './generated/sgd.js';
import { lr } from './hyper.js';
import type { Elements } from './kernel.js';

export type SgdHyper = CommonHyper;

/** Element i of the step (docs/kernels.md): θ ← θ − η g. */
export function sgdKernel(i: number, { p, g }: Elements, { lr }: { lr: number }): void {
  p[i]! -= lr * g[i]!;
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
    elementwise: true,
    gradScaleInvariantWhenEpsZero: false,
    monotoneBuffers: [],
    biasCorrected: false,
    gradientDescentWhen: {},
    // |Δθ_t| = lr·|g_t| ≤ lr·gmax.
    displacementBound: (h, T, gmax) => T * (h.lr as number) * gmax,
  },
  kernel: compiled.sgdKernel,
  scalars(s, h) {
    s.lr = h.lr;
  },
});
