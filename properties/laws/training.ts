/**
 * H: training loops. Data sets are small and seeded (least squares or logistic regression,
 * N = 2 … 12 rows of 2 features + bias); optimizers come from the registry with their defaults,
 * so every optimizer is covered.
 *
 * H5–H7 watch the loop from outside, against the definitions in src/train (its header and the
 * TrainOptions / TrainResult docs): a spy objective records every batch the loop asks for (its
 * rows, the parameters it is taken at, its loss and gradient) and a spy optimizer every step it
 * is asked to take (parameters, gradient and state before and after, and the learning rate in
 * force, read from the optimizer itself at the moment of the step). Expected values come from the
 * definitions and from the spies' own copies, never from the loop's bookkeeping.
 */
import fc from 'fast-check';
import { epochShuffle } from '../../src/data/datasets.js';
import { makeRng } from '../../src/data/random.js';
import { leastSquares, logisticRegression } from '../../src/objectives/linear.js';
import type { FiniteSumObjective } from '../../src/objectives/types.js';
import { registry } from '../../src/optimizers/registry.js';
import type { Hyper, Optimizer, OptimizerState } from '../../src/optimizers/types.js';
import {
  DivergenceError,
  parallelBatch,
  train,
  type Schedule,
  type StopReason,
  type TrainOptions,
  type TrainResult,
} from '../../src/train/index.js';
import { logUniform, uniform } from '../arbitraries.js';
import { countedOptimizer, tick } from '../budget.js';
import { must, mustBeSameBits, show, type StandaloneLaw } from '../framework.js';
import { chiSquareTwoSided, pairTests, rejected, standardNormalTests, type TestResult } from '../stats.js';

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
function objectiveOf(s: Pick<Setup, 'seed' | 'N' | 'kind'>, reduction: 'mean' | 'sum' = 'mean'): FiniteSumObjective {
  const rng = makeRng(s.seed, 'H');
  const X = new Float64Array(s.N * 3);
  const y = new Float64Array(s.N);
  for (let i = 0; i < s.N; i++) {
    X[i * 3] = rng.normal();
    X[i * 3 + 1] = rng.normal();
    X[i * 3 + 2] = 1;
    y[i] = s.kind === 'leastSquares' ? 3 * rng.normal() : rng.uniform() < 0.5 ? 0 : 1;
  }
  return s.kind === 'leastSquares'
    ? leastSquares({ X, y, features: 3, reduction })
    : logisticRegression({ X, y, features: 3, reduction });
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
function manual(
  o: FiniteSumObjective,
  opt: Optimizer,
  init: Float64Array,
  epochs: number,
  S: number,
  order: (e: number) => Uint32Array,
): { params: Float64Array; state: OptimizerState } {
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
  tolerance: 'bit for bit: the same sums in the same order',
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
      must(
        c.steps === s.epochs * o.examples,
        () => `S = 1 took ${c.steps} steps, expected epochs·N = ${s.epochs * o.examples}`,
      );
      return true;
    }),
};

const H2: StandaloneLaw = {
  id: 'H2',
  title:
    'seeded epoch shuffles are permutations, repeatable per seed, different across epochs, and are the order train visits',
  tolerance: 'exact: permutations, compared element by element',
  subject: 'shuffle',
  runs: 60,
  property: () =>
    fc.property(
      fc.integer({ min: 10, max: 300 }),
      fc.integer({ min: 0, max: 1_000_000 }),
      fc.integer({ min: 0, max: 1000 }),
      setupArb,
      (n, seed, epoch, s) => {
        const p = epochShuffle(n, seed, epoch);
        const sorted = Array.from(p).sort((x, y) => x - y);
        must(
          sorted.every((v, i) => v === i),
          () => `epoch ${epoch} shuffle of ${n} is not a permutation of 0 … ${n - 1}`,
        );
        const again = epochShuffle(n, seed, epoch, new Uint32Array(n));
        must(
          p.every((v, i) => v === again[i]),
          () => `seed ${seed} epoch ${epoch}: two shuffles differ`,
        );
        // n ≥ 10: two independent uniform permutations coincide with probability 1/n! ≤ 2.8e-7.
        const next = epochShuffle(n, seed, epoch + 1);
        must(
          !p.every((v, i) => v === next[i]),
          () => `seed ${seed}: epochs ${epoch} and ${epoch + 1} have the same order`,
        );
        // train with S = 1 visits rows in exactly these orders.
        const o = objectiveOf(s);
        const entry = registry.find((e) => e.name === s.optimizer)!;
        const init = initOf(s.seed);
        const a = train(o, entry.create(), init, { epochs: s.epochs, batchSize: 1, seed });
        const b = manual(o, entry.create(), init, s.epochs, 1, (e) => epochShuffle(o.examples, seed, e));
        mustBeSameBits('shuffled SGD params', a.params, b.params);
        return true;
      },
    ),
};

const H3: StandaloneLaw = {
  id: 'H3',
  title:
    'divergence (lr far too large) stops training with an error naming epoch and step; the last finite params and state are returned',
  tolerance: 'exact: the returned params and state replay bit for bit from the kept steps',
  subject: 'train',
  runs: 30,
  property: () =>
    fc.property(
      setupArb,
      fc.integer({ min: 1, max: 4 }),
      fc.double({ min: 3, max: 8, noNaN: true }),
      (s, S0, logLr) => {
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
        must(
          /epoch \d+, step \d+/.test(err.message) && /learning rate is probably too large/.test(err.message),
          () => `unclear message: ${err!.message}`,
        );
        const r = err.result;
        must(
          r.stopReason === 'diverged' && r.params.every(Number.isFinite),
          () => `returned params not finite: [${Array.from(r.params).join(', ')}]`,
        );
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
        const ret = train(o, registry[0].create({ lr }), init, {
          epochs: 5000,
          batchSize: S,
          shuffle: false,
          onDivergence: 'return',
        });
        must(ret.stopReason === 'diverged' && ret.divergence?.step === err.step, () => `onDivergence 'return' differs`);
        mustBeSameBits("onDivergence 'return' params", ret.params, r.params);
        return true;
      },
    ),
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
  tolerance:
    "bit for bit where every sum is exact (powers of two, dyadic data); otherwise within the two summation orders' error bounds ((m − 1)·u·Σ|t_i| each, Higham §4.2)",
  subject: 'train',
  runs: 60,
  property: () =>
    fc.property(
      fc.integer({ min: 0, max: 3 }),
      fc.integer({ min: 0, max: 3 }),
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 0, max: 1_000_000 }),
      fc.constantFrom(...registry.map((e) => e.name)),
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
            const bound = ((1 + 2 ** -20) * (n + b + k) * U * scale[j]!) / n;
            const diff = Math.abs(gp[j]! - gm[j]!);
            must(
              diff <= bound,
              () => `k = ${k}, b = ${b}: |parallel − mini-batch| = ${diff} > (n + b + k)·u·Σ|t|/n = ${bound} at [${j}]`,
            );
          }
        }
        return true;
      },
    ),
};

