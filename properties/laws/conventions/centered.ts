/**
 * V10: RMSprop centred (centered).
 * A family of the laws of convention (docs/conventions.md); the helpers they share are in
 * properties/laws/internal.ts.
 */
import fc from 'fast-check';
import type { Hyper } from '../../../src/optimizers/types.js';
import { CTOR, vec, REALISTIC } from '../../arbitraries.js';
import { must, type Law } from '../../framework.js';
import { MID, run, stateLike, bitsEqual, trajectoryArb, differ, has, hyperConv } from '../internal.js';

/** The non-centred twin of centred conventions c: same μ and placements (μ = 0: 'inside', one formula). */
const plainOf = (c: Hyper): Hyper => ({
  ...c,
  centered: false,
  ...((c.momentum as number) === 0 ? { lrPlacement: 'inside' } : {}),
});

/**
 * V10a. Centred divides by √(E[g²] − ḡ²) ≤ √E[g²]: from the same state, the centred step moves each
 * coordinate at least as far, in the same direction — in floating point too, because every
 * operation on the way (−, √, +, ÷, μb + x, κθ − x) rounds monotonically: θ_c ≤ θ_plain where
 * g̃ > 0, ≥ where g̃ < 0. Where ḡ_t = 0 exactly, D = E[g²] and the two are bit for bit: built here
 * with ρ = 2^-k, g_1 = x, g_2 = −ρx on a grid (ḡ_2 = ρ(1 − ρ)x − (1 − ρ)ρx = 0 exactly).
 * (With μ = 0 the plain twin uses lrPlacement 'inside' so that both evaluate fl(ηg)/den.)
 */
const V10a: Law = {
  id: 'V10a',
  title:
    'RMSprop centred moves each coordinate at least as far as plain, same direction, from the same state (exact: rounding is monotone); bit for bit where ḡ_t = 0',
  tolerance: 'exact in floating point: every operation on the way rounds monotonically',
  appliesTo: has('centered'),
  runs: 50,
  property: (entry, dtype) =>
    fc.property(
      hyperConv(entry, {}, { centered: true }).map(({ hyper, conventions }) => ({
        hyper,
        conventions: (conventions.momentum as number) === 0 ? { ...conventions, lrPlacement: 'inside' } : conventions,
      })),
      fc.integer({ min: 0, max: 10 }).chain((k) => trajectoryArb(dtype, { min: 1, max: 4 }, k + 1, REALISTIC)),
      ({ hyper, conventions }, c) => {
        const hist = c.grads.slice(0, -1);
        const g = c.grads[c.grads.length - 1]!;
        const cen = run(entry, hyper, conventions, dtype, c.p, hist);
        // Centred with ρ = 0 has variance 0 and steps by ηg/ε: the history may overflow; such a
        // state (non-finite, or θ beyond 1e30 where λθ overflows next) is not what this law is about.
        fc.pre(
          cen.p.every((x) => Math.abs(x) < 1e30) &&
            Object.values(cen.state.buffers).every((b) => b.every(Number.isFinite)),
        );
        const plain = entry.create(hyper, plainOf(conventions));
        const names = Object.keys(plain.init(0, dtype).buffers);
        const sp = stateLike(cen.state, names);
        const pp = cen.p.slice();
        const gt = Array.from(pp, (th, i) => (hyper.maximize ? -1 : 1) * g[i]! + (hyper.weightDecay as number) * th);
        cen.opt.step(cen.p, g, cen.state);
        plain.step(pp, g, sp);
        for (let i = 0; i < pp.length; i++) {
          const x = cen.p[i]!;
          const y = pp[i]!;
          const ok = gt[i]! > 0 ? x <= y : gt[i]! < 0 ? x >= y : x === y;
          must(ok, () => `g̃ = ${gt[i]}: θ centred ${x}, plain ${y} (ḡ = ${cen.state.buffers.mg![i]})`);
          if (cen.state.buffers.mg![i] === 0) must(x === y, () => `ḡ = 0 but θ centred ${x} ≠ plain ${y}`);
        }
        return true;
      },
    ),
};

const V10b: Law = {
  id: 'V10b',
  title: 'RMSprop centred equals plain bit for bit at a step where ḡ_t = 0 exactly (ρ = 2^-k, g_2 = −ρ·g_1 on a grid)',
  tolerance: 'bit for bit: ḡ_2 = 0 exactly on the grid (ρ = 2^-k), so both divide by the same D',
  appliesTo: has('centered'),
  runs: 40,
  property: (entry, dtype) =>
    fc.property(
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 1, max: 4 }).chain((n) =>
        fc.array(
          fc.integer({ min: -255, max: 255 }).filter((k) => k !== 0),
          { minLength: n, maxLength: n },
        ),
      ),
      hyperConv(entry, { weightDecay: 0 }, { centered: true }),
      vec(dtype, 4, MID),
      (k, xs, { hyper, conventions }, p0) => {
        const rho = 2 ** -k;
        const conv = (conventions.momentum as number) === 0 ? { ...conventions, lrPlacement: 'inside' } : conventions;
        const h = { ...hyper, rho };
        const g1 = CTOR[dtype].from(xs.map((x) => x * 2 ** -8));
        const g2 = g1.map((x) => -rho * x);
        const p = p0.slice(0, xs.length);
        const cen = run(entry, h, conv, dtype, p, [g1]);
        const plain = entry.create(h, plainOf(conv));
        const sp = stateLike(cen.state, Object.keys(plain.init(0, dtype).buffers));
        const pp = cen.p.slice();
        cen.opt.step(cen.p, g2, cen.state);
        plain.step(pp, g2, sp);
        must(
          cen.state.buffers.mg!.every((x) => x === 0),
          () => `ḡ_2 = ${Array.from(cen.state.buffers.mg!)}, not 0`,
        );
        must(bitsEqual(cen.p, pp), () => `θ centred ${Array.from(cen.p)} ≠ plain ${Array.from(pp)}`);
        return true;
      },
    ),
};

const V10c = differ(
  'V10c',
  'RMSprop centred and plain differ where ḡ_t ≠ 0: a counterexample is found',
  has('centered'),
  { eps: 1e-8 },
  { centered: true, momentum: 0, lrPlacement: 'inside' },
  (c) => c,
  plainOf,
);

export const centeredLaws: Law[] = [V10a, V10b, V10c];
