/**
 * Outside checks (issue 8): published expected values of TF.js's and Keras's optimizer tests,
 * reproduced through the matching profile, and acceptance 1: the `pytorch` profile against
 * PyTorch's documented update rules (torch.optim docs' pseudocode, written out independently below
 * in float64), over 30-step trajectories with tiny, huge, zero and all-zero gradients.
 *
 * Tolerances: TF.js's expectArraysClose passes when |actual − expected| ≤ 1e-3 on float32 backends
 * (tfjs-core test_util testEpsilon) or the explicit tolerance the test passes; Keras's
 * assertAllClose(rtol, atol) passes when |actual − expected| ≤ atol + rtol·|expected|. Both
 * frameworks compute in float32, so these run in float32 too. Where a published value is itself
 * off, the exact value is recorded beside it (`exact`, computed in float64 here from the
 * framework's formula, and checked to float64 accuracy).
 */
import { describe, expect, it } from 'vitest';
import { createOptimizer } from '../src/index.js';
import type { CreateOptions } from '../src/optimizers/registry.js';
import type { Hyper } from '../src/optimizers/types.js';

/** Runs `steps` steps of f(x) = Σx² (∇ = 2x) from x0; returns x after each step. */
function quadratic(
  name: string,
  hyper: Partial<Hyper>,
  opts: CreateOptions,
  x0: number[],
  steps: number,
  dtype: 'float32' | 'float64' = 'float32',
): number[][] {
  const C = dtype === 'float32' ? Float32Array : Float64Array;
  const opt = createOptimizer(name, hyper, opts);
  const x = C.from(x0);
  const s = opt.init(x.length, dtype);
  const out: number[][] = [];
  for (let t = 0; t < steps; t++) {
    const g = new C(x.length);
    for (let i = 0; i < x.length; i++) g[i] = 2 * x[i]!;
    opt.step(x, g, s);
    out.push([...x]);
  }
  return out;
}

function close(got: number[], want: number[], atol: number, rtol = 0): void {
  expect(got.length).toBe(want.length);
  got.forEach((v, i) => {
    const tol = atol + rtol * Math.abs(want[i]!);
    if (!(Math.abs(v - want[i]!) <= tol))
      throw new Error(`[${i}]: got ${v}, want ${want[i]} ± ${tol} (all: ${got.join(', ')})`);
  });
}