// ---------------------------------------------------------------------------------------------
// H5–H7: the loop seen from outside.

/** A copy of a state's counter and buffers (the law's own copy: not the loop's cloneState). */
interface Snapshot {
  t: number;
  buffers: Record<string, Float64Array | Float32Array>;
}
const snapshot = (s: OptimizerState): Snapshot => ({
  t: s.t,
  buffers: Object.fromEntries(Object.entries(s.buffers).map(([k, v]) => [k, v.slice()])),
});

function sameSnapshot(
  what: string,
  got: { t: number; buffers: Record<string, Float64Array | Float32Array> },
  want: Snapshot,
): void {
  must(got.t === want.t, () => `${what}: state.t = ${got.t}, want ${want.t}`);
  must(
    Object.keys(got.buffers).length === Object.keys(want.buffers).length,
    () => `${what}: state buffers {${Object.keys(got.buffers)}}, want {${Object.keys(want.buffers)}}`,
  );
  for (const k of Object.keys(want.buffers)) mustBeSameBits(`${what}: state.${k}`, got.buffers[k]!, want.buffers[k]!);
}

interface BatchCall {
  rows: number[];
  x: Float64Array;
  loss: number;
  g: Float64Array;
}
interface StepCall {
  params: Float64Array;
  g: Float64Array;
  lr: unknown;
  before: Snapshot;
  after: Snapshot;
  paramsAfter: Float64Array;
}

/** A fault a law forces on the k-th batch (loss, gradient) or the k-th step (parameter, state), k from 1. */
export interface Fault {
  path: 'loss' | 'grad' | 'param' | 'state';
  at: number;
  value: number;
  index: number;
}

/** `o` recording every batch call; `fault` replaces the loss or one gradient element of call `at`. */
function spyObjective(o: FiniteSumObjective, calls: BatchCall[], fault?: Fault): FiniteSumObjective {
  return Object.freeze({
    ...o,
    batch(x: Float64Array, idx: Uint32Array, from: number, to: number, g?: Float64Array): number {
      let loss = o.batch(x, idx, from, to, g);
      if (fault && calls.length + 1 === fault.at) {
        if (fault.path === 'loss') loss = fault.value;
        if (fault.path === 'grad' && g) g[fault.index % g.length] = fault.value;
      }
      calls.push({
        rows: Array.from(idx.subarray(from, to)),
        x: x.slice(),
        loss,
        g: g ? g.slice() : new Float64Array(0),
      });
      return loss;
    },
  });
}

/**
 * `inner` recording every step (counted against the law's budget); `fault` writes its value into
 * one parameter or one state element after the real step `at` (a value that became non-finite
 * inside the step, with every other coordinate already moved).
 */
function spyOptimizer(inner: Optimizer, steps: StepCall[], fault?: Fault, sets?: unknown[]): Optimizer {
  const counted = countedOptimizer(inner);
  return Object.create(inner, {
    set: {
      value(changes: Partial<Hyper>) {
        sets?.push({ ...changes });
        inner.set(changes);
        return this;
      },
    },
    step: {
      value: (p: Float64Array, g: Float64Array, s: OptimizerState): void => {
        const rec = { params: p.slice(), g: g.slice(), lr: inner.hyper.lr, before: snapshot(s) };
        counted.step(p, g, s);
        if (fault && steps.length + 1 === fault.at) {
          const names = Object.keys(s.buffers);
          if (fault.path === 'param' || names.length === 0) p[fault.index % p.length] = fault.value;
          else if (fault.path === 'state') {
            const b = s.buffers[names[fault.index % names.length]!]!;
            b[fault.index % b.length] = fault.value;
          }
        }
        steps.push({ ...rec, after: snapshot(s), paramsAfter: p.slice() });
      },
    },
  }) as Optimizer;
}

/**
 * η_t of each schedule from its definition (CS231n, "Neural networks 3", annealing the learning
 * rate; Ruder 2016 §3), t from 0: constant η0; step decay η0·drop^⌊t/every⌋; exponential
 * η0·e^(−kt); 1/t η0/(1 + kt).
 */
function rateAt(s: Schedule, lr0: number, t: number): number {
  switch (s.kind) {
    case 'constant':
      return lr0;
    case 'step':
      return lr0 * Math.pow(s.drop, Math.floor(t / s.every));
    case 'exponential':
      return lr0 * Math.exp(-s.k * t);
    case 'inverse':
      return lr0 / (1 + s.k * t);
  }
}

/**
 * Schedules whose consecutive rates differ by ≥ 1 % (drop ≤ 0.95, k ≥ 0.01), so a rate one epoch
 * or one step off is far outside the 4u tolerance; `per` omitted means per epoch.
 */
const perArb = fc.constantFrom('epoch' as const, 'step' as const, undefined);
const scheduleArb: fc.Arbitrary<Schedule> = fc
  .oneof(
    fc.constant({ kind: 'constant' as const }),
    fc.record({
      kind: fc.constant('step' as const),
      drop: uniform(0.1, 0.95),
      every: fc.integer({ min: 1, max: 3 }),
      per: perArb,
    }),
    fc.record({ kind: fc.constant('exponential' as const), k: uniform(0.01, 1), per: perArb }),
    fc.record({ kind: fc.constant('inverse' as const), k: uniform(0.01, 2), per: perArb }),
  )
  .map((s) => (s.kind !== 'constant' && s.per === undefined ? ((({ per: _p, ...rest }) => rest)(s) as Schedule) : s));

/** A state reached by `k` steps of `opt` on gradients of the objective at the init (to resume from). */
function startState(opt: Optimizer, o: FiniteSumObjective, init: Float64Array, k: number): OptimizerState {
  const st = opt.init(o.dim);
  const p = init.slice();
  const g = new Float64Array(o.dim);
  for (let i = 0; i < k; i++) {
    o.grad(p, g);
    opt.step(p, g, st);
  }
  return st;
}

const loopArb = fc.record({
  s: setupArb,
  S: fc.integer({ min: 1, max: 12 }),
  shuffle: fc.boolean(),
  schedule: scheduleArb,
  reduction: fc.constantFrom('mean' as const, 'sum' as const),
  resume: fc.integer({ min: 0, max: 2 }),
});

