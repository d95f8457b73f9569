/**
 * Accuracy of the core against the decimal reference, in units of the dtype's unit roundoff u
 * (docs/laws.md; the error scale: reference/scaled.ts). Shared by the B/G7 laws, `optimlab verify --accuracy` and the
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
import { registry } from '../src/optimizers/registry.js';
import type { Dtype, Hyper, OptimizerState, Vec } from '../src/optimizers/types.js';
import { fromDouble } from '../reference/decimal.js';
import type { RefResult, ReferenceOptimizer } from '../reference/common.js';
import type { Reference } from '../reference/define.js';
import { optimlabVersion } from '../src/util/package.js';
import type { Provenance } from '../src/schema/verify.js';
import { leaves, type Sc } from '../reference/scaled.js';
import { replayHistory, stepCase, type StepCase } from './arbitraries.js';
import { caseSeed, DEFAULT_SEED } from './seed.js';
import { judgeFor, NO_REFERENCE } from './bounds.js';
import { ACCURACY_SCHEMA, type AccuracyDoc, type AccuracyRow } from '../src/schema/accuracy.js';
import { NO_VALUE } from '../src/util/marks.js';

export {
  BOUNDS,
  FLOAT32_BOUND,
  boundFor,
  CONVENTION_BOUNDS,
  conventionBoundFor,
  judgeFor,
  NO_REFERENCE,
  type Judge,
} from './bounds.js';

export const UNIT: Readonly<Record<Dtype, number>> = { float64: 2 ** -53, float32: 2 ** -24 };

/**
 * Is the reference's first-order scale valid for a judge with this dtype and bound? Not where a
 * divisor on the way is uncertain to more than 1/16 of itself at K·u, or a product of two uncertain
 * near-zero factors makes the second-order term comparable (reference/scaled.ts, `c`): then no float
 * evaluation is determined by first order (centred RMSprop with ρ ≈ 1e-9: E[g²] − ḡ² ≈ 9e-9 from
 * terms of 1e10, the core computes 0, c ≈ 1e18; RMSprop with ρ = 0 and weight decay where the exact
 * θ returns to 0: E[g²] = (λθ)², first-order scale 0, c = ∞).
 */
export const firstOrderValid = (x: Sc, dtype: Dtype, bound: number): boolean =>
  (x.c ?? 0) * bound * UNIT[dtype] <= 1 / 16;
/** Spacing of the subnormals: the absolute error a rounding into the subnormal range may make (×2). */
export const TINY: Readonly<Record<Dtype, number>> = { float64: 2 ** -1074, float32: 2 ** -149 };

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
export function runStep(entry: OptimizerEntry, dtype: Dtype, c: StepCase, reference: ReferenceOptimizer): StepRun {
  const { opt, state, params } = replayHistory(entry, dtype, c);
  const before = params.slice();
  const refBuffers: Record<string, Sc[]> = {};
  for (const k of entry.buffers) refBuffers[k] = leaves(state.buffers[k]!);
  const ref = reference.step(c.hyper as never, leaves(params), leaves(c.grad), { t: state.t, buffers: refBuffers });
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
  /** Optimizer names (default: every entry). */
  optimizers?: readonly string[];
  /** The optimizers to measure (default: the built-in registry). */
  entries?: readonly OptimizerEntry[];
  /** Decimal references of outside optimizers (defineReference); without one an optimizer's rows are 'not run'. */
  references?: readonly Reference[];
  /** Where outside optimizers came from (--module), recorded as provenance. */
  modules?: Provenance['modules'];
  dtypes?: readonly Dtype[];
  /** Random single-step cases per optimizer and dtype (default ACCURACY_CASES). */
  cases?: number;
  seed?: number;
  /** Called before each optimizer × dtype row is measured (progress). */
  onRow?: (optimizer: string, dtype: Dtype, index: number, total: number) => void;
}

/**
 * Random single steps per optimizer and dtype, by default: the same in `optimlab verify --accuracy`
 * and in the report (`optimlab run`), so the two tables agree. 200 × 20 rows take about 4 s.
 */
export const ACCURACY_CASES = 200;

