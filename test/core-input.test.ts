/**
 * The core against hostile or careless input (issue 12): a state of any size that fits in memory
 * round-trips (S4); a rejected step changes nothing, a frozen state included (D1); names that
 * objects inherit are names like any other (D2); messages show the value's type and never
 * overflow the stack (D3).
 */
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  createOptimizer,
  registry,
  restoreState,
  serializeState,
  type Dtype,
  type OptimizerState,
  type Vec,
} from '../src/index.js';

const bytesOf = (v: Vec): Buffer => Buffer.from(v.buffer, v.byteOffset, v.byteLength);

describe('a state of any size that fits in memory round-trips (S4)', () => {
  for (const dtype of ['float64', 'float32'] as const) {
    it(`Adam, 5e6 ${dtype} elements per buffer, through JSON text (a regex over the base64 overflowed the stack from 419k before)`, () => {
      const opt = createOptimizer('adam');
      const n = 5e6;
      const s = opt.init(n, dtype);
      // every bit pattern class: a deterministic mix of signs, magnitudes, zeros
      for (const [k, b] of Object.entries(s.buffers))
        for (let i = 0; i < n; i++) b[i] = (i % 7 === 0 ? 0 : (i % 1009) - 504.5) * (k === 'm' ? -1e-3 : 1e-7);
      s.t = 123;
      const text = JSON.stringify(serializeState(s, opt));
      const back = restoreState(text, opt);
      expect(back.t).toBe(123);
      expect(back.size).toBe(n);
      for (const k of Object.keys(s.buffers))
        expect(bytesOf(back.buffers[k]!).equals(bytesOf(s.buffers[k]!)), k).toBe(true);
    });
  }

  it('a corrupted character or a bad length is still refused, naming the buffer and where', () => {
    const opt = createOptimizer('sgd');
    const momentum = createOptimizer('momentum');
    const s = momentum.init(1e5, 'float64');
    const good = serializeState(s, momentum);
    const b = good.buffers.v!;
    expect(() => restoreState({ ...good, buffers: { v: `${b.slice(0, 1000)}!${b.slice(1001)}` } })).toThrow(
      'restoreState: buffer \'v\' is not valid base64 (character 1000 is "!")',
    );
    expect(() => restoreState({ ...good, buffers: { v: b.slice(1) } })).toThrow(
      `restoreState: buffer 'v' is not valid base64 (its length ${b.length - 1} is not a multiple of 4)`,
    );
    expect(() => restoreState({ ...good, buffers: { v: `${b.slice(0, -4)}A=A=` } })).toThrow(
      /buffer 'v' is not valid base64 \(character \d+ is "="\)/,
    );
    expect(opt.name).toBe('sgd');
  });
});

/** Every byte of params, grad, the buffers and t. */
function image(p: Vec, g: Vec, s: OptimizerState): string {
  return JSON.stringify([
    bytesOf(p).toString('hex'),
    bytesOf(g).toString('hex'),
    s.t,
    Object.entries(s.buffers).map(([k, v]) => [k, bytesOf(v).toString('hex')]),
  ]);
}

describe('a rejected step changes nothing (D1)', () => {
  for (const e of registry) {
    it(`${e.name}: a frozen state, or one whose t is read-only, is refused before params or buffers change`, () => {
      const opt = e.create();
      for (const dtype of ['float64', 'float32'] as Dtype[]) {
        const C = dtype === 'float64' ? Float64Array : Float32Array;
        const p = C.from([1, -2, 3]);
        const g = C.from([0.5, 0.25, -1]);
        const warm = opt.init(3, dtype);
        opt.step(p, g, warm); // buffers nonzero, t = 1
        for (const lock of [
          (s: OptimizerState) => Object.freeze(s),
          (s: OptimizerState) => Object.defineProperty(s, 't', { value: s.t, writable: false }),
        ]) {
          const s: OptimizerState = {
            ...warm,
            buffers: Object.fromEntries(Object.entries(warm.buffers).map(([k, v]) => [k, v.slice()])),
          };
          lock(s);
          const before = image(p, g, s);
          let err: unknown;
          try {
            opt.step(p, g, s);
          } catch (x) {
            err = x;
          }
          expect(image(p, g, s), 'params, grad, buffers and t as they were').toBe(before);
          expect((err as Error).message).toContain(
            `${e.name}.step: state.t cannot be written (a frozen or read-only state); nothing was changed`,
          );
        }
      }
    });
  }
});

