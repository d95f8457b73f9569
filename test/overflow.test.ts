/**
 * Gradients at the edge of the range (issue 12): the two NaN defects found with framework
 * conventions (D4 adadelta 'previous', D5 rmsprop centred / with momentum), reproduced exactly as
 * reported. Law X1 (properties/laws/extreme.ts) now draws every convention and finds both on the
 * old kernels; these tests pin the reported cases.
 */
import { describe, expect, it } from 'vitest';
import { createOptimizer, type Dtype } from '../src/index.js';

const CTOR = { float64: Float64Array, float32: Float32Array } as const;

/** Steps `opt` through `grads` from θ = 1 (one coordinate) and returns θ and every buffer after each step. */
function run(
  name: string,
  conventions: Record<string, number | boolean | string>,
  dtype: Dtype,
  grads: number[],
  hyper: Record<string, number> = {},
): number[][] {
  const opt = createOptimizer(name, hyper, { conventions });
  const p = CTOR[dtype].from([1]);
  const s = opt.init(1, dtype);
  return grads.map((g) => {
    opt.step(p, CTOR[dtype].from([g]), s);
    return [p[0]!, ...Object.values(s.buffers).map((b) => b[0]!)];
  });
}

describe('no NaN from a finite parameter at the edge of the range', () => {
  it("adadelta gradAverage 'previous' (TF.js): a gradient whose square overflows, then a normal one, leaves θ and both averages free of NaN (D4)", () => {
    for (const [dtype, huge] of [
      ['float64', 1.4e154],
      ['float64', 1e300],
      ['float32', 6e19],
      ['float32', 3e38],
    ] as const) {
      const steps = run('adadelta', { gradAverage: 'previous' }, dtype, [huge, 1, -1, 0]);
      for (const [k, values] of steps.entries()) {
        expect(
          values.some(Number.isNaN),
          `${dtype} g = ${huge}, step ${k + 1}: [θ, Eg2, Edx2] = [${values.join(', ')}]`,
        ).toBe(false);
      }
      // θ moved by the huge step and stays finite afterwards (saturated averages: a ratio of 1)
      expect(Number.isFinite(steps[3]![0]!)).toBe(true);
    }
  });

  it('rmsprop centred or with momentum, float64, |g| ≥ 1.3e155: no NaN in the same step or later (D5)', () => {
    const forms: Record<string, number | boolean | string>[] = [
      { momentum: 0.9 },
      { centered: true },
      { centered: true, momentum: 0.5 },
      { centered: true, epsPlacement: 'outside', lrPlacement: 'outside', momentum: 0.9 },
    ];
    for (const conventions of forms) {
      for (const huge of [1.3e155, -1.3e155, 1e200, 1e300]) {
        const steps = run('rmsprop', conventions, 'float64', [huge, 1, 0]);
        for (const [k, values] of steps.entries()) {
          expect(
            values.some(Number.isNaN),
            `${JSON.stringify(conventions)} g = ${huge}, step ${k + 1}: [θ, Eg2, mg, mom] = [${values.join(', ')}]`,
          ).toBe(false);
        }
      }
    }
  });

  it('rmsprop centred without momentum, float32: a step beyond float32 range stored in the unused momentum buffer does not turn the next step NaN', () => {
    // ρ = 0 centred: D = g² − g² = 0 exactly, so the step is g/√ε (3.4e38 here: ∞ once stored as float32)
    const steps = run('rmsprop', { centered: true, lrPlacement: 'outside' }, 'float32', [3.4028236e32, 0, 1], {
      rho: 0,
      eps: 1e-12,
      lr: 1e-4,
    });
    for (const [k, values] of steps.entries())
      expect(values.some(Number.isNaN), `step ${k + 1}: [${values.join(', ')}]`).toBe(false);
  });
});

/**
 * With a decay > 0 the rule needs no clamp (common.ts, $sat): from a fresh state, a gradient whose
 * square overflows gives, in IEEE arithmetic of the rule as written, an average of g² of +∞, a
 * denominator of +∞ and a step of exactly 0. The clamp ($sat) is only for a decay of 0.
 */
describe('a decay > 0: the average of g² overflows to +∞ and the step is 0 (no clamp)', () => {
  // [optimizer, conventions, hyper, index of the g² average in [θ, ...buffers]]
  const cases: [string, Record<string, number | boolean | string>, Record<string, number>, number][] = [
    ['adam', {}, {}, 2],
    ['nadam', {}, {}, 2],
    ['amsgrad', {}, {}, 2],
    ['rmsprop', {}, {}, 1],
    ['rmsprop', { epsPlacement: 'outside' }, {}, 1],
    ['adadelta', {}, {}, 1],
  ];
  for (const [name, conventions, hyper, at] of cases) {
    it(`${name} ${JSON.stringify(conventions)}`, () => {
      // float64: g² = 1e400 overflows in the rule's own arithmetic; float32: g² = 1e60 is finite in
      // double but +∞ once stored as float32.
      for (const [dtype, huge] of [
        ['float64', 1e200],
        ['float64', -1e300],
        ['float32', 1e30],
      ] as const) {
        const [after] = run(name, conventions, dtype, [huge], hyper);
        expect(after![at], `${dtype} g = ${huge}: [θ, ...buffers] = [${after!.join(', ')}]`).toBe(Infinity);
        if (dtype === 'float64') expect(after![0], `${dtype} g = ${huge}: θ`).toBe(1);
      }
    });
  }
});
