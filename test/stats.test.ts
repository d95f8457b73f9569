/**
 * The statistics the randomness laws rely on (properties/stats.ts), against published values:
 * chi-square critical values (Abramowitz & Stegun, table 26.8; NIST/SEMATECH e-Handbook 1.3.6.7.4),
 * normal quantiles (A&S table 26.1), Γ values, and identities of the incomplete gamma function.
 */
import { describe, expect, it } from 'vitest';
import {
  binOf,
  chiSquareTwoSided,
  chiSquareUpper,
  gammaQ,
  lnGamma,
  normalBinEdges,
  normalCdf,
  normalTwoSided,
  pearson,
} from '../properties/stats.js';

const close = (got: number, want: number, rel: number): void =>
  expect(Math.abs(got - want)).toBeLessThanOrEqual(rel * Math.abs(want));

describe('statistics for the randomness laws', () => {
  it('ln Γ at exact values: Γ(1/2) = √π, Γ(10) = 9!, Γ(1) = Γ(2) = 1', () => {
    close(lnGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-14);
    close(lnGamma(10), Math.log(362880), 1e-14);
    expect(Math.abs(lnGamma(1))).toBeLessThan(1e-15);
    expect(Math.abs(lnGamma(2))).toBeLessThan(1e-15);
    close(lnGamma(101), Math.log(9.332621544394415e157), 1e-14); // 100!
  });
  it('Q(1, x) = e^{−x}, Q(1/2, x²) = erfc(x), on both branches (x < a + 1 and x ≥ a + 1)', () => {
    for (const x of [0.01, 0.3, 1.5, 2.5, 10, 40]) close(gammaQ(1, x), Math.exp(-x), 1e-13);
    close(gammaQ(0.5, 1), 0.15729920705028513, 1e-14); // erfc(1)
    close(gammaQ(0.5, 4), 4.677734981047266e-3, 1e-13); // erfc(2)
    expect(gammaQ(3, 0)).toBe(1);
    expect(() => gammaQ(0, 1)).toThrow(/a = 0/);
  });
  it('chi-square upper tails at tabulated critical values', () => {
    close(chiSquareUpper(3.841458820694124, 1), 0.05, 1e-12);
    close(chiSquareUpper(6.634896601021214, 1), 0.01, 1e-12);
    close(chiSquareUpper(29.58829844507442, 10), 0.001, 1e-12);
    close(chiSquareUpper(124.342, 100), 0.05, 1e-4); // table value to 3 decimals
    close(chiSquareUpper(149.449, 100), 0.001, 1e-4);
    // the median of χ²_100 is 99.33: 100 is in the upper half, 90 in the lower
    close(chiSquareTwoSided(100, 100), 2 * chiSquareUpper(100, 100), 1e-14);
    close(chiSquareTwoSided(90, 100), 2 * (1 - chiSquareUpper(90, 100)), 1e-13);
  });
  it('normal tails and quantiles: Φ(1.959964) = 0.975, P(|Z| > 4.891638) = 1e-6, quartiles ±0.674490', () => {
    close(normalCdf(1.959963984540054), 0.975, 1e-14);
    close(normalCdf(-1.959963984540054), 0.025, 1e-13);
    close(normalTwoSided(4.891638475698), 1e-6, 1e-9);
    const q = normalBinEdges(4);
    close(q[0]!, -0.6744897501960817, 1e-13);
    expect(Math.abs(q[1]!)).toBeLessThan(1e-15);
    close(q[2]!, 0.6744897501960817, 1e-13);
    expect([binOf(q, -1), binOf(q, -0.5), binOf(q, 0.1), binOf(q, 3)]).toEqual([0, 1, 2, 3]);
    expect(pearson([10, 20, 30], 20)).toBe(10);
  });
});