const TFJS = 'tensorflow/tfjs tfjs-core/src/optimizers/';
describe('TF.js published values (tfjs profile, float32)', () => {
  it(`sgd: ${TFJS}sgd_optimizer_test.ts ('basic', 'Set and get weights')`, () => {
    const xs = quadratic('sgd', { lr: 0.1 }, { profile: 'tfjs' }, [4], 3);
    close(xs[0]!, [-2 * 4 * 0.1 + 4], 1e-3);
    close(xs[1]!, [2.56], 1e-3);
    close(xs[2]!, [2.048], 1e-3);
  });
  it(`momentum: ${TFJS}momentum_optimizer_test.ts ('basic', 'basic - with Nesterov', save/load nesterov)`, () => {
    const xs = quadratic('momentum', { lr: 0.1, momentum: 0.5 }, { profile: 'tfjs' }, [1, 2], 2);
    close(xs[0]!, [0.8, 1.6], 1e-3);
    close(xs[1]!, [0.54, 1.08], 1e-3);
    const ns = quadratic('nesterov', { lr: 0.1, momentum: 0.5 }, { profile: 'tfjs' }, [1, 2], 2);
    close(ns[0]!, [0.7, 1.4], 1e-3);
    close(ns[1]!, [0.44, 0.88], 1e-3);
  });
  it(`adagrad: ${TFJS}adagrad_optimizer_test.ts ('basic')`, () => {
    const xs = quadratic('adagrad', { lr: 0.1 }, { profile: 'tfjs' }, [1, 2], 2);
    close(xs[0]!, [0.9012270405, 1.9003110428], 1e-3);
    // Published with tolerance 1e-2 and "TODO: Fix numerical precision". The published second
    // coordinate is off: the test's comment takes de/dx = 3.9501555214 where 2·1.9003110 = 3.8006220.
    // Exact values (float64, TF.js's formula written out below): [0.8347372777990358, 1.8315430176398597].
    close(xs[1]!, [0.8347372764, 1.83015597828], 1e-2);
    let x = [1, 2];
    const G = [0.1, 0.1];
    for (let s = 0; s < 2; s++)
      x = x.map((v, i) => {
        const g = 2 * v;
        G[i]! += g * g;
        return v - (0.1 * g) / Math.sqrt(G[i]! + 1e-7);
      });
    close(x, [0.8347372777990358, 1.8315430176398597], 1e-15);
    const exact = quadratic('adagrad', { lr: 0.1 }, { profile: 'tfjs' }, [1, 2], 2, 'float64');
    close(exact[1]!, x, 4 * 2 ** -53 * 2);
    close(xs[1]!, x, 1e-6); // float32 run: a few float32 ulps of the exact value
  });
  it(`adadelta: ${TFJS}adadelta_optimizer_test.ts ('basic'; divides by E[g²]_{t−1})`, () => {
    const xs = quadratic('adadelta', { lr: 0.1, rho: 0.95 }, { profile: 'tfjs' }, [1, 2], 2);
    close(xs[0]!, [0.8, 1.6], 1e-3);
    close(xs[1]!, [0.64, 1.28], 1e-3);
  });
  it(`rmsprop: ${TFJS}rmsprop_optimizer_test.ts ('basic', save/load centered = false)`, () => {
    const xs = quadratic(
      'rmsprop',
      { lr: 0.1, rho: 0.95 },
      { profile: 'tfjs', conventions: { momentum: 0.1 } },
      [1, 2],
      2,
    );
    close(xs[0]!, [0.55279, 1.55279], 1e-3);
    close(xs[0]!, [0.5527865, 1.5527864], 1e-3);
    // 'basic' publishes [0.28745, 1.222943] with tolerance 1e-2; its own comment says 1.22943 and
    // the save/load test says [0.2874418, 1.2294267]: 1.222943 is a transposed digit.
    close(xs[1]!, [0.28745, 1.222943], 1e-2);
    close(xs[1]!, [0.2874418, 1.2294267], 1e-3);
    const exact = quadratic(
      'rmsprop',
      { lr: 0.1, rho: 0.95 },
      { profile: 'tfjs', conventions: { momentum: 0.1 } },
      [1, 2],
      2,
      'float64',
    );
    close(exact[1]!, [0.2874418, 1.2294267], 1e-7);
  });
  it(`rmsprop centered: ${TFJS}rmsprop_optimizer_test.ts ('gradient with centered momentum', save/load centered = true)`, () => {
    const xs = quadratic(
      'rmsprop',
      { lr: 0.1, rho: 0.95 },
      { profile: 'tfjs', conventions: { momentum: 0.1, centered: true } },
      [1, 2],
      2,
    );
    close(xs[0]!, [0.54117, 1.541169], 1e-3);
    close(xs[0]!, [0.5411684, 1.5411685], 1e-3);
    close(xs[1]!, [0.267785, 1.2035924], 1e-2);
    close(xs[1]!, [0.2677834, 1.2035918], 1e-3);
  });
  it(`adam: ${TFJS}adam_optimizer_test.ts ('basic')`, () => {
    const xs = quadratic('adam', { lr: 0.1, beta1: 0.8, beta2: 0.9 }, { profile: 'tfjs' }, [2, 4], 2);
    close(xs[0]!, [1.9, 3.9], 1e-3);
    close(xs[1]!, [1.8000001, 3.8002], 1e-3);
  });
  it(`adamax: ${TFJS}adamax_optimizer_test.ts ('basic', decay 0.1)`, () => {
    const xs = quadratic(
      'adamax',
      { lr: 0.1, beta1: 0.8, beta2: 0.9 },
      { profile: 'tfjs', conventions: { lrDecay: 0.1 } },
      [2, 4],
      2,
    );
    close(xs[0]!, [1.9, 3.9], 1e-3);
    close(xs[1]!, [1.80697, 3.8086], 1e-3);
  });
  it('has no nadam or amsgrad, and says so', () => {
    expect(() => createOptimizer('nadam', {}, { profile: 'tfjs' })).toThrow(/profile 'tfjs' has no nadam/);
    expect(() => createOptimizer('amsgrad', {}, { profile: 'tfjs' })).toThrow(/no AMSGrad/);
    expect(() => createOptimizer('sgd', {}, { profile: 'tfjs' })).toThrow(/lr is required/);
  });
});

