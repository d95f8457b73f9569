/**
 * Options every optimizer shares, and how the kernels apply them.
 *
 * In every kernel the gradient is first preprocessed as
 *   g̃ = s·g + λ·θ        (s = −1 when maximize, else 1; λ = weightDecay, coupled L2)
 * and the parameter is finally written as
 *   θ ← κ·θ − Δ          (κ = 1 − η·λ_d, λ_d = decoupledWeightDecay; AdamW's decay beside the step)
 * Each term is behind a kernel switch ($neg, $decay, $keep; kernel.ts), so with the defaults the
 * loop that runs is exactly the plain update (no multiply by s, no 0·θ, no 1·θ): the options cost
 * nothing per element when off. Kernels that divide also take $guard, on when ε = 0, which turns
 * 0/0 into 0 (DESIGN.md: no gradient yet, no update) and is compiled out when ε > 0; kernels with a
 * squared-gradient average take $sat, on when its decay is 0 (see adam.ts).
 */
import { decoupledWeightDecay, maximize, weightDecay } from './hyper.js';
import type { Variants } from './kernel.js';
import type { NumberSpec, BooleanSpec } from './types.js';

export interface CommonHyper {
  [k: string]: number | boolean | string;
  lr: number;
  weightDecay: number;
  decoupledWeightDecay: number;
  maximize: boolean;
}

export const commonSpecs: { weightDecay: NumberSpec; decoupledWeightDecay: NumberSpec; maximize: BooleanSpec } = {
  weightDecay,
  decoupledWeightDecay,
  maximize,
};

/**
 * The kernel variant for these options: switches $neg (maximize), $decay (weightDecay ≠ 0), $keep
 * (decoupledWeightDecay ≠ 0), then the kernel's own switches in parameter order (`a`, `b`, `c`: for
 * example $guard, on when ε = 0, and $sat, on when a squared-gradient decay is 0). The call passes
 * the same values as its last arguments (they matter only where instrumentation keeps the generic
 * kernel).
 */
export function pick<K>(k: Variants<K>, h: CommonHyper, a = false, b = false, c = false): K {
  return k.pick(h.maximize, h.weightDecay !== 0, h.decoupledWeightDecay !== 0, a, b, c);
}
/** κ = 1 − η·λ_d: the decoupled decay's factor on θ. */
export const keepFactor = (h: CommonHyper): number => 1 - h.lr * h.decoupledWeightDecay;

/** Cross-check shared by all: κ must stay positive, or decoupled decay would flip θ's sign. */
export function crossCommon(h: CommonHyper): string | undefined {
  if (h.lr * h.decoupledWeightDecay >= 1) {
    return `lr × decoupledWeightDecay = ${h.lr * h.decoupledWeightDecay} must be < 1 (θ ← (1 − ηλ)θ would flip or zero θ); got lr = ${h.lr}, decoupledWeightDecay = ${h.decoupledWeightDecay}`;
  }
  return undefined;
}
