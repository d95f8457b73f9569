/**
 * V1: where the learning rate sits, inside or outside the momentum buffer (lrPlacement).
 * A family of the laws of convention (docs/conventions.md); the helpers they share are in
 * properties/laws/internal.ts.
 */
import fc from 'fast-check';
import type { Hyper, Optimizer, Vec } from '../../../src/optimizers/types.js';
import { initRef } from '../../../reference/index.js';
import { leaves } from '../../../reference/scaled.js';
import { firstOrderValid } from '../../accuracy.js';
import { must, type Law } from '../../framework.js';
import { MAX_FINITE, run, bitsEqual, trajectoryArb, counterexample, has, hyperConv } from '../internal.js';

/**
 * V1a. Inside: v = γv + ηg, θ −= v. Outside: b = γb + g, θ −= ηb. With η = 2^-k, multiplying by η is
 * exact and commutes with rounding (no underflow in these ranges), so by induction v_t = η·b_t and
 * both θ agree bit for bit (RMSprop: v = μv + ηg/den vs b = μb + g/den likewise).
 */
const V1a: Law = {
  id: 'V1a',
  title:
    'lr inside vs outside the momentum buffer: bit for bit when η is a power of two (v_t = η·b_t exactly), constant rate, 20 steps',
  tolerance: 'bit for bit: multiplying by η = 2^-k is exact and commutes with rounding, so v_t = η·b_t exactly',
  appliesTo: has('lrPlacement'),
  runs: 25,
  property: (entry, dtype) =>
    fc.property(
      fc.integer({ min: 0, max: 14 }).chain((k) => hyperConv(entry, { lr: 2 ** -k })),
      trajectoryArb(dtype),
      ({ hyper, conventions }, c) => {
        const a = run(entry, hyper, { ...conventions, lrPlacement: 'inside' }, dtype, c.p, c.grads);
        const b = run(entry, hyper, { ...conventions, lrPlacement: 'outside' }, dtype, c.p, c.grads);
        must(bitsEqual(a.p, b.p), () => `θ inside ${Array.from(a.p)} ≠ outside ${Array.from(b.p)} (η = ${hyper.lr})`);
        const buf = ['v', 'mom'].find((k) => k in a.state.buffers);
        if (buf) {
          const scaled = b.state.buffers[buf]!.map((x) => x * (hyper.lr as number));
          must(
            bitsEqual(a.state.buffers[buf]!, scaled),
            () => `buffer ${buf}: inside ${Array.from(a.state.buffers[buf]!)} ≠ η·outside ${Array.from(scaled)}`,
          );
        }
        return true;
      },
    ),
};

/**
 * V1b. Any constant η: the two formulas have the same exact trajectory (the reference under both
 * agrees to 45 digits), and each core run is within B3's 2·t·K1 of it, so
 * |θ_in − θ_out| ≤ 2t·(K1_in·a_in + K1_out·a_out)·u with the reference's scales.
 */
const V1b: Law = {
  id: 'V1b',
  title:
    "lr inside vs outside, any constant η: the exact trajectories are identical (to the reference's 50 digits) and the two cores agree within 2t·(K1_in·a_in + K1_out·a_out)·u",
  tolerance:
    "exact trajectories equal to 1e-40 relative (the reference's 50 digits); the cores within 2t·(K1_in·a_in + K1_out·a_out)·u (each within B3's trajectory bound)",
  appliesTo: has('lrPlacement'),
  runs: 8,
  needsReference: true,
  property: (entry, dtype, { reference }) =>
    fc.property(hyperConv(entry), trajectoryArb(dtype, { min: 1, max: 2 }, 12), ({ hyper, conventions }, c) => {
      const ref = reference!.reference;
      const ci = entry.validateConventions({ ...conventions, lrPlacement: 'inside' });
      const co = entry.validateConventions({ ...conventions, lrPlacement: 'outside' });
      const a = run(entry, hyper, ci, dtype, c.p, []);
      const b = run(entry, hyper, co, dtype, c.p, []);
      let ri = { p: leaves(c.p), s: initRef(ref, c.p.length, ci) };
      let ro = { p: leaves(c.p), s: initRef(ref, c.p.length, co) };
      const ki = reference!.conventionBound(ci, dtype);
      const ko = reference!.conventionBound(co, dtype);
      for (let t = 1; t <= c.grads.length; t++) {
        const g = c.grads[t - 1]!;
        a.opt.step(a.p, g, a.state);
        b.opt.step(b.p, g, b.state);
        const x = ref.step(hyper as never, ri.p, leaves(g), ri.s, ci);
        const y = ref.step(hyper as never, ro.p, leaves(g), ro.s, co);
        ri = { p: x.params, s: x.state };
        ro = { p: y.params, s: y.state };
        for (let i = 0; i < a.p.length; i++) {
          const ex = x.params[i]!.v;
          const ey = y.params[i]!.v;
          // Equal to the reference's own accuracy: 50 digits relative to the scale (decimal.ts).
          must(
            ex.minus(ey).abs().toNumber() <= 1e-40 * (x.params[i]!.a + y.params[i]!.a),
            () => `step ${t}: exact θ[${i}] inside ${ex} ≠ outside ${ey}`,
          );
          if (!(ex.abs().toNumber() <= MAX_FINITE[dtype])) return true;
          if (!firstOrderValid(x.params[i]!, dtype, 2 * t * ki) || !firstOrderValid(y.params[i]!, dtype, 2 * t * ko))
            continue;
          const tol = 2 * t * (ki * x.params[i]!.a + ko * y.params[i]!.a) * (dtype === 'float32' ? 2 ** -24 : 2 ** -53);
          must(
            Math.abs(a.p[i]! - b.p[i]!) <= tol,
            () =>
              `step ${t}: θ[${i}] inside ${a.p[i]} vs outside ${b.p[i]}: |Δ| ${Math.abs(a.p[i]! - b.p[i]!)} > ${tol}`,
          );
        }
      }
      return true;
    }),
};

const V1c = counterexample<{ hyper: Hyper; conventions: Hyper; c: { p: Vec; grads: Vec[] }; lr2: number }>(
  'V1c',
  'lr inside vs outside differ once the rate changes mid-run (step 11: θ_out − θ_in = (η1 − η2)·γ·b_10 in exact arithmetic): a counterexample is found',
  has('lrPlacement'),
  (e, d) =>
    fc
      .record({
        hc: fc
          .integer({ min: 0, max: 10 })
          .chain((k) => hyperConv(e, { lr: 2 ** -k, momentum: 0.5 }, { momentum: 0.5 })),
        c: trajectoryArb(d),
        lr2: fc.integer({ min: 0, max: 10 }).map((k) => 2 ** -k),
      })
      .map(({ hc, c, lr2 }) => ({ ...hc, c, lr2 })),
  (e, d, x) => {
    const before = (opt: Optimizer, t: number): void => {
      if (t === 11) opt.set({ lr: x.lr2 });
    };
    const a = run(e, x.hyper, { ...x.conventions, lrPlacement: 'inside' }, d, x.c.p, x.c.grads, before);
    const b = run(e, x.hyper, { ...x.conventions, lrPlacement: 'outside' }, d, x.c.p, x.c.grads, before);
    return bitsEqual(a.p, b.p);
  },
);

export const lrPlacementLaws: Law[] = [V1a, V1b, V1c];
