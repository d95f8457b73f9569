/**
 * defineStepOptimizer (src/adapters/step.ts): a plain step function over typed arrays becomes a
 * registry entry that the laws, serializeState/restoreState and the CLI take like a built-in.
 *
 * The two step functions below are written the way code outside optimlab is: plain loops over the
 * arrays, the hyperparameters in a closure, no defineOptimizer. Their traits are stated here from
 * their formulas (they are the textbook heavy-ball momentum and Adam).
 */
import { describe, expect, it } from 'vitest';
import {
  defineStepOptimizer,
  restoreState,
  serializeState,
  type Hyper,
  type NumberSpec,
  type Vec,
} from '../src/index.js';
import { cases, runCase, formatFailure } from '../properties/framework.js';
import { allLaws } from '../properties/laws/index.js';
import type { Law } from '../properties/framework.js';

const num = (
  def: number,
  min: number,
  max: number,
  sample: [number, number],
  doc: string,
  open: { minOpen?: boolean; maxOpen?: boolean } = {},
): NumberSpec => ({ kind: 'number', default: def, min, max, sample, doc, ...open });

/** Heavy-ball momentum, written plainly: v ← γv + ηg, θ ← θ − v. */
type MomentumHyper = { lr: number; momentum: number };
export const plainMomentum = defineStepOptimizer<MomentumHyper>({
  name: 'plain-momentum',
  title: 'heavy-ball momentum (a plain step function)',
  source: 'Ruder 2016, §4.1',
  rule: ['v_t = γ v_{t−1} + η g_t', 'θ_t = θ_{t−1} − v_t'],
  hyper: {
    lr: { ...num(0.01, 0, Infinity, [1e-4, 1], 'learning rate η', { minOpen: true, maxOpen: true }), log: true },
    momentum: num(0.9, 0, 1, [0, 0.999], 'momentum γ', { maxOpen: true }),
  },
  buffers: ['v'],
  traits: {
    elementwise: true,
    gradScaleInvariantWhenEpsZero: false,
    monotoneBuffers: [],
    biasCorrected: false,
    gradientDescentWhen: { momentum: 0 },
    velocity: { buffer: 'v', form: 'heavyBall' },
    // |v_t| ≤ η gmax/(1 − γ): Σ_t |Δθ_t| ≤ T η gmax/(1 − γ).
    displacementBound: (h, T, gmax) => (T * (h.lr as number) * gmax) / (1 - (h.momentum as number)),
  },
  // v_t is kept in a local: read back from a float32 buffer it would be rounded before θ − v, and
  // with γ = 0 the step would no longer be sgd's bit for bit (law D3 finds that: the trait
  // gradientDescentWhen is a claim about the implementation, not only the formula).
  create: (h) => (p, g, s) => {
    const v = s.buffers.v!;
    for (let i = 0; i < p.length; i++) {
      const vi = h.momentum * v[i]! + h.lr * g[i]!;
      v[i] = vi;
      p[i] = p[i]! - vi;
    }
  },
});

