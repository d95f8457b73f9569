/**
 * The blobs demo's set-up, in one place for `optimlab demo blobs` (src/commands/demo.ts) and the
 * report's blobs section (benchmarks/convergence.ts): seed 001's experiment. 1,000 two-dimensional
 * points in two Gaussian blobs (std 1.5), the bias trick (a column of ones, so the last weight is
 * the bias), a seeded 50/50 split, W ~ N(0, 1), and the sigmoid/squared-error loss summed over the
 * training examples.
 *
 * The default seed is 2: its centres are 16.6 apart, linearly separable like the seed's data
 * (scikit-learn's random_state=1 blobs). Seed 1 draws centres 4.7 apart, which overlap at std 1.5:
 * no line separates them.
 */
import { addBias, gatherRows, makeBlobs, trainTestSplit, type Blobs } from '../data/datasets.js';
import { makeRng } from '../data/random.js';
import { sigmoid, sigmoidSquaredError } from '../objectives/linear.js';

/** The demo's defaults (its --help and the report's blobs section state them). */
export const BLOBS_DEMO = { samples: 1000, std: 1.5, seed: 2, optimizer: 'sgd', lr: 0.01, epochs: 100 } as const;

export interface BlobsSetup {
  /** The points and labels as drawn (without the bias column). */
  blobs: Blobs;
  train: { X: Float64Array; y: Float64Array };
  test: { X: Float64Array; y: Float64Array };
  /** Features per row of train.X and test.X: x, y and the bias column. */
  features: 3;
  /** Sigmoid + squared error summed over the training half. */
  objective: ReturnType<typeof sigmoidSquaredError>;
  /** Initial weights (w_x, w_y, bias) ~ N(0, 1). */
  W0: Float64Array;
}

export function blobsSetup(seed: number = BLOBS_DEMO.seed): BlobsSetup {
  const blobs = makeBlobs({ samples: BLOBS_DEMO.samples, features: 2, centers: 2, std: BLOBS_DEMO.std, seed });
  const data = { X: addBias(blobs.X, 2), y: blobs.y, features: 3 };
  const split = trainTestSplit(BLOBS_DEMO.samples, 0.5, seed);
  const train = gatherRows(data, split.train);
  const test = gatherRows(data, split.test);
  const objective = sigmoidSquaredError({ X: train.X, y: train.y, features: 3, reduction: 'sum' });
  const rng = makeRng(seed, 'init');
  const W0 = Float64Array.from({ length: 3 }, () => rng.normal());
  return { blobs, train, test, features: 3, objective, W0 };
}

/** The predicted probability of class 1 at (x, y) under weights W = (w_x, w_y, bias). */
export function blobsProbability(W: ArrayLike<number>, x: number, y: number): number {
  return sigmoid(W[0]! * x + W[1]! * y + W[2]!);
}

/** Predicted classes (probability > 0.5) of the rows of X (x, y, 1). */
export function blobsPredict(W: ArrayLike<number>, X: Float64Array): Float64Array {
  const out = new Float64Array(X.length / 3);
  for (let i = 0; i < out.length; i++) out[i] = blobsProbability(W, X[i * 3]!, X[i * 3 + 1]!) > 0.5 ? 1 : 0;
  return out;
}
