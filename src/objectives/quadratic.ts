/**
 * Convex quadratic f(x) = ½ xᵀAx − bᵀx with A symmetric positive definite and known eigenvalues.
 *
 * A = Q diag(λ) Qᵀ with Q the product of n Householder reflections H = I − 2vvᵀ/(vᵀv) drawn from a
 * seed (each H is symmetric and orthogonal, so A has exactly the eigenvalues λ in exact
 * arithmetic; Householder 1958, Golub & Van Loan 2013 §5.1). L = max λ, μ = min λ, the minimiser
 * is x* = A⁻¹b = Q diag(1/λ) Qᵀ b and the minimum −½ bᵀx*. The stored float64 A differs from the
 * exact product by rounding, O(n·u·L) per entry, so its eigenvalues are λ to that accuracy.
 */
import { makeRng } from '../data/random.js';
import { checkFinite, checkInt, checkNumber } from './check.js';
import { defineObjective } from './define.js';
import type { Objective } from './types.js';

export interface QuadraticOptions {
  /** Dimension (default 2, or eigenvalues.length). */
  n?: number;
  /** Eigenvalues, all > 0. Default: geometric from mu to L. */
  eigenvalues?: readonly number[];
  /** Smallest and largest eigenvalue when `eigenvalues` is not given (default 1 and 10). */
  mu?: number;
  L?: number;
  /** Linear term; default drawn N(0, 1) from the seed. */
  b?: readonly number[];
  seed?: number | string;
}

/** v ← H v for H = I − β w wᵀ, β = 2/(wᵀw). */
function reflect(w: Float64Array, beta: number, v: Float64Array): void {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += w[i]! * v[i]!;
  const c = beta * s;
  // Equivalent mutant (i <= w.length): v[w.length] is past the end of v (same length), so the write is dropped.
  for (let i = 0; i < w.length; i++) v[i] = v[i]! - c * w[i]!;
}

