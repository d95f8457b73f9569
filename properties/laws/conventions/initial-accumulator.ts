/**
 * V8: Adagrad's initial accumulator (initialAccumulator).
 * A family of the laws of convention (docs/conventions.md); the helpers they share are in
 * properties/laws/internal.ts.
 */
import fc from 'fast-check';
import type { Hyper, Vec } from '../../../src/optimizers/types.js';
import { CTOR, vec } from '../../arbitraries.js';
import { must, type Law } from '../../framework.js';
import { MID, STEPS, run, bitsEqual, trajectoryArb, counterexample, has, hyperConv } from '../internal.js';

/**
 * V8a. initialAccumulator G_0 is a default-convention run whose buffer G starts at G_0: in exact
 * arithmetic the accumulators G_0 + Σg² agree. The core keeps Σg² in G and adds G_0 (with ε) per
 * step, so the sums are associated differently; when every sum is exact they agree bit for bit,
 * and the states relate by G_seeded = G_conv + G_0 exactly. Exact here: g = k·2^-8 (|k| ≤ 255),
 * G_0 = j·2^-16 ≤ 1, ε = i·2^-16 ≤ 2^-8, no coupled weight decay (λθ would leave the grid): every
 * partial sum is a multiple of 2^-16 below 2^5, 21 bits, exact in float32 too.
 */
const V8a: Law = {
  id: 'V8a',
  title:
    'Adagrad initialAccumulator G_0 equals a run whose state G was seeded with G_0: bit for bit when every sum is exact (G_seeded = G + G_0 exactly), 20 steps',
  tolerance:
    'bit for bit: on the grid every partial sum is a multiple of 2^-16 below 2^5 (21 bits: exact in float32 too)',
  appliesTo: has('initialAccumulator'),
  runs: 40,
  property: (entry, dtype) => {
    const grid = fc.integer({ min: -255, max: 255 }).map((k) => k * 2 ** -8);
    return fc.property(
      hyperConv(entry, { weightDecay: 0 }),
      fc.integer({ min: 0, max: 2 ** 16 }),
      fc.integer({ min: 0, max: 256 }),
      fc.integer({ min: 1, max: 4 }).chain((n) =>
        fc.record({
          p: vec(dtype, n, MID),
          grads: fc.array(
            fc.array(grid, { minLength: n, maxLength: n }).map((xs) => CTOR[dtype].from(xs)),
            { minLength: STEPS, maxLength: STEPS },
          ),
        }),
      ),
      ({ hyper, conventions }, j, i, c) => {
        const G0 = j * 2 ** -16;
        const h = { ...hyper, eps: i * 2 ** -16 };
        const a = run(entry, h, { ...conventions, initialAccumulator: G0 }, dtype, c.p, c.grads);
        const opt = entry.create(h, { ...conventions, initialAccumulator: 0 });
        const p = c.p.slice();
        const st = opt.init(p.length, dtype);
        st.buffers.G!.fill(G0);
        for (const g of c.grads) opt.step(p, g, st);
        must(bitsEqual(a.p, p), () => `θ with G_0 ${Array.from(a.p)} ≠ seeded ${Array.from(p)}`);
        must(
          bitsEqual(
            st.buffers.G!,
            a.state.buffers.G!.map((x) => x + G0),
          ),
          () => `G seeded ${Array.from(st.buffers.G!)} ≠ G + G_0 ${Array.from(a.state.buffers.G!.map((x) => x + G0))}`,
        );
        return true;
      },
    );
  },
};

const V8b = counterexample<{ hyper: Hyper; conventions: Hyper; c: { p: Vec; grads: Vec[] }; G0: number }>(
  'V8b',
  'Adagrad initialAccumulator vs a seeded G with inexact sums (G_0 in [1e-3, 1], g in [1e-3, 1e3]): the roundings differ, a counterexample to bit-for-bit is found',
  has('initialAccumulator'),
  (e, d) =>
    fc
      .record({
        hc: hyperConv(e),
        c: trajectoryArb(d, { min: 1, max: 3 }, 5),
        G0: fc.double({ min: 1e-3, max: 1, noNaN: true }),
      })
      .map(({ hc, c, G0 }) => ({ ...hc, c, G0 })),
  (e, d, x) => {
    const a = run(e, x.hyper, { ...x.conventions, initialAccumulator: x.G0 }, d, x.c.p, x.c.grads);
    const opt = e.create(x.hyper, { ...x.conventions, initialAccumulator: 0 });
    const p = x.c.p.slice();
    const st = opt.init(p.length, d);
    st.buffers.G!.fill(x.G0);
    for (const g of x.c.grads) opt.step(p, g, st);
    return bitsEqual(a.p, p);
  },
);

export const initialAccumulatorLaws: Law[] = [V8a, V8b];
