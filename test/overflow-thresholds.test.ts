/**
 * The overflow and underflow thresholds that README.md ("Zero denominators and non-finite
 * gradients") and docs/numerics.md ("Overflow", "A known limit") state are the ones the core has
 * (issue 12: the README said 1.8e19 for float32, right for Adagrad only; float32 Adam stays finite
 * to 5.8e20 because (1 − β2)·g² is computed in double before the buffer rounds to float32; and with
 * ε = 0 a float64 gradient of 1e-170 throws Adam's θ to about −2e150 in the same step).
 *
 * Each threshold is measured here by bisection over the doubles (exact to one ulp), from a fresh
 * state at the default hyperparameters, compared with its closed form, and its figure (two
 * significant digits) must appear in both documents.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createOptimizer, type Dtype } from '../src/index.js';

const CTOR = { float64: Float64Array, float32: Float32Array } as const;
const DOCS = ['README.md', 'docs/numerics.md'].map(
  (f) => [f, readFileSync(new URL(`../${f}`, import.meta.url), 'utf8').replace(/\s+/g, ' ')] as const,
);

/** θ (one coordinate, from 1) and the buffers after stepping through `grads` from a fresh state. */
function run(
  name: string,
  dtype: Dtype,
  grads: number[],
  hyper: Record<string, number> = {},
): { theta: number; buffers: number[] } {
  const opt = createOptimizer(name, hyper);
  const p = CTOR[dtype].from([1]);
  const s = opt.init(1, dtype);
  for (const g of grads) opt.step(p, CTOR[dtype].from([g]), s);
  return { theta: p[0]!, buffers: Object.values(s.buffers).map((b) => b[0]!) };
}

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
const bitsOf = (x: number): bigint => {
  f64[0] = x;
  return u64[0]!;
};
const fromBits = (b: bigint): number => {
  u64[0] = b;
  return f64[0]!;
};

/** The smallest positive double x in (lo, hi] with pred(x), for pred false at lo, true at hi and monotone between. */
function smallest(pred: (x: number) => boolean, lo: number, hi: number): number {
  expect(pred(lo), `pred(${lo})`).toBe(false);
  expect(pred(hi), `pred(${hi})`).toBe(true);
  let a = bitsOf(lo);
  let b = bitsOf(hi);
  while (b - a > 1n) {
    const m = (a + b) / 2n;
    if (pred(fromBits(m))) b = m;
    else a = m;
  }
  return fromBits(b);
}

/** `x` as the documents write it: two significant digits, 'e' without '+' (5.8e20, 5.0e-161). */
const figure = (x: number): string => x.toExponential(1).replace('e+', 'e');

function expectDocumented(text: string): void {
  for (const [file, doc] of DOCS) expect(doc.includes(text), `${file} should state ${text}`).toBe(true);
}

/** The float32 rounding boundary: values from here round to +∞ when stored (FLT_MAX + half an ulp). */
const F32_OVERFLOW = 2 ** 128 * (1 - 2 ** -25);

describe('overflow: the |g| from which a squared-gradient average becomes +∞ in one step', () => {
  // name, the decay of its squared-gradient average at the defaults (0: a plain sum)
  const averages = [
    ['adagrad', 0],
    ['adadelta', 0.9],
    ['rmsprop', 0.9],
    ['adam', 0.999],
    ['nadam', 0.999],
    ['amsgrad', 0.999],
  ] as const;
  const firstInfinite = (name: string, dtype: Dtype): number =>
    smallest((g) => run(name, dtype, [g]).buffers.includes(Infinity), 1, 1.7e308);

  it('float64: |g| > 1.3e154 for every optimizer (g² itself overflows, whatever the decay)', () => {
    // the closed form: the smallest double whose square is +∞
    const squareOverflows = smallest((x) => x * x === Infinity, 1, 1.7e308);
    for (const [name] of averages) expect(firstInfinite(name, 'float64'), name).toBe(squareOverflows);
    expect(figure(firstInfinite('adam', 'float64'))).toBe('1.3e154');
    expectDocumented('1.3e154');
  });

  it('float32: |g| > 1.8e19/√(1 − β): Adagrad 1.8e19, RMSprop and Adadelta 5.8e19, Adam, Nadam and AMSGrad 5.8e20 ((1 − β)·g² is computed in double, then stored)', () => {
    const stated: Record<string, string> = {
      adagrad: '1.8e19',
      adadelta: '5.8e19',
      rmsprop: '5.8e19',
      adam: '5.8e20',
      nadam: '5.8e20',
      amsgrad: '5.8e20',
    };
    for (const [name, decay] of averages) {
      const g = firstInfinite(name, 'float32');
      // the closed form, to the float32 rounding of the gradient itself (g is read from a Float32Array)
      expect(Math.abs(g / Math.sqrt(F32_OVERFLOW / (1 - decay)) - 1), name).toBeLessThan(2 ** -23);
      expect(figure(g), name).toBe(stated[name]);
      expectDocumented(stated[name]!);
    }
  });
});

describe('ε = 0: a gradient whose (1 − β2)·g² underflows in the stored second moment', () => {
  const thrown = (theta: number): boolean => !(Math.abs(theta - 1) <= 1);

  it('float64: below |g| = 5.0e-161 θ is thrown in the same step (1e-170: Adam θ = 1 → −2.0e150)', () => {
    for (const name of ['adam', 'nadam', 'amsgrad']) {
      // the largest |g| that throws θ is just below the smallest that does not
      const g = smallest((x) => !thrown(run(name, 'float64', [x], { eps: 0 }).theta), 1e-200, 1e-100);
      expect(figure(g), name).toBe('5.0e-161');
      // there v = (1 − β2)·g² falls below half the smallest subnormal: v = 0 exactly
      expect(run(name, 'float64', [fromBits(bitsOf(g) - 1n)], { eps: 0 }).buffers[1], name).toBe(0);
    }
    const adam = run('adam', 'float64', [1e-170], { eps: 0 }).theta;
    expect(figure(adam)).toBe('-2.0e150');
    expectDocumented('5.0e-161');
    expectDocumented('−2.0e150');
  });

  it('float32: θ moves normally in that step (it uses v before rounding) and becomes −∞ at the next one, below |g| = 8.4e-22', () => {
    for (const name of ['adam', 'nadam', 'amsgrad']) {
      expect(thrown(run(name, 'float32', [1e-22], { eps: 0 }).theta), name).toBe(false);
      expect(run(name, 'float32', [1e-22, 0], { eps: 0 }).theta, name).toBe(-Infinity);
      const g = smallest((x) => !thrown(run(name, 'float32', [x, 0], { eps: 0 }).theta), 1e-30, 1e-10);
      expect(figure(g), name).toBe('8.4e-22');
    }
    expectDocumented('8.4e-22');
  });
});