const KERAS = 'keras-team/keras keras/src/optimizers/';
/** Keras golden test: x = ones(10); one step with g = 0.01, then g = arange(0.1, 1.1, 0.1) (float32). */
function golden(name: string, hyper: Partial<Hyper>, opts: CreateOptions, rows: number[][]): void {
  const opt = createOptimizer(name, hyper, opts);
  const x = new Float32Array(10).fill(1);
  const s = opt.init(10, 'float32');
  opt.step(x, new Float32Array(10).fill(0.01), s);
  const grads = Float32Array.from({ length: 10 }, (_, i) => 0.1 + 0.1 * i);
  for (const row of rows) {
    close([...x], row.length === 1 ? Array(10).fill(row[0]) : row, 5e-4, 5e-4);
    opt.step(x, grads, s);
  }
}
/** Keras test_single_step: vars [1, 2, 3, 4], grads [1, 6, 7, 2], rtol = atol = 1e-4. */
function single(name: string, hyper: Partial<Hyper>, opts: CreateOptions, want: number[]): void {
  const opt = createOptimizer(name, hyper, opts);
  const x = Float32Array.from([1, 2, 3, 4]);
  opt.step(x, Float32Array.from([1, 6, 7, 2]), opt.init(4, 'float32'));
  close([...x], want, 1e-4, 1e-4);
}

