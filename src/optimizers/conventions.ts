/**
 * Framework profiles: for each framework (PyTorch, Keras 3, TF.js, optax) and each optimizer it
 * has, its defaults (in optimlab's vocabulary), the convention settings that reproduce its update,
 * and its formula as the framework documents or implements it. Pure data: the registry
 * (createOptimizer's `profile`), `optimlab list --profile` and docs/conventions.md all read it.
 *
 * Mapping decisions (documented once here and on the conventions page):
 * - A framework class may map to several optimlab optimizers (torch.optim.SGD → sgd, momentum,
 *   nesterov by its momentum/nesterov arguments) and an optimlab optimizer may have several classes
 *   (adam ← Adam and AdamW). Each profile lists classes (`apis`); `primary` says which class
 *   `createOptimizer(name, hyper, { profile })` uses for each optimlab optimizer.
 * - AMSGrad: PyTorch and Keras have no AMSGrad class but Adam(amsgrad=True); it maps to optimlab's
 *   `amsgrad` (form 'rawMax'), not to `adam`. optax has optax.amsgrad (form 'correctedMax').
 * - A default the framework does not have (TF.js tf.train.sgd(learningRate), optax's learning_rate)
 *   is `required`: creating that optimizer with that profile without giving it is a RangeError.
 * - Keras's `weight_decay` is decoupled in every Keras 3 optimizer (θ ← θ − ηλθ before the step):
 *   it maps to `decoupledWeightDecay`; PyTorch's `weight_decay` is coupled L2 (`weightDecay`) except
 *   in AdamW.
 */
import type { Hyper } from './types.js';

export const profileNames = ['pytorch', 'keras', 'tfjs', 'optax'] as const;
export type ProfileName = (typeof profileNames)[number];

export interface ProfileApi {
  /** The framework's class or function, with the argument that selects this form. */
  api: string;
  /** The optimlab optimizer that reproduces it. */
  optimizer: string;
  /** The framework's defaults in optimlab's names (only those that differ from nothing: all are listed). */
  hyper: Readonly<Partial<Hyper>>;
  /** Hyperparameters the framework has no default for: the caller must give them. */
  required?: readonly string[];
  /** Convention settings that select the framework's formula. */
  conventions: Readonly<Partial<Hyper>>;
  /** The update as the framework documents (or, where it has no formula in its docs, implements) it. */
  formula: readonly string[];
  /** Where the formula and defaults were read. */
  cite: string;
  /** Deviations, fixed constants, things a user should know. */
  notes?: readonly string[];
}

export interface Profile {
  name: ProfileName;
  title: string;
  /** Version the data was read from. */
  version: string;
  apis: readonly ProfileApi[];
  /** optimlab optimizer → the api that `createOptimizer(name, hyper, { profile })` uses. */
  primary: Readonly<Record<string, string>>;
  /** optimlab optimizers this framework does not have, with the reason. */
  missing: Readonly<Record<string, string>>;
}

const TORCH = 'pytorch/pytorch torch/optim/';
const KERAS = 'keras-team/keras keras/src/optimizers/';
const TFJS = 'tensorflow/tfjs tfjs-core/src/optimizers/';
const OPTAX = 'google-deepmind/optax optax/_src/';

