/**
 * The kernel copies (src/optimizers/kernel.ts): each optimizer's float32 path must run a distinct
 * function compiled from the same source, so V8 keeps separate (monomorphic) type feedback per
 * dtype, and each switch setting must be its own copy with the switches fixed as constants.
 * `specialize` falls back to the one generic function when the source is instrumented (coverage,
 * mutation testing) or carries a transform's helpers (__vite_ssr, __name); this test fails if
 * vitest's own transform triggers that fallback. (Checked with vitest 4.1 and its default
 * transform: the kernels' source arrives untouched. Under istanbul-style coverage the fallback is
 * expected and this test would fail: run it without coverage.)
 */
import { describe, expect, it } from 'vitest';
import { registry } from '../src/index.js';
import { kernelsOf } from '../src/optimizers/define.js';
import { parameterNames, specialize } from '../src/optimizers/kernel.js';

describe('kernel copies', () => {
  for (const e of registry) {
    it(`${e.name}: float32 and float64 kernels are distinct copies; the shared options are switches`, () => {
      const k = kernelsOf(e);
      expect(k, 'defineOptimizer did not record the kernels').toBeDefined();
      const f64 = k!.float64.pick();
      const f32 = k!.float32.pick();
      expect(f32, `fell back to one shared kernel; its source as vitest delivered it:\n${f64.toString()}`).not.toBe(f64);
      expect(f32.toString()).toBe(f64.toString());
      // Every kernel takes the shared options as switches, in this order (common.ts's pick).
      expect(k!.float64.switches.slice(0, 3)).toEqual(['$neg', '$decay', '$keep']);
      // The default variant has the switches pinned at the top of its body.
      expect(f64.toString()).toMatch(/\{\s*\$neg = false; \$decay = false; \$keep = false;/);
      // Variants are cached: the same setting gives the same function; another gives another.
      expect(k!.float64.pick()).toBe(f64);
      expect(k!.float64.pick(true)).not.toBe(f64);
    });
  }

  it('a pinned switch selects its branch; the generic kernel and the copies compute the same', () => {
    function kernel(p: Float64Array, n: number, c: number, $double: boolean): void {
      for (let i = 0; i < n; i++) p[i] = $double ? 2 * p[i]! + c : p[i]! + c;
    }
    const v = specialize(kernel);
    expect(v.float64.switches).toEqual(['$double']);
    for (const on of [false, true]) {
      const a = Float64Array.of(1, 2, 3);
      const b = Float64Array.of(1, 2, 3);
      // The copy ignores the switch argument: its value is fixed in its body.
      (v.float64.pick(on) as typeof kernel)(a, 3, 0.5, !on);
      kernel(b, 3, 0.5, on);
      expect(Array.from(a)).toEqual(Array.from(b));
    }
  });

  it('an instrumented kernel falls back to itself for every dtype and setting', () => {
    // the instrumentation markers kernel.ts looks for
    const instrumented = new Function('p', 'n', '$x', 'cov_1a2b3c().s[0]++; for (let i = 0; i < n; i++) p[i] = 0;') as (p: Float64Array, n: number, $x: boolean) => void;
    const b = specialize(instrumented);
    expect(b.float32.pick(true)).toBe(instrumented);
    expect(b.float64.pick(false)).toBe(instrumented);
  });

  it('reads parameter names from compiled sources', () => {
    expect(parameterNames('function k(p, g,\n  n, $a, $b) {\n}')).toEqual(['p', 'g', 'n', '$a', '$b']);
  });
});
