/**
 * Bad input (issue 2, acceptance 3): every hyperparameter's range and type, the cross-checks,
 * unknown names, `set` leaving the hyperparameters unchanged, `init`'s checks, and rejected steps
 * that leave every byte of params, grad and state (and state.t) unchanged.
 */
import { describe, expect, it } from 'vitest';
import {
  createOptimizer,
  getOptimizer,
  registry,
  type NumberSpec,
  type OptimizerState,
  type Vec,
} from '../src/index.js';
import { DTYPES, snapshot, vec } from './helpers.js';

type ErrClass = typeof RangeError | typeof TypeError;

/** Runs f, expects it to throw exactly `cls` (not a subclass), with every fragment in the message. */
function throwsWith(f: () => unknown, cls: ErrClass, fragments: readonly string[]): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err, 'expected a throw').toBeInstanceOf(cls);
  expect((err as Error).constructor).toBe(cls);
  for (const s of fragments) expect((err as Error).message).toContain(s);
}

describe('the ranges of the source documents, spelled out (hand-written, not read from the specs)', () => {
  // [optimizer, name, value, the allowed-range text the message must carry]
  const bad: [string, string, number, string][] = [
    ['sgd', 'lr', 0, '0 < lr (finite)'],
    ['sgd', 'lr', -0, '0 < lr (finite)'],
    ['sgd', 'lr', -1, '0 < lr (finite)'],
    ['momentum', 'momentum', 1, '0 ≤ momentum < 1'],
    ['momentum', 'momentum', -0.5, '0 ≤ momentum < 1'],
    ['nesterov', 'momentum', 1.5, '0 ≤ momentum < 1'],
    ['adagrad', 'eps', -1e-8, '0 ≤ eps (finite)'],
    ['adadelta', 'rho', 1, '0 ≤ rho < 1'],
    ['adadelta', 'rho', -0.1, '0 ≤ rho < 1'],
    ['adadelta', 'eps', 0, '0 < eps (finite)'], // ε = 0 would freeze Adadelta: ε > 0
    ['rmsprop', 'rho', 1, '0 ≤ rho < 1'],
    ['adam', 'beta1', 1, '0 ≤ beta1 < 1'],
    ['adam', 'beta1', -0.25, '0 ≤ beta1 < 1'],
    ['adam', 'beta2', 1, '0 ≤ beta2 < 1'],
    ['adam', 'eps', -1, '0 ≤ eps (finite)'],
    ['adamax', 'beta2', 1.25, '0 ≤ beta2 < 1'],
    ['nadam', 'beta1', 1, '0 ≤ beta1 < 1'],
    ['amsgrad', 'beta2', 2, '0 ≤ beta2 < 1'],
    ['adam', 'weightDecay', -0.5, '0 ≤ weightDecay (finite)'],
    ['sgd', 'decoupledWeightDecay', -1, '0 ≤ decoupledWeightDecay (finite)'],
  ];
  for (const [opt, name, value, range] of bad) {
    it(`${opt}: ${name} = ${Object.is(value, -0) ? '-0' : value} is a RangeError naming it, its value and "${range}"`, () => {
      const shown = Object.is(value, -0) ? '-0' : String(value);
      throwsWith(() => createOptimizer(opt, { [name]: value }), RangeError, [
        opt,
        `${name} = ${shown}`,
        'out of range',
        range,
      ]);
    });
  }
  it('the edges that are allowed: β = 0, ε = 0 (but Adadelta), weight decay 0, β just below 1', () => {
    expect(createOptimizer('adam', { beta1: 0, beta2: 0.5, eps: 0 }).hyper.beta1).toBe(0);
    expect(createOptimizer('adam', { beta2: 1 - 2 ** -53 }).hyper.beta2).toBe(1 - 2 ** -53);
    expect(createOptimizer('momentum', { momentum: 0 }).hyper.momentum).toBe(0);
    expect(createOptimizer('rmsprop', { rho: 0, eps: 0 }).hyper.rho).toBe(0);
    expect(createOptimizer('adagrad', { eps: 0 }).hyper.eps).toBe(0);
    expect(createOptimizer('adadelta', { eps: 5e-324 }).hyper.eps).toBe(5e-324);
    expect(createOptimizer('sgd', { lr: 5e-324, weightDecay: 0 }).hyper.lr).toBe(5e-324);
    // AMSGrad's v̂ only grows, so β2 = 0 with ε = 0 is fine there
    expect(createOptimizer('amsgrad', { beta2: 0, eps: 0 }).hyper.beta2).toBe(0);
  });
});

