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
import { exact, known, leaf, mul, add, sub, div, type Sc } from './scaled.js';

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
  /** The core's state buffer names under the default conventions, in its order. */
  readonly buffers: readonly string[];
  /** The core's state buffer names under `conventions` (RMSprop centred or with momentum adds 'mg', 'mom'). */
  buffersFor(conventions?: Readonly<Hyper>): readonly string[];
  /**
   * One step: exact new params and state (t + 1), each value with its error scale. `conventions`
   * is the object the core's `create(hyper, conventions)` takes (docs/conventions.md); omitted
   * options take the source documents' defaults, an unknown one is a RangeError.
   */
  step(
    hyper: Readonly<H>,
    params: readonly Sc[],
    grad: readonly Sc[],
    state: RefState,
    conventions?: Readonly<Hyper>,
  ): RefResult;
}

/**
 * The conventions a reference optimizer knows, with their defaults (the source documents'
 * formulas). Written here, not read from the core: the reference states its own formulas.
 */
export function conventionsOf<C extends Hyper>(name: string, defaults: C, given: Readonly<Hyper> | undefined): C {
  const out = { ...defaults } as Hyper;
  for (const [k, v] of Object.entries(given ?? {})) {
    if (!(k in defaults))
      throw new RangeError(
        `reference ${name}: unknown convention '${k}' = ${String(v)}; it knows ${Object.keys(defaults).join(', ') || 'none'}`,
      );
    if (v !== undefined) out[k] = v;
  }
  return out as C;
}

/** The shared options as exact quantities (see options()). */
export interface Options {
  /** η */
  eta: Sc;
  /** g̃ = s·g + λθ: the gradient every statistic sees. */
  grad(g: Sc, theta: Sc): Sc;
  /** θ_{t−1} − ηλ_d θ_{t−1} − Δ */
  apply(theta: Sc, delta: Sc): Sc;
}

/**
 * The shared options of `h` as exact quantities. `lr` is required; `weightDecay`,
 * `decoupledWeightDecay` and `maximize` absent (an optimizer without `commonSpecs`) mean none. A
 * value of another type is a TypeError naming it (an outside reference's mistake, not a Decimal error).
 */
export function options(h: Readonly<Hyper>): Options {
  const num = (key: string, absent?: number): number => {
    const x = Object.hasOwn(h, key) ? h[key] : undefined;
    if (x === undefined && absent !== undefined) return absent;
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new TypeError(
        `options(h): h.${key} = ${typeof x === 'string' ? JSON.stringify(x) : String(x)}; allowed: a finite number${absent === undefined ? " (the optimizer's hyperparameter)" : ` or absent (${absent})`}`,
      );
    }
    return x;
  };
  const eta = leaf(num('lr'));
  const s = exact(h.maximize ? -1 : 1);
  const lambda = leaf(num('weightDecay', 0));
  const decay = mul(eta, leaf(num('decoupledWeightDecay', 0)));
  return {
    eta,
    grad: (g, theta) => add(mul(s, g), mul(lambda, theta)),
    apply: (theta, delta) => sub(sub(theta, mul(decay, theta)), delta),
  };
}

/** A fresh reference state: every buffer zero, t = 0 (the buffers of `conventions`). */
export function initRef(opt: ReferenceOptimizer, size: number, conventions?: Readonly<Hyper>): RefState {
  const buffers: Record<string, Sc[]> = {};
  for (const b of opt.buffersFor(conventions)) buffers[b] = Array.from({ length: size }, () => leaf(0));
  return { t: 0, buffers };
}

/** The buffer `name` of `state`, checked to have n elements (read only: the step builds new ones). */
export function take(state: RefState, name: string, n: number): Sc[] {
  const b = state.buffers[name];
  if (!b || b.length !== n)
    throw new RangeError(`reference: state buffer '${name}' has length ${b?.length}; expected ${n}`);
  return b;
}

/**
 * Defines a reference optimizer from its per-element rule (all ten are element-wise). With
 * `conventions` (their defaults) the rule receives the resolved conventions; `extra` names the
 * buffers some conventions add after `buffers`.
 */
export function elementwise<H extends Hyper, C extends Hyper = Hyper>(
  name: string,
  buffers: readonly string[],
  perStep: (
    h: Readonly<H>,
    t: number,
    c: Readonly<C>,
  ) => (theta: Sc, g: Sc, b: Record<string, Sc>) => { theta: Sc; b: Record<string, Sc> },
  conventions: C = {} as C,
  extra?: (c: Readonly<C>) => readonly string[],
): ReferenceOptimizer<H> {
  const buffersFor = (given?: Readonly<Hyper>): readonly string[] => {
    const c = conventionsOf(name, conventions, given);
    return [...buffers, ...(extra?.(c) ?? [])];
  };
  return {
    name,
    buffers,
    buffersFor,
    step(h, params, grad, state, given) {
      const n = params.length;
      if (grad.length !== n) throw new RangeError(`reference ${name}: grad.length ${grad.length} ≠ params.length ${n}`);
      const t = state.t + 1;
      const c = conventionsOf(name, conventions, given);
      const bufs = [...buffers, ...(extra?.(c) ?? [])];
      const rule = perStep(h, t, c);
      const olds = bufs.map((k) => take(state, k, n));
      const news: Sc[][] = bufs.map(() => new Array<Sc>(n));
      const out = new Array<Sc>(n);
      for (let i = 0; i < n; i++) {
        const b: Record<string, Sc> = {};
        bufs.forEach((k, j) => {
          b[k] = olds[j]![i]!;
        });
        const r = rule(params[i]!, grad[i]!, b);
        out[i] = r.theta;
        bufs.forEach((k, j) => {
          news[j]![i] = r.b[k]!;
        });
      }
      const nb: Record<string, Sc[]> = {};
      bufs.forEach((k, j) => {
        nb[k] = news[j]!;
      });
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

/**
 * η_t = η / (1 + (t − 1)·d): the learning-rate decay of PyTorch's Adagrad (lr_decay) and TF.js's
 * Adamax (decay); d = 0 gives η_t = η.
 */
export function decayedRate(eta: Sc, d: number, t: number): Sc {
  if (d === 0) return eta;
  return div(eta, add(exact(1), mul(exact(t - 1), leaf(d))));
}
