/**
 * src/objectives from their definitions (the values and gradients against the 50-digit reference
 * and numeric differences are laws A1, A2): what each objective says about itself (name, title,
 * source, dimension, domain, convexity, minimiser and minimum, L and μ, frozen), the quadratic's
 * spectrum, each finite sum as the mean or sum of its examples' losses and gradients written from
 * their textbook formulas, and every bad input named with its value and what is allowed.
 */
import { describe, expect, it } from 'vitest';
import {
  beale,
  booth,
  diagonalQuadratic,
  himmelblau,
  isFiniteSum,
  leastSquares,
  logisticRegression,
  objectiveCatalogue,
  quadratic,
  rosenbrock,
  saddle,
  sigmoid,
  sigmoidSquaredError,
  softmaxCrossEntropy,
  styblinskiTang,
  type FiniteSumObjective,
  type Objective,
} from '../src/objectives/index.js';
import * as objectives from '../src/objectives/index.js';
import { makeRng } from '../src/data/random.js';
import { permutation } from '../src/data/datasets.js';

const U = 2 ** -53;
const SEEDS = [0, 1, 2, 3, 7, -3];

/** Seeded points of the box [lo, hi]^dim. */
function points(o: Objective, count: number, seed: number): Float64Array[] {
  const rng = makeRng(seed, 'objectives-test');
  return Array.from({ length: count }, () =>
    Float64Array.from({ length: o.dim }, () => o.domain.lo + (o.domain.hi - o.domain.lo) * rng.uniform()),
  );
}

describe('every catalogue objective describes itself', () => {
  it('the catalogue has one entry for each objective the module exports, under its name', () => {
    // The module's functions are the objectives' constructors, apart from two helpers.
    const constructors = Object.entries(objectives)
      .filter(([k, v]) => typeof v === 'function' && k !== 'sigmoid' && k !== 'isFiniteSum')
      .map(([k]) => k);
    expect(constructors.length).toBe(12);
    expect(objectiveCatalogue.map((e) => e.name).sort()).toEqual(constructors.sort());
  });
  for (const e of objectiveCatalogue) {
    it(`${e.name}: name, non-empty title and source, dim, a finite box lo < hi, frozen, one instance per seed`, () => {
      const dims = new Set<number>();
      for (const s of SEEDS) {
        const o = e.make(s);
        expect(o.name).toBe(e.name);
        expect(o.title.trim().length).toBeGreaterThan(0);
        expect(o.source.trim().length).toBeGreaterThan(3);
        expect(Number.isSafeInteger(o.dim) && o.dim >= 1).toBe(true);
        dims.add(o.dim);
        expect(Number.isFinite(o.domain.lo) && Number.isFinite(o.domain.hi) && o.domain.lo < o.domain.hi).toBe(true);
        expect(o.domain.lo).toBe(-o.domain.hi);
        expect(typeof o.convex).toBe('boolean');
        expect(Object.isFrozen(o)).toBe(true);
        const again = e.make(s);
        const x = points(o, 1, s)[0]!;
        expect(again.value(x)).toBe(o.value(x));
        if (o.minimizer) {
          for (const v of o.minimizer) expect(Math.abs(v)).toBeLessThanOrEqual(o.domain.hi);
        }
      }
      // "Dimension 2 … 5 from the seed" for the n-dimensional functions.
      if (['quadratic', 'diagonalQuadratic', 'rosenbrock', 'styblinskiTang'].includes(e.name))
        expect([...dims].sort()).toEqual([2, 3, 4, 5]);
    });
  }
  it('the n-dimensional ones say n in their title and data', () => {
    expect(rosenbrock(4).title).toContain('n = 4');
    expect(rosenbrock(4).data.n).toBe(4);
    expect(styblinskiTang(3).title).toContain('n = 3');
    expect(styblinskiTang(3).data.n).toBe(3);
    expect(diagonalQuadratic(3, 100).title).toContain('κ = 100');
    expect(quadratic({ n: 3, mu: 2, L: 8 }).title).toContain('μ = 2, L = 8');
    expect(
      softmaxCrossEntropy({ X: Float64Array.of(1, 2), y: Float64Array.of(0, 2), features: 1, classes: 3 }).title,
    ).toContain('3 classes');
  });
});

