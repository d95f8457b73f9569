/**
 * defineOptimizer (src/optimizers/define.ts) as an outside maintainer meets it, and the checks every
 * optimizer shares: a kernel function compiled at run time or a build's copies taken as they are;
 * switches() that name something the kernel does not have; the messages for params, grad, state,
 * init and placement that are not what a step needs (each names the parameter, the value and what
 * is allowed, and changes nothing); arrays that share one ArrayBuffer, accepted exactly when they do
 * not overlap; a state whose t cannot be written; where state buffers live and which kernel runs
 * with a wasm engine (counted, not compared: the two engines' bits are compared in
 * test/engine.test.ts and law W1).
 *
 * Written for the define.ts survivors of the src/optimizers mutation row (reports/mutation); each
 * expectation comes from the contract in define.ts's comments and docs/adding-an-optimizer.md.
 */
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createOptimizer, getOptimizer } from '../src/index.js';
import { wasmEngine, type WasmEngine } from '../src/engine/wasm.js';
import { commonSpecs } from '../src/optimizers/common.js';
import { CTOR, defineOptimizer, dtypeOf, kernelsOf } from '../src/optimizers/define.js';
import { decay, lr } from '../src/optimizers/hyper.js';
import type { Elements } from '../src/optimizers/kernel.js';
import type { Hyper, OptimizerState } from '../src/optimizers/types.js';

/** A small outside optimizer: m = βm + g, θ −= ηm (2ηm with the convention `twice`). */
function toyKernel(
  i: number,
  { p, g, m }: Elements<'m'>,
  { eta, b }: { eta: number; b: number },
  { $twice }: { $twice: boolean },
): void {
  const mi = b * m[i]! + g[i]!;
  m[i] = mi;
  p[i]! -= $twice ? 2 * eta * mi : eta * mi;
}
interface ToyHyper extends Hyper {
  lr: number;
  beta: number;
  weightDecay: number;
  decoupledWeightDecay: number;
  maximize: boolean;
}
interface ToyConventions extends Hyper {
  twice: boolean;
}
const toyDefinition = {
  name: 'toy',
  title: 'Toy',
  source: 'test/define.test.ts',
  rule: ['m_t = β m_{t−1} + g_t', 'θ_t = θ_{t−1} − η m_t (2η m_t with twice)'],
  hyper: { lr: lr(0.5), beta: decay(0.5, 'decay β'), ...commonSpecs },
  conventions: { twice: { kind: 'boolean' as const, default: false, doc: 'double the step' } },
  conventionCross: (h: ToyHyper & ToyConventions) =>
    h.twice && h.beta === 0 ? 'twice with beta = 0 is refused here; allowed: beta > 0' : undefined,
  buffers: ['m'],
  traits: { elementwise: true, gradScaleInvariantWhenEpsZero: false, monotoneBuffers: [], biasCorrected: false },
  kernel: toyKernel,
  switches: (h: ToyHyper & ToyConventions) => ({ $twice: h.twice }),
  scalars(s: { eta: number; b: number }, h: ToyHyper & ToyConventions) {
    s.eta = h.lr;
    s.b = h.beta;
  },
};
const defineToy = (over: Record<string, unknown> = {}) =>
  defineOptimizer<ToyHyper, typeof toyKernel, ToyConventions>({ ...toyDefinition, ...over } as never);

