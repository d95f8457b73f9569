/**
 * The per-dtype kernel copies (src/optimizers/kernel.ts): each optimizer's float32 path must run a
 * distinct function compiled from the same source, so V8 keeps separate (monomorphic) type
 * feedback per dtype. `specialize` falls back to one shared function when the source is
 * instrumented (coverage, mutation testing) or carries a transform's helpers (__vite_ssr, __name);
 * this test fails if vitest's own transform triggers that fallback. (Checked with vitest 4.1 and
 * its default esbuild/oxc transform: the kernels' source arrives untouched. Under istanbul-style
 * coverage the fallback is expected and this test would fail: run it without coverage.)
 */
import { describe, expect, it } from 'vitest';
import { registry } from '../src/index.js';
import { kernelsOf } from '../src/optimizers/define.js';
import { specialize } from '../src/optimizers/kernel.js';

describe('per-dtype kernels', () => {
  for (const e of registry) {
    it(`${e.name}: the float32 kernel is a distinct copy of the float64 one`, () => {
      const k = kernelsOf(e);
      expect(k, 'defineOptimizer did not record the kernels').toBeDefined();
      const src = k!.float64.toString();
      expect(k!.float32, `fell back to one shared kernel; its source as vitest delivered it:\n${src}`).not.toBe(k!.float64);
      expect(k!.float32.toString()).toBe(src);
      expect(k!.float32.length).toBe(k!.float64.length);
    });
  }
  it('specialize: a self-contained kernel is copied; an instrumented one falls back to itself', () => {
    function plain(p: Float64Array, n: number): void { for (let i = 0; i < n; i++) p[i] = Math.abs(p[i]!); }
    const a = specialize(plain);
    expect(a.float32).not.toBe(a.float64);
    const p = Float32Array.of(-1, 2, -3);
    (a.float32 as unknown as (p: Float32Array, n: number) => void)(p, 3);
    expect(Array.from(p)).toEqual([1, 2, 3]);
    // the instrumentation markers kernel.ts looks for
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const instrumented = new Function('p', 'n', 'cov_1a2b3c().s[0]++; for (let i = 0; i < n; i++) p[i] = 0;') as (p: Float64Array, n: number) => void;
    const b = specialize(instrumented);
    expect(b.float32).toBe(b.float64);
  });
});