describe('every number hyperparameter of every optimizer (iterating the registry)', () => {
  for (const e of registry) {
    for (const [name, spec] of Object.entries(e.hyper as Record<string, { kind: string }>)) {
      if (spec.kind !== 'number') continue;
      const s = spec as NumberSpec;
      it(`${e.name}.${name}: NaN, ±Infinity are RangeErrors; a string, null, a boolean are TypeErrors`, () => {
        for (const v of [NaN, Infinity, -Infinity]) {
          throwsWith(() => e.create({ [name]: v }), RangeError, [e.name, `${name} = ${v}`, 'not finite', 'allowed:']);
        }
        for (const [v, shown] of [
          ['0.1', "'0.1'"],
          [null, 'null'],
          [true, 'true'],
          [[0.1], '[0.1]'],
        ] as const) {
          throwsWith(() => e.create({ [name]: v as never }), TypeError, [
            e.name,
            `${name} = ${shown}`,
            'not a number',
            'allowed:',
          ]);
        }
      });
      it(`${e.name}.${name}: the ends of its range`, () => {
        const outside = [s.min - 1, ...(s.minOpen ? [s.min] : []), ...(s.max !== Infinity ? [s.max, s.max + 1] : [])];
        for (const v of outside)
          throwsWith(() => e.create({ [name]: v }), RangeError, [`${name} = ${v}`, 'out of range']);
      });
    }
    it(`${e.name}.maximize must be a boolean; unknown names and non-objects are rejected`, () => {
      throwsWith(() => e.create({ maximize: 1 as never }), TypeError, [
        e.name,
        'maximize = 1',
        'not a boolean',
        'maximize is true or false',
      ]);
      throwsWith(() => e.create({ maximize: 'yes' as never }), TypeError, ["maximize = 'yes'"]);
      // a typo and a name from another optimizer's vocabulary
      throwsWith(() => e.create({ learningRate: 0.1 } as never), RangeError, [
        e.name,
        "unknown hyperparameter 'learningRate' = 0.1",
        'accepts lr',
      ]);
      const foreign = 'beta1' in e.hyper ? 'rho' : 'beta1';
      throwsWith(() => e.create({ [foreign]: 0.5 } as never), RangeError, [`unknown hyperparameter '${foreign}'`]);
      throwsWith(() => e.create(0.1 as never), TypeError, ['hyperparameters must be an object', 'got 0.1']);
      throwsWith(() => e.create(null as never), TypeError, ['hyperparameters must be an object', 'got null']);
      throwsWith(() => e.create([0.1] as never), TypeError, ['hyperparameters must be an object']);
      expect(() => e.validate({ lr: -1 } as never)).toThrow(RangeError);
    });
    it(`${e.name}: lr × decoupledWeightDecay must be < 1`, () => {
      throwsWith(() => e.create({ lr: 0.5, decoupledWeightDecay: 2 } as never), RangeError, [
        e.name,
        'lr × decoupledWeightDecay = 1',
        'must be < 1',
        'lr = 0.5',
        'decoupledWeightDecay = 2',
      ]);
      throwsWith(() => e.create({ lr: 0.5, decoupledWeightDecay: 4 } as never), RangeError, [
        'lr × decoupledWeightDecay = 2',
      ]);
      expect(e.create({ lr: 0.5, decoupledWeightDecay: 1.5 } as never).hyper.decoupledWeightDecay).toBe(1.5);
    });
  }
});

