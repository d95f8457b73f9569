/**
 * State serialisation (issue 2, acceptance 4): for every optimizer of the registry and both dtypes,
 * serialise after k steps (serializeState → JSON.stringify → JSON.parse → restoreState), restore
 * into a fresh optimizer built with the same hyperparameters, continue: the result is bit-identical
 * to an uninterrupted run. NaN payloads and −0 round-trip. Also restoreState's own errors.
 */
import { describe, expect, it } from 'vitest';
import {
  createOptimizer,
  registry,
  restoreState,
  serializeState,
  cloneState,
  type Dtype,
  type OptimizerState,
  type Vec,
} from '../src/index.js';
import { decode, encode } from '../src/optimizers/state.js';
import { bytes, DTYPES, prng, vec } from './helpers.js';

function randomVec(r: () => number, dtype: Dtype, n: number): Vec {
  return vec(
    dtype,
    Array.from({ length: n }, () => {
      const x = r();
      return x < 0.1 ? 0 : x < 0.2 ? -0 : (r() * 2 - 1) * 2 ** Math.floor(r() * 10 - 5);
    }),
  );
}

/** Every byte of params and state, and t. */
function image(p: Vec, s: OptimizerState): unknown {
  return {
    t: s.t,
    dtype: s.dtype,
    size: s.size,
    optimizer: s.optimizer,
    p: Array.from(bytes(p)),
    buffers: Object.fromEntries(Object.entries(s.buffers).map(([k, v]) => [k, Array.from(bytes(v))])),
  };
}

/** A quiet NaN with a payload, written as raw bits (Float64: 0x7ff8_0000_0000_1234; Float32: 0x7fc0_1234). */
function setNaNPayload(v: Vec, i: number): void {
  const dv = new DataView(v.buffer, v.byteOffset, v.byteLength);
  if (v instanceof Float64Array)
    dv.setBigUint64(i * 8, 0xfff8_0000_0000_1234n, true); // negative, with payload
  else dv.setUint32(i * 4, 0x7fc0_1234, true);
}

/** Hyperparameters away from the defaults (and the options on), valid for every optimizer. */
const HYPER = { lr: 0.03125, weightDecay: 0.01, decoupledWeightDecay: 0.5 };

describe('checkpoint / resume is bit-identical to an uninterrupted run', () => {
  for (const e of registry) {
    for (const dtype of DTYPES) {
      it(`${e.name} ${dtype}`, () => {
        const n = 12;
        const k = 3;
        const r = prng(1234 + e.name.length);
        const theta0 = randomVec(r, dtype, n);
        const grads = Array.from({ length: 7 }, () => randomVec(r, dtype, n));

        // uninterrupted run
        const a = createOptimizer(e.name, HYPER);
        const pa = theta0.slice();
        const sa = a.init(n, dtype);
        for (const g of grads) a.step(pa, g, sa);

        // k steps, checkpoint through JSON text, fresh optimizer, continue
        const b = createOptimizer(e.name, HYPER);
        const pb = theta0.slice();
        let sb = b.init(n, dtype);
        for (const g of grads.slice(0, k)) b.step(pb, g, sb);
        const text = JSON.stringify(serializeState(sb, b));
        const data = JSON.parse(text);
        expect(data).toMatchObject({
          format: 'optimlab.state',
          version: 1,
          optimizer: e.name,
          dtype,
          size: n,
          t: k,
          hyper: { ...b.hyper },
        });
        const c = createOptimizer(e.name, data.hyper); // the same hyperparameters, from the snapshot
        sb = restoreState(data, c);
        expect(image(pb, sb)).toEqual(image(pb, restoreState(text, c))); // text and object give the same
        for (const g of grads.slice(k)) c.step(pb, g, sb);

        expect(sb.t).toBe(grads.length);
        expect(image(pb, sb)).toEqual(image(pa, sa));
      });
    }
  }
});

