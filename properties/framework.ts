/**
 * The law framework: laws as data, crossed with the registry in one place (`cases`), run by
 * fast-check under vitest (properties/laws.test.ts) and by `optimlab verify` alike.
 *
 * A law has an ID in the catalogue (docs/laws.md: A1, B1, G5 ...), says which registry entries it
 * applies to by their traits (never by name), and builds a fast-check property for one entry and
 * one dtype. Each (law, optimizer, dtype) case gets its own seed, derived from one run seed and
 * the case's name, so a case replays alone: a failure prints the command that replays it.
 *
 * Environment (also `optimlab verify` flags):
 *   OPTIMLAB_SEED   run seed (integer; default 20261124, so CI and test names are stable;
 *                   'random' draws a fresh one and prints it)
 *   OPTIMLAB_RUNS   number of runs per case (default: each law's own `runs`)
 *   OPTIMLAB_REPLAY replay one failure: '<case id>@<seed>:<path>' as printed on failure
 *   OPTIMLAB_LAWS   run only these laws under vitest: comma-separated IDs or families ('H,A1'),
 *                   matched as `optimlab verify --laws` matches them (npm run mutation scopes by it)
 */
import fc from 'fast-check';
import {
  AFTER_HANG_MS,
  budgetScale,
  counted,
  DEFAULT_BUDGET,
  isHardLimit,
  newTrack,
  runBudgetPlugin,
  withHardLimit,
  type Budget,
} from './budget.js';
import type { OptimizerEntry, Placement } from '../src/optimizers/define.js';
import { registry } from '../src/optimizers/registry.js';
import type { Dtype } from '../src/optimizers/types.js';
import type { CaseResult } from '../src/schema/verify.js';
import { shellQuote } from '../src/util/shell.js';
import type { Reference } from '../reference/define.js';
import { judgeFor, NO_REFERENCE, type Judge } from './bounds.js';
import { UnsatisfiableError } from './arbitraries.js';
import { caseSeed, DEFAULT_SEED } from './seed.js';

export { DEFAULT_SEED, caseSeed } from './seed.js';
export { NO_REFERENCE } from './bounds.js';

// Laws are synchronous properties over a tuple of drawn values.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyProperty = fc.IProperty<any>;

/**
 * Which optimizers a law covers: a predicate on the declared traits (never the name) with its
 * words. docs/laws.md prints `text`, and where the law does not apply the table says why
 * ('needs traits.velocity').
 */
export interface Selector {
  (entry: OptimizerEntry): boolean;
  readonly text: string;
}

/** A Selector from its words and its predicate. */
export function selects(text: string, test: (entry: OptimizerEntry) => boolean): Selector {
  return Object.assign((entry: OptimizerEntry) => test(entry), { text });
}

/** What a case gets besides its optimizer and dtype. */
export interface LawContext {
  /** The optimizer's decimal reference and bounds (for laws with needsReference; see bounds.ts). */
  reference?: Judge;
}

export interface Law {
  /** Catalogue ID: 'B1', 'G5', 'F2a' ... */
  id: string;
  /** One line: what the law states. */
  title: string;
  /**
   * The tolerance and its reason, in words: 'bit for bit: …', 'K ≤ … u: …'. Every law of the
   * catalogue states it (docs/laws.md is generated from it; test/laws-doc.test.ts).
   */
  tolerance?: string;
  /**
   * Which entries it covers, by traits (never by name). Omitted: every optimizer, and an optimizer
   * for which the law does not hold by design opts out with its reason (traits.optOut) — except
   * the laws that compare with the reference, which run wherever a reference is supplied.
   */
  appliesTo?: Selector;
  /**
   * The law compares the core with the optimizer's decimal reference: where none is supplied (an
   * outside optimizer without `reference`), its cases are 'not run: no reference supplied'.
   */
  needsReference?: boolean;
  /** Dtypes to run; default both. */
  dtypes?: readonly Dtype[];
  /** Default number of runs per case (kept small enough for the 3-minute suite). */
  runs?: number;
  /** Its budget where the default (properties/budget.ts) does not fit, with the reason beside it. */
  budget?: Partial<Budget>;
  /**
   * The property for one entry and dtype (the entry counts its optimizers' steps: the budget;
   * ctx.reference is set when needsReference).
   */
  property: (entry: OptimizerEntry, dtype: Dtype, ctx: LawContext) => AnyProperty;
}

/**
 * A law that is not about optimizers (gradients of objectives, training loops): run once, with the
 * `subject` naming what it covers in the table.
 */
