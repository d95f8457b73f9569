/**
 * The training loop over a finite-sum objective, with any optimizer from the registry
 * (Ruder 2016 §2; seed 000): batch gradient descent is batchSize = N (one update per epoch),
 * stochastic gradient descent batchSize = 1, mini-batch anything between; each step uses the
 * objective's reduction (mean or sum) over its batch. The last batch of an epoch is smaller when
 * S does not divide N.
 *
 * Per epoch the rows are visited in a seeded Fisher–Yates order (`epochShuffle(N, seed, epoch)`)
 * unless `shuffle: false`; a full batch (S ≥ N) is never shuffled, as the order of one batch does
 * not change the mathematics, so batch GD is deterministic and equals the full gradient's loop
 * bit for bit (law H1).
 *
 * The learning rate follows a schedule through `optimizer.set({ lr })` between steps (and is
 * restored when training ends). Training stops after `epochs` epochs, when an epoch's loss is
 * ≤ `lossThreshold`, or after `patience` epochs without improvement (early stopping), whichever
 * comes first. Optional annealed Gaussian gradient noise (Neelakantan et al. 2015, "Adding
 * gradient noise improves learning for very deep networks"): g ← g + N(0, σ_t²),
 * σ_t² = η / (1 + t)^γ, t the step count from 0 (their η ∈ {0.01, 0.3, 1}, γ = 0.55).
 *
 * Divergence: a NaN/±Infinity batch loss or gradient element (checked after the noise is added,
 * before the step), or a parameter or optimizer-state element that a step made NaN/±Infinity,
 * stops training. The parameters and the optimizer state are copied before every step (typed-array
 * copies; no allocation) and such a step is undone, so the returned ones are the last finite ones:
 * those the last finite batch was evaluated at. (An accumulator that overflowed to +Infinity leaves
 * the parameters finite but its coordinate frozen for good: that is divergence too.)
 *
 * The epoch loss recorded in `history` is the reduction over the epoch of the batch losses, each
 * computed at the parameters its gradient was taken at (free: the batch pass computes it). For
 * batch GD it is f at the parameters before the epoch's update, as seed 001 prints.
 */
import type { Optimizer, OptimizerState } from '../optimizers/types.js';
import { cloneState } from '../optimizers/state.js';
import { epochShuffle } from '../data/datasets.js';
import { checkSeed, makeRng } from '../data/random.js';
import { checkFinite, checkInt, checkNumber, checkVec } from '../objectives/check.js';
import type { FiniteSumObjective } from '../objectives/types.js';
import { checkSchedule, scheduledRate, type Schedule } from './schedule.js';
import { parallelBatch } from './parallel.js';

export interface TrainOptions {
  /** Maximum number of epochs E (≥ 1). */
  epochs: number;
  /** Examples per step: N = batch GD (default), 1 = SGD, else mini-batch. */
  batchSize?: number;
  /** Shuffle the rows every epoch (default true; a full batch is never shuffled). */
  shuffle?: boolean;
  /** Seed of the shuffles and of the gradient noise (default 0). */
  seed?: number | string;
  schedule?: Schedule;
  /** Stop once an epoch's loss is ≤ this. */
  lossThreshold?: number;
  /** Stop after this many epochs in a row without the loss improving on its best by > minDelta. */
  patience?: number;
  minDelta?: number;
  /** Annealed Gaussian gradient noise, σ_t² = eta / (1 + t)^gamma (gamma default 0.55). */
  gradientNoise?: { eta: number; gamma?: number };
  /**
   * Synchronous data-parallel simulation: each step's batch is split into `workers` equal parts,
   * each worker reduces its part, and the step uses the reduction of the workers' results.
   * batchSize must be a multiple of workers and divide N.
   */
  workers?: number;
  /** 'throw' (default): throw the DivergenceError (its `result` holds everything); 'return': return it in the result. */
  onDivergence?: 'throw' | 'return';
  /** Called after every epoch (epoch counts from 1). */
  onEpoch?: (epoch: number, loss: number) => void;
}

export type StopReason = 'epochs' | 'threshold' | 'patience' | 'diverged';

export interface TrainResult {
  /** The final parameters (after divergence: the last finite ones). */
  params: Float64Array;
  /** The optimizer state that goes with `params`. */
  state: OptimizerState;
  /** Loss of each completed epoch. */
  history: number[];
  epochs: number;
  steps: number;
  stopReason: StopReason;
  divergence?: DivergenceError;
}

/** Training diverged: names the epoch and step; `result` keeps the last finite params and state. */
export class DivergenceError extends Error {
  override name = 'DivergenceError';
  constructor(
    message: string,
    /** Epoch (from 1) and step (from 1, counted over the whole run) where it happened. */
    readonly epoch: number,
    readonly step: number,
    readonly result: TrainResult,
  ) {
    super(message);
  }
}

