/**
 * Published values as an outside check (issue 3): the expected numbers that framework test suites
 * publish, for the cases whose convention optimlab's DEFAULT shares (its file header in src/optimizers/), run
 * through BOTH the core (createOptimizer with optimlab's hyperparameter names, no profile, no
 * convention option) and the decimal reference (reference/, exact arithmetic).
 *
 * Each vector is checked three ways:
 *   1. published ≈ exact: the reference's exact trajectory (50 digits, started from the published
 *      x0, the gradient of the source's harness evaluated in Decimal at the exact iterate) lies within
 *      the precision the source publishes or its own test tolerance (stated per source below);
 *   2. published ≈ core: the core's trajectory passes the source's own assertion;
 *   3. core vs reference, step by step: at every step the reference takes the core's params, state
 *      and gradient as exact inputs, and every value the core writes must have K ≤ boundFor(name,
 *      dtype) (properties/accuracy.ts: the single-step bounds of law B1, K = |core − ref| /
 *      (u·a + τ) with the reference's cancellation-aware scale a). Where the gradient does not
 *      depend on x (Keras goldens) the independent exact trajectory is also compared at every step
 *      within trajectoryBound(name, dtype, t) = 2·t·boundFor (law B2's bound, properties/laws/
 *      reference.ts); where the gradient depends on x (TF.js's f = Σx², the Lua harness's
 *      Rosenbrock) B2's scale does not follow the error through the gradient, so only (3)'s per-step
 *      check and the absolute deviations of (1) and (2) are asserted.
 * dtype: float32 where the source computes in float32 (TF.js tensors, Keras variables, JAX arrays),
 * float64 where it computes in float64 (the Lua/torch.legacy harness: torch.DoubleTensor).
 *
 * Sources and their tolerances (numbers and formulas only come in from elsewhere, never code):
 *   TF.js   tensorflow/tfjs tfjs-core/src/optimizers/*_optimizer_test.ts. expectArraysClose(a, e)
 *           passes when |a − e| ≤ 1e-3 on float32 backends (tfjs-core/src/test_util.ts,
 *           TEST_EPSILON_FLOAT32, commit 1521ad915f0a94c3205f92e7830e872c17645638) or the third
 *           argument. TF.js's optimizers default ε to the backend's EPSILON_FLOAT32 = 1e-7
 *           (tfjs-core/src/backends/backend.ts, commit 016a203e9ffe101dd364b48eb6e5cbd15b895916),
 *           whatever the tests' comments say. Every test minimises Σx² (gradient 2x).
 *   Keras   keras-team/keras keras/src/optimizers/*_test.py, test_correctness_with_golden:
 *           x = ones(10), one step with g = 0.01, then golden[i] after i further steps with
 *           g = arange(0.1, 1.1, 0.1); assertAllClose(rtol = 5e-4, atol = 5e-4), i.e.
 *           |x − golden| ≤ 5e-4 + 5e-4·|golden|. test_single_step: rtol = atol = 1e-4.
 *           test_weight_decay: assertAlmostEqual(decimal = 6), |a − b| < 5e-7.
 *   optax   google-deepmind/optax optax/_src/alias.py docstring examples (f = Σx², x0 = [1, 2, 3],
 *           print '{:.2E}'.format(f) after each of 5 steps): 3 significant digits, checked as the
 *           same printed string (the notes' file id 748801683; its commit was not recorded).
 *   PyTorch pytorch/pytorch test/optim/lua.out (commit 3d80b1371aadfb7c7660fa8881163f2f3c6e5a13),
 *           torch7 optim's trajectories printed with 12 decimals, 100 calls from (1.5, 1.5) in
 *           float64; the harness test/optim/test.py (commit 04c9af70a900ed27fbb2f23027eb138ca2599aeb)
 *           configs test/optim/tests.json (commit 0a58cfbd7c28e7d0a7c5236c2e63961d853a3647).
 *           Tolerance: half a unit of the 12th decimal (5e-13, the printed precision) plus the
 *           float64 harness's own accumulated rounding, which the core's float64 run (rounding as
 *           often) measures: ≤ 6.2e-16 from the exact trajectory on the stable blocks over 100
 *           steps, 2.1e-13 on the ρ 0.95, ε 1e-3 block by step 65 (it is turning unstable); 2.5e-13
 *           is allowed, so |published − exact| ≤ 7.5e-13 and |published − core| ≤ 7.5e-13.
 *
 * Which conventions each source uses, and which of its values our default reproduces, were settled
 * by 50-digit replays of each vector; the vectors kept here are those the default reproduces, and
 * the others are in test/parity.test.ts under the convention that reproduces them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Decimal } from 'decimal.js';
import {
  createOptimizer,
  getOptimizer,
  type Dtype,
  type Hyper,
  type OptimizerName,
  type OptimizerState,
  type Vec,
} from '../src/index.js';
import { D, fromDouble } from '../reference/decimal.js';
import { getReference, initRef, type RefState } from '../reference/index.js';
import { known, leaf, leaves, type Sc } from '../reference/scaled.js';
import { agreement, boundFor, kOf } from '../properties/accuracy.js';
import { trajectoryBound } from '../properties/laws/reference.js';

// ---------------------------------------------------------------------------------------------
// The harness: one published vector through the core and the reference.

/** The source harness's gradient: in float64 for the core (then stored in the dtype), exactly for the reference. */
interface Gradient {
  num(x: readonly number[], t: number): number[];
  dec(x: readonly Decimal[], t: number): Decimal[];
  /** True when the gradient does not depend on x (a fixed sequence): law B2's trajectory bound applies. */
  fixed: boolean;
}

/** f(x) = Σx²: ∇f = 2x (exact in float32 and float64 alike: a doubling). TF.js and optax tests. */
const SQUARES: Gradient = {
  num: (x) => x.map((v) => 2 * v),
  dec: (x) => x.map((v) => v.times(2)),
  fixed: false,
};

