/**
 * defineReference: the decimal reference of an optimizer that optimlab does not ship, written by
 * its maintainer next to the optimizer (docs/adding-an-optimizer.md). The result is what the
 * built-in references are (a ReferenceOptimizer: exact values with their error scales, see
 * scaled.ts) plus the two things the laws need from an outsider: the source of the formula and the
 * single-step bound on K that the maintainer derived for their kernel's evaluation order.
 *
 * The laws B1, B2, B3, G7 and `optimlab verify --accuracy` run against it; without one they are
 * 'not run: no reference supplied' (never a failure).
 */
import type { OptimizerEntry } from '../src/optimizers/define.js';
import type { Hyper } from '../src/optimizers/types.js';
import { conventionsOf, elementwise, type RefResult, type RefState, type ReferenceOptimizer } from './common.js';
import type { Sc } from './scaled.js';

/** The bound the laws judge the core against, in units of the dtype's unit roundoff u. */
export interface ReferenceBound {
  /**
   * Single-step bound on K in float64 (u = 2^-53): the number of roundings along the longest path
   * of the kernel's evaluation order, counted by the rules of properties/accuracy.ts (BOUNDS).
   * Law B1 uses it; B2 and B3 allow 2·t times it after t steps; G7 uses it as the double
   * computation's slack. Finite and ≥ 1.
   */
  float64: number;
  /** Why: the count, one clause per value ('m 5; v 8; …'). Printed beside the bound. */
  why: string;
  /**
   * float32 bound. Default 1 + float64·2^-29: a kernel that computes in double and rounds once per
   * stored value (every defineOptimizer kernel that keeps its intermediates in locals).
   */
  float32?: number;
  /** Under convention options (law B3): a wider float64 bound where a convention adds roundings. */
  conventions?: (conventions: Readonly<Hyper>) => { float64: number; why: string } | undefined;
}

/** The per-coordinate rule of an elementwise optimizer (called once per step, see perElement). */
export type ElementRule = (theta: Sc, g: Sc, b: Readonly<Record<string, Sc>>) => { theta: Sc; b: Record<string, Sc> };

export interface ReferenceDefinition<H extends Hyper = Hyper, C extends Hyper = Hyper> {
  /** Where the formula comes from: paper, algorithm, equation. */
  source: string;
  /**
   * Elementwise optimizers: given the hyperparameters, the step number t (1 for the first step) and
   * the resolved conventions, the rule for one coordinate: θ, g and the buffers' old values in, θ
   * and the buffers' new values out. Exactly one of perElement and step.
   */
  perElement?: (h: Readonly<H>, t: number, c: Readonly<C>) => ElementRule;
  /** Any optimizer: the whole step (new params and a new state with t + 1; never mutate the inputs). */
  step?: (
    h: Readonly<H>,
    params: readonly Sc[],
    grad: readonly Sc[],
    state: RefState,
    conventions: Readonly<C>,
  ) => RefResult;
  /** Convention options the reference knows, with their defaults: the optimizer's convention keys. */
  conventions?: C;
  /** State buffers some conventions add after the optimizer's `buffers`. */
  extraBuffers?: (c: Readonly<C>) => readonly string[];
  bound: ReferenceBound;
}

/** A reference bound to an optimizer (by name), with the source of its formula and its bound. */
export interface Reference<H extends Hyper = Hyper> extends ReferenceOptimizer<H> {
  readonly source: string;
  readonly bound: Readonly<{
    float64: number;
    float32: number;
    why: string;
    conventions?: ReferenceBound['conventions'];
  }>;
}

const FLOAT32_SLACK = 2 ** -29;

function fail(
  name: string,
  what: string,
  value: unknown,
  allowed: string,
  Err: typeof TypeError | typeof RangeError = RangeError,
): never {
  let shown: string;
  try {
    shown = typeof value === 'function' ? 'a function' : (JSON.stringify(value) ?? String(value));
  } catch {
    shown = String(value);
  }
  throw new Err(`defineReference(${name}): ${what} = ${shown}; ${allowed}`);
}

/** Checks a bound (also used for the value `bound.conventions` returns). */
function checkBound(name: string, where: string, b: { float64?: unknown; why?: unknown; float32?: unknown }): void {
  if (typeof b.float64 !== 'number' || !Number.isFinite(b.float64) || b.float64 < 1) {
    fail(
      name,
      `${where}.float64`,
      b.float64,
      'allowed: a finite number ≥ 1 (the rounding count of one step, units of u = 2^-53)',
    );
  }
  if (typeof b.why !== 'string' || b.why.trim() === '') {
    fail(name, `${where}.why`, b.why, "allowed: a non-empty string stating the count ('m 5; v 8; θ 16')", TypeError);
  }
  if (b.float32 !== undefined && (typeof b.float32 !== 'number' || !Number.isFinite(b.float32) || b.float32 < 1)) {
    fail(name, `${where}.float32`, b.float32, 'allowed: a finite number ≥ 1, or omitted (1 + float64·2^-29)');
  }
}

/**
 * Defines the decimal reference of `optimizer` (see ReferenceDefinition). Checks the definition at
 * once (a TypeError or RangeError naming the field, the value and what is allowed), and the buffers
 * of the first step it computes against the optimizer's.
 */