const H5: StandaloneLaw = {
  id: 'H5',
  title:
    "the loop takes ⌈N/S⌉ steps per epoch on consecutive slices of the epoch's order (split among k workers in k contiguous parts), each on its batch's gradient at the current parameters with the schedule's rate in force; history, steps and the result are what they say",
  tolerance:
    'bit for bit for slices, parameters, gradients and states; the rate in force within 4u of its formula (another evaluation order rounds the power and the product once each); epoch losses within (B + 1)·u·Σ|terms|',
  subject: 'train',
  runs: 80,
  property: () =>
    fc.property(loopArb, fc.constantFrom(1, 1, 2, 3), ({ s, S: S0, shuffle, schedule, reduction, resume }, K) => {
      // With k workers the batch is k parts of b rows and must divide N: N and S rounded down to fit.
      let N = s.N;
      let S = Math.min(S0, N);
      if (K > 1) {
        S = K * Math.max(1, Math.floor(S / K));
        N = S * Math.max(1, Math.floor(s.N / S));
      }
      const b = S / K;
      const o = objectiveOf({ ...s, N }, reduction);
      const B = Math.ceil(N / S);
      const E = s.epochs;
      const entry = registry.find((e) => e.name === s.optimizer)!;
      const inner = entry.create();
      const lr0 = inner.hyper.lr as number;
      const init = initOf(s.seed);
      const init0 = init.slice();
      const given = resume ? startState(entry.create(), o, init, resume) : undefined;
      const start = given ? snapshot(given) : snapshot(inner.init(o.dim));
      const batches: BatchCall[] = [];
      const steps: StepCall[] = [];
      const seen: [number, number][] = [];
      const sets: unknown[] = [];
      const r = train(
        spyObjective(o, batches),
        spyOptimizer(inner, steps, undefined, sets),
        init,
        {
          epochs: E,
          batchSize: S,
          shuffle,
          seed: s.seed,
          schedule,
          ...(K > 1 ? { workers: K } : {}),
          onEpoch: (e, l) => seen.push([e, l]),
        },
        given,
      );
      // Batch GD (S = N) is one update per epoch, SGD (S = 1) N, mini-batch ⌈N/S⌉.
      must(
        steps.length === E * B,
        () => `N = ${N}, S = ${S}: ${steps.length} steps in ${E} epochs, want ${E}·⌈N/S⌉ = ${E * B}`,
      );
      must(
        batches.length === K * steps.length,
        () => `${batches.length} batch gradients for ${steps.length} steps, want ${K} each (workers)`,
      );
      must(r.steps === steps.length, () => `result.steps = ${r.steps}, but the optimizer took ${steps.length}`);
      const perStep = schedule.kind !== 'constant' && schedule.per === 'step';
      const mean = reduction === 'mean';
      for (let e = 0; e < E; e++) {
        // A full batch is never shuffled (its order does not change the mathematics).
        const order = shuffle && S < N ? epochShuffle(N, s.seed, e) : identity(N);
        let sum = 0;
        let abs = 0;
        for (let j = 0; j < B; j++) {
          const k = e * B + j;
          const st = steps[k]!;
          const at = `epoch ${e + 1}, step ${j + 1}`;
          const from = j * S;
          const to = Math.min(from + S, N);
          const parts = batches.slice(k * K, (k + 1) * K);
          // Worker w reduces rows order[from + w·b, from + (w + 1)·b) (the whole slice when k = 1).
          parts.forEach((c, w) => {
            const want = Array.from(order.subarray(K > 1 ? from + w * b : from, K > 1 ? from + (w + 1) * b : to));
            must(
              c.rows.length === want.length && c.rows.every((v, i) => v === want[i]),
              () => `${at}${K > 1 ? `, worker ${w + 1} of ${K}` : ''}: rows [${c.rows}], want [${want}]`,
            );
            mustBeSameBits(`${at}: parameters the gradient was taken at vs those stepped`, c.x, st.params);
          });
          mustBeSameBits(
            `${at}: parameters before the step vs after the previous one`,
            st.params,
            k === 0 ? init0 : steps[k - 1]!.paramsAfter,
          );
          sameSnapshot(
            `${at}: state before the step vs ${k === 0 ? 'the start' : 'after the previous one'}`,
            st.before,
            k === 0 ? start : steps[k - 1]!.after,
          );
          // The gradient stepped on: the batch's, or the reduction of the workers' results (each
          // summed in worker order: within (k + 1)·u·Σ|g_w| of any other order, divided by k for a mean).
          let stepLoss: number;
          if (K === 1) {
            mustBeSameBits(`${at}: gradient stepped on vs the batch's`, st.g, parts[0]!.g);
            stepLoss = parts[0]!.loss;
          } else {
            let lsum = 0;
            for (const c of parts) lsum += c.loss;
            stepLoss = mean ? lsum / K : lsum;
            for (let i = 0; i < o.dim; i++) {
              let gs = 0;
              let ga = 0;
              for (const c of parts) {
                gs += c.g[i]!;
                ga += Math.abs(c.g[i]!);
              }
              const want = mean ? gs / K : gs;
              const tol = (K + 1) * U * (mean ? ga / K : ga);
              must(
                Math.abs(st.g[i]! - want) <= tol,
                () =>
                  `${at}: gradient[${i}] stepped on ${show(st.g[i])}, want the ${reduction} of the ${K} workers' ${show(want)} (± ${tol})`,
              );
            }
          }
          // The rate in force: the formula at t = epoch or step index, to 4u (the formula evaluated
          // in another order differs by at most a rounding of the power and of the product).
          const t = perStep ? k : e;
          const eta = rateAt(schedule, lr0, t);
          const lr = st.lr as number;
          must(
            Math.abs(lr - eta) <= 4 * U * eta,
            () =>
              `${at} (t = ${t} ${perStep ? 'steps' : 'epochs'}): lr in force ${show(lr)}, want ${JSON.stringify(schedule)} → ${show(eta)}`,
          );
          const term = mean ? stepLoss * (to - from) : stepLoss;
          sum += term;
          abs += Math.abs(term);
        }
        // The epoch's loss: the reduction over its examples of the batch losses, each at its own
        // parameters. Both sums are sequential over B terms (of k worker losses each): each within
        // (B + k + 1)·u·Σ|terms| of exact.
        const want = mean ? sum / N : sum;
        const tol = 2 * (B + K + 1) * U * (mean ? abs / N : abs);
        const got = r.history[e]!;
        must(
          Math.abs(got - want) <= tol,
          () => `history[${e}] = ${show(got)}, want the ${reduction} over the epoch's batches ${show(want)} (± ${tol})`,
        );
      }
      must(
        r.history.length === E && r.epochs === E && r.stopReason === 'epochs',
        () =>
          `result: ${r.history.length} losses, epochs = ${r.epochs}, stopReason = ${r.stopReason}; want ${E}, ${E}, 'epochs'`,
      );
      must(
        seen.length === E && seen.every(([e, l], i) => e === i + 1 && Object.is(l, r.history[i])),
        () => `onEpoch calls ${JSON.stringify(seen)}, want (1 … ${E}, history[i])`,
      );
      mustBeSameBits('result.params vs the parameters after the last step', r.params, steps.at(-1)!.paramsAfter);
      sameSnapshot('result.state vs the state after the last step', r.state, steps.at(-1)!.after);
      must(
        r.state.t === start.t + steps.length,
        () => `result.state.t = ${r.state.t}, want ${start.t} + ${steps.length}`,
      );
      if (given) must(r.state === given, () => 'result.state is not the state object passed in');
      mustBeSameBits('init after training (must not be modified)', init, init0);
      must(
        inner.hyper.lr === lr0,
        () => `lr after training = ${show(inner.hyper.lr as number)}, want it restored to ${lr0}`,
      );
      // set is called to change the rate and only then ({ lr } alone), and once more to restore lr0.
      const wantSets: unknown[] = [];
      let inForce = lr0;
      for (const st of steps)
        if (st.lr !== inForce) {
          inForce = st.lr as number;
          wantSets.push({ lr: inForce });
        }
      if (inForce !== lr0) wantSets.push({ lr: lr0 });
      must(
        JSON.stringify(sets) === JSON.stringify(wantSets),
        () =>
          `optimizer.set calls ${JSON.stringify(sets)}, want ${JSON.stringify(wantSets)} (one per change of the rate in force, then the restore)`,
      );
      return true;
    }),
};

