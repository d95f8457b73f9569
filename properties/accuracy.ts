/**
 * Accuracy of the core against the decimal reference, in units of the dtype's unit roundoff u
 * (DESIGN.md, "Error and accuracy"). Shared by the B/G7 laws, `optimlab verify --accuracy` and the
 * reports.
 *
 * The measure. For every value the core writes (each parameter and each state buffer element),
 *
 *   K = |core − ref| / (u·a + τ)
 *
 * where ref is the exact value (reference/, 50 digits, not rounded), u = 2^-53 (float64) or 2^-24
 * (float32), and a is the reference's error scale for that value (reference/scaled.ts): for a
 * parameter update θ − Δ it is |θ| + |Δ|_abs, where |Δ|_abs evaluates Δ with every sum replaced by
 * the sum of the absolute values of its terms (and carried to first order through quotients and
 * roots); for m_t = β1 m + (1 − β1) g it is |β1 m| + |(1 − β1) g|; and so on. τ is the spacing of
 * the dtype's subnormals (2^-1074, 2^-149): one rounding into the subnormal range errs by τ/2
 * whatever the scale (a float32 buffer that decays below 1.2e-38, say).
 *
 * Why not the naive scale u·(|θ| + |Δ|). When Adam's m_t cancels (β1 m ≈ −(1 − β1) g), any float
 * implementation carries an absolute error ≈ u·|β1 m| into m_t, and Δ = η m̂/(√v̂ + ε) inherits
 * it; with θ small, the naive scale turns that unavoidable error into K in the hundreds or more
 * for a correct implementation (`naiveK` below measures it; the accuracy table reports both).
 *
 * The bounds. K counts roundings along the longest path of the computation: a value computed by a
 * chain of d correctly rounded operations whose scale is the |f|_abs scale above errs by at most
 * about d·u·a (Higham, §3.1). Each optimizer's bound below states its d.
 */
import fc from 'fast-check';
import type { Decimal } from 'decimal.js';
import type { OptimizerEntry } from '../src/optimizers/define.js';
import { registry, getOptimizer, type OptimizerName } from '../src/optimizers/registry.js';
import type { Dtype, Hyper, OptimizerState, Vec } from '../src/optimizers/types.js';
import { fromDouble } from '../reference/decimal.js';
import { getReference } from '../reference/index.js';
import type { RefResult } from '../reference/common.js';
import { leaves, type Sc } from '../reference/scaled.js';
import { replayHistory, stepCase, type StepCase } from './arbitraries.js';
import { caseSeed, DEFAULT_SEED } from './framework.js';

export const UNIT: Readonly<Record<Dtype, number>> = { float64: 2 ** -53, float32: 2 ** -24 };

/**
 * Is the reference's first-order scale valid for a judge with this dtype and bound? Not where a
 * divisor on the way is uncertain to more than 1/16 of itself at K·u, or a product of two uncertain
 * near-zero factors makes the second-order term comparable (reference/scaled.ts, `c`): then no float
 * evaluation is determined by first order (centred RMSprop with ρ ≈ 1e-9: E[g²] − ḡ² ≈ 9e-9 from
 * terms of 1e10, the core computes 0, c ≈ 1e18; RMSprop with ρ = 0 and weight decay where the exact
 * θ returns to 0: E[g²] = (λθ)², first-order scale 0, c = ∞).
 */
export const firstOrderValid = (x: Sc, dtype: Dtype, bound: number): boolean => (x.c ?? 0) * bound * UNIT[dtype] <= 1 / 16;
/** Spacing of the subnormals: the absolute error a rounding into the subnormal range may make (×2). */
export const TINY: Readonly<Record<Dtype, number>> = { float64: 2 ** -1074, float32: 2 ** -149 };

