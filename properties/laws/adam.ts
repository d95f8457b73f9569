/**
 * E: Adam's bias correction and the laws of the adaptive family (docs/laws.md, E),
 * selected by traits: moments/biasCorrected (Adam, Nadam, AdaMax), firstStepSignMagnitude,
 * stepWeights, gradScaleInvariantWhenEpsZero.
 *
 * Steps are read exactly: without weight decay the update does not depend on θ, so the laws set
 * θ = 0 before a step and read Δθ = θ' (0 − Δ is exact). Tolerances count the core's roundings
 * (each ≤ u relative, u of the dtype: in float32 the core computes in double and rounds when it
 * stores, so u32 per stored value over-counts the double operations).
 */
import fc from 'fast-check';
import type { Decimal } from 'decimal.js';
import type { OptimizerEntry } from '../../src/optimizers/define.js';
import { D, fromDouble } from '../../reference/decimal.js';
import { CTOR, hyperArb, satisfying, vec, type MagnitudeRange } from '../arbitraries.js';
import { must, mustBeSameBits, show, unitRoundoff, selects, type Law } from '../framework.js';
import { PLAIN, stepFromZero } from './internal.js';

/** 1 − β^t in 50-digit decimal arithmetic at the exact value of β (relative error ≤ 1e-45). */
const oneMinusPowExact = (beta: number, t: number): Decimal => new D(1).minus(fromDouble(beta).pow(t));

const biasCorrectedMoments = (e: OptimizerEntry): boolean => e.traits.biasCorrected && e.traits.moments !== undefined;

/**
 * E1: a constant gradient g from a fresh state gives m̂_t = g, v̂_t = g² (u_t = |g| for AdaMax) and
 * the step −lr·factor_t·g/(|g| + ε) (traits.constantGradientStepFactor: 1 for Adam and AdaMax, the
 * same step at every t).
 *
 * Tolerances. m_t = β1 m + (1 − β1) g is ≤ 3 roundings a step (1 − β1, the two products and the
 * sum, each ≤ u of β1|m| + (1 − β1)|g| = |m_t| here, all terms having g's sign), and earlier errors
 * shrink by β1, so |m_t − exact| ≤ 3u Σ_s β1^(t−s)|m_s| ≤ 3t·u·|m_t|: m̂ within (3t + 1)u of g
 * (1 − β^t is computed exactly here). v_t likewise, plus the rounding of g²: (3t + 2)u. The step
 * gathers those (m: 3t, √v: 1.5t + 1) and ≤ 14 more roundings (1 − β^t ≈ 4 through log1p/expm1,
 * lr/(1 − β1^t), v·c2, √, + ε, ·, /, the factor's own ≤ 5): (4.5t + 16)u, rounded up to (5t + 16)u.
 */