export interface StandaloneLaw {
  id: string;
  title: string;
  /** The tolerance and its reason, in words (docs/laws.md; required of the catalogue's laws). */
  tolerance?: string;
  subject: string;
  runs?: number;
  budget?: Partial<Budget>;
  property: () => AnyProperty;
}

export interface LawCase {
  /** Stable, unique name: 'B1 adam float64'. Test names are exactly these. */
  id: string;
  law: Law | StandaloneLaw;
  /** Optimizer name, or the standalone law's subject. */
  subject: string;
  dtype?: Dtype;
  make: () => AnyProperty;
  runs: number;
  /** Set when the case cannot run (a law that needs a reference, and none was supplied): the reason. */
  notRun?: string;
  /** The optimizer's factor on the time budgets (entry.budgetScale: a step far slower than the core's). */
  budgetScale?: number;
}

/** One case's result: the shape `optimlab verify --json` writes (src/schema/verify.ts). */
export type { CaseResult } from '../src/schema/verify.js';

export function isStandalone(l: Law | StandaloneLaw): l is StandaloneLaw {
  return (l as StandaloneLaw).subject !== undefined;
}

/**
 * Every (law, optimizer, dtype) case: the one place where laws meet the registry. `references`
 * are the decimal references supplied for outside optimizers (matched by name); a built-in entry
 * has its own (judge.ts). A law that needs a reference gets a 'not run' case where there is none.
 */
export function cases(
  laws: readonly (Law | StandaloneLaw)[],
  entries: readonly OptimizerEntry[] = registry as unknown as OptimizerEntry[],
  references: readonly Reference[] = [],
  placement?: Placement,
): LawCase[] {
  const out: LawCase[] = [];
  for (const law of laws) {
    if (isStandalone(law)) {
      out.push({
        id: `${law.id} ${law.subject}`,
        law,
        subject: law.subject,
        make: law.property,
        runs: law.runs ?? 100,
      });
      continue;
    }
    for (const entry of entries) {
      if (notApplicable(law, entry) !== undefined) continue;
      const steps = counted(entry, placement);
      const reference = law.needsReference ? judgeFor(entry, references) : undefined;
      const ctx: LawContext = reference ? { reference } : {};
      for (const dtype of law.dtypes ?? (['float64', 'float32'] as const)) {
        if (entry.dtypes && !entry.dtypes.includes(dtype)) continue;
        out.push({
          id: `${law.id} ${entry.name} ${dtype}`,
          law,
          subject: entry.name,
          dtype,
          make: () => law.property(steps, dtype, ctx),
          runs: law.runs ?? 100,
          ...(law.needsReference && !reference ? { notRun: NO_REFERENCE } : {}),
          ...(entry.budgetScale !== undefined ? { budgetScale: entry.budgetScale } : {}),
        });
      }
    }
  }
  return out;
}

/** Can `entry` opt out of `law` (a law of every optimizer, not a reference comparison)? */
export const optOutAllowed = (law: Law | StandaloneLaw): boolean =>
  !isStandalone(law) && !law.appliesTo && !law.needsReference;

/**
 * Why `law` does not apply to `entry` ('needs traits.velocity', 'opted out: …', or none of the
 * law's dtypes is one the entry handles), or undefined where it applies.
 */
export function notApplicable(law: Law, entry: OptimizerEntry): string | undefined {
  const dtypes = law.dtypes ?? ['float64', 'float32'];
  if (entry.dtypes && !dtypes.some((d) => entry.dtypes!.includes(d)))
    return `runs in ${dtypes.join(', ')}; the optimizer handles ${entry.dtypes.join(', ')}`;
  if (law.appliesTo) return law.appliesTo(entry) ? undefined : `needs ${law.appliesTo.text}`;
  const reason = optOutAllowed(law) ? entry.traits.optOut?.[law.id] : undefined;
  return reason === undefined ? undefined : `opted out: ${reason}`;
}

/** Does `law` apply to `entry`? (for the not-applicable cells of the table) */
export function applies(law: Law, entry: OptimizerEntry): boolean {
  return notApplicable(law, entry) === undefined;
}

export interface RunOptions {
  /** Run seed; every case derives its own from it. */
  seed?: number;
  /** Overrides every law's own number of runs. */
  runs?: number;
  /** At most this many runs per case (each law's own number otherwise; `runs` overrides both). */
  maxRuns?: number;
  /** Replays one case at a fast-check path (from a failure's replay line). */
  replay?: { caseSeed: number; path: string };
}

