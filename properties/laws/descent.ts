/**
 * C: descent on convex functions (docs/laws.md, C).
 *
 * The objectives are built here, small and random: diagonally dominant quadratics (convexity and
 * the constants μ, L certified by Gershgorin's theorem) and logistic losses (L ≤ ¼ Σ_j ‖x_j‖²).
 * They are evaluated in 50-digit decimal arithmetic at the exact values of the (float) points the
 * core produces, so f, ∇f, norms and inner products carry no rounding worth counting (≤ 1e-45
 * relative); the only floating-point errors left are the core's own and the rounding of ∇f to the
 * dtype, and the tolerances below count exactly those.
 */
import fc from 'fast-check';
import type { Decimal } from 'decimal.js';
import type { OptimizerEntry } from '../../src/optimizers/define.js';
import type { Dtype, Hyper, Vec } from '../../src/optimizers/types.js';
import { D, fromDouble, roundTo as roundDecimal } from '../../reference/decimal.js';
import { CTOR, hyperArb, logUniform, uniform, vec, type MagnitudeRange } from '../arbitraries.js';
import { must, selects, unitRoundoff, type Law } from '../framework.js';
import { PLAIN, plainFor } from './internal.js';

/** Points: coordinates of magnitude 1e-3 … 10, both signs, 10% exact zeros. */
const POINTS: MagnitudeRange = { min: 1e-3, max: 10, zeros: 0.1 };

// ---------------------------------------------------------------------------------------------
// Convex objectives in decimal arithmetic.

export interface ConvexObjective {
  kind: string;
  n: number;
  /** f and ∇f at the exact value of x. */
  value(x: readonly Decimal[]): Decimal;
  grad(x: readonly Decimal[]): Decimal[];
  /** An upper bound on the Lipschitz constant of ∇f (exact). */
  L: Decimal;
  /** A lower bound on the strong-convexity constant (> 0 for the quadratics). */
  mu: Decimal;
  /** The data, for the counterexample. */
  data: unknown;
}

const dsum = (xs: readonly Decimal[]): Decimal => xs.reduce((a, b) => a.plus(b), new D(0));
const dot = (a: readonly Decimal[], b: readonly Decimal[]): Decimal => dsum(a.map((x, i) => x.times(b[i]!)));
export const norm = (a: readonly Decimal[]): Decimal => dot(a, a).sqrt();
export const decs = (v: ArrayLike<number>): Decimal[] => Array.from(v, (x) => fromDouble(x));

/**
 * A symmetric, strictly diagonally dominant matrix: off-diagonal entries uniform in [−1, 1],
 * A_ii = d_i + Σ_j≠i |A_ij| with d_i log-uniform in [0.05, 5]. Gershgorin: every eigenvalue lies
 * in [min_i (A_ii − R_i), max_i (A_ii + R_i)], R_i = Σ_j≠i |A_ij| (computed exactly from the stored
 * doubles), so A is positive definite with certified μ and L.
 */
export function ddMatrix(n: number): fc.Arbitrary<number[][]> {
  return fc
    .record({
      off: fc.array(uniform(-1, 1), { minLength: (n * (n - 1)) / 2, maxLength: (n * (n - 1)) / 2 }),
      d: fc.array(logUniform(0.05, 5), { minLength: n, maxLength: n }),
    })
    .map(({ off, d }) => {
      const A = Array.from({ length: n }, () => new Array<number>(n).fill(0));
      let k = 0;
      for (let i = 0; i < n; i++)
        for (let j = i + 1; j < n; j++) {
          A[i]![j] = off[k]!;
          A[j]![i] = off[k]!;
          k++;
        }
      for (let i = 0; i < n; i++) A[i]![i] = d[i]! + A[i]!.reduce((s, x, j) => (j === i ? s : s + Math.abs(x)), 0);
      return A;
    });
}

/** Gershgorin bounds [μ, L] of a symmetric matrix, exactly. */
export function gershgorin(A: number[][]): { mu: Decimal; L: Decimal } {
  let mu: Decimal | undefined;
  let L: Decimal | undefined;
  A.forEach((row, i) => {
    const R = dsum(row.map((x, j) => (j === i ? new D(0) : fromDouble(Math.abs(x)))));
    const lo = fromDouble(row[i]!).minus(R);
    const hi = fromDouble(row[i]!).plus(R);
    mu = mu === undefined || lo.lt(mu) ? lo : mu;
    L = L === undefined || hi.gt(L) ? hi : L;
  });
  return { mu: mu!, L: L! };
}

