/**
 * Input checks shared by the objectives: each throws a TypeError/RangeError naming the parameter,
 * its value and what is allowed, before anything is written. O(1) per call except where noted.
 */

import { describeValue, showValue } from '../optimizers/show.js';

/** x must be a Float64Array of length n. */
export function checkVec(where: string, name: string, v: unknown, n: number): asserts v is Float64Array {
  if (!(v instanceof Float64Array))
    throw new TypeError(`${where}: ${name} is ${describeValue(v)}; allowed: a Float64Array of length ${n}`);
  if (v.length !== n) throw new RangeError(`${where}: ${name}.length = ${v.length}; allowed: ${n}`);
}

/** x and g must not share memory (the gradient is written while x is read). */
export function checkPoint(where: string, x: unknown, n: number, g?: unknown): void {
  checkVec(where, 'x', x, n);
  if (g === undefined) return;
  checkVec(where, 'g', g, n);
  const a = x as Float64Array;
  const b = g as Float64Array;
  if (
    a.buffer === b.buffer &&
    a.byteOffset < b.byteOffset + b.byteLength &&
    b.byteOffset < a.byteOffset + a.byteLength
  ) {
    throw new TypeError(`${where}: g shares memory with x; pass a separate gradient array`);
  }
}

/** An integer in [min, max]. */
export function checkInt(
  where: string,
  name: string,
  v: unknown,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): asserts v is number {
  // Equivalent mutant (false for the typeof test): Number.isSafeInteger is false for every non-number; the typeof
  // test is there for TypeScript (v is a number in the comparisons after it).
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
    const hi = max === Number.MAX_SAFE_INTEGER ? '' : ` and ≤ ${max}`;
    throw new RangeError(`${where}: ${name} = ${showValue(v)}; allowed: an integer ≥ ${min}${hi}`);
  }
}

/** A finite number in (min, max) or [min, max]. */
export function checkNumber(
  where: string,
  name: string,
  v: unknown,
  min: number,
  max: number,
  open = false,
): asserts v is number {
  if (typeof v !== 'number') throw new TypeError(`${where}: ${name} = ${showValue(v)}; allowed: a finite number`);
  const bad = !Number.isFinite(v) || (open ? v <= min || v >= max : v < min || v > max);
  if (bad)
    throw new RangeError(
      `${where}: ${name} = ${v}; allowed: ${min} ${open ? '<' : '≤'} ${name} ${open ? '<' : '≤'} ${max}, finite`,
    );
}

/** Every element finite (O(n), at construction only). */
export function checkFinite(where: string, name: string, v: Float64Array): void {
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i]!)) throw new RangeError(`${where}: ${name}[${i}] = ${v[i]}; allowed: finite values`);
  }
}

/** A batch idx[from..to) of a finite sum with `examples` examples. */
export function checkBatch(where: string, idx: unknown, from: unknown, to: unknown): void {
  if (!(idx instanceof Uint32Array))
    throw new TypeError(`${where}: idx is ${describeValue(idx)}; allowed: a Uint32Array of example indices`);
  checkInt(where, 'from', from, 0, idx.length);
  checkInt(where, 'to', to, (from as number) + 1, idx.length);
}