/** One row of the accuracy table, and the document (schema 'optimlab.accuracy/1', src/schema/accuracy.ts). */
export type { AccuracyRow } from '../src/schema/accuracy.js';
export type AccuracyReport = AccuracyDoc;

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
  const n = opts.cases ?? ACCURACY_CASES;
  const all = opts.entries ?? (registry as unknown as OptimizerEntry[]);
  const entries = opts.optimizers
    ? opts.optimizers.map((name) => {
        const e = all.find((x) => x.name === name);
        if (!e)
          throw new RangeError(`accuracy: unknown optimizer '${name}'; known: ${all.map((x) => x.name).join(', ')}`);
        return e;
      })
    : all;
  const dtypes = opts.dtypes ?? (['float64', 'float32'] as const);
  const rows: AccuracyRow[] = [];
  for (const entry of entries) {
    const name = entry.name;
    const judge = judgeFor(entry, opts.references);
    for (const dtype of dtypes) {
      // An optimizer that handles some dtypes only (entry.dtypes: TF.js's float32) has no row for the others.
      if (entry.dtypes && !entry.dtypes.includes(dtype)) continue;
      opts.onRow?.(name, dtype, rows.length, entries.length * dtypes.length);
      if (!judge) {
        rows.push({
          optimizer: name,
          dtype,
          cases: 0,
          worstK: 0,
          paramsK: 0,
          buffersK: {},
          bound: 0,
          naiveK: 0,
          status: 'not run',
          reason: NO_REFERENCE,
        });
        continue;
      }
      const samples = fc.sample(accuracyCase(entry, dtype), {
        seed: caseSeed(seed, `accuracy ${name} ${dtype}`),
        numRuns: n,
      });
      const row: AccuracyRow = {
        optimizer: name,
        dtype,
        cases: samples.length,
        worstK: 0,
        paramsK: 0,
        buffersK: Object.fromEntries(entry.buffers.map((b) => [b, 0])),
        bound: judge.bound(dtype),
        naiveK: 0,
        ...(judge.builtin ? {} : { boundWhy: judge.why, source: judge.source }),
      };
      for (const c of samples) {
        const a = agreement(entry, dtype, runStep(entry, dtype, c, judge.reference));
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
  return {
    schema: ACCURACY_SCHEMA,
    provenance: { optimlab: optimlabVersion(), modules: [...(opts.modules ?? [])] },
    seed,
    cases: n,
    rows,
  };
}

const fmt = (k: number): string =>
  k === 0 ? '0' : k < 0.01 ? k.toExponential(1) : k < 100 ? k.toFixed(2) : k.toExponential(2);

/** 4 → '4'; 1 + 2^-20 → '1 + 9.5e-7' (an integer count plus the double computation's slack). */
const fmtBound = (b: number): string =>
  Number.isInteger(b) ? String(b) : `${Math.floor(b)} + ${(b - Math.floor(b)).toExponential(1)}`;

/** The rows whose worst K is beyond their bound (the law B1/G7 would fail on that case). */
export function beyondBound(r: AccuracyReport): AccuracyRow[] {
  return r.rows.filter((x) => x.status !== 'not run' && x.worstK > x.bound);
}

/** The accuracy table for a terminal: one row per optimizer and dtype, a verdict column, a summary line. */
export function formatAccuracy(r: AccuracyReport): string {
  const head = ['optimizer', 'dtype', 'worst K', 'bound', 'verdict', 'naive K'];
  const lines = [
    `Accuracy: worst K = |core − ref| / (u·(|θ| + |Δ|_abs)) over ${r.cases} random single steps per optimizer and dtype (seed ${r.seed}); u = 2^-53 (float64), 2^-24 (float32).`,
    `The bound is law B1's; "naive K" uses u·(|θ| + |Δ|) instead: what cancellation inside Δ does to a scale that ignores it.`,
    '',
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
  ];
  for (const row of r.rows) {
    const verdict = row.status === 'not run' ? `not run: ${row.reason}` : row.worstK <= row.bound ? 'within' : 'BEYOND';
    const figures = row.status === 'not run' ? [NO_VALUE, NO_VALUE] : [fmt(row.worstK), fmtBound(row.bound)];
    lines.push(
      `| ${[row.optimizer, row.dtype, ...figures, verdict, row.status === 'not run' ? NO_VALUE : fmt(row.naiveK)].join(' | ')} |`,
    );
  }
  // An outside optimizer's bound is its maintainer's: show it with its count and source.
  for (const row of r.rows.filter((x) => x.boundWhy !== undefined && x.dtype === 'float64')) {
    lines.push(
      '',
      `${row.optimizer}: bound ${fmtBound(row.bound)} (float64) from its reference (${row.source}): ${row.boundWhy}`,
    );
  }
  const run = r.rows.filter((x) => x.status !== 'not run');
  const notRun = r.rows.length - run.length;
  const over = beyondBound(r);
  const closest = run.reduce<AccuracyRow | undefined>(
    (w, x) => (w === undefined || x.worstK / x.bound > w.worstK / w.bound ? x : w),
    undefined,
  );
  lines.push(
    '',
    (over.length === 0
      ? `all ${run.length} optimizer × dtype rows measured within their bound${closest ? ` (closest: ${closest.optimizer} ${closest.dtype}, K = ${fmt(closest.worstK)} of ${fmtBound(closest.bound)})` : ''}`
      : `${over.length} of ${run.length} rows measured BEYOND their bound: ${over.map((x) => `${x.optimizer} ${x.dtype} K = ${fmt(x.worstK)} > ${fmtBound(x.bound)}`).join('; ')}`) +
      (notRun ? `; ${notRun} not run (no reference)` : ''),
  );
  return lines.join('\n');
}
