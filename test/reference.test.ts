/**
 * The decimal reference: one per registry optimizer (name, buffers), and its number conversions.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { registry } from '../src/optimizers/registry.js';
import { D, fromDouble, roundTo } from '../reference/decimal.js';

const refDir = fileURLToPath(new URL('../reference/', import.meta.url));

describe('reference registry', () => {
  it('has a reference file for every registry optimizer', () => {
    const missing = registry.map((e) => e.name).filter((n) => !existsSync(`${refDir}${n}.ts`));
    expect(
      missing,
      `registry optimizers without a decimal reference (reference/<name>.ts): ${missing.join(', ')}`,
    ).toEqual([]);
  });
  it("lists every registry optimizer, with the core's state buffers", async () => {
    const { references } = (await import('../reference/index.js')) as {
      references: Record<string, { name: string; buffers: readonly string[] }>;
    };
    for (const e of registry) {
      const r = references[e.name];
      expect(r, `no decimal reference for registry optimizer '${e.name}' in reference/index.ts`).toBeDefined();
      expect(r!.name).toBe(e.name);
      expect([...r!.buffers], `reference '${e.name}' buffers`).toEqual([...e.buffers]);
    }
  });
});

describe('exact conversion of doubles', () => {
  it('gives the exact binary value, not the shortest string', () => {
    expect(fromDouble(0.1).toString()).toBe('0.1000000000000000055511151231257827021181583404541015625');
    // 2^-1074 has 751 significant digits; all of them survive.
    const tiny = fromDouble(Number.MIN_VALUE);
    expect(tiny.precision()).toBe(751);
    expect(fromDouble(Number.MAX_VALUE).toFixed(0)).toBe(((2n ** 53n - 1n) << 971n).toString());
  });
  it('handles −0, ±Infinity and NaN', () => {
    expect(Object.is(roundTo(fromDouble(-0), 'float64'), -0)).toBe(true);
    expect(roundTo(fromDouble(Infinity), 'float32')).toBe(Infinity);
    expect(roundTo(fromDouble(-Infinity), 'float64')).toBe(-Infinity);
    expect(roundTo(fromDouble(NaN), 'float64')).toBeNaN();
  });
  it('round-trips every double exactly', () => {
    for (const x of [1, -1.5, 1 / 3, Math.PI, 1e-310, -5e-324, 1.7976931348623157e308, 2 ** -1022, 123456.789e-200]) {
      expect(roundTo(fromDouble(x), 'float64')).toBe(x);
    }
  });
});

describe('correct rounding to float64 and float32', () => {
  it('rounds float64 ties to even and just-above-tie up', () => {
    const one = fromDouble(1);
    const half = new D(2).pow(-53); // half an ulp of 1
    expect(roundTo(one.plus(half), 'float64')).toBe(1); // tie → even (1)
    expect(roundTo(one.plus(half).plus(new D(10).pow(-40)), 'float64')).toBe(1 + 2 ** -52);
    expect(roundTo(fromDouble(1 + 2 ** -52).plus(half), 'float64')).toBe(1 + 2 ** -51); // tie → even
  });
  it('avoids double rounding through float64 for float32', () => {
    // x = 1 + 2^-24 + 2^-60: just above the float32 midpoint between 1 and 1 + 2^-23. Through float64
    // it becomes exactly 1 + 2^-24 (the midpoint), which Math.fround rounds to even: 1. Correct: 1 + 2^-23.
    const x = new D(1).plus(new D(2).pow(-24)).plus(new D(2).pow(-60));
    expect(Math.fround(Number(x.toString()))).toBe(1);
    expect(roundTo(x, 'float32')).toBe(1 + 2 ** -23);
    // And just below the midpoint: 1.
    expect(roundTo(new D(1).plus(new D(2).pow(-24)).minus(new D(2).pow(-60)), 'float32')).toBe(1);
  });
  it('overflows to Infinity exactly at max + ½ulp (ties to even go up)', () => {
    const max32 = fromDouble(3.4028234663852886e38);
    const half32 = new D(2).pow(103);
    expect(roundTo(max32.plus(half32).minus(1), 'float32')).toBe(3.4028234663852886e38);
    expect(roundTo(max32.plus(half32), 'float32')).toBe(Infinity);
    expect(roundTo(fromDouble(Number.MAX_VALUE).plus(new D(2).pow(970)), 'float64')).toBe(Infinity);
  });
  it('rounds into the subnormals with the right sign', () => {
    expect(roundTo(new D(2).pow(-1075).neg(), 'float64')).toBe(-0); // tie → even (0), sign kept
    expect(Object.is(roundTo(new D(2).pow(-1075).neg(), 'float64'), -0)).toBe(true);
    expect(roundTo(new D(2).pow(-1075).times(1.0000001), 'float64')).toBe(Number.MIN_VALUE);
    expect(roundTo(new D(2).pow(-150).times(3), 'float32')).toBe(2 ** -148); // 1.5·2^-149 → tie → even 2·2^-149
  });
});
