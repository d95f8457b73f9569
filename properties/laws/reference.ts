/**
 * B and G7: the core against the decimal reference (docs/laws.md, B; laws B1, B2,
 * B3, G7). The measure K and the single-step bounds live in properties/accuracy.ts, shared with
 * `optimlab verify --accuracy`.
 */
import fc from 'fast-check';
import type { OptimizerEntry } from '../../src/optimizers/define.js';
import type { Dtype, Hyper, OptimizerState, Vec } from '../../src/optimizers/types.js';
import { roundTo, fromDouble } from '../../reference/decimal.js';
import { leaves, type Sc } from '../../reference/scaled.js';
import { agreement, accuracyCase, boundFor, firstOrderValid, kOf, runStep, UNIT } from '../accuracy.js';
import { CTOR, hyperArb, hyperConventionArb, vec, REALISTIC } from '../arbitraries.js';
import { must, selects, type Law } from '../framework.js';
import { MAX_FINITE, refState } from './internal.js';

/** B1: one step from a state reached by earlier random steps agrees with the reference. */
export const B1: Law = {
  id: 'B1',
  title: 'one step agrees with the decimal reference within the per-optimizer bound (K in units of u)',
  tolerance:
    "K ≤ K1, the optimizer's single-step bound in units of u: the rounding count of its evaluation order (properties/bounds.ts, or the bound its reference states); float32 1 + K64·2^-29 (one rounding of a double result)",
  needsReference: true,
  runs: 150,
  property: (entry, dtype, { reference }) =>
    fc.property(accuracyCase(entry, dtype), (c) => {
      const a = agreement(entry, dtype, runStep(entry, dtype, c, reference!.reference));
      const bound = reference!.bound(dtype);
      must(
        a.worstK <= bound,
        () =>
          `K = ${a.worstK.toPrecision(4)} > ${bound} (${dtype}) at step t = ${c.history.length + 1}; worst ${a.worstAt}`,
      );
      return true;
    }),
};

/**
 * B2 tolerance: K after t steps, against the PROPAGATED scale, grows linearly: 2·K1·t, with K1 the
 * single-step bound. Why. The reference carries each value's scale from step to step, and
 * reference/scaled.ts propagates scales linearly (the excess a − |value| passes every operation with
 * the weight of its derivative: |y| in x·y, 1/|y| in x/y, 1/(2√y) in √y, 1 in sums). Step s's
 * local error (its own roundings, from the core's state at s−1) is at most K1·u times its local
 * scale, by the count that bounds B1; the local scale is at most the propagated a_s (leaves |x| ≤
 * a_x, and the formulas are monotone in the scales), and the first-order image of a_s at step t is
 * at most a_t. Summing the t local errors: |core_t − ref_t| ≤ t·K1·u·a_t. The growth is real, not
 * slack: θ is rounded at every step, each time by up to u·|θ_s|, while a_θ only accumulates the
 * steps' |Δ| (a float32 trajectory of sgd reaches K ≈ 1.2 at t = 3, above the single-step 1); a
 * rounded constant applied every step (κ = 1 − ηλ_d) compounds the same way. Measured K stays far
 * below t·K1 (roundings do not all fall the same way); B1 is the sharp check, B2 catches what only
 * shows over many steps (a wrong t, a state not carried over, a drift).
 * The factor 2 (as in B3 below): a product x·y has the scale
 * |x|a_y + a_x|y| − |xy| but the error image |x|e_y + e_x|y|, so where one propagated error enters
 * a value twice (g̃² with g̃ = g + λθ under weight decay: θ's rounding from the step before) the
 * error/scale ratio can double. Found with seed 5 at 150 runs: amsgrad float32, β2 = 0,
 * λ = 4.4e-5, θ = −271.1: v at step 2 had K = 2.025 > t·K1 = 2.000002, the only term above the
 * bound being (λθ)²'s share of θ's step-1 rounding.
 */
export const TRAJECTORY_STEPS = 24;
/** B2's bound after t steps: 2·t·K1 (K1 the single-step bound of the optimizer named, or a number). */
export function trajectoryBound(k1: string | number, dtype: Dtype, t: number): number {
  return 2 * t * (typeof k1 === 'number' ? k1 : boundFor(k1, dtype));
}