describe('cross-checks between hyperparameters', () => {
  for (const name of ['adam', 'nadam', 'adamax']) {
    it(`${name}: beta2 = 0 with eps = 0 is rejected (a nonzero m over a zero v), either alone is fine`, () => {
      throwsWith(() => createOptimizer(name, { beta2: 0, eps: 0 }), RangeError, [
        name,
        'beta2 = 0 with eps = 0',
        'allowed: beta2 > 0 or eps > 0',
      ]);
      expect(createOptimizer(name, { beta2: 0, eps: 1e-8 }).hyper.beta2).toBe(0);
      expect(createOptimizer(name, { beta2: 0.5, eps: 0 }).hyper.eps).toBe(0);
    });
  }
  it('adamax: its default eps is 0, so beta2 = 0 alone is rejected', () => {
    throwsWith(() => createOptimizer('adamax', { beta2: 0 }), RangeError, ['beta2 = 0 with eps = 0']);
  });
});

describe('createOptimizer / getOptimizer names', () => {
  it('an unknown optimizer is a RangeError listing the known ones; a non-string is a TypeError', () => {
    throwsWith(() => createOptimizer('adamw'), RangeError, [
      'unknown optimizer "adamw"',
      'known: sgd, momentum',
      'amsgrad',
    ]);
    throwsWith(() => getOptimizer('SGD'), RangeError, ['unknown optimizer "SGD"']);
    throwsWith(() => createOptimizer(42 as never), TypeError, ['name must be a string']);
  });
});

describe('set() validates as a whole and changes nothing on error', () => {
  for (const e of registry) {
    it(e.name, () => {
      const opt = e.create({ lr: 0.25 } as never);
      const before = opt.hyper;
      const copy = { ...before };
      const bad: unknown[] = [
        { lr: 0.125, weightDecay: -1 }, // a valid change next to an invalid one: neither applies
        { lr: 0 },
        { lr: NaN },
        { lr: '0.1' },
        { nope: 1 },
        { lr: 1, decoupledWeightDecay: 1 }, // the cross-check
        null,
      ];
      for (const b of bad) {
        expect(() => opt.set(b as never)).toThrow();
        expect(opt.hyper).toBe(before);
        expect({ ...opt.hyper }).toEqual(copy);
      }
      expect(Object.isFrozen(opt.hyper)).toBe(true);
    });
  }
  it('adam: set({ eps: 0 }) when beta2 = 0 is rejected (the cross-check sees the merged set)', () => {
    const opt = createOptimizer('adam', { beta2: 0 });
    throwsWith(() => opt.set({ eps: 0 }), RangeError, ['beta2 = 0 with eps = 0']);
    expect(opt.hyper.eps).toBe(1e-8);
    expect(opt.hyper.beta2).toBe(0);
  });
});

describe('init(size, dtype)', () => {
  for (const e of registry) {
    it(e.name, () => {
      const opt = e.create();
      for (const size of [-1, 1.5, NaN, Infinity, 2 ** 53, '3', null]) {
        // a string shows as one: 'size = 3' for '3' misled (issue 12, D3)
        throwsWith(() => opt.init(size as never), RangeError, [
          `${e.name}.init`,
          typeof size === 'string' ? `size = '${size}' (a string)` : `size = ${String(size)}`,
          'an integer ≥ 0',
        ]);
      }
      for (const dtype of ['float16', 'Float64Array', 64, null]) {
        throwsWith(() => opt.init(3, dtype as never), TypeError, [`${e.name}.init`, 'dtype', "'float64' or 'float32'"]);
      }
      const s0 = opt.init(0);
      expect(s0).toMatchObject({ optimizer: e.name, dtype: 'float64', size: 0, t: 0 });
      for (const dtype of DTYPES) {
        const s = opt.init(3, dtype);
        expect(Object.keys(s.buffers)).toEqual([...e.buffers]);
        for (const b of Object.values(s.buffers)) {
          expect(b).toBeInstanceOf(dtype === 'float64' ? Float64Array : Float32Array);
          expect(Array.from(b)).toEqual([0, 0, 0]);
        }
      }
    });
  }
});

