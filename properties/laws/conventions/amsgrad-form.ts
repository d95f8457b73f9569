/**
 * V4: AMSGrad, the max of raw v then bias-correct (PyTorch) vs the max of bias-corrected v̂ (optax) (form).
 * A family of the laws of convention (docs/conventions.md); the helpers they share are in
 * properties/laws/internal.ts.
 */
import fc from 'fast-check';
import { fromDouble } from '../../../reference/decimal.js';
import { REALISTIC } from '../../arbitraries.js';
import { must, type Law } from '../../framework.js';
import { STEPS, trajectoryArb, differ, set, hyperConv, lockstepExact, has } from '../internal.js';

/**
 * V4a. rawMax: θ −= (η/c1)·m/(√(max_i v_i / c2(t)) + ε); correctedMax: √(max_i (v_i / c2(i))).
 * c2(i) = 1 − β2^i increases with i, so max_i v_i/c2(i) ≥ max_i v_i/c2(t), with equality exactly
 * when β2 = 0 (c2 ≡ 1), or t = 1, or v̂_t = v_t/c2(t) is a running maximum of the corrected v̂_i
 * (then v_t is also the raw maximum and both equal v̂_t). The core computes both from the same
 * product fl(v_t·fl(1/c2)), so at each step where both maxima are attained by the current v_t
 * (as computed), the steps from the same θ are bit for bit equal; β2 = 0: whole runs bit for bit.
 */
const V4a: Law = {
  id: 'V4a',
  title:
    'AMSGrad rawMax (PyTorch) equals correctedMax (optax) bit for bit at every step where the current v_t attains both maxima (always at t = 1; β2 = 0: whole runs), the steps taken from the same θ',
  tolerance:
    'bit for bit where the current v_t attains both maxima: both forms compute the same product fl(v_t·fl(1/c2))',
  appliesTo: has('form'),
  runs: 40,
  property: (entry, dtype) =>
    fc.property(
      fc.oneof(
        hyperConv(entry, {}, { epsMode: 'outside' }),
        hyperConv(entry, { beta2: 0, eps: 1e-8 }, { epsMode: 'outside' }),
      ),
      trajectoryArb(dtype, { min: 1, max: 4 }, STEPS, REALISTIC),
      ({ hyper, conventions }, c) => {
        const raw = entry.create(hyper, { ...conventions, form: 'rawMax' });
        const cor = entry.create(hyper, { ...conventions, form: 'correctedMax' });
        const p = c.p.slice();
        const sr = raw.init(p.length, dtype);
        const sc = cor.init(p.length, dtype);
        let hits = 0;
        for (let t = 1; t <= c.grads.length; t++) {
          const g = c.grads[t - 1]!;
          const q = p.slice();
          const vhr = sr.buffers.vhat!.slice();
          const vhc = sc.buffers.vhat!.slice();
          raw.step(p, g, sr);
          cor.step(q, g, sc);
          for (let i = 0; i < p.length; i++) {
            const v = sr.buffers.v![i]!;
            const atRaw = v >= vhr[i]!;
            const atCor = sc.buffers.vhat![i]! !== vhc[i]! || t === 1 || (hyper.beta2 as number) === 0;
            if (atRaw && atCor) {
              hits++;
              must(
                Object.is(p[i], q[i]) || (p[i] === 0 && q[i] === 0),
                () =>
                  `t = ${t}, coordinate ${i}: both maxima at v_t = ${v}, yet θ rawMax ${p[i]} ≠ correctedMax ${q[i]}`,
              );
            }
            if ((hyper.beta2 as number) === 0)
              must(
                Object.is(p[i], q[i]) || (p[i] === 0 && q[i] === 0),
                () => `β2 = 0, t = ${t}: θ[${i}] rawMax ${p[i]} ≠ correctedMax ${q[i]}`,
              );
          }
          // Keep both on the same θ (the claim is about steps from the same point).
          q.set(p);
        }
        must(hits > 0, () => 'the condition never held (t = 1 should always)');
        return true;
      },
    ),
};

