/**
 * What every reference optimizer shares: its shape (mirroring src/optimizers/define.ts: a name,
 * hyperparameters with the core's names, state buffers with the core's names) and the options of
 * src/optimizers/common.ts, stated as formulas:
 *
 *   maximize               g ← −g before any statistic
 *   weightDecay λ          g ← g + λθ before any statistic (coupled L2)
 *   decoupledWeightDecay   θ_t = θ_{t−1} − ηλ_d θ_{t−1} − Δ_t (AdamW: beside the step)
 *
 * A reference step is a pure function of exact values with their error scales (reference/scaled.ts):
 * it returns the new parameters and buffers and never touches its inputs.
 */
import type { Hyper } from '../src/optimizers/types.js';
import { D, fromDouble } from './decimal.js';
import { exact, known, leaf, mul, add, sub, type Sc } from './scaled.js';

export interface RefState {
  /** Steps taken so far (the next step is t + 1). */
  t: number;
  buffers: Record<string, Sc[]>;
}

export interface RefResult {
  params: Sc[];
  state: RefState;
}

export interface ReferenceOptimizer<H extends Hyper = Hyper> {
  /** The core registry's name. */
  readonly name: string;
  /** The core's state buffer names, in its order. */
  readonly buffers: readonly string[];
  /** One step: exact new params and state (t + 1), each value with its error scale. */
  step(hyper: Readonly<H>, params: readonly Sc[], grad: readonly Sc[], state: RefState): RefResult;
}

/** The shared options as exact quantities. */
export interface Options {
  /** η */
  eta: Sc;
  /** g̃ = s·g + λθ: the gradient every statistic sees. */
  grad(g: Sc, theta: Sc): Sc;
  /** θ_{t−1} − ηλ_d θ_{t−1} − Δ */
  apply(theta: Sc, delta: Sc): Sc;
}

export function options(h: Readonly<Hyper>): Options {
  const eta = leaf(h.lr as number);
  const s = exact(h.maximize ? -1 : 1);
  const lambda = leaf(h.weightDecay as number);
  const decay = mul(eta, leaf(h.decoupledWeightDecay as number));
  return {
    eta,
    grad: (g, theta) => add(mul(s, g), mul(lambda, theta)),
    apply: (theta, delta) => sub(sub(theta, mul(decay, theta)), delta),
  };
}

/** A fresh reference state: every buffer zero, t = 0. */
export function initRef(opt: ReferenceOptimizer, size: number): RefState {
  const buffers: Record<string, Sc[]> = {};
  for (const b of opt.buffers) buffers[b] = Array.from({ length: size }, () => leaf(0));
  return { t: 0, buffers };
}

/** The buffer `name` of `state`, checked to have n elements (read only: the step builds new ones). */
export function take(state: RefState, name: string, n: number): Sc[] {
  const b = state.buffers[name];
  if (!b || b.length !== n) throw new RangeError(`reference: state buffer '${name}' has length ${b?.length}; expected ${n}`);
  return b;
}

/** Defines a reference optimizer from its per-element rule (all ten are element-wise). */
export function elementwise<H extends Hyper>(
  name: string,
  buffers: readonly string[],
  perStep: (h: Readonly<H>, t: number) => (theta: Sc, g: Sc, b: Record<string, Sc>) => { theta: Sc; b: Record<string, Sc> },
): ReferenceOptimizer<H> {
  return {
    name,
    buffers,
    step(h, params, grad, state) {
      const n = params.length;
      if (grad.length !== n) throw new RangeError(`reference ${name}: grad.length ${grad.length} ≠ params.length ${n}`);
      const t = state.t + 1;
      const rule = perStep(h, t);
      const olds = buffers.map((k) => take(state, k, n));
      const news: Sc[][] = buffers.map(() => new Array<Sc>(n));
      const out = new Array<Sc>(n);
      for (let i = 0; i < n; i++) {
        const b: Record<string, Sc> = {};
        buffers.forEach((k, j) => { b[k] = olds[j]![i]!; });
        const r = rule(params[i]!, grad[i]!, b);
        out[i] = r.theta;
        buffers.forEach((k, j) => { news[j]![i] = r.b[k]!; });
      }
      const nb: Record<string, Sc[]> = {};
      buffers.forEach((k, j) => { nb[k] = news[j]!; });
      return { params: out, state: { t, buffers: nb } };
    },
  };
}

/**
 * 1 − β^t, with β^t computed in Decimal (50 digits: no cancellation issue at β ≤ 1 − 2^-53). Its
 * scale is |1 − β^t|: it is a function of exact inputs (β, t) that a good implementation computes
 * to a few ulps (the core's oneMinusPow does), not a sum whose terms' roundings must be tolerated.
 */
export function oneMinusPow(beta: number, t: number): Sc {
  return known(new D(1).minus(fromDouble(beta).pow(t)));
}