/** Reads OPTIMLAB_SEED / OPTIMLAB_RUNS / OPTIMLAB_REPLAY; throws a clear error on bad values. */
export function optionsFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): RunOptions & { replayId?: string; laws?: string[] } {
  const opts: RunOptions & { replayId?: string; laws?: string[] } = {};
  const s = env.OPTIMLAB_SEED;
  if (s !== undefined && s !== '') {
    if (s === 'random') opts.seed = (Math.random() * 2 ** 31) | 0;
    else if (/^-?\d+$/.test(s)) opts.seed = Number(s) | 0;
    else throw new RangeError(`OPTIMLAB_SEED = '${s}'; allowed: an integer or 'random'`);
  }
  const r = env.OPTIMLAB_RUNS;
  if (r !== undefined && r !== '') {
    if (!/^\d+$/.test(r) || Number(r) < 1) throw new RangeError(`OPTIMLAB_RUNS = '${r}'; allowed: an integer ≥ 1`);
    opts.runs = Number(r);
  }
  const rp = env.OPTIMLAB_REPLAY;
  if (rp !== undefined && rp !== '') {
    const m = /^(.+)@(-?\d+):([\d:]*)$/.exec(rp);
    if (!m)
      throw new RangeError(`OPTIMLAB_REPLAY = '${rp}'; allowed: '<case id>@<seed>:<path>' as printed by a failure`);
    opts.replayId = m[1]!;
    opts.replay = { caseSeed: Number(m[2]), path: m[3]! };
  }
  const l = env.OPTIMLAB_LAWS;
  if (l !== undefined && l !== '') {
    const ids = l.split(',').map((x) => x.trim());
    if (ids.some((x) => !/^[A-Z]+\d*[a-z]?$/.test(x)))
      throw new RangeError(`OPTIMLAB_LAWS = '${l}'; allowed: comma-separated law IDs or families such as 'H,A1,V4a'`);
    opts.laws = ids;
  }
  return opts;
}

function render(v: unknown): string {
  return fc.stringify(v);
}

/** Subject → the case of it that hit the hard limit in this process (see properties/budget.ts). */
const hung = new Map<string, string>();

/**
 * The budget of a case: the law's own, else the default, time limits scaled by OPTIMLAB_BUDGET and
 * by the optimizer's own factor (entry.budgetScale).
 */
export function caseBudget(c: LawCase, env: Readonly<Record<string, string | undefined>> = process.env): Budget {
  const k = budgetScale(env) * (c.budgetScale ?? 1);
  const b = { ...DEFAULT_BUDGET, ...c.law.budget };
  const hardMs = hung.has(c.subject) ? Math.min(b.hardMs, AFTER_HANG_MS) : b.hardMs;
  return {
    caseMs: Math.min(b.caseMs, hardMs) * k,
    runMs: Math.min(b.runMs, hardMs) * k,
    runSteps: b.runSteps,
    hardMs: hardMs * k,
  };
}

/**
 * Runs one case within its budget (properties/budget.ts). Never throws for a failing law, nor for
 * one that runs past its budget: the result says so, with the line that replays it.
 */
