/**
 * V7: Nadam's momentum schedules (schedule, momentumDecay).
 * A family of the laws of convention (docs/conventions.md); the helpers they share are in
 * properties/laws/internal.ts.
 */
import fc from 'fast-check';
import { add, div, exact, leaf, mul, sqrt, sub, leaves, type Sc } from '../../../reference/scaled.js';
import { firstOrderValid, kOf } from '../../accuracy.js';
import { must, type Law } from '../../framework.js';
import { MAX_FINITE, run, bitsEqual, trajectoryArb, differ, set, has, hyperConv } from '../internal.js';

/**
 * V7a. β1 = 0: every schedule has μ_t = 0 (Dozat: β1·(…) = 0; constant: μ = β1 = 0), so the
 * coefficients of (m_t, g_t) are (0, 1) in all three, with a = η: bit for bit.
 */
const V7a: Law = {
  id: 'V7a',
  title: "Nadam schedules 'none', 'constant' and 'dozat' (any ψ) coincide bit for bit when β1 = 0",
  tolerance: 'bit for bit: μ_t = 0 in every schedule, the coefficients are (0, 1)',
  appliesTo: has('schedule'),
  runs: 30,
  property: (entry, dtype) =>
    fc.property(hyperConv(entry, { beta1: 0 }), trajectoryArb(dtype), ({ hyper, conventions }, c) => {
      const a = run(entry, hyper, { ...conventions, schedule: 'none' }, dtype, c.p, c.grads);
      for (const sch of ['constant', 'dozat']) {
        const b = run(entry, hyper, { ...conventions, schedule: sch }, dtype, c.p, c.grads);
        must(bitsEqual(a.p, b.p), () => `θ none ${Array.from(a.p)} ≠ ${sch} ${Array.from(b.p)}`);
      }
      return true;
    }),
};

/**
 * V7b. Dozat with ψ = 0: μ_t = β1(1 − ½·0.96^0) = β1/2 for every t, Π_t = (β1/2)^t: Dozat's
 * correction with a CONSTANT μ = β1/2 while m keeps its EMA with β1 — not optax's 'constant'
 * schedule (μ = β1), which it equals only when β1 = 0 (V7a). Checked against that formula written
 * out here in exact arithmetic (m̂ = μ m_t/(1 − μ^{t+1}) + (1 − μ) g_t/(1 − μ^t)), 12 steps,
 * within B3's trajectory bound 2·t·K1 (K1 = 18, the 'dozat' bound).
 */
const V7b: Law = {
  id: 'V7b',
  title:
    "Nadam 'dozat' with ψ = 0 is Dozat's correction with constant μ = β1/2 (not optax's μ = β1): agrees with that formula in exact arithmetic within 2·t·K1·u·a",
  tolerance: "2·t·K1·u·a, B3's trajectory bound with K1 of the 'dozat' schedule",
  appliesTo: has('schedule'),
  runs: 10,
  needsReference: true,
  property: (entry, dtype, { reference }) =>
    fc.property(
      hyperConv(
        entry,
        { weightDecay: 0, decoupledWeightDecay: 0, maximize: false },
        { schedule: 'dozat', momentumDecay: 0 },
      ),
      trajectoryArb(dtype, { min: 1, max: 2 }, 12),
      ({ hyper, conventions }, c) => {
        const core = entry.create(hyper, conventions);
        const p = c.p.slice();
        const st = core.init(p.length, dtype);
        const b1 = leaf(hyper.beta1 as number);
        const b2 = leaf(hyper.beta2 as number);
        const mu = mul(b1, exact(0.5));
        const eta = leaf(hyper.lr as number);
        const eps = leaf(hyper.eps as number);
        let th = leaves(p);
        let m = th.map(() => leaf(0));
        let v = th.map(() => leaf(0));
        const K1 = reference!.conventionBound(entry.validateConventions(conventions), dtype);
        for (let t = 1; t <= c.grads.length; t++) {
          const g = leaves(c.grads[t - 1]!);
          core.step(p, c.grads[t - 1]!, st);
          const c2 = sub(exact(1), known2(b2.v.pow(t)));
          const muT = known2(mu.v.pow(t));
          const muT1 = known2(mu.v.pow(t + 1));
          m = m.map((mi, i) => add(mul(b1, mi), mul(sub(exact(1), b1), g[i]!)));
          v = v.map((vi, i) => add(mul(b2, vi), mul(sub(exact(1), b2), mul(g[i]!, g[i]!))));
          th = th.map((x, i) => {
            const look = add(
              div(mul(mu, m[i]!), sub(exact(1), muT1)),
              div(mul(sub(exact(1), mu), g[i]!), sub(exact(1), muT)),
            );
            return sub(x, div(mul(eta, look), add(sqrt(div(v[i]!, c2)), eps)));
          });
          for (let i = 0; i < p.length; i++) {
            if (!(th[i]!.v.abs().toNumber() <= MAX_FINITE[dtype])) return true;
            if (!firstOrderValid(th[i]!, dtype, 2 * t * K1)) continue;
            const k = kOf(p[i]!, th[i]!, dtype);
            must(
              k <= 2 * t * K1,
              () =>
                `t = ${t}: θ[${i}] core ${p[i]}, formula with μ = β1/2: ${th[i]!.v.toSignificantDigits(20)}: K = ${k} > 2·${t}·${K1}`,
            );
          }
        }
        return true;
      },
    ),
};

/** A Decimal computed to a few ulps by a good implementation (μ^t, β^t): scale |v|. */
function known2(v: Sc['v']): Sc {
  return { v, a: Math.abs(v.toNumber()) };
}

const nadamPair = (a: string, b: string): Law =>
  differ(
    a === 'none' ? 'V7c' : 'V7d',
    `Nadam '${a}' and '${b}' differ when β1 > 0 (the m_t coefficient β1/(1 − β1^t) vs μ_{t+1}/(1 − Π_{t+1})): a counterexample is found`,
    has('schedule'),
    { beta1: 0.9 },
    {},
    set({ schedule: a }),
    set({ schedule: b }),
  );
const V7c = nadamPair('none', 'constant');
const V7d = nadamPair('constant', 'dozat');

export const nadamScheduleLaws: Law[] = [V7a, V7b, V7c, V7d];