interface Trajectory {
  hyper: Hyper;
  params: Vec;
  grads: Vec[];
}

function trajectory(entry: OptimizerEntry, dtype: Dtype): fc.Arbitrary<Trajectory> {
  return fc.integer({ min: 1, max: 3 }).chain((n) =>
    fc.record({
      hyper: hyperArb(entry),
      params: vec(dtype, n, REALISTIC),
      grads: fc.array(vec(dtype, n, REALISTIC), { minLength: TRAJECTORY_STEPS, maxLength: TRAJECTORY_STEPS }),
    }),
  );
}

/** B2: ≥ 20 steps over a fixed gradient sequence, compared at every step. */
export const B2: Law = {
  id: 'B2',
  title: `${TRAJECTORY_STEPS}-step trajectories over fixed gradient sequences agree with the reference (K against the propagated scale)`,
  tolerance:
    "K ≤ 2·t·K1 against the propagated scale: the t steps' local errors add, ×2 where one propagated error enters a product twice (g̃² under weight decay)",
  needsReference: true,
  runs: 12,
  property: (entry, dtype, { reference }) =>
    fc.property(trajectory(entry, dtype), (c) => {
      const opt = entry.create(c.hyper);
      const ref = reference!.reference;
      const k1 = reference!.bound(dtype);
      const p = c.params.slice();
      const state = opt.init(p.length, dtype);
      let rp: Sc[] = leaves(p);
      let rs = refState(state);
      for (let t = 1; t <= c.grads.length; t++) {
        const bound = trajectoryBound(k1, dtype, t);
        const g = c.grads[t - 1]!;
        opt.step(p, g, state);
        const r = ref.step(c.hyper as never, rp, leaves(g), rs);
        rp = r.params;
        rs = r.state;
        const check = (what: string, got: Vec, want: readonly Sc[]): void => {
          for (let i = 0; i < got.length; i++) {
            // Judged only where the first-order scale holds (accuracy.ts, firstOrderValid).
            if (!firstOrderValid(want[i]!, dtype, bound)) continue;
            const k = kOf(got[i]!, want[i]!, dtype);
            must(
              k <= bound,
              () =>
                `step ${t}: ${what}[${i}] core ${got[i]}, reference ${want[i]!.v.toSignificantDigits(25).toString()}, propagated scale ${want[i]!.a.toPrecision(6)}: K = ${k.toPrecision(4)} > ${bound}`,
            );
          }
        };
        check('params', p, rp);
        for (const b of entry.buffers) check(b, state.buffers[b]!, rs.buffers[b]!);
      }
      return true;
    }),
};

// ---------------------------------------------------------------------------------------------
// B3: core vs reference under random conventions.

interface ConvStepCase {
  hyper: Hyper;
  conventions: Hyper;
  params: Vec;
  grad: Vec;
  history: Vec[];
}

function convStepCase(entry: OptimizerEntry, dtype: Dtype): fc.Arbitrary<ConvStepCase> {
  return fc.integer({ min: 1, max: 6 }).chain((n) =>
    fc
      .record({
        hc: hyperConventionArb(entry),
        params: vec(dtype, n, REALISTIC),
        grad: vec(dtype, n, REALISTIC),
        history: fc.array(vec(dtype, n, REALISTIC), { minLength: 0, maxLength: 8 }),
      })
      .map(({ hc, ...rest }) => ({ ...hc, ...rest })),
  );
}

/**
 * K of every value the core wrote (params and each of its buffers) against the reference, over
 * the values where the first-order scale is valid (firstOrderValid).
 * `overflow`: some exact value lies beyond the dtype's largest finite number (RMSprop centred with
 * ρ = 0 has variance 0 and steps by ηg/ε ≈ 1e41): not an accuracy question (extreme-value laws).
 */
