/**
 * Numeric gradients and gradient checking.
 *
 * Central differences D_h = (f(x + h e_i) − f(x − h e_i)) / (2h) have truncation error
 * h² f'''/6 and rounding error about u·|f|/h, balanced by h ∝ u^{1/3} (Nocedal & Wright 2006,
 * §8.1). Richardson extrapolation R = (4 D_{h/2} − D_h) / 3 cancels the h² term (error O(h⁴)),
 * balanced by h ∝ u^{1/5}. Steps are per coordinate, h_i = c · max(|x_i|, 1), rounded to a power
 * of two so that x_i ± h_i and x_i ± h_i/2 are exact for typical x_i; the denominator is the step
 * actually taken, (x_i + h) − (x_i − h), so the representation of x_i ± h never biases it.
 *
 * Gradient check (CS231n, "Neural networks 3", gradient checks): compare the analytic gradient a
 * with the numeric n by the relative error |a − n| / max(|a|, |n|, tiny), per coordinate and worst.
 * CS231n's guidance for that number: > 1e-2, the gradient is probably wrong; 1e-2 … 1e-4, be
 * uncomfortable; < 1e-4 is fine for objectives with kinks but still high without them; < 1e-7,
 * be happy. `tiny` keeps coordinates where both are ≈ 0 from dividing by zero.
 */
import { checkNumber, checkPoint } from '../objectives/check.js';
import { describeValue } from '../optimizers/show.js';

export type ScalarFunction = (x: Float64Array) => number;
export type DiffMethod = 'central' | 'richardson';

export interface NumericGradientOptions {
  /** 'central' (default) or 'richardson' (more accurate, twice the evaluations). */
  method?: DiffMethod;
  /** Relative step factor c; default u^{1/3} for central, u^{1/5} for Richardson. */
  step?: number;
}

function fnOf(f: ScalarFunction | { value: ScalarFunction; dim?: number }): ScalarFunction {
  if (typeof f === 'function') return f;
  if (f && typeof f.value === 'function') return (x) => f.value(x);
  throw new TypeError('numericGradient: f must be a function x ⇒ number or an objective with value(x)');
}

/** A power of two near c · max(|x|, 1). */
function stepFor(x: number, c: number): number {
  return 2 ** Math.round(Math.log2(c * Math.max(Math.abs(x), 1)));
}

function central(f: ScalarFunction, w: Float64Array, i: number, xi: number, h: number): number {
  const xp = xi + h;
  const xm = xi - h;
  w[i] = xp;
  const fp = f(w);
  w[i] = xm;
  const fm = f(w);
  w[i] = xi;
  return (fp - fm) / (xp - xm);
}

/**
 * The numeric gradient of f at x, written into `out` (allocated when absent). f is called 2·dim
 * (central) or 4·dim (Richardson) times on a copy of x; x itself is not touched.
 */
export function numericGradient(
  f: ScalarFunction | { value: ScalarFunction },
  x: Float64Array,
  out?: Float64Array,
  opts: NumericGradientOptions = {},
): Float64Array {
  const fn = fnOf(f);
  if (!(x instanceof Float64Array))
    throw new TypeError(`numericGradient: x is ${describeValue(x)}; allowed: a Float64Array`);
  const n = x.length;
  const g = out ?? new Float64Array(n);
  checkPoint('numericGradient', x, n, g);
  const method = opts.method ?? 'central';
  if (method !== 'central' && method !== 'richardson')
    throw new RangeError(`numericGradient: method = ${String(method)}; allowed: 'central' or 'richardson'`);
  // u = 2^−53, the unit roundoff (a local, so that a change to it is not a module-load mutant).
  const u = 2 ** -53;
  const c = opts.step ?? (method === 'central' ? Math.cbrt(u) : u ** 0.2);
  checkNumber('numericGradient', 'step', c, 0, 1, true);
  const w = x.slice();
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    const h = stepFor(xi, c);
    const d1 = central(fn, w, i, xi, h);
    g[i] = method === 'central' ? d1 : (4 * central(fn, w, i, xi, h / 2) - d1) / 3;
  }
  return g;
}

export interface GradientCheckOptions extends NumericGradientOptions {
  /** Floor of the denominator (default 1e-12). */
  tiny?: number;
  /** The worst relative error allowed for `ok` (default 1e-7, CS231n's "be happy"). */
  threshold?: number;
}

export interface GradientCheck {
  analytic: Float64Array;
  numeric: Float64Array;
  /** |a − n| / max(|a|, |n|, tiny) per coordinate. */
  relError: Float64Array;
  /** The largest relative error (NaN if any is NaN; 0 for no coordinates). */
  worst: number;
  /** The first coordinate with the worst error (−1 for no coordinates). */
  worstIndex: number;
  ok: boolean;
}

/** The relative error |a − n| / max(|a|, |n|, tiny) of each coordinate, the worst and where (as GradientCheck). */
export function relativeErrors(
  a: Float64Array,
  n: Float64Array,
  tiny = 1e-12,
): { relError: Float64Array; worst: number; worstIndex: number } {
  if (a.length !== n.length) throw new RangeError(`relativeErrors: lengths ${a.length} and ${n.length} differ`);
  checkNumber('relativeErrors', 'tiny', tiny, 0, Infinity, true);
  const relError = new Float64Array(a.length);
  // Errors are ≥ 0 or NaN: −1 is below all of them, so the first coordinate is the first worst.
  let worst = -1;
  let worstIndex = -1;
  for (let i = 0; i < a.length; i++) {
    const ai = a[i]!;
    const ni = n[i]!;
    const r = Math.abs(ai - ni) / Math.max(Math.abs(ai), Math.abs(ni), tiny);
    relError[i] = r;
    // The first largest; a NaN error is the worst of all, and stays so (NaN compares false both ways).
    if (!Number.isNaN(worst) && !(r <= worst)) {
      worst = r;
      worstIndex = i;
    }
  }
  return { relError, worst: worstIndex < 0 ? 0 : worst, worstIndex };
}

/** Checks `objective.grad` at x against the numeric gradient of `objective.value`. */
export function gradientCheck(
  objective: { dim: number; value: ScalarFunction; grad(x: Float64Array, g: Float64Array): number },
  x: Float64Array,
  opts: GradientCheckOptions = {},
): GradientCheck {
  const threshold = opts.threshold ?? 1e-7;
  checkNumber('gradientCheck', 'threshold', threshold, 0, Infinity, true);
  checkPoint('gradientCheck', x, objective.dim);
  const analytic = new Float64Array(objective.dim);
  objective.grad(x, analytic);
  const numeric = numericGradient(objective, x, undefined, opts);
  const r = relativeErrors(analytic, numeric, opts.tiny ?? 1e-12);
  return { analytic, numeric, ...r, ok: r.worst <= threshold };
}