describe('convexity, minimisers, L and μ from their definitions', () => {
  it('convex is true exactly when f((a + b)/2) ≤ (f(a) + f(b))/2 holds at 3000 seeded pairs of the box (to rounding)', () => {
    for (const e of objectiveCatalogue) {
      const o = e.make(2);
      const pts = points(o, 6000, 11);
      let violated = false;
      for (let k = 0; k < pts.length && !violated; k += 2) {
        const a = pts[k]!;
        const b = pts[k + 1]!;
        const m = a.map((v, i) => (v + b[i]!) / 2);
        const fa = o.value(a);
        const fb = o.value(b);
        // 1e-12 relative: rounding of three evaluations (each ≲ 100u relative here) and the midpoint.
        if (o.value(m) > (fa + fb) / 2 + 1e-12 * (Math.abs(fa) + Math.abs(fb))) violated = true;
      }
      expect(violated, e.name).toBe(!o.convex);
    }
  });
  it('the stated minimum is f at the minimiser, and no point of the box is lower', () => {
    for (const e of objectiveCatalogue) {
      const o = e.make(3);
      if (o.minimizer === undefined) continue;
      const fmin = o.value(o.minimizer);
      if (o.minimum !== undefined) {
        expect(Math.abs(fmin - o.minimum)).toBeLessThanOrEqual(64 * U * Math.max(1, Math.abs(o.minimum)));
        for (const x of points(o, 500, 5))
          expect(o.value(x)).toBeGreaterThanOrEqual(o.minimum - 64 * U * Math.max(1, Math.abs(o.minimum)));
      }
    }
    expect([saddle().minimizer, saddle().minimum]).toEqual([undefined, undefined]);
    // The published minimisers and minima (the sources in the file's header): each is stated.
    for (const n of [2, 3, 5]) {
      expect(Array.from(rosenbrock(n).minimizer!)).toEqual(new Array(n).fill(1));
      expect(rosenbrock(n).minimum).toBe(0);
    }
    expect([Array.from(beale().minimizer!), beale().minimum]).toEqual([[3, 0.5], 0]);
    expect([Array.from(booth().minimizer!), booth().minimum]).toEqual([[1, 3], 0]);
    expect([Array.from(himmelblau().minimizer!), himmelblau().minimum]).toEqual([[3, 2], 0]);
    expect([Array.from(diagonalQuadratic(3).minimizer!), diagonalQuadratic(3).minimum]).toEqual([[0, 0, 0], 0]);
    for (const e of objectiveCatalogue) {
      const o = e.make(2);
      if (o.name !== 'saddle' && !isFiniteSum(o)) expect(o.minimizer?.length, o.name).toBe(o.dim);
    }
    // Styblinski–Tang's minimiser is the root of 2t³ − 16t + 2.5 near −2.9035 (to the last bit a Newton step can tell).
    const t = styblinskiTang(1).minimizer![0]!;
    expect(Math.abs(2 * t ** 3 - 16 * t + 2.5)).toBeLessThanOrEqual(64 * U * 16 * 3);
    expect(t).toBeCloseTo(-2.903534, 6);
    expect(styblinskiTang(2).minimum! / 2).toBeCloseTo(-39.16617, 4);
    // Himmelblau's four minima (Himmelblau 1972), all of value 0.
    for (const m of [
      [3, 2],
      [-2.805118, 3.131312],
      [-3.77931, -3.283186],
      [3.584428, -1.848126],
    ])
      expect(himmelblau().value(Float64Array.from(m))).toBeLessThan(1e-9);
  });
  /** Rayleigh quotients of the (constant) Hessian of a quadratic: gᵀ… from gradient differences, exact up to rounding. */
  function hessianQuotients(o: Objective, vs: Float64Array[]): number[] {
    const x = new Float64Array(o.dim);
    const g0 = new Float64Array(o.dim);
    const g1 = new Float64Array(o.dim);
    o.grad(x, g0);
    return vs.map((v) => {
      o.grad(v, g1);
      let vhv = 0;
      let vv = 0;
      for (let i = 0; i < o.dim; i++) {
        vhv += v[i]! * (g1[i]! - g0[i]!);
        vv += v[i]! * v[i]!;
      }
      return vhv / vv;
    });
  }
  it('L and μ of the quadratics are the extreme eigenvalues of their Hessians', () => {
    // Booth: Hessian [[10, 8], [8, 10]], eigenvectors (1, 1) → 18 and (1, −1) → 2.
    const [q1, q2] = hessianQuotients(booth(), [Float64Array.of(1, 1), Float64Array.of(1, -1)]);
    expect([q1, q2, booth().L, booth().mu]).toEqual([18, 2, 18, 2]);
    // The saddle: Hessian diag(2, −2), so L = 2 and no μ.
    expect(hessianQuotients(saddle(), [Float64Array.of(1, 0), Float64Array.of(0, 1)])).toEqual([2, -2]);
    expect([saddle().L, saddle().mu, saddle().convex]).toEqual([2, undefined, false]);
    // diagonalQuadratic: d_i = κ^{i/(n−1)}, 1 … κ geometric; L = κ, μ = 1; n = 1 is d = [1].
    for (const [n, kappa] of [
      [4, 1000],
      [2, 1e4],
      [5, 16],
    ] as const) {
      const o = diagonalQuadratic(n, kappa);
      const e = Array.from({ length: n }, (_, i) => Float64Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
      const d = hessianQuotients(o, e);
      expect(d[0]).toBe(1);
      expect(d[n - 1]).toBe(kappa);
      for (let i = 1; i < n; i++) expect(Math.abs(d[i]! / kappa ** (i / (n - 1)) - 1)).toBeLessThanOrEqual(4 * U);
      expect(Array.from(o.data.d as Float64Array)).toEqual(d);
      expect([o.L, o.mu, o.convex, o.minimum]).toEqual([kappa, 1, true, 0]);
    }
    const one = diagonalQuadratic(1, 50);
    expect([hessianQuotients(one, [Float64Array.of(1)])[0], one.L, one.mu]).toEqual([1, 1, 1]);
    expect(diagonalQuadratic().dim).toBe(2);
    expect(diagonalQuadratic(2).L).toBe(1e4);
  });
  it('quadratic: A symmetric with the eigenvalues λ (power sums tr(A^k) = Σλ^k, k = 1 … n), A x* = b, minimum −½ bᵀx*, f = ½xᵀAx − bᵀx', () => {
    const cases = [
      quadratic(),
      quadratic({ n: 3, mu: 0.5, L: 8, seed: 'q' }),
      quadratic({ eigenvalues: [3, 1, 20], b: [1, -2, 0.5], seed: 4 }),
      quadratic({ n: 1, mu: 2, L: 5 }),
      quadratic({ n: 4, eigenvalues: [1, 1, 1, 1] }),
    ];
    for (const o of cases) {
      const n = o.dim;
      const A = o.data.A as Float64Array;
      const b = o.data.b as Float64Array;
      const lam = Array.from(o.data.eigenvalues as Float64Array);
      expect(o.L).toBe(Math.max(...lam));
      expect(o.mu).toBe(Math.min(...lam));
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(A[i * n + j]).toBe(A[j * n + i]);
      let P = Float64Array.from({ length: n * n }, (_, k) => (k % (n + 1) === 0 ? 1 : 0));
      for (let k = 1; k <= n; k++) {
        const Q = new Float64Array(n * n);
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++)
            for (let m = 0; m < n; m++) Q[i * n + j] = Q[i * n + j]! + P[i * n + m]! * A[m * n + j]!;
        P = Q;
        let tr = 0;
        for (let i = 0; i < n; i++) tr += P[i * n + i]!;
        const want = lam.reduce((a, l) => a + l ** k, 0);
        // Each entry of A is within ~4n·u·L of the exact product; a k-th power sum moves by ≲ k·n·that·L^(k−1).
        expect(Math.abs(tr - want), `tr(A^${k})`).toBeLessThanOrEqual(64 * k * n * n * U * Math.max(...lam) ** k);
      }
      const xs = o.minimizer!;
      for (let i = 0; i < n; i++) {
        let r = -b[i]!;
        for (let j = 0; j < n; j++) r += A[i * n + j]! * xs[j]!;
        expect(Math.abs(r)).toBeLessThanOrEqual(64 * n * U * o.L! * Math.max(1, ...Array.from(xs, Math.abs)));
      }
      expect(o.minimum).toBe(-0.5 * b.reduce((a, v, i) => a + v * xs[i]!, 0));
      const rng = makeRng(9, 'quad');
      const x = Float64Array.from({ length: n }, () => rng.normal());
      const g = new Float64Array(n);
      const f = o.grad(x, g);
      let want = 0;
      for (let i = 0; i < n; i++) {
        let ax = 0;
        for (let j = 0; j < n; j++) ax += A[i * n + j]! * x[j]!;
        want += x[i]! * (0.5 * ax - b[i]!);
        expect(Math.abs(g[i]! - (ax - b[i]!))).toBeLessThanOrEqual(16 * n * U * (o.L! * 4 + 4));
      }
      expect(Math.abs(f - want)).toBeLessThanOrEqual(16 * n * U * (o.L! * 16 + 16));
      expect(o.value(x)).toBe(f);
    }
    // Eigenvalues geometric from μ to L by default (1 and 10, n = 2); the given b is used; the seed draws A and b.
    expect(Array.from(quadratic().data.eigenvalues as Float64Array)).toEqual([1, 10]);
    const geo = Array.from(quadratic({ n: 4, mu: 1, L: 27 }).data.eigenvalues as Float64Array);
    expect(geo[0]).toBe(1);
    expect(geo[3]).toBe(27);
    expect(Math.abs(geo[1]! - 3)).toBeLessThanOrEqual(4 * U * 3);
    expect(Math.abs(geo[2]! - 9)).toBeLessThanOrEqual(4 * U * 9);
    expect(Array.from(quadratic({ n: 1, mu: 2, L: 5 }).data.eigenvalues as Float64Array)).toEqual([2]);
    // The ends are μ and L exactly, as asked (μ·(L/μ) is 50.00000000000001 for μ = 0.3, L = 50).
    const ends = quadratic({ n: 3, mu: 0.3, L: 50 });
    const lam3 = Array.from(ends.data.eigenvalues as Float64Array);
    expect([lam3[0], lam3[2], ends.mu, ends.L]).toEqual([0.3, 50, 0.3, 50]);
    expect(Array.from(cases[2]!.data.b as Float64Array)).toEqual([1, -2, 0.5]);
    expect(quadratic({ seed: 1 }).data.A).toEqual(quadratic().data.A);
    expect(quadratic({ seed: 2 }).data.A).not.toEqual(quadratic({ seed: 1 }).data.A);
    expect(quadratic({ seed: 2 }).data.b).not.toEqual(quadratic({ seed: 1 }).data.b);
    expect(quadratic({ eigenvalues: [1, 2, 3] }).dim).toBe(3);
  });
});

