/**
 * The core contract shared by every optimizer (docs/adding-an-optimizer.md, "The core contract").
 *
 * A vector is a Float64Array or a Float32Array. An optimizer steps in place: it reads the
 * gradient, updates its state buffers and the parameters in one fused loop, and allocates nothing.
 */
import type { WasmEngine } from '../engine/wasm.js';

export type Dtype = 'float64' | 'float32';
export type Vec = Float64Array | Float32Array;

/** Hyperparameter values: numbers, switches and named choices. */
export type HyperValue = number | boolean | string;
export type Hyper = Record<string, HyperValue>;

/**
 * Optimizer state: plain data. `t` counts the steps taken (the next step is t + 1); each named
 * buffer has `size` elements of `dtype`. `serializeState` / `restoreState` round-trip it exactly.
 */
export interface OptimizerState {
  /** Name of the optimizer that made this state. */
  optimizer: string;
  dtype: Dtype;
  size: number;
  /** Steps taken so far. */
  t: number;
  buffers: Record<string, Vec>;
}

/** A numeric hyperparameter: its default, its valid range, and the range laws sample from. */
export interface NumberSpec {
  kind: 'number';
  default: number;
  /** Valid range: min ≤ x ≤ max, with open ends where minOpen / maxOpen. Always finite values. */
  min: number;
  max: number;
  minOpen?: boolean;
  maxOpen?: boolean;
  /** Range laws draw valid values from (a sub-range of the valid one); `log` draws log-uniformly. */
  sample: readonly [number, number];
  log?: boolean;
  /** Also draw exactly these values now and then (for example 0 for eps). */
  specials?: readonly number[];
  /**
   * The optimizer computes with this value rounded to float32 (TensorFlow.js keeps every
   * hyperparameter in a float32 scalar): laws draw float32 values, so that the optimizer and the
   * laws use the same number. Any value is still accepted; it is rounded where it is used.
   */
  float32?: boolean;
  /** One line for `optimlab list` and error messages. */
  doc: string;
}

export interface BooleanSpec {
  kind: 'boolean';
  default: boolean;
  doc: string;
}

export interface ChoiceSpec {
  kind: 'choice';
  default: string;
  choices: readonly string[];
  doc: string;
}

export type HyperSpec = NumberSpec | BooleanSpec | ChoiceSpec;

/**
 * What later laws need to know about an optimizer (docs/adding-an-optimizer.md, "What each trait turns on").
 * Laws select the optimizers they apply to by these traits, never by name.
 */
