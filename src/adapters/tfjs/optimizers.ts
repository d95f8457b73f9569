/**
 * The tf.train optimizers as optimlab sees them: for each, the TF.js call, its arguments in
 * optimlab's vocabulary with the values TF.js accepts, TF.js's state variables (named as TF.js names
 * them: the suffix of their `originalName`), the traits of TF.js's formula, and the optimlab
 * optimizer and conventions of the tfjs profile (src/optimizers/conventions.ts) that state the
 * same formula. Pure data plus the constructor call: ./index.ts turns each into a registry entry.
 *
 * Read from @tensorflow/tfjs-core 4.22 (tfjs-core/src/optimizers/*_optimizer.ts). What TF.js does
 * that matters below:
 * - every number is a float32 tensor: hyperparameters are rounded to float32 when used, and every
 *   operation of the `cpu` backend is computed in double and stored as float32 (correctly rounded);
 * - `epsilon` is taken as given when it is not null (0 included); Adagrad has no epsilon argument and
 *   uses the backend's, 1e-7 on `cpu`;
 * - Adam keeps β1^t and β2^t as running float32 products (accBeta1 ← accBeta1·β1 after each step),
 *   AdaMax β1^t the same way and the step count in a float32 variable `iteration`: state that is
 *   not a per-parameter buffer, rebuilt here from the step counter t (./index.ts).
 */
import type { Hyper, HyperSpec, NumberSpec, Traits } from '../../optimizers/types.js';
import { decay, eps, lr, nonneg } from '../../optimizers/hyper.js';
import { adam } from '../../optimizers/adam.js';
import type { Tf } from './load.js';

type TfOptimizer = InstanceType<Tf['Optimizer']>;

/** One of TF.js's per-variable state slots: the field of the optimizer object and its name suffix. */
export interface TfjsSlot {
  /** optimlab's buffer name: TF.js's originalName suffix ('m' for `${variable}/m`). */
  buffer: string;
  /** The optimizer object's array of { originalName, variable } it lives in (index 0: our one variable). */
  field: string;
}

/** A scalar variable of the optimizer object that follows from t: TF.js's running products of β. */
export interface TfjsScalar {
  field: string;
  /** Its value after t steps, as TF.js computes it in float32 (exact: see runningPower). */
  value(h: Readonly<Hyper>, t: number, cache: Map<string, { t: number; x: number }>): number;
}

export interface TfjsOptimizerSpec {
  /** Registry name of the entry ('tfjs-adam'). */
  name: string;
  /** The TF.js call with optimlab's names for its arguments. */
  api: string;
  /** The profile api it matches (conventions.ts, profile 'tfjs') and the optimlab optimizer. */
  profileApi: string;
  optimizer: string;
  hyper: Record<string, HyperSpec>;
  cross?: (h: Hyper) => string | undefined;
  slots: readonly TfjsSlot[];
  scalars?: readonly TfjsScalar[];
  /** The value TF.js starts a slot at (default 0): Adagrad's initialAccumulatorValue. */
  initial?: (h: Readonly<Hyper>) => Partial<Record<string, number>>;
  make(tf: Tf, h: Readonly<Hyper>): TfOptimizer;
  /**
   * The optimlab hyperparameters and conventions that state the same formula (tfjs profile), given
   * the backend's ε (Adagrad's fixed one).
   */
  profile(h: Readonly<Hyper>, backendEps: number): { hyper: Hyper; conventions: Hyper };
  traits: Traits;
}

/**
 * β^(t+1) as TF.js holds it after t steps: a_0 = fl32(β), a_k = fl32(a_{k−1}·fl32(β)). Exact: the
 * product of two float32 values is exact in double and the cpu backend rounds it once when it
 * stores it. Cached per hyperparameter set, so a run of steps costs one multiplication each.
 */
export function runningPower(
  beta: number,
  t: number,
  cache: Map<string, { t: number; x: number }>,
  key: string,
): number {
  const b = Math.fround(beta);
  let c = cache.get(key);
  if (!c || c.t > t) c = { t: 0, x: b };
  let x = c.x;
  for (let k = c.t; k < t; k++) x = Math.fround(x * b);
  cache.set(key, { t, x });
  return x;
}