function worstK(
  dtype: Dtype,
  p: Vec,
  state: OptimizerState,
  refParams: readonly Sc[],
  refBuffers: Record<string, Sc[]>,
  bound: number,
): { k: number; at: string; overflow: boolean } {
  let k = 0;
  let at = 'nothing differs';
  let overflow = false;
  const scan = (what: string, got: Vec, want: readonly Sc[] | undefined): void => {
    must(
      want !== undefined && want.length === got.length,
      () =>
        `the reference has no buffer '${what}' of length ${got.length} (it has ${Object.keys(refBuffers).join(', ')})`,
    );
    for (let i = 0; i < got.length; i++) {
      if (!(want[i]!.v.abs().toNumber() <= MAX_FINITE[dtype])) {
        overflow = true;
        continue;
      }
      if (!firstOrderValid(want[i]!, dtype, bound)) continue;
      const ki = kOf(got[i]!, want[i]!, dtype);
      if (ki > k) {
        k = ki;
        at = `${what}[${i}]: core ${got[i]}, reference ${want[i]!.v.toSignificantDigits(25).toString()}, scale a ${want[i]!.a.toPrecision(6)}`;
      }
    }
  };
  scan('params', p, refParams);
  for (const [b, v] of Object.entries(state.buffers)) scan(b, v, refBuffers[b]);
  must(
    Object.keys(refBuffers).sort().join() === Object.keys(state.buffers).sort().join(),
    () => `buffers differ: core [${Object.keys(state.buffers)}], reference [${Object.keys(refBuffers)}]`,
  );
  return { k, at, overflow };
}

const B3_STEPS = 24;

/**
 * Along a trajectory B3 allows 2·t·K1 (B2's argument gives t·K1: step s's local error is at most
 * K1·u times its scale, and the scales carry it forward). The factor 2 (as in B2 above): reference/scaled.ts gives a
 * product x·y the scale |x|a_y + a_x|y| − |xy|, whose first-order error image is |x|e_y + e_x|y|;
 * when both factors carry propagated error (g̃² with g̃ = s·g + λθ under weight decay: θ's error
 * enters twice) the ratio error/scale can double, since |xy| ≤ (|x|a_y + a_x|y|)/2. Measured: rmsprop
 * float32, ρ = 0, λ = 1e-6, a zero gradient at step 14: E[g²] = (λθ)², θ at K ≈ 10.5, E[g²] at K = 21.0
 * > 14·K1 = 14; nadam float32 β2 = 0, λ = 1e-5: v = g̃² at K 4.18 > 4 at step 4.
 */
const trajectoryFactor = 2;

/**
 * B3: one step from a reached state, then a 24-step trajectory, under random valid conventions.
 * Values where the reference's first-order scale is invalid (firstOrderValid: a divisor uncertain
 * to more than 1/16 of itself at K·u) are not judged: measured over 100 random 24-step runs per
 * optimizer, that is centred RMSprop with ρ = 0 or ρ < 1e-3 (≈ 50% of those values: the variance
 * E[g²] − ḡ² cancels to noise), a handful where g̃ = s·g + λθ itself cancels, and values whose
 * scale is already infinite (a zero denominator upstream), which K never judged anyway.
 */
export const B3: Law = {
  id: 'B3',
  title: `under random valid convention options (and hyperparameters), one step and ${B3_STEPS}-step trajectories agree with the decimal reference's documented formula within the per-optimizer bound (K in units of u; ×t along a trajectory)`,
  tolerance:
    'as B1 and B2, with the bound of the conventions in force (CONVENTION_BOUNDS: conventions that add roundings widen it)',
  needsReference: true,
  runs: 40,
  property: (entry, dtype, { reference }) =>
    fc.property(
      convStepCase(entry, dtype),
      fc.array(vec(dtype, 3, REALISTIC), { minLength: B3_STEPS, maxLength: B3_STEPS }),
      hyperConventionArb(entry),
      (c, grads, hc2) => {
        const ref = reference!.reference;
        const conv = entry.validateConventions(c.conventions);
        // One step from a state reached by the core.
        const opt = entry.create(c.hyper, c.conventions);
        const p = c.params.slice();
        const state = opt.init(p.length, dtype);
        for (const g of c.history) opt.step(p, g, state);
        const r = ref.step(c.hyper as never, leaves(p), leaves(c.grad), refState(state), conv);
        opt.step(p, c.grad, state);
        const bound = reference!.conventionBound(conv, dtype);
        const one = worstK(dtype, p, state, r.params, r.state.buffers, bound);
        fc.pre(!one.overflow);
        must(
          one.k <= bound,
          () =>
            `one step (t = ${state.t}) under ${JSON.stringify(conv)}: K = ${one.k.toPrecision(4)} > ${bound} (${dtype}); worst ${one.at}`,
        );
        // A trajectory from a fresh state, with other random hyperparameters and conventions.
        const conv2 = entry.validateConventions(hc2.conventions);
        const opt2 = entry.create(hc2.hyper, hc2.conventions);
        const q = c.params.length >= 3 ? c.params.slice(0, 3) : CTOR[dtype].from([...c.params, 0.5, -2].slice(0, 3));
        const s2 = opt2.init(3, dtype);
        let rp = leaves(q);
        let rs = refState(s2);
        const b1 = reference!.conventionBound(conv2, dtype);
        for (let t = 1; t <= B3_STEPS; t++) {
          const g = grads[t - 1]!;
          opt2.step(q, g, s2);
          const rr = ref.step(hc2.hyper as never, rp, leaves(g), rs, conv2);
          rp = rr.params;
          rs = rr.state;
          const w = worstK(dtype, q, s2, rp, rs.buffers, trajectoryFactor * t * b1);
          if (w.overflow) break; // the exact trajectory left the dtype's range: nothing more to compare
          must(
            w.k <= trajectoryFactor * t * b1,
            () =>
              `trajectory step ${t} under ${JSON.stringify(conv2)}, hyper ${JSON.stringify(hc2.hyper)}: K = ${w.k.toPrecision(4)} > 2·${t}·${b1} (${dtype}); worst ${w.at}`,
          );
        }
        return true;
      },
    ),
};

