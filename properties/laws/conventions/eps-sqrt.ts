/**
 * V5: ε inside vs outside the square root (Adagrad, RMSprop: epsPlacement).
 * A family of the laws of convention (docs/conventions.md); the helpers they share are in
 * properties/laws/internal.ts.
 */
import fc from 'fast-check';
import type { OptimizerEntry } from '../../../src/optimizers/define.js';
import { initRef } from '../../../reference/index.js';
import { fromDouble } from '../../../reference/decimal.js';
import { leaves } from '../../../reference/scaled.js';
import { CTOR, vec } from '../../arbitraries.js';
import { must, selects, type Law } from '../../framework.js';
import { MID, run, bitsEqual, trajectoryArb, differ, set, hyperConv } from '../internal.js';

const epsInOut = selects("convention option 'epsPlacement' with a choice 'inside'", (e: OptimizerEntry): boolean => {
  const s = e.conventions.epsPlacement;
  return s?.kind === 'choice' && s.choices.includes('inside');
});
const epsInOutG0 = selects(
  "convention options 'epsPlacement' (with a choice 'inside') and 'initialAccumulator'",
  (e) => epsInOut(e) && 'initialAccumulator' in e.conventions,
);

/** V5a. ε = 0: √(A + 0) = √A + 0, the kernels get identical scalars: bit for bit. */
const V5a: Law = {
  id: 'V5a',
  title: 'ε inside √(A + ε) vs outside √A + ε: bit for bit when ε = 0 (20 steps, other conventions random)',
  tolerance: 'bit for bit: √(A + 0) = √A + 0, the kernels get identical scalars',
  appliesTo: epsInOut,
  runs: 30,
  property: (entry, dtype) =>
    fc.property(hyperConv(entry, { eps: 0 }), trajectoryArb(dtype), ({ hyper, conventions }, c) => {
      const a = run(entry, hyper, { ...conventions, epsPlacement: 'inside' }, dtype, c.p, c.grads);
      const b = run(entry, hyper, { ...conventions, epsPlacement: 'outside' }, dtype, c.p, c.grads);
      must(bitsEqual(a.p, b.p), () => `θ inside ${Array.from(a.p)} ≠ outside ${Array.from(b.p)}`);
      return true;
    }),
};

/**
 * V5b. "Equal only when ε = 0" is not the whole truth: (√A + ε)² − (A + ε) = ε(2√A + ε − 1), so the
 * denominators also coincide where √A = (1 − ε)/2 (and inside gives the LARGER step exactly where
 * 2√A + ε > 1). At ε = 2^-k, g = ±2^-j, G_0 = ((1 − ε)/2)² − g² every sum is exact and both
 * denominators are (1 + ε)/2: bit for bit. k ∈ [2, 10], j ∈ [2, 10], one step from a fresh state.
 */
const V5b: Law = {
  id: 'V5b',
  title:
    'ε inside vs outside also coincide where √A = (1 − ε)/2 (A the accumulator): bit for bit at ε = 2^-k, A = ((1 − ε)/2)² built exactly',
  tolerance: 'bit for bit: at ε = 2^-k, g = ±2^-j every sum is exact and both denominators are (1 + ε)/2',
  appliesTo: epsInOutG0,
  runs: 40,
  property: (entry, dtype) =>
    fc.property(
      fc.integer({ min: 2, max: 10 }),
      fc.integer({ min: 2, max: 10 }),
      fc.boolean(),
      hyperConv(entry, { weightDecay: 0 }),
      vec(dtype, 1, MID),
      (k, j, neg, { hyper, conventions }, p) => {
        const eps = 2 ** -k;
        const g = (neg ? -1 : 1) * 2 ** -j;
        const G0 = ((1 - eps) / 2) ** 2 - g * g;
        const grad = CTOR[dtype].from([g]);
        const h = { ...hyper, eps };
        const a = run(entry, h, { ...conventions, initialAccumulator: G0, epsPlacement: 'inside' }, dtype, p, [grad]);
        const b = run(entry, h, { ...conventions, initialAccumulator: G0, epsPlacement: 'outside' }, dtype, p, [grad]);
        must(bitsEqual(a.p, b.p), () => `ε = 2^-${k}, g = ${g}, G_0 = ${G0}: θ inside ${a.p[0]} ≠ outside ${b.p[0]}`);
        return true;
      },
    ),
};

/** V5c. Exact arithmetic (the reference): |Δ_in| > |Δ_out| ⟺ 2√A + ε > 1, for g ≠ 0, ε > 0. */
const V5c: Law = {
  id: 'V5c',
  title:
    'ε inside vs outside, ε > 0, g ≠ 0 (exact, reference): the inside step is larger exactly when 2√A + ε > 1, smaller when < 1',
  tolerance: 'exact (50-digit reference): the sign of 2√A + ε − 1 decides',
  appliesTo: epsInOutG0,
  dtypes: ['float64'],
  runs: 60,
  needsReference: true,
  property: (entry, _dtype, { reference }) =>
    fc.property(
      hyperConv(entry, { weightDecay: 0, decoupledWeightDecay: 0 }),
      vec('float64', 1, { min: 1e-3, max: 1e3, zeros: 0 }),
      vec('float64', 1, { min: 1e-3, max: 1e3, zeros: 0 }),
      ({ hyper, conventions }, p, g) => {
        fc.pre((hyper.eps as number) > 0);
        const ref = reference!.reference;
        const step = (placement: string) => {
          const c = entry.validateConventions({ ...conventions, epsPlacement: placement });
          return ref.step(hyper as never, leaves(p), leaves(g), initRef(ref, 1, c), c).params[0]!.v;
        };
        const th = leaves(p)[0]!.v;
        const din = step('inside').minus(th).abs();
        const dout = step('outside').minus(th).abs();
        const A = fromDouble(conventions.initialAccumulator as number).plus(fromDouble(g[0]!).pow(2));
        const side = A.sqrt()
          .times(2)
          .plus(fromDouble(hyper.eps as number))
          .minus(1);
        must(
          side.isZero() || din.gt(dout) === side.gt(0),
          () => `2√A + ε − 1 = ${side}, |Δ_in| ${din}, |Δ_out| ${dout}`,
        );
        return true;
      },
    ),
};

const V5d = differ(
  'V5d',
  'ε inside vs outside differ for ε > 0: a counterexample is found',
  epsInOut,
  { eps: 1e-3 },
  {},
  set({ epsPlacement: 'inside' }),
  set({ epsPlacement: 'outside' }),
  2,
);

export const epsSqrtLaws: Law[] = [V5a, V5b, V5c, V5d];
