/**
 * Classic test functions with analytic gradients. Formulas and minimisers: Rosenbrock (1960), the
 * n-dimensional "extended" form Σ 100(x_{i+1} − x_i²)² + (1 − x_i)²; Beale, Booth, Himmelblau and
 * Styblinski–Tang as catalogued by Jamil & Yang 2013 ("A literature survey of benchmark functions
 * for global optimization problems") and Surjanovic & Bingham's Virtual Library of Simulation
 * Experiments. The order of operations here is mirrored by reference/objectives (law A2).
 */
import { checkInt, checkNumber } from './check.js';
import { defineObjective } from './define.js';
import type { Objective } from './types.js';

const ones = (n: number): Float64Array => new Float64Array(n).fill(1);

/** Rosenbrock's valley in n ≥ 2 dimensions; minimum 0 at (1, …, 1). Not convex. */
export function rosenbrock(n = 2): Objective {
  checkInt('rosenbrock', 'n', n, 2);
  return defineObjective({
    name: 'rosenbrock',
    title: `Rosenbrock (n = ${n})`,
    source: 'Rosenbrock 1960; extended form, Jamil & Yang 2013 (f105)',
    dim: n,
    minimizer: ones(n),
    minimum: 0,
    convex: false,
    domain: { lo: -2, hi: 2 },
    data: { n },
    f(x) {
      let acc = 0;
      for (let i = 0; i < n - 1; i++) {
        const xi = x[i]!;
        const t = x[i + 1]! - xi * xi;
        const u = 1 - xi;
        acc += 100 * (t * t) + u * u;
      }
      return acc;
    },
    fg(x, g) {
      let acc = 0;
      g.fill(0);
      for (let i = 0; i < n - 1; i++) {
        const xi = x[i]!;
        const t = x[i + 1]! - xi * xi;
        const u = 1 - xi;
        acc += 100 * (t * t) + u * u;
        // ∂/∂x_i [100 t² + u²] = 100·2t·(−2x_i) + 2u·(−1);  ∂/∂x_{i+1} = 200 t
        g[i] = g[i]! + (-400 * xi * t - 2 * u);
        g[i + 1] = 200 * t;
      }
      return acc;
    },
  });
}

/** Beale's function; minimum 0 at (3, 0.5). Not convex. */
export function beale(): Objective {
  return defineObjective({
    name: 'beale',
    title: 'Beale',
    source: 'Beale 1958; Jamil & Yang 2013 (f10)',
    dim: 2,
    minimizer: Float64Array.of(3, 0.5),
    minimum: 0,
    convex: false,
    domain: { lo: -4.5, hi: 4.5 },
    data: {},
    f(x) {
      const a = x[0]!;
      const b = x[1]!;
      const b2 = b * b;
      const t1 = 1.5 - a + a * b;
      const t2 = 2.25 - a + a * b2;
      const t3 = 2.625 - a + a * (b2 * b);
      return t1 * t1 + t2 * t2 + t3 * t3;
    },
    fg(x, g) {
      const a = x[0]!;
      const b = x[1]!;
      const b2 = b * b;
      const b3 = b2 * b;
      const t1 = 1.5 - a + a * b;
      const t2 = 2.25 - a + a * b2;
      const t3 = 2.625 - a + a * b3;
      // ∂t1/∂a = b − 1, ∂t2/∂a = b² − 1, ∂t3/∂a = b³ − 1; ∂t1/∂b = a, ∂t2/∂b = 2ab, ∂t3/∂b = 3ab².
      g[0] = 2 * t1 * (b - 1) + 2 * t2 * (b2 - 1) + 2 * t3 * (b3 - 1);
      g[1] = 2 * t1 * a + 2 * t2 * (2 * a * b) + 2 * t3 * (3 * a * b2);
      return t1 * t1 + t2 * t2 + t3 * t3;
    },
  });
}

/**
 * Booth's function (x + 2y − 7)² + (2x + y − 5)²; minimum 0 at (1, 3). A quadratic with Hessian
 * [[10, 8], [8, 10]], eigenvalues 18 and 2: L = 18, μ = 2.
 */
export function booth(): Objective {
  return defineObjective({
    name: 'booth',
    title: 'Booth',
    source: 'Jamil & Yang 2013 (f17); Hessian eigenvalues 10 ± 8',
    dim: 2,
    minimizer: Float64Array.of(1, 3),
    minimum: 0,
    L: 18,
    mu: 2,
    convex: true,
    domain: { lo: -10, hi: 10 },
    data: {},
    f(x) {
      const p = x[0]! + 2 * x[1]! - 7;
      const q = 2 * x[0]! + x[1]! - 5;
      return p * p + q * q;
    },
    fg(x, g) {
      const p = x[0]! + 2 * x[1]! - 7;
      const q = 2 * x[0]! + x[1]! - 5;
      g[0] = 2 * p + 4 * q;
      g[1] = 4 * p + 2 * q;
      return p * p + q * q;
    },
  });
}

/** Himmelblau's function; minimum 0 at four points, (3, 2) among them. Not convex. */
export function himmelblau(): Objective {
  return defineObjective({
    name: 'himmelblau',
    title: 'Himmelblau',
    source: 'Himmelblau 1972; minima (3, 2), (−2.805118, 3.131312), (−3.779310, −3.283186), (3.584428, −1.848126)',
    dim: 2,
    minimizer: Float64Array.of(3, 2),
    minimum: 0,
    convex: false,
    domain: { lo: -5, hi: 5 },
    data: {},
    f(x) {
      const a = x[0]!;
      const b = x[1]!;
      const p = a * a + b - 11;
      const q = a + b * b - 7;
      return p * p + q * q;
    },
    fg(x, g) {
      const a = x[0]!;
      const b = x[1]!;
      const p = a * a + b - 11;
      const q = a + b * b - 7;
      g[0] = 4 * a * p + 2 * q;
      g[1] = 2 * p + 4 * b * q;
      return p * p + q * q;
    },
  });
}

