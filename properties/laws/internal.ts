/**
 * Helpers shared by several law files (internal: not part of the public `optimlab/laws` API).
 * Law files import from here and from properties/*.ts, never from each other.
 */
import fc from 'fast-check';
import type { OptimizerEntry } from '../../src/optimizers/define.js';
import type { Dtype, Hyper, Optimizer, OptimizerState, Vec } from '../../src/optimizers/types.js';
import { initRef, type ReferenceOptimizer } from '../../reference/index.js';
import { leaves, type Sc } from '../../reference/scaled.js';
import { CTOR, hyperConventionArb, vec, type MagnitudeRange } from '../arbitraries.js';
import { must, selects, type Law, type Selector } from '../framework.js';

/** No weight decay of either kind, no maximize: the plain rule of each optimizer. */
export const PLAIN: Readonly<Hyper> = { weightDecay: 0, decoupledWeightDecay: 0, maximize: false };

/**
 * The common options (PLAIN's keys) that `entry` has, at their plain values. An optimizer without
 * weight decay or maximize (a wrapped step function, a TF.js optimizer) is plain already, and
 * creating it with an option it does not know is an error: laws that spread PLAIN into create()
 * spread this instead.
 */
export function plainFor(entry: OptimizerEntry): Hyper {
  return Object.fromEntries(Object.entries(PLAIN).filter(([k]) => k in entry.hyper));
}

/**
 * The reference state of a core state: its step count and every buffer's values as exact leaves. A
 * trajectory compared with the reference starts from the core's fresh state (all zero for the
 * built-ins; an optimizer whose buffers start elsewhere, TF.js's Adagrad accumulator at 0.1, starts
 * there).
 */
export function refState(state: OptimizerState): { t: number; buffers: Record<string, Sc[]> } {
  const buffers: Record<string, Sc[]> = {};
  for (const [k, v] of Object.entries(state.buffers)) buffers[k] = leaves(v);
  return { t: state.t, buffers };
}

/** One step from θ = 0: returns Δθ (exact). */
export function stepFromZero(opt: Optimizer, g: Vec, state: OptimizerState): Vec {
  const p = new CTOR[state.dtype](g.length);
  opt.step(p, g, state);
  return p;
}

/** The largest finite value of each dtype: an exact value beyond it is an overflow, not an accuracy question. */
export const MAX_FINITE: Readonly<Record<Dtype, number>> = {
  float64: Number.MAX_VALUE,
  float32: 3.4028234663852886e38,
};

// ---------------------------------------------------------------------------------------------
// Laws of convention (properties/laws/conventions/): when two conventions coincide, and a
// counterexample where they do not. Magnitudes: gradients and parameters log-uniform in
// [1e-3, 1e3], both signs, 5% exact zeros (MID), unless a law says otherwise; hyperparameters and
// the other conventions from the registry.

export const MID: MagnitudeRange = { min: 1e-3, max: 1e3, zeros: 0.05 };
export const STEPS = 20;

export interface Run {
  opt: Optimizer;
  p: Vec;
  state: OptimizerState;
}

/** Builds `entry` with hyper/conventions and takes the steps; `before(opt, t)` runs before step t. */
export function run(
  entry: OptimizerEntry,
  hyper: Hyper,
  conventions: Hyper,
  dtype: Dtype,
  p0: Vec,
  grads: readonly Vec[],
  before?: (opt: Optimizer, t: number) => void,
): Run {
  const opt = entry.create(hyper, conventions);
  const p = p0.slice();
  const state = opt.init(p.length, dtype);
  grads.forEach((g, i) => {
    before?.(opt, i + 1);
    opt.step(p, g, state);
  });
  return { opt, p, state };
}

/** A copy of a state whose buffers are `names` (copied from `from` where it has them, else zero). */
export function stateLike(from: OptimizerState, names: readonly string[]): OptimizerState {
  const buffers: Record<string, Vec> = {};
  for (const k of names) buffers[k] = from.buffers[k] ? from.buffers[k]!.slice() : new CTOR[from.dtype](from.size);
  return { ...from, buffers };
}

export const bitsEqual = (a: Vec, b: Vec): boolean =>
  a.length === b.length && a.every((x, i) => Object.is(x, b[i]) || (x === 0 && b[i] === 0));

export function trajectoryArb(
  dtype: Dtype,
  n: { min: number; max: number } = { min: 1, max: 4 },
  steps = STEPS,
  range = MID,
): fc.Arbitrary<{ p: Vec; grads: Vec[] }> {
  return fc.integer(n).chain((k) =>
    fc.record({
      p: vec(dtype, k, range),
      grads: fc.array(vec(dtype, k, range), { minLength: steps, maxLength: steps }),
    }),
  );
}

