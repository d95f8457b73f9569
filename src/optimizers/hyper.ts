/**
 * Hyperparameter vocabulary, specs and validation. One vocabulary across optimizers:
 * lr, momentum (γ), rho (ρ), beta1, beta2, eps, weightDecay (coupled L2),
 * decoupledWeightDecay (AdamW-style), maximize.
 */
import type { BooleanSpec, ChoiceSpec, Hyper, HyperSpec, NumberSpec } from './types.js';
import { showValue } from './show.js';

export const lr = (def: number): NumberSpec => ({
  kind: 'number',
  default: def,
  min: 0,
  max: Infinity,
  minOpen: true,
  // Equivalent mutant (`false`): max is ∞, which checkValue refuses as not finite before any
  // range test, so an open or closed upper end gives the same verdicts and the same text (rangeText
  // writes no upper end for ∞).
  maxOpen: true,
  sample: [1e-4, 1],
  log: true,
  doc: 'learning rate η',
});

/** A decay rate in [0, 1) (β1, β2, γ, ρ); `minOpen` where 0 would divide by zero. */
export const decay = (
  def: number,
  doc: string,
  opts: { minOpen?: boolean; sample?: readonly [number, number] } = {},
): NumberSpec => ({
  kind: 'number',
  default: def,
  min: 0,
  max: 1,
  minOpen: opts.minOpen ?? false,
  maxOpen: true,
  sample: opts.sample ?? [opts.minOpen ? 0.01 : 0, 0.999],
  doc,
  ...(opts.minOpen ? {} : { specials: [0] }),
});

export const eps = (def: number, opts: { minOpen?: boolean; doc?: string } = {}): NumberSpec => ({
  kind: 'number',
  default: def,
  min: 0,
  max: Infinity,
  minOpen: opts.minOpen ?? false,
  maxOpen: true,
  sample: [1e-12, 1e-2],
  log: true,
  doc: opts.doc ?? 'ε, keeps the denominator away from zero',
  ...(opts.minOpen ? {} : { specials: [0] }),
});

export const weightDecay: NumberSpec = {
  kind: 'number',
  default: 0,
  min: 0,
  max: Infinity,
  maxOpen: true,
  sample: [1e-6, 1e-1],
  log: true,
  specials: [0],
  doc: 'coupled L2 weight decay λ: g ← g + λθ',
};

export const decoupledWeightDecay: NumberSpec = {
  kind: 'number',
  default: 0,
  min: 0,
  max: Infinity,
  maxOpen: true,
  sample: [1e-6, 1e-1],
  log: true,
  specials: [0],
  doc: 'decoupled weight decay λ (AdamW): θ ← θ − ηλθ beside the step',
};

export const maximize: BooleanSpec = {
  kind: 'boolean',
  default: false,
  doc: 'maximize the objective: g ← −g before any statistic',
};

/** A nonnegative number (an initial accumulator, a decay of the rate): 0 by default, drawn log-uniformly or exactly 0. */
export const nonneg = (def: number, doc: string, sample: readonly [number, number]): NumberSpec => ({
  kind: 'number',
  default: def,
  min: 0,
  max: Infinity,
  maxOpen: true,
  sample,
  log: true,
  specials: [0],
  doc,
});

/**
 * η_t = η / (1 + (t − 1)·d): the learning-rate decay of PyTorch's Adagrad (lr_decay) and TF.js's
 * Adamax (decay). d = 0 (the default) gives η_t = η exactly (x/1 = x).
 */
export const lrDecay: NumberSpec = nonneg(0, 'learning-rate decay d: η_t = η / (1 + (t − 1)·d)', [1e-4, 1e-1]);

/** η_t = η / (1 + (t − 1)·d), once per step. */
export const decayedRate = (lr: number, d: number, t: number): number => lr / (1 + (t - 1) * d);

export const choice = (def: string, choices: readonly string[], doc: string): ChoiceSpec => ({
  kind: 'choice',
  default: def,
  choices,
  doc,
});