/** f(x) = ½ (x − c)ᵀ A (x − c) + k, with ∇f = A(x − c) (c given exactly as decimals). */
export function quadratic(A: number[][], c: readonly Decimal[]): ConvexObjective {
  const Ad = A.map((r) => r.map(fromDouble));
  const grad = (x: readonly Decimal[]): Decimal[] => {
    const y = x.map((xi, i) => xi.minus(c[i]!));
    return Ad.map((r) => dot(r, y));
  };
  const { mu, L } = gershgorin(A);
  return {
    kind: 'quadratic',
    n: A.length,
    L,
    mu,
    data: { A, c: c.map((x) => x.toString()) },
    grad,
    value: (x) => {
      const y = x.map((xi, i) => xi.minus(c[i]!));
      return dot(y, grad(x)).div(2);
    },
  };
}

/**
 * Logistic loss f(θ) = Σ_j log(1 + exp(−y_j x_jᵀθ)): convex, ∇²f = Σ σ(1−σ) x_j x_jᵀ ≼ ¼ Σ x_j x_jᵀ,
 * whose largest eigenvalue is at most its trace ¼ Σ_j ‖x_j‖²: that is our L. (μ = 0.)
 */
export function logistic(X: number[][], y: number[]): ConvexObjective {
  const Xd = X.map((r) => r.map(fromDouble));
  const L = dsum(Xd.map((r) => dot(r, r))).div(4);
  const margins = (th: readonly Decimal[]): Decimal[] => Xd.map((r, j) => dot(r, th).times(-y[j]!));
  return {
    kind: 'logistic',
    n: X[0]!.length,
    L,
    mu: new D(0),
    data: { X, y },
    value: (th) => dsum(margins(th).map((z) => D.exp(z).plus(1).ln())),
    grad: (th) => {
      const z = margins(th);
      // ∂/∂θ log(1 + e^{z_j}) = σ(z_j) · (−y_j x_j)
      const s = z.map((zj) => new D(1).div(D.exp(zj.neg()).plus(1)));
      return Array.from({ length: X[0]!.length }, (_, i) => dsum(Xd.map((r, j) => s[j]!.times(-y[j]!).times(r[i]!))));
    },
  };
}

/** A random convex objective of dimension 1..6 with its L (quadratic or logistic). */
export function convexObjective(): fc.Arbitrary<ConvexObjective> {
  return fc.integer({ min: 1, max: 6 }).chain((n) =>
    fc.oneof(
      fc
        .tuple(ddMatrix(n), fc.array(uniform(-5, 5), { minLength: n, maxLength: n }))
        .map(([A, c]) => quadratic(A, decs(c))),
      fc
        .integer({ min: 1, max: 6 })
        .chain((m) =>
          fc
            .tuple(
              fc.array(fc.array(uniform(-3, 3), { minLength: n, maxLength: n }), { minLength: m, maxLength: m }),
              fc.array(fc.constantFrom(-1, 1), { minLength: m, maxLength: m }),
            )
            .map(([X, y]) => logistic(X, y)),
        ),
    ),
  );
}

/** ∇f rounded to the dtype (correctly rounded: |g̃_i − ∇f_i| ≤ u|∇f_i|). */
export function roundedGrad(dtype: Dtype, g: readonly Decimal[]): Vec {
  return CTOR[dtype].from(g.map((x) => roundDecimal(x, dtype)));
}

const num = (x: Decimal): string => x.toPrecision(6);

/**
 * The optimizers that are plain gradient descent under some hyperparameters, built that way with
 * rate lr (traits.gradientDescentWhen).
 */
const isGD = selects(
  'traits.gradientDescentWhen',
  (e: OptimizerEntry): boolean => e.traits.gradientDescentWhen !== undefined,
);
const gdHyper = (e: OptimizerEntry, lr: number): Hyper => ({
  ...e.defaults,
  ...plainFor(e),
  ...e.traits.gradientDescentWhen,
  lr,
});

