/**
 * D: momentum recurrence identities (docs/laws.md, D), for every optimizer with a
 * heavy-ball velocity (traits.velocity) and every optimizer that is plain GD under some setting
 * (traits.gradientDescentWhen).
 *
 * Comparisons between two ways of computing the same thing are judged against the sum of two
 * error bounds: a running error bound of the law's own computation (framework Tracker, which
 * charges one unit roundoff u per operation) and an a-priori bound of the core's, derived next to
 * each law from its stated rule. Both are first order in u; the factor 1.01 on their sum covers the
 * second-order terms (≤ 60 operations per value, so those are below 60·u ≈ 4e-6 relative even in
 * float32).
 */
import fc from 'fast-check';
import type { OptimizerEntry } from '../../src/optimizers/define.js';
import { registry } from '../../src/optimizers/registry.js';
import type { Dtype, Hyper, Vec } from '../../src/optimizers/types.js';
import { CTOR, hyperArb, logUniform, uniform, vec, type MagnitudeRange } from '../arbitraries.js';
import { must, mustBeSameBits, show, Tracker, unitRoundoff, selects, type Bounded, type Law } from '../framework.js';
import { PLAIN, plainFor } from './internal.js';

const hasVelocity =
  (form?: 'heavyBall' | 'storedLookAhead') =>
  (e: OptimizerEntry): boolean =>
    e.traits.velocity !== undefined && (form === undefined || e.traits.velocity.form === form);

const SLACK = 1.01;

/** Gradients: 1e-6 … 1e3, both signs, 10% zeros (REALISTIC), T steps of n coordinates. */
function gradients(dtype: Dtype, n: number, maxT: number): fc.Arbitrary<Vec[]> {
  return fc.array(vec(dtype, n), { minLength: 1, maxLength: maxT });
}

/**
 * A-priori bound on the core's velocity error: v_t = γ v_{t−1} + η g_t is three roundings
 * (η·g, γ·v, the sum), each ≤ u·(γ|v_{t−1}| + η|g_t|), and earlier errors shrink by γ:
 * e_t = γ e_{t−1} + 3u(γ|v_{t−1}| + η|g_t|) (+ underflow). (Float32: the core computes in double and rounds
 * once when it stores, ≤ u32|v_t| + 3u64(...) — inside the same bound.)
 */
function velocityBound(e: number, u: number, mom: number, vPrev: number, lr: number, g: number): number {
  // + 3 × the absolute underflow error of a rounding below the normal range (framework.underflowUnit).
  const tiny = u === 2 ** -24 ? 2 ** -150 : 2 ** -1075;
  return mom * e + 3 * u * (mom * Math.abs(vPrev) + lr * Math.abs(g)) + 3 * tiny;
}

/** D1: v_t = η Σ_i γ^(t−i) g_i. */
export const D1: Law = {
  id: 'D1',
  title: 'the velocity buffer is v_t = η Σ_i γ^(t−i) g_i (traits.velocity)',
  tolerance:
    "the law's running error bound (one u per operation) plus the core's a-priori bound (3 roundings a step, earlier errors shrinking by γ), ×1.01 for second-order terms",
  appliesTo: selects('traits.velocity', hasVelocity()),
  runs: 150,
  property: (entry, dtype) =>
    fc.property(
      fc
        .integer({ min: 1, max: 6 })
        .chain((n) => fc.record({ hyper: hyperArb(entry, PLAIN), gs: gradients(dtype, n, 12) })),
      ({ hyper, gs }) => {
        const buf = entry.traits.velocity!.buffer;
        const lr = hyper.lr as number;
        const mom = hyper.momentum as number;
        const u = unitRoundoff(dtype);
        const n = gs[0]!.length;
        const opt = entry.create(hyper);
        const state = opt.init(n, dtype);
        const p = new CTOR[dtype](n);
        const err = new Array<number>(n).fill(0);
        const tr = new Tracker('float64');
        for (let t = 1; t <= gs.length; t++) {
          const vPrev = state.buffers[buf]!.slice();
          opt.step(p, gs[t - 1]!, state);
          const v = state.buffers[buf]!;
          for (let i = 0; i < n; i++) {
            err[i] = velocityBound(err[i]!, u, mom, vPrev[i]!, lr, gs[t - 1]![i]!);
            // The sum, independently: γ^k by repeated multiplication, then η·Σ γ^(t−j) g_j.
            let sum: Bounded = tr.exact(0);
            let pw: Bounded = tr.exact(1);
            for (let j = t; j >= 1; j--) {
              sum = tr.add(sum, tr.mul(pw, tr.exact(gs[j - 1]![i]!)));
              pw = tr.mul(pw, tr.exact(mom));
            }
            const want = tr.mul(tr.exact(lr), sum);
            const tol = SLACK * (err[i]! + want.e);
            must(
              Math.abs(v[i]! - want.x) <= tol,
              () =>
                `t = ${t}, coordinate ${i}: ${buf} = ${v[i]}, η Σ γ^(t−i) g_i = ${want.x}; |difference| = ${Math.abs(v[i]! - want.x)} > bound ${tol} (${(tol / u / Math.max(Math.abs(want.x), Number.MIN_VALUE)).toPrecision(3)} u relative)`,
            );
          }
        }
        return true;
      },
    ),
};

