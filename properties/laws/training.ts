/**
 * H: training loops (DESIGN.md, "The laws", H). Data sets are small and seeded (least squares or
 * logistic regression, N = 2 … 12 rows of 2 features + bias); optimizers come from the registry
 * with their defaults, so every optimizer is covered.
 */
import fc from 'fast-check';
import { epochShuffle } from '../../src/data/datasets.js';
import { makeRng } from '../../src/data/random.js';
import { leastSquares, logisticRegression } from '../../src/objectives/linear.js';
import type { FiniteSumObjective } from '../../src/objectives/types.js';
import { registry } from '../../src/optimizers/registry.js';
import type { Optimizer, OptimizerState } from '../../src/optimizers/types.js';
import { DivergenceError, parallelBatch, train } from '../../src/train/index.js';
import { must, mustBeSameBits, type StandaloneLaw } from '../framework.js';

const U = 2 ** -53;

interface Setup {
  seed: number;
  N: number;
  kind: 'leastSquares' | 'logisticRegression';
  optimizer: string;
  epochs: number;
}

const setupArb: fc.Arbitrary<Setup> = fc.record({
  seed: fc.integer({ min: 0, max: 1_000_000 }),
  N: fc.integer({ min: 2, max: 12 }),
  kind: fc.constantFrom('leastSquares' as const, 'logisticRegression' as const),
  optimizer: fc.constantFrom(...registry.map((e) => e.name)),
  epochs: fc.integer({ min: 1, max: 4 }),
});

/** N rows: 2 features ~ N(0, 1) (magnitudes ≲ 4) and a bias column; targets N(0, 3²) or labels 0/1. */
function objectiveOf(s: Pick<Setup, 'seed' | 'N' | 'kind'>): FiniteSumObjective {
  const rng = makeRng(s.seed, 'H');
  const X = new Float64Array(s.N * 3);
  const y = new Float64Array(s.N);
  for (let i = 0; i < s.N; i++) {
    X[i * 3] = rng.normal();
    X[i * 3 + 1] = rng.normal();
    X[i * 3 + 2] = 1;
    y[i] = s.kind === 'leastSquares' ? 3 * rng.normal() : rng.uniform() < 0.5 ? 0 : 1;
  }
  return s.kind === 'leastSquares' ? leastSquares({ X, y, features: 3 }) : logisticRegression({ X, y, features: 3 });
}

function initOf(seed: number): Float64Array {
  const rng = makeRng(seed, 'H-init');
  return Float64Array.from({ length: 3 }, () => rng.normal());
}

function sameState(what: string, a: OptimizerState, b: OptimizerState): void {
  must(a.t === b.t, () => `${what}: state.t ${a.t} ≠ ${b.t}`);
  for (const k of Object.keys(b.buffers)) mustBeSameBits(`${what} state.${k}`, a.buffers[k]!, b.buffers[k]!);
}

/** The plain loop: for each epoch, for each batch (rows in `order(epoch)`), step on its gradient. */
function manual(o: FiniteSumObjective, opt: Optimizer, init: Float64Array, epochs: number, S: number, order: (e: number) => Uint32Array): { params: Float64Array; state: OptimizerState } {
  const params = init.slice();
  const state = opt.init(params.length);
  const g = new Float64Array(params.length);
  for (let e = 0; e < epochs; e++) {
    const idx = order(e);
    for (let from = 0; from < o.examples; from += S) {
      if (S === o.examples) o.grad(params, g);
      else o.batch(params, idx, from, Math.min(from + S, o.examples), g);
      opt.step(params, g, state);
    }
  }
  return { params, state };
}

const identity = (n: number): Uint32Array => Uint32Array.from({ length: n }, (_, i) => i);

const H1: StandaloneLaw = {
  id: 'H1',
  title: 'mini-batch with S = N equals batch GD, and S = 1 without shuffling equals per-example SGD, bit for bit',
  subject: 'train',
  runs: 60,
  property: () =>
    fc.property(setupArb, (s) => {
      const o = objectiveOf(s);
      const init = initOf(s.seed);
      const entry = registry.find((e) => e.name === s.optimizer)!;
      // S = N (shuffling on: a full batch is never reordered) vs the full gradient o.grad.
      const a = train(o, entry.create(), init, { epochs: s.epochs, batchSize: o.examples, seed: s.seed });
      const b = manual(o, entry.create(), init, s.epochs, o.examples, () => identity(o.examples));
      mustBeSameBits('S = N params', a.params, b.params);
      sameState('S = N', a.state, b.state);
      // S = 1, unshuffled vs one example at a time in index order.
      const c = train(o, entry.create(), init, { epochs: s.epochs, batchSize: 1, shuffle: false });
      const d = manual(o, entry.create(), init, s.epochs, 1, () => identity(o.examples));
      mustBeSameBits('S = 1 params', c.params, d.params);
      sameState('S = 1', c.state, d.state);
      must(c.steps === s.epochs * o.examples, () => `S = 1 took ${c.steps} steps, expected epochs·N = ${s.epochs * o.examples}`);
      return true;
    }),
};

