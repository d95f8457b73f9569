/**
 * Numeric gradients and gradient checks (src/gradient) against their definitions: which points f
 * is evaluated at (steps h_i = the power of two nearest c·max(|x_i|, 1), c = u^{1/3} for central
 * differences, u^{1/5} for Richardson), what is computed from the values (D_h, (4D_{h/2} − D_h)/3),
 * how many evaluations, what is left untouched, the relative error and the verdict, and the errors
 * for bad input.
 */
import { describe, expect, it } from 'vitest';
import { gradientCheck, numericGradient, relativeErrors } from '../src/gradient/index.js';
import { rosenbrock } from '../src/objectives/functions.js';

const U = 2 ** -53;

/** f = Σ e^{x_i} + x_0·x_1, recording every point it is evaluated at. */
function recorded(): { f: (x: Float64Array) => number; calls: Float64Array[]; args: Float64Array[] } {
  const calls: Float64Array[] = [];
  const args: Float64Array[] = [];
  return {
    calls,
    args,
    f: (x) => {
      args.push(x);
      calls.push(x.slice());
      let s = x[0]! * x[1]!;
      for (const v of x) s += Math.exp(v);
      return s;
    },
  };
}

/** The step of the definition: the power of two nearest c·max(|x|, 1) (nearest in log2). */
const stepOf = (x: number, c: number): number => 2 ** Math.round(Math.log2(c * Math.max(Math.abs(x), 1)));

describe('numericGradient', () => {
  const x = Float64Array.of(0.3, -2.75, 40, 1e-3);

  it('central: 2·dim evaluations at x ± h e_i, h the power of two nearest u^{1/3}·max(|x_i|, 1); D = (f₊ − f₋)/((x + h) − (x − h)) bit for bit', () => {
    const r = recorded();
    const g = numericGradient(r.f, x);
    expect(r.calls.length).toBe(2 * x.length);
    for (let i = 0; i < x.length; i++) {
      const h = stepOf(x[i]!, Math.cbrt(U));
      const [p, m] = [r.calls[2 * i]!, r.calls[2 * i + 1]!];
      for (let j = 0; j < x.length; j++) {
        expect(p[j]).toBe(j === i ? x[i]! + h : x[j]);
        expect(m[j]).toBe(j === i ? x[i]! - h : x[j]);
      }
      expect(g[i]).toBe((r.f(p) - r.f(m)) / (p[i]! - m[i]!));
    }
  });

  it('richardson: 4·dim evaluations, steps h and h/2 with h nearest u^{1/5}·max(|x_i|, 1); (4·D_{h/2} − D_h)/3 bit for bit', () => {
    const r = recorded();
    const g = numericGradient(r.f, x, undefined, { method: 'richardson' });
    expect(r.calls.length).toBe(4 * x.length);
    for (let i = 0; i < x.length; i++) {
      const h = stepOf(x[i]!, U ** 0.2);
      const pts = r.calls.slice(4 * i, 4 * i + 4);
      expect(pts.map((p) => p[i]! - x[i]!)).toEqual([h, -h, h / 2, -h / 2].map((d) => x[i]! + d - x[i]!));
      const d1 = (r.f(pts[0]!) - r.f(pts[1]!)) / (pts[0]![i]! - pts[1]![i]!);
      const d2 = (r.f(pts[2]!) - r.f(pts[3]!)) / (pts[2]![i]! - pts[3]![i]!);
      expect(g[i]).toBe((4 * d2 - d1) / 3);
    }
  });

  it('a given step factor c replaces the default; out is written and returned; an objective with value() works as f does', () => {
    const r = recorded();
    const out = new Float64Array(4);
    expect(numericGradient(r.f, x, out, { step: 2 ** -20 })).toBe(out);
    expect(r.calls[0]![0]! - x[0]!).toBe(stepOf(x[0]!, 2 ** -20));
    const viaObject = numericGradient({ value: recorded().f }, x, undefined, { step: 2 ** -20 });
    expect(viaObject).toEqual(out);
  });

  it('accuracy as the step balance predicts: on e^x, central within 1e-10 and Richardson within 1e-12 relative', () => {
    const at = Float64Array.of(0.7);
    const exact = Math.exp(0.7);
    const f = (v: Float64Array): number => Math.exp(v[0]!);
    // central: h ≈ 6e-6, truncation h²/6·e^x ≈ 1.2e-11, rounding ≈ u·e^x/h ≈ 4e-11
    expect(Math.abs(numericGradient(f, at)[0]! - exact)).toBeLessThan(1e-10 * exact);
    // Richardson: h ≈ 6e-4, truncation O(h⁴) ≈ 1e-15, rounding ≈ 1.7·u·e^x/h ≈ 6e-13
    expect(Math.abs(numericGradient(f, at, undefined, { method: 'richardson' })[0]! - exact)).toBeLessThan(
      1e-12 * exact,
    );
  });

  it('works on a copy: f never receives x itself, and x is untouched even when f throws', () => {
    const r = recorded();
    const x0 = x.slice();
    numericGradient(r.f, x);
    expect(r.args.every((a) => a !== x)).toBe(true);
    let n = 0;
    const throwing = (v: Float64Array): number => {
      if (++n === 3) throw new Error('boom');
      return v[0]!;
    };
    expect(() => numericGradient(throwing, x)).toThrow('boom');
    expect(x).toEqual(x0);
  });

  it('rejects bad input naming the function, the parameter and what is allowed', () => {
    expect(() => numericGradient(42 as never, x)).toThrow(
      /^numericGradient: f must be a function x ⇒ number or an objective with value\(x\)$/,
    );
    expect(() => numericGradient({} as never, x)).toThrow(TypeError);
    expect(() => numericGradient(null as never, x)).toThrow(TypeError);
    expect(() => numericGradient(recorded().f, [1, 2] as never)).toThrow(
      /^numericGradient: x is an Array; allowed: a Float64Array$/,
    );
    expect(() => numericGradient(recorded().f, null as never)).toThrow(
      /^numericGradient: x is null; allowed: a Float64Array$/,
    );
    expect(() => numericGradient(recorded().f, 5 as never)).toThrow(
      /^numericGradient: x is 5 \(a number\); allowed: a Float64Array$/,
    );
    expect(() => numericGradient(recorded().f, Object.create(null) as never)).toThrow(
      /^numericGradient: x is an object; allowed: a Float64Array$/,
    );
    expect(() => numericGradient(recorded().f, x, new Float64Array(3))).toThrow(
      /^numericGradient: g.length = 3; allowed: 4$/,
    );
    expect(() => numericGradient(recorded().f, x, x)).toThrow(/^numericGradient: g shares memory with x/);
    expect(() => numericGradient(recorded().f, x, undefined, { method: 'forward' as 'central' })).toThrow(
      /^numericGradient: method = forward; allowed: 'central' or 'richardson'$/,
    );
    for (const step of [0, 1, -0.5, Number.NaN]) {
      expect(() => numericGradient(recorded().f, x, undefined, { step })).toThrow(
        new RegExp(`^numericGradient: step = ${step}; allowed: 0 < step < 1, finite$`),
      );
    }
  });
});