describe('names that objects inherit are names like any other (D2)', () => {
  const INHERITED = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'];

  it('as hyperparameters in create and set: unknown, and the hyper object keeps its prototype', () => {
    const opt = createOptimizer('adam');
    for (const k of INHERITED) {
      const h = JSON.parse(`{${JSON.stringify(k)}: {"lr": 5}}`) as Record<string, unknown>;
      expect(() => createOptimizer('adam', h as never)).toThrow(
        `adam: unknown hyperparameter '${k}' = {"lr":5}; adam accepts lr, beta1, beta2, eps`,
      );
      expect(() => opt.set(h as never)).toThrow(`unknown hyperparameter '${k}'`);
    }
    expect(Object.getPrototypeOf(opt.hyper)).toBe(Object.prototype);
    expect(opt.hyper.lr).toBe(0.001);
  });

  it('as convention options, and as a profile api', () => {
    for (const k of INHERITED) {
      expect(() => createOptimizer('adam', {}, { conventions: JSON.parse(`{${JSON.stringify(k)}: "x"}`) })).toThrow(
        `adam: unknown convention option '${k}' = 'x'; adam accepts epsMode`,
      );
    }
    expect(() => createOptimizer('adam', {}, { profile: 'pytorch', api: 'constructor' } as never)).toThrow(
      `profile 'pytorch' has no optimizer or api "constructor"`,
    );
  });

  it('as a buffer key or a recorded convention in restoreState', () => {
    const opt = createOptimizer('adam');
    const good = serializeState(opt.init(2), opt);
    for (const k of INHERITED) {
      const buffers = JSON.parse(
        `{${JSON.stringify(k)}: ${JSON.stringify(good.buffers.m)}, "m": ${JSON.stringify(good.buffers.m)}, "v": ${JSON.stringify(good.buffers.v)}}`,
      ) as Record<string, string>;
      expect(() => restoreState({ ...good, buffers })).toThrow(`restoreState: buffer name "${k}" is not allowed`);
      expect(() => restoreState({ ...good, buffers }, opt)).toThrow(`restoreState: buffer name "${k}" is not allowed`);
    }
    const conventions = { ...good.conventions, constructor: 'x' };
    expect(() => restoreState({ ...good, conventions }, opt)).toThrow(
      'the state was made with convention constructor = "x", the optimizer has constructor = (not set)',
    );
  });
});

describe('messages show the value as it is (D3)', () => {
  const opt = createOptimizer('adam');

  it("init('10') and init(5n) say which type they got", () => {
    expect(() => opt.init('10' as never)).toThrow(
      "adam.init: size = '10' (a string); allowed: an integer ≥ 0 (a number)",
    );
    expect(() => opt.init(5n as never)).toThrow('adam.init: size = 5n (a bigint); allowed: an integer ≥ 0 (a number)');
  });

  it("state.t = '3' says it is a string", () => {
    const s = opt.init(2);
    s.t = '3' as never;
    expect(() => opt.step(new Float64Array(2), new Float64Array(2), s)).toThrow(
      "adam.step: state.t = '3' (a string); allowed: an integer ≥ 0 (steps taken)",
    );
  });

  it('a Float64Array from another realm is a Float64Array: the step is the same, bit for bit', () => {
    const F = vm.runInNewContext('Float64Array') as Float64ArrayConstructor;
    const p = new F(3);
    const g = new F(3);
    p.set([1, 2, 3]);
    g.set([0.5, -1, 0]);
    const s = opt.init(3);
    opt.step(p, g, s);
    const q = Float64Array.of(1, 2, 3);
    const s2 = opt.init(3);
    opt.step(q, Float64Array.of(0.5, -1, 0), s2);
    expect(Array.from(p)).toEqual(Array.from(q));
    expect(JSON.stringify(serializeState(s))).toBe(JSON.stringify(serializeState(s2)));
  });

  it('a size whose buffers cannot be allocated names the optimizer, n and the bytes', () => {
    expect(() => opt.init(2 ** 40)).toThrow(
      /^adam\.init: cannot allocate 2 state buffer\(s\) of 1099511627776 float64 values \(8796093022208 bytes each, 17592186044416 in all\): .*; allowed: a size whose buffers fit in memory$/,
    );
  });

  it('cyclic or deeply nested conventions and hyperparameters: a clear message, no stack overflow', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 1e5; i++) deep = { a: deep };
    expect(() => createOptimizer('adam', {}, { conventions: cyclic as never })).toThrow(
      "adam: unknown convention option 'self' = an object with keys self; adam accepts epsMode",
    );
    expect(() => createOptimizer('adam', {}, { conventions: { epsMode: deep } as never })).toThrow(
      "adam: convention option epsMode = an object with keys a is not a string; allowed: epsMode is one of 'outside', 'hat'",
    );
    expect(() => createOptimizer('adam', { lr: deep } as never)).toThrow(
      'adam: hyperparameter lr = an object with keys a is not a number',
    );
    const good = serializeState(opt.init(1), opt);
    expect(() => restoreState({ ...good, conventions: { epsMode: deep } } as never, opt)).toThrow(
      "restoreState: convention 'epsMode' = an object with keys a; allowed: a number, boolean or string",
    );
  });
});