export const E1: Law = {
  id: 'E1',
  title: 'constant gradient: m̂_t = g, v̂_t = g² (AdaMax: u_t = |g|) and the step −lr·factor_t·g/(|g| + ε) at every t',
  tolerance:
    'm̂ within (3t + 1)u of g and v̂ within (3t + 2)u of g² (3 roundings a step, earlier errors shrink by β; 1 − β^t exact here); the step within (5t + 16)u of −lr·factor·g/(|g| + ε)',
  appliesTo: selects(
    'traits.biasCorrected, traits.moments and traits.constantGradientStepFactor',
    (e) => biasCorrectedMoments(e) && e.traits.constantGradientStepFactor !== undefined,
  ),
  runs: 60,
  property: (entry, dtype) =>
    fc.property(
      fc.record({
        hyper: hyperArb(entry, PLAIN),
        g: vec(dtype, { min: 1, max: 6 }),
        T: fc.integer({ min: 1, max: 30 }),
      }),
      ({ hyper, g, T }) => {
        const mo = entry.traits.moments!;
        const factor = entry.traits.constantGradientStepFactor!;
        const u = unitRoundoff(dtype);
        const b1 = hyper.beta1 as number;
        const b2 = hyper.beta2 as number;
        const lr = fromDouble(hyper.lr as number);
        const eps = fromDouble(hyper.eps as number);
        const opt = entry.create(hyper);
        const state = opt.init(g.length, dtype);
        for (let t = 1; t <= T; t++) {
          const d = stepFromZero(opt, g, state);
          const c1 = oneMinusPowExact(b1, t);
          const c2 = oneMinusPowExact(b2, t);
          const f = fromDouble(factor(hyper, t));
          for (let i = 0; i < g.length; i++) {
            const gi = fromDouble(g[i]!);
            const mhat = fromDouble(state.buffers[mo.first]![i]!).div(c1);
            must(
              mhat
                .minus(gi)
                .abs()
                .lte(gi.abs().times((3 * t + 1) * u)),
              () =>
                `t = ${t}, coordinate ${i}: m̂ = m/(1 − β1^t) = ${mhat.toPrecision(17)}, g = ${g[i]}: off by ${mhat.minus(gi).abs().div(gi.abs().times(u)).toPrecision(3)} u > ${3 * t + 1} u`,
            );
            const s = state.buffers[mo.second]![i]!;
            if (mo.secondKind === 'maxAbs') {
              must(
                s === Math.abs(g[i]!),
                () => `t = ${t}, coordinate ${i}: ${mo.second} = ${show(s)}, want |g| = ${Math.abs(g[i]!)} exactly`,
              );
            } else {
              const vhat = fromDouble(s).div(c2);
              const g2 = gi.times(gi);
              must(
                vhat
                  .minus(g2)
                  .abs()
                  .lte(g2.times((3 * t + 2) * u)),
                () =>
                  `t = ${t}, coordinate ${i}: v̂ = v/(1 − β2^t) = ${vhat.toPrecision(17)}, g² = ${g2.toPrecision(17)}: off by more than ${3 * t + 2} u`,
              );
            }
            const want = gi.isZero() ? new D(0) : lr.times(f).times(gi).div(gi.abs().plus(eps)).neg();
            const got = fromDouble(d[i]!);
            const K = 5 * t + 16;
            must(
              got
                .minus(want)
                .abs()
                .lte(want.abs().times(K * u)),
              () =>
                `t = ${t}, coordinate ${i}: Δθ = ${d[i]}, want −lr·factor·g/(|g| + ε) = ${want.toPrecision(17)} (factor ${factor(hyper, t)}): off by ${want.isZero() ? 'a nonzero step' : `${got.minus(want).abs().div(want.abs().times(u)).toPrecision(3)} u`} > ${K} u`,
            );
          }
        }
        return true;
      },
    ),
};

/**
 * E2: the bias-corrected weights of g_1..g_t sum to one. They are read off the core: coordinate i
 * receives the gradient 1 at step i and 0 otherwise, so after t steps m_t[i]/(1 − β1^t) is exactly
 * the weight w_i of g_i in m̂_t (and v_t[i]/(1 − β2^t) the weight of g_i² in v̂_t). Each m_t[i] is
 * (1 − β1)·β1^(t−i) after ≤ t − i + 1 roundings (the additions of 0 are exact), so the sum is within
 * (t + 1)u of its exact value; (t + 2)u allowed.
 */