const N = (h: Readonly<Hyper>, k: string): number => h[k] as number;

/** ENGINE.backend.epsilon() of a float32 backend (tfjs-core's EPSILON_FLOAT32): Adagrad's fixed ε. */
export const TFJS_CPU_EPSILON = 1e-7;

/** TF.js's epsilon: the same spec as optimlab's (ε ≥ 0, 0 now and then), with TF.js's default. */
const tfEps = (def: number): NumberSpec => ({
  ...eps(def, { doc: 'ε (TF.js: epsilon; 0 is taken as given)' }),
  float32: true,
});
const tfLr = (def: number, doc = 'learning rate η (TF.js: learningRate)'): NumberSpec => ({
  ...lr(def),
  doc,
  float32: true,
});
const rate = (def: number, doc: string): NumberSpec => ({ ...decay(def, doc), float32: true });

/** Σ_t |Δθ_t| for a heavy-ball sum a_t = μ a_{t−1} + g_t applied as θ −= η(c_g g_t + c_a a_t). */
function heavyBallBound(lr_: number, mu: number, T: number, gmax: number, cg: number, ca: number): number {
  let a = 0;
  let total = 0;
  for (let t = 1; t <= T; t++) {
    a = mu * a + gmax;
    total += lr_ * (cg * gmax + ca * a);
  }
  return total;
}

/** Adam and AdaMax's m̂: |Δθ_t| ≤ lr·r (m̂ a weighted mean of |g| ≤ gmax, the denominator ≥ gmax/r). */
const adamBound = (h: Hyper, T: number, _g: number, r: number): number => T * N(h, 'lr') * r;

const crossAdam = (h: Hyper): string | undefined =>
  h.beta2 === 0 && h.eps === 0
    ? 'beta2 = 0 with eps = 0 divides a nonzero first moment by |g_t| = 0 after a zero gradient; optimlab does not draw it (its own adam rejects it too)'
    : undefined;