/** D2: constant gradient: v_t = ηg(1 − γ^t)/(1 − γ). */
export const D2: Law = {
  id: 'D2',
  title: 'with a constant gradient g the velocity is v_t = ηg(1 − γ^t)/(1 − γ)',
  tolerance: 'as D1: the two running error bounds, ×1.01',
  appliesTo: selects('traits.velocity', hasVelocity()),
  runs: 150,
  property: (entry, dtype) =>
    fc.property(
      fc.record({
        hyper: hyperArb(entry, PLAIN),
        g: vec(dtype, { min: 1, max: 6 }),
        T: fc.integer({ min: 1, max: 40 }),
      }),
      ({ hyper, g, T }) => {
        const buf = entry.traits.velocity!.buffer;
        const lr = hyper.lr as number;
        const mom = hyper.momentum as number;
        const u = unitRoundoff(dtype);
        const n = g.length;
        const opt = entry.create(hyper);
        const state = opt.init(n, dtype);
        const p = new CTOR[dtype](n);
        const err = new Array<number>(n).fill(0);
        const tr = new Tracker('float64');
        let pw: Bounded = tr.exact(1);
        const oneMinusGamma = tr.sub(tr.exact(1), tr.exact(mom));
        for (let t = 1; t <= T; t++) {
          const vPrev = state.buffers[buf]!.slice();
          opt.step(p, g, state);
          pw = tr.mul(pw, tr.exact(mom));
          // (1 − γ^t)/(1 − γ), γ^t by repeated multiplication.
          const ratio = tr.div(tr.sub(tr.exact(1), pw), oneMinusGamma);
          const v = state.buffers[buf]!;
          for (let i = 0; i < n; i++) {
            err[i] = velocityBound(err[i]!, u, mom, vPrev[i]!, lr, g[i]!);
            const want = tr.mul(tr.mul(tr.exact(lr), tr.exact(g[i]!)), ratio);
            const tol = SLACK * (err[i]! + want.e);
            must(
              Math.abs(v[i]! - want.x) <= tol,
              () =>
                `t = ${t}, coordinate ${i}: ${buf} = ${v[i]}, ηg(1 − γ^t)/(1 − γ) = ${want.x} (γ = ${mom}, η = ${lr}, g = ${g[i]}); |difference| ${Math.abs(v[i]! - want.x)} > bound ${tol}`,
            );
          }
        }
        return true;
      },
    ),
};