/**
 * The Lua harness's gradient, exactly as test/optim/test.py writes it:
 *   drosenbrock(x, y) = (−400·x·(y − x²) − 2·(1 − x),  200·x·(y − x²))
 * The second component is NOT the Rosenbrock function's derivative (that is 200·(y − x²)); the
 * published trajectories were computed with this field, so we use it verbatim (with the true
 * gradient they depart at step 2 by ~3e-6). float64, in the harness's order of operations.
 */
const LUA_ROSENBROCK: Gradient = {
  num: ([x, y]) => {
    const r = y! - x! * x!;
    return [-400 * x! * r - 2 * (1 - x!), 200 * x! * r];
  },
  dec: ([x, y]) => {
    const r = y!.minus(x!.times(x!));
    return [new D(-400).times(x!).times(r).minus(new D(1).minus(x!).times(2)), new D(200).times(x!).times(r)];
  },
  fixed: false,
};

/** Keras golden protocol: step 1 with g = 0.01 everywhere, then g = [0.1, 0.2, …, 1.0] (float32 values). */
const KERAS_GOLDEN: Gradient = {
  num: (x, t) => (t === 1 ? x.map(() => 0.01) : x.map((_, i) => (i + 1) / 10)),
  dec: () => {
    throw new Error('fixed gradient: the reference takes the stored float32 values');
  },
  fixed: true,
};

interface Vector {
  label: string;
  name: OptimizerName;
  hyper: Partial<Hyper>;
  dtype: Dtype;
  x0: number[];
  steps: number;
  grad: Gradient;
}

interface Trajectory {
  /** The core's params after step t (index t − 1). */
  core: number[][];
  /** The reference's exact params after step t, computed on its own from x0. */
  exact: Decimal[][];
  /** The reference's exact state after step t. */
  exactState: RefState[];
  /** Worst per-step K (reference from the core's own state), law B1's measure. */
  stepK: number;
  /** Fixed gradients only: worst K_t / t against the independent exact trajectory (law B2's measure). */
  trajK: number | undefined;
}

function store(dtype: Dtype, xs: readonly number[]): Vec {
  return dtype === 'float32' ? Float32Array.from(xs) : Float64Array.from(xs);
}

function run(v: Vector): Trajectory {
  const opt = createOptimizer(v.name, v.hyper);
  const entry = getOptimizer(v.name);
  const ref = getReference(v.name);
  const hyper = opt.hyper as never;
  const p = store(v.dtype, v.x0);
  const state: OptimizerState = opt.init(p.length, v.dtype);
  let xs: Sc[] = leaves(p);
  let rs = initRef(ref, p.length);
  const out: Trajectory = { core: [], exact: [], exactState: [], stepK: 0, trajK: v.grad.fixed ? 0 : undefined };
  const bound = boundFor(v.name, v.dtype);
  for (let t = 1; t <= v.steps; t++) {
    const g = store(v.dtype, v.grad.num([...p], t));
    // (3) one step of the core against the reference started from the core's own state.
    const before = p.slice();
    const buffers: Record<string, Sc[]> = {};
    for (const k of entry.buffers) buffers[k] = leaves(state.buffers[k]!);
    const fromCore = ref.step(hyper, leaves(p), leaves(g), { t: state.t, buffers });
    opt.step(p, g, state);
    const a = agreement(entry, v.dtype, { core: { params: p, state }, ref: fromCore, before });
    if (!(a.worstK <= bound)) throw new Error(`${v.label}, step ${t}: K = ${a.worstK} > ${bound}; ${a.worstAt}`);
    out.stepK = Math.max(out.stepK, a.worstK);
    out.core.push([...p]);
    // (1) the independent exact trajectory.
    const gd = v.grad.fixed
      ? leaves(g)
      : v.grad
          .dec(
            xs.map((s) => s.v),
            t,
          )
          .map(known);
    const r = ref.step(hyper, xs, gd, rs);
    xs = r.params;
    rs = r.state;
    out.exact.push(xs.map((s) => s.v));
    out.exactState.push(rs);
    if (v.grad.fixed) {
      const tb = trajectoryBound(v.name, v.dtype, t);
      const check = (what: string, got: Vec, want: readonly Sc[]): void => {
        for (let i = 0; i < got.length; i++) {
          const k = kOf(got[i]!, want[i]!, v.dtype);
          if (!(k <= tb))
            throw new Error(
              `${v.label}, step ${t}: ${what}[${i}] core ${got[i]} vs exact trajectory ${want[i]!.v.toSignificantDigits(20).toString()}: K = ${k} > ${tb}`,
            );
          out.trajK = Math.max(out.trajK!, k / t);
        }
      };
      check('params', p, xs);
      for (const k of entry.buffers) check(k, state.buffers[k]!, rs.buffers[k]!);
    }
  }
  return out;
}

/** |a − b| as a number, a and b exact. */
const dist = (a: Decimal, b: Decimal): number => a.minus(b).abs().toNumber();
/** A published decimal exactly as printed (the shortest string of the literal is its digits). */
const pub = (x: number): Decimal => new D(String(x));

interface Tol {
  atol: number;
  rtol: number;
}
const within = (got: Decimal, want: Decimal, tol: Tol): boolean =>
  dist(got, want) <= tol.atol + tol.rtol * want.abs().toNumber();

/** What each vector measured, for the issue's note (printed with OPTIMLAB_PUBLISHED_REPORT=1). */
const report: string[] = [];
afterAll(() => {
  if (process.env.OPTIMLAB_PUBLISHED_REPORT)
    console.log(
      [
        '| vector | steps | worst |published − exact| | worst |published − core| | worst |core − exact| | per-step K (bound) | trajectory K/t |',
        '|---|---|---|---|---|---|---|',
        ...report,
      ].join('\n'),
    );
});

/**
 * Runs a vector and asserts every published row: params after step `step` (and Σx² after it, for
 * the sources that publish the cost) within `tol` of both the exact trajectory and the core.
 */
