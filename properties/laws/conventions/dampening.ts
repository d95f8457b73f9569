/**
 * V12: PyTorch's dampening (dampening).
 * A family of the laws of convention (docs/conventions.md); the helpers they share are in
 * properties/laws/internal.ts.
 */
import fc from 'fast-check';
import { must, type Law } from '../../framework.js';
import { run, bitsEqual, trajectoryArb, differ, set, has, hyperConv } from '../internal.js';

/**
 * V12a. Dampening τ (rate outside, PyTorch): b_1 = g_1, b_t = γb_{t−1} + (1 − τ)g_t. That is an
 * undampened run fed g_1, d·g_2, d·g_3, … with d = fl(1 − τ): the kernel forms fl(d·g) either way,
 * so bit for bit (no coupled weight decay, which the damping would also scale). float64 only: in
 * float32 the fed gradient would be rounded to float32, the kernel's product is not. And at t = 1
 * any τ gives the undampened step, both dtypes.
 */
const V12a: Law = {
  id: 'V12a',
  title:
    'dampening τ (lr outside) equals an undampened run fed g_1, (1 − τ)·g_t for t ≥ 2, bit for bit (float64); the first step ignores τ',
  tolerance:
    'bit for bit (float64): the kernel forms fl(d·g) either way; float32 only the first step (the fed gradient would be rounded)',
  appliesTo: has('dampening'),
  runs: 30,
  property: (entry, dtype) =>
    fc.property(
      hyperConv(entry, { weightDecay: 0 }, { lrPlacement: 'outside' }),
      trajectoryArb(dtype),
      ({ hyper, conventions }, c) => {
        const a = run(entry, hyper, conventions, dtype, c.p, c.grads.slice(0, 1));
        const b = run(entry, hyper, { ...conventions, dampening: 0 }, dtype, c.p, c.grads.slice(0, 1));
        must(
          bitsEqual(a.p, b.p),
          () => `first step: τ = ${conventions.dampening} gives ${Array.from(a.p)}, τ = 0 ${Array.from(b.p)}`,
        );
        if (dtype === 'float32') return true;
        const d = 1 - (conventions.dampening as number);
        const fed = c.grads.map((g, t) => (t === 0 ? g : g.map((x) => d * x)));
        const x = run(entry, hyper, conventions, dtype, c.p, c.grads);
        const y = run(entry, hyper, { ...conventions, dampening: 0 }, dtype, c.p, fed);
        must(
          bitsEqual(x.p, y.p),
          () =>
            `τ = ${conventions.dampening}: θ ${Array.from(x.p)} ≠ undampened on damped gradients ${Array.from(y.p)}`,
        );
        return true;
      },
    ),
};

const V12b = differ(
  'V12b',
  'dampening τ > 0 differs from τ = 0 from step 2 on: a counterexample is found',
  has('dampening'),
  {},
  { dampening: 0.5 },
  (c) => c,
  set({ dampening: 0 }),
);

export const dampeningLaws: Law[] = [V12a, V12b];