/** The stop the definitions prescribe for a loss history (TrainOptions: lossThreshold, patience, minDelta). */
function expectedStop(
  losses: readonly number[],
  o: { lossThreshold?: number; patience?: number; minDelta: number },
): { epochs: number; reason: StopReason } {
  let best = Infinity;
  let wait = 0;
  for (let e = 0; e < losses.length; e++) {
    const L = losses[e]!;
    // "Stop once an epoch's loss is ≤ lossThreshold", checked first.
    if (o.lossThreshold !== undefined && L <= o.lossThreshold) return { epochs: e + 1, reason: 'threshold' };
    // "Stop after `patience` epochs in a row without the loss improving on its best by > minDelta."
    if (best - L > o.minDelta) {
      best = L;
      wait = 0;
    } else if (o.patience !== undefined && ++wait >= o.patience) return { epochs: e + 1, reason: 'patience' };
  }
  return { epochs: losses.length, reason: 'epochs' };
}

/**
 * A finite sum whose loss is a script: the first batch of epoch e returns losses[e], the others 0
 * (reduction 'sum', so the epoch's loss is exactly losses[e]); the gradient is (1, −0.5, 0.25) on
 * every batch, so the parameters move and a step too many or too few shows in them.
 */
function scripted(N: number, S: number, losses: readonly number[]): FiniteSumObjective {
  let calls = 0;
  const B = Math.ceil(N / S);
  const o = leastSquares({ X: new Float64Array(N * 3).fill(1), y: new Float64Array(N), features: 3, reduction: 'sum' });
  return Object.freeze({
    ...o,
    batch(_x: Float64Array, _idx: Uint32Array, _from: number, _to: number, g?: Float64Array): number {
      const k = calls++;
      if (g) g.set([1, -0.5, 0.25]);
      return k % B === 0 ? (losses[k / B] ?? 0) : 0;
    },
  });
}

const H6: StandaloneLaw = {
  id: 'H6',
  title:
    'early stopping: a threshold stops on the first epoch at or below it; patience after exactly that many epochs without an improvement > minDelta; nothing runs past the stop',
  tolerance: 'exact: epochs counted, losses compared as computed',
  subject: 'train',
  runs: 150,
  property: () =>
    fc.property(
      // (a) Scripted losses: small integers, so plateaus, ties with the threshold and improvements
      // of exactly minDelta (half-integers) all happen and all arithmetic is exact.
      fc.record({
        losses: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 12 }),
        N: fc.integer({ min: 1, max: 4 }),
        S: fc.integer({ min: 1, max: 4 }),
        threshold: fc.option(fc.integer({ min: -1, max: 5 }), { nil: undefined }),
        patience: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
        minDelta: fc.constantFrom(0, 0.5, 1, 2),
        optimizer: fc.constantFrom(...registry.map((e) => e.name)),
      }),
      // (b) Real data: the threshold is one of the losses a full run records (so "at or below"
      // meets equality), patience on minDelta = 0 (then "improves" is exactly L < best).
      fc.record({
        loop: loopArb,
        j: fc.nat(),
        patience: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
        useThreshold: fc.boolean(),
      }),
      (a, b) => {
        {
          const S = Math.min(a.S, a.N);
          const entry = registry.find((e) => e.name === a.optimizer)!;
          const stop = {
            ...(a.threshold !== undefined ? { lossThreshold: a.threshold } : {}),
            ...(a.patience !== undefined ? { patience: a.patience } : {}),
            minDelta: a.minDelta,
          };
          const want = expectedStop(a.losses, stop);
          const init = Float64Array.of(0.5, 1, -2);
          const r = train(scripted(a.N, S, a.losses), countedOptimizer(entry.create()), init, {
            epochs: a.losses.length,
            batchSize: S,
            ...stop,
          });
          must(
            r.stopReason === want.reason && r.epochs === want.epochs,
            () =>
              `losses [${a.losses}], ${JSON.stringify(stop)}: stopped after ${r.epochs} epochs (${r.stopReason}), want ${want.epochs} (${want.reason})`,
          );
          must(
            r.history.length === want.epochs && r.history.every((l, i) => l === a.losses[i]),
            () => `history [${r.history}], want the first ${want.epochs} of [${a.losses}]`,
          );
          must(
            r.steps === want.epochs * Math.ceil(a.N / S),
            () => `${r.steps} steps, want ${want.epochs} epochs × ${Math.ceil(a.N / S)}`,
          );
          // Nothing runs past the stop: the same parameters as a run of exactly that many epochs.
          const plain = train(scripted(a.N, S, a.losses), entry.create(), init, { epochs: want.epochs, batchSize: S });
          mustBeSameBits('params at the stop vs a run of that many epochs', r.params, plain.params);
        }
        {
          const { s, S: S0, shuffle, schedule } = b.loop;
          const o = objectiveOf(s);
          const S = Math.min(S0, o.examples);
          const E = s.epochs + 4;
          const entry = registry.find((e) => e.name === s.optimizer)!;
          const init = initOf(s.seed);
          const opts: TrainOptions = { epochs: E, batchSize: S, shuffle, seed: s.seed, schedule };
          const full = train(o, countedOptimizer(entry.create()), init, opts);
          const stop = {
            ...(b.useThreshold ? { lossThreshold: full.history[b.j % E]! } : {}),
            ...(b.patience !== undefined ? { patience: b.patience } : {}),
            minDelta: 0,
          };
          const want = expectedStop(full.history, stop);
          const steps: StepCall[] = [];
          const r = train(o, spyOptimizer(entry.create(), steps), init, { ...opts, ...stop });
          must(
            r.stopReason === want.reason && r.epochs === want.epochs,
            () =>
              `history [${full.history.map(show)}], ${JSON.stringify(stop)}: stopped after ${r.epochs} epochs (${r.stopReason}), want ${want.epochs} (${want.reason})`,
          );
          must(
            r.history.every((l, i) => Object.is(l, full.history[i])),
            () => `history [${r.history}] is not a prefix of the full run's`,
          );
          const B = Math.ceil(o.examples / S);
          must(
            steps.length === want.epochs * B && r.steps === steps.length,
            () => `${steps.length} steps taken (result says ${r.steps}), want ${want.epochs} × ${B}`,
          );
          mustBeSameBits('params at the stop vs after its last step', r.params, steps.at(-1)!.paramsAfter);
        }
        return true;
      },
    ),
};