/**
 * D3: the Keras form and the PyTorch form reproduce the default heavy-ball trajectory.
 *
 * Keras (m = βm − αg; θ ← θ + m, β = γ, α = η) is the default with m = −v: every operation is the
 * negation of the default's (β·(−v) = −(γv), −x − y = −(x + y), θ + (−v) = θ − v), and
 * round-to-nearest is symmetric, so it is equal BIT FOR BIT — in float32 too when the loop below
 * rounds once per stored value as the core does (a float32 Keras that rounds m before θ + m
 * differs by that one rounding, which the PyTorch-form bound below would cover).
 *
 * PyTorch (buf = μ·buf + g, θ ← θ − lr·buf, no dampening, constant lr; its first step sets
 * buf = g, which is what μ·0 + g gives) equals the default in exact arithmetic (v = lr·buf) but
 * rounds differently: lr multiplies the sum instead of each gradient. The loop below runs in the
 * dtype, one rounding per operation (as PyTorch's kernels do), under a Tracker; the core's θ error
 * is bounded a priori by its velocity bound plus u(|θ_{t−1}| + |v_t|) for each subtraction.
 */
interface FormsCase {
  hyper: Hyper;
  theta: Vec;
  gs: Vec[];
}

function formsCase(entry: OptimizerEntry, dtype: Dtype): fc.Arbitrary<FormsCase> {
  return fc
    .integer({ min: 1, max: 6 })
    .chain((n) => fc.record({ hyper: hyperArb(entry, PLAIN), theta: vec(dtype, n), gs: gradients(dtype, n, 12) }));
}

function checkForms(entry: OptimizerEntry, dtype: Dtype, { hyper, theta, gs }: FormsCase): void {
  const buf = entry.traits.velocity!.buffer;
  const lr = hyper.lr as number;
  const mom = hyper.momentum as number;
  const u = unitRoundoff(dtype);
  const n = theta.length;
  const opt = entry.create(hyper);
  const state = opt.init(n, dtype);
  const p = theta.slice();
  // Keras.
  const kTheta = theta.slice();
  const kM = new CTOR[dtype](n);
  // PyTorch, tracked.
  const tr = new Tracker(dtype);
  let tTheta: Bounded[] = Array.from(theta, (x) => tr.exact(x));
  let tBuf: Bounded[] = new Array<Bounded>(n).fill(tr.exact(0));
  const ev = new Array<number>(n).fill(0);
  const eth = new Array<number>(n).fill(0);
  for (let t = 1; t <= gs.length; t++) {
    const g = gs[t - 1]!;
    const vPrev = state.buffers[buf]!.slice();
    const pPrev = p.slice();
    opt.step(p, g, state);
    for (let i = 0; i < n; i++) {
      // Evaluated as the core evaluates its own rule: each stored value rounded once to the
      // dtype (float32: m is used unrounded in θ + m; TF's float32 kernels would round m first).
      const m = mom * kM[i]! - lr * g[i]!;
      kM[i] = m;
      kTheta[i] = kTheta[i]! + m;
    }
    tBuf = tBuf.map((b, i) => tr.add(tr.mul(tr.exact(mom), b), tr.exact(g[i]!)));
    tTheta = tTheta.map((th, i) => tr.sub(th, tr.mul(tr.exact(lr), tBuf[i]!)));
    const v = state.buffers[buf]!;
    mustBeSameBits(`t = ${t}: Keras θ vs core θ`, kTheta, p);
    for (let i = 0; i < n; i++) {
      ev[i] = velocityBound(ev[i]!, u, mom, vPrev[i]!, lr, g[i]!);
      eth[i] = eth[i]! + ev[i]! + u * (Math.abs(pPrev[i]!) + Math.abs(v[i]!)) + tr.tiny;
      must(
        Object.is(kM[i], -v[i]!) || (kM[i] === 0 && v[i] === 0),
        () =>
          `t = ${t}, coordinate ${i}: Keras m = ${show(kM[i])}, core ${buf} = ${show(v[i])}; want m = −v bit for bit`,
      );
      const tol = SLACK * (eth[i]! + tTheta[i]!.e);
      must(
        Math.abs(p[i]! - tTheta[i]!.x) <= tol,
        () =>
          `t = ${t}, coordinate ${i}: core θ = ${p[i]}, PyTorch-form θ = ${tTheta[i]!.x}; |difference| ${Math.abs(p[i]! - tTheta[i]!.x)} > bound ${tol} = ${(tol / u / Math.max(Math.abs(p[i]!), 1e-300)).toPrecision(3)} u·|θ|`,
      );
    }
  }
}

