/**
 * 'optimlab.convergence/1': the convergence runs (benchmarks/convergence.ts runConvergence,
 * documented in benchmarks/CONVERGENCE.md) that the report draws as loss curves, trajectories on
 * contour plots, and the blobs demo.
 *
 * Sizes are bounded (a crafted file must not make the report compute contours for minutes): a
 * grid has 2 to GRID_MAX points per side and its values fill it exactly; a document holds at most
 * CELLS_MAX grid values and POINTS_MAX curve and path points in all. The producer's grids are
 * 101 × 71 at most, its paths 400 points.
 */
import { arr, nullable, num, obj, oneOf, str, tagged, tuple, type Infer } from './check.js';
import { name } from './verify.js';

export const CONVERGENCE_SCHEMA = 'optimlab.convergence/1' as const;
export const GRID_MAX = 250;
export const CELLS_MAX = 250_000;
export const POINTS_MAX = 100_000;

const point = tuple([num(), num()]);

/** Function values on a rectangle, row-major: values[j·nx + i] = f(x0 + i·dx, y0 + j·dy). */
export const grid = obj(
  {
    x0: num(),
    x1: num(),
    y0: num(),
    y1: num(),
    nx: num({ int: true, min: 2, max: GRID_MAX }),
    ny: num({ int: true, min: 2, max: GRID_MAX }),
    values: arr(num(), { max: GRID_MAX * GRID_MAX }),
  },
  (g, at) => {
    const f = (k: string): string => (at === '' ? k : `${at}.${k}`);
    if (g.values.length !== g.nx * g.ny)
      return {
        field: f('values'),
        found: `an array of ${g.values.length}`,
        expected: `nx × ny = ${g.nx} × ${g.ny} = ${g.nx * g.ny} values`,
      };
    const w = g.x1 - g.x0;
    const h = g.y1 - g.y0;
    if (!(w > 0 && Number.isFinite(w)))
      return {
        field: f('x1'),
        found: `${g.x1} with x0 = ${g.x0}`,
        expected: 'x1 > x0 (a rectangle of positive width)',
      };
    if (!(h > 0 && Number.isFinite(h)))
      return {
        field: f('y1'),
        found: `${g.y1} with y0 = ${g.y0}`,
        expected: 'y1 > y0 (a rectangle of positive height)',
      };
    if (h / w > 20 || w / h > 20)
      return {
        field: f('y1'),
        found: `a rectangle ${w} wide and ${h} high`,
        expected: 'a height between 1/20 and 20 times the width (the chart keeps the aspect ratio)',
      };
    return undefined;
  },
);
export type Grid = Infer<typeof grid>;

const rate = oneOf('tuned', 'stated');

export const optimizerCurve = obj({
  optimizer: name(),
  lr: num({ min: 0 }),
  /** 'tuned': chosen from the rate grid; 'stated': the optimizer's default. */
  rate,
  /** Sampled points: f(θ_step) − f*. */
  curve: arr(obj({ step: num({ int: true, min: 0 }), gap: num() }), { max: 100_000 }),
  /** First step from which the gap stays ≤ target to the end of the run, or null. */
  stepsToTarget: nullable(num({ int: true, min: 0 })),
  /** null where the loss was not finite (JSON has no ∞). */
  finalLoss: nullable(num()),
  finalGap: nullable(num()),
  /** Step at which the loss became non-finite or exceeded 1e12 × its start, else null. */
  divergedAt: nullable(num({ int: true, min: 0 })),
});
export type OptimizerCurve = Infer<typeof optimizerCurve>;

export const objectiveResult = obj({
  name: name(),
  title: name(1000),
  dim: num({ int: true, min: 1 }),
  /** Minimum value (exact, or from Newton's method for logistic regression). */
  fStar: num(),
  fStarSource: str({ max: 1000 }),
  /** Target gap f − f* for "steps to target". */
  target: num({ min: 0 }),
  steps: num({ int: true, min: 0 }),
  start: arr(num(), { max: 100_000 }),
  runs: arr(optimizerCurve, { max: 1000 }),
});
export type ObjectiveResult = Infer<typeof objectiveResult>;

export const trajectoryResult = obj({
  name: name(),
  title: name(1000),
  formula: str({ max: 1000 }),
  grid,
  /** Contour levels suggested for this function ('log': log-spaced in f − min). */
  levels: oneOf('log', 'linear'),
  minima: arr(point, { max: 1000 }),
  start: point,
  steps: num({ int: true, min: 0 }),
  runs: arr(obj({ optimizer: name(), lr: num({ min: 0 }), rate, path: arr(point, { max: 100_000 }), final: point }), {
    max: 1000,
  }),
});
export type TrajectoryResult = Infer<typeof trajectoryResult>;

export const blobsResult = obj({
  status: oneOf('ok'),
  source: str({ max: 1000 }),
  optimizer: name(),
  lr: num({ min: 0 }),
  batchSize: num({ int: true, min: 1 }),
  epochs: num({ int: true, min: 0 }),
  points: arr(obj({ x: num(), y: num(), label: oneOf(0, 1) }), { max: 100_000 }),
  loss: arr(obj({ epoch: num({ int: true, min: 0 }), loss: num() }), { max: 100_000 }),
  accuracy: num({ min: 0, max: 1 }),
  weights: arr(num(), { max: 1000 }),
  /** Probability of class 1 on a grid. */
  grid,
});
export type BlobsResult = Infer<typeof blobsResult>;

const blobs = tagged('status', {
  ok: blobsResult,
  'not-available': obj({ status: oneOf('not-available'), reason: str({ max: 10_000 }) }),
});

export const convergenceShape = {
  schema: oneOf(CONVERGENCE_SCHEMA),
  createdAt: name(),
  seed: num({ int: true }),
  settings: obj({
    rateGrid: arr(num({ min: 0 }), { max: 1000 }),
    tuneBy: str({ max: 1000 }),
    dtype: oneOf('float64', 'float32'),
    optimizers: arr(name(), { max: 1000 }),
  }),
  objectives: arr(objectiveResult, { max: 1000 }),
  trajectories: arr(trajectoryResult, { max: 1000 }),
  blobs,
  /** Wall time of the runs, ms. */
  ms: num({ min: 0 }),
};

/** The document-wide size limits, for a convergence document (or a results document's part). */
export function convergenceSize(
  c: { trajectories: TrajectoryResult[]; objectives: ObjectiveResult[]; blobs: Infer<typeof blobs> },
  at: string,
): { field: string; found: string; expected: string } | undefined {
  const cells =
    c.trajectories.reduce((s, t) => s + t.grid.values.length, 0) +
    (c.blobs.status === 'ok' ? c.blobs.grid.values.length : 0);
  const points =
    c.trajectories.reduce((s, t) => s + t.runs.reduce((r, x) => r + x.path.length, 0), 0) +
    c.objectives.reduce((s, o) => s + o.runs.reduce((r, x) => r + x.curve.length, 0), 0);
  const f = (k: string): string => (at === '' ? k : `${at}.${k}`);
  if (cells > CELLS_MAX)
    return {
      field: f('trajectories'),
      found: `grids of ${cells} values in all`,
      expected: `at most ${CELLS_MAX} grid values in a document`,
    };
  if (points > POINTS_MAX)
    return {
      field: f('objectives'),
      found: `${points} curve and path points in all`,
      expected: `at most ${POINTS_MAX} points in a document`,
    };
  return undefined;
}

export const convergenceDoc = obj(convergenceShape, convergenceSize);
export type ConvergenceDoc = Infer<typeof convergenceDoc>;