/** Epoch (from 1) of step k (from 1) with B steps per epoch. */
const epochOf = (k: number, B: number): number => Math.floor((k - 1) / B) + 1;

const H7: StandaloneLaw = {
  id: 'H7',
  title:
    'divergence on every path (non-finite loss, gradient, parameter or state after a step) returns the last finite parameters and state bit for bit, names the step, keeps the finished epochs and restores lr',
  tolerance: 'bit for bit: the last finite parameters and state are returned as they were',
  subject: 'train',
  runs: 150,
  property: () =>
    fc.property(
      loopArb,
      fc.record({
        path: fc.constantFrom('loss' as const, 'grad' as const, 'param' as const, 'state' as const),
        at: fc.integer({ min: 1, max: 60 }),
        value: fc.constantFrom(Number.NaN, Infinity, -Infinity),
        index: fc.nat(5),
      }),
      fc.constantFrom('throw' as const, 'return' as const),
      ({ s, S: S0, shuffle, schedule, reduction, resume }, f, onDivergence) => {
        const o = objectiveOf(s, reduction);
        const N = o.examples;
        const S = Math.min(S0, N);
        const B = Math.ceil(N / S);
        const E = s.epochs;
        const fault: Fault = { ...f, at: 1 + ((f.at - 1) % (E * B)) };
        const k = fault.at;
        const entry = registry.find((e) => e.name === s.optimizer)!;
        const inner = entry.create();
        const lr0 = inner.hyper.lr as number;
        const init = initOf(s.seed);
        const given = resume ? startState(entry.create(), o, init, resume) : undefined;
        const start = given ? snapshot(given) : snapshot(inner.init(o.dim));
        const batches: BatchCall[] = [];
        const steps: StepCall[] = [];
        const opts: TrainOptions = { epochs: E, batchSize: S, shuffle, seed: s.seed, schedule, onDivergence };
        let r: TrainResult;
        let err: DivergenceError | undefined;
        try {
          r = train(spyObjective(o, batches, fault), spyOptimizer(inner, steps, fault), init, opts, given);
          err = r.divergence;
          must(
            onDivergence === 'return',
            () =>
              `${fault.path} = ${show(fault.value)} at step ${k}: train returned (stopReason ${r.stopReason}) instead of throwing`,
          );
        } catch (e) {
          if (!(e instanceof DivergenceError)) throw e;
          must(onDivergence === 'throw', () => `onDivergence 'return', but train threw: ${e.message}`);
          err = e;
          r = e.result;
        }
        const what = `${fault.path} = ${show(fault.value)} at step ${k} (epoch ${epochOf(k, B)}, ${B} steps per epoch)`;
        must(
          err !== undefined && r.stopReason === 'diverged',
          () => `${what}: not reported as divergence (stopReason ${r.stopReason}, ${r.steps} steps)`,
        );
        must(
          err.step === k && err.epoch === epochOf(k, B),
          () => `${what}: the error names epoch ${err!.epoch}, step ${err!.step}`,
        );
        must(
          err.message.includes(`epoch ${err.epoch}, step ${err.step}`),
          () => `${what}: the message does not name them: ${err!.message}`,
        );
        // …and what happened, with the value (the gradient and the parameter by their index).
        const v = show(fault.value);
        const said = {
          loss: `the batch loss is ${v}`,
          grad: `element ${fault.index % o.dim} is ${v}`,
          param: `parameter ${fault.index % o.dim} became ${v}`,
          state: ` became ${v}`,
        }[fault.path];
        must(
          err.message.includes(said) && err.message.includes(`after ${k - 1} steps`) && err.name === 'DivergenceError',
          () => `${what}: the ${err!.name}'s message does not say '${said}' and what is kept: ${err!.message}`,
        );
        must(r.steps === k - 1, () => `${what}: result.steps = ${r.steps}, want the ${k - 1} finished steps`);
        // The last finite parameters and state: those the loop held when it asked for batch k (the
        // spies' own copies: after step k − 1, or the start).
        mustBeSameBits(`${what}: returned params vs the last finite ones`, r.params, batches[k - 1]!.x);
        sameSnapshot(`${what}: returned state vs the last finite one`, r.state, k === 1 ? start : steps[k - 2]!.after);
        if (given) must(r.state === given, () => `${what}: result.state is not the state object passed in`);
        const done = epochOf(k, B) - 1;
        must(
          r.history.length === done && r.epochs === done,
          () => `${what}: ${r.history.length} epoch losses (epochs = ${r.epochs}), want the ${done} finished epochs`,
        );
        if (done > 0) {
          const clean = train(
            o,
            entry.create(),
            init,
            { ...opts, epochs: done, onDivergence: 'throw' },
            given ? startState(entry.create(), o, init, resume) : undefined,
          );
          must(
            clean.history.every((l, i) => Object.is(l, r.history[i])),
            () => `${what}: history [${r.history}] differs from a run without the fault [${clean.history}]`,
          );
        }
        must(
          inner.hyper.lr === lr0,
          () => `${what}: lr after divergence = ${show(inner.hyper.lr as number)}, want it restored to ${lr0}`,
        );
        return true;
      },
    ),
};

/** Significance level of each test of H8. */
const NOISE_ALPHA = 1e-6;