describe('relativeErrors', () => {
  it('is |a − n| / max(|a|, |n|, tiny) per coordinate; the worst is the largest, its index the first that attains it; NaN is worst', () => {
    const r = relativeErrors(Float64Array.of(1, -2, 0, 3), Float64Array.of(1.5, -2, 1e-20, 6), 1e-12);
    expect(Array.from(r.relError)).toEqual([0.5 / 1.5, 0, 1e-20 / 1e-12, 3 / 6]);
    expect(r.worst).toBe(0.5);
    expect(r.worstIndex).toBe(3);
    const ties = relativeErrors(Float64Array.of(1, 2, 2), Float64Array.of(2, 1, 4));
    expect(ties.worst).toBe(0.5);
    expect(ties.worstIndex).toBe(0);
    const zero = relativeErrors(Float64Array.of(1, 2), Float64Array.of(1, 2));
    expect([zero.worst, zero.worstIndex]).toEqual([0, 0]);
    const nan = relativeErrors(Float64Array.of(1, 5, 1), Float64Array.of(2, Number.NaN, 3));
    expect(Number.isNaN(nan.worst)).toBe(true);
    expect(nan.worstIndex).toBe(1);
    const none = relativeErrors(new Float64Array(0), new Float64Array(0));
    expect([none.worst, none.worstIndex]).toEqual([0, -1]);
    // The default tiny is 1e-12.
    expect(relativeErrors(Float64Array.of(0), Float64Array.of(1e-15)).relError[0]).toBe(1e-15 / 1e-12);
  });
  it('rejects different lengths and a tiny that is not positive', () => {
    expect(() => relativeErrors(new Float64Array(2), new Float64Array(3))).toThrow(
      /^relativeErrors: lengths 2 and 3 differ$/,
    );
    expect(() => relativeErrors(new Float64Array(2), new Float64Array(2), 0)).toThrow(
      /^relativeErrors: tiny = 0; allowed: 0 < tiny < Infinity, finite$/,
    );
  });
});

describe('gradientCheck', () => {
  const o = rosenbrock(3);
  const x = Float64Array.of(-1.2, 1, 0.5);

  it('compares objective.grad with the numeric gradient of objective.value: ok iff the worst relative error ≤ threshold (default 1e-7)', () => {
    const c = gradientCheck(o, x);
    const g = new Float64Array(3);
    o.grad(x, g);
    expect(c.analytic).toEqual(g);
    expect(c.numeric).toEqual(numericGradient(o, x));
    expect(c.worst).toBe(relativeErrors(g, c.numeric).worst);
    expect(c.ok).toBe(c.worst <= 1e-7);
    expect(gradientCheck(o, x, { threshold: c.worst }).ok).toBe(true);
    expect(gradientCheck(o, x, { threshold: c.worst * (1 - 2 ** -52) }).ok).toBe(false);
    // A wrong gradient fails the default threshold.
    const wrong = {
      ...o,
      grad: (v: Float64Array, out: Float64Array) => {
        const f = o.grad(v, out);
        out[1] = out[1]! * 1.001;
        return f;
      },
    };
    const bad = gradientCheck(wrong, x);
    expect(bad.ok).toBe(false);
    expect(bad.worstIndex).toBe(1);
    // method, step and tiny are passed on.
    const r = gradientCheck(o, x, { method: 'richardson', step: 2 ** -10, tiny: 1e-3 });
    expect(r.numeric).toEqual(numericGradient(o, x, undefined, { method: 'richardson', step: 2 ** -10 }));
    expect(r.relError).toEqual(relativeErrors(r.analytic, r.numeric, 1e-3).relError);
  });

  it('rejects bad input naming the function and the parameter', () => {
    expect(() => gradientCheck(o, new Float64Array(2))).toThrow(/^gradientCheck: x.length = 2; allowed: 3$/);
    expect(() => gradientCheck(o, x, { threshold: 0 })).toThrow(
      /^gradientCheck: threshold = 0; allowed: 0 < threshold < Infinity, finite$/,
    );
  });
});