/**
 * Bound on how far the core's GD step lands from θ − η∇f, coordinate by coordinate:
 * R_i = u(η|g̃_i| + |θ'_i|) + η·u|∇f_i| + (2η + 1)·s/2. The first term is the core's two roundings
 * (η·g̃ and the subtraction; in float32 the product is a double, so u32 over-counts it), the second
 * the rounding of ∇f to the dtype before the core sees it, the third the absolute error of those
 * roundings below the normal range (s the smallest subnormal; reached near θ*, where C2 converges).
 */
function stepResidual(u: number, lr: number, gt: Vec, next: Vec, grad: readonly Decimal[]): Decimal[] {
  // Below the normal range rounding is absolute, not relative: each of the three roundings may
  // also be off by half the smallest subnormal (2^-150 in float32, 2^-1075 in float64).
  const tiny = (gt instanceof Float32Array ? 2 ** -150 : 2 ** -1074 / 2) * (2 * lr + 1);
  return grad.map((gi, i) =>
    fromDouble(u * (lr * Math.abs(gt[i]!) + Math.abs(next[i]!)))
      .plus(gi.abs().times(lr * u))
      .plus(fromDouble(tiny)),
  );
}

/** C1: the descent lemma for GD on L-smooth convex f. */
export const C1: Law = {
  id: 'C1',
  title: 'descent lemma: GD on an L-smooth convex f gives f(θ − η∇f) ≤ f(θ) − η(1 − Lη/2)‖∇f‖²',
  tolerance:
    "exact (f and ∇f in 50-digit decimal at the core's points) plus the core's own roundings: |1 − Lη|·Σ|∇f_i|R_i + (L/2)‖R‖², R_i = u(η|g̃_i| + |θ'_i|) + ηu|∇f_i| (the step's two roundings and ∇f's rounding to the dtype) + the subnormal spacing",
  appliesTo: isGD,
  runs: 25,
  property: (entry, dtype) =>
    fc.property(
      convexObjective().chain((f) =>
        fc.record({
          f: fc.constant(f),
          theta: vec(dtype, f.n, POINTS),
          k: uniform(0.05, 2),
          steps: fc.integer({ min: 1, max: 4 }),
        }),
      ),
      ({ f, theta, k, steps }) => {
        // η = k/L, k ∈ [0.05, 2]: the lemma holds for every η; 2/L is where it stops promising descent.
        const lr = k / f.L.toNumber();
        const u = unitRoundoff(dtype);
        const opt = entry.create(gdHyper(entry, lr));
        const state = opt.init(f.n, dtype);
        const p = theta.slice();
        for (let s = 1; s <= steps; s++) {
          const x = decs(p);
          const fx = f.value(x);
          const g = f.grad(x);
          const gt = roundedGrad(dtype, g);
          opt.step(p, gt, state);
          const x1 = decs(p);
          const fx1 = f.value(x1);
          const eta = fromDouble(lr);
          const g2 = dot(g, g);
          const bound = fx.minus(eta.times(new D(1).minus(f.L.times(eta).div(2))).times(g2));
          // The core lands at θ − η∇f + r with |r_i| ≤ R_i (stepResidual). The lemma at that point:
          // f ≤ f(θ) − η(1 − Lη/2)‖∇f‖² + |1 − Lη|·Σ|∇f_i|R_i + (L/2)‖R‖², exactly.
          const R = stepResidual(u, lr, gt, p, g);
          const slack = new D(1)
            .minus(f.L.times(eta))
            .abs()
            .times(dsum(g.map((gi, i) => gi.abs().times(R[i]!))))
            .plus(f.L.div(2).times(dot(R, R)));
          must(
            fx1.lte(bound.plus(slack)),
            () =>
              `step ${s} on a ${f.kind} (n = ${f.n}, L = ${num(f.L)}), η = ${lr}: f(θ') = ${num(fx1)} > f(θ) − η(1 − Lη/2)‖∇f‖² = ${num(bound)} (+ rounding allowance ${num(slack)}); f(θ) = ${num(fx)}`,
          );
        }
        return true;
      },
    ),
};

