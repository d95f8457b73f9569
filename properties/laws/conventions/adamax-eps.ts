/**
 * V6: AdaMax, ε in the max vs in the denominator (epsPlacement).
 * A family of the laws of convention (docs/conventions.md); the helpers they share are in
 * properties/laws/internal.ts.
 */
import fc from 'fast-check';
import type { OptimizerEntry } from '../../../src/optimizers/define.js';
import { fromDouble } from '../../../reference/decimal.js';
import { REALISTIC } from '../../arbitraries.js';
import { must, selects, type Law } from '../../framework.js';
import { STEPS, trajectoryArb, differ, set, hyperConv, lockstepExact } from '../internal.js';

const epsMax = selects("convention option 'epsPlacement' with a choice 'max'", (e: OptimizerEntry): boolean => {
  const s = e.conventions.epsPlacement;
  return s?.kind === 'choice' && s.choices.includes('max');
});

/**
 * V6a. 'max': w_t = max(β2 w_{t−1}, |g_t| + ε), Δ ∝ m/w_t; 'denominator': u_t = max(β2 u_{t−1}, |g_t|),
 * Δ ∝ m/(u_t + ε). u_t + ε = max(β2(u_{t−1} + ε) + (1 − β2)ε, |g_t| + ε) ≥ w_t by induction, with
 * equality exactly when the current |g_t| sets the max (or ε = 0). ε = 0: bit for bit. Otherwise at
 * each coordinate and step where both maxima pick the current gradient (as the core decides it),
 * the steps from the same θ are bit for bit (both divide by fl(|g̃| + ε)).
 */
const V6a: Law = {
  id: 'V6a',
  title:
    'AdaMax ε in the max vs in the denominator: bit for bit when ε = 0, and at every step where both maxima are set by the current |g_t| (both divide by |g_t| + ε), the steps taken from the same θ',
  tolerance: 'bit for bit where both maxima pick the current gradient: both divide by fl(|g̃| + ε)',
  appliesTo: epsMax,
  runs: 40,
  property: (entry, dtype) =>
    fc.property(
      fc.oneof(hyperConv(entry), hyperConv(entry, { eps: 0 })),
      trajectoryArb(dtype, { min: 1, max: 4 }, STEPS, REALISTIC),
      ({ hyper, conventions }, c) => {
        const den = entry.create(hyper, { ...conventions, epsPlacement: 'denominator' });
        const mx = entry.create(hyper, { ...conventions, epsPlacement: 'max' });
        const p = c.p.slice();
        const sd = den.init(p.length, dtype);
        const sm = mx.init(p.length, dtype);
        const s = hyper.maximize ? -1 : 1;
        const b2 = hyper.beta2 as number;
        const eps = hyper.eps as number;
        for (let t = 1; t <= c.grads.length; t++) {
          const g = c.grads[t - 1]!;
          const q = p.slice();
          const gt = Array.from(p, (th, i) => s * g[i]! + (hyper.weightDecay as number) * th);
          const byG = gt.map(
            (x, i) => Math.abs(x) >= b2 * sd.buffers.u![i]! && Math.abs(x) + eps >= b2 * sm.buffers.u![i]!,
          );
          den.step(p, g, sd);
          mx.step(q, g, sm);
          for (let i = 0; i < p.length; i++) {
            if (eps === 0 || byG[i])
              must(
                Object.is(p[i], q[i]) || (p[i] === 0 && q[i] === 0),
                () =>
                  `t = ${t}, [${i}]: ${eps === 0 ? 'ε = 0' : 'both maxima at |g|'}, θ denominator ${p[i]} ≠ max ${q[i]}`,
              );
          }
          q.set(p);
        }
        return true;
      },
    ),
};

const V6b = differ(
  'V6b',
  'AdaMax ε in the max vs in the denominator differ for ε > 0 once the decayed max exceeds |g_t|: a counterexample is found',
  epsMax,
  { eps: 1e-2 },
  {},
  set({ epsPlacement: 'denominator' }),
  set({ epsPlacement: 'max' }),
);

/** V6c. The "only if" for AdaMax: with ε > 0 the exact steps differ wherever |g_t| < β2·u_{t−1}. */
const V6c: Law = {
  id: 'V6c',
  title:
    "AdaMax ε in the max vs the denominator, exact (reference, lockstep from the same θ), ε > 0: the steps are equal iff |g_t| ≥ β2·u_{t−1} (u the 'denominator' form's buffer) or m_t = 0",
  tolerance: 'exact (50-digit reference): equal means within 1e-40 relative',
  appliesTo: epsMax,
  dtypes: ['float64'],
  runs: 12,
  needsReference: true,
  property: (entry, _dtype, { reference }) =>
    fc.property(
      hyperConv(entry, { weightDecay: 0, eps: 1e-3 }),
      trajectoryArb('float64', { min: 1, max: 2 }, 8, REALISTIC),
      ({ hyper, conventions }, c) => {
        const ca = entry.validateConventions({ ...conventions, epsPlacement: 'denominator' });
        const cb = entry.validateConventions({ ...conventions, epsPlacement: 'max' });
        const b2 = fromDouble(hyper.beta2 as number);
        lockstepExact(reference!.reference, hyper, ca, cb, c.p, c.grads, (t, i, before, g, same, mZero) => {
          const setsMax = g.v.abs().gte(b2.times(before.u![i]!.v));
          must(
            same === (setsMax || mZero),
            () =>
              `t = ${t}, [${i}]: |g| ${g.v.abs()} vs β2·u ${b2.times(before.u![i]!.v)}: steps ${same ? 'equal' : 'differ'}`,
          );
        });
        return true;
      },
    ),
};

export const adamaxEpsLaws: Law[] = [V6a, V6b, V6c];
