/**
 * Checkpoints as a user's file may hold them (restoreState, src/optimizers/state.ts), createOptimizer's
 * options (registry.ts), the shared options an outside optimizer leaves out (common.ts), and a kernel
 * copy that does not exist (kernel.ts): each refused with a message naming the field, the value and
 * what is allowed, or taken as the contract says. Written for the survivors of shard 2 of the
 * src/optimizers mutation row; each expectation comes from those files' comments.
 */
import { describe, expect, it } from 'vitest';
import { createOptimizer, restoreState, serializeState } from '../src/index.js';
import { wasmEngine } from '../src/engine/wasm.js';
import { sharedOptions } from '../src/optimizers/common.js';
import { variantOf, type Compiled } from '../src/optimizers/kernel.js';
import { decode, encode } from '../src/optimizers/state.js';

const saved = () => {
  const opt = createOptimizer('adam');
  const s = opt.init(2);
  opt.step(Float64Array.of(1, 2), Float64Array.of(0.5, -0.25), s);
  return { opt, data: serializeState(s, opt) };
};

describe('restoreState names what is wrong with a file', () => {
  it('not a state, dtype, size, buffers', () => {
    const { data } = saved();
    expect(() => restoreState({ ...data, format: 'other' } as never)).toThrow(
      "restoreState: not an optimlab state (format must be 'optimlab.state')",
    );
    expect(() => restoreState('[1]')).toThrow("restoreState: not an optimlab state (format must be 'optimlab.state')");
    expect(() => restoreState({ ...data, dtype: 'int8' } as never)).toThrow(
      "restoreState: dtype = int8; allowed: 'float64' or 'float32'",
    );
    expect(() => restoreState({ ...data, dtype: 8 } as never)).toThrow(
      "restoreState: dtype = 8; allowed: 'float64' or 'float32'",
    );
    expect(() => restoreState({ ...data, dtype: { bits: 64 } } as never)).toThrow(
      "restoreState: dtype = {\"bits\":64}; allowed: 'float64' or 'float32'",
    );
    expect(() => restoreState({ ...data, size: '2' } as never)).toThrow(
      "restoreState: size = '2' (a string); allowed: an integer ≥ 0 (a number)",
    );
    expect(() => restoreState({ ...data, size: -1 } as never)).toThrow(
      'restoreState: size = -1; allowed: an integer ≥ 0 (a number)',
    );
    expect(() => restoreState({ ...data, buffers: [] } as never)).toThrow(
      'restoreState: buffers missing or not an object of base64 strings (buffers = [])',
    );
    expect(() => restoreState({ ...data, buffers: 'abc' } as never)).toThrow(
      "restoreState: buffers missing or not an object of base64 strings (buffers = 'abc')",
    );
    expect(() => restoreState({ ...data, buffers: 5 } as never)).toThrow(
      'restoreState: buffers missing or not an object of base64 strings (buffers = 5)',
    );
    expect(() => restoreState({ ...data, buffers: null } as never)).toThrow(
      'restoreState: buffers missing or not an object of base64 strings (buffers = null)',
    );
  });

  it('a state of size 0 restores', () => {
    const opt = createOptimizer('adam');
    const s = restoreState(serializeState(opt.init(0), opt), opt);
    expect(s.size).toBe(0);
    expect(Object.keys(s.buffers).sort()).toEqual(['m', 'v']);
  });

  it('buffer names: a whole identifier, no more and no less', () => {
    const { data } = saved();
    for (const k of ['1m', 'm-1', 'm n', 'x'.repeat(65), 'toString'])
      expect(() => restoreState({ ...data, buffers: { ...data.buffers, [k]: data.buffers.m } } as never), k).toThrow(
        `restoreState: buffer name ${JSON.stringify(k)} is not allowed`,
      );
  });

  it('recorded conventions must be an object of options', () => {
    const { data } = saved();
    for (const [c, shown] of [
      [null, 'null'],
      [[1], '[1]'],
      ['hat', "'hat'"],
      [3, '3'],
    ] as const)
      expect(() => restoreState({ ...data, conventions: c } as never), shown).toThrow(
        `restoreState: conventions = ${shown}; allowed: an object of convention options such as { "epsMode": "hat" }`,
      );
  });

  it('base64: a bad character is named by its place; a short or padded-wrong text too', () => {
    const good = encode(Float64Array.of(1.5, -2));
    expect(good.length % 4).toBe(0);
    const bad = `${good.slice(0, 5)}-${good.slice(6)}`;
    expect(() => decode(bad, 'float64', 2, 'm')).toThrow(
      'restoreState: buffer \'m\' is not valid base64 (character 5 is "-")',
    );
    for (const c of ['@', '[', '`', '{', ':', '.'])
      expect(() => decode(`${c}${good.slice(1)}`, 'float64', 2, 'm'), c).toThrow(`character 0 is ${JSON.stringify(c)}`);
    expect(() => decode(good.slice(0, -1), 'float64', 2, 'm')).toThrow(
      `its length ${good.length - 1} is not a multiple of 4`,
    );
    // One '=' of padding: the character before it is data, '=' is not a bad character.
    const two = encode(Float32Array.of(1, 2));
    expect(two).toMatch(/[^=]=$/);
    expect(() => decode(`${two.slice(0, -2)}B=`, 'float32', 2, 'm')).toThrow('not in canonical form');
    // No padding: the last character is checked too.
    const three = encode(Float32Array.of(1, 2, 3));
    expect(three).toMatch(/[^=]$/);
    expect(() => decode(`${three.slice(0, -1)}-`, 'float32', 3, 'm')).toThrow(`character ${three.length - 1} is "-"`);
    // Float32 of length 1: 4 bytes, 8 characters with '==' padding; bits set in the padding are refused.
    const one = encode(Float32Array.of(3));
    expect(one.endsWith('==')).toBe(true);
    expect(Array.from(decode(one, 'float32', 1, 'm'))).toEqual([3]);
    expect(() => decode(`${one.slice(0, -3)}B==`, 'float32', 1, 'm')).toThrow('not in canonical form');
  });

  it('the byte order: both paths give the same text and values', () => {
    for (const v of [Float64Array.of(1.5, -0, Infinity, 5e-324), Float32Array.of(1.5, -0, Infinity, 1e-45)]) {
      const dtype = v instanceof Float64Array ? 'float64' : 'float32';
      expect(encode(v, false)).toBe(encode(v, true));
      const t = encode(v);
      expect(Array.from(decode(t, dtype, 4, 'm', false))).toEqual(Array.from(v));
      expect(Array.from(decode(t, dtype, 4, 'm', true))).toEqual(Array.from(v));
    }
  });

  it('with an engine, restored buffers live in its memory; one that cannot take them gives back what it took', async () => {
    const engine = await wasmEngine();
    const { data } = saved();
    const opt = createOptimizer('adam', {}, { engine });
    const s = restoreState(data, opt);
    expect(engine.owns(s.buffers.m)).toBe(true);
    expect(engine.owns(s.buffers.v)).toBe(true);
    const before = engine.stats().blocks;
    const from = engine.from.bind(engine);
    let calls = 0;
    engine.from = (v) => {
      if (++calls === 2) throw new RangeError('out of memory');
      return from(v);
    };
    try {
      expect(() => restoreState(data, opt)).toThrow('out of memory');
      expect(engine.stats().blocks).toBe(before);
    } finally {
      delete (engine as { from?: unknown }).from;
    }
  });
});

