/**
 * Finite-sum objectives over a data set (X: N × d, row-major; one label per row): linear least
 * squares, logistic regression (cross-entropy), softmax cross-entropy, and seed 001's sigmoid with
 * squared error. Each example's loss depends on its row only, so the training loops step on the
 * gradient of a batch of rows (`batch`), under the objective's reduction (mean or sum).
 *
 * Sources: least squares and logistic regression, Hastie, Tibshirani & Friedman 2009 §3.2, §4.4;
 * softmax cross-entropy, Goodfellow, Bengio & Courville 2016 §6.2.2.3; the stable forms
 * log(1 + eᶻ) = max(z, 0) + log1p(e^−|z|) and logsumexp(s) = m + log Σ e^(s−m), m = max s,
 * are the standard ones (e.g. Blanchard, Higham & Higham 2021, "Accurately computing the
 * log-sum-exp and softmax functions"). The order of operations is mirrored by reference/objectives.
 */
import { checkBatch, checkFinite, checkInt, checkPoint } from './check.js';
import type { FiniteSumObjective, Reduction } from './types.js';

export interface DataOptions {
  /** Features, N × d, row-major (with the bias column already appended if wanted). */
  X: Float64Array;
  /** One label / target per row. */
  y: Float64Array;
  /** Features per row. */
  features: number;
  /** 'mean' (default) or 'sum' over the examples of a batch. */
  reduction?: Reduction;
}

const LSQ = 0;
const LOGISTIC = 1;
const SIGMOID_SE = 2;
type LinkKind = typeof LSQ | typeof LOGISTIC | typeof SIGMOID_SE;

/** dℓ/dz of the last `linkLoss` call (a module slot, so the hot loop allocates nothing). */
let dzOut = 0;