/**
 * D3 (second part): under traits.gradientDescentWhen (momentum, nesterov: γ = 0) the optimizer
 * equals sgd bit for bit, with any lr, weight decay, decoupled decay and maximize: 0·v + ηg = ηg
 * exactly for finite v, and φ − 0·v − ηg = φ − ηg.
 */
const gdBySetting = (e: OptimizerEntry): boolean =>
  e.traits.gradientDescentWhen !== undefined && Object.keys(e.traits.gradientDescentWhen).length > 0;
const SGD = registry.find((e) => e.name === 'sgd') as unknown as OptimizerEntry;

/** sgd's hyperparameters, with the common options `entry` does not have held at their plain values. */
function sgdCase(entry: OptimizerEntry, dtype: Dtype): fc.Arbitrary<FormsCase> {
  const absent = Object.fromEntries(Object.entries(PLAIN).filter(([k]) => !(k in entry.hyper)));
  return fc
    .integer({ min: 1, max: 6 })
    .chain((n) => fc.record({ hyper: hyperArb(SGD, absent), theta: vec(dtype, n), gs: gradients(dtype, n, 8) }));
}

function checkSgd(entry: OptimizerEntry, dtype: Dtype, { hyper, theta, gs }: FormsCase): void {
  const own = Object.fromEntries(Object.entries(hyper).filter(([k]) => k in entry.hyper));
  const a = entry.create({ ...entry.defaults, ...own, ...entry.traits.gradientDescentWhen } as Hyper);
  const b = SGD.create(hyper);
  const sa = a.init(theta.length, dtype);
  const sb = b.init(theta.length, dtype);
  const pa = theta.slice();
  const pb = theta.slice();
  gs.forEach((g, k) => {
    a.step(pa, g, sa);
    b.step(pb, g, sb);
    mustBeSameBits(
      `step ${k + 1}: ${entry.name} with ${JSON.stringify(entry.traits.gradientDescentWhen)} vs sgd, params`,
      pa,
      pb,
    );
  });
}

export const D3: Law = {
  id: 'D3',
  title:
    'the Keras form (bit for bit) and the PyTorch form (within running error bounds) reproduce heavy-ball momentum; γ = 0 (traits.gradientDescentWhen) equals sgd bit for bit',
  tolerance:
    'the Keras form bit for bit (fl(−x) = −fl(x)); the PyTorch form within the two running error bounds ×1.01; γ = 0 bit for bit (0·v + ηg = ηg exactly)',
  appliesTo: selects(
    "traits.velocity with form 'heavyBall', or traits.gradientDescentWhen with a momentum setting",
    (e) => hasVelocity('heavyBall')(e) || gdBySetting(e),
  ),
  runs: 150,
  property: (entry, dtype) => {
    const forms = hasVelocity('heavyBall')(entry);
    const gd = gdBySetting(entry);
    return fc.property(
      fc.record({
        forms: forms ? formsCase(entry, dtype) : fc.constant(null),
        sgd: gd ? sgdCase(entry, dtype) : fc.constant(null),
      }),
      (c) => {
        if (c.forms) checkForms(entry, dtype, c.forms);
        if (c.sgd) checkSgd(entry, dtype, c.sgd);
        return true;
      },
    );
  },
};

/** Diagonal quadratic f(x) = ½ Σ a_i (x_i − c_i)², its gradient computed in the dtype. */
const AXIS: MagnitudeRange = { min: 1e-2, max: 10, zeros: 0.1 };

/**
 * D4: Nesterov's look-ahead form equals the core's stored look-ahead form under φ = θ − γv.
 *
 * The look-ahead form keeps θ and v and evaluates the gradient at θ − γv through an objective
 * (a diagonal quadratic, a_i log-uniform in [0.1, 10], η a_i ≤ 1 so the iteration is stable);
 * the core keeps φ and v and is given ∇f(φ). Both run in the dtype under a Tracker (one rounding
 * per operation; the core's form is tracked exactly as its rule reads, the gradient's error
 * a_i·e_φ included); we require |φ_core − (θ − γv)| and |v_core − v| within the two bounds.
 */