describe('defineStepOptimizer: what the wrapper guarantees', () => {
  it('validates hyperparameters against the specs, naming the parameter, value and range; set changes nothing on error', () => {
    expect(() => plainMomentum.create({ lr: -1 })).toThrow(
      /plain-momentum: hyperparameter lr = -1 is out of range; allowed: 0 < lr/,
    );
    expect(() => plainMomentum.create({ momentum: 1 })).toThrow(
      /momentum = 1 is out of range; allowed: 0 ≤ momentum < 1/,
    );
    expect(() => plainMomentum.create({ beta1: 0.9 } as Partial<Hyper>)).toThrow(
      /unknown hyperparameter 'beta1'.*accepts lr, momentum/,
    );
    const opt = plainMomentum.create({ lr: 0.5 });
    expect(() => opt.set({ lr: 0.25, momentum: 2 })).toThrow(RangeError);
    expect(opt.hyper).toEqual({ lr: 0.5, momentum: 0.9 });
    opt.set({ lr: 0.25 });
    expect(opt.hyper.lr).toBe(0.25);
  });

  it('set rebuilds the step function: the next step uses the new rate', () => {
    const opt = plainMomentum.create({ lr: 0.5, momentum: 0 });
    const p = new Float64Array([1]);
    const s = opt.init(1);
    opt.step(p, new Float64Array([1]), s);
    expect(p[0]).toBe(0.5);
    opt.set({ lr: 0.25 });
    opt.step(p, new Float64Array([1]), s);
    expect(p[0]).toBe(0.25);
    expect(s.t).toBe(2);
  });

  it('a rejected step names the parameter and changes no byte (checks run before the step function)', () => {
    let calls = 0;
    const spy = defineStepOptimizer({
      ...plainMomentumDef(),
      name: 'spy',
      create: () => () => {
        calls++;
      },
    });
    const opt = spy.create();
    const s = opt.init(3, 'float64');
    s.buffers.v!.set([1, 2, 3]);
    const p = new Float64Array([4, 5, 6]);
    expect(() => opt.step(p, new Float64Array(2), s)).toThrow(/spy\.step: grad\.length = 2; the state has size 3/);
    expect(() => opt.step(p, new Float32Array(3), s)).toThrow(/grad is a Float32Array/);
    expect(() => opt.step(p, p.subarray(0), s)).toThrow(/grad shares memory with params/);
    expect(() => opt.step(p, new Float64Array(3), { ...s, t: -1 })).toThrow(/state\.t = -1/);
    expect(() => opt.step(p, new Float64Array(3), { ...s, optimizer: 'adam' })).toThrow(
      /state belongs to optimizer 'adam'/,
    );
    expect(calls).toBe(0);
    expect([...p]).toEqual([4, 5, 6]);
    expect([...s.buffers.v!]).toEqual([1, 2, 3]);
    expect(s.t).toBe(0);
  });

  it('advances state.t itself, and refuses a step function that changes t or replaces a buffer', () => {
    const bumps = defineStepOptimizer({
      ...plainMomentumDef(),
      name: 'bumps',
      create: () => (_p, _g, s) => {
        s.t++;
      },
    });
    const o1 = bumps.create();
    expect(() => o1.step(new Float64Array(1), new Float64Array(1), o1.init(1))).toThrow(
      /changed state\.t from 0 to 1; optimlab advances it/,
    );
    const swaps = defineStepOptimizer({
      ...plainMomentumDef(),
      name: 'swaps',
      create: () => (p, _g, s) => {
        s.buffers.v = new Float64Array(p.length);
      },
    });
    const o2 = swaps.create();
    expect(() => o2.step(new Float64Array(1), new Float64Array(1), o2.init(1))).toThrow(
      /replaced state buffer 'v' with another array; write into it in place/,
    );
  });

  it('an error thrown by the step function names the optimizer and the step, keeps its class, and leaves t', () => {
    const throws = defineStepOptimizer({
      ...plainMomentumDef(),
      name: 'throws',
      create: () => () => {
        throw new RangeError('my own check');
      },
    });
    const opt = throws.create();
    const s = opt.init(2);
    let err: unknown;
    try {
      opt.step(new Float64Array(2), new Float64Array(2), s);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RangeError);
    expect((err as Error).message).toBe(
      'throws: the step function threw at step 1 (state.t not advanced; params and buffers may be partly written): my own check',
    );
    expect(s.t).toBe(0);
  });

  it('init: buffers of the right dtype and size, initial values from init(), and only the declared dtypes', () => {
    const f32 = defineStepOptimizer({
      ...plainMomentumDef(),
      name: 'f32-only',
      dtypes: ['float32'],
      init: (b, h) => {
        b.v!.fill(h.lr);
      },
    });
    const opt = f32.create({ lr: 0.5 });
    const s = opt.init(3);
    expect(s.dtype).toBe('float32');
    expect(s.buffers.v).toEqual(new Float32Array([0.5, 0.5, 0.5]));
    expect(() => opt.init(3, 'float64')).toThrow(/f32-only\.init: dtype = 'float64'; f32-only handles 'float32' only/);
    expect(() =>
      opt.step(new Float64Array(1), new Float64Array(1), {
        optimizer: 'f32-only',
        dtype: 'float64',
        size: 1,
        t: 0,
        buffers: { v: new Float64Array(1) },
      }),
    ).toThrow(/handles 'float32' only/);
    // Laws cross only the dtypes the entry declares.
    expect(
      cases(
        allLaws.filter((l) => l.id === 'G3'),
        [f32],
      ).map((c) => c.id),
    ).toEqual(['G3 f32-only float32']);
  });

  it('checkpoint: serializeState / restoreState round-trip the state exactly and check the optimizer', () => {
    const opt = plainMomentum.create({ lr: 0.1 });
    const p = new Float64Array([1, -2]);
    const s = opt.init(2);
    opt.step(p, new Float64Array([0.3, 0.7]), s);
    const back = restoreState(JSON.stringify(serializeState(s, opt)), plainMomentum.create());
    expect(back).toEqual(s);
    expect(() =>
      restoreState(
        JSON.stringify(serializeState(s, opt)),
        defineStepOptimizer({ ...plainMomentumDef(), name: 'other' }).create(),
      ),
    ).toThrow(/belongs to 'plain-momentum', not 'other'/);
  });

  it('rejects a malformed definition with a message naming what is wrong', () => {
    expect(() => defineStepOptimizer({ ...plainMomentumDef(), name: 'has space' })).toThrow(
      /name must be a string of letters/,
    );
    expect(() => defineStepOptimizer({ ...plainMomentumDef(), buffers: ['v', 'v'] })).toThrow(
      /buffers lists a name twice/,
    );
    expect(() => defineStepOptimizer({ ...plainMomentumDef(), dtypes: [] })).toThrow(/dtypes = \[\]; allowed/);
    expect(() => defineStepOptimizer({ ...plainMomentumDef(), create: undefined as never })).toThrow(
      /create must be a function/,
    );
    expect(() => plainMomentum.create({}, { epsMode: 'hat' })).toThrow(/has none/);
  });
});

