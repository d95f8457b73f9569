/**
 * Convergence runs for the published report (issue 7): every optimizer in the registry on a few
 * classic problems, written as JSON (schema 'optimlab.convergence/1', documented in
 * benchmarks/CONVERGENCE.md) that src/report reads. Deterministic: data come from a seeded
 * generator, starts are fixed, and the rate search is a fixed grid.
 *
 * - loss curves: f(θ_t) − f* per step on Rosenbrock, Beale, an ill-conditioned quadratic and a
 *   logistic regression (src/objectives), each optimizer at the rate from RATE_GRID that reaches
 *   the target in the fewest steps (else: the lowest final loss), "tuned";
 * - trajectories: the 2-D paths over a grid of function values (for contour plots) on Beale,
 *   Rosenbrock (the tuned rates) and the x² − y² saddle (stated rates: each optimizer's defaults);
 * - blobs: `optimlab demo blobs` with its defaults (src/data, src/objectives, src/train): loss per
 *   epoch and the predicted probability on a grid (its 0.5 level is the decision boundary).
 */
import { addBias, makeBlobs } from '../src/data/datasets.js';
import {
  beale as bealeObjective,
  logisticRegression,
  quadratic,
  rosenbrock as rosenbrockObjective,
  saddle as saddleObjective,
  type Objective,
} from '../src/objectives/index.js';
import { BLOBS_DEMO, blobsPredict, blobsProbability, blobsSetup } from '../src/demo/blobs.js';
import { createOptimizer, registry } from '../src/optimizers/registry.js';
import type { OptimizerEntry } from '../src/optimizers/define.js';
import type { Hyper, Optimizer } from '../src/optimizers/types.js';
import { train } from '../src/train/index.js';
import {
  CONVERGENCE_SCHEMA,
  type BlobsResult,
  type ConvergenceDoc,
  type Grid,
  type ObjectiveResult,
  type OptimizerCurve,
  type TrajectoryResult,
} from '../src/schema/convergence.js';

export { CONVERGENCE_SCHEMA };

/** Rates searched per optimizer and objective ("tuned"). */
export const RATE_GRID = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1, 3] as const;

// The document's types (and the validator the report applies) live in src/schema/convergence.ts.
export type {
  BlobsResult,
  Grid,
  ObjectiveResult,
  OptimizerCurve,
  TrajectoryResult,
} from '../src/schema/convergence.js';
/** The document runConvergence returns: schema 'optimlab.convergence/1'. */
export type ConvergenceResults = ConvergenceDoc;
type CurvePoint = OptimizerCurve['curve'][number];

interface Problem {
  name: string;
  title: string;
  dim: number;
  /** Writes ∇f(x) into g and returns f(x). */
  fg(x: Float64Array, g: Float64Array): number;
}

// --- the problems (float64, from src/objectives) ------------------------------------------------

function fromObjective(o: Objective, name: string, title: string): Problem {
  return { name, title, dim: o.dim, fg: (x, g) => o.grad(x, g) };
}

const rosenbrock = (): Problem => fromObjective(rosenbrockObjective(2), 'rosenbrock', 'Rosenbrock');
const beale = (): Problem => fromObjective(bealeObjective(), 'beale', 'Beale');
const saddle = (): Problem => fromObjective(saddleObjective(), 'saddle', 'x² − y² saddle');

/** Newton's method with a central-difference Hessian of the analytic gradient: f at ∇f = 0. */
function newtonMinimum(p: Problem, start: readonly number[]): number {
  const n = p.dim;
  const x = Float64Array.from(start);
  const g = new Float64Array(n);
  const gp = new Float64Array(n);
  const gm = new Float64Array(n);
  for (let it = 0; it < 100; it++) {
    p.fg(x, g);
    const H: number[][] = [];
    for (let j = 0; j < n; j++) {
      const h = 1e-5 * Math.max(1, Math.abs(x[j]!));
      const xj = x[j]!;
      x[j] = xj + h;
      p.fg(x, gp);
      x[j] = xj - h;
      p.fg(x, gm);
      x[j] = xj;
      H.push(Array.from({ length: n }, (_, i) => (gp[i]! - gm[i]!) / (2 * h)));
    }
    const d = solve(H, [...g]);
    for (let i = 0; i < n; i++) x[i] = x[i]! - d[i]!;
    if (Math.hypot(...d) < 1e-14) break;
  }
  return p.fg(x, g);
}