function expectPublished(v: Vector, rows: { step: number; x?: number[]; cost?: number }[], tol: Tol): Trajectory {
  const tr = run(v);
  let wExact = 0;
  let wCore = 0;
  let wCoreExact = 0;
  for (const row of rows) {
    const exact = tr.exact[row.step - 1]!;
    const core = tr.core[row.step - 1]!;
    const pairs: [Decimal, Decimal, Decimal, string][] = [];
    if (row.x) row.x.forEach((w, i) => pairs.push([pub(w), exact[i]!, fromDouble(core[i]!), `x[${i}]`]));
    if (row.cost !== undefined) {
      const sq = (xs: readonly Decimal[]): Decimal => xs.reduce((s, x) => s.plus(x.times(x)), new D(0));
      pairs.push([pub(row.cost), sq(exact), sq(core.map(fromDouble)), 'Σx²']);
    }
    for (const [w, e, c, what] of pairs) {
      const at = `${v.label}, after step ${row.step}, ${what}: published ${w.toString()}`;
      expect(within(e, w, tol), `${at}, exact ${e.toSignificantDigits(15).toString()}`).toBe(true);
      expect(within(c, w, tol), `${at}, core ${c.toString()}`).toBe(true);
      wExact = Math.max(wExact, dist(e, w));
      wCore = Math.max(wCore, dist(c, w));
      wCoreExact = Math.max(wCoreExact, dist(c, e));
    }
  }
  const b = boundFor(v.name, v.dtype);
  report.push(
    `| ${v.label} | ${v.steps} | ${wExact.toExponential(2)} | ${wCore.toExponential(2)} | ${wCoreExact.toExponential(2)} | ${tr.stepK.toFixed(3)} (${b}) | ${tr.trajK === undefined ? '–' : tr.trajK.toFixed(3)} |`,
  );
  return tr;
}

// ---------------------------------------------------------------------------------------------
// TF.js (float32; tolerance: expectArraysClose's 1e-3 unless the test passes another).

const TFJS = 'tensorflow/tfjs tfjs-core/src/optimizers/';
const TFJS_TOL: Tol = { atol: 1e-3, rtol: 0 };

describe('TF.js *_optimizer_test.ts values reproduced by the default convention (float32)', () => {
  it(`sgd: ${TFJS}sgd_optimizer_test.ts (commit 401fdc6c63be97a6bc8221f445f0f76a36490019), 'basic' and 'Set and get weights: empty'`, () => {
    // θ ← θ − ηg (sgd_optimizer.ts: value + (−η)·g); x = 4, loss x², η = 0.1: 3.2, 2.56, then 2.048
    // after the weights transfer (the same trajectory continued).
    expectPublished(
      { label: 'TF.js sgd', name: 'sgd', hyper: { lr: 0.1 }, dtype: 'float32', x0: [4], steps: 3, grad: SQUARES },
      [
        { step: 1, x: [3.2], cost: 10.24 },
        { step: 2, x: [2.56] },
        { step: 3, x: [2.048] },
      ],
      TFJS_TOL,
    );
  });
  it(`momentum: ${TFJS}momentum_optimizer_test.ts (commit 0a5ee59a3cd158fef4af0230d6663efca0eda962), 'basic'`, () => {
    // TF.js keeps a_t = μa_{t−1} + g_t, θ ← θ − η·a_t (momentum_optimizer.ts, commit
    // 08578a751f0cb29307331fdf69ee15c52ab02c7d); with a constant η, v = η·a is our
    // v_t = γv_{t−1} + ηg_t exactly (law D3). η = 0.1, γ = 0.5, x0 = [1, 2].
    expectPublished(
      {
        label: 'TF.js momentum',
        name: 'momentum',
        hyper: { lr: 0.1, momentum: 0.5 },
        dtype: 'float32',
        x0: [1, 2],
        steps: 2,
        grad: SQUARES,
      },
      [
        { step: 1, x: [0.8, 1.6] },
        { step: 2, x: [0.54, 1.08] },
      ],
      TFJS_TOL,
    );
  });
  it(`nesterov: ${TFJS}momentum_optimizer_test.ts, 'basic - with Nesterov' and 'Save, load weights and conntinue training' (sic)`, () => {
    // TF.js: θ ← θ − η(g_t + μa_t). The parameter TF.js holds IS our stored look-ahead point φ
    // (φ_t = φ_{t−1} − γv_t − ηg_t with v = η·a), so the published x is compared with our φ.
    // The cost 2.45 is Σx² at x after step 1 (minimize returns the cost before step 2).
    expectPublished(
      {
        label: 'TF.js nesterov (φ)',
        name: 'nesterov',
        hyper: { lr: 0.1, momentum: 0.5 },
        dtype: 'float32',
        x0: [1, 2],
        steps: 2,
        grad: SQUARES,
      },
      [
        { step: 1, x: [0.7, 1.4], cost: 2.45 },
        { step: 2, x: [0.44, 0.88] },
      ],
      TFJS_TOL,
    );
  });
  it(`adam: ${TFJS}adam_optimizer_test.ts (commit 1c698d541fba9330dbca5852abf702229132571b), 'basic' and 'Continue training after loading weights'`, () => {
    // adam_optimizer.ts (same commit): Kingma & Ba Algorithm 1, ε OUTSIDE √v̂ — our default rule.
    // ε = 1e-7 as the TF.js code uses (EPSILON_FLOAT32; the test's comment says 1e-8). η = 0.1,
    // β1 = 0.8, β2 = 0.9, x0 = [2, 4]. Step 2's published [1.8000001, 3.8002] is off (table below).
    // Costs: 18.82 before step 2 (Σx² after step 1), 17.681284 before step 3 (after step 2).
    expectPublished(
      {
        label: 'TF.js adam',
        name: 'adam',
        hyper: { lr: 0.1, beta1: 0.8, beta2: 0.9, eps: 1e-7 },
        dtype: 'float32',
        x0: [2, 4],
        steps: 2,
        grad: SQUARES,
      },
      [
        { step: 1, x: [1.9, 3.9], cost: 18.82 },
        { step: 2, x: [1.8000001, 3.8002], cost: 17.681284 },
      ],
      TFJS_TOL,
    );
  });
  it(`rmsprop, step 1 only: ${TFJS}rmsprop_optimizer_test.ts (commit 1521ad915f0a94c3205f92e7830e872c17645638), 'basic' and 'Save and load weights: centered = false'`, () => {
    // The buffers start at 0, so TF.js's first step (ρ = 0.95, η = 0.1, ε = 1e-7 inside the root,
    // momentum 0.1 acting on a zero buffer) is our rmsprop's. Its later steps need the momentum
    // buffer (issue 8).
    expectPublished(
      {
        label: 'TF.js rmsprop step 1',
        name: 'rmsprop',
        hyper: { lr: 0.1, rho: 0.95, eps: 1e-7 },
        dtype: 'float32',
        x0: [1, 2],
        steps: 1,
        grad: SQUARES,
      },
      [
        { step: 1, x: [0.55279, 1.55279] },
        { step: 1, x: [0.5527865, 1.5527864] },
      ],
      TFJS_TOL,
    );
  });
  it(`adamax, step 1 only: ${TFJS}adamax_optimizer_test.ts, 'basic'`, () => {
    // adamax_optimizer.ts (commit 136296375cb4b65a8279a8f09d0670200a5d6cc0) decays the rate by
    // 1/(1 + decay·(t − 1)), which is 1 at t = 1: step 1 is our adamax with ε = 1e-7 in u + ε
    // (η = 0.1, β1 = 0.8, β2 = 0.9). Step 2 needs the decay (issue 8).
    expectPublished(
      {
        label: 'TF.js adamax step 1',
        name: 'adamax',
        hyper: { lr: 0.1, beta1: 0.8, beta2: 0.9, eps: 1e-7 },
        dtype: 'float32',
        x0: [2, 4],
        steps: 1,
        grad: SQUARES,
      },
      [{ step: 1, x: [1.9, 3.9] }],
      TFJS_TOL,
    );
  });
});

