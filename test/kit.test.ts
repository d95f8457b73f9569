/**
 * The conformance kit from the outside (issue 13): an optimizer optimlab does not ship, with and
 * without its decimal reference; defineReference's checks; the reference of a built-in is found by
 * identity, never by name.
 */
import { describe, expect, it } from 'vitest';
import { getOptimizer, type OptimizerEntry } from '../src/index.js';
import { defineReference, leaf, mul, options, sign, exact, type Sc } from '../reference/api.js';
import { judgeFor } from '../properties/bounds.js';
import { verifyOptimizer, lawCases, formatTable, runAccuracy } from '../properties/api.js';
import { lion } from '../examples/lion/optimizer.js';
import { reference as lionReference } from '../examples/lion/reference.js';

describe('an outside optimizer without a reference', () => {
  it('has its reference laws not run (never failed), with the reason, and passes the rest', () => {
    const r = verifyOptimizer(lion, { runs: 3, laws: ['B', 'G7', 'G3'] });
    expect(r.summary.failed).toBe(0);
    expect(r.table.B1!.lion).toBe('not run');
    expect(r.table.G7!.lion).toBe('not run');
    expect(r.table.G3!.lion).toBe('pass');
    expect(r.notRun.B2!.lion).toBe('no reference supplied');
    expect(r.cases.filter((c) => c.status === 'not run').map((c) => c.id).sort()).toEqual(
      ['B1 lion float32', 'B1 lion float64', 'B2 lion float32', 'B2 lion float64', 'B3 lion float32', 'B3 lion float64', 'G7 lion float32']);
    expect(formatTable(r)).toContain('not run on lion: B1, B2, B3, G7: no reference supplied');
  });

  it('with its reference, the same laws run and pass', () => {
    const r = verifyOptimizer(lion, { runs: 3, laws: ['B', 'G7'], reference: lionReference });
    expect(r.summary.notRun).toBe(0);
    expect(r.summary.failed).toBe(0);
    expect(r.table.B1!.lion).toBe('pass');
  });

  it('an outside optimizer named like a built-in is not judged by the built-in reference', () => {
    const fake = { ...lion, name: 'adam' } as OptimizerEntry;
    expect(judgeFor(fake)).toBeUndefined();
    expect(judgeFor(getOptimizer('adam'))?.builtin).toBe(true);
    expect(lawCases(fake, { laws: ['B1'] }).every((c) => c.notRun === 'no reference supplied')).toBe(true);
  });

  it('verify --accuracy rows without a reference say not run; with one they carry the maintainer\'s bound', () => {
    const none = runAccuracy({ entries: [lion], cases: 5, dtypes: ['float64'] });
    expect(none.rows[0]).toMatchObject({ optimizer: 'lion', status: 'not run', reason: 'no reference supplied' });
    const withRef = runAccuracy({ entries: [lion], references: [lionReference], cases: 20, dtypes: ['float64'] });
    expect(withRef.rows[0]!.status).toBeUndefined();
    expect(withRef.rows[0]!.bound).toBe(lionReference.bound.float64);
    expect(withRef.rows[0]!.worstK).toBeLessThanOrEqual(withRef.rows[0]!.bound);
  });
});

describe('defineReference', () => {
  const rule = (h: Readonly<Record<string, unknown>>) => {
    const o = options(h as never);
    return (theta: Sc, g: Sc, b: Readonly<Record<string, Sc>>) => ({ theta: o.apply(theta, mul(o.eta, sign(o.grad(g, theta)))), b: { m: b.m! } });
  };
  it('names the field, the value and what is allowed', () => {
    expect(() => defineReference(lion, { source: 'x', perElement: rule, bound: { float64: 0.5, why: 'count' } }))
      .toThrow(/defineReference\(lion\): bound.float64 = 0.5; allowed: a finite number ≥ 1/);
    expect(() => defineReference(lion, { source: 'x', perElement: rule, bound: { float64: 4, why: '' } }))
      .toThrow(/bound.why = ""; allowed: a non-empty string/);
    expect(() => defineReference(lion, { source: 'x', bound: { float64: 4, why: 'c' } }))
      .toThrow(/exactly one of perElement/);
    expect(() => defineReference(lion, { source: 'x', perElement: rule, conventions: { form: 'a' }, bound: { float64: 4, why: 'c' } }))
      .toThrow(/conventions = \["form"\]; allowed: the optimizer's convention options \[\]/);
    expect(() => defineReference({} as OptimizerEntry, { source: 'x', perElement: rule, bound: { float64: 4, why: 'c' } }))
      .toThrow(/the first argument must be the optimizer's entry/);
  });
  it('checks the buffers of the first step against the optimizer\'s', () => {
    const wrong = defineReference(lion, { source: 'x', perElement: (h) => { const r = rule(h); return (t, g, b) => ({ ...r(t, g, b), b: { mom: b.m! } }); }, bound: { float64: 5, why: 'c' } });
    const st = { t: 0, buffers: { m: [leaf(0)] } };
    expect(() => wrong.step({ ...lion.defaults }, [leaf(1)], [leaf(1)], st)).toThrow(/the buffers perElement returns = \["mom"\]; allowed: the optimizer's buffers \[m\]/);
  });
  it('sign is exact where its argument is decided, and not judged (c = ∞) at an uncertain zero', () => {
    expect(sign(leaf(-3)).v.toNumber()).toBe(-1);
    expect(sign(exact(0)).c ?? 0).toBe(0);
    expect(sign({ v: exact(0).v, a: 1e-20 }).c).toBe(Infinity);
  });
});