describe('NaN payloads, −0, ±Infinity and subnormals round-trip bit for bit', () => {
  for (const e of registry) {
    if (e.buffers.length === 0) continue;
    for (const dtype of DTYPES) {
      it(`${e.name} ${dtype}`, () => {
        const opt = createOptimizer(e.name);
        const s = opt.init(6, dtype);
        const tiny = dtype === 'float64' ? 5e-324 : 1.401298464324817e-45;
        for (const b of Object.values(s.buffers)) {
          b.set([0, -0, Infinity, -Infinity, tiny]);
          setNaNPayload(b, 5);
        }
        s.t = 41;
        const before = image(new Float64Array(0) as Vec, s);
        const back = restoreState(JSON.parse(JSON.stringify(serializeState(s))), opt);
        expect(image(new Float64Array(0) as Vec, back)).toEqual(before);
        // and stepping on from either gives the same bytes (NaN propagates the same way)
        const p1 = vec(dtype, [1, -1, 0.5, 2, -0, 3]);
        const p2 = p1.slice();
        const g = vec(dtype, [0.5, -0, 1, -2, 0, 0.25]);
        opt.step(p1, g, s);
        opt.step(p2, g, back);
        expect(image(p2, back)).toEqual(image(p1, s));
      });
    }
  }
  it('the step counter survives beyond 2^32', () => {
    const opt = createOptimizer('adam');
    const s = opt.init(1);
    s.t = 2 ** 40 + 3;
    expect(restoreState(JSON.stringify(serializeState(s)), opt).t).toBe(2 ** 40 + 3);
  });
  it('cloneState copies every buffer (no sharing)', () => {
    const opt = createOptimizer('amsgrad');
    const s = opt.init(2);
    opt.step(Float64Array.of(1, 2), Float64Array.of(1, -1), s);
    const c = cloneState(s);
    expect(image(new Float64Array(0), c)).toEqual(image(new Float64Array(0), s));
    for (const k of Object.keys(s.buffers)) expect(c.buffers[k]!.buffer).not.toBe(s.buffers[k]!.buffer);
  });
});

/**
 * The format is base64 of little-endian bytes on every platform. The big-endian path (DataView,
 * explicit byte order) runs here too, through the byte-order parameter: its text is the format's,
 * and what it reads back is every value, bit for bit.
 */
describe('the byte order: the big-endian path writes and reads the format', () => {
  it('known bytes: 1, −2, −0, NaN payload 5 (IEEE 754 binary64/binary32, least significant byte first)', () => {
    const nan64 = new Float64Array(new BigUint64Array([0x7ff8000000000005n]).buffer)[0]!;
    const nan32 = new Float32Array(new Uint32Array([0x7fc00005]).buffer)[0]!;
    const le64 = '000000000000f03f' + '00000000000000c0' + '0000000000000080' + '050000000000f87f';
    const le32 = '0000803f' + '000000c0' + '00000080' + '0500c07f';
    for (const littleEndian of [true, false]) {
      const v64 = Float64Array.of(1, -2, -0, nan64);
      const v32 = Float32Array.of(1, -2, -0, 0);
      v32[3] = nan32;
      expect(encode(v64, littleEndian)).toBe(Buffer.from(le64, 'hex').toString('base64'));
      expect(encode(v32, littleEndian)).toBe(Buffer.from(le32, 'hex').toString('base64'));
      expect(bytes(decode(Buffer.from(le64, 'hex').toString('base64'), 'float64', 4, 'x', littleEndian))).toEqual(
        bytes(v64),
      );
      expect(bytes(decode(Buffer.from(le32, 'hex').toString('base64'), 'float32', 4, 'x', littleEndian))).toEqual(
        bytes(v32),
      );
    }
  });
  it('random bit patterns of every length 0–9, both dtypes: both paths give the same text and read it back exactly', () => {
    const r = prng(7);
    for (const dtype of DTYPES) {
      for (let n = 0; n <= 9; n++) {
        const v = vec(dtype, new Array<number>(n).fill(0));
        const raw = new Uint8Array(v.buffer);
        for (let k = 0; k < raw.length; k++) raw[k] = Math.floor(r() * 256);
        const text = encode(v, true);
        expect(encode(v, false)).toBe(text);
        expect(bytes(decode(text, dtype, n, 'x', false))).toEqual(bytes(v));
        expect(bytes(decode(text, dtype, n, 'x', true))).toEqual(bytes(v));
      }
    }
  });
});