const H2: StandaloneLaw = {
  id: 'H2',
  title: 'seeded epoch shuffles are permutations, repeatable per seed, different across epochs, and are the order train visits',
  subject: 'shuffle',
  runs: 60,
  property: () =>
    fc.property(fc.integer({ min: 10, max: 300 }), fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 1000 }), setupArb, (n, seed, epoch, s) => {
      const p = epochShuffle(n, seed, epoch);
      const sorted = Array.from(p).sort((x, y) => x - y);
      must(sorted.every((v, i) => v === i), () => `epoch ${epoch} shuffle of ${n} is not a permutation of 0 … ${n - 1}`);
      const again = epochShuffle(n, seed, epoch, new Uint32Array(n));
      must(p.every((v, i) => v === again[i]), () => `seed ${seed} epoch ${epoch}: two shuffles differ`);
      // n ≥ 10: two independent uniform permutations coincide with probability 1/n! ≤ 2.8e-7.
      const next = epochShuffle(n, seed, epoch + 1);
      must(!p.every((v, i) => v === next[i]), () => `seed ${seed}: epochs ${epoch} and ${epoch + 1} have the same order`);
      // train with S = 1 visits rows in exactly these orders.
      const o = objectiveOf(s);
      const entry = registry.find((e) => e.name === s.optimizer)!;
      const init = initOf(s.seed);
      const a = train(o, entry.create(), init, { epochs: s.epochs, batchSize: 1, seed });
      const b = manual(o, entry.create(), init, s.epochs, 1, (e) => epochShuffle(o.examples, seed, e));
      mustBeSameBits('shuffled SGD params', a.params, b.params);
      return true;
    }),
};

const H3: StandaloneLaw = {
  id: 'H3',
  title: 'divergence (lr far too large) stops training with an error naming epoch and step; the last finite params and state are returned',
  subject: 'train',
  runs: 30,
  property: () =>
    fc.property(setupArb, fc.integer({ min: 1, max: 4 }), fc.double({ min: 3, max: 8, noNaN: true }), (s, S0, logLr) => {
      const o = objectiveOf({ ...s, kind: 'leastSquares' });
      const init = initOf(s.seed);
      const lr = 10 ** logLr; // 1e3 … 1e8: |1 − lr·λ| ≫ 1 for the least-squares Hessian
      const S = Math.min(S0, o.examples);
      let err: DivergenceError | undefined;
      try {
        train(o, registry[0].create({ lr }), init, { epochs: 5000, batchSize: S, shuffle: false });
      } catch (e) {
        if (!(e instanceof DivergenceError)) throw e;
        err = e;
      }
      must(err !== undefined, () => `lr = ${lr}: no divergence detected in 5000 epochs`);
      must(/epoch \d+, step \d+/.test(err.message) && /learning rate is probably too large/.test(err.message), () => `unclear message: ${err!.message}`);
      const r = err.result;
      must(r.stopReason === 'diverged' && r.params.every(Number.isFinite), () => `returned params not finite: [${Array.from(r.params).join(', ')}]`);
      must(err.step === r.steps + 1, () => `error names step ${err!.step}, but ${r.steps} steps were kept`);
      // Replaying the kept steps reproduces the returned params and state bit for bit.
      const opt = registry[0].create({ lr });
      const params = init.slice();
      const state = opt.init(3);
      const g = new Float64Array(3);
      const idx = identity(o.examples);
      for (let k = 0; k < r.steps; k++) {
        const from = (k * S) % (Math.ceil(o.examples / S) * S);
        o.batch(params, idx, from, Math.min(from + S, o.examples), g);
        opt.step(params, g, state);
      }
      mustBeSameBits('last finite params', r.params, params);
      sameState('last finite', r.state, state);
      // 'return' gives the same result without throwing.
      const ret = train(o, registry[0].create({ lr }), init, { epochs: 5000, batchSize: S, shuffle: false, onDivergence: 'return' });
      must(ret.stopReason === 'diverged' && ret.divergence?.step === err.step, () => `onDivergence 'return' differs`);
      mustBeSameBits("onDivergence 'return' params", ret.params, r.params);
      return true;
    }),
};