/**
 * A rejected step: builds a state that has taken two steps (nonzero buffers), applies `corrupt`,
 * takes byte copies of everything, expects the step to throw `cls`, and compares the bytes.
 */
interface Bad {
  what: string;
  cls: ErrClass;
  fragment: string;
  /** Returns the (params, grad, state) to step with; may build them from the good ones. */
  make(p: Vec, g: Vec, s: OptimizerState, other: OptimizerState): [unknown, unknown, OptimizerState];
  /** Only for optimizers with at least one buffer (two with `needsTwo`). */
  needsBuffer?: boolean;
  needsTwo?: boolean;
}

const badSteps: Bad[] = [
  {
    what: 'params too short',
    cls: RangeError,
    fragment: 'params.length = 3; the state has size 4',
    make: (p, g, s) => [p.subarray(0, 3), g, s],
  },
  {
    what: 'grad too long',
    cls: RangeError,
    fragment: 'grad.length = 5; the state has size 4',
    make: (p, g, s) => [p, vec(s.dtype, [...g, 1]), s],
  },
  {
    what: 'params of the other dtype',
    cls: TypeError,
    fragment: 'params is a',
    make: (p, g, s) => [s.dtype === 'float64' ? Float32Array.from(p) : Float64Array.from(p), g, s],
  },
  {
    what: 'grad of the other dtype',
    cls: TypeError,
    fragment: 'grad is a',
    make: (p, g, s) => [p, s.dtype === 'float64' ? Float32Array.from(g) : Float64Array.from(g), s],
  },
  {
    what: 'params a plain array',
    cls: TypeError,
    fragment: 'params is an Array',
    make: (p, g, s) => [Array.from(p), g, s],
  },
  { what: 'grad null', cls: TypeError, fragment: 'grad is null', make: (p, _g, s) => [p, null, s] },
  { what: 'grad is params', cls: TypeError, fragment: 'grad shares memory with params', make: (p, _g, s) => [p, p, s] },
  {
    // params and grad as overlapping views of one buffer (elements 0..3 and 2..5 of 6)
    what: 'grad overlapping params',
    cls: TypeError,
    fragment: 'grad shares memory with params',
    make: (p, g, s) => {
      const big = vec(s.dtype, [...p, ...g.subarray(0, 2)]);
      return [big.subarray(0, 4), big.subarray(2, 6), s];
    },
  },
  {
    what: "another optimizer's state",
    cls: TypeError,
    fragment: 'state belongs to optimizer',
    make: (p, g, _s, other) => [p, g, other],
  },
  {
    what: 'state of the wrong dtype (arrays of the other dtype)',
    cls: TypeError,
    fragment: 'the state is',
    make: (p, g, s) => [p, g, { ...s, dtype: s.dtype === 'float64' ? 'float32' : 'float64' }],
  },
  {
    what: 'state.dtype unknown',
    cls: TypeError,
    fragment: "state.dtype = float16; allowed: 'float64' or 'float32'",
    make: (p, g, s) => [p, g, { ...s, dtype: 'float16' as never }],
  },
  { what: 'state.t negative', cls: RangeError, fragment: 'state.t = -1', make: (p, g, s) => [p, g, { ...s, t: -1 }] },
  {
    what: 'state.t fractional',
    cls: RangeError,
    fragment: 'state.t = 1.5',
    make: (p, g, s) => [p, g, { ...s, t: 1.5 }],
  },
  { what: 'state.t NaN', cls: RangeError, fragment: 'state.t = NaN', make: (p, g, s) => [p, g, { ...s, t: NaN }] },
  {
    what: 'state.size wrong',
    cls: RangeError,
    fragment: 'the state has size 5',
    make: (p, g, s) => [p, g, { ...s, size: 5 }],
  },
  { what: 'state null', cls: TypeError, fragment: 'state must come from', make: (p, g) => [p, g, null as never] },
  {
    what: 'state.buffers missing',
    cls: TypeError,
    fragment: 'state must come from',
    make: (p, g, s) => [p, g, { ...s, buffers: undefined as never }],
  },
  {
    what: 'a buffer missing',
    cls: TypeError,
    fragment: 'state buffer',
    needsBuffer: true,
    make: (p, g, s) => {
      const rest = Object.keys(s.buffers).slice(1);
      return [p, g, { ...s, buffers: Object.fromEntries(rest.map((k) => [k, s.buffers[k]!])) }];
    },
  },
  {
    what: 'a buffer too short',
    cls: TypeError,
    fragment: 'of length 3; expected',
    needsBuffer: true,
    make: (p, g, s) => {
      const ks = Object.keys(s.buffers);
      return [
        p,
        g,
        { ...s, buffers: { ...s.buffers, [ks[ks.length - 1]!]: s.buffers[ks[ks.length - 1]!]!.subarray(0, 3) } },
      ];
    },
  },
  {
    what: 'a buffer of the other dtype',
    cls: TypeError,
    fragment: 'state buffer',
    needsBuffer: true,
    make: (p, g, s) => {
      const k = Object.keys(s.buffers)[0]!;
      const b = s.buffers[k]!;
      return [
        p,
        g,
        { ...s, buffers: { ...s.buffers, [k]: s.dtype === 'float64' ? Float32Array.from(b) : Float64Array.from(b) } },
      ];
    },
  },
  {
    what: 'a buffer that is params',
    cls: TypeError,
    fragment: 'shares memory with params or grad',
    needsBuffer: true,
    make: (p, g, s) => [p, g, { ...s, buffers: { ...s.buffers, [Object.keys(s.buffers)[0]!]: p } }],
  },
  {
    what: 'a buffer that is grad',
    cls: TypeError,
    fragment: 'shares memory with params or grad',
    needsBuffer: true,
    make: (p, g, s) => [p, g, { ...s, buffers: { ...s.buffers, [Object.keys(s.buffers)[0]!]: g } }],
  },
  {
    // Adam's m and v as one array: stepping would write v over m (found by this test; now rejected)
    what: 'two buffers sharing memory',
    cls: TypeError,
    fragment: 'share memory',
    needsBuffer: true,
    needsTwo: true,
    make: (p, g, s) => {
      const [a, b] = Object.keys(s.buffers);
      return [p, g, { ...s, buffers: { ...s.buffers, [b!]: s.buffers[a!]! } }];
    },
  },
  {
    // grad = elements 0..3 of one ArrayBuffer, the first state buffer = elements 3..6: one shared element
    what: 'a buffer overlapping grad by one element',
    cls: TypeError,
    fragment: 'shares memory with params or grad',
    needsBuffer: true,
    make: (p, g, s) => {
      const k = Object.keys(s.buffers)[0]!;
      const big = vec(s.dtype, [...g.subarray(0, 3), ...s.buffers[k]!]);
      return [p, big.subarray(0, 4), { ...s, buffers: { ...s.buffers, [k]: big.subarray(3, 7) } }];
    },
  },
  {
    what: 'two buffers overlapping in one ArrayBuffer',
    cls: TypeError,
    fragment: 'share memory',
    needsBuffer: true,
    needsTwo: true,
    make: (p, g, s) => {
      const [a, b] = Object.keys(s.buffers);
      const big = vec(s.dtype, [...s.buffers[a!]!, 0, 0]);
      return [p, g, { ...s, buffers: { ...s.buffers, [a!]: big.subarray(0, 4), [b!]: big.subarray(2, 6) } }];
    },
  },
];