/** "0 ≤ beta1 < 1" style text for a numeric spec. */
export function rangeText(name: string, s: NumberSpec): string {
  const lo = `${s.min} ${s.minOpen ? '<' : '≤'} `;
  const hi = s.max === Infinity ? '' : ` ${s.maxOpen ? '<' : '≤'} ${s.max}`;
  const finite = s.max === Infinity ? ' (finite)' : '';
  return `${lo}${name}${hi}${finite}`;
}

export function allowedText(name: string, s: HyperSpec): string {
  switch (s.kind) {
    case 'number':
      return rangeText(name, s);
    case 'boolean':
      return `${name} is true or false`;
    case 'choice':
      return `${name} is one of ${s.choices.map((c) => `'${c}'`).join(', ')}`;
  }
}

/** A hyperparameter as `list --verbose` describes it: what it is, then what is allowed. */
export function specText(name: string, s: HyperSpec): string {
  return `${s.doc}; ${allowedText(name, s)}`;
}

const show = showValue;

const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** Checks one value against its spec; returns an Error to throw, or undefined when valid. */
export function checkValue(
  opt: string,
  name: string,
  s: HyperSpec,
  v: unknown,
  what = 'hyperparameter',
): Error | undefined {
  const where = `${opt}: ${what} ${name} = ${show(v)}`;
  const allowed = `allowed: ${allowedText(name, s)}`;
  switch (s.kind) {
    case 'number':
      if (typeof v !== 'number') return new TypeError(`${where} is not a number; ${allowed}`);
      if (!Number.isFinite(v)) return new RangeError(`${where} is not finite; ${allowed}`);
      if (v < s.min || (s.minOpen && v === s.min) || v > s.max || (s.maxOpen && v === s.max)) {
        return new RangeError(`${where} is out of range; ${allowed}`);
      }
      return undefined;
    case 'boolean':
      return typeof v === 'boolean' ? undefined : new TypeError(`${where} is not a boolean; ${allowed}`);
    case 'choice':
      if (typeof v !== 'string') return new TypeError(`${where} is not a string; ${allowed}`);
      return s.choices.includes(v) ? undefined : new RangeError(`${where} is not a known choice; ${allowed}`);
  }
}

/**
 * Merges `changes` into `base` (or the defaults) and validates the result as a whole.
 * Throws before returning anything, so a caller that assigns the result changes nothing on error.
 */
export function resolveHyper<H extends Hyper>(
  opt: string,
  specs: Readonly<Record<string, HyperSpec>>,
  base: Readonly<H> | undefined,
  changes: unknown,
  cross?: (h: H) => string | undefined,
  what = 'hyperparameter',
): H {
  if (changes !== undefined && (typeof changes !== 'object' || changes === null || Array.isArray(changes))) {
    throw new TypeError(
      `${opt}: ${what}s must be an object such as ${what === 'hyperparameter' ? '{ lr: 0.01 }' : `{ ${Object.keys(specs)[0] ?? 'name'}: … }`}; got ${show(changes)}`,
    );
  }
  const out: Hyper = {};
  for (const [k, s] of Object.entries(specs)) out[k] = base ? (base[k] as Hyper[string]) : s.default;
  for (const [k, v] of Object.entries((changes ?? {}) as Record<string, unknown>)) {
    // own properties only: 'constructor', 'toString', '__proto__' … are names like any other (D2)
    const s = own(specs, k) ? specs[k] : undefined;
    if (!s) {
      throw new RangeError(
        `${opt}: unknown ${what} '${k}' = ${show(v)}; ${opt} accepts ${Object.keys(specs).join(', ') || 'none'}`,
      );
    }
    if (v === undefined) continue;
    const err = checkValue(opt, k, s, v, what);
    if (err) throw err;
    out[k] = v as Hyper[string];
  }
  const crossErr = cross?.(out as H);
  if (crossErr) throw new RangeError(`${opt}: ${crossErr}`);
  return Object.freeze(out) as H;
}