/**
 * G7: every float32 value the core stores is a correctly rounded float32 of some value within the
 * double computation's own error of the reference. The float32 core computes in double (error
 * ≤ K64·2^-53·a, K64 the float64 bound, a the cancellation-aware scale) and rounds once, so
 *   fl32(ref − K64·2^-53·a) ≤ core ≤ fl32(ref + K64·2^-53·a)
 * (rounding is monotone), and nothing else may differ. Where the double error is far below half a
 * float32 ulp this says: the reference correctly rounded, or its neighbour across a midpoint the
 * reference lies within that error of. Where θ − Δ cancels, the double error can span several
 * float32 ulps of the small result (θ = 1, Δ = 1 − 6.6e-10: double error ≈ 2.2e-16 absolute,
 * float32 ulp at 6.6e-10 is 5.6e-17), and the core may be that many ulps from fl32(ref): an earlier
 * form of this law demanded one ulp there and failed on a correct core.
 */
export const G7: Law = {
  id: 'G7',
  title: "float32 results are the reference correctly rounded to float32, up to the double computation's own error",
  tolerance:
    'the float32 value lies in [fl32(ref − e), fl32(ref + e)], e = K64·2^-53·a: one correct rounding of a double computation within its own bound',
  // Only where the float32 step computes in double (traits.float32Arithmetic): rounding at every
  // operation (TF.js) is judged by B1/B2 with the bound of that evaluation.
  appliesTo: selects(
    "traits.float32Arithmetic 'double' (the default)",
    (e) => e.traits.float32Arithmetic !== 'float32',
  ),
  needsReference: true,
  dtypes: ['float32'],
  runs: 150,
  property: (entry, _dtype, { reference }) =>
    fc.property(accuracyCase(entry, 'float32'), (c) => {
      const run = runStep(entry, 'float32', c, reference!.reference);
      const slack = reference!.bound('float64') * UNIT.float64;
      const check = (what: string, got: Vec, want: readonly Sc[]): void => {
        for (let i = 0; i < got.length; i++) {
          const x = got[i]!;
          const ref = want[i]!.v;
          const err = fromDouble(slack * want[i]!.a + 2 ** -1074);
          const lo = roundTo(ref.minus(err), 'float32');
          const hi = roundTo(ref.plus(err), 'float32');
          must(
            lo <= x && x <= hi,
            () =>
              `${what}[${i}]: core ${x} is not fl32 of any value within the double error ${err.toNumber()} of the reference ${ref.toString()} (allowed [${lo}, ${hi}], correctly rounded ${roundTo(ref, 'float32')})`,
          );
        }
      };
      check('params', run.core.params, run.ref.params);
      for (const b of entry.buffers) check(b, run.core.state.buffers[b]!, run.ref.state.buffers[b]!);
      return true;
    }),
};

export const referenceLaws: Law[] = [B1, B2, B3, G7];
