/**
 * F: accumulators (docs/laws.md, F), selected by traits: monotoneBuffers and
 * nonincreasingRate (Adagrad's G, AMSGrad's v̂), moments (the Adam family: Reddi et al.'s
 * counterexample; AdaMax's u).
 */
import fc from 'fast-check';
import type { OptimizerEntry } from '../../src/optimizers/define.js';
import { CTOR, hyperArb, uniform, vec } from '../arbitraries.js';
import { must, selects, show, unitRoundoff, type Law } from '../framework.js';
import { plainFor, stepFromZero } from './internal.js';

/**
 * F1: monotone accumulators never decrease (bit level: rounding is monotone, so G + g² ≥ G and
 * max(v̂, v) ≥ v̂ hold exactly), and the per-coordinate rate of the step never increases while lr is
 * constant: with Δθ_t = −rate_t·x_t (x the gradient or the buffer traits.nonincreasingRate names),
 * rate_t = |Δθ_t|/|x_t| ≤ rate_{t'} for every earlier t' where it was observed.
 *
 * Tolerance 10u relative between two observed rates: each is ≤ 4.5 roundings from its exact value
 * (lr·x, G + ε, √, the quotient; in float32 the stored Δθ and x) and the ratio |Δθ|/|x| one more.
 * Rates are observed where |x_t| and |Δθ_t| are ≥ 2^-100: below that float32 has few significant
 * bits left (its normal range ends at 2^-126) and the ratio means nothing.
 */
export const F1: Law = {
  id: 'F1',
  title:
    'monotone accumulators (traits.monotoneBuffers) never decrease; the effective rate (traits.nonincreasingRate) never increases',
  tolerance:
    'accumulators bit for bit (rounding is monotone); rates within 10u (each ≤ 4.5 roundings from exact, the ratio one more), judged where |x| and |Δθ| ≥ 2^-100',
  appliesTo: selects(
    'traits.monotoneBuffers (non-empty) or traits.nonincreasingRate',
    (e) => e.traits.monotoneBuffers.length > 0 || e.traits.nonincreasingRate !== undefined,
  ),
  runs: 200,
  property: (entry, dtype) =>
    fc.property(
      fc.integer({ min: 1, max: 6 }).chain((n) =>
        fc.record({
          hyper: hyperArb(entry, { weightDecay: 0, decoupledWeightDecay: 0 }),
          gs: fc.array(vec(dtype, n), { minLength: 1, maxLength: 20 }),
        }),
      ),
      ({ hyper, gs }) => {
        const u = unitRoundoff(dtype);
        const rateOf = entry.traits.nonincreasingRate;
        const opt = entry.create(hyper);
        const n = gs[0]!.length;
        const state = opt.init(n, dtype);
        const best = new Array<number>(n).fill(Infinity);
        const when = new Array<number>(n).fill(0);
        for (let t = 1; t <= gs.length; t++) {
          const g = gs[t - 1]!;
          const before = Object.fromEntries(entry.traits.monotoneBuffers.map((b) => [b, state.buffers[b]!.slice()]));
          const d = stepFromZero(opt, g, state);
          for (const b of entry.traits.monotoneBuffers) {
            const now = state.buffers[b]!;
            for (let i = 0; i < n; i++) {
              must(
                now[i]! >= before[b]![i]!,
                () => `t = ${t}, coordinate ${i}: ${b} decreased from ${before[b]![i]} to ${now[i]} (g = ${g[i]})`,
              );
            }
          }
          if (rateOf === undefined) continue;
          const x = rateOf === 'grad' ? g : state.buffers[rateOf]!;
          for (let i = 0; i < n; i++) {
            const xi = Math.abs(x[i]!);
            const di = Math.abs(d[i]!);
            if (xi < 2 ** -100 || di < 2 ** -100) continue;
            const rate = di / xi;
            must(
              rate <= best[i]! * (1 + 10 * u),
              () =>
                `coordinate ${i}: the rate |Δθ|/|${rateOf}| rose from ${best[i]} (t = ${when[i]}) to ${rate} (t = ${t}); gradients [${gs
                  .slice(0, t)
                  .map((v) => v[i])
                  .join(', ')}]`,
            );
            if (rate < best[i]!) {
              best[i] = rate;
              when[i] = t;
            }
          }
        }
        return true;
      },
    ),
};