/** Gaussian elimination with partial pivoting (small n). */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((r, i) => [...r, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    [M[c], M[p]] = [M[p]!, M[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const k = M[r]![c]! / M[c]![c]!;
      for (let j = c; j <= n; j++) M[r]![j]! -= k * M[c]![j]!;
    }
  }
  return M.map((r, i) => r[n]! / r[i]!);
}

// --- running ---------------------------------------------------------------------------------

interface RunOut {
  curve: CurvePoint[];
  path: [number, number][];
  stepsToTarget: number | null;
  finalLoss: number;
  divergedAt: number | null;
}

function sampleStep(t: number, steps: number): boolean {
  if (t <= 100 || t === steps) return true;
  // ~150 log-spaced points between 100 and `steps`
  const k = Math.floor((150 * Math.log(t / 100)) / Math.log(Math.max(steps, 101) / 100));
  const k1 = Math.floor((150 * Math.log((t - 1) / 100)) / Math.log(Math.max(steps, 101) / 100));
  return k !== k1;
}

/** Builds an optimizer with hyperparameters `h` (a built-in by name, or an outside entry). */
type Make = (h?: Partial<Hyper>) => Optimizer;

function runOne(
  p: Problem,
  make: Make,
  lr: number,
  start: readonly number[],
  steps: number,
  fStar: number,
  target: number,
  keepPath: boolean,
  box = Infinity,
): RunOut {
  const opt = make({ lr });
  const x = Float64Array.from(start);
  const g = new Float64Array(p.dim);
  const state = opt.init(p.dim, 'float64');
  let f = p.fg(x, g);
  const f0 = Math.abs(f - fStar) + 1;
  const curve: CurvePoint[] = [{ step: 0, gap: Math.max(0, f - fStar) }];
  const path: [number, number][] = keepPath ? [[x[0]!, x[1]!]] : [];
  let stepsToTarget: number | null = f - fStar <= target ? 0 : null;
  let divergedAt: number | null = null;
  for (let t = 1; t <= steps; t++) {
    opt.step(x, g, state);
    f = p.fg(x, g);
    if (!Number.isFinite(f) || Math.abs(f - fStar) > 1e12 * f0) {
      divergedAt = t;
      break;
    }
    if (f - fStar > target) stepsToTarget = null;
    else if (stepsToTarget === null) stepsToTarget = t;
    // Rounding can put f a few ulps below f* (Newton's f* is itself rounded): a gap is ≥ 0.
    if (sampleStep(t, steps)) curve.push({ step: t, gap: Math.max(0, f - fStar) });
    if (keepPath) path.push([x[0]!, x[1]!]);
    if (Math.abs(x[0]!) > box || Math.abs(x[1]!) > box) break;
  }
  return { curve, path, stepsToTarget, finalLoss: f, divergedAt };
}

/** The best rate from RATE_GRID: fewest steps to target, then lowest final gap; never a diverged run. */
function tune(p: Problem, make: Make, start: readonly number[], steps: number, fStar: number, target: number): number {
  let best: { lr: number; key: [number, number] } | null = null;
  for (const lr of RATE_GRID) {
    const r = runOne(p, make, lr, start, steps, fStar, target, false);
    if (r.divergedAt !== null || !Number.isFinite(r.finalLoss)) continue;
    const key: [number, number] = [r.stepsToTarget ?? Infinity, r.finalLoss - fStar];
    if (!best || key[0] < best.key[0] || (key[0] === best.key[0] && key[1] < best.key[1])) best = { lr, key };
  }
  return best?.lr ?? RATE_GRID[0];
}

function gridOf(
  p: Problem,
  x0: number,
  x1: number,
  y0: number,
  y1: number,
  nx: number,
  ny: number,
  f?: (x: number, y: number) => number,
): Grid {
  const values: number[] = [];
  const x = new Float64Array(2);
  const g = new Float64Array(2);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      x[0] = x0 + ((x1 - x0) * i) / (nx - 1);
      x[1] = y0 + ((y1 - y0) * j) / (ny - 1);
      values.push(f ? f(x[0], x[1]) : p.fg(x, g));
    }
  }
  return { x0, x1, y0, y1, nx, ny, values };
}

/** Keeps at most `max` points of a path: the first 100 and then evenly spaced, plus the last. */
function thin(path: [number, number][], max = 400): [number, number][] {
  if (path.length <= max) return path.map(([a, b]) => [round(a), round(b)]);
  const head = path.slice(0, 100);
  const rest = path.slice(100);
  const every = Math.ceil(rest.length / (max - 100));
  const out = [...head, ...rest.filter((_, i) => i % every === 0), path[path.length - 1]!];
  return out.map(([a, b]) => [round(a), round(b)]);
}

