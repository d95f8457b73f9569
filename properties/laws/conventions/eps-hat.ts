/**
 * V3: Keras's ε-hat (epsMode) against ε outside the root.
 * A family of the laws of convention (docs/conventions.md); the helpers they share are in
 * properties/laws/internal.ts.
 */
import fc from 'fast-check';
import { leaves, type Sc } from '../../../reference/scaled.js';
import { firstOrderValid } from '../../accuracy.js';
import { REALISTIC } from '../../arbitraries.js';
import { must, selects, unitRoundoff, type Law } from '../../framework.js';
import { run, stateLike, bitsEqual, trajectoryArb, differ, has, hyperConv } from '../internal.js';

/**
 * V3a. 'hat': θ −= η√c2/c1 · m/(√v + ε̂), c_k = 1 − β_k^t. Dividing numerator and denominator by √c2:
 * = (η/c1)·m/(√(v/c2) + ε̂/√c2), i.e. Algorithm 1 ('outside') with ε_t = ε̂/√(1 − β2^t) — the
 * outside ε is the LARGER one (ε̂ = ε_t·√(1 − β2^t)). Checked one step from the same state: m, v
 * (and AMSGrad's max) bit for bit; θ within k·u·a, a the reference's scale, k = 14 ('hat') + 16
 * ('outside') + 5 (ε_t's own rounding, entering Δ with weight ≤ 1) in float64; float32: both are
 * one rounding of doubles that close: 2 + 35·2^-29.
 */
const V3a: Law = {
  id: 'V3a',
  title:
    "ε-hat (Keras) with ε̂ equals ε outside the root with ε_t = ε̂/√(1 − β2^t) at each t (Adam; AMSGrad 'rawMax'): moments bit for bit, θ within (14 + 16 + 5)·u·a",
  tolerance:
    "moments bit for bit; θ within (14 + 16 + 5)·u·a in float64 (the 'hat' count, the 'outside' count, ε_t's own rounding), 2 + 35·2^-29 in float32",
  appliesTo: has('epsMode'),
  runs: 60,
  needsReference: true,
  property: (entry, dtype, { reference }) =>
    fc.property(
      hyperConv(entry, {}, { epsMode: 'hat', ...('form' in entry.conventions ? { form: 'rawMax' } : {}) }),
      fc.integer({ min: 0, max: 12 }).chain((k) => trajectoryArb(dtype, { min: 1, max: 4 }, k + 1, REALISTIC)),
      ({ hyper, conventions }, c) => {
        const hist = c.grads.slice(0, -1);
        const g = c.grads[c.grads.length - 1]!;
        const hat = run(entry, hyper, conventions, dtype, c.p, hist);
        const co = { ...conventions, epsMode: 'outside' };
        const out = entry.create(hyper, co);
        const t = hist.length + 1;
        const beta2 = hyper.beta2 as number;
        const c2 = beta2 === 0 ? 1 : -Math.expm1(t * Math.log(beta2));
        const epsUse = (hyper.eps as number) / Math.sqrt(c2);
        out.set({ eps: epsUse });
        const ps = hat.p.slice();
        const ss = stateLike(hat.state, Object.keys(hat.state.buffers));
        const before = hat.p.slice();
        const rpre: Record<string, Sc[]> = {};
        for (const [k, v] of Object.entries(hat.state.buffers)) rpre[k] = leaves(v);
        hat.opt.step(hat.p, g, hat.state);
        out.step(ps, g, ss);
        for (const k of Object.keys(ss.buffers))
          must(bitsEqual(ss.buffers[k]!, hat.state.buffers[k]!), () => `buffer ${k} differs`);
        const r = reference!.reference.step(
          hyper as never,
          leaves(before),
          leaves(g),
          { t: t - 1, buffers: rpre },
          entry.validateConventions(conventions),
        );
        const k = dtype === 'float64' ? 35 : 2 + 35 * 2 ** -29;
        for (let i = 0; i < ps.length; i++) {
          if (!firstOrderValid(r.params[i]!, dtype, 35)) continue;
          const tol = k * unitRoundoff(dtype) * r.params[i]!.a + 2 ** -1074;
          must(
            Math.abs(ps[i]! - hat.p[i]!) <= tol,
            () =>
              `t = ${t}: θ[${i}] hat ${hat.p[i]}, outside with ε_t = ${epsUse}: ${ps[i]}; |Δ| ${Math.abs(ps[i]! - hat.p[i]!)} > ${tol}`,
          );
        }
        return true;
      },
    ),
};

/** V3b. AMSGrad 'ruder' and 'correctedMax' have no 1/(1 − β2^t) after the max: 'hat' changes nothing. */
const V3b: Law = {
  id: 'V3b',
  title:
    "AMSGrad forms 'ruder' and 'correctedMax': epsMode 'hat' equals 'outside' bit for bit (no factor after the max to move)",
  tolerance: 'bit for bit: those forms have no factor after the max for ε-hat to move',
  appliesTo: selects(
    "convention options 'epsMode' and 'form'",
    (e) => 'epsMode' in e.conventions && 'form' in e.conventions,
  ),
  runs: 30,
  property: (entry, dtype) =>
    fc.property(
      hyperConv(entry),
      fc.constantFrom('ruder', 'correctedMax'),
      trajectoryArb(dtype),
      ({ hyper, conventions }, form, c) => {
        const a = run(entry, hyper, { ...conventions, form, epsMode: 'hat' }, dtype, c.p, c.grads);
        const b = run(entry, hyper, { ...conventions, form, epsMode: 'outside' }, dtype, c.p, c.grads);
        must(bitsEqual(a.p, b.p), () => `θ hat ${Array.from(a.p)} ≠ outside ${Array.from(b.p)}`);
        return true;
      },
    ),
};

const V3c = differ(
  'V3c',
  'ε-hat with ε̂ = ε differs from ε outside (the same number means a different ε): a counterexample is found',
  has('epsMode'),
  { eps: 1e-3 },
  {},
  (c) => ({ ...c, epsMode: 'hat', ...('form' in c ? { form: 'rawMax' } : {}) }),
  (c) => ({ ...c, epsMode: 'outside', ...('form' in c ? { form: 'rawMax' } : {}) }),
);

export const epsHatLaws: Law[] = [V3a, V3b, V3c];
