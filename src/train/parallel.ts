/**
 * Synchronous data-parallel SGD, simulated (Ruder 2016 §5, parallelizing SGD; Dean et al. 2012):
 * a batch of k·b examples is split into k contiguous parts of b, each "worker" reduces its own
 * part (mean or sum, as the objective says), and the step uses the reduction of the k results.
 *
 * With the mean, g = (1/k) Σ_w (1/b) Σ_{i∈w} g_i, which is (1/(kb)) Σ g_i in exact arithmetic but
 * sums in another order: equal to the mini-batch gradient bit for bit when every partial sum is
 * exact and k, b are powers of two, otherwise within rounding (law H4 states the bound).
 */
import type { FiniteSumObjective } from '../objectives/types.js';

/**
 * Loss of idx[from..to) by k workers; the gradient goes to `g`. `scratch` (length dim, not `g`)
 * holds one worker's gradient. Allocates nothing.
 */
export function parallelBatch(
  objective: FiniteSumObjective,
  params: Float64Array,
  idx: Uint32Array,
  from: number,
  to: number,
  workers: number,
  g: Float64Array,
  scratch: Float64Array,
): number {
  const n = to - from;
  if (!Number.isSafeInteger(workers) || workers < 1 || n % workers !== 0) {
    throw new RangeError(
      `parallelBatch: workers = ${workers}; allowed: an integer ≥ 1 that divides the batch size ${n}`,
    );
  }
  if (scratch === g) throw new TypeError('parallelBatch: scratch must be a separate array from g');
  const b = n / workers;
  const dim = g.length;
  let loss = 0;
  for (let w = 0; w < workers; w++) {
    const out = w === 0 ? g : scratch;
    loss += objective.batch(params, idx, from + w * b, from + (w + 1) * b, out);
    // Equivalent mutant: `j <= dim` (g[dim] is past the array's end: the write is dropped).
    if (w > 0) for (let j = 0; j < dim; j++) g[j] = g[j]! + scratch[j]!;
  }
  if (objective.reduction === 'mean') {
    // Equivalent mutant: `j <= dim` (g[dim] is past the array's end: the write is dropped).
    for (let j = 0; j < dim; j++) g[j] = g[j]! / workers;
    return loss / workers;
  }
  return loss;
}
