/**
 * R: the distributions of optimlab's randomness (src/data): epoch shuffles uniform over the n!
 * orders and independent between epochs; normal draws N(0, 1), both values of each Box–Muller
 * pair, independent of each other and of the next pair. (H2 checks that shuffles are seeded,
 * repeatable permutations, different between epochs; H8 the annealed gradient noise.)
 *
 * These laws are statistical tests with a stated significance level α per test. Every draw comes
 * from a seed the case seed fixes, so at the pinned run seed (OPTIMLAB_SEED's default) each law is
 * a deterministic computation that passes: it cannot flake. Under OPTIMLAB_SEED=random a correct
 * generator fails a test with probability α, so a case fails with probability at most
 * runs × tests × α (the union bound), which each law states. The sample sizes make every class
 * of defect these tests are aimed at fail by a wide margin (the comments give the expected
 * statistic under each defect); test/randomness-defects.test.ts runs the laws against broken
 * copies of the generators and shows them fail.
 */
import fc from 'fast-check';
import { epochShuffle } from '../../src/data/datasets.js';
import { makeRng } from '../../src/data/random.js';
import { tick } from '../budget.js';
import { must, type StandaloneLaw } from '../framework.js';
import { chiSquareUpper, pairTests, pearson, rejected, standardNormalTests, type TestResult } from '../stats.js';

/** Significance level of each test. */
export const ALPHA = 1e-6;

const FACTORIAL = [1, 1, 2, 6, 24, 120, 720, 5040, 40320];

/** The rank 0 … n! − 1 of a permutation (its Lehmer code read as a factorial-base number). */
export function permutationRank(p: ArrayLike<number>): number {
  const n = p.length;
  let rank = 0;
  for (let i = 0; i < n; i++) {
    let smaller = 0;
    for (let j = i + 1; j < n; j++) if (p[j]! < p[i]!) smaller++;
    rank += smaller * FACTORIAL[n - 1 - i]!;
  }
  return rank;
}

/** Shuffles per cell: Pearson's statistic is then close to χ² far into its tail (expected counts ≥ 50). */
const PER_CELL = 60;

/**
 * The tests of R1 for one seed, against a shuffle function (the real one in the law; broken
 * copies in test/randomness-defects.test.ts).
 *
 * 1. Uniformity: for n = 3, 4, 5, the shuffles of epochs 0 … 60·n! − 1 counted by permutation,
 *    Pearson's statistic against 60 per order (χ²_{n!−1}). A shuffle that is not uniform puts
 *    whole orders at 0 or at 2× (Sattolo's algorithm: only the (n − 1)! cyclic orders; the naive
 *    swap with a uniform index of all n: the 4^4 = 256 paths fall 8 to 15 per order; a loop that
 *    skips the last swap: half the orders never): the statistic is then of the order of the
 *    number of shuffles (≥ 10³), against a critical value of 60 (n = 3), 88 (n = 4), 203 (n = 5).
 * 2. Independence between epochs: for n = 3, disjoint pairs of consecutive epochs (2e, 2e + 1)
 *    counted by pair of orders (36 cells, χ²_35). A shuffle whose epoch e + 1 is a fixed function
 *    of epoch e (still uniform, still different) fills 6 of the 36 cells.
 * 3. No repeats: the shuffles of n = 14 in epochs 0 … 399 are pairwise distinct. Uniform
 *    independent shuffles coincide with probability ≤ C(400, 2)/14! = 9.2e-7 (< α); a stream that
 *    repeats (an epoch counter taken modulo something, a seed that ignores the epoch) does not.
 */