export function runCase(c: LawCase, opts: RunOptions = {}): CaseResult {
  const runSeed = opts.seed ?? DEFAULT_SEED;
  const seed = opts.replay ? opts.replay.caseSeed : caseSeed(runSeed, c.id);
  const runs = opts.runs ?? Math.min(c.runs, opts.maxRuns ?? Infinity);
  if (c.notRun !== undefined) {
    return {
      id: c.id,
      lawId: c.law.id,
      subject: c.subject,
      ...(c.dtype ? { dtype: c.dtype } : {}),
      status: 'not run',
      reason: c.notRun,
      runs: 0,
      seed,
      ms: 0,
    };
  }
  const budget = caseBudget(c);
  const track = newTrack();
  const t0 = performance.now();
  const params: fc.Parameters<any> = { seed, numRuns: runs, plugins: [runBudgetPlugin(budget, track)] };
  if (opts.replay) Object.assign(params, { path: opts.replay.path, endOnFailure: true });
  let details: fc.RunDetails<any>;
  try {
    details = withHardLimit(budget.hardMs, () => fc.check(c.make(), params));
  } catch (e) {
    if (e instanceof UnsatisfiableError) {
      // Nothing spins: the law's arbitraries found no valid case for this optimizer (a trait set
      // the law relies on that its hyperparameter ranges never allow, say). A failure, at once.
      return {
        id: c.id,
        lawId: c.law.id,
        subject: c.subject,
        runs: 0,
        seed,
        ms: performance.now() - t0,
        ...(c.dtype ? { dtype: c.dtype } : {}),
        status: 'fail',
        counterexample: '(none: no valid case could be generated)',
        path: '',
        error: `law ${c.law.id} cannot run on '${c.subject}'${c.dtype ? ` (${c.dtype})` : ''}: ${e.message}`,
        replay: `${c.id}@${seed}:`,
      };
    }
    if (!isHardLimit(e)) throw e;
    const earlier = hung.get(c.subject);
    if (earlier === undefined) hung.set(c.subject, c.id);
    // Stopped from outside: the run in progress never returned. Generated values are replayed by
    // their index; during shrinking, the failing run that started it.
    const k = track.firstFailure >= 0 ? track.firstFailure : track.generated - 1;
    const path = opts.replay ? opts.replay.path : String(Math.max(k, 0));
    const what =
      track.firstFailure >= 0
        ? `while shrinking the failure of run ${track.firstFailure}, a run did not return`
        : `run ${k} (of ${runs}) did not return${track.generated === 0 ? ' (or the property could not be built or generate its first value)' : ''}`;
    return {
      id: c.id,
      lawId: c.law.id,
      subject: c.subject,
      runs: Math.max(track.generated, 0),
      seed,
      ms: performance.now() - t0,
      ...(c.dtype ? { dtype: c.dtype } : {}),
      status: 'fail',
      counterexample: `(none: stopped at the hard limit; the replay line regenerates run ${path})`,
      path,
      error:
        `ran past its hard limit of ${budget.hardMs} ms (wall clock): ${what}` +
        (earlier === undefined
          ? ''
          : ` (the limit was cut to ${budget.hardMs} ms because ${earlier} hit it first in this process)`),
      replay: `${c.id}@${seed}:${path}`,
    };
  }
  const ms = performance.now() - t0;
  const base = {
    id: c.id,
    lawId: c.law.id,
    subject: c.subject,
    runs: details.numRuns,
    seed,
    ms,
    ...(c.dtype ? { dtype: c.dtype } : {}),
  };
  if (!details.failed && !track.outOfTime) return { ...base, status: 'pass' };
  if (!details.failed) {
    // Every run passed, but together they used up the case's budget: no counterexample; the
    // replay line points at the slowest run.
    const path = String(Math.max(track.slowest.index, 0));
    return {
      ...base,
      status: 'fail',
      counterexample: '(none: every run passed, too slowly)',
      path,
      error: `ran past its budget of ${budget.caseMs} ms of CPU time per case after ${details.numRuns} of ${runs} runs, each passing (slowest: run ${track.slowest.index}, ${track.slowest.ms.toFixed(0)} ms)`,
      replay: `${c.id}@${seed}:${path}`,
    };
  }
  const path = details.counterexamplePath ?? '';
  const err = details.errorInstance;
  const cut = track.outOfTime ? ' (shrinking stopped: the case used up its CPU budget)' : '';
  const error =
    (err instanceof Error
      ? `${err.name === 'BudgetExceeded' ? 'ran past its budget: ' : ''}${err.message}`
      : err === undefined || err === null
        ? 'the property returned false'
        : String(err)) + cut;
  return {
    ...base,
    status: 'fail',
    counterexample: details.counterexample ? render(details.counterexample) : '(none: interrupted)',
    path,
    error,
    replay: `${c.id}@${seed}:${path}`,
  };
}