describe('defineOptimizer: kernels, switches, conventions', () => {
  it('compiles a kernel function, takes a compiled set of copies as it is, and refuses anything else by name', () => {
    const toy = defineToy();
    const opt = toy.create({ lr: 0.5, beta: 0.5 });
    const p = Float64Array.of(1, 2);
    const s = opt.init(2);
    opt.step(p, Float64Array.of(2, -4), s); // m = g, θ −= 0.5·g
    opt.step(p, Float64Array.of(2, -4), s); // m = 0.5·g + g = 1.5·g, θ −= 0.75·g
    expect(Array.from(p)).toEqual([1 - 1 - 1.5, 2 + 2 + 3]);
    const copies = kernelsOf(toy)!;
    const again = defineToy({ kernel: copies });
    expect(kernelsOf(again)).toBe(copies);
    const q = Float64Array.of(1, 2);
    const t = again.create({ lr: 0.5, beta: 0.5 }).init(2);
    again.create({ lr: 0.5, beta: 0.5 }).step(q, Float64Array.of(2, -4), t);
    expect(Array.from(q)).toEqual([0, 4]);
    for (const bad of [null, undefined, 3, {}]) {
      expect(() => defineToy({ kernel: bad }), String(bad)).toThrow(/toy|kernel/);
      expect(() => defineToy({ kernel: bad }), String(bad)).not.toThrow(/Cannot read properties/);
    }
  });

  it('refuses switches() naming a switch its kernel does not have (a shared one included) or a value that is not boolean', () => {
    expect(() => defineToy({ switches: () => ({ $bogus: true }) }).create()).toThrow(
      "toy: switches() returned '$bogus', which is not a switch of kernel toyKernel (its switches: $twice)",
    );
    expect(() => defineToy({ switches: () => ({ $neg: false }) }).create()).toThrow(
      "toy: switches() returned '$neg', which is not a switch of kernel toyKernel (its switches: $twice)",
    );
    expect(() => defineToy({ switches: () => ({ $twice: 1 }) }).create()).toThrow(
      'toy: switches() returned $twice = 1; a switch is true or false',
    );
    const plain = (i: number, { p, g }: Elements<never>, { eta }: { eta: number }): void => {
      p[i]! -= eta * g[i]!;
    };
    const noSwitches = defineToy({
      kernel: plain,
      buffers: [],
      conventions: undefined,
      conventionCross: undefined,
      switches: () => ({ $twice: true }),
      scalars: (s: { eta: number }, h: ToyHyper) => void (s.eta = h.lr),
    });
    expect(() => noSwitches.create()).toThrow(
      "toy: switches() returned '$twice', which is not a switch of kernel plain (its switches: none)",
    );
    const twoSwitches = (
      i: number,
      { p, g }: Elements<never>,
      { eta }: { eta: number },
      { $half, $third }: { $half: boolean; $third: boolean },
    ): void => {
      p[i]! -= $half ? (eta * g[i]!) / 2 : $third ? (eta * g[i]!) / 3 : eta * g[i]!;
    };
    const two = defineToy({
      kernel: twoSwitches,
      buffers: [],
      conventions: undefined,
      conventionCross: undefined,
      switches: () => ({ $twice: true }),
      scalars: (s: { eta: number }, h: ToyHyper) => void (s.eta = h.lr),
    });
    expect(() => two.create()).toThrow(
      "toy: switches() returned '$twice', which is not a switch of kernel twoSwitches (its switches: $half, $third)",
    );
  });

  it('validates hyperparameters and conventions through the entry, and checks them together', () => {
    const toy = defineToy();
    expect(toy.validate({ lr: 0.25 })).toMatchObject({ lr: 0.25, beta: 0.5, maximize: false });
    expect(() => toy.validate({ lr: -1 })).toThrow(/lr/);
    expect(toy.validateConventions({ twice: true })).toEqual({ twice: true });
    expect(toy.conventionDefaults).toEqual({ twice: false });
    expect(() => toy.validateConventions({ twice: 'yes' } as never)).toThrow(/twice/);
    expect(() => toy.create({ beta: 0 }, { twice: true })).toThrow(
      'toy: twice with beta = 0 is refused here; allowed: beta > 0',
    );
    const opt = toy.create({ lr: 0.5, beta: 0.5 }, { twice: true });
    expect(opt.conventions).toEqual({ twice: true });
    const p = Float64Array.of(1);
    opt.step(p, Float64Array.of(2), opt.init(1)); // m = 2, θ −= 2·0.5·2
    expect(p[0]).toBe(-1);
  });
});

describe('dtypeOf: the dtype of a typed array of this realm or another', () => {
  it('Float64Array and Float32Array from a vm context; no dtype for other views and non-views', () => {
    expect(dtypeOf(runInNewContext('new Float64Array(2)'))).toBe('float64');
    expect(dtypeOf(runInNewContext('new Float32Array(2)'))).toBe('float32');
    expect(dtypeOf(runInNewContext('new Int32Array(2)'))).toBeUndefined();
    expect(dtypeOf(new Float32Array(2))).toBe('float32');
    expect(dtypeOf(new Float64Array(2))).toBe('float64');
    expect(dtypeOf(new Uint8Array(2))).toBeUndefined();
    expect(dtypeOf([1, 2])).toBeUndefined();
    expect(dtypeOf({ length: 2 })).toBeUndefined();
  });
});