export const E2: Law = {
  id: 'E2',
  title: 'the bias-corrected weights of g_1..g_t in m̂_t (and of g_i² in v̂_t) sum to one',
  tolerance: '(t + 2)u: each weight (1 − β)β^(t−i) is ≤ t − i + 1 roundings from exact (adding 0 is exact)',
  appliesTo: selects('traits.biasCorrected and traits.moments', biasCorrectedMoments),
  runs: 60,
  property: (entry, dtype) =>
    fc.property(
      fc.record({ hyper: hyperArb(entry, { ...PLAIN, maximize: false }), T: fc.integer({ min: 1, max: 24 }) }),
      ({ hyper, T }) => {
        const mo = entry.traits.moments!;
        const u = unitRoundoff(dtype);
        const opt = entry.create(hyper);
        const state = opt.init(T, dtype);
        for (let t = 1; t <= T; t++) {
          const g = new CTOR[dtype](T);
          g[t - 1] = 1;
          stepFromZero(opt, g, state);
          const sums: [string, number][] = [[mo.first, hyper.beta1 as number]];
          if (mo.secondKind === 'square') sums.push([mo.second, hyper.beta2 as number]);
          for (const [name, beta] of sums) {
            const b = state.buffers[name]!;
            let total = new D(0);
            for (let i = 0; i < t; i++) total = total.plus(fromDouble(b[i]!));
            const w = total.div(oneMinusPowExact(beta, t));
            must(
              w
                .minus(1)
                .abs()
                .lte((t + 2) * u),
              () =>
                `t = ${t}: the weights in ${name} (β = ${beta}) sum to ${w.toPrecision(20)}, off by ${w.minus(1).abs().div(u).toPrecision(3)} u > ${t + 2} u; weights ${Array.from(b.subarray(0, t)).join(', ')}`,
            );
          }
        }
        return true;
      },
    ),
};

/**
 * E3: with ε = 0 the first step from a fresh state is exactly −c·sign(g) per coordinate
 * (traits.firstStepSignMagnitude gives c; +c·sign(g) with maximize), and 0 where g = 0.
 * Tolerance 20·u64 relative to c, plus one u of the dtype for storing Δθ: the core's first step is
 * at most 15 roundings (1 − β, the moments, g², v·c2, √, the products and the quotient) and c's
 * formula at most 5 (1 − β, a product, √, a quotient). An optimizer whose float32 step rounds every
 * operation to float32 (traits.float32Arithmetic 'float32': TF.js) makes the same 20 roundings in
 * u32 there: 20·u32.
 */
export const E3: Law = {
  id: 'E3',
  title: 'ε = 0: the first step from a fresh state is −c·sign(g) (c = traits.firstStepSignMagnitude)',
  tolerance:
    "20·u64 relative to c plus one u of the dtype: the core's first step is ≤ 15 roundings, c's formula ≤ 5, float32 stores once",
  appliesTo: selects('traits.firstStepSignMagnitude', (e) => e.traits.firstStepSignMagnitude !== undefined),
  runs: 200,
  property: (entry, dtype) =>
    fc.property(
      fc.record({
        hyper: hyperArb(entry, { weightDecay: 0, decoupledWeightDecay: 0, eps: 0 }),
        g: vec(dtype, { min: 1, max: 8 }),
      }),
      ({ hyper, g }) => {
        const c = entry.traits.firstStepSignMagnitude!(hyper);
        const s = hyper.maximize ? -1 : 1;
        const opt = entry.create(hyper);
        const d = stepFromZero(opt, g, opt.init(g.length, dtype));
        const perOp32 = dtype === 'float32' && entry.traits.float32Arithmetic === 'float32';
        const tol = (perOp32 ? 20 * 2 ** -24 : 20 * 2 ** -53 + (dtype === 'float32' ? 2 ** -24 : 0)) * c;
        for (let i = 0; i < g.length; i++) {
          const want = -s * c * Math.sign(g[i]!);
          must(
            Math.abs(d[i]! - want) <= tol,
            () =>
              `coordinate ${i}: g = ${g[i]}, Δθ = ${show(d[i])}, want ${want} (c = ${c}${hyper.maximize ? ', maximize' : ''}); off by ${(Math.abs(d[i]! - want) / c / 2 ** -53).toPrecision(3)} u64 relative`,
          );
        }
        return true;
      },
    ),
};

