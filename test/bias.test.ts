/**
 * oneMinusPow(β, t) = 1 − β^t without cancellation (src/optimizers/bias.ts).
 *
 * The exact value is computed independently in decimal.js: β is converted exactly from its bits
 * (helpers.ts `exact`, never through its shortest decimal string) and raised to the integer power
 * t at 200 significant digits (enough: β^t for t ≤ 10^4 has its first 100 digits right), so the
 * reference error is far below 2^-53.
 *
 * Bound: 1 − β^t = −expm1(t·ln β), ln β = Math.log(β) (for β near 1 computed from β − 1, exact
 * there by Sterbenz's lemma). log and expm1 are within 1 ulp (≤ 2u relative each), t·ln β adds one rounding (≤ u), and for
 * x < 0 the condition number of expm1, |x·e^x/(e^x − 1)|, is ≤ 1, so the argument's ≤ 3u carries
 * through at most unchanged: ≤ 3u + 2u = 5u relative. That bound is asserted; the naive
 * 1 − Math.pow(β, t) is shown to miss it by orders of magnitude for β near 1.
 */
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { oneMinusPow } from '../src/index.js';
import { D, exact, U64, type Dec } from './helpers.js';

const ONE = new D(1);
const exactOneMinusPow = (beta: number, t: number): Dec => ONE.minus(exact(beta).pow(t));
/** Relative error in units of u = 2^-53. */
const relErr = (x: number, ref: Dec): number => exact(x).minus(ref).abs().div(ref.abs()).div(U64).toNumber();

const BETAS = [0.5, 0.75, 0.9, 0.99, 0.999, 0.9999, 0.99999, 1 - 2 ** -20, 1 - 2 ** -30, 1 - 2 ** -52];
const TS = [1, 2, 3, 5, 10, 100, 1000, 10_000];

describe('oneMinusPow', () => {
  it('is within 5u (relative) of the exact 1 − β^t for β near 1 and small t', () => {
    let worst = 0;
    for (const beta of BETAS) {
      for (const t of TS) {
        const ref = exactOneMinusPow(beta, t);
        const err = relErr(oneMinusPow(beta, t), ref);
        worst = Math.max(worst, err);
        expect(err, `β = ${beta}, t = ${t}: ${err.toFixed(3)}u`).toBeLessThanOrEqual(5);
      }
    }
    expect(worst).toBeLessThanOrEqual(5);
  });

  it('below β = 0.5 too', () => {
    for (const beta of [0.1, 0.25, 0.3, 0.49]) {
      for (const t of [2, 3, 7, 20]) {
        expect(relErr(oneMinusPow(beta, t), exactOneMinusPow(beta, t)), `β = ${beta}, t = ${t}`).toBeLessThanOrEqual(5);
      }
    }
  });

  it('t = 1 gives exactly 1 − β; β = 0 gives 1; β = 0.5, t = 2 lies within the bound of 3/4', () => {
    for (const beta of [0.5, 0.9, 0.999, 1 - 2 ** -52]) expect(oneMinusPow(beta, 1)).toBe(1 - beta); // exact (Sterbenz)
    expect(oneMinusPow(0, 1)).toBe(1);
    expect(oneMinusPow(0, 7)).toBe(1);
    expect(relErr(oneMinusPow(0.5, 2), new D(0.75))).toBeLessThanOrEqual(5);
    // large t: β^t underflows toward 0 and the result is 1
    expect(oneMinusPow(0.9, 100_000)).toBe(1);
  });

  it('t = 1 gives exactly 1 − β for any β (10,000 seeded β, near 1 and anywhere in [0, 1))', () => {
    // −expm1(ln β) is not always 1 − β (it misses for about 2 % of these β): the t = 1 case is its own.
    const rng = seedrandom('bias: t = 1');
    for (let k = 0; k < 10_000; k++) {
      const beta = k % 2 ? rng() : 1 - 2 ** -(1 + 39 * rng()) * (0.5 + 0.5 * rng());
      if (oneMinusPow(beta, 1) !== 1 - beta) expect.fail(`β = ${beta}: ${oneMinusPow(beta, 1)} ≠ 1 − β = ${1 - beta}`);
    }
  });

  it('is within 5u of the exact 1 − β^t for seeded β in [0, 1) and t up to 5000', () => {
    const rng = seedrandom('bias: random β, t');
    for (let k = 0; k < 300; k++) {
      const beta = k % 3 ? 1 - 2 ** -(1 + 39 * rng()) * (0.5 + 0.5 * rng()) : rng();
      const t = 2 + Math.floor(rng() ** 3 * 4999);
      const err = relErr(oneMinusPow(beta, t), exactOneMinusPow(beta, t));
      expect(err, `β = ${beta}, t = ${t}: ${err.toFixed(3)}u`).toBeLessThanOrEqual(5);
    }
  });

  it('the naive 1 − Math.pow(β, t) loses hundreds of u where oneMinusPow does not (why it exists)', () => {
    // β = 0.999, t = 2: 1 − β^2 ≈ 2e-3, so half an ulp of β^2 (≈ 1.1e-16 absolute) is a relative
    // error of ~5.5e-14 ≈ 500u after the cancellation.
    let naiveWorst = 0;
    let oursWorst = 0;
    for (const beta of [0.999, 0.9999, 0.99999, 1 - 2 ** -30]) {
      for (const t of [2, 3, 5, 10]) {
        const ref = exactOneMinusPow(beta, t);
        naiveWorst = Math.max(naiveWorst, relErr(1 - Math.pow(beta, t), ref));
        oursWorst = Math.max(oursWorst, relErr(oneMinusPow(beta, t), ref));
      }
    }
    expect(oursWorst).toBeLessThanOrEqual(5);
    expect(naiveWorst).toBeGreaterThan(100);
  });
});