/**
 * Published values that are themselves off, beside the exact value (50-digit reference trajectory;
 * the same digits as the notes' independent mpmath replay) and the reason. We test against the
 * exact value; the published one passes only within the source's loose tolerance.
 *
 * | source | published | exact | source tolerance | reason |
 * |---|---|---|---|---|
 * | TF.js adam_optimizer_test.ts 'basic', step 2 | [1.8000001, 3.8002] | [1.80018296, 3.80008207] | 1e-3 | hand computation in the test's comments; off by 1.8e-4 / 1.2e-4 |
 * | lua.out adadelta {rho 0.95, eps 1e-3}, steps ≥ 70 (step 100 shown) | [1.176462543036, 1.755848112526] | [1.278862074569, 1.636271756001] | diff (exact text) | the iteration turns unstable (it oscillates from step ~85) and amplifies float64 rounding ~1e12-fold: the printed values are the float64 iteration's, which leaves the exact one at step ~70 (1e-11 there, 4e-7 at 80, 0.1 at 100) |
 */
describe('published values that are off: exact value beside them', () => {
  it(`TF.js adam step 2 (${TFJS}adam_optimizer_test.ts): [1.8000001, 3.8002] vs exact [1.80018296, 3.80008207]`, () => {
    const v: Vector = {
      label: 'TF.js adam',
      name: 'adam',
      hyper: { lr: 0.1, beta1: 0.8, beta2: 0.9, eps: 1e-7 },
      dtype: 'float32',
      x0: [2, 4],
      steps: 2,
      grad: SQUARES,
    };
    const tr = run(v);
    const published = [1.8000001, 3.8002];
    const exact = [1.80018296, 3.80008207]; // the notes' mpmath replay, 9 significant digits
    published.forEach((p, i) => {
      const e = tr.exact[1]![i]!;
      // The reference gives the table's digits (half a unit of the 9th digit).
      expect(dist(e, pub(exact[i]!))).toBeLessThanOrEqual(5e-9);
      // The published value is off by more than 1e-4 and passes only because TF.js allows 1e-3.
      expect(dist(e, pub(p))).toBeGreaterThan(1e-4);
      expect(dist(e, pub(p))).toBeLessThanOrEqual(1e-3);
      // The core (float32) is within a few float32 roundings of the exact value: each of the 2
      // steps rounds θ once (≤ 2^-24·|θ|) and the step is contracting, so ≤ 2·2^-24·|θ|, measured
      // well inside 4·2^-24·|θ|.
      expect(dist(fromDouble(tr.core[1]![i]!), e)).toBeLessThanOrEqual(4 * 2 ** -24 * Math.abs(e.toNumber()));
    });
  });
  it('lua.out adadelta {rho 0.95, eps 1e-3}, step 100: float64 rounding, amplified, beside the exact value', () => {
    const tr = run({
      label: 'lua adadelta ρ .95 ε 1e-3',
      name: 'adadelta',
      hyper: { rho: 0.95, eps: 1e-3 },
      dtype: 'float64',
      x0: [1.5, 1.5],
      steps: 100,
      grad: LUA_ROSENBROCK,
    });
    const published = [1.176462543036, 1.755848112526];
    const exact = [1.278862074569, 1.636271756001]; // the notes' mpmath replay, 12 decimals
    published.forEach((p, i) => {
      const e = tr.exact[99]![i]!;
      expect(dist(e, pub(exact[i]!))).toBeLessThanOrEqual(5e-13);
      expect(dist(e, pub(p))).toBeGreaterThan(0.05);
    });
    // The core agrees with the reference at every one of the 100 steps (run() asserts K ≤ bound
    // from the core's own state). Its float64 trajectory is not compared with either figure after
    // step 65: it is one float64 evaluation order's trajectory, as the published one is. (Measured:
    // it reproduces the published rows to every printed digit through step 100, which says the
    // two evaluate the same correctly rounded operations; a harmless reordering of the kernel
    // would change that, so it is not asserted.) Steps ≤ 65 are asserted below.
  });
});