export function defineReference<H extends Hyper, C extends Hyper = Hyper>(
  optimizer: OptimizerEntry<H>,
  def: ReferenceDefinition<H, C>,
): Reference<H> {
  if (
    typeof optimizer !== 'object' ||
    optimizer === null ||
    typeof optimizer.name !== 'string' ||
    !Array.isArray(optimizer.buffers)
  ) {
    throw new TypeError(
      `defineReference: the first argument must be the optimizer's entry (the result of defineOptimizer); got ${String(optimizer)}`,
    );
  }
  const name = optimizer.name;
  if (typeof def !== 'object' || def === null)
    fail(name, 'definition', def, 'allowed: an object { source, perElement or step, bound }', TypeError);
  if (typeof def.source !== 'string' || def.source.trim() === '')
    fail(name, 'source', def.source, 'allowed: a non-empty string (paper, algorithm, equation)', TypeError);
  const hasRule = def.perElement !== undefined;
  const hasStep = def.step !== undefined;
  if (hasRule === hasStep)
    fail(
      name,
      hasRule ? 'perElement and step' : 'perElement / step',
      hasRule ? 'both' : undefined,
      'allowed: exactly one of perElement (elementwise optimizers) and step',
      TypeError,
    );
  if (hasRule && typeof def.perElement !== 'function')
    fail(
      name,
      'perElement',
      def.perElement,
      'allowed: a function (h, t, conventions) => (theta, g, buffers) => { theta, b }',
      TypeError,
    );
  if (hasStep && typeof def.step !== 'function')
    fail(
      name,
      'step',
      def.step,
      'allowed: a function (h, params, grad, state, conventions) => { params, state }',
      TypeError,
    );
  if (typeof def.bound !== 'object' || def.bound === null)
    fail(
      name,
      'bound',
      def.bound,
      "allowed: { float64: K, why: '…' } (docs/adding-an-optimizer.md, 'How tight a bound must be')",
      TypeError,
    );
  checkBound(name, 'bound', def.bound);
  if (def.bound.conventions !== undefined && typeof def.bound.conventions !== 'function')
    fail(
      name,
      'bound.conventions',
      def.bound.conventions,
      'allowed: a function (conventions) => { float64, why } | undefined',
      TypeError,
    );
  const defaults = (def.conventions ?? {}) as C;
  const mine = Object.keys(defaults).sort().join(', ');
  const theirs = Object.keys(optimizer.conventionDefaults ?? {})
    .sort()
    .join(', ');
  if (mine !== theirs)
    fail(
      name,
      'conventions',
      Object.keys(defaults),
      `allowed: the optimizer's convention options [${theirs}] with their defaults`,
    );

  // The per-coordinate rule's first result is checked: a value for each of the optimizer's buffers
  // and none other, each an exact value with its scale.
  let ruleChecked = false;
  const checkedRule = (h: Readonly<H>, t: number, c: Readonly<C>): ElementRule => {
    const rule = def.perElement!(h, t, c);
    return (theta, g, b) => {
      const r = rule(theta, g, b);
      if (!ruleChecked) {
        const want = [...optimizer.buffers, ...(def.extraBuffers?.(c) ?? [])].sort().join(', ');
        const got = Object.keys(r?.b ?? {})
          .sort()
          .join(', ');
        if (want !== got)
          fail(
            name,
            'the buffers perElement returns',
            Object.keys(r?.b ?? {}),
            `allowed: the optimizer's buffers [${want}]`,
          );
        for (const [k, x] of [['theta', r.theta] as const, ...Object.entries(r.b)]) {
          if (
            typeof x !== 'object' ||
            x === null ||
            typeof (x as Sc).a !== 'number' ||
            typeof (x as Sc).v?.toNumber !== 'function'
          ) {
            fail(
              name,
              `the value of ${k} perElement returns`,
              x,
              "allowed: an Sc (leaf, exact, add, mul … from 'optimlab/reference')",
              TypeError,
            );
          }
        }
        ruleChecked = true;
      }
      return r;
    };
  };
  const base: ReferenceOptimizer<H> = hasRule
    ? elementwise<H, C>(name, optimizer.buffers, checkedRule, defaults, def.extraBuffers)
    : {
        name,
        buffers: optimizer.buffers,
        buffersFor: (given) => [
          ...optimizer.buffers,
          ...(def.extraBuffers?.(conventionsOf(name, defaults, given)) ?? []),
        ],
        step: (h, params, grad, state, given) =>
          def.step!(h, params, grad, state, conventionsOf(name, defaults, given)),
      };
  let checked = false;
  const bound = {
    float64: def.bound.float64,
    float32: def.bound.float32 ?? 1 + def.bound.float64 * FLOAT32_SLACK,
    why: def.bound.why,
    ...(def.bound.conventions
      ? {
          conventions: (c: Readonly<Hyper>) => {
            const r = def.bound.conventions!(c);
            if (r !== undefined) checkBound(name, `bound.conventions(${JSON.stringify(c)})`, r);
            return r;
          },
        }
      : {}),
  };
  return Object.freeze({
    ...base,
    source: def.source,
    bound: Object.freeze(bound),
    step(
      h: Readonly<H>,
      params: readonly Sc[],
      grad: readonly Sc[],
      state: RefState,
      conventions?: Readonly<Hyper>,
    ): RefResult {
      const r = base.step(h, params, grad, state, conventions);
      if (!checked) {
        const want = [...base.buffersFor(conventions)].sort().join(', ');
        const got = Object.keys(r.state?.buffers ?? {})
          .sort()
          .join(', ');
        if (want !== got)
          fail(
            name,
            'the buffers of a step',
            Object.keys(r.state?.buffers ?? {}),
            `allowed: the optimizer's buffers [${want}]`,
          );
        if (!Array.isArray(r.params) || r.params.length !== params.length)
          fail(name, 'the params of a step', r.params?.length, `allowed: ${params.length} values (one per parameter)`);
        checked = true;
      }
      return r;
    },
  });
}