describe('views of one ArrayBuffer that do not overlap are accepted', () => {
  // params, grad and every state buffer side by side in one ArrayBuffer (as a parameter arena lays
  // them out): the step runs and computes exactly what it computes on separate arrays.
  for (const e of registry) {
    it(e.name, () => {
      for (const dtype of DTYPES) {
        const opt = e.create();
        const k = e.buffers.length;
        const C = dtype === 'float64' ? Float64Array : Float32Array;
        const arena = new C(4 * (2 + k));
        const view = (i: number): Vec => arena.subarray(4 * i, 4 * i + 4);
        const [p, g] = [view(0), view(1)];
        p.set([1, -2, 0.5, 3]);
        g.set([0.25, 1, -4, 0.5]);
        const s = opt.init(4, dtype);
        e.buffers.forEach((b, i) => {
          s.buffers[b] = view(2 + i);
        });
        const [q, h] = [vec(dtype, [1, -2, 0.5, 3]), vec(dtype, [0.25, 1, -4, 0.5])];
        const t = opt.init(4, dtype);
        for (let step = 0; step < 3; step++) {
          opt.step(p, g, s);
          opt.step(q, h, t);
        }
        expect(Array.from(p)).toEqual(Array.from(q));
        for (const b of e.buffers) expect(Array.from(s.buffers[b]!)).toEqual(Array.from(t.buffers[b]!));
      }
    });
  }
});