/**
 * Single-step bounds on K (units of u), per optimizer: a priori first-order counts for the core's
 * own evaluation order (src/optimizers/<name>.ts), with the scale of reference/scaled.ts. Rules
 * (u-units relative to each value's scale a; an exact input counts 0):
 *   x ± y: max(K_x, K_y) + 1     x / y: max(K_x, K_y) + 1     √y: max(K_y, 1)     max, |x|: exact
 *   x · y: K_x + K_y + 1 (relative errors add; s·g with s = ±1 is exact: 0)
 * so g̃ = s·g + λθ is 2, κ = 1 − ηλ_d is 2, κθ is 3, 1 − β is 1, g̃² is 5, and 1 − β^t from
 * oneMinusPow is 3 (log1p or log ≤ 1 ulp, t·ln β 1, expm1 ≤ 1 ulp with condition ≤ 1 for x < 0).
 * These are worst cases that need every rounding to fall the same way; the measured worst K
 * (`optimlab verify --accuracy`) is 2 to 5.
 *
 * float32: the core computes in double and rounds once per stored value, so a float32 result is
 * fl32(x̂) with |x̂ − ref| ≤ K64·2^-53·a: |fl32(x̂) − ref| ≤ 2^-24·|x̂| + K64·2^-53·a, that is
 * K32 ≤ 1 + K64·2^-29 (a ≥ |ref|): FLOAT32_BOUND, the same for every optimizer.
 */
export const BOUNDS: Readonly<Record<OptimizerName, { float64: number; why: string }>> = {
  sgd: { float64: 4, why: 'θ: κθ (3) − η·g̃ (2 + 1 = 3), subtraction +1 = 4' },
  momentum: { float64: 5, why: 'v = γv (1) + η·g̃ (3): 4; θ = κθ (3) − v (4): 5' },
  nesterov: { float64: 7, why: 'ηg̃ 3; v = γv + ηg̃: 4; γ·v_t: 5; κφ − γv_t: 6; − ηg̃: 7' },
  adagrad: { float64: 9, why: 'G = G + g̃² (5): 6; √(G + ε): 7; ηg̃ 3; quotient 8; κθ − Δ: 9' },
  adadelta: {
    float64: 30,
    why: 'E[g²] = ρE + (1−ρ)·g̃² (1 + 5 + 1): 8; √(E[g²]+ε) 9; √(E[Δθ²]+ε) 1; ratio 10; Δθ = ratio·g̃ (10 + 2 + 1): 13; ηΔθ 14, θ 15; E[Δθ²] = ρE + (1−ρ)·Δθ² (1 + 27 + 1 = 29): 30',
  },
  rmsprop: { float64: 11, why: 'E[g²] = ρE + (1−ρ)·g̃²: 8; + ε 9; √ 9; ηg̃ 3; quotient 10; θ 11' },
  adam: {
    float64: 16,
    why: 'm 5; v 8; c2 = 1/(1−β2^t) 4; v·c2 (8 + 4 + 1) 13; √ 13; + ε 14; a = η/(1−β1^t) 4; a·m 10; quotient 15; θ 16 (dividing v by 1−β2^t instead of multiplying by the rounded reciprocal would give 9 → 12)',
  },
  adamax: { float64: 12, why: 'm 5; u = max(β2u, |g̃|) 2; u + ε 3; a = η/(1−β1^t) 4; a·m 10; quotient 11; θ 12' },
  nadam: { float64: 16, why: 'β1m + (1−β1)g̃: 7; a·(…) 12; denominator as adam 14; quotient 15; θ 16' },
  amsgrad: { float64: 11, why: 'm 5; v 8; v̂ = max 8; √ 8; + ε 9; η·m 6; quotient 10; θ 11' },
};

/** float32 single-step bound: one rounding of a double result, 1 + K64·2^-29 ≤ 1 + 2^-20 (see BOUNDS). */
export const FLOAT32_BOUND = 1 + 2 ** -20;

export function boundFor(name: string, dtype: Dtype): number {
  if (dtype === 'float32') return FLOAT32_BOUND;
  const b = (BOUNDS as Record<string, { float64: number }>)[name];
  if (!b) throw new RangeError(`accuracy: no bound for optimizer '${name}'`);
  return b.float64;
}

/** |x − ref| for a core value x, in Decimal (exact x). */
export function absError(x: number, ref: Decimal): number {
  if (Number.isNaN(x)) return Infinity;
  return fromDouble(x).minus(ref).abs().toNumber();
}

