import { describe, expect, it } from 'vitest';
import {
  addBias,
  booth,
  createOptimizer,
  DivergenceError,
  diagonalQuadratic,
  epochShuffle,
  gradientCheck,
  leastSquares,
  makeBlobs,
  numericGradient,
  objectiveCatalogue,
  parallelBatch,
  checkSchedule,
  quadratic,
  rosenbrock,
  scheduledRate,
  sigmoidSquaredError,
  styblinskiTang,
  train,
  trainTestSplit,
} from '../src/index.js';
import { runBlobs } from '../benchmarks/convergence.js';
import { classificationReport } from '../src/commands/demo.js';
import { BLOBS_DEMO, blobsPredict, blobsProbability, blobsSetup } from '../src/demo/blobs.js';

/** y = 2·x0 − x1 + 0.5 exactly: least squares with a known zero-loss minimiser. */
function line(N = 16): ReturnType<typeof leastSquares> {
  const X = new Float64Array(N * 3);
  const y = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    X[i * 3] = (i % 4) - 1.5;
    X[i * 3 + 1] = Math.floor(i / 4) - 1.5;
    X[i * 3 + 2] = 1;
    y[i] = 2 * X[i * 3]! - X[i * 3 + 1]! + 0.5;
  }
  return leastSquares({ X, y, features: 3 });
}

describe('objectives', () => {
  it('the gradient vanishes at each known minimiser (to rounding: |g| ≤ 64u·L·max(1, ‖x*‖))', () => {
    for (const e of objectiveCatalogue) {
      const o = e.make(3);
      if (!o.minimizer) continue;
      // x* is stored rounded (each coordinate within a few u·|x*| after ≤ ~20 operations), ∇f is
      // L-Lipschitz, so |∇f(fl(x*))| ≲ L·20u·‖x*‖ plus the gradient's own rounding: 64u·L·max(1, ‖x*‖).
      const g = new Float64Array(o.dim);
      const f = o.grad(o.minimizer, g);
      const scale = 64 * 2 ** -53 * Math.max(1, ...Array.from(o.minimizer, Math.abs)) * (o.L ?? 100);
      for (const gi of g) expect(Math.abs(gi)).toBeLessThanOrEqual(scale);
      if (o.minimum !== undefined)
        expect(Math.abs(f - o.minimum)).toBeLessThanOrEqual(64 * 2 ** -53 * Math.max(1, Math.abs(o.minimum)));
    }
  });
  it('quadratic: A is symmetric, its trace is Σλ and power iteration finds L', () => {
    const o = quadratic({ n: 5, eigenvalues: [0.5, 1, 2, 4, 50], seed: 7 });
    expect(o.mu).toBe(0.5);
    expect(o.L).toBe(50);
    const A = o.data.A as Float64Array;
    for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) expect(A[i * 5 + j]).toBe(A[j * 5 + i]);
    // trace = Σλ (similarity invariant), to rounding
    let tr = 0;
    for (let i = 0; i < 5; i++) tr += A[i * 5 + i]!;
    expect(Math.abs(tr - 57.5)).toBeLessThan(57.5 * 1e-13);
    // power iteration converges to L
    let v = Float64Array.of(1, 2, 3, 4, 5);
    let lam = 0;
    for (let k = 0; k < 200; k++) {
      const w = new Float64Array(5);
      for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) w[i] = w[i]! + A[i * 5 + j]! * v[j]!;
      lam = Math.hypot(...w) / Math.hypot(...v);
      const nw = Math.hypot(...w);
      v = w.map((z) => z / nw);
    }
    expect(Math.abs(lam - 50)).toBeLessThan(50 * 1e-12);
  });
  it('styblinskiTang minimum ≈ −39.166 per dimension (Jamil & Yang 2013)', () => {
    expect(styblinskiTang(3).minimum! / 3).toBeCloseTo(-39.16617, 4);
  });
  it('rejects bad input with the parameter, its value and the allowed range, writing nothing', () => {
    const o = rosenbrock(3);
    const g = Float64Array.of(7, 7, 7);
    expect(() => o.grad(new Float64Array(2), g)).toThrow(/x.length = 2; allowed: 3/);
    expect(() => o.grad([1, 2, 3] as unknown as Float64Array, g)).toThrow(TypeError);
    expect(() => o.grad(new Float64Array(3), new Float64Array(4))).toThrow(/g.length = 4/);
    expect(Array.from(g)).toEqual([7, 7, 7]);
    expect(() => rosenbrock(1)).toThrow(/n = 1; allowed: an integer ≥ 2/);
    expect(() => diagonalQuadratic(2, 0.5)).toThrow(/kappa = 0.5/);
    expect(() => quadratic({ eigenvalues: [1, -1] })).toThrow(/eigenvalues\[1\] = -1/);
    const ls = line();
    expect(() => ls.batch(new Float64Array(3), Uint32Array.of(99), 0, 1, g)).toThrow(/idx\[0\] = 99/);
    expect(() => leastSquares({ X: new Float64Array(5), y: new Float64Array(2), features: 2 })).toThrow(/X.length = 5/);
    expect(() => sigmoidSquaredError({ X: new Float64Array(2), y: Float64Array.of(2), features: 2 })).toThrow(
      /y\[0\] = 2/,
    );
  });
});

