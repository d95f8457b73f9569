/**
 * Objectives: test functions with their value, analytic gradient and, where known, minimiser,
 * minimum and constants. Float64 throughout (the optimizers also run float32, the objectives not).
 */

/** The data an objective was built from, exactly as the core uses it (the reference reads it). */
export type ObjectiveData = Readonly<Record<string, Float64Array | number | string>>;

export interface Objective {
  /** Catalogue name, the same in reference/objectives: 'rosenbrock'. */
  readonly name: string;
  readonly title: string;
  /** Where the function (and its constants) come from. */
  readonly source: string;
  /** Number of parameters. */
  readonly dim: number;
  /** f(x). Throws a TypeError/RangeError for an x that is not a Float64Array of length dim. */
  value(x: Float64Array): number;
  /** Writes ∇f(x) into g (a caller-provided Float64Array of length dim) and returns f(x). */
  grad(x: Float64Array, g: Float64Array): number;
  /** A minimiser, where known (for Himmelblau: one of four). */
  readonly minimizer?: Float64Array;
  /** The minimum value, where known. */
  readonly minimum?: number;
  /** Smoothness: ‖∇f(x) − ∇f(y)‖ ≤ L‖x − y‖, where known. */
  readonly L?: number;
  /** Strong convexity constant μ, where f is μ-strongly convex. */
  readonly mu?: number;
  readonly convex: boolean;
  /** A box [lo, hi]^dim of typical points (laws draw from it). */
  readonly domain: { readonly lo: number; readonly hi: number };
  /** What the objective was built from (matrices, data, labels, sizes). */
  readonly data: ObjectiveData;
}

export type Reduction = 'mean' | 'sum';

/**
 * A finite sum f(x) = R_i ℓ_i(x) over N examples, R the mean or the sum. `value` and `grad` cover
 * all examples in index order; `batch` covers examples idx[from], …, idx[to − 1] with the same
 * reduction (the mean of a batch divides by its size), which is what the training loops step on.
 */
export interface FiniteSumObjective extends Objective {
  readonly examples: number;
  readonly reduction: Reduction;
  /**
   * Loss of the examples idx[from..to) under the reduction; when `g` is given, also writes their
   * gradient into it. Allocates nothing.
   */
  batch(x: Float64Array, idx: Uint32Array, from: number, to: number, g?: Float64Array): number;
}

export function isFiniteSum(o: Objective): o is FiniteSumObjective {
  return typeof (o as FiniteSumObjective).batch === 'function';
}