describe('step and init refuse what they cannot use, by name, and change nothing', () => {
  const opt = createOptimizer('adam');
  const fresh = () => ({ p: Float64Array.of(1, 2), g: Float64Array.of(0.5, -0.5), s: opt.init(2) });

  it('names what params and grad are', () => {
    const { g, s } = fresh();
    expect(() => opt.step(5 as never, g, s)).toThrow(
      'adam.step: params is 5 (a number); the state is float64, so params must be a Float64Array',
    );
    expect(() => opt.step(null as never, g, s)).toThrow('adam.step: params is null;');
    expect(() => opt.step(new Int32Array(2) as never, g, s)).toThrow('adam.step: params is an Int32Array of length 2;');
    expect(() => opt.step(Object.create(null) as never, g, s)).toThrow('adam.step: params is an object;');
    expect(() => opt.step([1, 2] as never, g, s)).toThrow('adam.step: params is an Array;');
    expect(() => opt.step(new Map() as never, g, s)).toThrow('adam.step: params is a Map;');
    // A view is named by its kind of typed array, not by a constructor name it may carry.
    class Counts extends Int32Array {}
    expect(() => opt.step(new Counts(2) as never, g, s)).toThrow('adam.step: params is an Int32Array of length 2;');
    expect(() => opt.step(Float64Array.of(1, 2), new Float32Array(2) as never, s)).toThrow(
      'adam.step: grad is a Float32Array of length 2; the state is float64, so grad must be a Float64Array',
    );
    expect(() => opt.step(Float64Array.of(1, 2), (() => 0) as never, s)).toThrow('adam.step: grad is a function;');
    expect(() => opt.step(Float64Array.of(1, 2), new Float64Array(3), s)).toThrow(
      'adam.step: grad.length = 3; the state has size 2',
    );
    expect(s.t).toBe(0);
  });

  it("names a state buffer that is not the step's kind of array, with nothing changed", () => {
    const { p, g, s } = fresh();
    const v = s.buffers.v!;
    expect(() => opt.step(p, g, { ...s, buffers: { m: null, v } } as never)).toThrow(
      "adam.step: state buffer 'm' is null; expected a Float64Array of length 2",
    );
    expect(() => opt.step(p, g, { ...s, buffers: { v } } as never)).toThrow(
      "adam.step: state buffer 'm' is undefined; expected a Float64Array of length 2",
    );
    expect(() => opt.step(p, g, { ...s, buffers: { m: new Float32Array(3), v } } as never)).toThrow(
      "adam.step: state buffer 'm' is a Float32Array of length 3; expected a Float64Array of length 2",
    );
    expect(() => opt.step(p, g, { ...s, buffers: { m: new Float64Array(3), v } } as never)).toThrow(
      "adam.step: state buffer 'm' is a Float64Array of length 3; expected a Float64Array of length 2",
    );
    expect(Array.from(p)).toEqual([1, 2]);
    expect(Array.from(v)).toEqual([0, 0]);
  });

  it('names what the state is', () => {
    const { p, g } = fresh();
    expect(() => opt.step(p, g, null as never)).toThrow(
      'adam.step: state must come from adam.init(size, dtype) or restoreState; got null',
    );
    expect(() => opt.step(p, g, undefined as never)).toThrow(
      'adam.step: state must come from adam.init(size, dtype) or restoreState; got undefined',
    );
    expect(() => opt.step(p, g, 3 as never)).toThrow(
      'adam.step: state must come from adam.init(size, dtype) or restoreState; got 3 (a number)',
    );
    expect(() => opt.step(p, g, { optimizer: 'adam', buffers: 5 } as never)).toThrow(
      'adam.step: state must come from adam.init(size, dtype) or restoreState; got an Object',
    );
    expect(() => opt.step(p, g, { optimizer: 'adam', buffers: null } as never)).toThrow(
      'adam.step: state must come from adam.init(size, dtype) or restoreState; got an Object',
    );
    expect(() => opt.step(p, g, { ...opt.init(2), t: '3' } as never)).toThrow(
      "adam.step: state.t = '3' (a string); allowed: an integer ≥ 0 (steps taken)",
    );
    expect(() => opt.step(p, g, { ...opt.init(2), t: -1 } as never)).toThrow(
      'adam.step: state.t = -1; allowed: an integer ≥ 0 (steps taken)',
    );
    expect(Array.from(p)).toEqual([1, 2]);
  });

  it("refuses a state whose t does not take the step's value (an accessor), with nothing changed", () => {
    const { p, g, s } = fresh();
    Object.defineProperty(s, 't', { get: () => 0, set: () => undefined, enumerable: true });
    expect(() => opt.step(p, g, s)).toThrow(
      'adam.step: state.t did not take the value 1 (an accessor?); pass a state from init or restoreState',
    );
    expect(Array.from(p)).toEqual([1, 2]);
    expect(Array.from(s.buffers.m!)).toEqual([0, 0]);
  });

  it('init names a size that is not an integer ≥ 0', () => {
    expect(() => opt.init(-1)).toThrow('adam.init: size = -1; allowed: an integer ≥ 0 (a number)');
    expect(() => opt.init('3' as never)).toThrow(
      "adam.init: size = '3' (a string); allowed: an integer ≥ 0 (a number)",
    );
    expect(() => opt.init(1.5)).toThrow('adam.init: size = 1.5; allowed: an integer ≥ 0 (a number)');
  });
});