/**
 * F2: Reddi, Kale & Kumar 2018, Theorem 1: the online problem on [−1, 1] with f_t(x) = C·x when
 * t mod 3 = 1 and −x otherwise (C > 2), whose best fixed point is x* = −1. With the theorem's
 * settings β1 = 0, β2 = 1/(1 + C²), η_t = η/√t (set before every step with optimizer.set({ lr })),
 * ε = 0 and projection onto [−1, 1] after each step, Adam's large gradient C is damped by the
 * second moment it has just raised while the two −1's are not, so Adam drifts to +1 and its
 * average regret (1/T) Σ f_t(x_t) − f_t(−1) tends to (2C − 4)/3; AMSGrad's v̂ keeps C²'s memory
 * and it converges to −1 (regret o(T)).
 *
 * Applies to the optimizers that declare their step in this regime (traits.rmsStep, never their
 * buffers): 'runningMax' (AMSGrad) must converge; 'ema' (Adam; Nadam, which with β1 = 0 takes
 * exactly Adam's step) must fail the same way. An optimizer with Adam's buffers whose step is not
 * Adam's does not declare it: RAdam with β2 = 1/(1 + C²) ≤ 0.14 has ρ∞ = 2/(1 − β2) − 1 ≤ 1.33 < 4,
 * so every step is SGD's (θ −= η_t·g_t) and it converges to −1 like AMSGrad (measured: C = 2.5,
 * η = 0.5, x_1 = −1: x_T = −0.982, average regret 0.024 against (2C − 4)/3 = 0.333). (Adam's bias correction only rescales v by
 * 1/(1 − β2^t), which is 1 + (1 + C²)^-t: it changes nothing that matters.)
 *
 * Thresholds, from the dynamics (T = 3000, C ∈ [2.5, 10], η ∈ [0.5, 1], x_1 ∈ [−1, 1]): Adam sits
 * at +1 after a few hundred steps, so x_T = 1 and the average regret is within 10% of (2C − 4)/3
 * (measured ≤ 5%); AMSGrad's x_T ≤ −0.95 (measured ≤ −0.98) and its average regret is below a
 * quarter of (2C − 4)/3 (measured ≤ 10%).
 */
export const F2: Law = {
  id: 'F2',
  title:
    "Reddi et al.'s counterexample: with a running max of v̂ (traits.rmsStep 'runningMax': AMSGrad) the iterate converges to x* = −1; with Adam's EMA step ('ema') it drifts to +1 with average regret ≈ (2C − 4)/3",
  tolerance:
    'thresholds from the dynamics at T = 3000: drift means x_T = +1 and average regret within 10% of (2C − 4)/3 (measured ≤ 5%); convergence x_T ≤ −0.95 and regret ≤ (2C − 4)/12 (measured ≤ 10%)',
  appliesTo: selects("traits.rmsStep ('ema' or 'runningMax')", (e) => e.traits.rmsStep !== undefined),
  runs: 8,
  property: (entry, dtype) =>
    fc.property(fc.record({ C: uniform(2.5, 10), alpha: uniform(0.5, 1), x1: uniform(-1, 1) }), ({ C, alpha, x1 }) => {
      const withMax = entry.traits.rmsStep === 'runningMax';
      const T = 3000;
      const opt = entry.create({
        ...entry.defaults,
        beta1: 0,
        beta2: 1 / (1 + C * C),
        eps: 0,
        lr: alpha,
        ...plainFor(entry),
      } as OptimizerEntry['defaults']);
      const state = opt.init(1, dtype);
      const p = new CTOR[dtype]([x1]);
      const g = new CTOR[dtype](1);
      let regret = 0;
      for (let t = 1; t <= T; t++) {
        const gt = t % 3 === 1 ? C : -1;
        g[0] = gt;
        regret += gt * p[0]! - gt * -1;
        opt.set({ lr: alpha / Math.sqrt(t) });
        opt.step(p, g, state);
        p[0] = Math.min(1, Math.max(-1, p[0]!));
      }
      const avg = regret / T;
      const linear = (2 * C - 4) / 3;
      if (withMax) {
        must(
          p[0]! <= -0.95 && avg <= linear / 4,
          () =>
            `${entry.name} (with its max) should converge to −1: x_T = ${p[0]}, average regret ${avg} (Adam's (2C − 4)/3 = ${linear}); C = ${C}, η = ${alpha}`,
        );
      } else {
        must(
          p[0] === 1 && Math.abs(avg - linear) <= linear / 10,
          () =>
            `${entry.name} (no max) should drift to +1 with average regret ≈ (2C − 4)/3 = ${linear}: x_T = ${p[0]}, average regret ${avg}; C = ${C}, η = ${alpha}`,
        );
      }
      return true;
    }),
};