/** C2: GD with η = 1/L contracts ‖θ − θ*‖ by (1 − μ/L) per step on μ-strongly convex quadratics. */
export const C2: Law = {
  id: 'C2',
  title: 'GD with η = 1/L on a μ-strongly convex quadratic: ‖θ_t − θ*‖ ≤ (1 − μ/L)‖θ_{t−1} − θ*‖',
  tolerance: "the contraction (1 − μ/L) plus ‖R‖ (the step's roundings, as in C1) and u·μ/L for η = fl(1/L)",
  appliesTo: isGD,
  runs: 25,
  property: (entry, dtype) =>
    fc.property(
      fc.integer({ min: 1, max: 6 }).chain((n) =>
        fc.record({
          A: ddMatrix(n),
          star: vec(dtype, n, POINTS),
          theta: vec(dtype, n, POINTS),
          steps: fc.integer({ min: 1, max: 10 }),
        }),
      ),
      ({ A, star, theta, steps }) => {
        const n = A.length;
        const xs = decs(star);
        const f = quadratic(A, xs);
        const lr = new D(1).div(f.L).toNumber();
        const u = unitRoundoff(dtype);
        const rate = new D(1).minus(f.mu.div(f.L));
        const opt = entry.create(gdHyper(entry, lr));
        const state = opt.init(n, dtype);
        const p = theta.slice();
        for (let s = 1; s <= steps; s++) {
          const x = decs(p);
          const before = norm(x.map((xi, i) => xi.minus(xs[i]!)));
          const g = f.grad(x);
          const gt = roundedGrad(dtype, g);
          opt.step(p, gt, state);
          const after = norm(decs(p).map((xi, i) => xi.minus(xs[i]!)));
          // Exactly, θ − η∇f − θ* = (I − ηA)(θ − θ*) with ‖I − ηA‖ ≤ 1 − ημ; η = fl(1/L) differs
          // from 1/L by ≤ u/L, so 1 − ημ ≤ 1 − μ/L + u·μ/L. The core's roundings add ‖R‖ (stepResidual).
          const R = stepResidual(u, lr, gt, p, g);
          const slack = norm(R).plus(before.times(f.mu.div(f.L)).times(2 ** -53));
          must(
            after.lte(rate.times(before).plus(slack)),
            () =>
              `step ${s}: ‖θ_t − θ*‖ = ${num(after)} > (1 − μ/L)·‖θ_{t−1} − θ*‖ = ${num(rate)}·${num(before)} = ${num(rate.times(before))} (+ rounding ${num(slack)}); μ = ${num(f.mu)}, L = ${num(f.L)}, η = ${lr}`,
          );
        }
        return true;
      },
    ),
};

/** The distance from the float32 value x to its neighbour below (down) or above. */
function float32Spacing(x: number, down: boolean): number {
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer);
  if (x === 0) return 2 ** -149;
  u[0] = x > 0 === down ? u[0]! - 1 : u[0]! + 1;
  return Math.abs(f[0]! - x);
}

/**
 * C3: every optimizer, with a small enough rate, lowers f on a random convex quadratic within T steps.
 *
 * What "small enough" is. f(θ) = ½θᵀAθ − bᵀθ with A diagonally dominant (convex) and b chosen so
 * that ∇f(θ_0) = g_0, every |g_0,i| in [0.1, 10]. In the box where every coordinate has moved by at
 * most D_j, ∇f_i changes by at most Σ_j |A_ij| D_j; if that is ≤ |g_0,i|/3, every partial derivative
 * keeps its sign and a magnitude in [⅔|g_0,i|, 4/3|g_0,i|] (ratio r = 2). Each optimizer's
 * traits.displacementBound gives D_j for such gradients (derived in its file; all are linear in
 * lr), so lr_max = min_i (|g_0,i|/3) / Σ_j |A_ij| D_j(lr = 1) keeps the whole run in the box; we
 * use lr = κ·lr_max, κ ∈ [0.01, 0.99]. In the box every optimizer moves each coordinate against the
 * sign of its partial derivative (all gradients seen have that sign, and so do m, v-weighted
 * steps and velocities), rounding never flips a sign, and so f never increases along the path —
 * exactly, not just to first order — and decreases as soon as a coordinate moves.
 *
 * The premise is checked too: after every step each coordinate has moved by at most lr·D_j (plus
 * rounding, see the tolerance). A bound smaller than the real displacement (r in the wrong place)
 * would otherwise pass whenever the larger rate it gives still happens to descend.
 */
