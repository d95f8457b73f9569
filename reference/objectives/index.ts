/**
 * The objectives' reference, name for name with src/objectives: `referenceFor(objective)` rebuilds
 * the same function from the objective's name and data (its matrices and labels exactly as the
 * core holds them) and evaluates value and gradient in tracked decimals: exact to 50 digits, each
 * with float64's first-order error bound in units of u (./tracked.ts).
 */
import type { Objective } from '../../src/objectives/types.js';
import * as F from './functions.js';
import type { RefResult } from './functions.js';
import * as Lin from './linear.js';
import { vec } from './tracked.js';

export type { RefResult } from './functions.js';
export { T } from './tracked.js';

export interface RefObjective {
  name: string;
  dim: number;
  /** Value and gradient at x (doubles, taken exactly). */
  evaluate(x: ArrayLike<number>): RefResult;
}

type Builder = (o: Objective) => (x: ReturnType<typeof vec>) => RefResult;

const builders: Record<string, Builder> = {
  rosenbrock: () => F.rosenbrock,
  beale: () => F.beale,
  booth: () => F.booth,
  himmelblau: () => F.himmelblau,
  styblinskiTang: () => F.styblinskiTang,
  saddle: () => F.saddle,
  diagonalQuadratic: (o) => (x) => F.diagonalQuadratic(x, o.data.d as Float64Array),
  quadratic: (o) => (x) => F.quadratic(x, o.data.A as Float64Array, o.data.b as Float64Array),
  leastSquares: (o) => (x) => Lin.leastSquares(x, o.data as unknown as Lin.RefData),
  logisticRegression: (o) => (x) => Lin.logisticRegression(x, o.data as unknown as Lin.RefData),
  sigmoidSquaredError: (o) => (x) => Lin.sigmoidSquaredError(x, o.data as unknown as Lin.RefData),
  softmaxCrossEntropy: (o) => (x) => Lin.softmaxCrossEntropy(x, o.data as unknown as Lin.RefData & { classes: number }),
};

/** Every objective name the reference knows (the catalogue's, checked by a unit test). */
export const referenceNames: readonly string[] = Object.keys(builders);

export function referenceFor(o: Objective): RefObjective {
  const b = builders[o.name];
  if (!b)
    throw new RangeError(`referenceFor: no reference for objective '${o.name}'; known: ${referenceNames.join(', ')}`);
  const f = b(o);
  return {
    name: o.name,
    dim: o.dim,
    evaluate(x) {
      if (x.length !== o.dim) throw new RangeError(`${o.name} reference: x.length = ${x.length}; allowed: ${o.dim}`);
      return f(vec(x));
    },
  };
}