export interface Traits {
  /** Coordinate i of the update depends only on coordinate i of params, grad and state. */
  elementwise: boolean;
  /**
   * With eps = 0, scaling every gradient by c > 0 leaves the trajectory unchanged
   * (bit for bit when c is a power of two). False for optimizers that are linear in g.
   */
  gradScaleInvariantWhenEpsZero: boolean;
  /** State buffers that never decrease, element by element (Adagrad's G, AMSGrad's v̂, ...). */
  monotoneBuffers: readonly string[];
  /**
   * State buffers that a zero gradient from a fresh state changes by design (AdaBelief's s_t gains
   * ε at every step). Law G4 checks that the parameters and every other buffer stay unchanged.
   * Default: none.
   */
  zeroGradientDrift?: readonly string[];
  /**
   * How the float32 step computes. 'double' (the default): every intermediate in double, one
   * rounding per stored value (every defineOptimizer kernel, which keeps intermediates in locals).
   * 'float32': every operation rounded to float32 (TensorFlow.js's tensors, most frameworks'
   * float32 kernels). Law G7 (a float32 result is the double computation rounded once) holds only
   * for 'double'; a reference's default float32 bound assumes it too (give bound.float32 otherwise).
   */
  float32Arithmetic?: 'double' | 'float32';
  /**
   * With eps = 0, from a fresh state, the first step is exactly −c · sign(g) per coordinate, with
   * c given by this function of the hyperparameters (Adam: c = lr). Absent where no such law holds.
   */
  firstStepSignMagnitude?: (hyper: Hyper) => number;
  /**
   * Moment estimates are bias-corrected by 1/(1 − β^t) (E1, E2 apply): with a constant gradient g
   * the corrected first moment is g at every t.
   */
  biasCorrected: boolean;
  /**
   * Hyperparameters under which every step is plain gradient descent θ ← κθ − lr·(s·g + λθ), bit
   * for bit the same as sgd with the same lr and options (sgd: {}; momentum and nesterov:
   * { momentum: 0 }). Absent where no setting does. Laws C1, C2 and D3 (γ = 0 equals sgd) use it.
   */
  gradientDescentWhen?: Readonly<Hyper>;
  /**
   * A heavy-ball velocity v_t = γ v_{t−1} + lr·g_t (γ = hyperparameter `momentum`, the rate inside
   * the buffer): which buffer holds it, and how the parameters use it: 'heavyBall' θ_t = θ_{t−1} − v_t;
   * 'storedLookAhead' the parameters are the look-ahead point φ = θ − γv (Nesterov),
   * φ_t = φ_{t−1} − γ v_t − lr·g_t. Laws D1, D2 (both forms), D3 (heavyBall), D4 (storedLookAhead).
   */
  velocity?: { readonly buffer: string; readonly form: 'heavyBall' | 'storedLookAhead' };
  /**
   * Adam-family moment buffers: `first` holds m_t = β1 m_{t−1} + (1 − β1) g_t; `second` holds
   * v_t = β2 v_{t−1} + (1 − β2) g_t² ('square') or u_t = max(β2 u_{t−1}, |g_t|) ('maxAbs');
   * `secondMax`, where present, holds v̂_t = max(v̂_{t−1}, v_t) (AMSGrad). Laws E1, E2, F2, F3.
   */
  moments?: {
    readonly first: string;
    readonly second: string;
    readonly secondKind: 'square' | 'maxAbs';
    readonly secondMax?: string;
  };
  /**
   * E1: with a constant gradient g from a fresh state (no weight decay, no maximize), step t is
   * Δθ_t = −lr · factor(h, t) · g / (|g| + ε) (Adam, AdaMax: 1; Nadam: β1 + (1 − β1)/(1 − β1^t)).
   */
  constantGradientStepFactor?: (hyper: Hyper, t: number) => number;
  /**
   * E4: with ε = 0 and no weight decay, step t moves each coordinate by at most
   * lr · |Σ_i w_i g_i| / √(Σ_i u_i g_i²) (g_1..g_t that coordinate's gradients so far; equality
   * except for AMSGrad, whose max only enlarges the denominator). Returns w and u, oldest first.
   */
  stepWeights?: (hyper: Hyper, t: number) => { w: number[]; u: number[] };
  /**
   * F1: the step is −rate_t · x_t per coordinate, x_t the gradient ('grad') or this state buffer,
   * and while lr stays constant rate_t never increases (Adagrad: lr/√(G_t + ε); AMSGrad: lr/(√v̂_t + ε)).
   */
  nonincreasingRate?: string;
  /**
   * C3: an upper bound on Σ_{t=1..T} |Δθ_t| for one coordinate, from a fresh state without weight
   * decay or maximize, when every gradient of that coordinate in those T steps has one sign and a
   * magnitude in [gmax/r, gmax] (r ≥ 1). Each optimizer file derives its bound next to it. Absent: C3
   * does not apply. A bound far above the real displacement is valid but makes C3's rate tiny: in
   * float32 the steps may then all round away (C3 checks that against a float64 run).
   */
  displacementBound?: (hyper: Hyper, T: number, gmax: number, r: number) => number;
  /**
   * F2 (Reddi et al.'s counterexample): with hyperparameters beta1 = 0, eps = 0 and no weight decay,
   * the step is −lr·g_t/√v̂_t where v̂_t is the EMA of g² with rate beta2, bias-corrected or not
   * ('ema': Adam; Nadam, whose β1 = 0 step is Adam's — F2 asserts the drift to +1) or its running
   * maximum ('runningMax': AMSGrad — F2 asserts convergence to −1). Absent: F2 does not apply (RAdam,
   * whose steps with F2's β2 are SGD's).
   */
  rmsStep?: 'ema' | 'runningMax';
  /**
   * Laws of every optimizer (docs/laws.md: "every optimizer") that do not hold for this one by
   * design: law ID → the reason, printed where the law is skipped. Naming a law that is selected by
   * traits, compares with the reference, or does not exist is an error when the laws are crossed.
   */
  optOut?: Readonly<Record<string, string>>;
}

/** A fully built optimizer with validated hyperparameters. */
export interface Optimizer<H extends Hyper = Hyper> {
  readonly name: string;
  /** A frozen snapshot of the hyperparameters in force (defaults filled in). */
  readonly hyper: Readonly<H>;
  /**
   * The convention options in force (docs/conventions.md), defaults filled in; fixed when the
   * optimizer is built ({} for an optimizer without conventions).
   */
  readonly conventions: Readonly<Hyper>;
  /**
   * The wasm engine whose memory `init` places the state buffers in (createOptimizer's `engine`
   * option), or undefined for plain typed arrays. Either way, `step` runs the wasm kernels exactly
   * when params, grad and every buffer are views of one engine's memory (docs/wasm.md).
   */
  readonly engine?: WasmEngine;
  /**
   * Change hyperparameters between steps (a schedule moving lr, say) without touching any state.
   * Validated as a whole first: on error nothing changes.
   */
  set(changes: Partial<H>): this;
  /** Fresh state for `size` parameters (all buffers zero, t = 0). */
  init(size: number, dtype?: Dtype): OptimizerState;
  /**
   * One step in place: params and the state buffers are updated, `state.t` is incremented.
   * Throws (TypeError / RangeError) before touching anything when params, grad and state do not
   * match. A non-finite gradient element is not rejected: see the README, "Non-finite gradients".
   */
  step(params: Vec, grad: Vec, state: OptimizerState): void;
}