export const C3: Law = {
  id: 'C3',
  title:
    'with a small enough rate (traits.displacementBound) every optimizer lowers f on a convex quadratic within T steps, never raising it (float32: unless every step is below rounding, shown by a float64 run)',
  tolerance:
    "exact (f in 50-digit decimal at the core's points): f never rises (rounding never reverses a move) and falls by step T; in float32 'nothing moved' is accepted only where a float64 run moves no coordinate by 4 float32 spacings in a step. Each coordinate's displacement stays within lr·D_j·(1 + (8T + 32)u) plus u·Σ_t|θ_t| (each computed step within (5t + 16)u of exact, E1's count for the longest recurrence, summed over T steps; each stored θ_t rounded once)",
  appliesTo: selects('traits.displacementBound', (e) => e.traits.displacementBound !== undefined),
  runs: 20,
  property: (entry, dtype) =>
    fc.property(
      fc.integer({ min: 1, max: 5 }).chain((n) =>
        fc.record({
          A: ddMatrix(n),
          theta: vec(dtype, n, POINTS),
          g0: vec(dtype, n, { min: 0.1, max: 10, zeros: 0 }),
          hyper: hyperArb(entry, PLAIN),
          kappa: uniform(0.01, 0.99),
          T: fc.integer({ min: 1, max: 10 }),
        }),
      ),
      ({ A, theta, g0, hyper, kappa, T }) => {
        const n = A.length;
        const Ad = A.map((r) => r.map(fromDouble));
        const x0 = decs(theta);
        // b = Aθ_0 − g_0 exactly, so ∇f(θ_0) = Aθ_0 − b = g_0.
        const b = Ad.map((r, i) => dot(r, x0).minus(fromDouble(g0[i]!)));
        const value = (x: Decimal[]): Decimal =>
          dot(
            x,
            Ad.map((r) => dot(r, x)),
          )
            .div(2)
            .minus(dot(b, x));
        const grad = (x: Decimal[]): Decimal[] => Ad.map((r, i) => dot(r, x).minus(b[i]!));
        const unit = { ...hyper, lr: 1 };
        const Dj = Array.from(g0, (g) => entry.traits.displacementBound!(unit, T, (4 / 3) * Math.abs(g), 2));
        let lrMax = Infinity;
        for (let i = 0; i < n; i++) {
          const spread = A[i]!.reduce((s, a, j) => s + Math.abs(a) * Dj[j]!, 0);
          lrMax = Math.min(lrMax, Math.abs(g0[i]!) / 3 / spread);
        }
        const lr = kappa * lrMax;
        const opt = entry.create({ ...hyper, lr });
        const state = opt.init(n, dtype);
        const p = theta.slice();
        const f0 = value(x0);
        let prev = f0;
        const u = unitRoundoff(dtype);
        const drift = new Array<number>(n).fill(0);
        for (let t = 1; t <= T; t++) {
          const g = grad(decs(p));
          opt.step(p, roundedGrad(dtype, g), state);
          // The premise: the run stays in the box the bound promised (see the tolerance).
          for (let j = 0; j < n; j++) {
            drift[j]! += u * Math.abs(p[j]!);
            const moved = Math.abs(p[j]! - theta[j]!);
            const allowed = lr * Dj[j]! * (1 + (8 * T + 32) * u) + drift[j]!;
            must(
              moved <= allowed,
              () =>
                `step ${t} of ${T}: θ[${j}] moved by ${moved}, beyond lr·D = ${lr * Dj[j]!} from traits.displacementBound(T = ${T}, gmax = ${(4 / 3) * Math.abs(g0[j]!)}, r = 2) (+ rounding ${drift[j]}): the bound does not bound this run's displacement (gradients of one sign with |g| in [gmax/2, gmax] here), so lr_max = ${lrMax} was not small enough`,
            );
          }
          const ft = value(decs(p));
          must(
            ft.lte(prev),
            () =>
              `step ${t} of ${T} raised f from ${prev.toString()} to ${ft.toString()} (lr = ${lr}, small enough: lr_max = ${lrMax})`,
          );
          prev = ft;
        }
        if (prev.lt(f0)) return true;
        // f did not fall: in exact arithmetic it must (some coordinate moves). In float32, rounding
        // returns θ itself wherever every step is below half the float32 spacing at θ, which a
        // correct optimizer with a loose displacement bound reaches (AdaBelief, ε = 1e-12: lr = 6e-9,
        // steps ≈ 6e-9 at θ ≈ 1, spacing 6e-8). That is allowed only where a float64 run of the same
        // optimizer from the same point, fed the same (float32) gradients, moves no coordinate by 4
        // spacings in a step (the float32 step then exceeds half a spacing unless it is 8× smaller).
        const moved = p.some((x, i) => x !== theta[i]);
        must(
          dtype === 'float32' && !moved,
          () =>
            `after ${T} step(s) f = ${prev.toString()} is not below f(θ_0) = ${f0.toString()} (lr = ${lr}, lr_max = ${lrMax}): ${moved ? 'θ moved yet f did not fall' : `nothing moved${lr < 1e-12 ? ' (a rate this small comes from traits.displacementBound: is it far above the real displacement? docs/adding-an-optimizer.md, "How tight a bound must be")' : ''}`}`,
        );
        must(
          !entry.dtypes || entry.dtypes.includes('float64'),
          () =>
            `after ${T} step(s) nothing moved in float32 (f = ${f0.toString()}; lr = ${lr}, lr_max = ${lrMax}), and the optimizer handles no float64 to show that rounding swallowed every step`,
        );
        const g32 = Float64Array.from(roundedGrad('float32', grad(x0)));
        const shadow = entry.create({ ...hyper, lr });
        const s64 = shadow.init(n, 'float64');
        const q = Float64Array.from(theta);
        for (let t = 1; t <= T; t++) {
          const before = q.slice();
          shadow.step(q, g32.slice(), s64);
          for (let i = 0; i < n; i++) {
            const d = q[i]! - before[i]!;
            const gap = float32Spacing(theta[i]!, d < 0);
            must(
              Math.abs(d) < 4 * gap,
              () =>
                `after ${T} step(s) nothing moved in float32 (f = ${f0.toString()}), yet a float64 run from the same point moves θ[${i}] = ${theta[i]} by ${d} at step ${t}, ${(Math.abs(d) / gap).toPrecision(3)} float32 spacings (lr = ${lr}, lr_max = ${lrMax})`,
            );
          }
        }
        return true;
      },
    ),
};

