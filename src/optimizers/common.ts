/**
 * Options every optimizer shares, and the per-step scalars they become.
 *
 * In every kernel the gradient is first preprocessed, branch-free, as
 *   g̃ = s·g + λ·θ        (s = −1 when maximize, else 1; λ = weightDecay, coupled L2)
 * and the parameter is finally written as
 *   θ ← κ·θ − Δ          (κ = 1 − η·λ_d, λ_d = decoupledWeightDecay; AdamW's decay beside the step)
 * With the defaults (s = 1, λ = 0, κ = 1) both are exact identities, so the defaults cost a multiply
 * and an add per element and change no bit of the result (x + 0·θ = x, 1·θ = θ for finite θ).
 */
import { decoupledWeightDecay, maximize, weightDecay } from './hyper.js';
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

/** s: the gradient's sign multiplier. */
export const gradSign = (h: CommonHyper): number => (h.maximize ? -1 : 1);
/** κ = 1 − η·λ_d: the decoupled decay's factor on θ. */
export const keepFactor = (h: CommonHyper): number => 1 - h.lr * h.decoupledWeightDecay;

/** Cross-check shared by all: κ must stay positive, or decoupled decay would flip θ's sign. */
export function crossCommon(h: CommonHyper): string | undefined {
  if (h.lr * h.decoupledWeightDecay >= 1) {
    return `lr × decoupledWeightDecay = ${h.lr * h.decoupledWeightDecay} must be < 1 (θ ← (1 − ηλ)θ would flip or zero θ); got lr = ${h.lr}, decoupledWeightDecay = ${h.decoupledWeightDecay}`;
  }
  return undefined;
}