/** One example's loss and dℓ/dz (or dℓ/ds for softmax) from the textbook formulas. */
const LOSS: Record<string, (z: number, y: number) => [number, number]> = {
  leastSquares: (z, y) => [0.5 * (z - y) ** 2, z - y],
  logisticRegression: (z, y) => [Math.log(1 + Math.exp(z)) - y * z, 1 / (1 + Math.exp(-z)) - y],
  sigmoidSquaredError: (z, y) => {
    const s = 1 / (1 + Math.exp(-z));
    return [(s - y) ** 2, 2 * (s - y) * s * (1 - s)];
  },
};

/** Loss and gradient of example r of a finite sum, straight from the definitions. */
function example(o: FiniteSumObjective, w: Float64Array, r: number): [number, Float64Array] {
  const X = o.data.X as Float64Array;
  const y = o.data.y as Float64Array;
  const d = o.data.features as number;
  const row = X.subarray(r * d, (r + 1) * d);
  if (o.name === 'softmaxCrossEntropy') {
    const C = o.data.classes as number;
    const s = Array.from({ length: C }, (_, c) => row.reduce((a, v, j) => a + v * w[j * C + c]!, 0));
    const se = s.reduce((a, v) => a + Math.exp(v), 0);
    const g = new Float64Array(d * C);
    for (let j = 0; j < d; j++)
      for (let c = 0; c < C; c++) g[j * C + c] = row[j]! * (Math.exp(s[c]!) / se - (c === y[r] ? 1 : 0));
    return [Math.log(se) - s[y[r]!]!, g];
  }
  const z = row.reduce((a, v, j) => a + v * w[j]!, 0);
  const [l, dz] = LOSS[o.name]!(z, y[r]!);
  return [l, row.map((v) => dz * v)];
}