/**
 * H8's tests for one run of train with annealed gradient noise on a zero gradient, from the
 * gradients the optimizer received (steps t = 0 … T − 1, D coordinates): z_tj = g_tj / σ_t with
 * σ_t² = η/(1 + t)^γ (Neelakantan et al. 2015), which must be i.i.d. N(0, 1).
 *
 * - Scale at every stage of the annealing: Σ z² over the steps of each dyadic group {0}, {1},
 *   {2, 3}, …, {32 … 63} is χ²_{D·|group|} (two-sided). Noise whose variance is used as its
 *   standard deviation has Var z = η/(1 + t)^γ, which cannot be 1 on every group (γ ≥ 0.3 moves
 *   it by a factor ≥ 3 between t = 0 and t = 63); a step count off by one has
 *   Var z = ((1 + t)/(2 + t))^γ, 2^−γ ≤ 0.81 at t = 0 and (2/3)^γ ≤ 0.89 at t = 1; a wrong η or
 *   γ shifts every group. With D = 2048 the standard error of the mean z² of one step is
 *   √(2/2048) = 0.031, so the first group alone sees a ratio of 0.81 at 6 standard errors.
 * - Mean, variance and shape of all z (as R2).
 * - Independence of neighbouring coordinates (z_t,2i, z_t,2i+1) and of one coordinate in
 *   consecutive steps (z_2s,j, z_2s+1,j): correlation and 6 × 6 joint counts (as R2). One draw
 *   shared by all coordinates, or noise not redrawn each step, fails both.
 */
export function noiseTests(g: readonly Float64Array[], eta: number, gamma: number): TestResult[] {
  const T = g.length;
  const D = g[0]!.length;
  const z = g.map((gt, t) => gt.map((v) => v / Math.sqrt(eta / (1 + t) ** gamma)));
  const out: TestResult[] = [];
  for (let lo = 0; lo < T; lo = lo === 0 ? 1 : 2 * lo) {
    const hi = Math.min(T, lo === 0 ? 1 : 2 * lo);
    let s2 = 0;
    for (let t = lo; t < hi; t++) for (const v of z[t]!) s2 += v * v;
    const n = D * (hi - lo);
    out.push({
      name: `variance at steps ${lo} … ${hi - 1}`,
      p: chiSquareTwoSided(s2, n),
      detail: `mean (g/σ_t)² = ${(s2 / n).toPrecision(4)} over ${n} draws, want 1 (σ_t² = ${eta}/(1 + t)^${gamma})`,
    });
  }
  const all = new Float64Array(T * D);
  z.forEach((zt, t) => all.set(zt, t * D));
  out.push(...standardNormalTests('all steps', all));
  const a = [];
  const b = [];
  for (const zt of z)
    for (let j = 0; j + 1 < D; j += 2) {
      a.push(zt[j]!);
      b.push(zt[j + 1]!);
    }
  out.push(...pairTests('neighbouring coordinates', a, b));
  const c = [];
  const d = [];
  for (let t = 0; t + 1 < T; t += 2)
    for (let j = 0; j < D; j++) {
      c.push(z[t]![j]!);
      d.push(z[t + 1]![j]!);
    }
  out.push(...pairTests('consecutive steps', c, d));
  return out;
}

/**
 * N = 16 rows of D = 2048 zero features: least squares whose gradient is exactly 0 everywhere. Made
 * when the law runs, not when the module loads (code run at load is a "static" mutant for Stryker,
 * which then runs every test of its row for it: reports/mutation/README.md).
 */
const NOISE_D = 2048;
const zeroGradient = (): FiniteSumObjective =>
  leastSquares({
    X: new Float64Array(16 * NOISE_D),
    y: Float64Array.from({ length: 16 }, (_, i) => i - 8),
    features: NOISE_D,
  });

const H8: StandaloneLaw = {
  id: 'H8',
  title: `annealed gradient noise: the gradient each step receives is ∇ + N(0, η/(1 + t)^γ) per coordinate, t the step from 0, independent across coordinates and steps (α = ${NOISE_ALPHA} per test)`,
  tolerance:
    'statistical: each test at a false-failure rate α = 1e-6 (normal and independence tests on the noise drawn)',
  subject: 'train',
  // 3 runs × 14 tests × 1e-6: a random run seed fails correct noise with probability ≤ 4.2e-5; at
  // the pinned seed it is a deterministic computation that passes.
  runs: 3,
  property: () =>
    fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), logUniform(0.01, 10), uniform(0.3, 2), (seed, eta, gamma) => {
      const steps: StepCall[] = [];
      // SGD, S = 1, 4 epochs: T = 64 steps. The gradient is 0, so what the optimizer receives is the noise.
      train(zeroGradient(), spyOptimizer(registry[0].create({ lr: 1e-3 }), steps), new Float64Array(NOISE_D), {
        epochs: 4,
        batchSize: 1,
        seed,
        gradientNoise: { eta, gamma },
      });
      const bad = rejected(
        noiseTests(
          steps.map((s) => s.g),
          eta,
          gamma,
        ),
        NOISE_ALPHA,
      );
      must(bad.length === 0, () => `seed ${seed}, η = ${eta}, γ = ${gamma}:\n    ${bad.join('\n    ')}`);
      return true;
    }),
};

/** A valid call of train that one bad input will spoil. */
interface TrainCall {
  objective: unknown;
  optimizer: unknown;
  init: unknown;
  opts: unknown;
  state?: unknown;
}

/** An optimizer without an lr hyperparameter (a maintainer's may have none). */
const withoutLr = (o: Optimizer): Optimizer => {
  const { lr: _lr, ...rest } = o.hyper;
  return Object.create(o, { hyper: { value: Object.freeze(rest) } }) as Optimizer;
};

/**
 * Bad inputs of train, each with the error it must raise: the function, the input, its value
 * and what is allowed (PROJECT standard: "bad input gets a clear error naming the parameter, the
 * value and what is allowed, and changes nothing"). `N` is the call's number of examples, `S` its
 * batch size (≥ 1, ≤ N).
 */
