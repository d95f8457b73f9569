/**
 * V9: learning-rate decay (lrDecay).
 * A family of the laws of convention (docs/conventions.md); the helpers they share are in
 * properties/laws/internal.ts.
 */
import fc from 'fast-check';
import type { Hyper, Vec } from '../../../src/optimizers/types.js';
import { must, type Law } from '../../framework.js';
import { run, bitsEqual, trajectoryArb, counterexample, has, hyperConv } from '../internal.js';

/**
 * V9a. lrDecay d is the documented η_t = η/(1 + (t − 1)d): a default run whose lr is set to that
 * number before each step is bit for bit the same (no decoupled decay: κ = 1 − ηλ_d uses the
 * undecayed η in the decay run, the set η_t in the other). d = 0: η_t = η/1 = η, no decay at all.
 */
const V9a: Law = {
  id: 'V9a',
  title:
    'lrDecay d equals setting lr = η/(1 + (t − 1)·d) before each step, bit for bit (d = 0: no decay); without decoupled weight decay',
  tolerance: 'bit for bit: the same η_t = η/(1 + (t − 1)d) reaches the kernel either way',
  appliesTo: has('lrDecay'),
  runs: 30,
  property: (entry, dtype) =>
    fc.property(hyperConv(entry, { decoupledWeightDecay: 0 }), trajectoryArb(dtype), ({ hyper, conventions }, c) => {
      const d = conventions.lrDecay as number;
      const a = run(entry, hyper, conventions, dtype, c.p, c.grads);
      const b = run(entry, hyper, { ...conventions, lrDecay: 0 }, dtype, c.p, c.grads, (opt, t) =>
        opt.set({ lr: (hyper.lr as number) / (1 + (t - 1) * d) }),
      );
      must(bitsEqual(a.p, b.p), () => `d = ${d}: θ ${Array.from(a.p)} ≠ scheduled ${Array.from(b.p)}`);
      return true;
    }),
};

const V9b = counterexample<{ hyper: Hyper; conventions: Hyper; c: { p: Vec; grads: Vec[] } }>(
  'V9b',
  'lrDecay d > 0 differs from no decay from step 2 on (at t = 1, η_1 = η: equal): a counterexample is found',
  has('lrDecay'),
  (e, d) =>
    fc
      .record({ hc: hyperConv(e, {}, { lrDecay: 0.05 }), c: trajectoryArb(d, { min: 1, max: 2 }, 3) })
      .map(({ hc, c }) => ({ ...hc, c })),
  (e, d, x) => {
    const one = (lrDecay: number, steps: number) =>
      run(e, x.hyper, { ...x.conventions, lrDecay }, d, x.c.p, x.c.grads.slice(0, steps)).p;
    must(bitsEqual(one(0.05, 1), one(0, 1)), () => 'the first step differs, but η_1 = η');
    return bitsEqual(one(0.05, 3), one(0, 3));
  },
);

export const lrDecayLaws: Law[] = [V9a, V9b];