// ---------------------------------------------------------------------------------------------
// Keras 3 (float32; golden tolerance rtol = atol = 5e-4; single step rtol = atol = 1e-4).

const KERAS = 'keras-team/keras keras/src/optimizers/';
const GOLDEN_TOL: Tol = { atol: 5e-4, rtol: 5e-4 };
const SINGLE_TOL: Tol = { atol: 1e-4, rtol: 1e-4 };

/** golden[i] is checked after 1 + i steps; the 5th arange step is applied but never checked, so not run. */
function golden(label: string, name: OptimizerName, hyper: Partial<Hyper>, rows: number[][]): Trajectory {
  const v: Vector = {
    label,
    name,
    hyper,
    dtype: 'float32',
    x0: Array(10).fill(1),
    steps: rows.length,
    grad: KERAS_GOLDEN,
  };
  return expectPublished(
    v,
    rows.map((r, i) => ({ step: i + 1, x: r.length === 1 ? Array(10).fill(r[0]) : r })),
    GOLDEN_TOL,
  );
}

/** test_single_step: vars [1, 2, 3, 4], grads [1, 6, 7, 2], one step. */
function single(label: string, name: OptimizerName, hyper: Partial<Hyper>, want: number[]): void {
  const g = [1, 6, 7, 2];
  expectPublished(
    {
      label,
      name,
      hyper,
      dtype: 'float32',
      x0: [1, 2, 3, 4],
      steps: 1,
      grad: { num: () => g, dec: () => [], fixed: true },
    },
    [{ step: 1, x: want }],
    SINGLE_TOL,
  );
}