/**
 * The root of f'(t) = 2t³ − 16t + 2.5 near −2.9035 (Newton from −2.9 until it stops moving): the
 * minimiser coordinate of Styblinski–Tang.
 */
function stybRoot(): number {
  let t = -2.9;
  // Equivalent mutants (k <= 50, k--): Newton reaches its fixed point −2.903534027771177 at the fourth step
  // (−2.9035403366221706, −2.903534027791227, then that twice) and breaks there, long before 50 steps.
  for (let k = 0; k < 50; k++) {
    // Equivalent mutant (`6 * t * t + 16`, 6t² + 16 for 6t² − 16): t − f′(t)/(6t² + 16) contracts to the root too (by a factor
    // ≈ 1 − 34.6/66.6 = 0.48 a step near it) and stops at the same double, −2.903534027771177, within the 50 steps.
    const next = t - (2 * t * t * t - 16 * t + 2.5) / (6 * t * t - 16);
    // Equivalent mutant (false): at the fixed point further steps leave t where it is (see above).
    if (next === t) break;
    t = next;
  }
  return t;
}

/** Styblinski–Tang ½ Σ (x⁴ − 16x² + 5x); minimum ≈ −39.166·n at x_i ≈ −2.9035. Not convex. */
export function styblinskiTang(n = 2): Objective {
  checkInt('styblinskiTang', 'n', n, 1);
  const r = stybRoot();
  const r2 = r * r;
  return defineObjective({
    name: 'styblinskiTang',
    title: `Styblinski–Tang (n = ${n})`,
    source: 'Styblinski & Tang 1990; Jamil & Yang 2013 (f144)',
    dim: n,
    minimizer: new Float64Array(n).fill(r),
    minimum: 0.5 * n * (r2 * r2 - 16 * r2 + 5 * r),
    convex: false,
    domain: { lo: -5, hi: 5 },
    data: { n },
    f(x) {
      let acc = 0;
      for (let i = 0; i < n; i++) {
        const t = x[i]!;
        const t2 = t * t;
        acc += t2 * t2 - 16 * t2 + 5 * t;
      }
      return 0.5 * acc;
    },
    fg(x, g) {
      let acc = 0;
      for (let i = 0; i < n; i++) {
        const t = x[i]!;
        const t2 = t * t;
        acc += t2 * t2 - 16 * t2 + 5 * t;
        g[i] = 2 * t2 * t - 16 * t + 2.5;
      }
      return 0.5 * acc;
    },
  });
}

/** The saddle x² − y²: critical point (0, 0), unbounded below (no minimiser). */
export function saddle(): Objective {
  return defineObjective({
    name: 'saddle',
    title: 'saddle x² − y²',
    source: 'Dauphin et al. 2014 (saddle points); Ruder 2016 §3',
    dim: 2,
    L: 2,
    convex: false,
    domain: { lo: -10, hi: 10 },
    data: {},
    f(x) {
      return x[0]! * x[0]! - x[1]! * x[1]!;
    },
    fg(x, g) {
      g[0] = 2 * x[0]!;
      g[1] = -2 * x[1]!;
      return x[0]! * x[0]! - x[1]! * x[1]!;
    },
  });
}

/**
 * Ill-conditioned diagonal quadratic ½ Σ d_i x_i² with d_i = κ^{i/(n−1)} (1 … κ, geometric):
 * minimum 0 at 0, μ = 1, L = κ (the last d_i is computed as κ exactly).
 */
export function diagonalQuadratic(n = 2, kappa = 1e4): Objective {
  checkInt('diagonalQuadratic', 'n', n, 1);
  checkNumber('diagonalQuadratic', 'kappa', kappa, 1, 1e15);
  const d = new Float64Array(n);
  // d_0 = κ^0 = 1 and d_{n−1} = κ^1 = κ exactly (a correctly rounded pow returns x for y = 1); n = 1 is d = [1].
  // Equivalent mutant (i <= n): d[n] is past the Float64Array's end, so the write is dropped.
  for (let i = 0; i < n; i++) d[i] = i === 0 ? 1 : kappa ** (i / (n - 1));
  return defineObjective({
    name: 'diagonalQuadratic',
    title: `diagonal quadratic (n = ${n}, κ = ${kappa})`,
    source: 'Nocedal & Wright 2006, §3.3 (condition number and steepest descent)',
    dim: n,
    minimizer: new Float64Array(n),
    minimum: 0,
    L: n === 1 ? 1 : kappa,
    mu: 1,
    convex: true,
    domain: { lo: -10, hi: 10 },
    data: { n, d },
    f(x) {
      let acc = 0;
      for (let i = 0; i < n; i++) acc += 0.5 * d[i]! * x[i]! * x[i]!;
      return acc;
    },
    fg(x, g) {
      let acc = 0;
      for (let i = 0; i < n; i++) {
        acc += 0.5 * d[i]! * x[i]! * x[i]!;
        g[i] = d[i]! * x[i]!;
      }
      return acc;
    },
  });
}