/** σ(z) = 1/(1 + e^−z), evaluated without overflow on both sides. */
export function sigmoid(z: number): number {
  // Equivalent mutant (z > 0): at z = 0 both forms give 1/2 exactly (1/(1 + 1) and 1/(1 + 1)).
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** Loss of one example with score z and label y; leaves dℓ/dz in dzOut. */
function linkLoss(kind: LinkKind, z: number, y: number): number {
  if (kind === LSQ) {
    const r = z - y;
    dzOut = r;
    return 0.5 * (r * r);
  }
  const s = sigmoid(z);
  if (kind === LOGISTIC) {
    // ℓ = log(1 + eᶻ) − yz, dℓ/dz = σ(z) − y.
    dzOut = s - y;
    // Equivalent mutant (z >= 0): at z = 0 both give m = 0.
    const m = z > 0 ? z : 0;
    return m + Math.log1p(Math.exp(-Math.abs(z))) - y * z;
  }
  // Seed 001: ℓ = e², e = σ(z) − y. dℓ/dz = 2e · σ(z)(1 − σ(z)). The seed's code computes
  // X.T.dot(error * sigmoid_deriv(preds)), i.e. e·σ(1 − σ) without the factor 2 of d(e²)/de, so
  // its "gradient" is half of the true one; we compute the true gradient (and the demo's step
  // at the same η is therefore twice the seed's).
  const e = s - y;
  dzOut = 2 * e * (s * (1 - s));
  return e * e;
}

function checkData(where: string, o: DataOptions): { N: number; d: number; reduction: Reduction } {
  if (typeof o !== 'object' || o === null)
    throw new TypeError(`${where}: options must be an object { X, y, features }`);
  checkInt(where, 'features', o.features, 1);
  if (!(o.X instanceof Float64Array))
    throw new TypeError(`${where}: X must be a Float64Array (N × features, row-major)`);
  if (!(o.y instanceof Float64Array)) throw new TypeError(`${where}: y must be a Float64Array (one label per row)`);
  const d = o.features;
  if (o.X.length === 0 || o.X.length % d !== 0)
    throw new RangeError(`${where}: X.length = ${o.X.length}; allowed: a positive multiple of features = ${d}`);
  const N = o.X.length / d;
  if (o.y.length !== N)
    throw new RangeError(`${where}: y.length = ${o.y.length}; allowed: N = X.length / features = ${N}`);
  checkFinite(where, 'X', o.X);
  checkFinite(where, 'y', o.y);
  const reduction = o.reduction ?? 'mean';
  if (reduction !== 'mean' && reduction !== 'sum')
    throw new RangeError(`${where}: reduction = ${String(reduction)}; allowed: 'mean' or 'sum'`);
  return { N, d, reduction };
}

interface FiniteSumSpec {
  name: string;
  title: string;
  source: string;
  dim: number;
  N: number;
  reduction: Reduction;
  convex: boolean;
  domain: { lo: number; hi: number };
  data: FiniteSumObjective['data'];
  /** The unchecked batch kernel. */
  batch(x: Float64Array, idx: Uint32Array, from: number, to: number, g: Float64Array | undefined): number;
}

/** Wraps a batch kernel with the checks, and value/grad as the batch of every example in order. */
function defineFiniteSum(s: FiniteSumSpec): FiniteSumObjective {
  const all = new Uint32Array(s.N);
  // Equivalent mutant (i <= s.N): all[N] is past the Uint32Array's end, so the write is dropped.
  for (let i = 0; i < s.N; i++) all[i] = i;
  const kernel = s.batch;
  const { batch: _omit, N, ...rest } = s;
  return Object.freeze({
    ...rest,
    examples: N,
    value(x: Float64Array): number {
      checkPoint(`${s.name}.value`, x, s.dim);
      return kernel(x, all, 0, N, undefined);
    },
    grad(x: Float64Array, g: Float64Array): number {
      checkPoint(`${s.name}.grad`, x, s.dim, g);
      return kernel(x, all, 0, N, g);
    },
    batch(x: Float64Array, idx: Uint32Array, from: number, to: number, g?: Float64Array): number {
      checkPoint(`${s.name}.batch`, x, s.dim, g);
      checkBatch(`${s.name}.batch`, idx, from, to);
      return kernel(x, idx, from, to, g);
    },
  });
}

function linearModel(
  kind: LinkKind,
  name: string,
  title: string,
  source: string,
  convex: boolean,
  o: DataOptions,
): FiniteSumObjective {
  const { N, d, reduction } = checkData(name, o);
  if (kind !== LSQ) {
    for (let i = 0; i < N; i++) {
      const v = o.y[i]!;
      if (!(v >= 0 && v <= 1))
        throw new RangeError(`${name}: y[${i}] = ${v}; allowed: 0 ≤ y ≤ 1 (a class label 0/1 or a probability)`);
    }
  }
  const X = o.X;
  const y = o.y;
  const mean = reduction === 'mean';
  return defineFiniteSum({
    name,
    title,
    source,
    dim: d,
    N,
    reduction,
    convex,
    domain: { lo: -3, hi: 3 },
    data: { X, y, features: d, examples: N, reduction },
    batch(w, idx, from, to, g) {
      let acc = 0;
      if (g) g.fill(0);
      for (let k = from; k < to; k++) {
        const r = idx[k]!;
        if (r >= N) throw new RangeError(`${name}.batch: idx[${k}] = ${r}; allowed: 0 ≤ index < ${N}`);
        const off = r * d;
        let z = 0;
        for (let j = 0; j < d; j++) z += w[j]! * X[off + j]!;
        acc += linkLoss(kind, z, y[r]!);
        if (g) {
          const dz = dzOut;
          // Equivalent mutant (j <= d): g[d] is past the end of g (length d), so the write is dropped.
          for (let j = 0; j < d; j++) g[j] = g[j]! + dz * X[off + j]!;
        }
      }
      if (mean) {
        const c = to - from;
        // Equivalent mutant (j <= d): g[d] is past the end of g (length d), so the write is dropped.
        if (g) for (let j = 0; j < d; j++) g[j] = g[j]! / c;
        return acc / c;
      }
      return acc;
    },
  });
}

/** ℓ_i(w) = ½ (x_iᵀw − y_i)². Convex. */
export function leastSquares(o: DataOptions): FiniteSumObjective {
  return linearModel(LSQ, 'leastSquares', 'linear least squares', 'Hastie, Tibshirani & Friedman 2009, §3.2', true, o);
}

/** ℓ_i(w) = log(1 + e^{z_i}) − y_i z_i, z_i = x_iᵀw, y_i ∈ [0, 1] (binary cross-entropy). Convex. */
export function logisticRegression(o: DataOptions): FiniteSumObjective {
  return linearModel(
    LOGISTIC,
    'logisticRegression',
    'logistic regression (cross-entropy)',
    'Hastie, Tibshirani & Friedman 2009, §4.4',
    true,
    o,
  );
}

/** Seed 001's loss: ℓ_i(w) = (σ(x_iᵀw) − y_i)². Not convex. Gradient 2(σ − y)σ(1 − σ) x_i. */
export function sigmoidSquaredError(o: DataOptions): FiniteSumObjective {
  return linearModel(
    SIGMOID_SE,
    'sigmoidSquaredError',
    'sigmoid with squared error (seed 001)',
    'seed 001 (PyImageSearch, gradient_descent.py), gradient corrected',
    false,
    o,
  );
}

/**
 * Softmax cross-entropy over C classes: W is features × C (row-major, W[j·C + c]), scores
 * s = x_iᵀW, ℓ_i = logsumexp(s) − s_{y_i}; ∂ℓ_i/∂W[j, c] = x_ij (p_c − [c = y_i]), p = softmax(s).
 * y holds class indices 0 … C − 1. Convex.
 */
export function softmaxCrossEntropy(o: DataOptions & { classes: number }): FiniteSumObjective {
  const name = 'softmaxCrossEntropy';
  const { N, d, reduction } = checkData(name, o);
  checkInt(name, 'classes', o.classes, 2);
  const C = o.classes;
  for (let i = 0; i < N; i++) {
    const v = o.y[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= C)
      throw new RangeError(`${name}: y[${i}] = ${v}; allowed: a class index 0 … ${C - 1}`);
  }
  const X = o.X;
  const y = o.y;
  const p = new Float64Array(C);
  const mean = reduction === 'mean';
  return defineFiniteSum({
    name,
    title: `softmax cross-entropy (${C} classes)`,
    source: 'Goodfellow, Bengio & Courville 2016, §6.2.2.3',
    dim: d * C,
    N,
    reduction,
    convex: true,
    domain: { lo: -3, hi: 3 },
    data: { X, y, features: d, examples: N, classes: C, reduction },
    batch(W, idx, from, to, g) {
      let acc = 0;
      if (g) g.fill(0);
      for (let k = from; k < to; k++) {
        const r = idx[k]!;
        if (r >= N) throw new RangeError(`${name}.batch: idx[${k}] = ${r}; allowed: 0 ≤ index < ${N}`);
        const off = r * d;
        p.fill(0);
        for (let j = 0; j < d; j++) {
          const xj = X[off + j]!;
          // Equivalent mutant (c <= C): p[C] is past the end of p (length C), so the write is dropped.
          for (let c = 0; c < C; c++) p[c] = p[c]! + xj * W[j * C + c]!;
        }
        const yc = y[r]!;
        const sy = p[yc]!;
        let m = -Infinity;
        // Equivalent mutants: c <= C (p[C] is undefined, and undefined > m is false) and p[c] >= m (the same maximum).
        for (let c = 0; c < C; c++) if (p[c]! > m) m = p[c]!;
        let se = 0;
        for (let c = 0; c < C; c++) {
          const e = Math.exp(p[c]! - m);
          p[c] = e;
          se += e;
        }
        acc += Math.log(se) + m - sy;
        if (g) {
          // Equivalent mutant (c <= C): p[C] is past the end of p (length C), so the write is dropped.
          for (let c = 0; c < C; c++) p[c] = p[c]! / se - (c === yc ? 1 : 0);
          // Equivalent mutant (j <= d): the pass for j = d writes g[d·C + c], past the end of g (length d·C): dropped.
          for (let j = 0; j < d; j++) {
            const xj = X[off + j]!;
            for (let c = 0; c < C; c++) g[j * C + c] = g[j * C + c]! + xj * p[c]!;
          }
        }
      }
      if (mean) {
        const c = to - from;
        // Equivalent mutant (j <= d·C): g[d·C] is past the end of g (length d·C), so the write is dropped.
        if (g) for (let j = 0; j < d * C; j++) g[j] = g[j]! / c;
        return acc / c;
      }
      return acc;
    },
  });
}
