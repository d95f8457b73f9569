/**
 * Arbitraries for the laws, drawn from the registry's hyperparameter ranges and from explicit
 * magnitude ranges. fc.double's default distribution piles up near zero and on subnormals, so no
 * law uses it directly: magnitudes are drawn log-uniformly between stated bounds, both signs,
 * with exact zeros at a stated rate. Extreme inputs (subnormals, huge values) have their own law.
 */
import fc from 'fast-check';
import type { OptimizerEntry } from '../src/optimizers/define.js';
import type { Dtype, Hyper, HyperSpec, NumberSpec, Optimizer, OptimizerState, Vec } from '../src/optimizers/types.js';

export const CTOR = { float64: Float64Array, float32: Float32Array } as const;

/** Rounds to the dtype (float32 values are exactly representable afterwards). */
export const roundTo = (dtype: Dtype, x: number): number => (dtype === 'float32' ? Math.fround(x) : x);

export interface MagnitudeRange {
  /** Smallest and largest |x| drawn (log-uniformly). */
  min: number;
  max: number;
  /** Probability of an exact zero (default 0.1). */
  zeros?: number;
  /** Allow negative values (default true). */
  signed?: boolean;
}

/** Realistic magnitudes: 1e-6 to 1e3, both signs, exact zeros (law B1, docs/laws.md). */
export const REALISTIC: MagnitudeRange = { min: 1e-6, max: 1e3, zeros: 0.1 };

const UNIT_STEPS = 2 ** 30;

/**
 * A number uniformly distributed in [lo, hi] (2^30 evenly spaced values; shrinks towards lo).
 * fc.double({ min, max }) is not uniform: it draws uniformly among the doubles' bit patterns, so
 * most draws in [0, 0.999] come out below 1e-100 and the rest pile up at the ends. Every range the
 * laws draw from goes through this instead.
 */
export function uniform(lo: number, hi: number): fc.Arbitrary<number> {
  return fc
    .integer({ min: 0, max: UNIT_STEPS })
    .map((k) => (k === UNIT_STEPS ? hi : lo + (hi - lo) * (k / UNIT_STEPS)));
}

/** A number in [lo, hi] (0 < lo ≤ hi), log-uniformly distributed (shrinks towards lo). */
export function logUniform(lo: number, hi: number): fc.Arbitrary<number> {
  const a = Math.log(lo);
  const b = Math.log(hi);
  return uniform(a, b).map((e) => Math.min(hi, Math.max(lo, Math.exp(e))));
}

/** A number of magnitude in [min, max] (log-uniform), random sign, zero with probability `zeros`. */
export function magnitude(r: MagnitudeRange, dtype: Dtype = 'float64'): fc.Arbitrary<number> {
  const lo = Math.log2(r.min);
  const hi = Math.log2(r.max);
  const zeroWeight = Math.round((r.zeros ?? 0.1) * 1000);
  const nonzero = fc.tuple(uniform(lo, hi), fc.boolean()).map(([e, neg]) => {
    const x = roundTo(dtype, 2 ** e);
    return r.signed === false || !neg ? x : -x;
  });
  if (zeroWeight <= 0) return nonzero;
  return fc.oneof({ arbitrary: fc.constant(0), weight: zeroWeight }, { arbitrary: nonzero, weight: 1000 - zeroWeight });
}

/** A vector of `length` (fixed or a range) with entries from `magnitude(r)`, as the dtype's array. */
export function vec(
  dtype: Dtype,
  length: number | { min: number; max: number },
  r: MagnitudeRange = REALISTIC,
): fc.Arbitrary<Vec> {
  const len =
    typeof length === 'number'
      ? { minLength: length, maxLength: length }
      : { minLength: length.min, maxLength: length.max };
  return fc.array(magnitude(r, dtype), len).map((xs) => CTOR[dtype].from(xs));
}

// ---------------------------------------------------------------------------------------------
// Nothing spins: a filter gives up after a bounded number of draws and says what it needed.

/**
 * An arbitrary could not produce a valid value: `precondition` says what was asked (the law's and
 * optimizer's names are added where the case runs, properties/framework.ts), `rejected` why the
 * last draw failed (the optimizer's own validation message where there is one).
 */