describe('createOptimizer options', () => {
  it('names an options value that is not an object and an unknown option', () => {
    expect(() => createOptimizer('adam', {}, null as never)).toThrow(
      "createOptimizer: options must be an object such as { profile: 'pytorch' }; got null",
    );
    expect(() => createOptimizer('adam', {}, 'pytorch' as never)).toThrow(
      "createOptimizer: options must be an object such as { profile: 'pytorch' }; got pytorch",
    );
    expect(() => createOptimizer('adam', {}, { '': 1 } as never)).toThrow(
      "createOptimizer: unknown option ''; allowed: profile, api, conventions, engine",
    );
  });
  it('passes hyperparameters and conventions through, and a profile requires what its api has no default for', () => {
    const o = createOptimizer('adam', { lr: 0.25 }, { conventions: { epsMode: 'hat' } });
    expect(o.hyper.lr).toBe(0.25);
    expect(o.conventions).toEqual({ epsMode: 'hat' });
    expect(createOptimizer('adam', undefined, {}).hyper.lr).toBe(0.001);
    expect(() => createOptimizer('momentum', undefined, { profile: 'pytorch' })).toThrow(
      "createOptimizer('momentum', profile 'pytorch'): hyperparameter momentum is required",
    );
  });
  it('with engine: state in its memory; without: plain arrays', async () => {
    const engine = await wasmEngine();
    expect(engine.owns(createOptimizer('adam', {}, { engine }).init(2).buffers.m)).toBe(true);
    expect(engine.owns(createOptimizer('adam', {}, {}).init(2).buffers.m)).toBe(false);
    expect(createOptimizer('adam', {}, { engine }).engine).toBe(engine);
  });
});

describe('the shared options an optimizer does not declare are off', () => {
  it('weightDecay and decoupledWeightDecay absent or not numbers: no decay, κ = 1', () => {
    expect(sharedOptions({ lr: 0.5 })).toEqual({ bits: 0, weightDecay: 0, keep: 1 });
    expect(sharedOptions({ lr: 0.5, weightDecay: '0.1', decoupledWeightDecay: true })).toEqual({
      bits: 0,
      weightDecay: 0,
      keep: 1,
    });
  });
});

describe('kernel copies', () => {
  it('a setting the build made no copy for is named', () => {
    const c = { name: 'k', float64: [undefined], float32: [undefined] } as unknown as Compiled;
    expect(() => variantOf(c, 'float64', 0)).toThrow('kernel k: no float64 copy for setting 0');
    const made = { ...c, float64: [undefined, undefined], make: () => () => undefined } as unknown as Compiled;
    expect(() => variantOf(made, 'float64', 2)).toThrow('kernel k: no float64 copy for setting 2');
    expect(typeof variantOf(made, 'float64', 1)).toBe('function');
  });
});