/** The definition of plainMomentum, to derive variants from. */
function plainMomentumDef(): Parameters<typeof defineStepOptimizer<MomentumHyper>>[0] {
  return {
    name: 'plain-momentum',
    hyper: plainMomentum.hyper as never,
    buffers: ['v'],
    traits: plainMomentum.traits,
    create: (h) => (p, g, s) => {
      const v = s.buffers.v!;
      for (let i = 0; i < p.length; i++) {
        const vi = h.momentum * v[i]! + h.lr * g[i]!;
        v[i] = vi;
        p[i] = p[i]! - vi;
      }
    },
  };
}

/** Adam, written plainly (Kingma & Ba, Algorithm 1), with 1 − β^t from the step counter. */
type AdamHyper = { lr: number; beta1: number; beta2: number; eps: number };
export const plainAdam = defineStepOptimizer<AdamHyper>({
  name: 'plain-adam',
  source: 'Kingma & Ba 2015, Algorithm 1',
  hyper: {
    lr: { ...num(0.001, 0, Infinity, [1e-4, 1], 'η', { minOpen: true, maxOpen: true }), log: true },
    beta1: { ...num(0.9, 0, 1, [0, 0.999], 'β1', { maxOpen: true }), specials: [0] },
    beta2: { ...num(0.999, 0, 1, [0.01, 0.999], 'β2', { minOpen: true, maxOpen: true }) },
    eps: { ...num(1e-8, 0, Infinity, [1e-12, 1e-2], 'ε', { maxOpen: true }), log: true, specials: [0] },
  },
  buffers: ['m', 'v'],
  traits: {
    elementwise: true,
    gradScaleInvariantWhenEpsZero: true,
    monotoneBuffers: [],
    biasCorrected: true,
    firstStepSignMagnitude: (h) => h.lr as number,
    moments: { first: 'm', second: 'v', secondKind: 'square' },
    constantGradientStepFactor: () => 1,
    displacementBound: (h, T, _gmax, r) => T * (h.lr as number) * r,
  },
  create: (h) => (p: Vec, g: Vec, s) => {
    const t = s.t + 1;
    const c1 = -Math.expm1(t * Math.log1p(h.beta1 - 1)); // 1 − β1^t without cancellation
    const c2 = -Math.expm1(t * Math.log1p(h.beta2 - 1));
    const m = s.buffers.m!;
    const v = s.buffers.v!;
    for (let i = 0; i < p.length; i++) {
      m[i] = h.beta1 * m[i]! + (1 - h.beta1) * g[i]!;
      v[i] = h.beta2 * v[i]! + (1 - h.beta2) * g[i]! * g[i]!;
      const den = Math.sqrt(v[i]! / c2) + h.eps;
      p[i] = p[i]! - (den === 0 ? 0 : (h.lr * (m[i]! / c1)) / den);
    }
  },
});

const optimizerLaws = allLaws.filter((l) => !('subject' in l)) as Law[];

describe('the laws run on wrapped step functions (10 runs per case)', () => {
  for (const entry of [plainMomentum, plainAdam]) {
    for (const c of cases(optimizerLaws, [entry])) {
      it(c.id, () => {
        const r = runCase(c, { runs: 10 });
        if (r.status === 'fail') throw new Error(formatFailure(r));
        // Without a decimal reference, the laws that compare with one say so; every other law runs.
        if (r.status === 'not run')
          expect([(c.law as Law).needsReference, r.reason]).toEqual([true, 'no reference supplied']);
      });
    }
  }
});

describe('a trait the step function does not honour is caught', () => {
  it('reading v back from a float32 buffer before θ − v rounds v once more than the core does: law D3 finds it in float32', () => {
    const rounded = defineStepOptimizer<MomentumHyper>({
      ...plainMomentumDef(),
      name: 'rounded-momentum',
      create: (h) => (p, g, s) => {
        const v = s.buffers.v!;
        for (let i = 0; i < p.length; i++) {
          v[i] = h.momentum * v[i]! + h.lr * g[i]!;
          p[i] = p[i]! - v[i]!;
        }
      },
    });
    const [f64, f32] = cases(
      allLaws.filter((l) => l.id === 'D3'),
      [rounded],
    );
    expect(runCase(f64!, { runs: 50 }).status).toBe('pass');
    const r = runCase(f32!, { runs: 50 });
    expect(r.status).toBe('fail');
    // The Keras form (bit for bit, evaluated as the core rounds) or γ = 0 against sgd: both differ at one index.
    expect(r.error).toMatch(
      /(Keras θ vs core θ|rounded-momentum with \{"momentum":0\} vs sgd, params): differs at \[\d+\]/,
    );
  });
});