const BAD_TRAIN: readonly {
  what: string;
  spoil: (c: TrainCall, N: number, S: number) => void;
  error: (N: number, S: number) => RegExp;
}[] = [
  {
    what: 'objective without batch()',
    spoil: (c) => {
      c.objective = { ...(c.objective as object), batch: undefined };
    },
    error: () => /^train: objective must be a finite-sum objective \(leastSquares, logisticRegression, …\)$/,
  },
  {
    what: 'objective null',
    spoil: (c) => {
      c.objective = null;
    },
    error: () => /^train: objective must be a finite-sum objective/,
  },
  {
    what: 'objective a string',
    spoil: (c) => {
      c.objective = 'leastSquares';
    },
    error: () => /^train: objective must be a finite-sum objective/,
  },
  {
    what: 'optimizer null',
    spoil: (c) => {
      c.optimizer = null;
    },
    error: () =>
      /^train: optimizer must come from createOptimizer\(name, hyper\) \(an object with init, step and set\)$/,
  },
  ...(['step', 'init', 'set'] as const).map((k) => ({
    what: `optimizer without ${k}()`,
    spoil: (c: TrainCall) => {
      c.optimizer = Object.create(c.optimizer as object, { [k]: { value: undefined } });
    },
    error: () => /^train: optimizer must come from createOptimizer/,
  })),
  {
    what: 'optimizer a function',
    spoil: (c) => {
      c.optimizer = () => 0;
    },
    error: () => /^train: optimizer must come from createOptimizer/,
  },
  {
    what: 'init of another length',
    spoil: (c) => {
      c.init = new Float64Array(2);
    },
    error: () => /^train: init\.length = 2; allowed: 3$/,
  },
  {
    what: 'init an Array',
    spoil: (c) => {
      c.init = [1, 2, 3];
    },
    error: () => /^train: init is an Array; allowed: a Float64Array of length 3$/,
  },
  {
    what: 'init with NaN',
    spoil: (c) => {
      c.init = Float64Array.of(0, Number.NaN, 1);
    },
    error: () => /^train: init\[1\] = NaN; allowed: finite values$/,
  },
  {
    what: 'init with -Infinity',
    spoil: (c) => {
      c.init = Float64Array.of(0, 1, -Infinity);
    },
    error: () => /^train: init\[2\] = -Infinity; allowed: finite values$/,
  },
  {
    what: 'options null',
    spoil: (c) => {
      c.opts = null;
    },
    error: () => /^train: options must be an object such as \{ epochs: 100 \}$/,
  },
  {
    what: 'options a number',
    spoil: (c) => {
      c.opts = 5;
    },
    error: () => /^train: options must be an object/,
  },
  // Each value as the message shows it: a string quoted, so that '3' is not read as the number 3.
  ...(
    [
      [0, '0'],
      [2.5, '2.5'],
      [-1, '-1'],
      [2e9, '2000000000'],
      ['3', "'3'"],
      [Number.NaN, 'NaN'],
    ] as const
  ).map(([v, shown]) => ({
    what: `epochs = ${shown}`,
    spoil: (c: TrainCall) => {
      (c.opts as TrainOptions).epochs = v as number;
    },
    error: () => new RegExp(`^train: epochs = ${shown}; allowed: an integer ≥ 1 and ≤ 1000000000$`),
  })),
  ...[0, 1.5].map((v) => ({
    what: `batchSize = ${v}`,
    spoil: (c: TrainCall) => {
      (c.opts as TrainOptions).batchSize = v;
    },
    error: (N: number) => new RegExp(`^train: batchSize = ${v}; allowed: an integer ≥ 1 and ≤ ${N}$`),
  })),
  {
    what: 'batchSize = N + 1',
    spoil: (c, N) => {
      (c.opts as TrainOptions).batchSize = N + 1;
    },
    error: (N) => new RegExp(`^train: batchSize = ${N + 1}; allowed: an integer ≥ 1 and ≤ ${N}$`),
  },
  ...[1.5, '', Number.NaN, 2 ** 53].map((v) => ({
    what: `seed = ${JSON.stringify(v)}`,
    spoil: (c: TrainCall) => {
      (c.opts as TrainOptions).seed = v as number;
    },
    error: () => new RegExp(`^train: seed = ${String(v)}; allowed: a safe integer or a non-empty string$`),
  })),
  {
    what: 'schedule a number',
    spoil: (c) => {
      (c.opts as TrainOptions).schedule = 5 as never;
    },
    error: () => /^schedule must be an object such as \{ kind: 'step', drop: 0\.5, every: 10 \}$/,
  },
  {
    what: 'schedule cosine',
    spoil: (c) => {
      (c.opts as TrainOptions).schedule = { kind: 'cosine' } as never;
    },
    error: () => /^schedule\.kind = cosine; allowed: 'constant', 'step', 'exponential', 'inverse'$/,
  },
  {
    what: 'schedule per batch',
    spoil: (c) => {
      (c.opts as TrainOptions).schedule = { kind: 'step', drop: 0.5, every: 1, per: 'batch' } as never;
    },
    error: () => /^schedule\.per = batch; allowed: 'epoch' or 'step'$/,
  },
  {
    what: 'step drop 0',
    spoil: (c) => {
      (c.opts as TrainOptions).schedule = { kind: 'step', drop: 0, every: 1 };
    },
    error: () => /^schedule\.drop = 0; allowed: 0 < drop ≤ 1$/,
  },
  {
    what: 'step drop 1.5',
    spoil: (c) => {
      (c.opts as TrainOptions).schedule = { kind: 'step', drop: 1.5, every: 1 };
    },
    error: () => /^schedule: drop = 1\.5; allowed: 0 ≤ drop ≤ 1, finite$/,
  },
  {
    what: 'step every 0',
    spoil: (c) => {
      (c.opts as TrainOptions).schedule = { kind: 'step', drop: 0.5, every: 0 };
    },
    error: () => /^schedule: every = 0; allowed: an integer ≥ 1$/,
  },
  {
    what: 'exponential k < 0',
    spoil: (c) => {
      (c.opts as TrainOptions).schedule = { kind: 'exponential', k: -1 };
    },
    error: () => /^schedule: k = -1; allowed: 0 ≤ k ≤ 1e\+300, finite$/,
  },
  {
    what: 'inverse k NaN',
    spoil: (c) => {
      (c.opts as TrainOptions).schedule = { kind: 'inverse', k: Number.NaN };
    },
    error: () => /^schedule: k = NaN; allowed: 0 ≤ k ≤ 1e\+300, finite$/,
  },
  {
    what: 'a schedule for an optimizer without lr',
    spoil: (c) => {
      c.optimizer = withoutLr(c.optimizer as Optimizer);
      (c.opts as TrainOptions).schedule = { kind: 'inverse', k: 1 };
    },
    error: () =>
      /^train: schedule 'inverse' needs a learning rate, and \w+ has no lr hyperparameter; allowed: schedule \{ kind: 'constant' \}$/,
  },
  ...[Number.NaN, Infinity, -Infinity].map((v) => ({
    what: `lossThreshold = ${v}`,
    spoil: (c: TrainCall) => {
      (c.opts as TrainOptions).lossThreshold = v;
    },
    error: () => new RegExp(`^train: lossThreshold = ${v}; allowed: -Infinity < lossThreshold < Infinity, finite$`),
  })),
  ...[0, 1.5].map((v) => ({
    what: `patience = ${v}`,
    spoil: (c: TrainCall) => {
      (c.opts as TrainOptions).patience = v;
    },
    error: () => new RegExp(`^train: patience = ${v}; allowed: an integer ≥ 1$`),
  })),
  ...[-1, Number.NaN].map((v) => ({
    what: `minDelta = ${v}`,
    spoil: (c: TrainCall) => {
      (c.opts as TrainOptions).minDelta = v;
    },
    error: () => new RegExp(`^train: minDelta = ${v}; allowed: 0 ≤ minDelta ≤ 1e\\+300, finite$`),
  })),
  {
    what: 'noise eta < 0',
    spoil: (c) => {
      (c.opts as TrainOptions).gradientNoise = { eta: -1 };
    },
    error: () => /^train: gradientNoise\.eta = -1; allowed: 0 ≤ gradientNoise\.eta ≤ 1e\+300, finite$/,
  },
  {
    what: 'noise gamma < 0',
    spoil: (c) => {
      (c.opts as TrainOptions).gradientNoise = { eta: 1, gamma: -1 };
    },
    error: () => /^train: gradientNoise\.gamma = -1; allowed: 0 ≤ gradientNoise\.gamma ≤ 1000, finite$/,
  },
  {
    what: 'workers 0',
    spoil: (c) => {
      (c.opts as TrainOptions).workers = 0;
    },
    error: (_N, S) => new RegExp(`^train: workers = 0; allowed: an integer ≥ 1 and ≤ ${S}$`),
  },
  {
    what: 'workers > S',
    spoil: (c, _N, S) => {
      (c.opts as TrainOptions).workers = S + 1;
    },
    error: (_N, S) => new RegExp(`^train: workers = ${S + 1}; allowed: an integer ≥ 1 and ≤ ${S}$`),
  },
  {
    what: 'workers not dividing S',
    spoil: (c, N) => {
      Object.assign(c.opts as TrainOptions, { batchSize: N, workers: N, epochs: 1 });
      (c.opts as TrainOptions).batchSize = N - 1 > 1 ? N - 1 : N;
      (c.opts as TrainOptions).workers = 2;
    },
    error: (N) =>
      new RegExp(
        `^train: workers = 2 with batchSize = ${N - 1 > 1 ? N - 1 : N} and N = ${N}; allowed: batchSize a multiple of workers that divides N$`,
      ),
  },
  {
    what: 'onDivergence ignore',
    spoil: (c) => {
      (c.opts as TrainOptions).onDivergence = 'ignore' as never;
    },
    error: () => /^train: onDivergence = ignore; allowed: 'throw' or 'return'$/,
  },
  {
    what: 'a float32 state',
    spoil: (c) => {
      c.state = (c.optimizer as Optimizer).init(3, 'float32');
    },
    error: () => /^train: state must be a float64 state of size 3; got float32 of size 3$/,
  },
  {
    what: 'a state of another size',
    spoil: (c) => {
      c.state = (c.optimizer as Optimizer).init(2);
    },
    error: () => /^train: state must be a float64 state of size 3; got float64 of size 2$/,
  },
];

