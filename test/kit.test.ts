/**
 * The conformance kit from the outside (issue 13): an optimizer optimlab does not ship, with and
 * without its decimal reference; defineReference's checks; the reference of a built-in is found by
 * identity, never by name.
 */
import { describe, expect, it } from 'vitest';
import { getOptimizer, type OptimizerEntry } from '../src/index.js';
import { add, defineReference, leaf, mul, neg, options, sign, sub, exact, type Sc } from '../reference/api.js';
import { judgeFor } from '../properties/bounds.js';
import { verifyOptimizer, lawCases, formatTable, runAccuracy } from '../properties/api.js';
import { lion } from '../examples/lion/optimizer.js';
import { reference as lionReference } from '../examples/lion/reference.js';
import { adabelief } from '../examples/adabelief/optimizer.js';
import { radam } from '../examples/radam/optimizer.js';
import { reference as adabeliefReference } from '../examples/adabelief/reference.js';

describe('an outside optimizer without a reference', () => {
  it('has its reference laws not run (never failed), with the reason, and passes the rest', () => {
    const r = verifyOptimizer(lion, { runs: 3, laws: ['B', 'G7', 'G3'] });
    expect(r.summary.failed).toBe(0);
    expect(r.table.B1!.lion).toBe('not run');
    expect(r.table.G7!.lion).toBe('not run');
    expect(r.table.G3!.lion).toBe('pass');
    expect(r.notRun.B2!.lion).toBe('no reference supplied');
    expect(
      r.cases
        .filter((c) => c.status === 'not run')
        .map((c) => c.id)
        .sort(),
    ).toEqual([
      'B1 lion float32',
      'B1 lion float64',
      'B2 lion float32',
      'B2 lion float64',
      'B3 lion float32',
      'B3 lion float64',
      'G7 lion float32',
    ]);
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

  it("verify --accuracy rows without a reference say not run; with one they carry the maintainer's bound", () => {
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
    return (theta: Sc, g: Sc, b: Readonly<Record<string, Sc>>) => ({
      theta: o.apply(theta, mul(o.eta, sign(o.grad(g, theta)))),
      b: { m: b.m! },
    });
  };
  it('names the field, the value and what is allowed', () => {
    expect(() =>
      defineReference(lion, { source: 'x', perElement: rule, bound: { float64: 0.5, why: 'count' } }),
    ).toThrow(/defineReference\(lion\): bound.float64 = 0.5; allowed: a finite number ≥ 1/);
    expect(() => defineReference(lion, { source: 'x', perElement: rule, bound: { float64: 4, why: '' } })).toThrow(
      /bound.why = ""; allowed: a non-empty string/,
    );
    expect(() => defineReference(lion, { source: 'x', bound: { float64: 4, why: 'c' } })).toThrow(
      /exactly one of perElement/,
    );
    expect(() =>
      defineReference(lion, {
        source: 'x',
        perElement: rule,
        conventions: { form: 'a' },
        bound: { float64: 4, why: 'c' },
      }),
    ).toThrow(/conventions = \["form"\]; allowed: the optimizer's convention options \[\]/);
    expect(() =>
      defineReference({} as OptimizerEntry, { source: 'x', perElement: rule, bound: { float64: 4, why: 'c' } }),
    ).toThrow(/the first argument must be the optimizer's entry/);
  });
  it("checks the buffers of the first step against the optimizer's", () => {
    const wrong = defineReference(lion, {
      source: 'x',
      perElement: (h) => {
        const r = rule(h);
        return (t, g, b) => ({ ...r(t, g, b), b: { mom: b.m! } });
      },
      bound: { float64: 5, why: 'c' },
    });
    const st = { t: 0, buffers: { m: [leaf(0)] } };
    expect(() => wrong.step({ ...lion.defaults }, [leaf(1)], [leaf(1)], st)).toThrow(
      /the buffers perElement returns = \["mom"\]; allowed: the optimizer's buffers \[m\]/,
    );
  });
  it('a difference of two inputs is judged against its own size (one rounding); any other sum against the sum of its scales', () => {
    // 1 − β for β = 0.999: |1 − β| = 0.001, not 1 + β (2000 times wider; finding T4 of docs/adapters.md hid there).
    expect(sub(exact(1), leaf(0.999)).a).toBeCloseTo(0.001, 15);
    expect(add(leaf(-3), leaf(2.5)).a).toBe(0.5);
    expect(neg(leaf(0.25)).e).toBe(true);
    // A rounded value (a product) is not an input: its error scale adds, cancellation respected.
    const p = mul(leaf(0.5), leaf(3));
    expect(sub(p, leaf(1.5)).a).toBe(3);
  });
  it('options(h): absent shared options mean none; a value that is not a number is named', () => {
    const o = options({ lr: 0.5 });
    const theta = leaf(2);
    expect(o.grad(leaf(1), theta).v.toNumber()).toBe(1);
    expect(o.apply(theta, leaf(0.25)).v.toNumber()).toBe(1.75);
    expect(() => options({ lr: '0.1' } as never)).toThrow(/options\(h\): h.lr = "0.1"; allowed: a finite number/);
    expect(() => options({ lr: 0.1, weightDecay: Number.NaN })).toThrow(
      /h.weightDecay = NaN; allowed: a finite number or absent \(0\)/,
    );
  });
  it('sign is exact where its argument is decided, and not judged (c = ∞) at an uncertain zero', () => {
    expect(sign(leaf(-3)).v.toNumber()).toBe(-1);
    expect(sign(exact(0)).c ?? 0).toBe(0);
    expect(sign({ v: exact(0).v, a: 1e-20 }).c).toBe(Infinity);
  });
});

describe('nothing spins', () => {
  it('a trait set whose law needs a value the ranges never allow fails in seconds, naming the law, the optimizer and the precondition', () => {
    // AdaBelief requires ε > 0; claiming scale invariance at ε = 0 selects E5, which pins eps = 0.
    const claimed = {
      ...adabelief,
      traits: { ...adabelief.traits, gradScaleInvariantWhenEpsZero: true },
    } as OptimizerEntry;
    const t0 = Date.now();
    const r = verifyOptimizer(claimed, { laws: ['E5'], reference: adabeliefReference });
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(r.summary.failed).toBe(2);
    const err = r.cases[0]!.error!;
    expect(err).toContain("law E5 cannot run on 'adabelief' (float64)");
    expect(err).toContain("needs hyperparameters of 'adabelief' with weightDecay = 0, eps = 0 that it accepts");
    expect(err).toMatch(/rejected: adabelief: hyperparameter eps = 0 is out of range; allowed: 0 < eps/);
  });
  it('a sample range that never meets the valid range is named too', () => {
    const bad = {
      ...lion,
      hyper: { ...lion.hyper, beta1: { ...lion.hyper.beta1, sample: [2, 3] as const, specials: [] } },
    } as OptimizerEntry;
    const r = verifyOptimizer(bad, { laws: ['G3'], runs: 5 });
    expect(r.cases[0]!.error).toMatch(
      /law G3 cannot run on 'lion' \(float64\): no valid case in 1000 draws: needs hyperparameters of 'lion' that it accepts .*beta1 = 2[.\d]* is out of range; allowed: 0 ≤ beta1 < 1/,
    );
  });
});

describe('applicability is declared', () => {
  it('a law of every optimizer can be opted out of, with the reason printed where it is skipped', () => {
    const e = {
      ...lion,
      traits: { ...lion.traits, optOut: { G2: 'a test optimizer that is not odd in (θ, g)' } },
    } as OptimizerEntry;
    const r = verifyOptimizer(e, { laws: ['G2', 'G3'], runs: 2 });
    expect(r.table.G2!.lion).toBe('n/a');
    expect(r.notApplicable.G2!.lion).toBe('opted out: a test optimizer that is not odd in (θ, g)');
    expect(formatTable(r)).toContain(
      'does not apply to lion:\n  G2: opted out: a test optimizer that is not odd in (θ, g)',
    );
  });
  it('opting out of a law selected by traits, of a reference comparison or of no law is an error naming what is allowed', () => {
    const with_ = (optOut: Record<string, string>) =>
      ({ ...lion, traits: { ...lion.traits, optOut } }) as OptimizerEntry;
    expect(() => verifyOptimizer(with_({ G1: 'x' }))).toThrow(
      /lion: traits.optOut names 'G1', which is selected by traits.elementwise \(declare the trait instead\); an optimizer may opt out of G\d/,
    );
    expect(() => verifyOptimizer(with_({ B1: 'x' }))).toThrow(/'B1', which compares with the reference/);
    expect(() => verifyOptimizer(with_({ Q9: 'x' }))).toThrow(/'Q9', which is no law/);
    expect(() => verifyOptimizer(with_({ G2: '' }))).toThrow(/traits.optOut.G2 = ""; allowed: the reason/);
  });
  it('a law selected by traits says which trait it needs where it does not apply (F2 and RAdam)', () => {
    const r = verifyOptimizer(radam, { laws: ['F2', 'E1'], runs: 2 });
    expect(r.notApplicable.F2!.radam).toBe("needs traits.rmsStep ('ema' or 'runningMax')");
    expect(formatTable(r)).toContain("  F2: needs traits.rmsStep ('ema' or 'runningMax')");
  });
});

describe('examples/ are written as an outsider writes them', () => {
  it('import only the public names (optimlab, optimlab/laws, optimlab/reference, optimlab/bench), vitest, and files of their own folder', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const dir = new URL('../examples/', import.meta.url);
    const bad: string[] = [];
    for (const ex of readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory())) {
      for (const f of readdirSync(new URL(`${ex.name}/`, dir)).filter((x) => x.endsWith('.ts'))) {
        const text = readFileSync(new URL(`${ex.name}/${f}`, dir), 'utf8');
        for (const m of text.matchAll(/\bfrom\s+'([^']+)'/g)) {
          const spec = m[1]!;
          if (!/^(optimlab(\/(laws|reference|bench))?|vitest|\.\/[\w.-]+)$/.test(spec))
            bad.push(`examples/${ex.name}/${f}: '${spec}'`);
        }
      }
    }
    expect(bad).toEqual([]);
  });
});