/** K of one value (see the header). NaN from the core gives Infinity. */
export function kOf(x: number, ref: Sc, dtype: Dtype): number {
  const err = absError(x, ref.v);
  if (err === 0) return 0;
  return err / (UNIT[dtype] * ref.a + TINY[dtype]);
}

/** Every value the core wrote in one step, judged against the reference. */
export interface StepAgreement {
  /** Worst K of params and of each buffer. */
  paramsK: number;
  buffersK: Record<string, number>;
  worstK: number;
  /** Where the worst K is: 'params[2]' or 'm[0]', with core, reference and scale. */
  worstAt: string;
  /** The same errors over the naive scale u·(|θ| + |Δ|) for params, |value| for buffers. */
  naiveK: number;
}

export interface StepRun {
  core: { params: Vec; state: OptimizerState };
  ref: RefResult;
  /** θ_{t−1}, the params before the step (for the naive scale). */
  before: Vec;
}

/** Runs one step case through the core and the reference from the same (core-reached) state. */
export function runStep(entry: OptimizerEntry, dtype: Dtype, c: StepCase): StepRun {
  const { opt, state, params } = replayHistory(entry, dtype, c);
  const before = params.slice();
  const refBuffers: Record<string, Sc[]> = {};
  for (const k of entry.buffers) refBuffers[k] = leaves(state.buffers[k]!);
  const ref = getReference(entry.name).step(c.hyper as never, leaves(params), leaves(c.grad), { t: state.t, buffers: refBuffers });
  const p = params;
  opt.step(p, c.grad, state);
  return { core: { params: p, state }, ref, before };
}

function describe(where: string, x: number, ref: Sc, k: number): string {
  return `${where}: core ${Object.is(x, -0) ? '-0' : x}, reference ${ref.v.toSignificantDigits(25).toString()}, scale a ${ref.a.toPrecision(6)}, K ${k.toPrecision(4)}`;
}

/** Compares a core step with the reference: K per output, the worst and where. */
export function agreement(entry: OptimizerEntry, dtype: Dtype, run: StepRun): StepAgreement {
  let worstK = 0;
  let worstAt = 'nothing differs';
  let naiveK = 0;
  const u = UNIT[dtype];
  const scan = (name: string, got: Vec, want: readonly Sc[], naive: (i: number) => number): number => {
    let w = 0;
    for (let i = 0; i < got.length; i++) {
      const k = kOf(got[i]!, want[i]!, dtype);
      if (k > w) w = k;
      if (k > worstK || (k === worstK && Number.isNaN(got[i]!))) {
        worstK = k;
        worstAt = describe(`${name}[${i}]`, got[i]!, want[i]!, k);
      }
      const err = absError(got[i]!, want[i]!.v);
      if (err > 0) naiveK = Math.max(naiveK, err / (u * naive(i) + TINY[dtype]));
    }
    return w;
  };
  const pr = run.ref.params;
  const paramsK = scan('params', run.core.params, pr, (i) => {
    const th = Math.abs(run.before[i]!);
    const delta = Math.abs(fromDouble(run.before[i]!).minus(pr[i]!.v).toNumber());
    return th + delta;
  });
  const buffersK: Record<string, number> = {};
  for (const k of entry.buffers) {
    const want = run.ref.state.buffers[k]!;
    buffersK[k] = scan(k, run.core.state.buffers[k]!, want, (i) => Math.abs(want[i]!.v.toNumber()));
  }
  return { paramsK, buffersK, worstK, worstAt, naiveK };
}

export interface AccuracyOptions {
  /** Optimizer names (default: the whole registry). */
  optimizers?: readonly string[];
  dtypes?: readonly Dtype[];
  /** Random single-step cases per optimizer and dtype. */
  cases?: number;
  seed?: number;
}