/**
 * E4: with ε = 0 the step is Δθ_t = ∓lr·Σ_i w_i g_i / √(Σ_i u_i g_i²) (traits.stepWeights: the
 * numerator's weights w and the squared denominator's u, the sign − unless maximize), and so, by
 * Cauchy–Schwarz, |Δθ_t| ≤ lr·√(Σ_i w_i²/u_i) for every gradient history, with equality at
 * g_i ∝ w_i/u_i. Both are checked at every step of a random history: the identity states what the
 * weights are (weights larger than the optimizer's, say a power of β turned around, would pass
 * the bound alone), the bound is what a reader of the trait uses.
 *
 * Tolerance (6t + 30)u relative to lr·Σ w_i|g_i|/√(Σ u_i g_i²), not to the step: the core's
 * numerator is a recurrence whose error is ≤ 3t·u·Σ w_i|g_i| (it may cancel), and the same scale
 * obeys the Cauchy–Schwarz bound; the denominator √(Σ u_i g_i²) is within (1.5t + 2)u; ≤ 10
 * roundings more in the step; the trait's weights and the sums here (in double) ≤ (t + 10)u64.
 * The identity is checked where Σ u_i g_i² is in [2⁻¹⁰⁰, 2¹⁰⁰] (no underflow or overflow of the
 * stored second moment in float32), and, where the optimizer divides by a running maximum of its
 * second moment (traits.moments.secondMax, AMSGrad: v̂_t ≥ v_t, so the bound still holds), only
 * where that maximum equals the second moment now.
 */
export const E4: Law = {
  id: 'E4',
  title:
    'ε = 0: Δθ_t = ∓lr·Σ w_i g_i/√(Σ u_i g_i²) (traits.stepWeights), so |Δθ_t| ≤ lr·√(Σ w_i²/u_i) (Cauchy–Schwarz)',
  tolerance:
    "(6t + 30)u relative to lr·Σw|g|/√(Σug²): the numerator's recurrence ≤ 3t·u·Σw|g|, the denominator ≤ (1.5t + 2)u, ≤ 10 roundings in the step, ≤ (t + 10)u64 in the weights and sums",
  appliesTo: selects('traits.stepWeights', (e) => e.traits.stepWeights !== undefined),
  runs: 150,
  property: (entry, dtype) =>
    fc.property(
      fc.integer({ min: 1, max: 6 }).chain((n) =>
        fc.record({
          hyper: hyperArb(entry, { weightDecay: 0, decoupledWeightDecay: 0, eps: 0 }),
          gs: fc.array(vec(dtype, n), { minLength: 1, maxLength: 16 }),
        }),
      ),
      ({ hyper, gs }) => {
        const u = unitRoundoff(dtype);
        const lr = hyper.lr as number;
        const sign = hyper.maximize === true ? 1 : -1;
        const opt = entry.create(hyper);
        const state = opt.init(gs[0]!.length, dtype);
        const runningMax = entry.traits.moments?.secondMax;
        const second = entry.traits.moments?.second;
        for (let t = 1; t <= gs.length; t++) {
          const d = stepFromZero(opt, gs[t - 1]!, state);
          const { w, u: uw } = entry.traits.stepWeights!(hyper, t);
          let s = 0;
          for (let i = 0; i < t; i++) s += w[i] === 0 ? 0 : uw[i] === 0 ? Infinity : (w[i]! * w[i]!) / uw[i]!;
          const bound = lr * Math.sqrt(s) * (1 + (6 * t + 30) * u);
          for (let i = 0; i < d.length; i++) {
            const history = () =>
              `w = [${w.join(', ')}], u = [${uw.join(', ')}]; gradients of this coordinate: [${gs
                .slice(0, t)
                .map((g) => g[i])
                .join(', ')}]`;
            must(
              Math.abs(d[i]!) <= bound,
              () =>
                `t = ${t}, coordinate ${i}: |Δθ| = ${Math.abs(d[i]!)} > lr·√(Σ w²/u) = ${lr * Math.sqrt(s)} (${history()})`,
            );
            let num = 0;
            let scale = 0;
            let den2 = 0;
            for (let k = 0; k < t; k++) {
              const g = gs[k]![i]!;
              num += w[k]! * g;
              scale += Math.abs(w[k]! * g);
              den2 += uw[k]! * g * g;
            }
            if (!(den2 >= 2 ** -100 && den2 <= 2 ** 100)) continue;
            if (runningMax && second && state.buffers[runningMax]![i] !== state.buffers[second]![i]) continue;
            if (scale === 0) {
              must(d[i] === 0, () => `t = ${t}, coordinate ${i}: Δθ = ${d[i]} where every w_i g_i is 0 (${history()})`);
              continue;
            }
            const want = (sign * lr * num) / Math.sqrt(den2);
            const err = Math.abs(d[i]! - want) / ((lr * scale) / Math.sqrt(den2));
            must(
              err <= (6 * t + 30) * u,
              () =>
                `t = ${t}, coordinate ${i}: Δθ = ${d[i]} but ∓lr·Σ w g/√(Σ u g²) = ${want}: off by ${(err / u).toPrecision(3)}u of lr·Σ w|g|/√(Σ u g²), allowed ${6 * t + 30}u (${history()}): are traits.stepWeights the optimizer's own weights?`,
            );
          }
        }
        return true;
      },
    ),
};

