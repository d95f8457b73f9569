/**
 * A: gradients of every objective in the catalogue (docs/laws.md, A). One case per
 * objective, so a new catalogue entry is covered with no edit here.
 *
 * Points are drawn uniformly in the objective's domain box (a 2^30-step grid over [lo, hi]; not
 * fc.double, whose distribution piles up near zero and on subnormals), the instance (dimension,
 * matrix, data) from a seed.
 */
import fc from 'fast-check';
import { gradientCheck } from '../../src/gradient/index.js';
import { objectiveCatalogue, type CatalogueEntry } from '../../src/objectives/index.js';
import type { Objective } from '../../src/objectives/types.js';
import { fromDouble } from '../../reference/decimal.js';
import { referenceFor, type T } from '../../reference/objectives/index.js';
import { must, type StandaloneLaw } from '../framework.js';

const U = 2 ** -53;
const GRID = 2 ** 30;

export interface ObjectivePoint {
  seed: number;
  /** Coordinates in [0, 1], mapped to the domain box. */
  t: number[];
}

/** An instance seed and a point of the instance's domain (as fractions of the box). */
export function objectivePoint(entry: CatalogueEntry): fc.Arbitrary<ObjectivePoint> {
  return fc.integer({ min: 0, max: 1_000_000 }).chain((seed) => {
    const dim = entry.make(seed).dim;
    return fc.record({
      seed: fc.constant(seed),
      t: fc.array(
        fc.integer({ min: 0, max: GRID }).map((k) => k / GRID),
        { minLength: dim, maxLength: dim },
      ),
    });
  });
}

export function instantiate(entry: CatalogueEntry, p: ObjectivePoint): { o: Objective; x: Float64Array } {
  const o = entry.make(p.seed);
  const { lo, hi } = o.domain;
  return { o, x: Float64Array.from(p.t, (t) => lo + (hi - lo) * t) };
}

/**
 * A1's criterion. Richardson extrapolation (truncation O(h⁴), h ≈ u^{1/5}|x|) against the
 * analytic gradient; relative error ≤ 1e-7, CS231n's "be happy" level for smooth functions.
 * Coordinates whose gradient is below 1e-5·max(1, |f|) are judged absolutely instead
 * (tiny = 1e-5·max(1, |f|), so |a − n| ≤ 1e-12·max(1, |f|)): there the numeric derivative is
 * dominated by rounding in f, about 3u|f|/h·(4/3·2 + 1/3) ≈ 5e-13|f| with h ≈ u^{1/5}, so no
 * finite-difference scheme can resolve a relative error of 1e-7 on such a coordinate.
 */
export const A1_THRESHOLD = 1e-7;
export function a1Check(o: Objective, x: Float64Array): ReturnType<typeof gradientCheck> {
  const tiny = 1e-5 * Math.max(1, Math.abs(o.value(x)));
  return gradientCheck(o, x, { method: 'richardson', tiny, threshold: A1_THRESHOLD });
}

/**
 * A2's criterion: |core − exact| ≤ (1 + 2^-20) · E · u per value and gradient coordinate, E the
 * running-error bound of the same evaluation order (reference/objectives/tracked.ts); the factor
 * covers the second-order terms the first-order model drops. Returns the worst |core − exact| / (E·u)
 * ("K", ≤ 1 when the law holds; 0/0 counts as 0).
 */
export function a2Worst(o: Objective, x: Float64Array): { k: number; where: string } {
  const g = new Float64Array(o.dim);
  const v = o.grad(x, g);
  const vOnly = o.value(x);
  const ref = referenceFor(o).evaluate(x);
  let worst = { k: 0, where: '' };
  const judge = (where: string, core: number, exact: T): void => {
    // fromDouble: the core's double exactly (a bare number would enter decimal.js as its shortest string).
    const err = exact.v.minus(fromDouble(core)).abs().toNumber();
    const bound = exact.e.toNumber() * U;
    const k = err === 0 ? 0 : err / bound;
    if (!(k <= worst.k)) worst = { k, where: `${where}: core ${core}, exact ${String(exact.v)}, bound E·u = ${bound}` };
  };
  judge('value (grad)', v, ref.value);
  judge('value', vOnly, ref.value);
  for (let i = 0; i < o.dim; i++) judge(`grad[${i}]`, g[i]!, ref.grad[i]!);
  return worst;
}

export const A2_K = 1 + 2 ** -20;

const a1 = (entry: CatalogueEntry): StandaloneLaw => ({
  id: 'A1',
  title: 'numeric (Richardson) and analytic gradients agree: relative error ≤ 1e-7 per coordinate',
  tolerance:
    'relative 1e-7 per coordinate (Richardson extrapolation, truncation O(h⁴)); below 1e-5·max(1, |f|) absolute 1e-12·max(1, |f|), where rounding in f dominates any finite difference',
  subject: entry.name,
  runs: 60,
  property: () =>
    fc.property(objectivePoint(entry), (p) => {
      const { o, x } = instantiate(entry, p);
      const r = a1Check(o, x);
      must(
        r.ok,
        () =>
          `worst relative error ${r.worst} at [${r.worstIndex}] > ${A1_THRESHOLD}: analytic ${r.analytic[r.worstIndex]}, numeric ${r.numeric[r.worstIndex]}, x = [${Array.from(x).join(', ')}]`,
      );
      return true;
    }),
});

const a2 = (entry: CatalogueEntry): StandaloneLaw => ({
  id: 'A2',
  title: 'float64 value and gradient within their running-error bound of the 50-digit reference',
  tolerance:
    '(1 + 2^-20)·E·u, E the running-error bound of the same evaluation order (reference/objectives/tracked.ts); the factor covers second-order terms',
  subject: entry.name,
  runs: 25,
  property: () =>
    fc.property(objectivePoint(entry), (p) => {
      const { o, x } = instantiate(entry, p);
      const w = a2Worst(o, x);
      must(
        w.k <= A2_K,
        () => `|core − exact| = ${w.k} × E·u > ${A2_K} × E·u at ${w.where}; x = [${Array.from(x).join(', ')}]`,
      );
      return true;
    }),
});

export const objectiveLaws: StandaloneLaw[] = [...objectiveCatalogue.map(a1), ...objectiveCatalogue.map(a2)];