export class UnsatisfiableError extends Error {
  override name = 'UnsatisfiableError';
  constructor(
    readonly precondition: string,
    readonly tries: number,
    readonly rejected: string | undefined,
  ) {
    super(
      `no valid case in ${tries} draws: needs ${precondition}${rejected ? `; the last draw was rejected: ${rejected}` : ''}`,
    );
  }
}

/** Draws per value before a filter gives up. Valid draws are rarely rarer than 1 in 10 (cross constraints). */
export const MAX_TRIES = 1000;

class BoundedFilter<T> extends fc.Arbitrary<T> {
  constructor(
    private readonly arb: fc.Arbitrary<T>,
    private readonly check: (x: T) => true | string,
    private readonly precondition: () => string,
    private readonly tries: number,
  ) {
    super();
  }
  generate(mrng: fc.Random, biasFactor: number | undefined): fc.Value<T> {
    let rejected: string | undefined;
    for (let k = 0; k < this.tries; k++) {
      const v = this.arb.generate(mrng, biasFactor);
      const ok = this.check(v.value);
      if (ok === true) return v;
      rejected = ok;
    }
    throw new UnsatisfiableError(this.precondition(), this.tries, rejected);
  }
  canShrinkWithoutContext(value: unknown): value is T {
    return this.arb.canShrinkWithoutContext(value) && this.check(value as T) === true;
  }
  shrink(value: T, context: unknown): fc.Stream<fc.Value<T>> {
    return this.arb.shrink(value, context).filter((v) => this.check(v.value) === true);
  }
}

/**
 * `arb` keeping the values `check` accepts (true), or a reason (a string) it rejects them: like
 * fc's filter, except that after `tries` draws in a row without a valid value it throws an
 * UnsatisfiableError naming `precondition` and the last reason, instead of drawing for ever.
 */
export function satisfying<T>(
  arb: fc.Arbitrary<T>,
  check: (x: T) => boolean | string,
  precondition: string | (() => string),
  tries = MAX_TRIES,
): fc.Arbitrary<T> {
  const why = typeof precondition === 'string' ? () => precondition : precondition;
  return new BoundedFilter(
    arb,
    (x) => {
      const r = check(x);
      return r === true ? true : typeof r === 'string' ? r : 'rejected';
    },
    why,
    tries,
  );
}

/** true where `f` does not throw, else its message (validation checks as filter reasons). */
const accepts = (f: () => unknown): true | string => {
  try {
    f();
    return true;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
};

/** ' with lr = 0.1, eps = 0' for fixed values (empty when none apply to these specs). */
const pinned = (specs: object, fixed: Partial<Hyper>): string => {
  const ks = Object.keys(fixed).filter((k) => k in specs);
  return ks.length ? ` with ${ks.map((k) => `${k} = ${JSON.stringify(fixed[k])}`).join(', ')}` : '';
};

function numberArb(s: NumberSpec): fc.Arbitrary<number> {
  const [lo, hi] = s.sample;
  const drawn = s.log && lo > 0 ? logUniform(lo, hi) : uniform(lo, hi);
  // An optimizer that computes with float32 scalars (spec.float32) is given float32 values.
  const inner = s.float32 ? drawn.map(Math.fround).filter((x) => x >= s.min && x <= s.max) : drawn;
  // Keep draws strictly inside open ends.
  const valid = satisfying(
    inner,
    (x) => !(s.minOpen && x === s.min) && !(s.maxOpen && x === s.max),
    `a value of the sample range [${lo}, ${hi}] inside the open ends of ${s.doc} (${s.minOpen ? '>' : '≥'} ${s.min}, ${s.maxOpen ? '<' : '≤'} ${s.max})`,
  );
  if (!s.specials?.length) return valid;
  return fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: fc.constantFrom(...s.specials), weight: 1 });
}

function specArb(s: HyperSpec): fc.Arbitrary<number | boolean | string> {
  switch (s.kind) {
    case 'number':
      return numberArb(s);
    case 'boolean':
      return fc.boolean();
    case 'choice':
      return fc.constantFrom(...s.choices);
  }
}

/**
 * Valid hyperparameters for `entry`, drawn from the registry's sample ranges. `fixed` pins some
 * (e.g. { eps: 0, weightDecay: 0 }); combinations the optimizer rejects (cross constraints) are
 * filtered out, so every draw builds.
 */