const H9: StandaloneLaw = {
  id: 'H9',
  title:
    'bad input to train is rejected before anything happens, with an error naming the input, its value and what is allowed; init, the optimizer, a given state and the objective are left as they were',
  tolerance:
    "exact: the error is thrown before any step, and init, the state and the optimizer's hyperparameters compare with their copies (init and the state bit for bit, the hyperparameters as JSON)",
  subject: 'train',
  runs: 30,
  property: () =>
    fc.property(setupArb, fc.integer({ min: 1, max: 12 }), fc.boolean(), (s, S0, withState) => {
      // "workers not dividing S" needs a batch size with no factor 2 when N is odd: N ≥ 3 keeps N − 1 ≥ 2.
      const o = objectiveOf({ ...s, N: Math.max(s.N, 3) });
      const N = o.examples;
      const S = Math.min(S0, N);
      const entry = registry.find((e) => e.name === s.optimizer)!;
      for (const bad of BAD_TRAIN) {
        const opt = entry.create();
        const hyper0 = JSON.stringify(opt.hyper);
        const batches: BatchCall[] = [];
        const steps: StepCall[] = [];
        const epochs: number[] = [];
        const init = initOf(s.seed);
        const given = withState ? startState(entry.create(), o, init, 1) : undefined;
        const call: TrainCall = {
          objective: spyObjective(o, batches),
          optimizer: spyOptimizer(opt, steps),
          init,
          opts: { epochs: 2, batchSize: S, seed: s.seed, onEpoch: (e: number) => epochs.push(e) },
          ...(given ? { state: given } : {}),
        };
        bad.spoil(call, N, S);
        const init0 = call.init instanceof Float64Array ? call.init.slice() : undefined;
        const state0 =
          call.state && (call.state as OptimizerState).buffers ? snapshot(call.state as OptimizerState) : undefined;
        let thrown: unknown;
        try {
          train(
            call.objective as FiniteSumObjective,
            call.optimizer as Optimizer,
            call.init as Float64Array,
            call.opts as TrainOptions,
            call.state as OptimizerState | undefined,
          );
        } catch (e) {
          thrown = e;
        }
        const want = bad.error(N, S);
        must(
          thrown instanceof TypeError || thrown instanceof RangeError,
          () =>
            `${bad.what}: train ${thrown === undefined ? 'accepted it' : `threw ${String(thrown)}`}; want a TypeError or RangeError matching ${want}`,
        );
        must(
          want.test(thrown.message),
          () => `${bad.what}: error '${thrown instanceof Error ? thrown.message : ''}', want ${want}`,
        );
        must(
          batches.length === 0 && steps.length === 0 && epochs.length === 0,
          () =>
            `${bad.what}: rejected after ${batches.length} batches, ${steps.length} steps, ${epochs.length} epochs; want before anything`,
        );
        if (init0) mustBeSameBits(`${bad.what}: init`, call.init as Float64Array, init0);
        if (state0) sameSnapshot(`${bad.what}: the given state`, call.state as OptimizerState, state0);
        must(
          JSON.stringify(opt.hyper) === hyper0,
          () => `${bad.what}: the optimizer's hyperparameters changed to ${JSON.stringify(opt.hyper)}`,
        );
      }
      // The same call without a bad input goes through.
      const good = train(o, entry.create(), initOf(s.seed), { epochs: 1, batchSize: S, seed: s.seed });
      must(good.steps === Math.ceil(N / S), () => `the valid call took ${good.steps} steps, want ${Math.ceil(N / S)}`);
      return true;
    }),
};

export const trainingLaws: StandaloneLaw[] = [H1, H2, H3, H4, H5, H6, H7, H8, H9];