describe('gradient', () => {
  it('central and Richardson differences of Booth (a quadratic) are exact up to rounding; Richardson beats central on Rosenbrock', () => {
    const x = Float64Array.of(0.3, -1.7);
    const c = gradientCheck(booth(), x);
    expect(c.worst).toBeLessThan(1e-9);
    const r = rosenbrock(2);
    const p = Float64Array.of(-1.2, 1);
    expect(gradientCheck(r, p, { method: 'richardson' }).worst).toBeLessThan(gradientCheck(r, p).worst);
  });
  it('does not touch x, and rejects bad options', () => {
    const x = Float64Array.of(1, 2);
    numericGradient((v) => v[0]! * v[1]!, x);
    expect(Array.from(x)).toEqual([1, 2]);
    expect(() => numericGradient((v) => v[0]!, x, undefined, { method: 'forward' as 'central' })).toThrow(
      /method = forward/,
    );
  });
});

describe('data', () => {
  it('blobs: sizes, labels, repeatable per seed; split and shuffles are partitions / permutations', () => {
    const a = makeBlobs({ samples: 101, features: 3, centers: 4, std: 0.5, seed: 5 });
    const b = makeBlobs({ samples: 101, features: 3, centers: 4, std: 0.5, seed: 5 });
    expect(a.X).toEqual(b.X);
    expect(a.X.length).toBe(303);
    expect(new Set(a.y).size).toBe(4);
    expect(addBias(Float64Array.of(1, 2, 3, 4), 2)).toEqual(Float64Array.of(1, 2, 1, 3, 4, 1));
    const s = trainTestSplit(10, 0.5, 1);
    expect([...s.train, ...s.test].sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(s.test.length).toBe(5);
    expect(epochShuffle(50, 1, 0)).not.toEqual(epochShuffle(50, 2, 0));
    expect(() => makeBlobs({ samples: 0, seed: 1 })).toThrow(/samples = 0/);
    expect(() => trainTestSplit(10, 1, 1)).toThrow(/testFraction = 1/);
  });
});

describe('train', () => {
  it('batch GD on exact least squares converges to the zero-loss line', () => {
    const r = train(line(), createOptimizer('sgd', { lr: 0.2 }), new Float64Array(3), { epochs: 500 });
    expect(r.history[r.history.length - 1]).toBeLessThan(1e-20);
    expect(r.params[0]).toBeCloseTo(2, 10);
    expect(r.params[1]).toBeCloseTo(-1, 10);
    expect(r.params[2]).toBeCloseTo(0.5, 10);
  });
  it('stops at the loss threshold and by patience, and restores the learning rate after a schedule', () => {
    const opt = createOptimizer('sgd', { lr: 0.2 });
    const t = train(line(), opt, new Float64Array(3), { epochs: 1000, lossThreshold: 1e-6 });
    expect(t.stopReason).toBe('threshold');
    expect(t.history[t.history.length - 1]).toBeLessThanOrEqual(1e-6);
    expect(t.history[t.history.length - 2]).toBeGreaterThan(1e-6);
    // lr so small nothing improves in float64 after the first epochs: patience ends it.
    const p = train(line(), createOptimizer('sgd', { lr: 1e-300 }), new Float64Array(3), { epochs: 1000, patience: 3 });
    expect(p.stopReason).toBe('patience');
    expect(p.epochs).toBeLessThan(10);
    train(line(), opt, new Float64Array(3), { epochs: 5, schedule: { kind: 'step', drop: 0.5, every: 2 } });
    expect(opt.hyper.lr).toBe(0.2);
  });
  it('schedules follow their formulas', () => {
    expect(scheduledRate({ kind: 'step', drop: 0.5, every: 10 }, 0.1, 25)).toBe(0.1 * 0.25);
    expect(scheduledRate({ kind: 'exponential', k: 0.1 }, 1, 10)).toBe(Math.exp(-1));
    expect(scheduledRate({ kind: 'inverse', k: 0.5 }, 1, 2)).toBe(0.5);
    const noLr = { ...createOptimizer('sgd'), name: 'nolr', hyper: {} } as unknown as ReturnType<
      typeof createOptimizer
    >;
    expect(() => train(line(), noLr, new Float64Array(3), { epochs: 1, schedule: { kind: 'inverse', k: 1 } })).toThrow(
      /nolr has no lr hyperparameter/,
    );
  });
  it('gradient noise is seeded: the same seed repeats, another seed differs', () => {
    const run = (seed: number) =>
      train(line(), createOptimizer('sgd', { lr: 0.05 }), new Float64Array(3), {
        epochs: 3,
        batchSize: 4,
        seed,
        gradientNoise: { eta: 0.3 },
      }).params;
    expect(run(1)).toEqual(run(1));
    expect(run(1)).not.toEqual(run(2));
  });
  it('a diverging learning rate ends with a DivergenceError; the returned params are the last finite ones', () => {
    let err: DivergenceError | undefined;
    try {
      train(line(), createOptimizer('sgd', { lr: 50 }), Float64Array.of(1, 1, 1), { epochs: 10_000 });
    } catch (e) {
      err = e as DivergenceError;
    }
    expect(err).toBeInstanceOf(DivergenceError);
    expect(err!.message).toMatch(
      /training diverged at epoch \d+, step \d+: .*learning rate is probably too large \(lr = 50\)/,
    );
    expect(err!.result.params.every(Number.isFinite)).toBe(true);
    expect(err!.result.state.t).toBe(err!.result.steps);
    expect(err!.result.history.every(Number.isFinite)).toBe(true);
  });
  it('an accumulator that overflows is divergence: the step is undone and the state stays finite (it used to finish with v = Infinity and θ frozen)', () => {
    // x = 1e100, residual 1e60: the loss (5e119) and the gradient (1e160) are finite, g² is not.
    const o = leastSquares({ X: Float64Array.of(1e100), y: Float64Array.of(0), features: 1 });
    for (const name of ['rmsprop', 'adam', 'adadelta'] as const) {
      const r = train(o, createOptimizer(name), Float64Array.of(1e-40), { epochs: 3, onDivergence: 'return' });
      expect(r.stopReason).toBe('diverged');
      expect(r.steps).toBe(0);
      expect(r.divergence!.message).toMatch(
        /epoch 1, step 1: the optimizer state's \w+\[0\] became Infinity in this step \(undone\)/,
      );
      expect(Object.values(r.state.buffers).every((b) => b.every((x) => x === 0))).toBe(true);
      expect(r.params[0]).toBe(1e-40);
    }
    // A non-finite gradient is named before any step.
    const nan = {
      ...o,
      batch: (x: Float64Array, i: Uint32Array, f: number, t: number, g?: Float64Array) => {
        const l = o.batch(x, i, f, t, g);
        if (g) g[0] = Number.NaN;
        return l;
      },
    };
    const r = train(nan, createOptimizer('sgd'), Float64Array.of(1), { epochs: 1, onDivergence: 'return' });
    expect(r.divergence!.message).toMatch(/the batch gradient's element 0 is NaN \(parameters still finite\)/);
  });
  it("an optimizer without lr trains under the constant schedule (also { per: 'step' }) and is never set; its divergence says it has no lr", () => {
    const inner = createOptimizer('sgd', { lr: 0.05 });
    const sets: unknown[] = [];
    const { lr: _lr, ...rest } = inner.hyper;
    const noLr = Object.create(inner, {
      name: { value: 'nolr' },
      hyper: { value: rest },
      set: {
        value: (c: unknown) => {
          sets.push(c);
          return inner.set(c as never);
        },
      },
    }) as typeof inner;
    for (const schedule of [undefined, { kind: 'constant' }, { kind: 'constant', per: 'step' }] as const) {
      const r = train(line(), noLr, new Float64Array(3), {
        epochs: 3,
        batchSize: 4,
        ...(schedule ? { schedule: schedule as never } : {}),
      });
      expect(r.steps).toBe(12);
      expect(r.stopReason).toBe('epochs');
    }
    expect(sets).toEqual([]);
    const nan = { ...line(), batch: () => Number.NaN };
    const d = train(nan, noLr, new Float64Array(3), { epochs: 1, onDivergence: 'return' });
    expect(d.divergence!.message).toMatch(/probably too large \(nolr has no lr\); try a smaller one/);
    expect(d.divergence!.name).toBe('DivergenceError');
  });
  it('schedules: the constant rate is lr0; drop = 1 is a valid step decay; bad schedules are named', () => {
    expect(scheduledRate({ kind: 'constant' }, 0.3, 7)).toBe(0.3);
    expect(() => checkSchedule({ kind: 'step', drop: 1, every: 2 })).not.toThrow();
    expect(scheduledRate({ kind: 'step', drop: 1, every: 2 }, 0.3, 9)).toBe(0.3);
    expect(() => checkSchedule({ kind: 'step', drop: 0.5, every: 1, per: 'batch' } as never)).toThrow(
      /^schedule\.per = batch; allowed: 'epoch' or 'step'$/,
    );
  });
  it('parallelBatch rejects a worker count that does not divide the batch, and a scratch that is g', () => {
    const o = line(8);
    const idx = Uint32Array.from({ length: 8 }, (_, i) => i);
    const w = new Float64Array(3);
    const g = new Float64Array(3);
    for (const k of [0, -2, 1.5, 4, Number.NaN]) {
      expect(() => parallelBatch(o, w, idx, 2, 8, k, g, new Float64Array(3))).toThrow(
        new RegExp(`^parallelBatch: workers = ${k}; allowed: an integer ≥ 1 that divides the batch size 6$`),
      );
    }
    expect(() => parallelBatch(o, w, idx, 0, 8, 2, g, g)).toThrow(
      /^parallelBatch: scratch must be a separate array from g$/,
    );
    expect(parallelBatch(o, w, idx, 2, 8, 2, g, new Float64Array(3))).toBe(o.batch(w, idx, 2, 8, new Float64Array(3)));
  });
  it('k workers need a batch size that is a multiple of k (and divides N): batchSize = 8 with 3 workers is named by train', () => {
    // 16 = 2 · 8, so every batch is whole, but 8 rows do not split among 3 workers.
    expect(() =>
      train(line(), createOptimizer('sgd'), new Float64Array(3), { epochs: 1, batchSize: 8, workers: 3 }),
    ).toThrow(
      /^train: workers = 3 with batchSize = 8 and N = 16; allowed: batchSize a multiple of workers that divides N$/,
    );
  });
  it('the optimizer and the objective must be objects of their kinds (a function carrying the methods is not one); a schedule must be an object', () => {
    const o = line();
    const opt = createOptimizer('sgd');
    const init = new Float64Array(3);
    const fnOpt = Object.assign(() => 0, {
      init: opt.init.bind(opt),
      step: opt.step.bind(opt),
      set: opt.set.bind(opt),
      hyper: opt.hyper,
    });
    for (const bad of [fnOpt, null, 'sgd', {}]) {
      expect(() => train(o, bad as never, init, { epochs: 1 })).toThrow(
        /^train: optimizer must come from createOptimizer\(name, hyper\) \(an object with init, step and set\)$/,
      );
    }
    const fnObj = Object.assign(() => 0, {
      batch: o.batch.bind(o),
      dim: o.dim,
      examples: o.examples,
      reduction: o.reduction,
    });
    for (const bad of [fnObj, null, {}]) {
      expect(() => train(bad as never, opt, init, { epochs: 1 })).toThrow(
        /^train: objective must be a finite-sum objective \(leastSquares, logisticRegression, …\)$/,
      );
    }
    for (const bad of [null, 'step'])
      expect(() => checkSchedule(bad)).toThrow(
        /^schedule must be an object such as \{ kind: 'step', drop: 0.5, every: 10 \}$/,
      );
    // k workers need batches that all split into k parts: batchSize a multiple of k that divides N (16 = 2·6 + 4 does not).
    expect(() => train(o, opt, init, { epochs: 1, batchSize: 6, workers: 2 })).toThrow(
      /^train: workers = 2 with batchSize = 6 and N = 16; allowed: batchSize a multiple of workers that divides N$/,
    );
  });
  it('rejects bad options naming them, and leaves init untouched', () => {
    const init = Float64Array.of(1, 2, 3);
    const o = line();
    const opt = createOptimizer('sgd');
    expect(() => train(o, opt, init, { epochs: 0 })).toThrow(/epochs = 0; allowed: an integer ≥ 1/);
    expect(() => train(o, opt, init, { epochs: 1, batchSize: 17 })).toThrow(
      /batchSize = 17; allowed: an integer ≥ 1 and ≤ 16/,
    );
    expect(() => train(o, opt, init, { epochs: 1, batchSize: 6, workers: 4 })).toThrow(/workers = 4/);
    expect(() => train(o, opt, init, { epochs: 1, schedule: { kind: 'cosine' } as never })).toThrow(
      /schedule.kind = cosine/,
    );
    train(o, opt, init, { epochs: 3 });
    expect(Array.from(init)).toEqual([1, 2, 3]);
  });
});

describe('demo', () => {
  it('classification report: precision, recall, F1, support per class', () => {
    const truth = Float64Array.of(0, 0, 0, 1, 1);
    const pred = Float64Array.of(0, 0, 1, 1, 1);
    const r = classificationReport(truth, pred, [0, 1]);
    expect(r.accuracy).toBe(4 / 5);
    expect(r.rows[0]).toEqual({ label: 0, precision: 1, recall: 2 / 3, f1: 0.8, support: 3 });
    expect(r.rows[1]).toMatchObject({ label: 1, precision: 2 / 3, recall: 1, support: 2 });
  });

  it('one set-up for the demo and the report: the bias weight counts in every prediction', () => {
    const a = blobsSetup();
    const b = blobsSetup(BLOBS_DEMO.seed);
    expect(Array.from(a.W0)).toEqual(Array.from(b.W0));
    expect(a.train.X.length).toBe((BLOBS_DEMO.samples / 2) * 3);
    // w = (0, 0, −1): every point has probability σ(−1) < 0.5 (a bias read as +1 would give σ(1) > 0.5)
    expect(Array.from(blobsPredict([0, 0, -1], a.test.X)).every((p) => p === 0)).toBe(true);
    expect(blobsProbability([0, 0, -1], 5, 5)).toBeCloseTo(1 / (1 + Math.E), 15);
    // the report's blobs section draws the probability of the weights it reports
    const { grid, weights } = runBlobs();
    const [x, y] = [
      grid.x0 + 3 * ((grid.x1 - grid.x0) / (grid.nx - 1)),
      grid.y0 + 5 * ((grid.y1 - grid.y0) / (grid.ny - 1)),
    ];
    expect(grid.values[5 * grid.nx + 3]).toBeCloseTo(blobsProbability(weights, x, y), 4);
  });
});
