/**
 * The generator's oracle, shared by test/kernel.test.ts (the copies the build wrote) and
 * test/kernel-check.test.ts (copies generated in the test, so that a change to the generator shows in
 * the copies checked): each kernel function, called as plain JavaScript element by element (with the
 * shared preamble and epilogue applied around it by hand, in double precision as the copies do),
 * against its generated copies, for every switch setting and both dtypes, bit for bit.
 */
import { expect } from 'vitest';
import type { Dtype, Vec } from '../src/index.js';
import { variantOf, type Compiled } from '../src/optimizers/kernel.js';
import type { KernelTree } from '../src/optimizers/kernel/tree.js';
import { visitStmts } from '../src/optimizers/kernel/tree.js';
import { prng, vec } from './helpers.js';

const bits = (x: number): string => (Number.isNaN(x) ? 'NaN' : Object.is(x, -0) ? '-0' : String(x));

/** The kernel as written (its source function) against every copy of `c`; `tree` is its checked tree. */
export function copiesComputeAsWritten(c: Compiled, source: (...a: unknown[]) => void, tree: KernelTree): void {
  let readsP = false;
  visitStmts(tree.body, (x) => {
    if (x.kind === 'load' && x.array === 'p') readsP = true;
  });
  expect(readsP, 'this harness sets p[i] to κθ before calling the kernel: extend it for kernels that read p[i]').toBe(
    false,
  );
  for (const dtype of ['float64', 'float32'] as Dtype[]) {
    for (let setting = 0; setting < 2 ** c.switches.length; setting++) {
      const rnd = prng(7 + setting);
      // Two unrolled iterations and a remainder of one.
      const n = 9;
      const on = (s: string): boolean => ((setting >> c.switches.indexOf(s)) & 1) === 1;
      const scalars: Record<string, number> = { weightDecay: 0.25, keep: 0.875 };
      for (const s of c.scalars) scalars[s] = 0.1 + rnd() * 1.4;
      const draw = (): number => (rnd() < 0.1 ? 0 : (rnd() * 2 - 1) * 3);
      const draws = (f: () => number): Vec => vec(dtype, Array.from({ length: n }, f));
      const buffers = Object.fromEntries(
        c.arrays.filter((a) => a !== 'p' && a !== 'g').map((a) => [a, draws(() => Math.abs(draw()))]),
      );
      const p = draws(draw);
      const g = draws(draw);
      const mine = {
        p: p.slice(),
        buffers: Object.fromEntries(Object.entries(buffers).map(([k, v]) => [k, v.slice()])),
      };
      variantOf(c, dtype, setting)(p, g, buffers, scalars);
      // The kernel as written: g[i] is g̃, p[i] starts at κθ and accumulates in double precision.
      const own = Object.fromEntries(c.switches.slice(3).map((s) => [s, on(s)]));
      const pd = new Float64Array(n);
      const gd = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const theta = mine.p[i]!;
        const gr = on('$neg') ? -g[i]! : g[i]!;
        gd[i] = on('$decay') ? gr + scalars.weightDecay! * theta : gr;
        pd[i] = on('$keep') ? scalars.keep! * theta : theta;
        source(i, { p: pd, g: gd, ...mine.buffers }, scalars, own, {
          max: dtype === 'float64' ? 1.7976931348623157e308 : 3.4028234663852886e38,
        });
        mine.p[i] = pd[i]!;
      }
      const what = `${c.name} ${dtype} setting ${c.switches.filter(on).join(' ') || '(none)'}`;
      expect(Array.from(p, bits), what).toEqual(Array.from(mine.p, bits));
      for (const [b, v] of Object.entries(buffers))
        expect(Array.from(v, bits), `${what}: ${b}`).toEqual(Array.from(mine.buffers[b]!, bits));
    }
  }
}