/** Σ_i |g_i| per coordinate over the rows idx[from..to): the scale of the sums' rounding. */
function absSum(o: FiniteSumObjective, w: Float64Array, idx: Uint32Array, from: number, to: number): Float64Array {
  const out = new Float64Array(o.dim);
  const g = new Float64Array(o.dim);
  for (let k = from; k < to; k++) {
    o.batch(w, idx, k, k + 1, g);
    for (let j = 0; j < o.dim; j++) out[j] = out[j]! + Math.abs(g[j]!);
  }
  return out;
}

const H4: StandaloneLaw = {
  id: 'H4',
  title: 'synchronous data-parallel SGD over k workers of b examples equals mini-batch SGD with S = k·b',
  subject: 'train',
  runs: 60,
  property: () =>
    fc.property(
      fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 0, max: 1_000_000 }), fc.constantFrom(...registry.map((e) => e.name)),
      (ek, eb, k2, b2, seed, name) => {
        // (a) Exact case: k, b powers of two; integer data and dyadic weights with few bits, so every
        // per-example gradient and every partial sum is an exact double, and so are the divisions:
        // the two summation orders give the same bits.
        {
          const k = 2 ** ek;
          const b = 2 ** eb;
          const n = k * b;
          const rng = makeRng(seed, 'H4');
          const X = Float64Array.from({ length: n * 3 }, (_, i) => (i % 3 === 2 ? 1 : rng.int(17) - 8));
          const y = Float64Array.from({ length: n }, () => rng.int(33) - 16);
          const o = leastSquares({ X, y, features: 3 });
          const w = Float64Array.from({ length: 3 }, () => (rng.int(65) - 32) / 8);
          const idx = identity(n);
          const gp = new Float64Array(3);
          const gm = new Float64Array(3);
          const lp = parallelBatch(o, w, idx, 0, n, k, gp, new Float64Array(3));
          const lm = o.batch(w, idx, 0, n, gm);
          mustBeSameBits(`exact case k = ${k}, b = ${b}: gradient`, gp, gm);
          must(Object.is(lp, lm), () => `exact case: loss ${lp} ≠ ${lm}`);
          // …and so does a training step with workers = k (one epoch of N = kb rows is one step).
          const opt = registry.find((e) => e.name === name)!;
          const a = train(o, opt.create(), w, { epochs: 1, workers: k, shuffle: false });
          const c = train(o, opt.create(), w, { epochs: 1, shuffle: false });
          mustBeSameBits(`exact case k = ${k}, b = ${b}: params after a step`, a.params, c.params);
          sameState(`exact case k = ${k}, b = ${b}`, a.state, c.state);
        }
        // (b) General case: any k, b, real data. Per-example gradients t_i are computed identically
        // in both; only the sums differ. Sequential summation errs by ≤ (m − 1)·u·Σ|t| (Higham 2002,
        // §4.2) and each division by ≤ u relative, so, to first order,
        //   |mini-batch − exact mean| ≤ n·u·Σ|t|/n   and   |parallel − exact mean| ≤ (b + k)·u·Σ|t|/n,
        // hence |parallel − mini-batch| ≤ (n + b + k)·u·Σ|t_i|/n per coordinate (n = kb), with a factor
        // 1 + 2^-20 for the dropped second-order terms.
        {
          const k = k2;
          const b = b2;
          const n = k * b;
          const o = objectiveOf({ seed, N: n, kind: seed % 2 ? 'leastSquares' : 'logisticRegression' });
          const w = initOf(seed);
          const idx = identity(n);
          const gp = new Float64Array(3);
          const gm = new Float64Array(3);
          parallelBatch(o, w, idx, 0, n, k, gp, new Float64Array(3));
          o.batch(w, idx, 0, n, gm);
          const scale = absSum(o, w, idx, 0, n);
          for (let j = 0; j < 3; j++) {
            const bound = (1 + 2 ** -20) * (n + b + k) * U * scale[j]! / n;
            const diff = Math.abs(gp[j]! - gm[j]!);
            must(diff <= bound, () => `k = ${k}, b = ${b}: |parallel − mini-batch| = ${diff} > (n + b + k)·u·Σ|t|/n = ${bound} at [${j}]`);
          }
        }
        return true;
      },
    ),
};

export const trainingLaws: StandaloneLaw[] = [H1, H2, H3, H4];
