/**
 * The hyperparameter vocabulary's checks and messages (src/optimizers/hyper.ts) for values a user
 * may pass: the learning rate's range, values shown in messages (long, cyclic, keyless), the kinds
 * of collection refused, unknown names and explicit undefined. Each expectation comes from the
 * contract in hyper.ts's comments: every message names the optimizer, the parameter, the value and
 * what is allowed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hyperArb } from '../properties/arbitraries.js';
import { checkValue, lr, resolveHyper, specText } from '../src/optimizers/hyper.js';
import { showValue } from '../src/optimizers/show.js';
import type { OptimizerEntry } from '../src/optimizers/define.js';

describe('the learning rate', () => {
  it('is a finite number > 0 (0 and ∞ excluded), default as given', () => {
    const s = lr(0.25);
    expect(s.default).toBe(0.25);
    expect(checkValue('x', 'lr', s, 1e-300)).toBeUndefined();
    expect(checkValue('x', 'lr', s, 1e300)).toBeUndefined();
    expect(checkValue('x', 'lr', s, 0)?.message).toMatch(/^x: hyperparameter lr = 0 is out of range; allowed: /);
    expect(checkValue('x', 'lr', s, Infinity)?.message).toMatch(/^x: hyperparameter lr = Infinity is not finite/);
    expect(checkValue('x', 'lr', s, '0.1')).toBeInstanceOf(TypeError);
    expect(checkValue('x', 'lr', s, '0.1')?.message).toMatch(/^x: hyperparameter lr = '0.1' is not a number/);
  });
});

describe('the learning rate as the laws and `list` see it', () => {
  it('the laws draw it log-uniformly over [1e-4, 1]: each decade a share of the draws', () => {
    // An outside optimizer's spec, built here (the built-in ones are built when their modules load).
    const entry = { name: 'x', hyper: { lr: lr(0.5) }, validate: (h: unknown) => h } as unknown as OptimizerEntry;
    const xs = fc.sample(hyperArb(entry), { seed: 14, numRuns: 4000 }).map((h) => h.lr as number);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(1e-4);
    expect(Math.max(...xs)).toBeLessThanOrEqual(1);
    // Log-uniform, with fast-check's bias towards the ends of the drawn integer: each of the four
    // decades holds a share of the draws (this seed: 0.33, 0.20, 0.20, 0.27). A linear draw over the
    // same range gives 0.14, 0.009, 0.06, 0.79: its middle decades are all but never drawn.
    for (let d = -4; d < 0; d++) {
      const share = xs.filter((x) => x >= 10 ** d && x < 10 ** (d + 1)).length / xs.length;
      expect(share, `share of [1e${d}, 1e${d + 1})`).toBeGreaterThan(0.15);
      expect(share, `share of [1e${d}, 1e${d + 1})`).toBeLessThan(0.4);
    }
  });

  it('`list --verbose` describes it as the learning rate, > 0 and finite', () => {
    // Built here, as an outside optimizer's spec is (the built-in ones are built when their modules load).
    expect(specText('lr', lr(0.5))).toMatch(/^learning rate\b.*; 0 < lr \(finite\)$/);
  });
});

describe('values in messages', () => {
  it('JSON up to 80 characters as it is; longer, an array or object is summarised by its size or keys', () => {
    const at80 = { k: 'x'.repeat(72) }; // {"k":"…"} is 80 characters
    expect(JSON.stringify(at80).length).toBe(80);
    expect(showValue(at80)).toBe(JSON.stringify(at80));
    const at81 = { k: 'x'.repeat(73) };
    expect(showValue(at81)).toBe('an object with keys k');
    expect(showValue(Array.from({ length: 30 }, (_, i) => i * 1000))).toBe('an array of 30');
    const cyclic: Record<string, unknown> = { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 };
    cyclic.self = cyclic;
    expect(showValue(cyclic)).toBe('an object with keys a, b, c, d, e, …');
    class Opaque {
      toJSON(): never {
        throw new Error('no JSON');
      }
    }
    expect(showValue(new Opaque())).toBe('an object with no keys');
    expect(showValue(null)).toBe('null');
    expect(showValue(true)).toBe('true');
    expect(showValue(undefined)).toBe('undefined');
  });
});

describe('resolveHyper', () => {
  const specs = { lr: lr(0.5) };
  it('names the kind of collection it wants, for hyperparameters and for convention options', () => {
    expect(() => resolveHyper('x', specs, undefined, 5)).toThrow(
      'x: hyperparameters must be an object such as { lr: 0.01 }; got 5',
    );
    expect(() => resolveHyper('x', specs, undefined, [1], undefined, 'convention option')).toThrow(
      'x: convention options must be an object such as { lr: … }; got [1]',
    );
    expect(() => resolveHyper('x', {}, undefined, null, undefined, 'convention option')).toThrow(
      'x: convention options must be an object such as { name: … }; got null',
    );
  });
  it('names an unknown name and what is accepted (none, where nothing is)', () => {
    expect(() => resolveHyper('x', specs, undefined, { lrr: 1 })).toThrow(
      "x: unknown hyperparameter 'lrr' = 1; x accepts lr",
    );
    expect(() => resolveHyper('x', {}, undefined, { lr: 1 }, undefined, 'convention option')).toThrow(
      "x: unknown convention option 'lr' = 1; x accepts none",
    );
  });
  it('takes an explicit undefined as "not given": the default or the base stays', () => {
    expect(resolveHyper('x', specs, undefined, { lr: undefined })).toEqual({ lr: 0.5 });
    expect(resolveHyper('x', specs, { lr: 0.125 }, { lr: undefined })).toEqual({ lr: 0.125 });
  });
  it('checkValue calls the parameter a hyperparameter unless told otherwise, and names the choices', () => {
    expect(checkValue('x', 'lr', lr(1), -1)?.message).toMatch(/^x: hyperparameter lr = -1 is out of range/);
    const choice = { kind: 'choice' as const, default: 'a', choices: ['a', 'b'], doc: 'd' };
    expect(checkValue('x', 'form', choice, 'c', 'convention option')?.message).toMatch(
      /^x: convention option form = 'c' is not a known choice; allowed: /,
    );
  });
});
