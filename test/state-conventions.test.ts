/**
 * Serialized states record the convention options in force (issue 8): serializeState(state,
 * optimizer) writes them, restoreState(data, optimizer) checks them against the optimizer it is
 * given (a TypeError naming the first that differs), and states without them (written without the
 * optimizer, or before conventions were recorded) are still read, format version 1.
 */
import { describe, expect, it } from 'vitest';
import { createOptimizer, restoreState, serializeState } from '../src/index.js';

const g = Float64Array.from([0.5, -2, 0]);

function twoSteps(name: string, conventions: Record<string, number | boolean | string>) {
  const opt = createOptimizer(name, {}, { conventions });
  const p = Float64Array.from([1, 2, 3]);
  const s = opt.init(3, 'float64');
  opt.step(p, g, s);
  opt.step(p, g, s);
  return { opt, p, s };
}

describe('serialized states and conventions', () => {
  it('records the conventions in force and restores into an optimizer with the same ones, continuing bit for bit', () => {
    const { opt, p, s } = twoSteps('amsgrad', { form: 'correctedMax', epsMode: 'outside' });
    const data = JSON.parse(JSON.stringify(serializeState(s, opt)));
    expect(data.version).toBe(1);
    expect(data.conventions).toEqual({ form: 'correctedMax', epsMode: 'outside' });
    const again = createOptimizer('amsgrad', {}, { conventions: { form: 'correctedMax' } });
    const back = restoreState(data, again);
    const q = p.slice();
    opt.step(p, g, s);
    again.step(q, g, back);
    expect(Array.from(q)).toEqual(Array.from(p));
  });

  it('rejects an optimizer with other conventions: a TypeError names the convention and both values', () => {
    const { opt, s } = twoSteps('amsgrad', { form: 'correctedMax' });
    const data = serializeState(s, opt);
    expect(() => restoreState(data, createOptimizer('amsgrad'))).toThrow(TypeError);
    expect(() => restoreState(data, createOptimizer('amsgrad'))).toThrow(
      /convention form = "correctedMax", the optimizer has form = "ruder"/,
    );
    const m = twoSteps('momentum', { lrPlacement: 'outside' });
    expect(() => restoreState(JSON.stringify(serializeState(m.s, m.opt)), createOptimizer('momentum'))).toThrow(
      /lrPlacement = "outside", the optimizer has lrPlacement = "inside"/,
    );
    // A profile that selects the same conventions restores fine.
    expect(
      restoreState(serializeState(m.s, m.opt), createOptimizer('momentum', { momentum: 0.9 }, { profile: 'pytorch' }))
        .t,
    ).toBe(2);
  });

  it('reads states without recorded conventions (written without the optimizer, or by earlier versions): buffers are checked as before', () => {
    const { opt, s } = twoSteps('adagrad', { epsPlacement: 'outside' });
    const plain = serializeState(s);
    expect(plain.conventions).toBeUndefined();
    expect(restoreState(plain, createOptimizer('adagrad')).t).toBe(2);
    const old = { ...serializeState(s, opt) } as Record<string, unknown>;
    delete old.conventions;
    expect(restoreState(JSON.stringify(old), createOptimizer('adagrad')).t).toBe(2);
    const rms = twoSteps('rmsprop', { centered: true });
    expect(() => restoreState(serializeState(rms.s), createOptimizer('rmsprop'))).toThrow(
      /buffers \[Eg2,mg,mom\] do not match rmsprop's \[Eg2\]/,
    );
  });

  it('rejects a malformed conventions field with a TypeError', () => {
    const { opt, s } = twoSteps('adam', { epsMode: 'hat' });
    const data = serializeState(s, opt) as unknown as Record<string, unknown>;
    expect(() => restoreState({ ...data, conventions: [1] } as never)).toThrow(
      /conventions = \[1\]; allowed: an object/,
    );
    expect(() => restoreState({ ...data, conventions: { epsMode: null } } as never)).toThrow(
      /convention 'epsMode' = null; allowed: a number, boolean or string/,
    );
  });
});