/**
 * E5: with ε = 0 (and no coupled weight decay, which adds λθ unscaled), scaling every gradient by
 * c = 2^k leaves the trajectory unchanged BIT FOR BIT. Why exactly: multiplying by 2^k is exact
 * unless a result leaves the normal range, and every operation commutes with it (m scales by c,
 * v and G by c², √(c²v) = c√v exactly, u = max(β2 u, |g|) by c, and the quotient's c cancels
 * exactly), so the same bits come out. The ranges keep every intermediate normal: gradients of
 * magnitude 1e-3 … 1e3 (or 0), |k| ≤ 8, at most 8 steps: the smallest nonzero intermediate is
 * ≥ (1 − β)·(1e-3·2^-8)²·β^8, far above float32's 1.2e-38 unless a decay is below 1e-3 — those are
 * drawn from [1e-3, 0.999] or exactly 0 here (a product with 0 is exactly 0 in both runs).
 * Decoupled decay and maximize are drawn freely (κθ and the sign commute with the scaling).
 */
const E5_GRADS: MagnitudeRange = { min: 1e-3, max: 1e3, zeros: 0.1 };
export const E5: Law = {
  id: 'E5',
  title: 'ε = 0: scaling every gradient by 2^k leaves the trajectory unchanged, bit for bit',
  tolerance:
    'bit for bit: multiplying by 2^k is exact and commutes with every operation while every intermediate stays normal (gradients 1e-3 … 1e3, |k| ≤ 8, decays 0 or ≥ 1e-3)',
  appliesTo: selects('traits.gradScaleInvariantWhenEpsZero', (e) => e.traits.gradScaleInvariantWhenEpsZero),
  runs: 150,
  property: (entry, dtype) =>
    fc.property(
      fc.integer({ min: 1, max: 6 }).chain((n) =>
        fc.record({
          hyper: satisfying(
            hyperArb(entry, { weightDecay: 0, eps: 0 }),
            (h) => ['beta1', 'beta2', 'rho'].every((k) => h[k] === undefined || h[k] === 0 || (h[k] as number) >= 1e-3),
            'decays beta1, beta2, rho each 0 or ≥ 1e-3 (every intermediate stays in the normal range)',
          ),
          theta: vec(dtype, n),
          gs: fc.array(vec(dtype, n, E5_GRADS), { minLength: 1, maxLength: 8 }),
          k: fc.integer({ min: -8, max: 8 }),
        }),
      ),
      ({ hyper, theta, gs, k }) => {
        const c = 2 ** k;
        const a = entry.create(hyper);
        const b = entry.create(hyper);
        const sa = a.init(theta.length, dtype);
        const sb = b.init(theta.length, dtype);
        const pa = theta.slice();
        const pb = theta.slice();
        gs.forEach((g, t) => {
          a.step(pa, g, sa);
          b.step(
            pb,
            g.map((x) => x * c),
            sb,
          );
          mustBeSameBits(`step ${t + 1}, gradients × 2^${k}: params`, pb, pa);
        });
        return true;
      },
    ),
};

export const adamLaws: Law[] = [E1, E2, E3, E4, E5];
