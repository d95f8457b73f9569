/**
 * Seeded data sets and the plumbing around them: Gaussian blobs, the bias trick, a train/test
 * split, and the per-epoch shuffle. Matrices are row-major Float64Arrays (N × d).
 */
import { checkInt, checkNumber } from '../objectives/check.js';
import { checkSeed, makeRng } from './random.js';

export interface Blobs {
  /** N × features, row-major. */
  X: Float64Array;
  /** Cluster index of each row, 0 … centers − 1. */
  y: Float64Array;
  /** centers × features, row-major. */
  centers: Float64Array;
  samples: number;
  features: number;
}

export interface BlobsOptions {
  samples: number;
  features?: number;
  /** Number of centres drawn uniformly in centerBox (default 2), or the centres themselves (rows). */
  centers?: number | readonly (readonly number[])[];
  /** Standard deviation of each blob (default 1). */
  std?: number;
  /** Box the random centres are drawn from (default [−10, 10], as scikit-learn's make_blobs). */
  centerBox?: readonly [number, number];
  /** Shuffle the rows (default true; otherwise blob by blob). */
  shuffle?: boolean;
  seed: number | string;
}

/**
 * Isotropic Gaussian blobs, after the description of scikit-learn's `make_blobs`: centres uniform
 * in centerBox, ⌊N/k⌋ points per centre with the remainder going one each to the first centres,
 * each point = centre + std · N(0, I), then an optional shuffle. The same seed gives the same set;
 * the numbers differ from scikit-learn's (another generator).
 */
export function makeBlobs(o: BlobsOptions): Blobs {
  const where = 'makeBlobs';
  if (typeof o !== 'object' || o === null)
    throw new TypeError(`${where}: options must be an object { samples, seed, … }`);
  checkInt(where, 'samples', o.samples, 1);
  checkSeed(where, o.seed);
  const std = o.std ?? 1;
  checkNumber(where, 'std', std, 0, 1e150);
  const [lo, hi] = o.centerBox ?? [-10, 10];
  checkNumber(where, 'centerBox[0]', lo, -1e150, 1e150);
  checkNumber(where, 'centerBox[1]', hi, lo, 1e150);
  // Equivalent mutant (the stream name ''): another stream gives other seeded numbers of the same law (centres
  // uniform, points normal); the shuffle keeps a stream of its own ('blobs-shuffle'), so the two stay independent.
  const rng = makeRng(o.seed, 'blobs');
  let k: number;
  let d: number;
  let centers: Float64Array;
  if (Array.isArray(o.centers)) {
    const rows = o.centers as readonly (readonly number[])[];
    k = rows.length;
    checkInt(where, 'centers.length', k, 1);
    d = rows[0]!.length;
    if (o.features !== undefined && o.features !== d)
      throw new RangeError(`${where}: features = ${o.features} but the centres have ${d} coordinates`);
    checkInt(where, 'centers[0].length', d, 1);
    centers = new Float64Array(k * d);
    rows.forEach((r, i) => {
      if (r.length !== d) throw new RangeError(`${where}: centers[${i}].length = ${r.length}; allowed: ${d}`);
      r.forEach((v, j) => {
        checkNumber(where, `centers[${i}][${j}]`, v, -1e150, 1e150);
        centers[i * d + j] = v;
      });
    });
  } else {
    k = (o.centers as number | undefined) ?? 2;
    checkInt(where, 'centers', k, 1, o.samples);
    d = o.features ?? 2;
    checkInt(where, 'features', d, 1);
    centers = new Float64Array(k * d);
    // Equivalent mutant (i <= k·d): the write past the end is dropped (typed array); the extra draw only
    // shifts the seeded stream, and the law of the set (centres uniform, points normal) is unchanged.
    for (let i = 0; i < k * d; i++) centers[i] = lo + (hi - lo) * rng.uniform();
  }
  const N = o.samples;
  const X = new Float64Array(N * d);
  const y = new Float64Array(N);
  let row = 0;
  // Equivalent mutant (c <= k): the counts of centres 0 … k − 1 add up to N, so a pass for c = k writes only rows
  // N, N + 1, … (past the ends of X and y: dropped) and draws normals after the last one kept.
  for (let c = 0; c < k; c++) {
    const count = Math.floor(N / k) + (c < N % k ? 1 : 0);
    for (let m = 0; m < count; m++, row++) {
      // Equivalent mutants: j <= d writes into the next row (overwritten by it) or past the end (dropped) and
      // skips one normal draw, the rest still independent N(0, 1); centre − std·z (`centers[c * d + j]! - std * rng.normal()`) has the law of centre + std·z (z symmetric).
      for (let j = 0; j < d; j++) X[row * d + j] = centers[c * d + j]! + std * rng.normal();
      y[row] = c;
    }
  }
  if (o.shuffle ?? true) {
    // Equivalent mutant (the stream name ''): any stream apart from 'blobs' gives a uniform shuffle independent of the points.
    const perm = permutation(N, o.seed, 'blobs-shuffle');
    return { ...gatherRows({ X, y, features: d }, perm), centers, samples: N, features: d };
  }
  return { X, y, centers, samples: N, features: d };
}