const pytorch: Profile = {
  name: 'pytorch',
  title: 'PyTorch (torch.optim)',
  version: '2.x',
  apis: [
    {
      api: 'SGD(momentum=0)',
      optimizer: 'sgd',
      hyper: { lr: 0.001 },
      conventions: {},
      cite: `${TORCH}sgd.py`,
      formula: ['g ← g + λθ (weight_decay)', 'θ ← θ − γ g'],
    },
    {
      api: 'SGD(momentum=μ>0)',
      optimizer: 'momentum',
      hyper: { lr: 0.001 },
      required: ['momentum'],
      conventions: { lrPlacement: 'outside', dampening: 0 },
      cite: `${TORCH}sgd.py`,
      formula: ['b_1 = g_1;  b_t = μ b_{t−1} + (1 − τ) g_t   (τ = dampening)', 'θ ← θ − γ b_t'],
    },
    {
      api: 'SGD(momentum=μ, nesterov=True)',
      optimizer: 'nesterov',
      hyper: { lr: 0.001 },
      required: ['momentum'],
      conventions: { lrPlacement: 'outside' },
      cite: `${TORCH}sgd.py`,
      formula: ['b_t = μ b_{t−1} + g_t   (dampening must be 0)', 'θ ← θ − γ (g_t + μ b_t)'],
    },
    {
      api: 'Adagrad',
      optimizer: 'adagrad',
      hyper: { lr: 0.01, eps: 1e-10 },
      conventions: { epsPlacement: 'outside', initialAccumulator: 0, lrDecay: 0 },
      cite: `${TORCH}adagrad.py`,
      formula: [
        'γ̃ = γ / (1 + (t − 1) η_decay)',
        'G_t = G_{t−1} + g_t²   (G_0 = initial_accumulator_value)',
        'θ ← θ − γ̃ g_t / (√G_t + ε)',
      ],
    },
    {
      api: 'Adadelta',
      optimizer: 'adadelta',
      hyper: { lr: 1, rho: 0.9, eps: 1e-6 },
      conventions: { gradAverage: 'current' },
      cite: `${TORCH}adadelta.py`,
      formula: [
        'v_t = ρ v_{t−1} + (1 − ρ) g_t²',
        'Δx_t = √(u_{t−1} + ε) / √(v_t + ε) · g_t',
        'u_t = ρ u_{t−1} + (1 − ρ) Δx_t²',
        'θ ← θ − γ Δx_t',
      ],
    },
    {
      api: 'RMSprop',
      optimizer: 'rmsprop',
      hyper: { lr: 0.01, rho: 0.99, eps: 1e-8 },
      conventions: { epsPlacement: 'outside', centered: false, momentum: 0, lrPlacement: 'outside' },
      cite: `${TORCH}rmsprop.py`,
      formula: [
        'v_t = α v_{t−1} + (1 − α) g_t²   (α = alpha, optimlab rho)',
        'centered: ḡ_t = α ḡ_{t−1} + (1 − α) g_t;  ṽ_t = v_t − ḡ_t²  (else ṽ_t = v_t)',
        'μ > 0: b_t = μ b_{t−1} + g_t / (√ṽ_t + ε);  θ ← θ − γ b_t',
        'μ = 0: θ ← θ − γ g_t / (√ṽ_t + ε)',
      ],
    },
    {
      api: 'Adam',
      optimizer: 'adam',
      hyper: { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
      conventions: { epsMode: 'outside' },
      cite: `${TORCH}adam.py`,
      formula: [
        'm_t = β1 m_{t−1} + (1 − β1) g_t;  v_t = β2 v_{t−1} + (1 − β2) g_t²',
        'm̂_t = m_t / (1 − β1^t);  v̂_t = v_t / (1 − β2^t)',
        'θ ← θ − γ m̂_t / (√v̂_t + ε)',
      ],
    },
    {
      api: 'AdamW',
      optimizer: 'adam',
      hyper: { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, decoupledWeightDecay: 0.01 },
      conventions: { epsMode: 'outside' },
      cite: `${TORCH}adamw.py`,
      formula: ['θ ← θ − γλθ   (λ = weight_decay, decoupled)', 'then Adam: θ ← θ − γ m̂_t / (√v̂_t + ε)'],
    },
    {
      api: 'Adam(amsgrad=True)',
      optimizer: 'amsgrad',
      hyper: { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
      conventions: { form: 'rawMax', epsMode: 'outside' },
      cite: `${TORCH}adam.py`,
      formula: [
        'm_t, v_t as Adam',
        'v_t^max = max(v_{t−1}^max, v_t)',
        'θ ← θ − γ (m_t/(1 − β1^t)) / (√(v_t^max/(1 − β2^t)) + ε)',
      ],
    },
    {
      api: 'Adamax',
      optimizer: 'adamax',
      hyper: { lr: 0.002, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
      conventions: { epsPlacement: 'max', lrDecay: 0 },
      cite: `${TORCH}adamax.py`,
      formula: [
        'm_t = β1 m_{t−1} + (1 − β1) g_t',
        'u_t = max(β2 u_{t−1}, |g_t| + ε)',
        'θ ← θ − γ m_t / ((1 − β1^t) u_t)',
      ],
    },
    {
      api: 'NAdam',
      optimizer: 'nadam',
      hyper: { lr: 0.002, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
      conventions: { schedule: 'dozat', momentumDecay: 0.004 },
      cite: `${TORCH}nadam.py`,
      formula: [
        'μ_t = β1 (1 − ½·0.96^{tψ})   (ψ = momentum_decay)',
        'm_t = β1 m_{t−1} + (1 − β1) g_t;  v_t = β2 v_{t−1} + (1 − β2) g_t²',
        'm̂_t = μ_{t+1} m_t / (1 − Π_{i≤t+1} μ_i) + (1 − μ_t) g_t / (1 − Π_{i≤t} μ_i);  v̂_t = v_t / (1 − β2^t)',
        'θ ← θ − γ m̂_t / (√v̂_t + ε)',
      ],
    },
  ],
  primary: {
    sgd: 'SGD(momentum=0)',
    momentum: 'SGD(momentum=μ>0)',
    nesterov: 'SGD(momentum=μ, nesterov=True)',
    adagrad: 'Adagrad',
    adadelta: 'Adadelta',
    rmsprop: 'RMSprop',
    adam: 'Adam',
    amsgrad: 'Adam(amsgrad=True)',
    adamax: 'Adamax',
    nadam: 'NAdam',
  },
  missing: {},
};

const keras: Profile = {
  name: 'keras',
  title: 'Keras 3 (keras.optimizers)',
  version: '3.x',
  apis: [
    {
      api: 'SGD(momentum=0)',
      optimizer: 'sgd',
      hyper: { lr: 0.01 },
      conventions: {},
      cite: `${KERAS}sgd.py`,
      formula: ['θ ← θ − η g'],
    },
    {
      api: 'SGD(momentum=μ>0)',
      optimizer: 'momentum',
      hyper: { lr: 0.01 },
      required: ['momentum'],
      conventions: { lrPlacement: 'inside', dampening: 0 },
      cite: `${KERAS}sgd.py`,
      formula: ['m_t = μ m_{t−1} − η g_t', 'θ ← θ + m_t'],
      notes: ["Keras's buffer is m = −v of the inside form: the same bits negated (optimlab stores v)."],
    },
    {
      api: 'SGD(momentum=μ, nesterov=True)',
      optimizer: 'nesterov',
      hyper: { lr: 0.01 },
      required: ['momentum'],
      conventions: { lrPlacement: 'inside' },
      cite: `${KERAS}sgd.py`,
      formula: ['m_t = μ m_{t−1} − η g_t', 'θ ← θ + μ m_t − η g_t'],
    },
    {
      api: 'Adagrad',
      optimizer: 'adagrad',
      hyper: { lr: 0.001, eps: 1e-7 },
      conventions: { epsPlacement: 'inside', initialAccumulator: 0.1, lrDecay: 0 },
      cite: `${KERAS}adagrad.py`,
      formula: ['G_t = G_{t−1} + g_t²   (G_0 = initial_accumulator_value = 0.1)', 'θ ← θ − η g_t / √(G_t + ε)'],
    },
    {
      api: 'Adadelta',
      optimizer: 'adadelta',
      hyper: { lr: 0.001, rho: 0.95, eps: 1e-7 },
      conventions: { gradAverage: 'current' },
      cite: `${KERAS}adadelta.py`,
      formula: [
        'E[g²]_t = ρ E[g²]_{t−1} + (1 − ρ) g_t²',
        'Δ_t = −√(E[Δ²]_{t−1} + ε) g_t / √(E[g²]_t + ε)',
        'E[Δ²]_t = ρ E[Δ²]_{t−1} + (1 − ρ) Δ_t²',
        'θ ← θ + η Δ_t',
      ],
    },
    {
      api: 'RMSprop',
      optimizer: 'rmsprop',
      hyper: { lr: 0.001, rho: 0.9, eps: 1e-7 },
      conventions: { epsPlacement: 'inside', centered: false, momentum: 0, lrPlacement: 'inside' },
      cite: `${KERAS}rmsprop.py`,
      formula: [
        'v_t = ρ v_{t−1} + (1 − ρ) g_t²',
        'centered: ḡ_t = ρ ḡ_{t−1} + (1 − ρ) g_t;  d_t = v_t − ḡ_t² + ε  (else d_t = v_t + ε)',
        'inc_t = η g_t / √d_t',
        'μ > 0: m_t = μ m_{t−1} + inc_t, θ ← θ − m_t;  μ = 0: θ ← θ − inc_t',
      ],
    },
    {
      api: 'Adam',
      optimizer: 'adam',
      hyper: { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-7 },
      conventions: { epsMode: 'hat' },
      cite: `${KERAS}adam.py`,
      formula: [
        'm_t = m_{t−1} + (g_t − m_{t−1})(1 − β1);  v_t = v_{t−1} + (g_t² − v_{t−1})(1 − β2)',
        'α_t = η √(1 − β2^t) / (1 − β1^t)',
        'θ ← θ − α_t m_t / (√v_t + ε̂)',
      ],
      notes: ['ε is "epsilon hat": equal to Algorithm 1 with ε = ε̂/√(1 − β2^t).'],
    },
    {
      api: 'AdamW',
      optimizer: 'adam',
      hyper: { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-7, decoupledWeightDecay: 0.004 },
      conventions: { epsMode: 'hat' },
      cite: `${KERAS}adamw.py`,
      formula: ['θ ← θ − ηλθ   (weight_decay, before the step)', 'then Adam (ε̂ form)'],
    },
    {
      api: 'Adam(amsgrad=True)',
      optimizer: 'amsgrad',
      hyper: { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-7 },
      conventions: { form: 'rawMax', epsMode: 'hat' },
      cite: `${KERAS}adam.py`,
      formula: [
        'm_t, v_t as Adam;  v̂_t = max(v̂_{t−1}, v_t)',
        'θ ← θ − α_t m_t / (√v̂_t + ε̂),  α_t = η √(1 − β2^t) / (1 − β1^t)',
      ],
    },
    {
      api: 'Adamax',
      optimizer: 'adamax',
      hyper: { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-7 },
      conventions: { epsPlacement: 'denominator', lrDecay: 0 },
      cite: `${KERAS}adamax.py`,
      formula: [
        'm_t = m_{t−1} + (g_t − m_{t−1})(1 − β1)',
        'u_t = max(β2 u_{t−1}, |g_t|)',
        'θ ← θ − η m_t / ((1 − β1^t)(u_t + ε))',
      ],
    },
    {
      api: 'Nadam',
      optimizer: 'nadam',
      hyper: { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-7 },
      conventions: { schedule: 'dozat', momentumDecay: 1 },
      cite: `${KERAS}nadam.py`,
      formula: [
        'u_t = β1 (1 − ½·0.96^t)',
        'm̂_t = u_{t+1} m_t / (1 − Π_{i≤t+1} u_i) + (1 − u_t) g_t / (1 − Π_{i≤t} u_i);  v̂_t = v_t / (1 − β2^t)',
        'θ ← θ − η m̂_t / (√v̂_t + ε)',
      ],
      notes: ['The docstring calls ε "epsilon hat", but the code adds it to √v̂_t (Algorithm 1\'s ε).'],
    },
  ],
  primary: {
    sgd: 'SGD(momentum=0)',
    momentum: 'SGD(momentum=μ>0)',
    nesterov: 'SGD(momentum=μ, nesterov=True)',
    adagrad: 'Adagrad',
    adadelta: 'Adadelta',
    rmsprop: 'RMSprop',
    adam: 'Adam',
    amsgrad: 'Adam(amsgrad=True)',
    adamax: 'Adamax',
    nadam: 'Nadam',
  },
  missing: {},
};

const EPS_TFJS = 'ε = ENGINE.backend.epsilon() = 1e-7 on float32 backends';

const tfjs: Profile = {
  name: 'tfjs',
  title: 'TensorFlow.js (tf.train)',
  version: '4.22',
  apis: [
    {
      api: 'tf.train.sgd(learningRate)',
      optimizer: 'sgd',
      hyper: {},
      required: ['lr'],
      conventions: {},
      cite: `${TFJS}sgd_optimizer.ts`,
      formula: ['θ ← θ − η g'],
    },
    {
      api: 'tf.train.momentum(learningRate, momentum)',
      optimizer: 'momentum',
      hyper: {},
      required: ['lr', 'momentum'],
      conventions: { lrPlacement: 'outside', dampening: 0 },
      cite: `${TFJS}momentum_optimizer.ts`,
      formula: ['a_t = μ a_{t−1} + g_t', 'θ ← θ − η a_t'],
    },
    {
      api: 'tf.train.momentum(learningRate, momentum, true)',
      optimizer: 'nesterov',
      hyper: {},
      required: ['lr', 'momentum'],
      conventions: { lrPlacement: 'outside' },
      cite: `${TFJS}momentum_optimizer.ts`,
      formula: ['a_t = μ a_{t−1} + g_t', 'θ ← θ − η (g_t + μ a_t)'],
    },
    {
      api: 'tf.train.adagrad(learningRate, initialAccumulatorValue)',
      optimizer: 'adagrad',
      hyper: { eps: 1e-7 },
      required: ['lr'],
      conventions: { epsPlacement: 'inside', initialAccumulator: 0.1, lrDecay: 0 },
      cite: `${TFJS}adagrad_optimizer.ts`,
      formula: ['G_t = G_{t−1} + g_t²   (G_0 = 0.1)', 'θ ← θ − η g_t / √(G_t + ε)'],
      notes: [`${EPS_TFJS}; not an argument.`],
    },
    {
      api: 'tf.train.adadelta(learningRate, rho, epsilon)',
      optimizer: 'adadelta',
      hyper: { lr: 0.001, rho: 0.95, eps: 1e-7 },
      conventions: { gradAverage: 'previous' },
      cite: `${TFJS}adadelta_optimizer.ts`,
      formula: [
        'Δ_t = √(E[Δ²]_{t−1} + ε) / √(E[g²]_{t−1} + ε) · g_t   (the average before g_t)',
        'E[g²]_t = ρ E[g²]_{t−1} + (1 − ρ) g_t²;  E[Δ²]_t = ρ E[Δ²]_{t−1} + (1 − ρ) Δ_t²',
        'θ ← θ − η Δ_t',
      ],
      notes: [
        'Divides by the average before the current gradient (Zeiler uses E[g²]_t): the first step is exactly −η g_1.',
      ],
    },
    {
      api: 'tf.train.rmsprop(learningRate, decay, momentum, epsilon, centered)',
      optimizer: 'rmsprop',
      hyper: { rho: 0.9, eps: 1e-7 },
      required: ['lr'],
      conventions: { epsPlacement: 'inside', centered: false, momentum: 0, lrPlacement: 'inside' },
      cite: `${TFJS}rmsprop_optimizer.ts`,
      formula: ['E_t = ρ E_{t−1} + (1 − ρ) g_t²', 'v_t = μ v_{t−1} + η g_t / √(E_t + ε)', 'θ ← θ − v_t'],
      notes: [
        "centered = true computes √(E_t − (ḡ_t² + ε)): ε is subtracted (optimlab adds it, as Keras and optax do), and where E_t − ḡ_t² < ε the root is NaN: at TF.js's defaults (decay 0.9, ε = 1e-7) every first gradient below 1.05e-3 in magnitude (docs/adapters.md, finding T1).",
      ],
    },
    {
      api: 'tf.train.adam(learningRate, beta1, beta2, epsilon)',
      optimizer: 'adam',
      hyper: { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-7 },
      conventions: { epsMode: 'outside' },
      cite: `${TFJS}adam_optimizer.ts`,
      formula: [
        'm_t = β1 m_{t−1} + (1 − β1) g_t;  v_t = β2 v_{t−1} + (1 − β2) g_t²',
        'θ ← θ − η (m_t/(1 − β1^t)) / (√(v_t/(1 − β2^t)) + ε)',
      ],
      notes: ['β^t is kept as a running product accBeta (float32).'],
    },
    {
      api: 'tf.train.adamax(learningRate, beta1, beta2, epsilon, decay)',
      optimizer: 'adamax',
      hyper: { lr: 0.002, beta1: 0.9, beta2: 0.999, eps: 1e-7 },
      conventions: { epsPlacement: 'denominator', lrDecay: 0 },
      cite: `${TFJS}adamax_optimizer.ts`,
      formula: [
        'η_t = η / (1 + (t − 1)·decay)',
        'm_t = β1 m_{t−1} + (1 − β1) g_t;  u_t = max(β2 u_{t−1}, |g_t|)',
        'θ ← θ − (η_t / (1 − β1^t)) m_t / (u_t + ε)',
      ],
    },
  ],
  primary: {
    sgd: 'tf.train.sgd(learningRate)',
    momentum: 'tf.train.momentum(learningRate, momentum)',
    nesterov: 'tf.train.momentum(learningRate, momentum, true)',
    adagrad: 'tf.train.adagrad(learningRate, initialAccumulatorValue)',
    adadelta: 'tf.train.adadelta(learningRate, rho, epsilon)',
    rmsprop: 'tf.train.rmsprop(learningRate, decay, momentum, epsilon, centered)',
    adam: 'tf.train.adam(learningRate, beta1, beta2, epsilon)',
    adamax: 'tf.train.adamax(learningRate, beta1, beta2, epsilon, decay)',
  },
  missing: {
    nadam: 'TF.js has no Nadam optimizer (tf.train has sgd, momentum, adagrad, adadelta, adam, adamax, rmsprop).',
    amsgrad: 'TF.js has no AMSGrad: tf.train.adam takes no amsgrad flag.',
  },
};

const optax: Profile = {
  name: 'optax',
  title: 'optax (JAX)',
  version: '0.2.x',
  apis: [
    {
      api: 'optax.sgd(learning_rate)',
      optimizer: 'sgd',
      hyper: {},
      required: ['lr'],
      conventions: {},
      cite: `${OPTAX}alias.py`,
      formula: ['θ ← θ − η g'],
    },
    {
      api: 'optax.sgd(learning_rate, momentum)',
      optimizer: 'momentum',
      hyper: {},
      required: ['lr', 'momentum'],
      conventions: { lrPlacement: 'outside', dampening: 0 },
      cite: `${OPTAX}alias.py, transform.py (trace)`,
      formula: ['t_t = g_t + μ t_{t−1}', 'θ ← θ − η t_t'],
    },
    {
      api: 'optax.sgd(learning_rate, momentum, nesterov=True)',
      optimizer: 'nesterov',
      hyper: {},
      required: ['lr', 'momentum'],
      conventions: { lrPlacement: 'outside' },
      cite: `${OPTAX}alias.py, transform.py (trace)`,
      formula: ['t_t = g_t + μ t_{t−1}', 'θ ← θ − η (g_t + μ t_t)'],
    },
    {
      api: 'optax.adagrad(learning_rate)',
      optimizer: 'adagrad',
      hyper: { eps: 1e-7 },
      required: ['lr'],
      conventions: { epsPlacement: 'inside', initialAccumulator: 0.1, lrDecay: 0 },
      cite: `${OPTAX}transform.py (scale_by_rss)`,
      formula: [
        'G_t = G_{t−1} + g_t²   (G_0 = initial_accumulator_value = 0.1)',
        'θ ← θ − η g_t / √(G_t + ε)   (0 where G_t = 0)',
      ],
    },
    {
      api: 'optax.adadelta(learning_rate)',
      optimizer: 'adadelta',
      hyper: { rho: 0.9, eps: 1e-6 },
      required: ['lr'],
      conventions: { gradAverage: 'current' },
      cite: `${OPTAX}transform.py (scale_by_adadelta)`,
      formula: [
        'E[g²]_t = ρ E[g²]_{t−1} + (1 − ρ) g_t²',
        'Δ_t = √(E[Δ²]_{t−1} + ε) / √(E[g²]_t + ε) · g_t',
        'E[Δ²]_t = ρ E[Δ²]_{t−1} + (1 − ρ) Δ_t²',
        'θ ← θ − η Δ_t',
      ],
    },
    {
      api: 'optax.rmsprop(learning_rate)',
      optimizer: 'rmsprop',
      hyper: { rho: 0.9, eps: 1e-8 },
      required: ['lr'],
      conventions: { epsPlacement: 'inside', centered: false, momentum: 0, lrPlacement: 'inside' },
      cite: `${OPTAX}alias.py, transform.py (scale_by_rms, scale_by_stddev)`,
      formula: [
        'ν_t = ρ ν_{t−1} + (1 − ρ) g_t²   (centered: ν_t − μ_t², μ_t = ρ μ_{t−1} + (1 − ρ) g_t)',
        'u_t = η g_t / √(ν_t + ε)   (eps_in_sqrt=True)',
        'momentum μ: v_t = u_t + μ v_{t−1}, θ ← θ − v_t (trace after scale_by_learning_rate)',
      ],
    },
    {
      api: 'optax.adam(learning_rate)',
      optimizer: 'adam',
      hyper: { beta1: 0.9, beta2: 0.999, eps: 1e-8 },
      required: ['lr'],
      conventions: { epsMode: 'outside' },
      cite: `${OPTAX}transform.py (scale_by_adam)`,
      formula: [
        'm̂_t = m_t / (1 − β1^t);  v̂_t = v_t / (1 − β2^t)',
        'θ ← θ − η m̂_t / (√(v̂_t + ε_root) + ε)   (ε_root = 0)',
      ],
    },
    {
      api: 'optax.adamw(learning_rate)',
      optimizer: 'adam',
      hyper: { beta1: 0.9, beta2: 0.999, eps: 1e-8, decoupledWeightDecay: 1e-4 },
      required: ['lr'],
      conventions: { epsMode: 'outside' },
      cite: `${OPTAX}alias.py`,
      formula: ['θ ← θ − η (m̂_t / (√v̂_t + ε) + λθ)'],
    },
    {
      api: 'optax.amsgrad(learning_rate)',
      optimizer: 'amsgrad',
      hyper: { beta1: 0.9, beta2: 0.999, eps: 1e-8 },
      required: ['lr'],
      conventions: { form: 'correctedMax', epsMode: 'outside' },
      cite: `${OPTAX}transform.py (scale_by_amsgrad)`,
      formula: [
        'v̂_t = v_t / (1 − β2^t);  ν_t^max = max(ν_{t−1}^max, v̂_t)',
        'θ ← θ − η (m_t/(1 − β1^t)) / (√ν_t^max + ε)',
      ],
    },
    {
      api: 'optax.adamax(learning_rate)',
      optimizer: 'adamax',
      hyper: { beta1: 0.9, beta2: 0.999, eps: 1e-8 },
      required: ['lr'],
      conventions: { epsPlacement: 'max', lrDecay: 0 },
      cite: `${OPTAX}transform.py (scale_by_adamax)`,
      formula: ['u_t = max(β2 u_{t−1}, |g_t| + ε)', 'θ ← θ − η (m_t/(1 − β1^t)) / u_t'],
    },
    {
      api: 'optax.nadam(learning_rate)',
      optimizer: 'nadam',
      hyper: { beta1: 0.9, beta2: 0.999, eps: 1e-8 },
      required: ['lr'],
      conventions: { schedule: 'constant' },
      cite: `${OPTAX}transform.py (scale_by_adam, nesterov=True)`,
      formula: ['m̂_t = β1 m_t / (1 − β1^{t+1}) + (1 − β1) g_t / (1 − β1^t)', 'θ ← θ − η m̂_t / (√v̂_t + ε)'],
    },
  ],
  primary: {
    sgd: 'optax.sgd(learning_rate)',
    momentum: 'optax.sgd(learning_rate, momentum)',
    nesterov: 'optax.sgd(learning_rate, momentum, nesterov=True)',
    adagrad: 'optax.adagrad(learning_rate)',
    adadelta: 'optax.adadelta(learning_rate)',
    rmsprop: 'optax.rmsprop(learning_rate)',
    adam: 'optax.adam(learning_rate)',
    amsgrad: 'optax.amsgrad(learning_rate)',
    adamax: 'optax.adamax(learning_rate)',
    nadam: 'optax.nadam(learning_rate)',
  },
  missing: {},
};

export const profiles: Readonly<Record<ProfileName, Profile>> = { pytorch, keras, tfjs, optax };

/** The profile named `name`; a RangeError listing the known ones otherwise. */
export function getProfile(name: unknown): Profile {
  // Equivalent mutant (`false`): includes() is false for anything but one of the names, so a
  // non-string is refused all the same; the test says it is not a string for TypeScript's sake.
  if (typeof name !== 'string' || !(profileNames as readonly string[]).includes(name)) {
    throw new RangeError(`profile = ${JSON.stringify(name)}; allowed: ${profileNames.map((p) => `'${p}'`).join(', ')}`);
  }
  return profiles[name as ProfileName];
}

/**
 * The profile's entry for an optimlab optimizer (its primary api), or for an api by name
 * ('AdamW'). A RangeError names the profile, what was asked and what it has, or why it is missing.
 */
export function profileApi(profile: ProfileName | Profile, optimizerOrApi: string): ProfileApi {
  const p = typeof profile === 'string' ? getProfile(profile) : profile;
  const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
  const why = has(p.missing, optimizerOrApi) ? p.missing[optimizerOrApi] : undefined;
  if (why) throw new RangeError(`profile '${p.name}' has no ${optimizerOrApi}: ${why}`);
  const api = (has(p.primary, optimizerOrApi) ? p.primary[optimizerOrApi] : undefined) ?? optimizerOrApi;
  const e = p.apis.find((a) => a.api === api);
  if (!e) {
    throw new RangeError(
      `profile '${p.name}' has no optimizer or api ${JSON.stringify(optimizerOrApi)}; it has optimizers ${Object.keys(p.primary).join(', ')} and apis ${p.apis.map((a) => a.api).join('; ')}`,
    );
  }
  return e;
}