describe('a rejected step throws and leaves every byte unchanged', () => {
  for (const e of registry) {
    for (const dtype of DTYPES) {
      it(`${e.name} ${dtype}`, () => {
        const opt = e.create();
        for (const bad of badSteps) {
          if (bad.needsBuffer && e.buffers.length === 0) continue;
          if (bad.needsTwo && e.buffers.length < 2) continue;
          // a state that has taken two steps, so its buffers are not all zero
          const p = vec(dtype, [1, -2, 0.5, 3]);
          const g = vec(dtype, [0.25, 1, -4, 0]);
          const s = opt.init(4, dtype);
          opt.step(p, g, s);
          opt.step(p, g, s);
          const otherName = e.name === 'adam' ? 'amsgrad' : 'adam';
          const other = createOptimizer(otherName).init(4, dtype);
          const [pp, gg, ss] = bad.make(p, g, s, other);
          const before = snapshot(pp, gg, ss);
          const beforeOrig = snapshot(p, g, s);
          let err: unknown;
          try {
            opt.step(pp as Vec, gg as Vec, ss);
          } catch (x) {
            err = x;
          }
          expect(err, `${bad.what}: no error`).toBeInstanceOf(bad.cls);
          expect((err as Error).message, bad.what).toContain(bad.fragment);
          expect((err as Error).message, bad.what).toContain(`${e.name}.step`);
          expect(snapshot(pp, gg, ss), `${bad.what}: bytes changed`).toEqual(before);
          expect(snapshot(p, g, s), `${bad.what}: the original arrays changed`).toEqual(beforeOrig);
          expect(s.t, bad.what).toBe(2);
        }
      });
    }
  }
});

/**
 * How a message shows the value it rejects (show.ts, showValue: "so that its type is plain"), and
 * createOptimizer's own options. Expected texts are written from that description, by hand.
 */