export interface AccuracyRow {
  optimizer: string;
  dtype: Dtype;
  cases: number;
  /** Worst K over params and every state buffer. */
  worstK: number;
  /** Worst K of the parameter update alone. */
  paramsK: number;
  /** Worst K per state buffer. */
  buffersK: Record<string, number>;
  /** The law's bound for this optimizer and dtype (units of u). */
  bound: number;
  /** The case that gave the worst K, rendered (for the report). */
  worstCase?: string;
  /** Worst K over the same cases with the naive scale u·(|θ| + |Δ|) (what cancellation does to it). */
  naiveK: number;
}

export interface AccuracyReport {
  schema: 'optimlab.accuracy/1';
  seed: number;
  cases: number;
  rows: AccuracyRow[];
}

/** The arbitrary the accuracy table and law B1 draw single steps from. */
export function accuracyCase(entry: OptimizerEntry, dtype: Dtype): fc.Arbitrary<StepCase> {
  return stepCase(entry, dtype, { length: { min: 1, max: 8 }, maxHistory: 12 });
}

function renderCase(c: StepCase): string {
  const h: Hyper = c.hyper;
  return fc.stringify({ hyper: h, params: c.params, grad: c.grad, history: c.history });
}

export function runAccuracy(opts: AccuracyOptions = {}): AccuracyReport {
  const seed = opts.seed ?? DEFAULT_SEED;
  const n = opts.cases ?? 200;
  const names = opts.optimizers ?? registry.map((e) => e.name);
  const dtypes = opts.dtypes ?? (['float64', 'float32'] as const);
  const rows: AccuracyRow[] = [];
  for (const name of names) {
    const entry = getOptimizer(name);
    for (const dtype of dtypes) {
      const samples = fc.sample(accuracyCase(entry, dtype), { seed: caseSeed(seed, `accuracy ${name} ${dtype}`), numRuns: n });
      const row: AccuracyRow = {
        optimizer: name, dtype, cases: samples.length, worstK: 0, paramsK: 0,
        buffersK: Object.fromEntries(entry.buffers.map((b) => [b, 0])), bound: boundFor(name, dtype), naiveK: 0,
      };
      for (const c of samples) {
        const a = agreement(entry, dtype, runStep(entry, dtype, c));
        row.paramsK = Math.max(row.paramsK, a.paramsK);
        for (const b of entry.buffers) row.buffersK[b] = Math.max(row.buffersK[b]!, a.buffersK[b]!);
        row.naiveK = Math.max(row.naiveK, a.naiveK);
        if (a.worstK > row.worstK || row.worstCase === undefined) {
          row.worstK = Math.max(row.worstK, a.worstK);
          row.worstCase = `${a.worstAt}; case ${renderCase(c)}`;
        }
      }
      rows.push(row);
    }
  }
  return { schema: 'optimlab.accuracy/1', seed, cases: n, rows };
}

const fmt = (k: number): string => (k === 0 ? '0' : k < 0.01 ? k.toExponential(1) : k < 100 ? k.toFixed(2) : k.toExponential(2));

/** 4 → '4'; 1 + 2^-20 → '1 + 9.5e-7' (an integer count plus the double computation's slack). */
const fmtBound = (b: number): string => (Number.isInteger(b) ? String(b) : `${Math.floor(b)} + ${(b - Math.floor(b)).toExponential(1)}`);