export function quadratic(opts: QuadraticOptions = {}): Objective {
  const where = 'quadratic';
  const n = opts.n ?? opts.eigenvalues?.length ?? 2;
  checkInt(where, 'n', n, 1, 4096);
  const seed = opts.seed ?? 1;
  let lambda: Float64Array;
  if (opts.eigenvalues) {
    if (opts.eigenvalues.length !== n)
      throw new RangeError(`${where}: eigenvalues.length = ${opts.eigenvalues.length}; allowed: n = ${n}`);
    lambda = Float64Array.from(opts.eigenvalues);
    for (let i = 0; i < n; i++) checkNumber(where, `eigenvalues[${i}]`, lambda[i], 0, Infinity, true);
  } else {
    const mu = opts.mu ?? 1;
    const L = opts.L ?? 10;
    checkNumber(where, 'mu', mu, 0, Infinity, true);
    checkNumber(where, 'L', L, mu, Infinity);
    lambda = new Float64Array(n);
    // λ_0 = μ and λ_{n−1} = L exactly: μ·(L/μ)^1 can miss L (μ = 0.3, L = 50 gives 50.00000000000001).
    // Equivalent mutant (i <= n): lambda[n] is past the Float64Array's end, so the write is dropped.
    for (let i = 0; i < n; i++) lambda[i] = i === 0 ? mu : i === n - 1 ? L : mu * (L / mu) ** (i / (n - 1));
  }
  const rng = makeRng(seed, 'quadratic');
  // Householder vectors (drawn until nonzero; a zero draw has probability 0 but is excluded).
  const ws: Float64Array[] = [];
  const betas: number[] = [];
  // Equivalent mutant (k <= n): an (n + 1)-th vector is drawn and never used (Q is H_n ⋯ H_1); only the default
  // b, drawn after it, changes, to other independent N(0, 1) draws.
  for (let k = 0; k < n; k++) {
    const w = new Float64Array(n);
    let ww = 0;
    while (ww === 0) {
      ww = 0;
      for (let i = 0; i < n; i++) {
        w[i] = rng.normal();
        ww += w[i]! * w[i]!;
      }
    }
    ws.push(w);
    betas.push(2 / ww);
  }
  // A = Q diag(λ) Qᵀ with Q = H_n ⋯ H_1: column j of A is Q (λ ∘ (Qᵀ e_j)), where
  // Qᵀ e_j = H_1 ⋯ H_n e_j applies H_n first and Q then applies H_1 first.
  const A = new Float64Array(n * n);
  const col = new Float64Array(n);
  // Equivalent mutant (j <= n): the pass for j = n reflects a zero column (col[n] = 1 is dropped) and writes 0 to
  // A[i·n + n] = A[(i + 1)·n], below the diagonal, which the symmetrisation below overwrites with A[i + 1].
  for (let j = 0; j < n; j++) {
    col.fill(0);
    col[j] = 1;
    for (let k = n - 1; k >= 0; k--) reflect(ws[k]!, betas[k]!, col);
    // Equivalent mutant (i <= n): col[n] is past the end of col, so the write is dropped.
    for (let i = 0; i < n; i++) col[i] = col[i]! * lambda[i]!;
    for (let k = 0; k < n; k++) reflect(ws[k]!, betas[k]!, col);
    // Equivalent mutant (i <= n): A[n·n + j] is past the end of A, so the write is dropped.
    for (let i = 0; i < n; i++) A[i * n + j] = col[i]!;
  }
  // Exactly symmetric: keep the upper triangle.
  // Equivalent mutants: j <= i (the extra write is A[i·n + i] = A[i·n + i]) and i <= n (the pass for i = n writes
  // A[n·n + j], past the end of A: dropped).
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) A[i * n + j] = A[j * n + i]!;
  const b = opts.b ? Float64Array.from(opts.b) : Float64Array.from({ length: n }, () => rng.normal());
  if (b.length !== n) throw new RangeError(`${where}: b.length = ${b.length}; allowed: n = ${n}`);
  checkFinite(where, 'b', b);
  // x* = Q diag(1/λ) Qᵀ b, in the same order.
  const xs = b.slice();
  for (let k = n - 1; k >= 0; k--) reflect(ws[k]!, betas[k]!, xs);
  // Equivalent mutant (i <= n): xs[n] is past the end of xs, so the write is dropped.
  for (let i = 0; i < n; i++) xs[i] = xs[i]! / lambda[i]!;
  for (let k = 0; k < n; k++) reflect(ws[k]!, betas[k]!, xs);
  let bx = 0;
  for (let i = 0; i < n; i++) bx += b[i]! * xs[i]!;
  let L = 0;
  let mu = Infinity;
  for (let i = 0; i < n; i++) {
    L = Math.max(L, lambda[i]!);
    mu = Math.min(mu, lambda[i]!);
  }
  const ax = new Float64Array(n);

  /** ax ← A x, rows in order, each row summed left to right. */
  const mul = (x: Float64Array): void => {
    // Equivalent mutant (i <= n): the pass for i = n writes only ax[n], past the end of ax (dropped).
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += A[i * n + j]! * x[j]!;
      ax[i] = s;
    }
  };
  return defineObjective({
    name: 'quadratic',
    title: `convex quadratic (n = ${n}, μ = ${mu}, L = ${L})`,
    source: 'Nocedal & Wright 2006 §3.3; Householder reflections: Golub & Van Loan 2013 §5.1',
    dim: n,
    minimizer: xs,
    minimum: -0.5 * bx,
    L,
    mu,
    convex: true,
    domain: { lo: -10, hi: 10 },
    data: { n, A, b, eigenvalues: lambda },
    f(x) {
      mul(x);
      let acc = 0;
      for (let i = 0; i < n; i++) acc += x[i]! * (0.5 * ax[i]! - b[i]!);
      return acc;
    },
    fg(x, g) {
      mul(x);
      let acc = 0;
      for (let i = 0; i < n; i++) {
        acc += x[i]! * (0.5 * ax[i]! - b[i]!);
        g[i] = ax[i]! - b[i]!;
      }
      return acc;
    },
  });
}