describe('messages show the rejected value by its type', () => {
  const lrOf = (v: unknown): string => {
    try {
      createOptimizer('sgd', { lr: v as number });
    } catch (e) {
      return (e as Error).message;
    }
    return 'no throw';
  };
  it('strings quoted (cut at 80 characters), numbers as written, -0, bigint, symbol, function, null, undefined, booleans', () => {
    expect(lrOf('0.1')).toMatch(/^sgd: hyperparameter lr = '0\.1' is not a number; /);
    expect(lrOf('x'.repeat(81))).toContain(`lr = '${'x'.repeat(80)}…' is not`);
    expect(lrOf('x'.repeat(80))).toContain(`lr = '${'x'.repeat(80)}' is not`);
    expect(lrOf(-0)).toMatch(/^sgd: hyperparameter lr = -0 /);
    expect(lrOf(5n)).toMatch(/^sgd: hyperparameter lr = 5n \(a bigint\) is not a number/);
    expect(lrOf(Symbol('s'))).toMatch(/^sgd: hyperparameter lr = Symbol\(s\) \(a symbol\) is not a number/);
    expect(lrOf(function named() {})).toMatch(/^sgd: hyperparameter lr = a function \(named\) is not a number/);
    expect(lrOf(() => 1)).toMatch(/^sgd: hyperparameter lr = a function is not a number/);
    expect(lrOf(null)).toMatch(/^sgd: hyperparameter lr = null is not a number/);
    expect(lrOf(true)).toMatch(/^sgd: hyperparameter lr = true is not a number/);
  });
  it('typed arrays by kind and length, short objects and arrays as JSON, long ones by their size, cyclic ones without overflow', () => {
    expect(lrOf(new Float32Array(3))).toMatch(/^sgd: hyperparameter lr = a Float32Array of length 3 is not a number/);
    expect(lrOf(new DataView(new ArrayBuffer(2)))).toMatch(/^sgd: hyperparameter lr = a DataView is not a number/);
    expect(lrOf([1, 2])).toMatch(/^sgd: hyperparameter lr = \[1,2\] is not a number/);
    expect(lrOf({ a: 1 })).toMatch(/^sgd: hyperparameter lr = \{"a":1\} is not a number/);
    expect(lrOf(new Array(100).fill(1))).toMatch(/^sgd: hyperparameter lr = an array of 100 is not a number/);
    const wide = Object.fromEntries(Array.from({ length: 30 }, (_, k) => [`key${k}`, k]));
    expect(lrOf(wide)).toMatch(
      /^sgd: hyperparameter lr = an object with keys key0, key1, key2, key3, key4, … is not a number/,
    );
    const five = Object.fromEntries(Array.from({ length: 5 }, (_, k) => [`k${k}`.repeat(12), k]));
    expect(lrOf(five)).toMatch(
      /^sgd: hyperparameter lr = an object with keys k0k0k0k0k0k0k0k0k0k0k0k0, k1k1[^…]*k4k4k4k4k4k4k4k4k4k4k4k4 is not a number/,
    );
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(lrOf(cyclic)).toMatch(/^sgd: hyperparameter lr = an object with keys self is not a number/);
    expect(lrOf(Object.create(null))).toMatch(/^sgd: hyperparameter lr = \{\} is not a number/);
  });
  it('createOptimizer: options not an object, an unknown option, an api without a profile, a profile api of another optimizer', () => {
    throwsWith(() => createOptimizer('adam', {}, 7 as never), TypeError, [
      "createOptimizer: options must be an object such as { profile: 'pytorch' }; got 7",
    ]);
    throwsWith(() => createOptimizer('adam', {}, { colour: 1 } as never), RangeError, [
      "createOptimizer: unknown option 'colour'; allowed: profile, api, conventions, engine",
    ]);
    throwsWith(() => createOptimizer('adam', {}, { api: 'Adam' } as never), RangeError, [
      'createOptimizer: api = "Adam" needs a profile',
    ]);
    throwsWith(() => createOptimizer('sgd', {}, { profile: 'pytorch', api: 'Adam' } as never), RangeError, [
      "createOptimizer: profile 'pytorch' api 'Adam' is optimlab's adam, not sgd",
    ]);
  });
  it('a convention option passed as a hyperparameter says where it goes', () => {
    throwsWith(() => createOptimizer('adam', { epsMode: 'hat' } as never), RangeError, [
      "adam: 'epsMode' is a convention option, not a hyperparameter; pass it as create(hyper, { epsMode: ... }) or createOptimizer(name, hyper, { conventions: { epsMode: ... } })",
    ]);
  });
  it('set: changes that are not an object name what is expected', () => {
    const opt = createOptimizer('adam');
    throwsWith(() => opt.set(3 as never), TypeError, [
      'adam: hyperparameters must be an object such as { lr: 0.01 }; got 3',
    ]);
    throwsWith(() => opt.set([] as never), TypeError, [
      'adam: hyperparameters must be an object such as { lr: 0.01 }; got []',
    ]);
  });
});