/** The bias trick: appends a column of ones (the last feature), so w's last entry is the bias. */
export function addBias(X: Float64Array, features: number): Float64Array {
  checkInt('addBias', 'features', features, 1);
  if (!(X instanceof Float64Array) || X.length % features !== 0) {
    throw new RangeError(`addBias: X must be a Float64Array whose length is a multiple of features = ${features}`);
  }
  const N = X.length / features;
  const out = new Float64Array(N * (features + 1));
  // Equivalent mutant (i <= N): the extra row is empty (set of nothing at the end, write past the end dropped).
  for (let i = 0; i < N; i++) {
    out.set(X.subarray(i * features, (i + 1) * features), i * (features + 1));
    out[i * (features + 1) + features] = 1;
  }
  return out;
}

/**
 * Fisher–Yates (Durstenfeld's in-place form; Knuth, TAOCP vol. 2, §3.4.2, Algorithm P): shuffles
 * a[0..n) with uniform draws from `uniform`, each of the n! orders equally likely.
 */
export function fisherYates(a: Uint32Array, uniform: () => number): Uint32Array {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a;
}

/**
 * A seeded permutation of 0 … n − 1. It depends only on (seed, stream), so epoch e's shuffle is
 * `permutation(n, seed, 'epoch:' + e)`: repeatable, and independent of the epochs before it.
 * Writes into `out` when given (no allocation).
 */
export function permutation(n: number, seed: number | string, stream = '', out?: Uint32Array): Uint32Array {
  checkInt('permutation', 'n', n, 0, 2 ** 32 - 1);
  checkSeed('permutation', seed);
  if (out !== undefined && (!(out instanceof Uint32Array) || out.length !== n)) {
    throw new RangeError(`permutation: out must be a Uint32Array of length n = ${n}`);
  }
  const a = out ?? new Uint32Array(n);
  // Equivalent mutant (i <= n): a[n] = n is past the end and dropped (typed array).
  for (let i = 0; i < n; i++) a[i] = i;
  const rng = makeRng(seed, stream);
  return fisherYates(a, rng.uniform);
}

/** The shuffle of one epoch (training loops): `permutation(n, seed, 'epoch:' + epoch, out)`. */
export function epochShuffle(n: number, seed: number | string, epoch: number, out?: Uint32Array): Uint32Array {
  checkInt('epochShuffle', 'epoch', epoch, 0);
  return permutation(n, seed, `epoch:${epoch}`, out);
}

export interface Split {
  /** Row indices of each part, in shuffled order. */
  train: Uint32Array;
  test: Uint32Array;
}

/**
 * A seeded train/test split of n rows: a permutation, the first ⌈n · testFraction⌉ rows (as
 * scikit-learn's train_test_split rounds the test part up) go to test, the rest to train.
 */
export function trainTestSplit(n: number, testFraction: number, seed: number | string): Split {
  checkInt('trainTestSplit', 'n', n, 2);
  checkNumber('trainTestSplit', 'testFraction', testFraction, 0, 1, true);
  // Equivalent mutant (the stream name ''): another stream gives another uniformly random permutation, so another
  // split with the same law (each set of ⌈n · testFraction⌉ rows equally likely to be the test part).
  const perm = permutation(n, seed, 'split');
  const nTest = Math.min(n - 1, Math.max(1, Math.ceil(n * testFraction)));
  return { test: perm.slice(0, nTest), train: perm.slice(nTest) };
}

/** The rows `idx` of (X, y), in that order. */
export function gatherRows(
  data: { X: Float64Array; y: Float64Array; features: number },
  idx: Uint32Array,
): { X: Float64Array; y: Float64Array } {
  const d = data.features;
  const N = data.y.length;
  const X = new Float64Array(idx.length * d);
  const y = new Float64Array(idx.length);
  // Equivalent mutant (k <= idx.length): idx[idx.length] is undefined, so the extra pass copies an empty
  // subarray to the end of X and writes y past its end (dropped).
  for (let k = 0; k < idx.length; k++) {
    const r = idx[k]!;
    if (r >= N) throw new RangeError(`gatherRows: idx[${k}] = ${r}; allowed: 0 ≤ index < ${N}`);
    X.set(data.X.subarray(r * d, (r + 1) * d), k * d);
    y[k] = data.y[r]!;
  }
  return { X, y };
}