/**
 * A law that searches for a counterexample: `coincide` must return false for some draw of `arb`
 * within `tries` draws (seeded from the case seed). An exception inside `coincide` is a failure of
 * the law, not a counterexample.
 */
export function counterexample<T>(
  id: string,
  title: string,
  appliesTo: Selector,
  arb: (e: OptimizerEntry, d: Dtype) => fc.Arbitrary<T>,
  coincide: (e: OptimizerEntry, d: Dtype, x: T) => boolean,
  tries = 300,
): Law {
  return {
    id,
    title,
    appliesTo,
    runs: 1,
    tolerance: `a counterexample: some draw of ${tries} (seeded by the case) makes the two differ in any bit; a single differing bit counts`,
    property: (entry, dtype) =>
      fc.property(fc.integer(), (seed) => {
        let thrown: unknown;
        const d = fc.check(
          fc.property(arb(entry, dtype), (x) => {
            try {
              return coincide(entry, dtype, x);
            } catch (e) {
              thrown = e;
              return true;
            }
          }),
          { seed, numRuns: tries, endOnFailure: true },
        );
        must(thrown === undefined, () => `the comparison threw: ${String(thrown)}`);
        must(
          d.failed,
          () =>
            `no draw of ${tries} (seed ${seed}) made the two conventions differ: the claimed difference was not found`,
        );
        return true;
      }),
  };
}

/**
 * A counterexample law for two conventions of the same optimizer: `a` and `b` map the drawn
 * conventions (with `fixedConv` pinned) to the two being compared over `steps` steps.
 */
export function differ(
  id: string,
  title: string,
  appliesTo: Selector,
  fixedHyper: Partial<Hyper>,
  fixedConv: Partial<Hyper>,
  a: (c: Hyper) => Hyper,
  b: (c: Hyper) => Hyper,
  steps = 3,
  range: MagnitudeRange = MID,
): Law {
  return counterexample<{ hyper: Hyper; conventions: Hyper; c: { p: Vec; grads: Vec[] } }>(
    id,
    title,
    appliesTo,
    (e, d) =>
      fc
        .record({
          hc: hyperConventionArb(e, fixedHyper, fixedConv),
          c: trajectoryArb(d, { min: 1, max: 3 }, steps, range),
        })
        .map(({ hc, c }) => ({ ...hc, c })),
    (e, d, x) =>
      bitsEqual(
        run(e, x.hyper, a(x.conventions), d, x.c.p, x.c.grads).p,
        run(e, x.hyper, b(x.conventions), d, x.c.p, x.c.grads).p,
      ),
  );
}
export const set =
  (o: Hyper) =>
  (c: Hyper): Hyper => ({ ...c, ...o });

export const has = (k: string): Selector => selects(`convention option '${k}'`, (e) => k in e.conventions);
export const hyperConv = (e: OptimizerEntry, h: Partial<Hyper> = {}, c: Partial<Hyper> = {}) =>
  hyperConventionArb(e, h, c);

/**
 * Exact-arithmetic "iff" laws run the reference for two conventions in lockstep from the same θ
 * (each keeping its own buffers) and compare the exact steps: equal means within 1e-40 relative
 * (the reference's 50 digits), different means more.
 */
export function lockstepExact(
  ref: ReferenceOptimizer,
  hyper: Hyper,
  ca: Hyper,
  cb: Hyper,
  p0: Vec,
  grads: readonly Vec[],
  check: (
    t: number,
    i: number,
    sa: Record<string, Sc[]>,
    g: Sc,
    same: boolean,
    mZero: boolean,
    after: { a: Record<string, Sc[]>; b: Record<string, Sc[]>; step: Sc['v']; theta: Sc['v'] },
  ) => void,
): void {
  let th = leaves(p0);
  let sa = initRef(ref, p0.length, ca);
  let sb = initRef(ref, p0.length, cb);
  for (let t = 1; t <= grads.length; t++) {
    const g = leaves(grads[t - 1]!);
    const ra = ref.step(hyper as never, th, g, sa, ca);
    const rb = ref.step(hyper as never, th, g, sb, cb);
    for (let i = 0; i < th.length; i++) {
      const x = ra.params[i]!.v;
      const y = rb.params[i]!.v;
      const same = x.minus(y).abs().lte(x.abs().plus(y.abs()).times(1e-40));
      check(t, i, sa.buffers, g[i]!, same, ra.state.buffers.m![i]!.v.isZero(), {
        a: ra.state.buffers,
        b: rb.state.buffers,
        step: x.minus(th[i]!.v),
        theta: x,
      });
    }
    th = ra.params;
    sa = ra.state;
    sb = rb.state;
  }
}
