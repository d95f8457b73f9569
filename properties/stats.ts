/**
 * Statistics for the laws about randomness (shuffles, normal draws, gradient noise): p-values of
 * the chi-square and normal distributions, equiprobable bins of N(0, 1), and the tests the laws
 * run. Laws compare each p-value with a significance level they state.
 *
 * Formulas: the regularized incomplete gamma functions P(a, x) and Q(a, x) = 1 − P(a, x) by their
 * power series for x < a + 1 and by Legendre's continued fraction (evaluated with the modified
 * Lentz method) otherwise (Press et al. 2007, Numerical Recipes §6.2); ln Γ by Lanczos's
 * approximation with Godfrey's g = 7, n = 9 coefficients (Lanczos 1964; relative error < 1e-15
 * for a > 0). Then P(χ²_k > x) = Q(k/2, x/2) and P(|Z| > z) = erfc(z/√2) = Q(1/2, z²/2)
 * (Abramowitz & Stegun 26.4.19, 7.1.2 and 6.5.17).
 */

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(a), a > 0. */
export function lnGamma(a: number): number {
  if (a < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * a)) - lnGamma(1 - a);
  const x = a - 1;
  let s = LANCZOS[0]!;
  for (let i = 1; i < 9; i++) s += LANCZOS[i]! / (x + i);
  const t = x + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(s);
}

/** The regularized upper incomplete gamma function Q(a, x) = Γ(a, x)/Γ(a), a > 0, x ≥ 0. */
export function gammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) throw new RangeError(`gammaQ: a = ${a}, x = ${x}; allowed: a > 0, x ≥ 0`);
  if (x === 0) return 1;
  const lead = a * Math.log(x) - x - lnGamma(a);
  if (x < a + 1) {
    // P(a, x) = e^{−x} x^a / Γ(a + 1) · Σ_n x^n / ((a + 1) ⋯ (a + n))
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
    }
    return 1 - sum * Math.exp(lead);
  }
  // Q(a, x) = e^{−x} x^a / Γ(a) · 1/(x + 1 − a − 1·(1 − a)/(x + 3 − a − 2·(2 − a)/(x + 5 − a − …)))
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let n = 1; n < 10_000; n++) {
    const an = -n * (n - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(lead) * h;
}

/** P(χ²_k ≥ x): the upper tail of the chi-square distribution with k degrees of freedom. */
export const chiSquareUpper = (x: number, k: number): number => gammaQ(k / 2, Math.max(0, x / 2));

/** Two-sided p-value of a χ²_k statistic: 2·min(P(χ² ≤ x), P(χ² ≥ x)), capped at 1. */
export function chiSquareTwoSided(x: number, k: number): number {
  const upper = chiSquareUpper(x, k);
  return Math.min(1, 2 * Math.min(upper, 1 - upper));
}

/** P(|Z| ≥ |z|) for Z ~ N(0, 1). */
export const normalTwoSided = (z: number): number => gammaQ(0.5, (z * z) / 2);

/** Φ(z) = P(Z ≤ z) for Z ~ N(0, 1). */
export function normalCdf(z: number): number {
  const half = 0.5 * gammaQ(0.5, (z * z) / 2);
  return z >= 0 ? 1 - half : half;
}

/** The k − 1 inner edges of k equiprobable bins of N(0, 1): Φ⁻¹(i/k), by bisection on Φ. */
export function normalBinEdges(k: number): number[] {
  const edges: number[] = [];
  for (let i = 1; i < k; i++) {
    let lo = -10;
    let hi = 10;
    for (let it = 0; it < 80; it++) {
      const mid = 0.5 * (lo + hi);
      if (normalCdf(mid) < i / k) lo = mid;
      else hi = mid;
    }
    edges.push(0.5 * (lo + hi));
  }
  return edges;
}

/** Index of the bin of x among the sorted inner edges (0 … edges.length). */
export function binOf(edges: readonly number[], x: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x < edges[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Pearson's statistic Σ (O − E)²/E of counts against one expected count per cell. */
export function pearson(counts: ArrayLike<number>, expected: number): number {
  let x = 0;
  for (let i = 0; i < counts.length; i++) {
    const d = counts[i]! - expected;
    x += (d * d) / expected;
  }
  return x;
}

/** The result of one test: what it measured, its p-value. */
export interface TestResult {
  name: string;
  p: number;
  detail: string;
}

/**
 * Tests of a sample that should be i.i.d. N(0, 1), each an exact or asymptotic p-value:
 * mean (Σz/√n ~ N(0, 1)), variance (Σz² ~ χ²_n, two-sided), shape (Pearson over `bins`
 * equiprobable bins, χ²_{bins−1}).
 */
export function standardNormalTests(name: string, z: ArrayLike<number>, bins = 16): TestResult[] {
  const n = z.length;
  let s = 0;
  let s2 = 0;
  const edges = edgesFor(bins);
  const counts = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const v = z[i]!;
    s += v;
    s2 += v * v;
    counts[binOf(edges, v)]!++;
  }
  const zMean = s / Math.sqrt(n);
  return [
    {
      name: `${name}: mean`,
      p: normalTwoSided(zMean),
      detail: `mean ${(s / n).toPrecision(4)} over ${n} draws (z = ${zMean.toFixed(2)})`,
    },
    {
      name: `${name}: variance`,
      p: chiSquareTwoSided(s2, n),
      detail: `mean square ${(s2 / n).toPrecision(4)} over ${n} draws, want 1`,
    },
    {
      name: `${name}: shape`,
      p: chiSquareUpper(pearson(counts, n / bins), bins - 1),
      detail: `counts in ${bins} equiprobable bins [${Array.from(counts)}], want ${(n / bins).toFixed(1)} each`,
    },
  ];
}

/**
 * Independence of paired standard normal draws (x_i, y_i): the correlation (Σxy/√n ~ N(0, 1))
 * and Pearson over `k × k` cells of equiprobable bins of each (χ²_{k²−1}), which also sees
 * dependence without correlation (a shared radius, one a function of the other).
 */
export function pairTests(name: string, x: ArrayLike<number>, y: ArrayLike<number>, k = 6): TestResult[] {
  const n = x.length;
  const edges = edgesFor(k);
  const counts = new Float64Array(k * k);
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxy += x[i]! * y[i]!;
    counts[binOf(edges, x[i]!) * k + binOf(edges, y[i]!)]!++;
  }
  const z = sxy / Math.sqrt(n);
  return [
    {
      name: `${name}: correlation`,
      p: normalTwoSided(z),
      detail: `correlation ${(sxy / n).toPrecision(4)} over ${n} pairs (z = ${z.toFixed(2)})`,
    },
    {
      name: `${name}: joint`,
      p: chiSquareUpper(pearson(counts, n / (k * k)), k * k - 1),
      detail: `counts in ${k}×${k} equiprobable cells [${Array.from(counts)}], want ${(n / (k * k)).toFixed(1)} each`,
    },
  ];
}

const EDGES = new Map<number, number[]>();
function edgesFor(k: number): number[] {
  let e = EDGES.get(k);
  if (!e) {
    e = normalBinEdges(k);
    EDGES.set(k, e);
  }
  return e;
}

/** The tests whose p-value is below alpha (each with its measurement), for a law's message. */
export function rejected(tests: readonly TestResult[], alpha: number): string[] {
  return tests
    .filter((t) => !(t.p >= alpha))
    .map((t) => `${t.name}: p = ${t.p.toExponential(2)} < ${alpha.toExponential(0)} (${t.detail})`);
}