describe('Keras 3 golden, single-step and weight-decay values reproduced by the default convention (float32)', () => {
  it(`SGD: ${KERAS}sgd_test.py (commit 51d7e77046f5b562fbde669068a29b4b33e1f745)`, () => {
    // The golden is SGD(nesterov=True) with Keras's default momentum 0.0: plain θ ← θ − ηg, η = 0.01
    // (sgd.py, commit 1937d487b0ee4cf265051c7bd0524f2fd1a2cb51). It does not exercise momentum.
    golden('Keras SGD golden', 'sgd', { lr: 0.01 }, [
      [0.9999],
      [0.9989, 0.9979, 0.9969, 0.9959, 0.9949, 0.9939, 0.9929, 0.9919, 0.9909, 0.9899],
      [0.9979, 0.9959, 0.9939, 0.9919, 0.9899, 0.9879, 0.9859, 0.9839, 0.9819, 0.9799],
      [0.9969, 0.9939, 0.9909, 0.9879, 0.9849, 0.9819, 0.9789, 0.9759, 0.9729, 0.9699],
      [0.9959, 0.9919, 0.9879, 0.9839, 0.9799, 0.9759, 0.9719, 0.9679, 0.9639, 0.9599],
    ]);
    single('Keras SGD single step', 'sgd', { lr: 0.5 }, [0.5, -1.0, -0.5, 3.0]);
  });

  it(`Adam(amsgrad=True) golden: ${KERAS}adam_test.py (commit 0a54048b9961097d2628727e564708f9f4264b39) — by our plain adam, because the max never acts`, () => {
    // Keras's AMSGrad (adam.py, commit 13de96aef1a446c21f545eb929a194ac06b343fd) takes
    // v̂ = max(v̂, v) of the RAW v. Here every coordinate's gradient sequence (0.01, then a
    // constant g ≥ 0.1) is non-decreasing in |g|, so v_t = β2 v_{t−1} + (1 − β2) g_t² ≥ v_{t−1}
    // (v_{t−1} is an average of squares ≤ g_t²): the max always picks v_t and AMSGrad IS Adam on
    // this input. Asserted below from the reference's exact v. Keras's ε̂ = 1e-7 sits beside √v
    // (ε-hat form), ours ε = 1e-8 beside √v̂: both move Δ by less than 3.2e-4 relative at step 1
    // (√v̂ = 0.01) and less after; invisible at 5e-4 (the notes' replay: max error 1.33e-4, the
    // golden's 4-digit rounding). optimlab's own amsgrad (Ruder's form, no bias correction) does
    // not reproduce it (step 1 gives 0.99684): that needs a convention, issue 8.
    const tr = golden('Keras Adam(amsgrad=True) golden by adam', 'adam', {}, [
      [0.999],
      [0.9982],
      [0.9974],
      [0.9965],
      [0.9955],
    ]);
    let prev = tr.exactState[0]!.buffers.v!.map((s) => s.v);
    for (const s of tr.exactState.slice(1)) {
      const v = s.buffers.v!.map((x) => x.v);
      v.forEach((x, i) => expect(x.gte(prev[i]!), 'v_t ≥ v_{t−1}: the AMSGrad max never acts').toBe(true));
      prev = v;
    }
    const ams = createOptimizer('amsgrad');
    const x = new Float32Array(10).fill(1);
    ams.step(x, new Float32Array(10).fill(0.01), ams.init(10, 'float32'));
    expect(Math.abs(x[0]! - 0.999)).toBeGreaterThan(5e-4 + 5e-4 * 0.999);
    // test_single_step (lr 0.5): the first step is −η·sign(g)·|g|/(|g| + ε'), law E3.
    single('Keras Adam single step', 'adam', { lr: 0.5 }, [0.5, 1.5, 2.5, 3.5]);
  });

  it(`AdamW single step: ${KERAS}adamw_test.py (commit 1b78dea651c5004e162f9c660d65de1cf1b3b8cf), by adam + decoupledWeightDecay`, () => {
    // Keras AdamW: θ ← θ − ηλθ (base optimizer, decoupled, before the step) then the Adam step;
    // default weight_decay 0.004, lr 0.5. On a first step the ε-hat placement is invisible (|g| ≥ 1),
    // so our adam with decoupledWeightDecay 0.004 reproduces it. (The AdamW golden uses ε = 2 and
    // does discriminate the placement: issue 8.)
    single('Keras AdamW single step', 'adam', { lr: 0.5, decoupledWeightDecay: 0.004 }, [0.498, 1.496, 2.494, 3.492]);
  });

  it(`Adadelta: ${KERAS}adadelta_test.py (commit 1937d487b0ee4cf265051c7bd0524f2fd1a2cb51)`, () => {
    // adadelta.py (commit 13de96aef1a446c21f545eb929a194ac06b343fd): Zeiler's rule with the
    // CURRENT E[g²] (our default), times the learning rate; E[Δθ²] accumulates the unscaled Δθ, as
    // ours. Golden: Adadelta(learning_rate=1.0, rho=0.8, epsilon=1e-6).
    golden('Keras Adadelta golden', 'adadelta', { lr: 1, rho: 0.8, eps: 1e-6 }, [
      [0.9978],
      [0.9947],
      [0.9915],
      [0.9882],
      [0.9849],
    ]);
    // test_single_step: Keras defaults rho 0.95, epsilon 1e-7, with learning_rate 0.5 (a
    // hyperparameter, not a convention: our adadelta's lr scales the applied step the same way).
    single(
      'Keras Adadelta single step',
      'adadelta',
      { lr: 0.5, rho: 0.95, eps: 1e-7 },
      [0.9993, 1.9993, 2.9993, 3.9993],
    );
  });

  it(`Adamax: ${KERAS}adamax_test.py (commit 51d7e77046f5b562fbde669068a29b4b33e1f745)`, () => {
    // adamax.py (commit 2e4420340816b990245fea9f32704a6e7e9067e2): u = max(β2u, |g|),
    // θ ← θ − η m / ((1 − β1^t)(u + ε)) — our default with ε in the denominator. Golden:
    // Adamax(learning_rate=0.2, beta_1=0.85, beta_2=0.95, epsilon=1e-6).
    golden('Keras Adamax golden', 'adamax', { lr: 0.2, beta1: 0.85, beta2: 0.95, eps: 1e-6 }, [
      [0.8],
      [0.6827, 0.6873, 0.6888, 0.6896, 0.6901, 0.6904, 0.6906, 0.6908, 0.6909, 0.691],
      [0.5333, 0.5407, 0.5431, 0.5444, 0.5451, 0.5456, 0.546, 0.5462, 0.5464, 0.5466],
      [0.368, 0.3773, 0.3804, 0.382, 0.3829, 0.3835, 0.384, 0.3843, 0.3846, 0.3848],
      [0.1933, 0.204, 0.2076, 0.2094, 0.2105, 0.2112, 0.2117, 0.2121, 0.2124, 0.2126],
    ]);
    single('Keras Adamax single step', 'adamax', { lr: 0.5, eps: 1e-7 }, [0.5, 1.5, 2.5, 3.5]);
  });

  it(`RMSprop single step and docstring example: ${KERAS}rmsprop_test.py (commit 3324ca6d3d02bed5435fb1d38bfa6262ddad81a8), rmsprop.py (commit 13de96aef1a446c21f545eb929a194ac06b343fd)`, () => {
    // Uncentred, no momentum: E = ρE + (1 − ρ)g², θ ← θ − ηg/√(E + ε), ε inside — our default.
    // Keras defaults rho 0.9, epsilon 1e-7; lr 0.5.
    single('Keras RMSprop single step', 'rmsprop', { lr: 0.5, rho: 0.9, eps: 1e-7 }, [-0.5811, 0.4189, 1.4189, 2.4189]);
    // Docstring example: RMSprop(learning_rate=0.1), var1 = 10.0, loss = var1²/2 (gradient var1),
    // one minimize → 9.683772 (printed float32: 7 significant digits, half a unit = 5e-7).
    const tr = expectPublished(
      {
        label: 'Keras RMSprop docstring',
        name: 'rmsprop',
        hyper: { lr: 0.1, rho: 0.9, eps: 1e-7 },
        dtype: 'float32',
        x0: [10],
        steps: 1,
        grad: { num: (x) => [...x], dec: (x) => [...x], fixed: false },
      },
      [{ step: 1, x: [9.683772] }],
      { atol: 5e-7, rtol: 0 },
    );
    expect(tr.core[0]![0]).toBe(Math.fround(9.683772)); // the printed float32 is the core's float32
  });

  it(`weight decay is decoupled: test_weight_decay of ${KERAS}{sgd,adam,adagrad,adadelta,adamax,rmsprop,nadam}_test.py → 1.9760959 = 2·(1 − 0.004)³`, () => {
    // Keras (base_optimizer.py _apply_weight_decay): θ ← θ − θ·λ·η, decoupled, before the step.
    // The test: var1 = 2.0, zero gradients, learning_rate 1.0, weight_decay 0.004, stepped once by
    // each of three fresh optimizers. A zero gradient from fresh state moves nothing (law G4), so
    // each step is θ ← (1 − ηλ)θ: our decoupledWeightDecay. assertAlmostEqual(decimal = 6).
    const published = pub(1.9760959);
    const exact = new D(2).times(new D(1).minus(fromDouble(0.004)).pow(3));
    const names: OptimizerName[] = ['sgd', 'adam', 'adagrad', 'adadelta', 'adamax', 'rmsprop', 'nadam'];
    let worstK = 0;
    for (const name of names) {
      const entry = getOptimizer(name);
      const ref = getReference(name);
      const x = Float32Array.from([2]);
      let xr: Sc[] = [leaf(2)];
      for (let i = 0; i < 3; i++) {
        const opt = createOptimizer(name, { lr: 1, decoupledWeightDecay: 0.004 });
        const state = opt.init(1, 'float32');
        const zero = new Float32Array(1);
        const before = x.slice();
        const fromCore = ref.step(opt.hyper as never, leaves(x), leaves(zero), initRef(ref, 1));
        opt.step(x, zero, state);
        const a = agreement(entry, 'float32', { core: { params: x, state }, ref: fromCore, before });
        expect(a.worstK, `${name}: ${a.worstAt}`).toBeLessThanOrEqual(boundFor(name, 'float32'));
        worstK = Math.max(worstK, a.worstK);
        xr = ref.step(opt.hyper as never, xr, [leaf(0)], initRef(ref, 1)).params;
      }
      expect(dist(xr[0]!.v, exact), `${name}: reference`).toBeLessThanOrEqual(1e-40);
      expect(dist(xr[0]!.v, published), `${name}: exact vs published`).toBeLessThan(5e-7);
      expect(dist(fromDouble(x[0]!), published), `${name}: core vs published`).toBeLessThan(5e-7);
    }
    report.push(
      `| Keras weight decay ×7 optimizers | 3 | ${dist(exact, published).toExponential(2)} | (float32) | – | ${worstK.toFixed(3)} (${boundFor('sgd', 'float32')}) | – |`,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// optax docstring examples (float32; 3 significant digits as printed).

describe('optax alias.py docstring examples reproduced by the default convention (float32, 3 digits)', () => {
  const OPTAX = 'google-deepmind/optax optax/_src/alias.py';
  const fmt = (x: Decimal): string => {
    const [m, e] = x.toExponential(2).split('e');
    const n = Number(e);
    return `${m}E${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  };
  const cases: [string, OptimizerName, Partial<Hyper>, string[], string][] = [
    [
      'optax.sgd(learning_rate=0.003)',
      'sgd',
      { lr: 0.003 },
      ['1.38E+01', '1.37E+01', '1.35E+01', '1.33E+01', '1.32E+01'],
      'θ ← θ − ηg',
    ],
    [
      'optax.rmsprop(learning_rate=0.003)',
      'rmsprop',
      { lr: 0.003, rho: 0.9, eps: 1e-8 },
      ['1.39E+01', '1.38E+01', '1.37E+01', '1.37E+01', '1.36E+01'],
      'decay 0.9, eps 1e-8 inside the root (eps_in_sqrt=True), no momentum',
    ],
    [
      'optax.adadelta(learning_rate=10.)',
      'adadelta',
      { lr: 10, rho: 0.9, eps: 1e-6 },
      ['1.36E+01', '1.32E+01', '1.29E+01', '1.25E+01', '1.21E+01'],
      'Zeiler with the current E[g²], rho 0.9, eps 1e-6, the unscaled Δθ accumulated, then ×η: our lr',
    ],
    [
      'optax.adam(learning_rate=0.003)',
      'adam',
      { lr: 0.003 },
      ['1.40E+01', '1.39E+01', '1.39E+01', '1.39E+01', '1.38E+01'],
      'Algorithm 1, eps 1e-8 outside, eps_root 0',
    ],
    [
      'optax.adamw(learning_rate=0.003)',
      'adam',
      { lr: 0.003, decoupledWeightDecay: 1e-4 },
      ['1.40E+01', '1.39E+01', '1.39E+01', '1.39E+01', '1.38E+01'],
      'u = −η(m̂/(√v̂ + ε) + λθ), λ = 1e-4: decoupled',
    ],
    [
      'optax.adamax(learning_rate=0.003)',
      'adamax',
      { lr: 0.003 },
      ['1.40E+01', '1.39E+01', '1.39E+01', '1.39E+01', '1.38E+01'],
      'eps 1e-8 inside the max: invisible at 3 digits (|g| ≥ 2)',
    ],
  ];
  for (const [api, name, hyper, printed, why] of cases) {
    it(`${api}: ${OPTAX} (${why})`, () => {
      const v: Vector = { label: api, name, hyper, dtype: 'float32', x0: [1, 2, 3], steps: 5, grad: SQUARES };
      const tr = run(v);
      let w = 0;
      printed.forEach((s, i) => {
        const fe = tr.exact[i]!.reduce((a, x) => a.plus(x.times(x)), new D(0));
        const fc = tr.core[i]!.reduce((a, x) => a.plus(fromDouble(x).pow(2)), new D(0));
        expect(fmt(fe), `${api} step ${i + 1}: exact f = ${fe.toSignificantDigits(10).toString()}`).toBe(s);
        expect(fmt(fc), `${api} step ${i + 1}: core f`).toBe(s);
        w = Math.max(w, dist(fe, new D(s)));
      });
      report.push(
        `| ${api} (Σx²) | 5 | ${w.toExponential(2)} (3 digits) | same string | – | ${tr.stepK.toFixed(3)} (${boundFor(name, 'float32')}) | – |`,
      );
    });
  }
});

// ---------------------------------------------------------------------------------------------
// PyTorch's legacy harness test/optim/lua.out (float64, 12 printed decimals).

const LUA = 'pytorch/pytorch test/optim/lua.out (commit 3d80b1371aadfb7c7660fa8881163f2f3c6e5a13)';
/** 5e-13 (half a unit of the 12th printed decimal) + 2.5e-13 (the publisher's float64 drift; see the header). */
const LUA_TOL: Tol = { atol: 7.5e-13, rtol: 0 };

/** Rows of a lua.out block: [step, x, y], copied as printed. */
type LuaRows = [number, number, number][];

function lua(label: string, name: OptimizerName, hyper: Partial<Hyper>, steps: number, rows: LuaRows): void {
  expectPublished(
    { label, name, hyper, dtype: 'float64', x0: [1.5, 1.5], steps, grad: LUA_ROSENBROCK },
    rows.map(([step, x, y]) => ({ step, x: [x, y] })),
    LUA_TOL,
  );
}

describe(`${LUA}: adadelta and adagrad trajectories, every printed digit (float64, harness gradient verbatim)`, () => {
  it('adadelta {} (torch.legacy.optim.adadelta: rho 0.9, eps 1e-6, no learning rate = our default, lr 1)', () => {
    lua('lua adadelta {}', 'adadelta', {}, 100, [
      [1, 1.49683772234, 1.50316227766],
      [2, 1.493622773006, 1.506377182755],
      [3, 1.490392498649, 1.50960735066],
      [4, 1.48716565842, 1.512834012463],
      [5, 1.483953392339, 1.516046022142],
      [10, 1.468299819456, 1.531697043453],
      [20, 1.439715168299, 1.560269996068],
      [30, 1.414867075676, 1.585097889141],
      [40, 1.393353372439, 1.606583420853],
      [50, 1.374698559233, 1.625202333363],
      [75, 1.338179481352, 1.661593068064],
      [100, 1.314135937533, 1.685403840107],
    ]);
  });
  it('adadelta {"rho": 0.95}', () => {
    lua('lua adadelta {rho .95}', 'adadelta', { rho: 0.95 }, 100, [
      [1, 1.495527864045, 1.504472135954],
      [2, 1.491058886137, 1.508941023169],
      [3, 1.48663305501, 1.513366638826],
      [4, 1.482269791581, 1.51772954524],
      [5, 1.477979891005, 1.522018938282],
      [10, 1.457778841479, 1.542215098797],
      [20, 1.423667625277, 1.576305337413],
      [50, 1.358951850076, 1.640891108361],
      [75, 1.330649496574, 1.669029703125],
      [100, 1.314578204226, 1.684880891848],
    ]);
  });
  it('adadelta {"rho": 0.95, "eps": 1e-3}, steps 1–65 (from ~70 on the published values are float64 rounding: see the table above)', () => {
    lua('lua adadelta {rho .95, eps 1e-3}', 'adadelta', { rho: 0.95, eps: 1e-3 }, 65, [
      [1, 1.358578650716, 1.641421328302],
      [2, 1.30930286826, 1.69050218279],
      [3, 1.303288611448, 1.696244836115],
      [4, 1.302442810355, 1.696809103655],
      [5, 1.302268310709, 1.696697684232],
      [10, 1.301843442603, 1.695633611822],
      [20, 1.300917894177, 1.693222476226],
      [50, 1.296793305281, 1.68249840324],
      [60, 1.294688187711, 1.677038135526],
      [65, 1.293434748768, 1.673791163616],
    ]);
  });
  it('adadelta {"weightDecay": 0.2} (legacy: dfdx += 0.2·x before any statistic = our coupled weightDecay)', () => {
    lua('lua adadelta {weightDecay .2}', 'adadelta', { weightDecay: 0.2 }, 100, [
      [1, 1.49683772234, 1.50316227766],
      [2, 1.493622755335, 1.506377138288],
      [3, 1.490392438457, 1.509607198948],
      [4, 1.487165526978, 1.512833680571],
      [5, 1.48395315855, 1.516045430717],
      [10, 1.468298568804, 1.531693848928],
      [20, 1.439709269173, 1.560254662128],
      [50, 1.374658992654, 1.62509636049],
      [75, 1.338087276202, 1.661345067659],
      [100, 1.313945121641, 1.684894175873],
    ]);
  });
  it('adagrad {} (torch.legacy.optim.adagrad: learningRate 1e-3, accumulator from 0; ε placement invisible here)', () => {
    // Legacy: θ ← θ − η g / (√G + 1e-10); ours: θ ← θ − η g / √(G + ε), our default ε = 1e-8.
    // With G ≥ g_1² ≈ 2.5e4 (|g_1| = 225 and 451 at (1.5, 1.5)) and Δθ ≤ 1e-3 per step, either
    // ε moves a step by < 1e-3·(1e-8/(2·2.5e4) + 1e-10/158) < 1e-15: below the printed 1e-12.
    lua('lua adagrad {}', 'adagrad', { lr: 1e-3 }, 100, [
      [1, 1.499, 1.501],
      [2, 1.49829501921, 1.50170497763],
      [3, 1.497720463228, 1.502279529449],
      [4, 1.497223581462, 1.50277640656],
      [5, 1.496779676834, 1.503220306239],
      [10, 1.495008223413, 1.504991732808],
      [20, 1.492472047754, 1.50752785077],
      [50, 1.487433704887, 1.512566010862],
      [75, 1.484369072952, 1.515630485202],
      [100, 1.481798994647, 1.518200402711],
    ]);
  });
});

/*
 * Needs a convention (issue 8) — published cases our default does NOT reproduce; test/parity.test.ts
 * covers them through the framework profiles, so they are not repeated here:
 *   - TF.js adagrad_optimizer_test.ts: initial accumulator 0.1 (and ε = 1e-7). Its step-2 value
 *     1.83015597828 is off (exact 1.831543018; the comment used the gradient 3.9501555214).
 *   - TF.js adadelta_optimizer_test.ts: divides by the previous E[g²] and multiplies by η
 *     (gradAverage 'previous').
 *   - TF.js rmsprop_optimizer_test.ts steps ≥ 2: momentum 0.1 with η inside the buffer; 'centered'
 *     tests. Its 1.222943 is a typo (exact 1.2294268).
 *   - TF.js adamax_optimizer_test.ts step 2: learning-rate decay 0.1. Its 3.8086 is off (exact
 *     3.80805491).
 *   - Keras adagrad_test.py golden and single step: initial accumulator 0.3 / 0.1.
 *   - Keras rmsprop_test.py golden: RMSprop(centered=True).
 *   - Keras nadam_test.py golden and single step: the μ_t = β1(1 − ½·0.96^t) schedule.
 *   - Keras adamw_test.py golden: ε-hat placement (ε = 2 makes it visible).
 *   - Keras Adam(amsgrad=True) through optimlab's amsgrad: Keras's AMSGrad form (max of raw v,
 *     bias-corrected); reproduced above by plain adam only because the max never acts.
 *   - optax adagrad (initial accumulator 0.1, ε 1e-7), nadam (1 − β1^(t+1) in the first term),
 *     amsgrad (max of the bias-corrected v̂).
 *   - lua.out adam blocks: digit-exact only with the ε-hat placement (ours differs by 2e-11 at step
 *     100); lua.out rmsprop (state initialised to 1), sgd (dampening = momentum by default).
 */