/** C4: the first step from a fresh state is a descent direction (an ascent direction with maximize). */
export const C4: Law = {
  id: 'C4',
  title:
    'the first step from a fresh state is a descent direction: ⟨Δθ, g⟩ < 0 (> 0 with maximize), coordinate by coordinate ≤ 0',
  tolerance: "exact signs: rounding never reverses a step's direction; from θ = 0 the step is stored exactly",
  runs: 100,
  property: (entry, dtype) =>
    fc.property(
      fc.integer({ min: 1, max: 8 }).chain((n) =>
        fc.record({
          hyper: hyperArb(entry, { weightDecay: 0, decoupledWeightDecay: 0 }),
          params: vec(dtype, n),
          grad: vec(dtype, n).filter((g) => g.some((x) => x !== 0)),
        }),
      ),
      ({ hyper, params, grad }) => {
        const s = hyper.maximize ? -1 : 1;
        const opt = entry.create(hyper);
        // From the drawn params: each coordinate moves against s·g_i or not at all (a step below
        // half an ulp of θ_i is lost to rounding, but rounding never reverses it).
        const p = params.slice();
        opt.step(p, grad, opt.init(p.length, dtype));
        for (let i = 0; i < p.length; i++) {
          const d = p[i]! - params[i]!;
          must(
            s * d * grad[i]! <= 0 && (grad[i] !== 0 || d === 0),
            () =>
              `coordinate ${i}: θ ${params[i]} → ${p[i]} with g = ${grad[i]}${hyper.maximize ? ' (maximize)' : ''}: moved along ${hyper.maximize ? '−' : '+'}g`,
          );
        }
        // From θ = 0 the step is stored exactly (0 − Δ = −Δ): the inner product must be strictly signed.
        const z = new CTOR[dtype](p.length);
        opt.step(z, grad, opt.init(z.length, dtype));
        let ip = 0;
        for (let i = 0; i < z.length; i++) ip += z[i]! * grad[i]!;
        must(
          s * ip < 0,
          () =>
            `from θ = 0: ⟨Δθ, g⟩ = ${ip}${hyper.maximize ? ' (maximize: must be > 0)' : ' (must be < 0)'}; Δθ = [${Array.from(z).join(', ')}]`,
        );
        return true;
      },
    ),
};

export const descentLaws: Law[] = [C1, C2, C3, C4];