const round = (v: number): number => (Number.isFinite(v) ? Number(v.toPrecision(6)) : v);

export interface ConvergenceOptions {
  seed?: number;
  /** Optimizer names (default: the whole registry, and `entries`). */
  optimizers?: readonly string[];
  /** Optimizers optimlab does not ship (--module), run beside the built-ins. */
  entries?: readonly OptimizerEntry[];
  /** Steps per run (default: 2000 for the 2-D functions and the quadratic, 1000 for logistic). */
  steps?: number;
  onProgress?: (what: string) => void;
}

export function runConvergence(opts: ConvergenceOptions = {}): ConvergenceResults {
  const t0 = performance.now();
  const seed = opts.seed ?? 20261124;
  const names = opts.optimizers ?? [...registry.map((e) => e.name), ...(opts.entries ?? []).map((e) => e.name)];
  const make =
    (name: string): Make =>
    (h) =>
      opts.entries?.find((e) => e.name === name)?.create(h) ?? createOptimizer(name, h);
  // Logistic regression: 200 points in two overlapping blobs (std 2, centres in [−2, 2]²), so the
  // classes are not separable and the minimum is finite; mean cross-entropy, bias column.
  const lb = makeBlobs({ samples: 200, features: 2, centers: 2, std: 2, centerBox: [-2, 2], seed });
  const logistic = fromObjective(
    logisticRegression({ X: addBias(lb.X, 2), y: lb.y, features: 3, reduction: 'mean' }),
    'logistic',
    'logistic regression (N = 200, 2 features + bias, mean cross-entropy)',
  );
  const quad = quadratic({ n: 10, mu: 1, L: 100, b: new Array(10).fill(0), seed });
  const qp = fromObjective(quad, 'quadratic', 'ill-conditioned quadratic (n = 10, κ = 100, rotated)');
  const problems: { p: Problem; start: number[]; fStar: number; fStarSource: string; target: number; steps: number }[] =
    [
      {
        p: rosenbrock(),
        start: [-1.5, 2],
        fStar: 0,
        fStarSource: 'exact: f(1, 1) = 0',
        target: 1e-6,
        steps: opts.steps ?? 3000,
      },
      {
        p: beale(),
        start: [1, 1.5],
        fStar: 0,
        fStarSource: 'exact: f(3, 0.5) = 0',
        target: 1e-6,
        steps: opts.steps ?? 3000,
      },
      {
        p: qp,
        start: Array.from({ length: 10 }, (_, i) => round(Math.cos(i + 1))),
        fStar: 0,
        fStarSource: 'exact: f(0) = 0 (b = 0)',
        target: 1e-6,
        steps: opts.steps ?? 3000,
      },
      {
        p: logistic,
        start: [0, 0, 0],
        fStar: newtonMinimum(logistic, [0, 0, 0]),
        fStarSource: "Newton's method to ‖step‖ < 1e-14",
        target: 1e-6,
        steps: opts.steps ?? 1500,
      },
    ];
  const objectives: ObjectiveResult[] = [];
  const paths = new Map<string, { optimizer: string; lr: number; path: [number, number][] }[]>();
  for (const { p, start, fStar, fStarSource, target, steps } of problems) {
    opts.onProgress?.(`convergence: ${p.name}`);
    const runs: OptimizerCurve[] = [];
    const ps: { optimizer: string; lr: number; path: [number, number][] }[] = [];
    for (const name of names) {
      const lr = tune(p, make(name), start, steps, fStar, target);
      const r = runOne(p, make(name), lr, start, steps, fStar, target, p.dim === 2);
      runs.push({
        optimizer: name,
        lr,
        rate: 'tuned',
        curve: r.curve,
        stepsToTarget: r.stepsToTarget,
        finalLoss: r.finalLoss,
        finalGap: Math.max(0, r.finalLoss - fStar),
        divergedAt: r.divergedAt,
      });
      if (p.dim === 2) ps.push({ optimizer: name, lr, path: r.path });
    }
    paths.set(p.name, ps);
    objectives.push({ name: p.name, title: p.title, dim: p.dim, fStar, fStarSource, target, steps, start, runs });
  }

  opts.onProgress?.('convergence: trajectories');
  const trajectories: TrajectoryResult[] = [];
  const bealeRuns = paths.get('beale')!;
  trajectories.push({
    name: 'beale',
    title: 'Beale',
    formula: '(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²',
    grid: gridOf(beale(), -1, 4, -1.5, 2, 101, 71),
    levels: 'log',
    minima: [[3, 0.5]],
    start: [1, 1.5],
    steps: problems[1]!.steps,
    runs: bealeRuns.map((r) => ({
      optimizer: r.optimizer,
      lr: r.lr,
      rate: 'tuned' as const,
      path: thin(r.path),
      final: r.path[r.path.length - 1]!,
    })),
  });
  const rosRuns = paths.get('rosenbrock')!;
  trajectories.push({
    name: 'rosenbrock',
    title: "Rosenbrock's valley",
    formula: '100(y − x²)² + (1 − x)²',
    grid: gridOf(rosenbrock(), -2, 2, -1, 3, 81, 81),
    levels: 'log',
    minima: [[1, 1]],
    start: [-1.5, 2],
    steps: problems[0]!.steps,
    runs: rosRuns.map((r) => ({
      optimizer: r.optimizer,
      lr: r.lr,
      rate: 'tuned' as const,
      path: thin(r.path),
      final: r.path[r.path.length - 1]!,
    })),
  });
  const sad = saddle();
  const sadStart: [number, number] = [1, 1e-3];
  const sadSteps = 300;
  trajectories.push({
    name: 'saddle',
    title: 'x² − y² saddle',
    formula: 'x² − y²',
    grid: gridOf(sad, -1.5, 1.5, -1.5, 1.5, 61, 61),
    levels: 'linear',
    minima: [],
    start: sadStart,
    steps: sadSteps,
    runs: names.map((name) => {
      const lr = (make(name)().hyper as { lr: number }).lr;
      // Unbounded below: a path is followed until it leaves |x|, |y| ≤ 5 (the plot shows ±1.5).
      const r = runOne(sad, make(name), lr, sadStart, sadSteps, -Infinity, -Infinity, true, 5);
      return { optimizer: name, lr, rate: 'stated' as const, path: thin(r.path), final: r.path[r.path.length - 1]! };
    }),
  });

  opts.onProgress?.('convergence: blobs');
  const blobsResult = runBlobs();

  for (const o of objectives)
    for (const r of o.runs) r.curve = r.curve.map((c) => ({ step: c.step, gap: round(c.gap) }));
  return {
    schema: CONVERGENCE_SCHEMA,
    createdAt: new Date().toISOString(),
    seed,
    settings: {
      rateGrid: [...RATE_GRID],
      tuneBy: 'fewest steps to the target gap, then the lowest final gap; diverged rates excluded',
      dtype: 'float64',
      optimizers: [...names],
    },
    objectives,
    trajectories,
    blobs: blobsResult,
    ms: Math.round(performance.now() - t0),
  };
}