/**
 * F3: AdaMax's infinity-norm accumulator (traits.moments.secondKind 'maxAbs'): u_t ≥ |g_t| exactly
 * (max(β2 u, |g|) rounds nothing), and all-zero gradients — from a fresh state or after a random
 * history — never give NaN in params or state (the update is 0 where u = 0, since m = 0 there).
 *
 * One exception, stated rather than hidden: once a parameter has overflowed to ±Infinity, the
 * next step's coupled-decay term 0·θ is NaN (common.ts: the option is an exact identity for finite
 * θ only), so a coordinate whose θ was not finite before a step is not checked. Overflow itself is
 * possible here in float32: with β1 > β2, m̂/u grows like (β1/β2)^k over k zero gradients (true
 * steps beyond 3.4e38 for tiny β2), and once u underflows to 0 before m does, the step divides by
 * the 5e-324 floor (see the report: u underflow).
 */
export const F3: Law = {
  id: 'F3',
  title: 'AdaMax: u_t ≥ |g_t| exactly, and all-zero gradients (fresh or after a history) never give NaN',
  tolerance: 'exact: max(β2·u, |g|) rounds nothing; NaN never',
  appliesTo: selects("traits.moments with secondKind 'maxAbs'", (e) => e.traits.moments?.secondKind === 'maxAbs'),
  runs: 200,
  property: (entry, dtype) =>
    fc.property(
      fc.integer({ min: 1, max: 6 }).chain((n) =>
        fc.record({
          hyper: hyperArb(entry, { weightDecay: 0 }),
          theta: vec(dtype, n),
          gs: fc.array(vec(dtype, n), { minLength: 0, maxLength: 10 }),
          zeros: fc.integer({ min: 1, max: 20 }),
        }),
      ),
      ({ hyper, theta, gs, zeros }) => {
        const ub = entry.traits.moments!.second;
        const opt = entry.create(hyper);
        const n = theta.length;
        const state = opt.init(n, dtype);
        const p = theta.slice();
        const s = hyper.maximize ? -1 : 1;
        gs.forEach((g, k) => {
          opt.step(p, g, state);
          const uu = state.buffers[ub]!;
          for (let i = 0; i < n; i++) {
            must(
              uu[i]! >= Math.abs(s * g[i]!),
              () => `step ${k + 1}, coordinate ${i}: ${ub} = ${uu[i]} < |g| = ${Math.abs(g[i]!)}`,
            );
          }
        });
        const zero = new CTOR[dtype](n);
        for (let k = 1; k <= zeros; k++) {
          const finite = Array.from(p, (x) => Number.isFinite(x));
          opt.step(p, zero, state);
          for (const [name, v] of [['params', p], ...Object.entries(state.buffers)] as const) {
            for (let i = 0; i < n; i++) {
              must(
                !finite[i] || !Number.isNaN(v[i]!),
                () => `zero gradient ${k} after ${gs.length} step(s): ${name}[${i}] = ${show(v[i])}`,
              );
            }
          }
        }
        return true;
      },
    ),
};

export const accumulatorLaws: Law[] = [F1, F2, F3];
