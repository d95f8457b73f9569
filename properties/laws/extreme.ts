/**
 * X1: extreme inputs (docs/laws.md, X: "a separate law feeds extreme inputs and checks that nothing
 * becomes NaN unless the mathematics says so").
 *
 * Inputs are finite, element by element a mix of exact zeros (±0), subnormals, tiny normals,
 * realistic values and huge values: up to 1e300 in float64 (up to 1e38 in float32), so that the
 * preprocessed gradient s·g + λθ itself cannot overflow (λ ≤ 0.1 in the registry's sample range).
 * Hyperparameters come from the registry's whole sample ranges, specials (0) included, and the
 * convention options too (every framework's form: TF.js's Adadelta, PyTorch's centred RMSprop with
 * momentum … each has arithmetic of its own), in both dtypes. The gradient sequences come from
 * X1_GRADIENTS: one list of sources, so a new kind of hostile sequence is one more entry. Two
 * today: independent extreme elements, and long runs of constant or nearly constant gradients
 * that make every difference of running averages cancel (nearlyConstantGradients).
 *
 * What the mathematics says. For finite θ, g and state every rule here is a finite expression
 * (denominators are positive, or their numerators are 0 too and the update is 0), so NaN is never
 * the answer. Overflow is: g² beyond the range (|g| > 1.34e154 in float64; > 1.8e19 in float32,
 * where v is stored as float32) makes a second-moment accumulator +Infinity, and a velocity or
 * parameter may exceed the range. So the law is: a coordinate whose parameter is finite before a
 * step has no NaN after it, in its parameter or in any state buffer. (Once θ is ±Infinity, the
 * coupled-decay term 0·θ of the next step is NaN: common.ts documents that identity for finite θ.)
 *
 * Known limits, documented rather than checked (they are not NaN):
 *  - An accumulator that overflowed stays +Infinity while β > 0 (β·∞ = ∞), and the step is then
 *    0 (m/∞): Adagrad, RMSprop, Adadelta, Adam, Nadam, AMSGrad stop moving that coordinate for
 *    good, where the exact step would be of order lr.
 *  - With ε = 0, a gradient whose square underflows (|g| < 1.5e-162 in float64) divides a nonzero
 *    m by the 5e-324 floor: steps of up to ~1e154·lr (README, "Known floating-point limit").
 *  - AdaMax with ε = 0: if u underflows to 0 before m does (β2 < β1, many zero gradients), the
 *    step divides by the floor too.
 */
import fc from 'fast-check';
import { makeRng } from '../../src/data/random.js';
import type { Dtype, Vec } from '../../src/optimizers/types.js';
import { CTOR, hyperConventionArb, logUniform } from '../arbitraries.js';
import { must, show, unitRoundoff, type Law } from '../framework.js';

const RANGES = {
  float64: { sub: [4.9e-324, 2.2e-308], tiny: [2.3e-308, 1e-150], real: [1e-6, 1e3], huge: [1e150, 1e300] },
  float32: { sub: [1.5e-45, 1.1e-38], tiny: [1.2e-38, 1e-19], real: [1e-6, 1e3], huge: [1e19, 1e38] },
} as const;

/** One element: ±0, subnormal, tiny normal, realistic or huge, with a random sign. */
function extreme(dtype: Dtype): fc.Arbitrary<number> {
  const r = RANGES[dtype];
  const round = dtype === 'float32' ? Math.fround : (x: number) => x;
  const mag = fc.oneof(
    fc.constant(0),
    logUniform(r.sub[0], r.sub[1]),
    logUniform(r.tiny[0], r.tiny[1]),
    logUniform(r.real[0], r.real[1]),
    logUniform(r.huge[0], r.huge[1]),
  );
  return fc.tuple(mag, fc.boolean()).map(([x, neg]) => round(neg ? -x : x));
}

const evec = (dtype: Dtype, n: number): fc.Arbitrary<Vec> =>
  fc.array(extreme(dtype), { minLength: n, maxLength: n }).map((xs) => CTOR[dtype].from(xs));

/**
 * Where X1's gradient sequences come from: each source draws a sequence of 1 to `maxSteps`
 * gradients of `n` elements. X1 draws from all of them (fc.oneof), so a new kind of hostile
 * sequence (one that seeks cancellation, say) is one more entry in X1_GRADIENTS.
 */
export type GradientSource = (dtype: Dtype, n: number, maxSteps: number) => fc.Arbitrary<Vec[]>;

