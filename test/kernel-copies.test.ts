/**
 * A kernel's copies are made once: per dtype and switch setting, the first `variantOf` compiles the
 * copy (kernels checked at run time) and every later one returns that same function. One function per
 * copy is what keeps V8's type feedback for it, and its cost out of every step after the first
 * (src/optimizers/kernel.ts, compileStep).
 */
import { describe, expect, it } from 'vitest';
import { compileAtRunTime, variantOf } from '../src/optimizers/kernel.js';

function stepKernel(i: number, { p, g }: { p: Float64Array; g: Float64Array }, { lr }: { lr: number }): void {
  p[i]! -= lr * g[i]!;
}

describe('copies of a kernel compiled at run time', () => {
  it('are made on first use, once per dtype and setting, then the same function every time', () => {
    const c = compileAtRunTime(stepKernel, 'once');
    expect(c.float64[0]).toBeUndefined();
    const first = variantOf(c, 'float64', 0);
    expect(c.float64[0]).toBe(first);
    expect(variantOf(c, 'float64', 0)).toBe(first);
    // Another dtype or setting is a copy of its own.
    const f32 = variantOf(c, 'float32', 0);
    expect(f32).not.toBe(first);
    expect(variantOf(c, 'float32', 0)).toBe(f32);
    const other = variantOf(c, 'float64', 1);
    expect(other).not.toBe(first);
    expect(variantOf(c, 'float64', 1)).toBe(other);
  });
});