/**
 * The catalogue's finite sums, by name: the objectives are made inside the tests, not while the file
 * loads (code run at load is a "static" mutant for Stryker, which then runs every test of its row).
 */
const FINITE_SUMS = ['leastSquares', 'logisticRegression', 'softmaxCrossEntropy', 'sigmoidSquaredError'];

describe('finite sums: the mean or sum of their examples', () => {
  const close = (a: number, b: number, scale: number): boolean => Math.abs(a - b) <= 1e-12 * Math.max(1, scale);
  it('the finite sums of the catalogue are these', () => {
    expect(objectiveCatalogue.filter((e) => isFiniteSum(e.make(1))).map((e) => e.name)).toEqual(FINITE_SUMS);
  });
  for (const e of objectiveCatalogue) {
    if (!FINITE_SUMS.includes(e.name)) continue;
    for (const reduction of ['mean', 'sum'] as const) {
      it(`${e.name} (${reduction}): value, grad and every batch are the ${reduction} of the examples' ℓ and ∇ℓ`, () => {
        for (const seed of [1, 2, 5]) {
          const o = e.make(seed, reduction) as FiniteSumObjective;
          expect(isFiniteSum(o)).toBe(true);
          expect(o.reduction).toBe(reduction);
          expect(o.data.reduction).toBe(reduction);
          expect(o.examples).toBe((o.data.y as Float64Array).length);
          expect(o.data.examples).toBe(o.examples);
          for (const w of points(o, 3, seed)) {
            const per = Array.from({ length: o.examples }, (_, r) => example(o, w, r));
            const idx = permutation(o.examples, seed, 'idx');
            for (const [from, to] of [
              [0, o.examples],
              [0, 1],
              [2, 5],
              [o.examples - 1, o.examples],
            ] as const) {
              const rows = Array.from(idx.subarray(from, to));
              const c = reduction === 'mean' ? rows.length : 1;
              const lossWant = rows.reduce((a, r) => a + per[r]![0], 0) / c;
              const scale = rows.reduce((a, r) => a + Math.abs(per[r]![0]), 0);
              const g = new Float64Array(o.dim).fill(9);
              const loss = o.batch(w, idx, from, to, g);
              expect(close(loss, lossWant, scale), `${from}..${to}: ${loss} vs ${lossWant}`).toBe(true);
              expect(o.batch(w, idx, from, to)).toBe(loss);
              for (let j = 0; j < o.dim; j++) {
                const gw = rows.reduce((a, r) => a + per[r]![1][j]!, 0) / c;
                const gs = rows.reduce((a, r) => a + Math.abs(per[r]![1][j]!), 0);
                expect(close(g[j]!, gw, gs), `g[${j}] ${from}..${to}: ${g[j]} vs ${gw}`).toBe(true);
              }
            }
            const all = Uint32Array.from({ length: o.examples }, (_, i) => i);
            const g1 = new Float64Array(o.dim);
            const g2 = new Float64Array(o.dim);
            expect(o.grad(w, g1)).toBe(o.batch(w, all, 0, o.examples, g2));
            expect(g1).toEqual(g2);
            expect(o.value(w)).toBe(o.batch(w, all, 0, o.examples));
          }
        }
      });
    }
  }
  it('σ and the logistic loss stay finite and exact at the extremes (no overflow on either side)', () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(800)).toBe(1);
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(-40)).toBeCloseTo(Math.exp(-40), 30);
    for (const z of [-30, -2, -0.5, 0.5, 2, 30])
      expect(Math.abs(sigmoid(z) + sigmoid(-z) - 1)).toBeLessThanOrEqual(2 * U);
    const X = Float64Array.of(1, 1);
    const y = Float64Array.of(1, 0);
    const o = logisticRegression({ X, y, features: 1 });
    // ℓ(z = 1000, y = 1) = log(1 + e^1000) − 1000 = log1p(e^−1000) ≈ 0; ℓ(1000, 0) = 1000. Mean: 500.
    const g = new Float64Array(1);
    expect(o.grad(Float64Array.of(1000), g)).toBe(500);
    expect(g[0]).toBe(0.5);
    expect(o.value(Float64Array.of(-1000))).toBe(500);
    const sse = sigmoidSquaredError({ X, y, features: 1 });
    expect(sse.value(Float64Array.of(-1000))).toBe(0.5);
    // Softmax with huge scores: logsumexp shifts by the max.
    const sm = softmaxCrossEntropy({ X: Float64Array.of(1), y: Float64Array.of(1), features: 1, classes: 2 });
    expect(sm.value(Float64Array.of(1000, 0))).toBe(1000);
    expect(sm.value(Float64Array.of(0, 1000))).toBe(0);
  });
});