const V4b = differ(
  'V4b',
  'AMSGrad rawMax and correctedMax differ when v̂ falls (a large gradient, then small ones, β2 > 0): a counterexample is found',
  has('form'),
  { beta2: 0.9, eps: 1e-8 },
  { epsMode: 'outside' },
  set({ form: 'rawMax' }),
  set({ form: 'correctedMax' }),
  4,
  REALISTIC,
);

/** V4c. The "only if": in exact arithmetic the steps differ wherever the corrected v̂_t is below an earlier one. */
const V4c: Law = {
  id: 'V4c',
  title:
    'AMSGrad rawMax vs correctedMax, exact (reference, lockstep from the same θ): the steps are equal iff v_t/(1 − β2^t) ≥ every earlier v_i/(1 − β2^i) (or β2 = 0, or m_t = 0)',
  tolerance:
    'exact (50-digit reference): equal means within 1e-40 relative; no verdict where the forms differ by less than the reference resolves (predicted difference within 100× of 1e-40·|θ|)',
  appliesTo: has('form'),
  dtypes: ['float64'],
  runs: 12,
  needsReference: true,
  property: (entry, _dtype, { reference }) =>
    fc.property(
      hyperConv(entry, { weightDecay: 0, decoupledWeightDecay: 0 }, { epsMode: 'outside' }),
      trajectoryArb('float64', { min: 1, max: 2 }, 8, REALISTIC),
      ({ hyper, conventions }, c) => {
        const ca = entry.validateConventions({ ...conventions, form: 'correctedMax' });
        const cb = entry.validateConventions({ ...conventions, form: 'rawMax' });
        const b2 = fromDouble(hyper.beta2 as number);
        lockstepExact(reference!.reference, hyper, ca, cb, c.p, c.grads, (t, i, before, g, same, mZero, after) => {
          // v_t from v_{t−1} (maximize flips g, which v does not see); the corrected running max before t is vhat.
          const v = b2.times(before.v![i]!.v).plus(fromDouble(1).minus(b2).times(g.v.pow(2)));
          const c2 = fromDouble(1).minus(b2.pow(t));
          const vh = v.div(c2);
          const prev = before.vhat![i]!.v;
          // The two effective second moments, max_i(v_i/c2(i)) and max_i(v_i)/c2(t): where they are
          // within 1e-30 of each other (or v̂_t of the earlier max) the reference's 50 digits cannot
          // tell equal from different (β2 = 1e-9: they differ by β2^6 ≈ 1e-54): no verdict there.
          const eCor = after.a.vhat![i]!.v;
          const eRaw = after.b.vhat![i]!.v.div(c2);
          const close = (x: typeof vh, y: typeof vh): boolean =>
            x.minus(y).abs().lte(x.abs().plus(y.abs()).times(1e-30));
          if (!prev.isZero() && close(vh, prev)) return;
          const expect = vh.gte(prev) || b2.isZero() || mZero;
          if (!expect && close(eCor, eRaw)) return;
          // `same` compares θ to 1e-40 of |θ|: a step far smaller than θ moves the difference of the
          // two steps (|Δ|·|eCor − eRaw|/(2·eCor), √ halves the relative difference) below what θ's 50
          // digits resolve (β2 ≈ 1e-9, θ = 0.29, Δ ≈ 1e-13: the steps differ by ~1e-40 of θ). No
          // verdict where that predicted difference is within 100× of the threshold. (Weight decay is
          // off here: its share of Δ is the same in both forms and would hide in Δ.)
          if (!expect) {
            const predicted = after.step.abs().times(eCor.minus(eRaw).abs()).div(eCor.abs().plus(eRaw.abs()));
            if (predicted.lte(after.theta.abs().times(2e-38))) return;
          }
          must(
            same === expect,
            () => `t = ${t}, [${i}]: corrected v̂_t ${vh} vs earlier max ${prev}: steps ${same ? 'equal' : 'differ'}`,
          );
        });
        return true;
      },
    ),
};

export const amsgradFormLaws: Law[] = [V4a, V4b, V4c];