export function hyperArb(entry: OptimizerEntry, fixed: Partial<Hyper> = {}): fc.Arbitrary<Hyper> {
  const specs = entry.hyper as Record<string, HyperSpec>;
  const rec: Record<string, fc.Arbitrary<number | boolean | string>> = {};
  for (const [k, s] of Object.entries(specs)) {
    rec[k] = k in fixed ? fc.constant(fixed[k] as number | boolean | string) : specArb(s);
  }
  return satisfying(
    fc.record(rec),
    (h) => accepts(() => entry.validate(h)),
    () => `hyperparameters of '${entry.name}'${pinned(specs, fixed)} that it accepts (drawn from its sample ranges)`,
  );
}

/** The registry's defaults with `fixed` applied. */
export function defaultsWith(entry: OptimizerEntry, fixed: Partial<Hyper> = {}): Hyper {
  return { ...entry.defaults, ...fixed } as Hyper;
}

export interface StepCase {
  hyper: Hyper;
  params: Vec;
  grad: Vec;
  /** Gradients of the earlier steps that produced the state (oldest first). */
  history: Vec[];
}

/**
 * A step case: valid hyperparameters, params, a gradient, and a history of 0..maxHistory earlier
 * gradients that bring the state to a random point reached by real steps.
 */
export function stepCase(
  entry: OptimizerEntry,
  dtype: Dtype,
  opts: {
    length?: { min: number; max: number };
    maxHistory?: number;
    range?: MagnitudeRange;
    fixed?: Partial<Hyper>;
  } = {},
): fc.Arbitrary<StepCase> {
  const length = opts.length ?? { min: 1, max: 8 };
  const r = opts.range ?? REALISTIC;
  return fc.integer({ min: length.min, max: length.max }).chain((n) =>
    fc.record({
      hyper: hyperArb(entry, opts.fixed),
      params: vec(dtype, n, r),
      grad: vec(dtype, n, r),
      history: fc.array(vec(dtype, n, r), { minLength: 0, maxLength: opts.maxHistory ?? 4 }),
    }),
  );
}

/**
 * Builds the optimizer and the state that `history` produces from a fresh state, applied to a copy
 * of params (so the case's params stay as drawn). Returns the optimizer, the state and the params
 * reached.
 */
export function replayHistory(
  entry: OptimizerEntry,
  dtype: Dtype,
  c: StepCase,
): { opt: Optimizer; state: OptimizerState; params: Vec } {
  const opt = entry.create(c.hyper);
  const params = c.params.slice();
  const state = opt.init(params.length, dtype);
  for (const g of c.history) opt.step(params, g, state);
  return { opt, state, params };
}

/**
 * Valid convention options for `entry` (docs/conventions.md), drawn from its convention specs the
 * way hyperArb draws hyperparameters (choices uniformly, numbers from their sample ranges and
 * specials). `fixed` pins some. Empty for an optimizer without conventions.
 */
export function conventionArb(entry: OptimizerEntry, fixed: Partial<Hyper> = {}): fc.Arbitrary<Hyper> {
  const rec: Record<string, fc.Arbitrary<number | boolean | string>> = {};
  for (const [k, s] of Object.entries(entry.conventions)) {
    rec[k] = k in fixed ? fc.constant(fixed[k] as number | boolean | string) : specArb(s);
  }
  return satisfying(
    fc.record(rec),
    (c) => accepts(() => entry.validateConventions(c)),
    () => `convention options of '${entry.name}'${pinned(entry.conventions, fixed)} that it accepts`,
  );
}

/**
 * Valid hyperparameters and conventions together: combinations the optimizer rejects across the
 * two (RMSprop centred with ε = 0) are filtered out, so every draw builds with create(hyper, conventions).
 */
export function hyperConventionArb(
  entry: OptimizerEntry,
  fixedHyper: Partial<Hyper> = {},
  fixedConventions: Partial<Hyper> = {},
): fc.Arbitrary<{ hyper: Hyper; conventions: Hyper }> {
  return satisfying(
    fc.record({ hyper: hyperArb(entry, fixedHyper), conventions: conventionArb(entry, fixedConventions) }),
    ({ hyper, conventions }) => accepts(() => entry.create(hyper, conventions)),
    () =>
      `hyperparameters${pinned(entry.hyper, fixedHyper)} and conventions${pinned(entry.conventions, fixedConventions)} that '${entry.name}' accepts together`,
  );
}