describe('bad input is named with its value and what is allowed', () => {
  const X = Float64Array.of(1, 2, 3, 4);
  const y = Float64Array.of(0, 1);
  const cases: [string, () => unknown, RegExp][] = [
    ['options', () => leastSquares(null as never), /^leastSquares: options must be an object \{ X, y, features \}$/],
    ['features', () => leastSquares({ X, y, features: 0 }), /^leastSquares: features = 0; allowed: an integer ≥ 1$/],
    [
      'X type',
      () => logisticRegression({ X: [1, 2] as never, y, features: 1 }),
      /^logisticRegression: X must be a Float64Array \(N × features, row-major\)$/,
    ],
    [
      'y type',
      () => logisticRegression({ X, y: [0, 1] as never, features: 2 }),
      /^logisticRegression: y must be a Float64Array \(one label per row\)$/,
    ],
    [
      'X empty',
      () => leastSquares({ X: new Float64Array(0), y: new Float64Array(0), features: 2 }),
      /^leastSquares: X.length = 0; allowed: a positive multiple of features = 2$/,
    ],
    [
      'X ragged',
      () => leastSquares({ X, y, features: 3 }),
      /^leastSquares: X.length = 4; allowed: a positive multiple of features = 3$/,
    ],
    [
      'y length',
      () => leastSquares({ X, y: Float64Array.of(1, 2, 3), features: 2 }),
      /^leastSquares: y.length = 3; allowed: N = X.length \/ features = 2$/,
    ],
    [
      'X finite',
      () => leastSquares({ X: Float64Array.of(1, NaN, 3, 4), y, features: 2 }),
      /^leastSquares: X\[1\] = NaN; allowed: finite values$/,
    ],
    [
      'y finite',
      () => leastSquares({ X, y: Float64Array.of(0, Infinity), features: 2 }),
      /^leastSquares: y\[1\] = Infinity; allowed: finite values$/,
    ],
    [
      'reduction',
      () => leastSquares({ X, y, features: 2, reduction: 'max' as never }),
      /^leastSquares: reduction = max; allowed: 'mean' or 'sum'$/,
    ],
    [
      'label > 1',
      () => logisticRegression({ X, y: Float64Array.of(0, 1.5), features: 2 }),
      /^logisticRegression: y\[1\] = 1.5; allowed: 0 ≤ y ≤ 1 \(a class label 0\/1 or a probability\)$/,
    ],
    [
      'label < 0',
      () => sigmoidSquaredError({ X, y: Float64Array.of(-0.5, 1), features: 2 }),
      /^sigmoidSquaredError: y\[0\] = -0.5; allowed: 0 ≤ y ≤ 1/,
    ],
    [
      'classes',
      () => softmaxCrossEntropy({ X, y, features: 2, classes: 1 }),
      /^softmaxCrossEntropy: classes = 1; allowed: an integer ≥ 2$/,
    ],
    [
      'class index',
      () => softmaxCrossEntropy({ X, y: Float64Array.of(0, 2), features: 2, classes: 2 }),
      /^softmaxCrossEntropy: y\[1\] = 2; allowed: a class index 0 … 1$/,
    ],
    [
      'class negative',
      () => softmaxCrossEntropy({ X, y: Float64Array.of(-1, 0), features: 2, classes: 2 }),
      /^softmaxCrossEntropy: y\[0\] = -1; allowed: a class index 0 … 1$/,
    ],
    [
      'class fraction',
      () => softmaxCrossEntropy({ X, y: Float64Array.of(0.5, 0), features: 2, classes: 2 }),
      /^softmaxCrossEntropy: y\[0\] = 0.5; allowed: a class index 0 … 1$/,
    ],
    [
      'softmax data',
      () => softmaxCrossEntropy({ X, y, features: 0, classes: 2 }),
      /^softmaxCrossEntropy: features = 0/,
    ],
    ['quadratic n', () => quadratic({ n: 0 }), /^quadratic: n = 0; allowed: an integer ≥ 1 and ≤ 4096$/],
    ['quadratic n max', () => quadratic({ n: 4097 }), /^quadratic: n = 4097; allowed: an integer ≥ 1 and ≤ 4096$/],
    [
      'eigenvalues length',
      () => quadratic({ n: 3, eigenvalues: [1, 2] }),
      /^quadratic: eigenvalues.length = 2; allowed: n = 3$/,
    ],
    [
      'eigenvalue 0',
      () => quadratic({ eigenvalues: [1, 0] }),
      /^quadratic: eigenvalues\[1\] = 0; allowed: 0 < eigenvalues\[1\] < Infinity, finite$/,
    ],
    ['mu', () => quadratic({ mu: 0 }), /^quadratic: mu = 0; allowed: 0 < mu < Infinity, finite$/],
    ['L < mu', () => quadratic({ mu: 2, L: 1 }), /^quadratic: L = 1; allowed: 2 ≤ L ≤ Infinity, finite$/],
    ['b length', () => quadratic({ n: 2, b: [1] }), /^quadratic: b.length = 1; allowed: n = 2$/],
    ['b finite', () => quadratic({ n: 2, b: [1, NaN] }), /^quadratic: b\[1\] = NaN; allowed: finite values$/],
    ['rosenbrock n', () => rosenbrock(1), /^rosenbrock: n = 1; allowed: an integer ≥ 2$/],
    ['styblinskiTang n', () => styblinskiTang(0), /^styblinskiTang: n = 0; allowed: an integer ≥ 1$/],
    ['diagonalQuadratic n', () => diagonalQuadratic(0), /^diagonalQuadratic: n = 0; allowed: an integer ≥ 1$/],
    [
      'kappa',
      () => diagonalQuadratic(2, 0.5),
      /^diagonalQuadratic: kappa = 0.5; allowed: 1 ≤ kappa ≤ 1000000000000000, finite$/,
    ],
  ];
  for (const [what, f, msg] of cases) it(what, () => expect(f).toThrow(msg));
  it('the ends of the ranges are allowed', () => {
    expect(diagonalQuadratic(2, 1).L).toBe(1);
    expect(diagonalQuadratic(2, 1e15).L).toBe(1e15);
    expect(quadratic({ mu: 3, L: 3 }).L).toBe(3);
    expect(logisticRegression({ X, y: Float64Array.of(0, 1), features: 2 }).examples).toBe(2);
    expect(softmaxCrossEntropy({ X, y: Float64Array.of(0, 1), features: 2, classes: 2 }).dim).toBe(4);
    expect(rosenbrock().dim).toBe(2);
    expect(styblinskiTang().dim).toBe(2);
    expect(styblinskiTang(1).dim).toBe(1);
  });
  it('value, grad and batch name the objective and the method; a batch past the examples is named', () => {
    const objs: Objective[] = [
      beale(),
      booth(),
      himmelblau(),
      saddle(),
      rosenbrock(3),
      quadratic(),
      leastSquares({ X, y, features: 2 }),
      softmaxCrossEntropy({ X, y, features: 2, classes: 2 }),
    ];
    for (const o of objs) {
      expect(() => o.value(new Float64Array(o.dim + 1))).toThrow(
        new RangeError(`${o.name}.value: x.length = ${o.dim + 1}; allowed: ${o.dim}`),
      );
      expect(() => o.grad(new Float64Array(o.dim), new Float64Array(o.dim + 1))).toThrow(
        new RangeError(`${o.name}.grad: g.length = ${o.dim + 1}; allowed: ${o.dim}`),
      );
      const x = new Float64Array(o.dim);
      expect(() => o.grad(x, x)).toThrow(`${o.name}.grad: g shares memory with x`);
      if (isFiniteSum(o)) {
        expect(() => o.batch(x, Uint32Array.of(0, 2), 0, 2)).toThrow(
          new RangeError(`${o.name}.batch: idx[1] = 2; allowed: 0 ≤ index < 2`),
        );
        expect(() => o.batch(x, Uint32Array.of(0, 1), 1, 1)).toThrow(
          new RangeError(`${o.name}.batch: to = 1; allowed: an integer ≥ 2 and ≤ 2`),
        );
        expect(() => o.batch(x, Uint32Array.of(0, 1), -1, 1)).toThrow(
          new RangeError(`${o.name}.batch: from = -1; allowed: an integer ≥ 0 and ≤ 2`),
        );
        expect(() => o.batch(x, [0, 1] as never, 0, 1)).toThrow(
          new TypeError(`${o.name}.batch: idx is an Array; allowed: a Uint32Array of example indices`),
        );
        expect(() => o.batch(x, Uint32Array.of(0, 1), 0, 1, new Float64Array(o.dim + 1))).toThrow(
          `${o.name}.batch: g.length`,
        );
        expect(() => o.batch(new Float64Array(1), Uint32Array.of(0, 1), 0, 1)).toThrow(`${o.name}.batch: x.length = 1`);
      }
    }
    expect(() => booth().value(null as never)).toThrow(
      new TypeError('booth.value: x is null; allowed: a Float64Array of length 2'),
    );
    expect(() => booth().value(3 as never)).toThrow(
      new TypeError('booth.value: x is 3 (a number); allowed: a Float64Array of length 2'),
    );
    expect(() => booth().value(new Float32Array(2) as never)).toThrow(
      new TypeError('booth.value: x is a Float32Array of length 2; allowed: a Float64Array of length 2'),
    );
    expect(() => booth().value(Object.create(null) as never)).toThrow(
      new TypeError('booth.value: x is an object; allowed: a Float64Array of length 2'),
    );
    // A value that is not a number is shown so that its type is plain: a string quoted, an object as JSON.
    expect(() => diagonalQuadratic(2, '9' as never)).toThrow(
      new TypeError("diagonalQuadratic: kappa = '9'; allowed: a finite number"),
    );
    expect(() => quadratic({ mu: {} as never })).toThrow(new TypeError('quadratic: mu = {}; allowed: a finite number'));
    expect(() => quadratic({ n: '2' as never })).toThrow(
      new RangeError("quadratic: n = '2'; allowed: an integer ≥ 1 and ≤ 4096"),
    );
  });
  it('x and g may be parts of one buffer as long as they do not overlap', () => {
    const buf = new Float64Array(5);
    const o = booth();
    for (const [x, g] of [
      [buf.subarray(0, 2), buf.subarray(2, 4)],
      [buf.subarray(3, 5), buf.subarray(1, 3)],
    ] as const)
      expect(o.grad(x, g)).toBe(o.value(x));
    for (const [x, g] of [
      [buf.subarray(0, 2), buf.subarray(1, 3)],
      [buf.subarray(2, 4), buf.subarray(1, 3)],
    ] as const)
      expect(() => o.grad(x, g)).toThrow(
        new TypeError('booth.grad: g shares memory with x; pass a separate gradient array'),
      );
  });
});