const specs: readonly TfjsOptimizerSpec[] = [
  {
    name: 'tfjs-sgd',
    api: 'tf.train.sgd(lr)',
    profileApi: 'tf.train.sgd(learningRate)',
    optimizer: 'sgd',
    hyper: { lr: tfLr(0.01, 'learning rate η (TF.js: learningRate; no default in TF.js, optimlab’s 0.01)') },
    slots: [],
    make: (tf, h) => tf.train.sgd(N(h, 'lr')),
    profile: (h) => ({ hyper: { lr: N(h, 'lr') }, conventions: {} }),
    traits: {
      elementwise: true,
      float32Arithmetic: 'float32',
      gradScaleInvariantWhenEpsZero: false,
      monotoneBuffers: [],
      biasCorrected: false,
      displacementBound: (h, T, gmax) => T * N(h, 'lr') * gmax,
    },
  },
  {
    name: 'tfjs-momentum',
    api: 'tf.train.momentum(lr, momentum)',
    profileApi: 'tf.train.momentum(learningRate, momentum)',
    optimizer: 'momentum',
    hyper: {
      lr: tfLr(0.01, 'learning rate η (TF.js: learningRate; no default in TF.js)'),
      momentum: rate(0.9, 'momentum μ (TF.js: momentum; no default in TF.js)'),
    },
    slots: [{ buffer: 'momentum', field: 'accumulations' }],
    make: (tf, h) => tf.train.momentum(N(h, 'lr'), N(h, 'momentum'), false),
    profile: (h) => ({
      hyper: { lr: N(h, 'lr'), momentum: N(h, 'momentum') },
      conventions: { lrPlacement: 'outside', dampening: 0 },
    }),
    traits: {
      // No `velocity`: TF.js's buffer holds a_t = μ a_{t−1} + g_t, without η (optimlab's lrPlacement
      // 'outside'); traits.velocity describes v_t = γ v_{t−1} + η g_t.
      elementwise: true,
      float32Arithmetic: 'float32',
      gradScaleInvariantWhenEpsZero: false,
      monotoneBuffers: [],
      biasCorrected: false,
      displacementBound: (h, T, gmax) => heavyBallBound(N(h, 'lr'), N(h, 'momentum'), T, gmax, 0, 1),
    },
  },
  {
    name: 'tfjs-nesterov',
    api: 'tf.train.momentum(lr, momentum, true)',
    profileApi: 'tf.train.momentum(learningRate, momentum, true)',
    optimizer: 'nesterov',
    hyper: {
      lr: tfLr(0.01, 'learning rate η (TF.js: learningRate; no default in TF.js)'),
      momentum: rate(0.9, 'momentum μ (TF.js: momentum; no default in TF.js)'),
    },
    slots: [{ buffer: 'momentum', field: 'accumulations' }],
    make: (tf, h) => tf.train.momentum(N(h, 'lr'), N(h, 'momentum'), true),
    profile: (h) => ({
      hyper: { lr: N(h, 'lr'), momentum: N(h, 'momentum') },
      conventions: { lrPlacement: 'outside' },
    }),
    traits: {
      elementwise: true,
      float32Arithmetic: 'float32',
      gradScaleInvariantWhenEpsZero: false,
      monotoneBuffers: [],
      biasCorrected: false,
      // θ_t = θ_{t−1} − η(g_t + μ a_t): |Δθ_t| ≤ η(gmax + μ|a_t|).
      displacementBound: (h, T, gmax) => heavyBallBound(N(h, 'lr'), N(h, 'momentum'), T, gmax, 1, N(h, 'momentum')),
    },
  },
  {
    name: 'tfjs-adagrad',
    api: 'tf.train.adagrad(lr, initialAccumulator)',
    profileApi: 'tf.train.adagrad(learningRate, initialAccumulatorValue)',
    optimizer: 'adagrad',
    hyper: {
      lr: tfLr(0.01, 'learning rate η (TF.js: learningRate; no default in TF.js)'),
      initialAccumulator: {
        ...nonneg(0.1, 'initial accumulator G_0 (TF.js: initialAccumulatorValue)', [1e-3, 1]),
        float32: true,
      },
    },
    slots: [{ buffer: 'accumulator', field: 'accumulatedGrads' }],
    initial: (h) => ({ accumulator: N(h, 'initialAccumulator') }),
    make: (tf, h) => tf.train.adagrad(N(h, 'lr'), N(h, 'initialAccumulator')),
    profile: (h, backendEps) => ({
      hyper: { lr: N(h, 'lr'), eps: backendEps },
      conventions: { epsPlacement: 'inside', initialAccumulator: N(h, 'initialAccumulator'), lrDecay: 0 },
    }),
    traits: {
      // ε is the backend's 1e-7, not an argument: no law that needs ε = 0 applies.
      elementwise: true,
      float32Arithmetic: 'float32',
      gradScaleInvariantWhenEpsZero: false,
      monotoneBuffers: ['accumulator'],
      biasCorrected: false,
      nonincreasingRate: 'grad',
      // accumulator + ε ≥ t·(gmax/r)²: |Δθ_t| ≤ lr·r/√t.
      displacementBound: (h, T, _g, r) => {
        let s = 0;
        for (let t = 1; t <= T; t++) s += (N(h, 'lr') * r) / Math.sqrt(t);
        return s;
      },
    },
  },
  {
    name: 'tfjs-adadelta',
    api: 'tf.train.adadelta(lr, rho, eps)',
    profileApi: 'tf.train.adadelta(learningRate, rho, epsilon)',
    optimizer: 'adadelta',
    hyper: {
      lr: tfLr(0.001),
      rho: rate(0.95, 'decay ρ of both averages (TF.js: rho)'),
      eps: {
        ...eps(1e-7, { minOpen: true, doc: 'ε (TF.js: epsilon); ε = 0 would divide 0 by 0 at the first step' }),
        float32: true,
      },
    },
    slots: [
      { buffer: 'accum_grad', field: 'accumulatedGrads' },
      { buffer: 'accum_var', field: 'accumulatedUpdates' },
    ],
    make: (tf, h) => tf.train.adadelta(N(h, 'lr'), N(h, 'rho'), N(h, 'eps')),
    profile: (h) => ({
      hyper: { lr: N(h, 'lr'), rho: N(h, 'rho'), eps: N(h, 'eps') },
      conventions: { gradAverage: 'previous' },
    }),
    traits: {
      elementwise: true,
      float32Arithmetic: 'float32',
      gradScaleInvariantWhenEpsZero: false,
      monotoneBuffers: [],
      biasCorrected: false,
      // 'previous': the divisor is E[g²]_{t−1} + ε ≥ (1 − ρ^(t−1)) gmin² + ε, so the unscaled step is
      // D_t ≤ √(B_{t−1} + ε)·gmax/√((1 − ρ^(t−1)) gmin² + ε), B_t = ρ B_{t−1} + (1 − ρ) D_t² ≥ E[Δ²]_t.
      displacementBound: (h, T, gmax, r) => {
        const rho = N(h, 'rho');
        const e = N(h, 'eps');
        const gmin = gmax / r;
        let B = 0;
        let total = 0;
        for (let t = 1; t <= T; t++) {
          const D = (Math.sqrt(B + e) * gmax) / Math.sqrt((1 - rho ** (t - 1)) * gmin * gmin + e);
          B = rho * B + (1 - rho) * D * D;
          total += N(h, 'lr') * D;
        }
        return total;
      },
    },
  },
  {
    name: 'tfjs-rmsprop',
    api: 'tf.train.rmsprop(lr, rho, momentum, eps)',
    profileApi: 'tf.train.rmsprop(learningRate, decay, momentum, epsilon, centered)',
    optimizer: 'rmsprop',
    hyper: {
      lr: tfLr(0.001, 'learning rate η (TF.js: learningRate; no default in TF.js)'),
      rho: rate(0.9, 'decay ρ of E[g²] (TF.js: decay)'),
      momentum: { ...rate(0, 'momentum μ of the update (TF.js: momentum)'), sample: [0, 0.99] },
      eps: tfEps(1e-7),
    },
    slots: [
      { buffer: 'rms', field: 'accumulatedMeanSquares' },
      { buffer: 'momentum', field: 'accumulatedMoments' },
    ],
    make: (tf, h) => tf.train.rmsprop(N(h, 'lr'), N(h, 'rho'), N(h, 'momentum'), N(h, 'eps'), false),
    profile: (h) => ({
      hyper: { lr: N(h, 'lr'), rho: N(h, 'rho'), eps: N(h, 'eps') },
      conventions: { epsPlacement: 'inside', centered: false, momentum: N(h, 'momentum'), lrPlacement: 'inside' },
    }),
    traits: {
      elementwise: true,
      float32Arithmetic: 'float32',
      gradScaleInvariantWhenEpsZero: true,
      monotoneBuffers: [],
      biasCorrected: false,
      // E_t ≥ (1 − ρ^t)(gmax/r)²: each increment ≤ η r/√(1 − ρ^t); the momentum sums them with weights μ^k.
      displacementBound: (h, T, _g, r) => {
        const mu = N(h, 'momentum');
        let v = 0;
        let total = 0;
        for (let t = 1; t <= T; t++) {
          v = mu * v + (N(h, 'lr') * r) / Math.sqrt(1 - N(h, 'rho') ** t);
          total += v;
        }
        return total;
      },
    },
  },
  {
    name: 'tfjs-rmsprop-centered',
    api: 'tf.train.rmsprop(lr, rho, momentum, eps, true)',
    profileApi: 'tf.train.rmsprop(learningRate, decay, momentum, epsilon, centered)',
    optimizer: 'rmsprop',
    hyper: {
      lr: tfLr(0.001, 'learning rate η (TF.js: learningRate; no default in TF.js)'),
      // ρ = 0 makes the centred variance E[g²] − ḡ² identically 0.
      rho: {
        ...rate(0.9, 'decay ρ of E[g²] and ḡ (TF.js: decay)'),
        min: 0,
        minOpen: true,
        sample: [0.01, 0.999],
        specials: [],
      },
      momentum: { ...rate(0, 'momentum μ of the update (TF.js: momentum)'), sample: [0, 0.99] },
      eps: {
        ...eps(1e-7, {
          minOpen: true,
          doc: 'ε (TF.js: epsilon); the profile’s centred formula needs ε > 0 (optimlab’s rmsprop rejects centred with ε = 0)',
        }),
        float32: true,
      },
    },
    slots: [
      { buffer: 'rms', field: 'accumulatedMeanSquares' },
      { buffer: 'momentum', field: 'accumulatedMoments' },
      { buffer: 'mg', field: 'accumulatedMeanGrads' },
    ],
    make: (tf, h) => tf.train.rmsprop(N(h, 'lr'), N(h, 'rho'), N(h, 'momentum'), N(h, 'eps'), true),
    profile: (h) => ({
      hyper: { lr: N(h, 'lr'), rho: N(h, 'rho'), eps: N(h, 'eps') },
      conventions: { epsPlacement: 'inside', centered: true, momentum: N(h, 'momentum'), lrPlacement: 'inside' },
    }),
    traits: {
      elementwise: true,
      float32Arithmetic: 'float32',
      gradScaleInvariantWhenEpsZero: false,
      monotoneBuffers: [],
      biasCorrected: false,
      // E_t − ḡ_t² = W(Var + (1 − W) mean²) ≥ W(1 − W)(gmax/r)² with W = 1 − ρ^t: each increment
      // ≤ η r/√(ρ^t (1 − ρ^t)) (the profile's formula, ε added); the momentum sums them.
      displacementBound: (h, T, _g, r) => {
        const mu = N(h, 'momentum');
        let v = 0;
        let total = 0;
        for (let t = 1; t <= T; t++) {
          const w = N(h, 'rho') ** t;
          v = mu * v + (N(h, 'lr') * r) / Math.sqrt(w * (1 - w));
          total += v;
        }
        return total;
      },
    },
  },
  {
    name: 'tfjs-adam',
    api: 'tf.train.adam(lr, beta1, beta2, eps)',
    profileApi: 'tf.train.adam(learningRate, beta1, beta2, epsilon)',
    optimizer: 'adam',
    hyper: {
      lr: tfLr(0.001),
      beta1: rate(0.9, 'first-moment decay β1 (TF.js: beta1)'),
      beta2: rate(0.999, 'second-moment decay β2 (TF.js: beta2)'),
      eps: tfEps(1e-7),
    },
    cross: crossAdam,
    slots: [
      { buffer: 'm', field: 'accumulatedFirstMoment' },
      { buffer: 'v', field: 'accumulatedSecondMoment' },
    ],
    scalars: [
      { field: 'accBeta1', value: (h, t, c) => runningPower(N(h, 'beta1'), t, c, 'beta1') },
      { field: 'accBeta2', value: (h, t, c) => runningPower(N(h, 'beta2'), t, c, 'beta2') },
    ],
    make: (tf, h) => tf.train.adam(N(h, 'lr'), N(h, 'beta1'), N(h, 'beta2'), N(h, 'eps')),
    profile: (h) => ({
      hyper: { lr: N(h, 'lr'), beta1: N(h, 'beta1'), beta2: N(h, 'beta2'), eps: N(h, 'eps') },
      conventions: { epsMode: 'outside' },
    }),
    traits: {
      elementwise: true,
      float32Arithmetic: 'float32',
      gradScaleInvariantWhenEpsZero: true,
      monotoneBuffers: [],
      biasCorrected: true,
      firstStepSignMagnitude: (h) => N(h, 'lr'),
      moments: { first: 'm', second: 'v', secondKind: 'square' },
      constantGradientStepFactor: () => 1,
      // ε = 0: m̂_t = Σ w_i g_i and v̂_t = Σ u_i g_i² with the bias-corrected EMA weights (E4): Adam's formula.
      stepWeights: adam.traits.stepWeights!,
      // β1 = 0, ε = 0: the step is −lr·g_t/√v̂_t, v̂_t the bias-corrected EMA of g² (F2).
      rmsStep: 'ema',
      displacementBound: adamBound,
    },
  },
  {
    name: 'tfjs-adamax',
    api: 'tf.train.adamax(lr, beta1, beta2, eps, lrDecay)',
    profileApi: 'tf.train.adamax(learningRate, beta1, beta2, epsilon, decay)',
    optimizer: 'adamax',
    hyper: {
      lr: tfLr(0.002),
      beta1: rate(0.9, 'first-moment decay β1 (TF.js: beta1)'),
      beta2: rate(0.999, 'infinity-norm decay β2 (TF.js: beta2)'),
      eps: tfEps(1e-7),
      lrDecay: {
        ...nonneg(0, 'learning-rate decay d: η_t = η / (1 + (t − 1)·d) (TF.js: decay)', [1e-4, 1e-1]),
        float32: true,
      },
    },
    cross: crossAdam,
    slots: [
      { buffer: 'm', field: 'accumulatedFirstMoment' },
      { buffer: 'v', field: 'accumulatedWeightedInfNorm' },
    ],
    scalars: [
      // The float32 step count; exact up to 2^24, where fl32(2^24 + 1) = 2^24 holds it still.
      { field: 'iteration', value: (_h, t) => Math.min(t, 2 ** 24) },
      { field: 'accBeta1', value: (h, t, c) => runningPower(N(h, 'beta1'), t, c, 'beta1') },
    ],
    make: (tf, h) => tf.train.adamax(N(h, 'lr'), N(h, 'beta1'), N(h, 'beta2'), N(h, 'eps'), N(h, 'lrDecay')),
    profile: (h) => ({
      hyper: { lr: N(h, 'lr'), beta1: N(h, 'beta1'), beta2: N(h, 'beta2'), eps: N(h, 'eps') },
      conventions: { epsPlacement: 'denominator', lrDecay: N(h, 'lrDecay') },
    }),
    traits: {
      elementwise: true,
      float32Arithmetic: 'float32',
      gradScaleInvariantWhenEpsZero: true,
      monotoneBuffers: [],
      biasCorrected: true,
      firstStepSignMagnitude: (h) => N(h, 'lr'),
      moments: { first: 'm', second: 'v', secondKind: 'maxAbs' },
      constantGradientStepFactor: (h, t) => 1 / (1 + (t - 1) * N(h, 'lrDecay')),
      displacementBound: adamBound,
    },
  },
];