describe('arrays that share one ArrayBuffer: accepted exactly when they do not overlap', () => {
  // adam: params, grad and the state buffers m and v, n = 4 float64 values each (32 bytes).
  const n = 4;
  const span = n * 8;
  const opt = createOptimizer('adam');
  /** The four arrays at these byte offsets of one buffer (params, grad, m, v), params 1, grad 0.5. */
  const layout = (offsets: readonly [number, number, number, number]) => {
    const mem = new ArrayBuffer(6 * span);
    const [p, g, m, v] = offsets.map((o) => new Float64Array(mem, o, n)) as [
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
    ];
    const s: OptimizerState = opt.init(n);
    p.fill(1);
    g.fill(0.5);
    s.buffers = { m, v };
    return { p, g, s };
  };
  /** Every order of four adjacent slots, shifted by one slot (no array at byte offset 0). */
  const orders: [number, number, number, number][] = [];
  for (const a of [0, 1, 2, 3])
    for (const b of [0, 1, 2, 3])
      for (const c of [0, 1, 2, 3])
        for (const d of [0, 1, 2, 3])
          if (new Set([a, b, c, d]).size === 4) orders.push([a, b, c, d].map((k) => (k + 1) * span) as never);

  it('adjacent arrays in any order are accepted (24 orders)', () => {
    for (const o of orders) {
      const { p, g, s } = layout(o);
      opt.step(p, g, s);
      expect(s.t, `offsets ${o}`).toBe(1);
      expect(p[0], `offsets ${o}`).not.toBe(1);
    }
  });

  it('two arrays overlapping by one element are refused, whichever two and wherever, with nothing changed', () => {
    const names = ['params', 'grad', 'm', 'v'];
    const message = (a: number, b: number) =>
      b === 1
        ? 'grad shares memory with params'
        : a < 2
          ? `state buffer '${names[b]}' shares memory with params or grad`
          : "state buffers 'm' and 'v' share memory";
    for (let a = 0; a < 4; a++)
      for (let b = a + 1; b < 4; b++)
        for (const ahead of [true, false]) {
          // a and b share one element (b starts at a's last element, or ends at a's first); the
          // others sit apart, past them.
          const o: [number, number, number, number] = [0, 0, 0, 0];
          const base = 2 * span;
          o[a] = base;
          o[b] = ahead ? base + span - 8 : base - span + 8;
          let free = base + 2 * span;
          for (let k = 0; k < 4; k++) if (k !== a && k !== b) ((o[k] = free), (free += span));
          const { p, g, s } = layout(o);
          const bytes = new Uint8Array(p.buffer).slice();
          expect(() => opt.step(p, g, s), `${names[a]} and ${names[b]} at ${o}`).toThrow(message(a, b));
          expect(s.t).toBe(0);
          expect(new Uint8Array(p.buffer)).toEqual(bytes);
        }
  });
});