describe('Keras golden and single-step values (keras profile, float32)', () => {
  const k = { profile: 'keras' } as const;
  it(`SGD(nesterov=True), momentum 0: ${KERAS}sgd_test.py`, () => {
    golden('nesterov', { momentum: 0 }, k, [
      [0.9999],
      [0.9989, 0.9979, 0.9969, 0.9959, 0.9949, 0.9939, 0.9929, 0.9919, 0.9909, 0.9899],
      [0.9979, 0.9959, 0.9939, 0.9919, 0.9899, 0.9879, 0.9859, 0.9839, 0.9819, 0.9799],
      [0.9969, 0.9939, 0.9909, 0.9879, 0.9849, 0.9819, 0.9789, 0.9759, 0.9729, 0.9699],
      [0.9959, 0.9919, 0.9879, 0.9839, 0.9799, 0.9759, 0.9719, 0.9679, 0.9639, 0.9599],
    ]);
    single('sgd', { lr: 0.5 }, k, [0.5, -1.0, -0.5, 3.0]);
  });
  it(`Adam(amsgrad=True): ${KERAS}adam_test.py`, () => {
    golden('amsgrad', {}, k, [[0.999], [0.9982], [0.9974], [0.9965], [0.9955]]);
    single('adam', { lr: 0.5 }, k, [0.5, 1.5, 2.5, 3.5]);
  });
  it(`AdamW: ${KERAS}adamw_test.py`, () => {
    const w = { profile: 'keras', api: 'AdamW' } as const;
    golden('adam', { lr: 1, decoupledWeightDecay: 0.5, eps: 2 }, w, [
      [0.4998],
      [0.2486, 0.2475, 0.2463, 0.2451, 0.244, 0.2428, 0.2417, 0.2405, 0.2394, 0.2382],
      [0.1223, 0.1198, 0.1174, 0.1149, 0.1124, 0.11, 0.1075, 0.1051, 0.1027, 0.1003],
      [0.0586, 0.0549, 0.0512, 0.0475, 0.0439, 0.0402, 0.0366, 0.033, 0.0294, 0.0258],
      [0.0263, 0.0215, 0.0167, 0.012, 0.0073, 0.0026, -0.0021, -0.0067, -0.0113, -0.0159],
    ]);
    single('adam', { lr: 0.5 }, w, [0.498, 1.496, 2.494, 3.492]);
  });
  it(`Nadam: ${KERAS}nadam_test.py`, () => {
    golden('nadam', { lr: 0.5, beta1: 0.5, beta2: 0.67, eps: 1e-5 }, k, [
      [0.4281],
      [-0.1738, -0.1731, -0.1726, -0.1723, -0.1721, -0.172, -0.1719, -0.1718, -0.1718, -0.1717],
      [-0.7115, -0.7103, -0.7096, -0.7092, -0.709, -0.7088, -0.7086, -0.7085, -0.7085, -0.7084],
      [-1.2335, -1.2322, -1.2313, -1.2309, -1.2306, -1.2304, -1.2302, -1.2301, -1.23, -1.2299],
      [-1.7492, -1.7478, -1.7469, -1.7464, -1.7461, -1.7459, -1.7457, -1.7456, -1.7455, -1.7454],
    ]);
    single('nadam', { lr: 0.5 }, k, [0.4686, 1.4686, 2.4686, 3.4686]);
  });
  it(`Adagrad: ${KERAS}adagrad_test.py`, () => {
    golden('adagrad', { lr: 0.2, eps: 1e-6 }, { profile: 'keras', conventions: { initialAccumulator: 0.3 } }, [
      [0.9963],
      [0.9604, 0.9278, 0.9003, 0.8784, 0.8615, 0.8487, 0.8388, 0.8313, 0.8255, 0.8209],
      [0.9251, 0.8629, 0.8137, 0.7768, 0.7497, 0.7298, 0.7151, 0.704, 0.6956, 0.6891],
      [0.8903, 0.8012, 0.7342, 0.6862, 0.6521, 0.6277, 0.6099, 0.5967, 0.5867, 0.579],
      [0.856, 0.7422, 0.6604, 0.6037, 0.5644, 0.5367, 0.5168, 0.5021, 0.491, 0.4825],
    ]);
    single('adagrad', { lr: 0.5 }, k, [0.5233, 1.5007, 2.5005, 3.5061]);
  });
  it(`Adadelta: ${KERAS}adadelta_test.py`, () => {
    golden('adadelta', { lr: 1, rho: 0.8, eps: 1e-6 }, k, [[0.9978], [0.9947], [0.9915], [0.9882], [0.9849]]);
    single('adadelta', { lr: 0.5 }, k, [0.9993, 1.9993, 2.9993, 3.9993]);
  });
  it(`RMSprop(centered=True): ${KERAS}rmsprop_test.py`, () => {
    golden('rmsprop', {}, { profile: 'keras', conventions: { centered: true } }, [
      [0.9967],
      [0.9933],
      [0.9908],
      [0.9885],
      [0.9864],
    ]);
    single('rmsprop', { lr: 0.5 }, k, [-0.5811, 0.4189, 1.4189, 2.4189]);
  });
  it(`Adamax: ${KERAS}adamax_test.py`, () => {
    golden('adamax', { lr: 0.2, beta1: 0.85, beta2: 0.95, eps: 1e-6 }, k, [
      [0.8],
      [0.6827, 0.6873, 0.6888, 0.6896, 0.6901, 0.6904, 0.6906, 0.6908, 0.6909, 0.691],
      [0.5333, 0.5407, 0.5431, 0.5444, 0.5451, 0.5456, 0.546, 0.5462, 0.5464, 0.5466],
      [0.368, 0.3773, 0.3804, 0.382, 0.3829, 0.3835, 0.384, 0.3843, 0.3846, 0.3848],
      [0.1933, 0.204, 0.2076, 0.2094, 0.2105, 0.2112, 0.2117, 0.2121, 0.2124, 0.2126],
    ]);
    single('adamax', { lr: 0.5 }, k, [0.5, 1.5, 2.5, 3.5]);
  });
  it(`weight_decay is decoupled in every Keras optimizer: test_weight_decay (${KERAS}{sgd,adam,adamw,adagrad,adadelta,adamax,rmsprop,nadam}_test.py)`, () => {
    for (const name of ['sgd', 'adam', 'adagrad', 'adadelta', 'adamax', 'rmsprop', 'nadam']) {
      const x = Float32Array.from([2]);
      for (let i = 0; i < 3; i++) {
        const opt = createOptimizer(name, { lr: 1, decoupledWeightDecay: 0.004 }, k);
        opt.step(x, new Float32Array(1), opt.init(1, 'float32'));
      }
      expect(Math.abs(x[0]! - 1.9760959)).toBeLessThan(1.5e-6); // assertAlmostEqual(decimal=6)
    }
  });
});