function checkOptimizer(o: unknown): asserts o is Optimizer {
  const x = o as Optimizer;
  if (
    typeof o !== 'object' ||
    o === null ||
    typeof x.step !== 'function' ||
    typeof x.init !== 'function' ||
    typeof x.set !== 'function'
  ) {
    throw new TypeError(
      'train: optimizer must come from createOptimizer(name, hyper) (an object with init, step and set)',
    );
  }
}

/** Index of the first NaN/±Infinity element, or −1. */
function firstNonFinite(v: ArrayLike<number>): number {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i]!)) return i;
  return -1;
}

/**
 * Trains `objective` from `init` (not modified) with `optimizer` (a fresh state is made; pass
 * `state` to continue from one). Returns the parameters, the state and the loss history.
 */
export function train(
  objective: FiniteSumObjective,
  optimizer: Optimizer,
  init: Float64Array,
  opts: TrainOptions,
  state?: OptimizerState,
): TrainResult {
  if (typeof objective !== 'object' || objective === null || typeof objective.batch !== 'function') {
    throw new TypeError('train: objective must be a finite-sum objective (leastSquares, logisticRegression, …)');
  }
  checkOptimizer(optimizer);
  const dim = objective.dim;
  checkVec('train', 'init', init, dim);
  checkFinite('train', 'init', init);
  if (typeof opts !== 'object' || opts === null)
    throw new TypeError('train: options must be an object such as { epochs: 100 }');
  const N = objective.examples;
  checkInt('train', 'epochs', opts.epochs, 1, 1e9);
  const S = opts.batchSize ?? N;
  checkInt('train', 'batchSize', S, 1, N);
  const seed = opts.seed ?? 0;
  checkSeed('train', seed);
  const schedule = opts.schedule ?? { kind: 'constant' };
  checkSchedule(schedule);
  const hyper = optimizer.hyper as Record<string, unknown>;
  const lr0 = hyper.lr;
  if (schedule.kind !== 'constant' && typeof lr0 !== 'number') {
    throw new RangeError(
      `train: schedule '${schedule.kind}' needs a learning rate, and ${optimizer.name} has no lr hyperparameter; allowed: schedule { kind: 'constant' }`,
    );
  }
  if (opts.lossThreshold !== undefined)
    checkNumber('train', 'lossThreshold', opts.lossThreshold, -Infinity, Infinity, true);
  if (opts.patience !== undefined) checkInt('train', 'patience', opts.patience, 1);
  const minDelta = opts.minDelta ?? 0;
  // Absent: a threshold no finite loss reaches, a patience no count reaches.
  const threshold = opts.lossThreshold ?? -Infinity;
  const patience = opts.patience ?? Infinity;
  checkNumber('train', 'minDelta', minDelta, 0, 1e300);
  const noise = opts.gradientNoise;
  if (noise !== undefined) {
    checkNumber('train', 'gradientNoise.eta', noise.eta, 0, 1e300);
    checkNumber('train', 'gradientNoise.gamma', noise.gamma ?? 0.55, 0, 1e3);
  }
  const workers = opts.workers ?? 1;
  checkInt('train', 'workers', workers, 1, S);
  if (workers > 1 && (S % workers !== 0 || N % S !== 0)) {
    throw new RangeError(
      `train: workers = ${workers} with batchSize = ${S} and N = ${N}; allowed: batchSize a multiple of workers that divides N`,
    );
  }
  const onDivergence = opts.onDivergence ?? 'throw';
  if (onDivergence !== 'throw' && onDivergence !== 'return')
    throw new RangeError(`train: onDivergence = ${String(onDivergence)}; allowed: 'throw' or 'return'`);
  const st = state ?? optimizer.init(dim, 'float64');
  if (st.dtype !== 'float64' || st.size !== dim)
    throw new TypeError(`train: state must be a float64 state of size ${dim}; got ${st.dtype} of size ${st.size}`);

  // Everything the loop touches is allocated here, once.
  const params = init.slice();
  const g = new Float64Array(dim);
  // Equivalent mutants: `true` or `workers >= 1` here (a separate scratch for one worker too): scratch is read only when workers > 1.
  const scratch = workers > 1 ? new Float64Array(dim) : g;
  const backup = new Float64Array(dim);
  const backupState = cloneState(st);
  const bufNames = Object.keys(st.buffers);
  const idx = new Uint32Array(N);
  // Equivalent mutant: `i <= N` (idx[N] is past the Uint32Array's end: the write is dropped).
  for (let i = 0; i < N; i++) idx[i] = i;
  const full = S >= N;
  const shuffle = (opts.shuffle ?? true) && !full;
  const perStep = schedule.kind !== 'constant' && schedule.per === 'step';
  // Equivalent mutant: another stream name, '' among them (it picks which seeded numbers are drawn, not their law: H8; no other use has this stream).
  const rng = noise ? makeRng(seed, 'gradient-noise') : undefined;
  const gamma = noise?.gamma ?? 0.55;
  const mean = objective.reduction === 'mean';
  const history: number[] = [];
  let steps = 0;
  let best = Infinity;
  let sinceBest = 0;
  let stopReason: StopReason = 'epochs';
  let lrNow = lr0 as number;
  const setRate = (t: number): void => {
    const r = Math.max(scheduledRate(schedule, lr0 as number, t), Number.MIN_VALUE);
    if (r !== lrNow) {
      optimizer.set({ lr: r });
      lrNow = r;
    }
  };
  const result = (reason: StopReason): TrainResult => ({
    params,
    state: st,
    history,
    epochs: history.length,
    steps,
    stopReason: reason,
  });
  const diverge = (epoch: number, what: string): TrainResult => {
    const lr = typeof hyper.lr === 'number' ? `lr = ${lrNow}` : `${optimizer.name} has no lr`;
    const res = result('diverged');
    const err = new DivergenceError(
      `training diverged at epoch ${epoch}, step ${steps + 1}: ${what}. The learning rate is probably too large (${lr}); try a smaller one. ` +
        `The last finite parameters and optimizer state (after ${steps} steps) are kept in error.result.`,
      epoch,
      steps + 1,
      res,
    );
    res.divergence = err;
    if (onDivergence === 'throw') throw err;
    return res;
  };

  try {
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
      if (shuffle) epochShuffle(N, seed, epoch, idx);
      if (schedule.kind !== 'constant' && !perStep) setRate(epoch);
      let epochLoss = 0;
      for (let from = 0; from < N; from += S) {
        const to = Math.min(from + S, N);
        if (perStep) setRate(steps);
        const loss =
          workers > 1
            ? parallelBatch(objective, params, idx, from, to, workers, g, scratch)
            : objective.batch(params, idx, from, to, g);
        if (!Number.isFinite(loss)) return diverge(epoch + 1, `the batch loss is ${loss} (parameters still finite)`);
        if (rng) {
          const sigma = Math.sqrt(noise!.eta / (1 + steps) ** gamma);
          // Equivalent mutants, in law (H8): `j <= dim` (one draw more per step; g[dim] is dropped) and g − σz for g + σz (`g[j]! - sigma * rng.normal()`: −z has the law of z).
          for (let j = 0; j < dim; j++) g[j] = g[j]! + sigma * rng.normal();
        }
        const bad = firstNonFinite(g);
        if (bad >= 0)
          return diverge(epoch + 1, `the batch gradient's element ${bad} is ${g[bad]} (parameters still finite)`);
        backup.set(params);
        backupState.t = st.t;
        for (const k of bufNames) backupState.buffers[k]!.set(st.buffers[k]!);
        optimizer.step(params, g, st);
        let what = '';
        const p = firstNonFinite(params);
        if (p >= 0) what = `parameter ${p} became ${params[p]} in this step (undone)`;
        else {
          for (const k of bufNames) {
            const i = firstNonFinite(st.buffers[k]!);
            if (i >= 0) {
              what = `the optimizer state's ${k}[${i}] became ${st.buffers[k]![i]} in this step (undone)`;
              break;
            }
          }
        }
        if (what) {
          params.set(backup);
          st.t = backupState.t;
          for (const k of bufNames) st.buffers[k]!.set(backupState.buffers[k]!);
          return diverge(epoch + 1, what);
        }
        steps++;
        epochLoss += mean ? loss * (to - from) : loss;
      }
      if (mean) epochLoss /= N;
      history.push(epochLoss);
      opts.onEpoch?.(epoch + 1, epochLoss);
      if (epochLoss <= threshold) {
        stopReason = 'threshold';
        break;
      }
      if (epochLoss < best - minDelta) {
        best = epochLoss;
        sinceBest = 0;
      } else if (++sinceBest >= patience) {
        stopReason = 'patience';
        break;
      }
    }
  } finally {
    // lrNow starts at lr0 and only a schedule with a numeric lr changes it (checked above).
    if (lrNow !== lr0) optimizer.set({ lr: lr0 as number });
  }
  return result(stopReason);
}

export { checkSchedule, scheduledRate, type Schedule } from './schedule.js';
export { parallelBatch } from './parallel.js';
