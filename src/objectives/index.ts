/**
 * The objective catalogue: every objective with a seeded small instance, so laws cover each one
 * (A1, A2) with no per-objective edits. Adding an objective = its file, its reference, one line.
 */
import { makeBlobs } from '../data/datasets.js';
import { makeRng } from '../data/random.js';
import { beale, booth, diagonalQuadratic, himmelblau, rosenbrock, saddle, styblinskiTang } from './functions.js';
import { leastSquares, logisticRegression, sigmoidSquaredError, softmaxCrossEntropy } from './linear.js';
import { quadratic } from './quadratic.js';
import type { Objective, Reduction } from './types.js';

export interface CatalogueEntry {
  name: string;
  /** A small instance: dimension and data drawn from `seed` (instances of one seed are equal). */
  make(seed: number, reduction?: Reduction): Objective;
}

/** N rows of d features ~ N(0, 1) plus a bias column: seeded regression inputs. */
function gaussianRows(seed: number, N: number, d: number): { X: Float64Array; rng: ReturnType<typeof makeRng> } {
  // Equivalent mutant (the stream name ''): another stream gives other seeded N(0, 1) rows and targets, of the same law.
  const rng = makeRng(seed, 'catalogue');
  const X = new Float64Array(N * (d + 1));
  // Equivalent mutant, in law (i <= N): the pass for i = N writes past the end of X (dropped), and the targets
  // drawn after it are other independent N(0, 1) draws.
  for (let i = 0; i < N; i++) {
    // Equivalent mutant, in law (j <= d): the extra draw lands in the bias slot, which is set to 1 next; every
    // later draw is still an independent N(0, 1).
    for (let j = 0; j < d; j++) X[i * (d + 1) + j] = rng.normal();
    X[i * (d + 1) + d] = 1;
  }
  return { X, rng };
}

/** Dimension 2 … 5 from the seed (for the n-dimensional functions). */
const dimOf = (seed: number): number => 2 + (Math.abs(seed) % 4);

export const objectiveCatalogue: readonly CatalogueEntry[] = [
  { name: 'quadratic', make: (s) => quadratic({ n: dimOf(s), mu: 0.5, L: 50, seed: s }) },
  { name: 'diagonalQuadratic', make: (s) => diagonalQuadratic(dimOf(s), 1e4) },
  { name: 'rosenbrock', make: (s) => rosenbrock(dimOf(s)) },
  { name: 'beale', make: () => beale() },
  { name: 'booth', make: () => booth() },
  { name: 'himmelblau', make: () => himmelblau() },
  { name: 'styblinskiTang', make: (s) => styblinskiTang(dimOf(s)) },
  { name: 'saddle', make: () => saddle() },
  {
    name: 'leastSquares',
    make: (s, reduction) => {
      const { X, rng } = gaussianRows(s, 8, 3);
      // Equivalent mutant (`3 / rng.normal()`, 3/z for 3z): other finite seeded targets, another valid instance; the catalogue promises an
      // instance per seed for the laws (A1, A2 and the finite-sum tests hold for any finite data), not the targets' law.
      const y = Float64Array.from({ length: 8 }, () => 3 * rng.normal());
      return leastSquares({ X, y, features: 4, reduction });
    },
  },
  {
    name: 'logisticRegression',
    make: (s, reduction) => {
      // Equivalent mutant (+2 for −2 in centerBox): the box [2, 2] puts both centres at (2, 2, 2), another valid
      // instance (labels, features and the laws A1, A2 and the finite-sum tests as for any data), not another objective.
      const b = makeBlobs({ samples: 8, features: 3, centers: 2, std: 2, centerBox: [-2, 2], seed: s });
      return logisticRegression({ X: b.X, y: b.y, features: 3, reduction });
    },
  },
  {
    name: 'softmaxCrossEntropy',
    make: (s, reduction) => {
      // Equivalent mutant (+2 for −2 in centerBox): all three centres at (2, 2), another valid instance (as above).
      const b = makeBlobs({ samples: 9, features: 2, centers: 3, std: 2, centerBox: [-2, 2], seed: s });
      return softmaxCrossEntropy({ X: b.X, y: b.y, features: 2, classes: 3, reduction });
    },
  },
  {
    name: 'sigmoidSquaredError',
    make: (s, reduction) => {
      // Equivalent mutant (+2 for −2 in centerBox): both centres at (2, 2, 2), another valid instance (as above).
      const b = makeBlobs({ samples: 8, features: 3, centers: 2, std: 2, centerBox: [-2, 2], seed: s });
      return sigmoidSquaredError({ X: b.X, y: b.y, features: 3, reduction });
    },
  },
];

export { beale, booth, diagonalQuadratic, himmelblau, rosenbrock, saddle, styblinskiTang } from './functions.js';
export {
  leastSquares,
  logisticRegression,
  sigmoidSquaredError,
  softmaxCrossEntropy,
  sigmoid,
  type DataOptions,
} from './linear.js';
export { quadratic, type QuadraticOptions } from './quadratic.js';
export { isFiniteSum, type Objective, type FiniteSumObjective, type Reduction, type ObjectiveData } from './types.js';