describe("restoreState's own errors", () => {
  const opt = createOptimizer('adam');
  const s = opt.init(3, 'float32');
  opt.step(Float32Array.of(1, 2, 3), Float32Array.of(1, 0, -1), s);
  const good = serializeState(s, opt);
  const with_ = (patch: Record<string, unknown>) => ({ ...good, ...patch }) as never;

  const cases: [string, unknown, typeof TypeError | typeof RangeError, string][] = [
    ['null', null, TypeError, "format must be 'optimlab.state'"],
    ['a number', 42, TypeError, 'not an optimlab state'],
    ['a raw state object', s, TypeError, 'not an optimlab state'],
    ['wrong format', with_({ format: 'torch.state' }), TypeError, 'not an optimlab state'],
    ['wrong version', with_({ version: 2 }), RangeError, 'version 2'],
    ['wrong dtype', with_({ dtype: 'float16' }), TypeError, 'dtype = float16'],
    ['negative size', with_({ size: -1 }), RangeError, 'size = -1'],
    ['fractional size', with_({ size: 1.5 }), RangeError, 'size = 1.5'],
    ['negative t', with_({ t: -1 }), RangeError, 't = -1'],
    ['t not a number', with_({ t: '1' }), RangeError, "t = '1' (a string)"], // the type shown: 't = 1' misled (issue 12, D3)
    ['optimizer missing', with_({ optimizer: undefined }), TypeError, 'optimizer name missing'],
    ['buffers missing', with_({ buffers: null }), TypeError, 'buffers missing'],
    [
      'a buffer not a string',
      with_({ buffers: { ...good.buffers, m: [1, 2, 3] } }),
      TypeError,
      "buffer 'm' is not a base64 string",
    ],
    // size 4 says 16 bytes per float32 buffer; the data hold 12
    ['wrong size', with_({ size: 4 }), RangeError, "buffer 'm' holds 12 bytes; 4 float32 values need 16"],
    [
      'a buffer too short',
      with_({ buffers: { ...good.buffers, v: good.buffers.m!.slice(0, 8) } }),
      RangeError,
      "buffer 'v' holds 6 bytes",
    ],
    // float32 data read as float64: 12 bytes for 3 values that need 24
    ['dtype changed', with_({ dtype: 'float64' }), RangeError, '3 float64 values need 24'],
  ];
  for (const [what, data, cls, fragment] of cases) {
    it(what, () => {
      expect(() => restoreState(data as never)).toThrow(cls);
      expect(() => restoreState(data as never)).toThrow(fragment);
    });
  }
  it('text that is not JSON is a TypeError that says so', () => {
    expect(() => restoreState('{ not json')).toThrow(TypeError);
    expect(() => restoreState('{ not json')).toThrow(/restoreState: the text is not JSON/);
  });
  it('a buffer with characters outside base64 is rejected, even when it decodes to the right length', () => {
    const opt = createOptimizer('momentum');
    const good = serializeState(opt.init(3, 'float64'));
    // 3 float64 = 24 bytes = 32 base64 characters; '!' is skipped by Node's lenient decoder.
    const bad = { ...good, buffers: { v: `!${good.buffers.v!}` } };
    expect(Buffer.from(bad.buffers.v, 'base64').length).toBe(24);
    expect(() => restoreState(bad)).toThrow(/buffer 'v' is not valid base64/);
  });
  it('base64: every letter of the alphabet is accepted up to the first bad character; a text in the alphabet but not canonical is named so', () => {
    const good = serializeState(createOptimizer('momentum').init(3, 'float64'));
    // 32 characters: the whole alphabet's ranges (A–Z a–z 0–9 + /), then '!' at index 30.
    const edges = 'AZaz09+/'.repeat(3) + 'MzMz' + 'zz!A';
    expect(edges.length).toBe(32);
    expect(() => restoreState({ ...good, buffers: { v: edges } })).toThrow(
      'restoreState: buffer \'v\' is not valid base64 (character 30 is "!")',
    );
    // 'B' carries bits that a one-byte group must leave 0: Node decodes it, but re-encodes 'AA=='.
    expect(() => restoreState({ ...good, buffers: { v: `${good.buffers.v!.slice(0, 28)}AB==` } })).toThrow(
      "restoreState: buffer 'v' is not valid base64 (not in canonical form)",
    );
  });
  it('a state of another optimizer, or with other buffers, is rejected when the optimizer is given', () => {
    expect(() => restoreState(good, createOptimizer('nadam'))).toThrow(TypeError);
    expect(() => restoreState(good, createOptimizer('nadam'))).toThrow("the state belongs to 'adam', not 'nadam'");
    const renamed = with_({ buffers: { m: good.buffers.m, u: good.buffers.v } });
    expect(() => restoreState(renamed, opt)).toThrow("buffers [m,u] do not match adam's [m,v]");
    const extra = with_({ buffers: { ...good.buffers, w: good.buffers.m } });
    expect(() => restoreState(extra, opt)).toThrow(TypeError);
    // without the optimizer, a state with a missing buffer restores but its first step is rejected
    const missing = restoreState(with_({ buffers: { m: good.buffers.m } }));
    expect(() => opt.step(Float32Array.of(1, 2, 3), Float32Array.of(0, 0, 0), missing)).toThrow("state buffer 'v'");
  });
  it('restoring does not apply the recorded hyperparameters (provenance only)', () => {
    const other = createOptimizer('adam', { lr: 0.5 });
    restoreState(good, other);
    expect(other.hyper.lr).toBe(0.5);
  });
});