/** Independent extreme elements at every step (the mix above). */
export const extremeGradients: GradientSource = (dtype, n, maxSteps) =>
  fc.array(evec(dtype, n), { minLength: 1, maxLength: maxSteps });

/** The longest run of nearlyConstantGradients (see there). */
export const CANCEL_STEPS = 120;

/**
 * Sequences that seek cancellation in every kernel that subtracts one running average from
 * another (centred RMSprop's variance E[g²] − ḡ², in every convention; any such form to come).
 * With a constant gradient g and decay ρ, E_t = (1 − ρ^t)g² and ḡ_t = (1 − ρ^t)g, so the exact
 * variance (1 − ρ^t)ρ^t g² falls below the rounding of either term, u·g², once ρ^t < u: after
 * t > ln u / ln ρ steps (u = 2^−53: 16 steps at ρ = 0.1, 53 at ρ = 0.5, 120 at ρ = 0.73; u = 2^−24:
 * 7, 24 and 54), after which the computed difference is as often negative as positive. So: up to
 * two arbitrary extreme gradients (the averages start anywhere), then each coordinate constant
 * for up to CANCEL_STEPS steps, exactly or within 1 or 4 units of its last place (a near-constant
 * gradient rounds differently each step), at every magnitude X1 draws. The length ignores
 * X1's maxSteps: the cancellation needs the steps.
 */
export const nearlyConstantGradients: GradientSource = (dtype, n) =>
  fc
    .record({
      warmup: fc.array(evec(dtype, n), { maxLength: 2 }),
      c: evec(dtype, n),
      steps: fc.integer({ min: 1, max: CANCEL_STEPS }),
      ulps: fc.constantFrom(0, 1, 4),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    })
    .map(({ warmup, c, steps, ulps, seed }) => {
      const rng = makeRng(seed, 'X1-cancellation');
      const u = unitRoundoff(dtype);
      const round = dtype === 'float32' ? Math.fround : (x: number) => x;
      const run = Array.from({ length: steps }, () =>
        CTOR[dtype].from(Array.from(c, (x) => round(x * (1 + ulps * u * (2 * rng.uniform() - 1))))),
      );
      return [...warmup, ...run];
    });

/** The gradient sources X1 draws from. */
export const X1_GRADIENTS: readonly GradientSource[] = [extremeGradients, nearlyConstantGradients];

/**
 * X1 over `sources`: hyperparameters and convention options drawn together from the registry
 * (every convention, both dtypes: a framework's form has its own arithmetic), θ extreme, then a
 * few steps of gradients from one of the sources.
 */
export function extremeLaw(sources: readonly GradientSource[] = X1_GRADIENTS, maxSteps = 6): Law {
  return {
    id: 'X1',
    title:
      'extreme inputs (±0, subnormals, huge values, mixed) under every convention: a finite parameter never turns NaN, in itself or its state',
    tolerance: 'exact: no NaN where θ was finite (overflow to ±∞ is allowed: the mathematics says so; NaN never is)',
    runs: 300,
    property: (entry, dtype) =>
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((n) =>
          fc.record({
            hc: hyperConventionArb(entry),
            theta: evec(dtype, n),
            gs: fc.oneof(...sources.map((s) => s(dtype, n, maxSteps))),
          }),
        ),
        ({ hc, theta, gs }) => {
          const opt = entry.create(hc.hyper, hc.conventions);
          const p = theta.slice();
          const state = opt.init(p.length, dtype);
          gs.forEach((g, k) => {
            const before = p.slice();
            opt.step(p, g, state);
            for (let i = 0; i < p.length; i++) {
              if (!Number.isFinite(before[i]!)) continue;
              for (const [name, v] of [['params', p], ...Object.entries(state.buffers)] as const) {
                must(
                  !Number.isNaN(v[i]!),
                  () =>
                    `step ${k + 1}, coordinate ${i}: ${name} = NaN; θ was ${show(before[i])}, g = ${show(g[i])}, gradients so far [${gs
                      .slice(0, k + 1)
                      .map((x) => show(x[i]))
                      .join(', ')}]; conventions ${JSON.stringify(hc.conventions)}; state now {${Object.entries(
                      state.buffers,
                    )
                      .map(([b, x]) => `${b}: ${show(x[i])}`)
                      .join(', ')}}`,
                );
              }
            }
          });
          return true;
        },
      ),
  };
}

export const X1: Law = extremeLaw();

export const extremeLaws: Law[] = [X1];