/**
 * Acceptance 1: PyTorch's documented updates (the pseudocode of the torch.optim docs pages for
 * SGD, Adagrad, Adadelta, RMSprop, Adam, AdamW, Adamax, NAdam; pytorch/pytorch torch/optim/*.py
 * docstrings), written out here in float64 independently of src/, against the `pytorch` profile.
 * Gradients mix magnitudes: tiny (1e-100), huge (1e100), exact zeros and one all-zero step.
 * Bound: at every step |core − doc| ≤ K·u·S, u = 2^-53, S = |θ_t| + Σ_{s≤t} |Δθ_s| (the scale
 * rounding errors of the parameters and of every step taken so far live on); K = 64 allows a few
 * roundings per step in each of the ≤ 30 steps that feed the state (the two sides order their
 * operations differently: addcdiv vs this code vs the fused kernel).
 */
type Doc = (theta: number, g: number, st: Record<string, number>, t: number) => number;

const pseudo: Record<
  string,
  { name: string; hyper: Partial<Hyper>; api?: string; conventions?: Partial<Hyper>; doc: Doc }
> = {
  'SGD(momentum=0.9, dampening=0.1, weight_decay=0.01)': {
    name: 'momentum',
    hyper: { lr: 0.05, momentum: 0.9, weightDecay: 0.01 },
    conventions: { dampening: 0.1 },
    doc: (th, g0, st, t) => {
      const g = g0 + 0.01 * th;
      st.b = t === 1 ? g : 0.9 * st.b! + (1 - 0.1) * g;
      return th - 0.05 * st.b;
    },
  },
  'SGD(momentum=0.9, nesterov=True)': {
    name: 'nesterov',
    hyper: { lr: 0.05, momentum: 0.9 },
    doc: (th, g, st, t) => {
      st.b = t === 1 ? g : 0.9 * st.b! + g;
      return th - 0.05 * (g + 0.9 * st.b);
    },
  },
  'Adagrad(lr_decay=0.01, initial_accumulator_value=0.1)': {
    name: 'adagrad',
    hyper: {},
    conventions: { lrDecay: 0.01, initialAccumulator: 0.1 },
    doc: (th, g, st, t) => {
      const clr = 0.01 / (1 + (t - 1) * 0.01);
      st.G = (st.G ?? 0.1) + g * g;
      return th - (clr * g) / (Math.sqrt(st.G) + 1e-10);
    },
  },
  'Adadelta()': {
    name: 'adadelta',
    hyper: {},
    doc: (th, g, st) => {
      st.v = 0.9 * (st.v ?? 0) + 0.1 * g * g;
      const dx = (Math.sqrt((st.u ?? 0) + 1e-6) / Math.sqrt(st.v + 1e-6)) * g;
      st.u = 0.9 * (st.u ?? 0) + 0.1 * dx * dx;
      return th - 1 * dx;
    },
  },
  'RMSprop()': {
    name: 'rmsprop',
    hyper: {},
    doc: (th, g, st) => {
      st.v = 0.99 * (st.v ?? 0) + 0.01 * g * g;
      const den = Math.sqrt(st.v) + 1e-8;
      return den === 0 ? th : th - (0.01 * g) / den; // g = 0 where v = 0 (0/0 is PyTorch's NaN; optimlab's 0)
    },
  },
  'RMSprop(centered=True, momentum=0.5)': {
    name: 'rmsprop',
    hyper: {},
    conventions: { centered: true, momentum: 0.5 },
    doc: (th, g, st) => {
      st.v = 0.99 * (st.v ?? 0) + 0.01 * g * g;
      st.ga = 0.99 * (st.ga ?? 0) + 0.01 * g;
      const vt = st.v - st.ga * st.ga;
      st.b = 0.5 * (st.b ?? 0) + g / (Math.sqrt(vt) + 1e-8);
      return th - 0.01 * st.b;
    },
  },
  'Adam()': { name: 'adam', hyper: {}, doc: adamDoc(0, false) },
  'AdamW()': { name: 'adam', hyper: {}, api: 'AdamW', doc: adamDoc(0.01, false) },
  'Adam(amsgrad=True)': { name: 'amsgrad', hyper: {}, doc: adamDoc(0, true) },
  'Adamax()': {
    name: 'adamax',
    hyper: {},
    doc: (th, g, st, t) => {
      st.m = 0.9 * (st.m ?? 0) + 0.1 * g;
      st.u = Math.max(0.999 * (st.u ?? 0), Math.abs(g) + 1e-8);
      return th - (0.002 * st.m) / ((1 - 0.9 ** t) * st.u);
    },
  },
  'NAdam()': {
    name: 'nadam',
    hyper: {},
    doc: (th, g, st, t) => {
      const mu = (i: number) => 0.9 * (1 - 0.5 * 0.96 ** (i * 0.004));
      st.P = (st.P ?? 1) * mu(t);
      const Pn = st.P * mu(t + 1);
      st.m = 0.9 * (st.m ?? 0) + 0.1 * g;
      st.v = 0.999 * (st.v ?? 0) + 0.001 * g * g;
      const mhat = (mu(t + 1) * st.m) / (1 - Pn) + ((1 - mu(t)) * g) / (1 - st.P);
      const vhat = st.v / (1 - 0.999 ** t);
      return th - (0.002 * mhat) / (Math.sqrt(vhat) + 1e-8);
    },
  },
};