/**
 * The blobs demo exactly as `optimlab demo blobs` runs it by default (the set-up of
 * src/demo/blobs.ts): batch gradient descent with its default optimizer and rate, 100 epochs.
 */
export function runBlobs(): BlobsResult {
  const { seed, lr, epochs, optimizer } = BLOBS_DEMO;
  const { blobs: b, objective, test: te, W0 } = blobsSetup(seed);
  const loss: { epoch: number; loss: number }[] = [];
  const res = train(objective, createOptimizer(optimizer, { lr }), W0, {
    epochs,
    batchSize: objective.examples,
    seed,
    onEpoch: (e, l) => loss.push({ epoch: e, loss: round(l) }),
  });
  const w = res.params;
  const pred = blobsPredict(w, te.X);
  let correct = 0;
  for (let i = 0; i < te.y.length; i++) if (pred[i] === te.y[i]) correct++;
  const pts = Array.from({ length: b.y.length }, (_, i) => ({
    x: round(b.X[2 * i]!),
    y: round(b.X[2 * i + 1]!),
    label: (b.y[i] === 1 ? 1 : 0) as 0 | 1,
  }));
  const xs = pts.map((p) => p.x),
    ys = pts.map((p) => p.y);
  const grid = gridOf(
    saddle(),
    Math.floor(Math.min(...xs) - 1),
    Math.ceil(Math.max(...xs) + 1),
    Math.floor(Math.min(...ys) - 1),
    Math.ceil(Math.max(...ys) + 1),
    81,
    81,
    (x, y) => round(blobsProbability(w, x, y)),
  );
  return {
    status: 'ok',
    source: 'optimlab demo blobs, default settings (src/demo/blobs.ts)',
    optimizer,
    lr,
    batchSize: objective.examples,
    epochs,
    points: pts,
    loss,
    accuracy: correct / te.y.length,
    weights: [...w].map(round),
    grid,
  };
}
