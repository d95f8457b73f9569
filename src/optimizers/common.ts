/**
 * Options every optimizer shares, and how the kernels apply them.
 *
 * The kernel build puts around every kernel (kernel/tree.ts) a preamble that preprocesses the gradient
 *   g̃ = s·g + λ·θ        (s = −1 when maximize, else 1; λ = weightDecay, coupled L2)
 * and an epilogue that writes the parameter
 *   θ ← κ·θ − Δ          (κ = 1 − η·λ_d, λ_d = decoupledWeightDecay; AdamW's decay beside the step)
 * Each term is behind a switch ($neg, $decay, $keep), so with the defaults the loop that runs is
 * exactly the plain update (no multiply by s, no 0·θ, no 1·θ): the options cost nothing per element
 * when off.
 *
 * Two switches recur in the kernels themselves:
 * - $guard, on when ε = 0, in kernels that divide: `$guard ? Math.max(den, 5e-324) : den` is den for
 *   every den > 0 and turns 0/0 into 0 (no gradient yet, no update); compiled out when ε > 0.
 * - $sat, on when the decay of an average of g² is 0: the average saturates at the dtype's largest
 *   finite value (the limit `max`) instead of +∞, so that the next step's 0·∞ is not NaN. With a
 *   decay > 0, β·∞ = ∞ is no NaN, and the clamp is compiled out.
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

/**
 * The shared options as the generated kernels take them: the bits of the switches $neg (maximize),
 * $decay (weightDecay ≠ 0) and $keep (decoupledWeightDecay ≠ 0), in that order (kernel/tree.ts), and
 * the scalars λ and κ. An option an outside optimizer does not declare is off.
 */
export function sharedOptions(h: Readonly<Record<string, unknown>>): {
  bits: number;
  weightDecay: number;
  keep: number;
} {
  const lambda = typeof h.weightDecay === 'number' ? h.weightDecay : 0;
  const decoupled = typeof h.decoupledWeightDecay === 'number' ? h.decoupledWeightDecay : 0;
  return {
    bits: (h.maximize === true ? 1 : 0) | (lambda !== 0 ? 2 : 0) | (decoupled !== 0 ? 4 : 0),
    weightDecay: lambda,
    keep: 1 - (h.lr as number) * decoupled,
  };
}

/** Cross-check shared by all: κ must stay positive, or decoupled decay would flip θ's sign. */
export function crossCommon(h: CommonHyper): string | undefined {
  if (h.lr * h.decoupledWeightDecay >= 1) {
    return `lr × decoupledWeightDecay = ${h.lr * h.decoupledWeightDecay} must be < 1 (θ ← (1 − ηλ)θ would flip or zero θ); got lr = ${h.lr}, decoupledWeightDecay = ${h.decoupledWeightDecay}`;
  }
  return undefined;
}
