/**
 * V11: Adadelta, the previous vs the current squared-gradient average (gradAverage).
 * A family of the laws of convention (docs/conventions.md); the helpers they share are in
 * properties/laws/internal.ts.
 */
import fc from 'fast-check';
import { CTOR, vec, REALISTIC } from '../../arbitraries.js';
import { must, type Law } from '../../framework.js';
import { MID, run, stateLike, bitsEqual, trajectoryArb, differ, set, has, hyperConv } from '../internal.js';

/**
 * V11a. 'previous' (TF.js) divides by √(E_{t−1} + ε), 'current' by √(E_t + ε), everything else
 * equal: from the same state the step is at least as large with 'previous' exactly when
 * E_t ≥ E_{t−1} (g_t² ≥ E_{t−1} in exact arithmetic), at most when E_t ≤ E_{t−1}, and bit for bit
 * when the computed E_t equals E_{t−1} (monotone rounding: exact in floating point, judged on the
 * E_t the kernel computes, in double).
 */
const V11a: Law = {
  id: 'V11a',
  title:
    "Adadelta gradAverage 'previous' vs 'current' from the same state: the step is larger with 'previous' iff E_t > E_{t−1}, smaller iff <, bit for bit iff E_t = E_{t−1} (exact in floating point)",
  tolerance: 'exact in floating point (monotone rounding), judged on the E_t the kernel computes',
  appliesTo: has('gradAverage'),
  runs: 60,
  property: (entry, dtype) =>
    fc.property(
      hyperConv(entry, {}, { gradAverage: 'current' }),
      fc.integer({ min: 0, max: 10 }).chain((k) => trajectoryArb(dtype, { min: 1, max: 4 }, k + 1, REALISTIC)),
      ({ hyper, conventions }, c) => {
        const hist = c.grads.slice(0, -1);
        const g = c.grads[c.grads.length - 1]!;
        const cur = run(entry, hyper, conventions, dtype, c.p, hist);
        const prev = entry.create(hyper, { ...conventions, gradAverage: 'previous' });
        const sp = stateLike(cur.state, Object.keys(cur.state.buffers));
        const pp = cur.p.slice();
        const rho = hyper.rho as number;
        const gt = Array.from(pp, (th, i) => (hyper.maximize ? -1 : 1) * g[i]! + (hyper.weightDecay as number) * th);
        const Eold = cur.state.buffers.Eg2!.slice();
        const Enew = gt.map((x, i) => rho * Eold[i]! + (1 - rho) * (x * x));
        cur.opt.step(cur.p, g, cur.state);
        prev.step(pp, g, sp);
        for (let i = 0; i < pp.length; i++) {
          const dc = cur.p[i]!;
          const dp = pp[i]!;
          if (Enew[i] === Eold[i]) {
            must(dc === dp, () => `E_t = E_{t−1} = ${Eold[i]}: θ current ${dc} ≠ previous ${dp}`);
            continue;
          }
          // previous takes the larger step iff E_t > E_{t−1}; the step has the sign of −g̃ (θ − η·r·g̃).
          const prevFurther = gt[i]! > 0 ? dp <= dc : gt[i]! < 0 ? dp >= dc : dp === dc;
          const prevShorter = gt[i]! > 0 ? dp >= dc : gt[i]! < 0 ? dp <= dc : dp === dc;
          must(
            Enew[i]! > Eold[i]! ? prevFurther : prevShorter,
            () => `E_{t−1} ${Eold[i]}, E_t ${Enew[i]}, g̃ ${gt[i]}: θ previous ${dp}, current ${dc}`,
          );
        }
        return true;
      },
    ),
};

/** V11b. ρ = 1/2 and E_{t−1} = g²: E_t = ½g² + ½g² = g² exactly, so the two coincide bit for bit. */
const V11b: Law = {
  id: 'V11b',
  title:
    "Adadelta 'previous' equals 'current' bit for bit where E_t = E_{t−1} (ρ = 1/2, E_{t−1} = g_t², g on a grid); and 'previous' starts with Δθ_1 = −g_1 exactly",
  tolerance: "bit for bit: E_t = ½g² + ½g² = g² exactly, and the first step's √ε/√ε = 1",
  appliesTo: has('gradAverage'),
  runs: 40,
  property: (entry, dtype) =>
    fc.property(
      hyperConv(entry, { rho: 0.5, weightDecay: 0, maximize: false }),
      fc
        .integer({ min: 1, max: 4 })
        .chain((n) => fc.array(fc.integer({ min: -255, max: 255 }), { minLength: n, maxLength: n })),
      vec(dtype, 4, MID),
      vec(dtype, 4, { min: 1e-6, max: 1, zeros: 0.2, signed: false }),
      ({ hyper, conventions }, ks, p0, ex) => {
        const g = CTOR[dtype].from(ks.map((k) => k * 2 ** -8));
        const p = p0.slice(0, ks.length);
        const a = entry.create(hyper, { ...conventions, gradAverage: 'current' });
        const b = entry.create(hyper, { ...conventions, gradAverage: 'previous' });
        const sa = a.init(p.length, dtype);
        sa.buffers.Eg2!.set(g.map((x) => x * x));
        sa.buffers.Edx2!.set(ex.slice(0, p.length));
        sa.t = 3;
        const sb = stateLike(sa, ['Eg2', 'Edx2']);
        const pa = p.slice();
        const pb = p.slice();
        a.step(pa, g, sa);
        b.step(pb, g, sb);
        must(bitsEqual(pa, pb), () => `θ current ${Array.from(pa)} ≠ previous ${Array.from(pb)}`);
        // First step of 'previous' from a fresh state: √(0 + ε)/√(0 + ε) = 1, θ_1 = κθ − η·g.
        const f = run(entry, hyper, { ...conventions, gradAverage: 'previous' }, dtype, p, [g]);
        const keep = 1 - (hyper.lr as number) * (hyper.decoupledWeightDecay as number);
        const want = p.map((th, i) => keep * th - (hyper.lr as number) * g[i]!);
        must(bitsEqual(f.p, want), () => `first step ${Array.from(f.p)} ≠ κθ − ηg ${Array.from(want)}`);
        return true;
      },
    ),
};

const V11c = differ(
  'V11c',
  "Adadelta 'previous' and 'current' differ where g_t² ≠ E_{t−1}: a counterexample is found",
  has('gradAverage'),
  {},
  {},
  set({ gradAverage: 'previous' }),
  set({ gradAverage: 'current' }),
);

export const gradAverageLaws: Law[] = [V11a, V11b, V11c];