describe('arrays of which only some share a buffer: the same rule, whichever pair shares', () => {
  const n = 4;
  const span = n * 8;
  const opt = createOptimizer('adam');
  const names = ['params', 'grad', 'm', 'v'] as const;
  /** Arrays a and b in one buffer at these byte offsets; the other two each in a buffer of its own. */
  const pair = (a: number, b: number, at: number, bt: number) => {
    const mem = new ArrayBuffer(5 * span);
    const arrays = names.map((_, k) =>
      k === a ? new Float64Array(mem, at, n) : k === b ? new Float64Array(mem, bt, n) : new Float64Array(n),
    ) as Float64Array[];
    arrays[0]!.fill(1);
    arrays[1]!.fill(0.5);
    const s: OptimizerState = opt.init(n);
    s.buffers = { m: arrays[2]!, v: arrays[3]! };
    return { p: arrays[0]!, g: arrays[1]!, s };
  };
  const cases: [number, number, string][] = [
    [0, 2, "state buffer 'm' shares memory with params or grad"],
    [0, 3, "state buffer 'v' shares memory with params or grad"],
    [1, 2, "state buffer 'm' shares memory with params or grad"],
    [1, 3, "state buffer 'v' shares memory with params or grad"],
    [2, 3, "state buffers 'm' and 'v' share memory"],
  ];
  it('adjacent at nonzero offsets, in either order: accepted', () => {
    for (const [a, b] of cases)
      for (const [at, bt] of [
        [span, 2 * span],
        [3 * span, 2 * span],
      ] as const) {
        const { p, g, s } = pair(a, b, at, bt);
        opt.step(p, g, s);
        expect(s.t, `${names[a]} at ${at}, ${names[b]} at ${bt}`).toBe(1);
      }
  });
  it('overlapping by one element, in either order: refused, with nothing changed', () => {
    for (const [a, b, message] of cases)
      for (const [at, bt] of [
        [span, 2 * span - 8],
        [3 * span, 2 * span + 8],
      ] as const) {
        const { p, g, s } = pair(a, b, at, bt);
        const before = [p, g, s.buffers.m!, s.buffers.v!].map((x) => Array.from(x));
        expect(() => opt.step(p, g, s), `${names[a]} at ${at}, ${names[b]} at ${bt}`).toThrow(message);
        expect([p, g, s.buffers.m!, s.buffers.v!].map((x) => Array.from(x))).toEqual(before);
      }
  });
});