/** The laws that need ε = 0 select by these traits (E3, E4, E5, F2). */
const ZERO_EPS_TRAITS = ['firstStepSignMagnitude', 'stepWeights', 'rmsStep'] as const;

/**
 * An optimizer whose ε may be 0 (RMSprop, Adam, AdaMax) becomes two entries: ε > 0, and ε = 0
 * (name '…-eps0'), each with the traits that hold under its ε. TF.js takes ε = 0 as given and then
 * divides 0 by 0 where no nonzero gradient has reached a coordinate (finding T2); in one entry that
 * NaN would be the first counterexample of most laws and hide whatever else they find.
 */
function splitZeroEps(spec: TfjsOptimizerSpec): TfjsOptimizerSpec[] {
  const e = spec.hyper.eps;
  if (!e || e.kind !== 'number' || e.minOpen) return [spec];
  const positive: TfjsOptimizerSpec = {
    ...spec,
    hyper: {
      ...spec.hyper,
      eps: { ...e, minOpen: true, specials: [], doc: 'ε > 0 (TF.js: epsilon; the entry …-eps0 takes ε = 0)' },
    },
    traits: {
      ...Object.fromEntries(
        Object.entries(spec.traits).filter(([k]) => !(ZERO_EPS_TRAITS as readonly string[]).includes(k)),
      ),
      gradScaleInvariantWhenEpsZero: false,
    } as Traits,
  };
  const zero: TfjsOptimizerSpec = {
    ...spec,
    name: `${spec.name}-eps0`,
    api: spec.api.replace(/\beps\b/, '0'),
    hyper: {
      ...spec.hyper,
      eps: {
        ...e,
        default: 0,
        min: 0,
        max: 0,
        maxOpen: false,
        sample: [0, 0],
        specials: [],
        log: false,
        doc: 'ε = 0 (TF.js: epsilon = 0, taken as given)',
      },
    },
  };
  return [positive, zero];
}

export const tfjsOptimizers: readonly TfjsOptimizerSpec[] = specs.flatMap(splitZeroEps);