export const D4: Law = {
  id: 'D4',
  title: 'Nesterov: the look-ahead form (gradient at θ − γv) equals the stored look-ahead form under φ = θ − γv',
  tolerance: "within the running error bounds of φ and v (the law's and the core's), ×1.01",
  appliesTo: selects("traits.velocity with form 'storedLookAhead'", hasVelocity('storedLookAhead')),
  runs: 150,
  property: (entry, dtype) =>
    fc.property(
      fc.integer({ min: 1, max: 5 }).chain((n) =>
        fc.record({
          hyper: hyperArb(entry, PLAIN),
          a: fc.array(logUniform(0.1, 10), { minLength: n, maxLength: n }),
          c: vec(dtype, n, AXIS),
          theta: vec(dtype, n, AXIS),
          T: fc.integer({ min: 1, max: 25 }),
          k: uniform(0.01, 1),
        }),
      ),
      ({ hyper, a, c, theta, T, k }) => {
        const buf = entry.traits.velocity!.buffer;
        const n = theta.length;
        const mom = hyper.momentum as number;
        const aMax = Math.max(...a);
        const lr = k / aMax;
        const opt = entry.create({ ...hyper, lr });
        const state = opt.init(n, dtype);
        const tr = new Tracker(dtype);
        const R = tr.round;
        const aR = a.map(R);
        const ai = aR.map((x) => tr.exact(x));
        const ci = Array.from(c, (x) => tr.exact(x));
        const gradAt = (y: Bounded, i: number): Bounded => tr.mul(ai[i]!, tr.sub(y, ci[i]!));
        // The core, and its rule tracked: v ← γv + ηg; φ ← φ − γv − ηg, g = ∇f(φ).
        const phi = theta.slice();
        let cPhi: Bounded[] = Array.from(theta, (x) => tr.exact(x));
        let cV: Bounded[] = new Array(n).fill(tr.exact(0));
        // The look-ahead form: g = ∇f(θ − γv); v ← γv + ηg; θ ← θ − v.
        let lTheta: Bounded[] = Array.from(theta, (x) => tr.exact(x));
        let lV: Bounded[] = new Array(n).fill(tr.exact(0));
        const g = new CTOR[dtype](n);
        const G = tr.exact(mom);
        const E = tr.exact(lr);
        for (let t = 1; t <= T; t++) {
          for (let i = 0; i < n; i++) g[i] = R(aR[i]! * R(phi[i]! - c[i]!));
          opt.step(phi, g, state);
          cPhi = cPhi.map((f, i) => {
            const eg = tr.mul(E, gradAt(f, i));
            cV[i] = tr.add(tr.mul(G, cV[i]!), eg);
            return tr.sub(tr.sub(f, tr.mul(G, cV[i]!)), eg);
          });
          cV = [...cV];
          lTheta = lTheta.map((th, i) => {
            const y = tr.sub(th, tr.mul(G, lV[i]!));
            lV[i] = tr.add(tr.mul(G, lV[i]!), tr.mul(E, gradAt(y, i)));
            return tr.sub(th, lV[i]!);
          });
          lV = [...lV];
          const v = state.buffers[buf]!;
          for (let i = 0; i < n; i++) {
            const look = tr.sub(lTheta[i]!, tr.mul(G, lV[i]!));
            const tolPhi = SLACK * (cPhi[i]!.e + look.e);
            must(
              Math.abs(phi[i]! - look.x) <= tolPhi,
              () =>
                `t = ${t}, coordinate ${i}: core φ = ${phi[i]}, look-ahead θ − γv = ${look.x}; |difference| ${Math.abs(phi[i]! - look.x)} > bound ${tolPhi} (γ = ${mom}, η = ${lr}, a = ${a[i]})`,
            );
            const tolV = SLACK * (cV[i]!.e + lV[i]!.e);
            must(
              Math.abs(v[i]! - lV[i]!.x) <= tolV,
              () =>
                `t = ${t}, coordinate ${i}: core ${buf} = ${v[i]}, look-ahead v = ${lV[i]!.x}; |difference| ${Math.abs(v[i]! - lV[i]!.x)} > bound ${tolV}`,
            );
          }
        }
        return true;
      },
    ),
};

export const momentumLaws: Law[] = [D1, D2, D3, D4];