describe('placement: where state lives and which kernel runs with a wasm engine', () => {
  let engine: WasmEngine;
  beforeAll(async () => {
    engine = await wasmEngine();
  });
  afterAll(() => vi.restoreAllMocks());

  /** Counts the runs of the engine's wasm kernels (the functions engine.step hands out). */
  const counting = () => {
    const real = engine.step.bind(engine);
    const runs = { wasm: 0 };
    const step = vi.spyOn(engine, 'step').mockImplementation((k, d, b) => {
      const f = real(k, d, b);
      return f && ((...a: Parameters<typeof f>) => (runs.wasm++, f(...a)));
    });
    const staged = vi.spyOn(engine, 'staged');
    return { runs, staged, restore: () => (step.mockRestore(), staged.mockRestore()) };
  };

  it('refuses a placement that is not { engine?, stage? } as allowed, by name', () => {
    const entry = { create: (pl: unknown) => defineToy().create({}, {}, pl as never) };
    expect(() => entry.create(5)).toThrow('toy: placement must be an object such as { engine }; got 5 (a number)');
    expect(() => entry.create(null)).toThrow('toy: placement must be an object such as { engine }; got null');
    expect(() => entry.create({ engin: engine })).toThrow(
      "toy: unknown placement option 'engin'; allowed: engine, stage",
    );
    expect(() => entry.create({ engine: {} })).toThrow(
      'toy: engine must come from `await wasmEngine()`; got an Object',
    );
    for (const pl of [{ stage: true }, { stage: 'yes' }, { engine, stage: 'yes' }, { engine, stage: 1 }])
      expect(() => entry.create(pl), JSON.stringify(Object.keys(pl))).toThrow(
        /^toy: stage = (true|yes|1); allowed: true or false, and true only with an engine$/,
      );
    expect(entry.create({ stage: false }).engine).toBeUndefined();
    expect(defineToy().create({}, {}, { engine }).engine).toBe(engine);
    expect(defineToy().create({}, {}, { engine, stage: false }).engine).toBe(engine);
  });

  it('with an engine, state buffers live in its memory and a step on its arrays runs its wasm kernel', () => {
    const c = counting();
    try {
      const opt = createOptimizer('momentum', {}, { engine });
      const s = opt.init(8);
      expect(engine.owns(s.buffers.v)).toBe(true);
      const p = engine.alloc(8);
      const g = engine.alloc(8).fill(1);
      opt.step(p, g, s);
      expect(c.runs.wasm).toBe(1);
      expect(c.staged).not.toHaveBeenCalled();
      expect(p[0]).not.toBe(0);
      // Plain arrays with the engine's state: the JS kernel, nothing staged.
      opt.step(new Float64Array(8), new Float64Array(8).fill(1), s);
      expect(c.runs.wasm).toBe(1);
      expect(c.staged).not.toHaveBeenCalled();
      expect(s.t).toBe(2);
    } finally {
      c.restore();
    }
  });

  it('without an engine, or with one but plain arrays, the JS kernel runs; stage: true runs the wasm kernel on copies', () => {
    const c = counting();
    try {
      const plain = createOptimizer('momentum');
      const s0 = plain.init(8);
      expect(engine.owns(s0.buffers.v)).toBe(false);
      plain.step(engine.alloc(8), engine.alloc(8).fill(1), s0);
      expect(c.runs.wasm).toBe(0);
      const staging = getOptimizer('momentum').create({}, {}, { engine, stage: true });
      const s = staging.init(8);
      expect(engine.owns(s.buffers.v)).toBe(false);
      const p = new Float64Array(8);
      staging.step(p, new Float64Array(8).fill(1), s);
      staging.step(p, new Float64Array(8).fill(1), s);
      expect(c.staged).toHaveBeenCalledTimes(2);
      expect(c.runs.wasm).toBe(2);
      expect(p[0]).not.toBe(0);
    } finally {
      c.restore();
    }
  });

  it('a step whose kernel throws leaves state.t as it was', () => {
    const opt = getOptimizer('momentum').create({}, {}, { engine, stage: true });
    const s = opt.init(2);
    const staged = vi.spyOn(engine, 'staged').mockImplementation(() => {
      throw new Error('kernel failed');
    });
    try {
      expect(() => opt.step(new Float64Array(2), Float64Array.of(1, 1), s)).toThrow('kernel failed');
      expect(s.t).toBe(0);
    } finally {
      staged.mockRestore();
    }
  });

  it('init that cannot allocate every buffer gives back those it made and names the sizes; other errors pass through', () => {
    const adam = createOptimizer('adam', {}, { engine });
    const before = engine.stats().blocks;
    const real = engine.alloc.bind(engine);
    let calls = 0;
    const alloc = vi.spyOn(engine, 'alloc').mockImplementation((k, d) => {
      if (++calls === 2) throw new RangeError('out of memory');
      return real(k, d);
    });
    const free = vi.spyOn(engine, 'free');
    try {
      expect(() => adam.init(4)).toThrow(
        'adam.init: cannot allocate 2 state buffer(s) of 4 float64 values (32 bytes each, 64 in all): out of memory; allowed: a size whose buffers fit in memory',
      );
      expect(free).toHaveBeenCalledTimes(1);
      expect(engine.stats().blocks).toBe(before);
      const boom = new TypeError('boom');
      alloc.mockImplementation(() => {
        throw boom;
      });
      expect(() => adam.init(4)).toThrow(boom);
    } finally {
      alloc.mockRestore();
      free.mockRestore();
    }
  });

  it('init of plain buffers that fails half-way names the sizes and touches no engine', () => {
    const real = CTOR.float64;
    let made = 0;
    class Failing extends real {
      constructor(n: number) {
        if (++made === 2) throw new RangeError('out of memory');
        super(n);
      }
    }
    (CTOR as { float64: unknown }).float64 = Failing;
    const free = vi.spyOn(engine, 'free');
    try {
      for (const placement of [{}, { engine, stage: true }]) {
        made = 0;
        expect(() => getOptimizer('adam').create({}, {}, placement).init(4)).toThrow(
          'adam.init: cannot allocate 2 state buffer(s) of 4 float64 values (32 bytes each, 64 in all): out of memory',
        );
      }
      expect(free).not.toHaveBeenCalled();
    } finally {
      (CTOR as { float64: unknown }).float64 = real;
      free.mockRestore();
    }
  });
});