/** The message a failing case prints: law, counterexample, error, and how to replay it. */
export function formatFailure(r: CaseResult): string {
  return [
    `law ${r.id} failed after ${r.runs} run(s)`,
    `  counterexample (shrunk): ${r.counterexample}`,
    `  error: ${r.error}`,
    `  seed ${r.seed}, path ${r.path}`,
    ...(r.replayCommand
      ? [`  replay: ${r.replayCommand}`]
      : [
          `  replay: OPTIMLAB_REPLAY=${shellQuote(r.replay ?? '')} npx vitest run properties -t ${shellQuote(r.id)}`,
          `      or: npx optimlab verify --replay ${shellQuote(r.replay ?? '')}`,
        ]),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Assertions that explain themselves: laws throw these so the failure says what was compared.

export class LawViolation extends Error {
  override name = 'LawViolation';
}

/** Throws a LawViolation with `message` unless `cond`. */
export function must(cond: boolean, message: () => string): asserts cond {
  if (!cond) throw new LawViolation(message());
}

/** Bit-for-bit equality of two typed arrays (NaN payloads and signed zeros included). */
export function sameBits(a: Float64Array | Float32Array, b: Float64Array | Float32Array): number {
  if (a.length !== b.length || a.constructor !== b.constructor) return 0;
  const ua = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const ub = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return Math.floor(i / a.BYTES_PER_ELEMENT);
  return -1;
}

/** A number as a law message shows it: -0 kept, full precision. */
export const show = (x: number | undefined): string =>
  x === undefined ? 'undefined' : Object.is(x, -0) ? '-0' : String(x);

/**
 * Asserts bit-identical arrays, naming the first differing index and both values.
 * With `{ signedZeros: 'equal' }`, +0 and −0 count as the same value (every other bit must match):
 * for laws whose exact-arithmetic symmetry IEEE 754 breaks only in the sign of an exact zero
 * (x − x is +0 in round-to-nearest, so negating both operands does not negate the result).
 */
export function mustBeSameBits(
  what: string,
  got: Float64Array | Float32Array,
  want: Float64Array | Float32Array,
  opts: { signedZeros?: 'equal' } = {},
): void {
  if (got.length !== want.length) throw new LawViolation(`${what}: length ${got.length} ≠ ${want.length}`);
  let i = sameBits(got, want);
  if (i >= 0 && opts.signedZeros === 'equal') {
    i = -1;
    for (let k = 0; k < got.length; k++) {
      const a = got[k]!;
      const b = want[k]!;
      if (a === 0 && b === 0) continue;
      if (!Object.is(a, b)) {
        i = k;
        break;
      }
    }
  }
  if (i >= 0) {
    throw new LawViolation(`${what}: differs at [${i}]: got ${show(got[i])}, want ${show(want[i])}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Floating-point error bounds, for laws that compare two ways of computing the same quantity.

/** Unit roundoff u of the dtype: 2^-53 (float64), 2^-24 (float32). */
export const unitRoundoff = (dtype: Dtype): number => (dtype === 'float32' ? 2 ** -24 : 2 ** -53);

/**
 * Half the smallest subnormal of the dtype (2^-150, 2^-1075): below the normal range rounding
 * errs by up to this much absolutely, not u relatively (the standard model fl(x) = x(1 + δ) + η).
 */
export const underflowUnit = (dtype: Dtype): number => (dtype === 'float32' ? 2 ** -150 : 2 ** -1074 / 2);

/** A computed value x and a bound e on |x − exact| (running error analysis, Wilkinson). */
export interface Bounded {
  readonly x: number;
  readonly e: number;
}

/**
 * Running error analysis: each operation returns its rounded result and a bound on its distance
 * from the exact result of the exact inputs. Every operation is charged one unit roundoff u of
 * the dtype; additions are charged u·(|a| + |b|) rather than u·|a + b|, so that the bound does not
 * depend on the order in which another implementation of the same formula associates its sums.
 * Results are rounded to the dtype (float32: Math.fround), so a float32 loop written with a
 * Tracker computes what a float32 implementation stores. Bounds are first order in u; products of
 * two error bounds (second order) are included in mul/div. Every operation is also charged the
 * absolute underflow error (underflowUnit) of a result that lands below the normal range.
 */
export class Tracker {
  readonly u: number;
  readonly tiny: number;
  readonly round: (x: number) => number;
  constructor(readonly dtype: Dtype) {
    this.u = unitRoundoff(dtype);
    this.tiny = underflowUnit(dtype);
    this.round = dtype === 'float32' ? Math.fround : (x: number) => x;
  }
  /** An exactly known input (already representable in the dtype). */
  exact(x: number): Bounded {
    return { x, e: 0 };
  }
  add(a: Bounded, b: Bounded): Bounded {
    const x = this.round(a.x + b.x);
    return { x, e: a.e + b.e + this.u * (Math.abs(a.x) + Math.abs(b.x)) + this.tiny };
  }
  sub(a: Bounded, b: Bounded): Bounded {
    const x = this.round(a.x - b.x);
    return { x, e: a.e + b.e + this.u * (Math.abs(a.x) + Math.abs(b.x)) + this.tiny };
  }
  mul(a: Bounded, b: Bounded): Bounded {
    const x = this.round(a.x * b.x);
    return { x, e: Math.abs(a.x) * b.e + Math.abs(b.x) * a.e + a.e * b.e + this.u * Math.abs(x) + this.tiny };
  }
  /** a / b for |b.x| > b.e. */
  div(a: Bounded, b: Bounded): Bounded {
    const x = this.round(a.x / b.x);
    const lo = Math.abs(b.x) - b.e;
    return { x, e: lo > 0 ? (a.e + Math.abs(x) * b.e) / lo + this.u * Math.abs(x) + this.tiny : Infinity };
  }
  neg(a: Bounded): Bounded {
    return { x: -a.x, e: a.e };
  }
}