describe('from the definitions, more', () => {
  it('σ keeps its tail where e^−z overflows: σ(−720) = e^−720 (1/(1 + e^720) would be 1/∞ = 0)', () => {
    expect(sigmoid(-720)).toBeGreaterThan(0);
    expect(sigmoid(-720)).toBe(Math.exp(-720));
  });
  it("the quadratic's default eigenvalues are geometric from μ to L: λ_i = μ·(L/μ)^(i/(n − 1))", () => {
    for (const [n, mu, L] of [
      [3, 0.5, 8],
      [5, 2, 32],
    ] as const) {
      const lam = Array.from(quadratic({ n, mu, L }).data.eigenvalues as Float64Array);
      for (let i = 0; i < n; i++) {
        const want = mu * (L / mu) ** (i / (n - 1));
        expect(Math.abs(lam[i]! - want), `λ_${i}`).toBeLessThanOrEqual(4 * U * want);
      }
    }
  });
  it("a finite sum's options must be an object", () => {
    expect(() => leastSquares(7 as never)).toThrow(
      new TypeError('leastSquares: options must be an object { X, y, features }'),
    );
    expect(() => logisticRegression('X' as never)).toThrow(
      new TypeError('logisticRegression: options must be an object { X, y, features }'),
    );
  });
  it("the catalogue's least-squares rows: d = 3 features ~ N(0, 1), then a bias column of ones", () => {
    const entry = objectiveCatalogue.find((e) => e.name === 'leastSquares')!;
    const draws: number[] = [];
    for (let s = 0; s < 40; s++) {
      const o = entry.make(s);
      const X = o.data.X as Float64Array;
      expect([o.data.features, X.length]).toEqual([4, 32]);
      for (let i = 0; i < 8; i++) {
        expect(X[i * 4 + 3], `seed ${s}, row ${i}: bias`).toBe(1);
        for (let j = 0; j < 3; j++) draws.push(X[i * 4 + j]!);
      }
    }
    // 960 draws: mean within 5 standard errors of 0, variance within 5 of its standard errors (√(2/959)) of 1,
    // and none is exactly 0 or 1 (probability 0 for a normal).
    const m = draws.reduce((a, v) => a + v, 0) / draws.length;
    const v = draws.reduce((a, x) => a + (x - m) ** 2, 0) / (draws.length - 1);
    expect(Math.abs(m)).toBeLessThan(5 / Math.sqrt(draws.length));
    expect(Math.abs(v - 1)).toBeLessThan(5 * Math.sqrt(2 / (draws.length - 1)));
    expect(draws.every((x) => Number.isFinite(x) && x !== 0 && x !== 1)).toBe(true);
  });
});