function adamDoc(lambda: number, amsgrad: boolean): Doc {
  return (th0, g, st, t) => {
    const th = th0 - 0.001 * lambda * th0;
    st.m = 0.9 * (st.m ?? 0) + 0.1 * g;
    st.v = 0.999 * (st.v ?? 0) + 0.001 * g * g;
    st.vmax = Math.max(st.vmax ?? 0, st.v);
    const mhat = st.m / (1 - 0.9 ** t);
    const vhat = (amsgrad ? st.vmax : st.v) / (1 - 0.999 ** t);
    return th - (0.001 * mhat) / (Math.sqrt(vhat) + 1e-8);
  };
}

/** 30 steps × 6 coordinates: magnitudes 1e-100 … 1e100, zeros, and step 12 all zero. */
function mixedGradients(): number[][] {
  const mags = [1e-100, 1e-8, 1, 3e4, 1e100, 0];
  const out: number[][] = [];
  for (let t = 0; t < 30; t++) {
    out.push(
      mags.map((m, i) =>
        t === 11 ? 0 : (t * 7 + i * 3) % 5 === 0 ? 0 : m * (((t + i) % 3) - 1 || 0.5) * (1 + 0.1 * ((t * i) % 7)),
      ),
    );
  }
  return out;
}

describe("acceptance 1: the pytorch profile follows PyTorch's documented updates (float64, 30 steps)", () => {
  const u = 2 ** -53;
  for (const [label, c] of Object.entries(pseudo)) {
    it(`torch.optim.${label}`, () => {
      const grads = mixedGradients();
      const opt = createOptimizer(c.name, c.hyper, {
        profile: 'pytorch',
        ...(c.api ? { api: c.api } : {}),
        ...(c.conventions ? { conventions: c.conventions } : {}),
      });
      const theta0 = [0.5, -2, 1e-3, 7, -1e5, 3];
      const x = Float64Array.from(theta0);
      const s = opt.init(x.length, 'float64');
      const docTheta = [...theta0];
      const docState = theta0.map(() => ({}) as Record<string, number>);
      const moved = theta0.map(() => 0);
      let worst = 0;
      for (let t = 1; t <= grads.length; t++) {
        const g = grads[t - 1]!;
        opt.step(x, Float64Array.from(g), s);
        for (let i = 0; i < x.length; i++) {
          const next = c.doc(docTheta[i]!, g[i]!, docState[i]!, t);
          moved[i]! += Math.abs(next - docTheta[i]!);
          docTheta[i] = next;
          const S = Math.abs(next) + moved[i]!;
          const k = S === 0 ? (x[i] === next ? 0 : Infinity) : Math.abs(x[i]! - next) / (u * S);
          if (!(k <= 64))
            throw new Error(`step ${t} [${i}]: core ${x[i]}, documented ${next}: ${k.toFixed(1)}·u·S > 64·u·S`);
          worst = Math.max(worst, k);
        }
      }
      expect(worst).toBeLessThanOrEqual(64);
    });
  }
});