export function shuffleTests(
  shuffle: (n: number, seed: number, epoch: number) => ArrayLike<number>,
  seed: number,
): TestResult[] {
  const out: TestResult[] = [];
  for (const n of [3, 4, 5]) {
    const cells = FACTORIAL[n]!;
    const counts = new Float64Array(cells);
    for (let e = 0; e < PER_CELL * cells; e++) {
      tick();
      counts[permutationRank(shuffle(n, seed, e))]!++;
    }
    out.push({
      name: `uniform over the ${cells} orders of n = ${n}`,
      p: chiSquareUpper(pearson(counts, PER_CELL), cells - 1),
      detail: `counts by order [${Array.from(counts)}], want ${PER_CELL} each`,
    });
  }
  {
    const pairs = new Float64Array(36);
    for (let e = 0; e < 2 * PER_CELL * 36; e += 2) {
      tick(2);
      pairs[permutationRank(shuffle(3, seed, e)) * 6 + permutationRank(shuffle(3, seed, e + 1))]!++;
    }
    out.push({
      name: 'consecutive epochs independent (n = 3)',
      p: chiSquareUpper(pearson(pairs, PER_CELL), 35),
      detail: `counts by (order of epoch 2e, order of 2e + 1) [${Array.from(pairs)}], want ${PER_CELL} each`,
    });
  }
  {
    const seen = new Map<string, number>();
    let repeat = '';
    for (let e = 0; e < 400 && !repeat; e++) {
      tick();
      const key = Array.from(shuffle(14, seed, e)).join(',');
      const first = seen.get(key);
      if (first !== undefined) repeat = `epochs ${first} and ${e} have the same order of 14 rows`;
      seen.set(key, e);
    }
    out.push({ name: 'no repeated order in 400 epochs (n = 14)', p: repeat ? 0 : 1, detail: repeat || 'all distinct' });
  }
  return out;
}

const R1: StandaloneLaw = {
  id: 'R1',
  title: `epoch shuffles are uniform over the n! orders (n = 3, 4, 5), independent between consecutive epochs and never repeat (chi-square tests at α = ${ALPHA} each)`,
  tolerance: 'statistical: chi-square tests at α = 1e-6 each',
  subject: 'shuffle',
  // 2 seeds × 5 tests × 1e-6: a random run seed fails a correct shuffle with probability ≤ 1e-5.
  runs: 2,
  property: () =>
    fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
      const bad = rejected(
        shuffleTests((n, s, e) => epochShuffle(n, s, e), seed),
        ALPHA,
      );
      must(bad.length === 0, () => `seed ${seed}:\n    ${bad.join('\n    ')}`);
      return true;
    }),
};

/** Pairs per normal test: 2^14, so a correlation of 0.04 is 5 standard errors. */
const PAIRS = 2 ** 14;

/**
 * The tests of R2 for one stream of draws `next()` (the real generator in the law; broken copies
 * in test/randomness-defects.test.ts): 2·PAIRS draws read as PAIRS Box–Muller pairs (x_k, y_k).
 *
 * - Each of the two positions alone is N(0, 1): mean (z-test), variance (Σz² ~ χ²_n, two-sided),
 *   shape (16 equiprobable bins, χ²_15). A second value of the wrong scale (the radius forgotten:
 *   variance 1/2), sign (|y|: mean 0.8) or law fails these by tens of standard errors.
 * - Within a pair and across pairs (y_k, x_{k+1}), independence: the correlation (z-test) and the
 *   joint counts in 6 × 6 equiprobable cells (χ²_35). y = x, or y = −x, puts every pair in 6 of 36
 *   cells; y from the same radius with its own angle (E[x²y²] = 2, not 1) overfills the 4 corner
 *   cells: the statistic is then in the thousands, against a critical value of 77.
 */
export function normalTests(next: () => number): TestResult[] {
  const x = new Float64Array(PAIRS);
  const y = new Float64Array(PAIRS);
  for (let k = 0; k < PAIRS; k++) {
    x[k] = next();
    y[k] = next();
  }
  tick(PAIRS);
  return [
    ...standardNormalTests('first of each pair', x),
    ...standardNormalTests('second of each pair', y),
    ...pairTests('within a pair (x_k, y_k)', x, y),
    ...pairTests('across pairs (y_k, x_{k+1})', y.subarray(0, PAIRS - 1), x.subarray(1)),
  ];
}

const R2: StandaloneLaw = {
  id: 'R2',
  title: `normal draws are N(0, 1) in both values of each pair, uncorrelated and independent within and across pairs (α = ${ALPHA} per test)`,
  tolerance: 'statistical: normality and independence tests at α = 1e-6 each',
  subject: 'random',
  // 4 seeds × 10 tests × 1e-6: a random run seed fails a correct generator with probability ≤ 4e-5.
  runs: 4,
  property: () =>
    fc.property(
      fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      fc.constantFrom('', 'R2', 'gradient-noise'),
      (seed, stream) => {
        const rng = makeRng(seed, stream);
        const bad = rejected(
          normalTests(() => rng.normal()),
          ALPHA,
        );
        must(bad.length === 0, () => `seed ${seed}, stream '${stream}':\n    ${bad.join('\n    ')}`);
        return true;
      },
    ),
};

export const randomnessLaws: StandaloneLaw[] = [R1, R2];