export function formatAccuracy(r: AccuracyReport): string {
  const dtypes = [...new Set(r.rows.map((x) => x.dtype))];
  const names = [...new Set(r.rows.map((x) => x.optimizer))];
  const head = ['optimizer', ...dtypes.flatMap((d) => [`${d} worst K`, `${d} bound`, `${d} naive K`])];
  const lines = [
    `Accuracy: worst K = |core − ref| / (u·(|θ| + |Δ|_abs)) over ${r.cases} random single steps per optimizer and dtype (seed ${r.seed}); u = 2^-53 (float64), 2^-24 (float32).`,
    `"naive K" uses u·(|θ| + |Δ|) instead: what cancellation inside Δ does to a scale that ignores it.`,
    '',
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
  ];
  for (const name of names) {
    const cells = [name];
    for (const d of dtypes) {
      const row = r.rows.find((x) => x.optimizer === name && x.dtype === d);
      if (!row) { cells.push('–', '–', '–'); continue; }
      cells.push(`${fmt(row.worstK)}${row.worstK > row.bound ? ' ✗' : ''}`, fmtBound(row.bound), fmt(row.naiveK));
    }
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/**
 * Single-step float64 bounds under convention options (law B3; docs/conventions.md). Counted as
 * BOUNDS is, for the core's evaluation order under each convention (src/optimizers/<name>.ts's
 * per-step scalars and kernels) against the scale of the reference's formula for it. Where a
 * convention adds no rounding to the longest path, the default bound stands; the others:
 */
export const CONVENTION_BOUNDS: Readonly<Record<string, { float64: number; when: string; why: string }>> = {
  momentum: {
    float64: 7, when: "lrPlacement 'outside' or dampening > 0",
    why: "outside: d = 1 − τ 1, d·g̃ 4, b = γb + d·g̃ 5, η·b 6, κθ − ηb 7; inside with τ: a = η·d 2, a·g̃ 5, v 6, θ 7",
  },
  adagrad: {
    float64: 10, when: "epsPlacement 'outside'",
    why: 'G + g̃² 6, + G_0 7, √ 7, + ε after the root 8, quotient 9, θ 10 (G_0 + ε and η/(1 + (t−1)d) are per-step scalars of 1 and 3: off the longest path)',
  },
  rmsprop: {
    float64: 18, when: 'centered or momentum > 0 (the second kernel)',
    why: 'E[g²] 8; ḡ = ρḡ + (1−ρ)g̃ 5, ḡ² 11, E[g²] − ḡ² 12, + ε 13, √ 13, + ε outside 14; η·g̃ 3; quotient 15; μ·b + … 16; η·b (outside) 17; κθ − 18',
  },
  amsgrad: {
    float64: 16, when: "form 'rawMax' or 'correctedMax'",
    why: "as Adam: c = 1/(1−β2^t) 4; v·c 13 (before the max for 'correctedMax', after it for 'rawMax'), √ 13, + ε 14; a = η/(1−β1^t) 4, a·m 10; quotient 15; θ 16 ('hat': a = η√(1−β2^t)/(1−β1^t) 6, a·m 12, √v̂ 8, + ε 9: 14)",
  },
  nadam: {
    float64: 18, when: "schedule 'dozat'",
    why: "μ_t = β1(1 − ½·0.96^{tψ}): Math.pow ≤ 1 ulp plus t·ψ's rounding with condition |tψ ln 0.96| ≤ 1.1 (t ≤ 26): 3, 1 − ½p 4, β1·(…) 5; Π_t = fl(Π_{t−1} μ_t) errs by ≤ 6t·u·Π_t, and t·Π_t ≤ 0.56 for ψ ≤ 1, so 1 − Π_t (scale 1 + Π_t) 5; k_m = μ_{t+1}/(1 − Π_t μ_{t+1}) 6, k_g = (1 − μ_t)/(1 − Π_t) 7; k_m·m 12, k_g·g̃ 10, sum 13, η·(…) 14; denominator as Adam 14; quotient 15; θ 16; + 2 for Math.pow, which is not correctly rounded ('constant': β1/(1 − β1^{t+1}) 4, (1−β1)/(1−β1^t) 4: 16, the default's)",
  },
};

/** B3's single-step bound for `name` under `conventions` (resolved: every option present). */
export function conventionBoundFor(name: string, conventions: Readonly<Hyper>, dtype: Dtype): number {
  const base = boundFor(name, dtype);
  if (dtype === 'float32') return base;
  const c = conventions;
  let widened = false;
  switch (name) {
    case 'momentum': widened = c.lrPlacement === 'outside' || (c.dampening as number) > 0; break;
    case 'adagrad': widened = c.epsPlacement === 'outside'; break;
    case 'rmsprop': widened = c.centered === true || (c.momentum as number) > 0; break;
    case 'amsgrad': widened = c.form !== 'ruder'; break;
    case 'nadam': widened = c.schedule === 'dozat'; break;
  }
  return widened ? Math.max(base, CONVENTION_BOUNDS[name]!.float64) : base;
}
