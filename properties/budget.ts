/**
 * Budgets: no law case runs unbounded, whatever the optimizer under test does.
 *
 * A broken optimizer can make a law run forever: a step that never returns, a trajectory that
 * never meets a law's stopping condition, a step counter or values that grow until a reference's
 * loop over them never ends. A synchronous loop cannot be interrupted by a timer of its own thread,
 * so the budget bites at three levels, from the inside out:
 *
 *  1. Work per run (deterministic). Every optimizer step a law takes through the entry it was given
 *     (the framework hands laws a counting entry: `counted`) and every `tick()` a law's own loop
 *     makes counts against `runSteps` per run of the property. A law looping on what a broken
 *     optimizer produces fails at the same count on every machine, and fast-check shrinks it.
 *  2. CPU time per run. A run that used more than `runMs` of CPU time fails: checked at every
 *     64th tick and when the run returns (a fast-check plugin wraps each run), so the failing run
 *     has a path to replay.
 *  3. Time per case. Once the case has used `caseMs` of CPU time, no further run or shrink starts
 *     and the case fails with what it has. At `hardMs` of wall-clock time the hard limit stops
 *     anything at all, even a loop inside an optimizer's step, a reference or an arbitrary's
 *     filter that never returns: the case runs inside `vm`'s `timeout`, with which V8 terminates
 *     the running JavaScript from a watchdog thread. The case then fails with the run that was in
 *     progress and the line that replays it. Once a case of a subject (an optimizer, 'train') hit
 *     the hard limit, the later cases of that subject in the same process get `afterHangMs`: an
 *     optimizer whose step never returns then costs one full limit, not one per law.
 *
 * CPU time (process.cpuUsage) rather than the clock for levels 2 and 3: the project's machine is
 * shared, and under a load of 10 processes per core a case takes 10× its CPU time in wall time;
 * the budgets must not fail a correct law for that. Only the hard limit, which must stop code
 * that never yields, is wall-clock time, and it is the most generous.
 *
 * Limits. `caseMs` = 20 s of CPU: the slowest case of the suite uses about 1.2 s (B3 on Nadam),
 * a 16× margin for a slower machine or Stryker's instrumentation (OPTIMLAB_BUDGET=k multiplies
 * every time limit by k). `runMs` = 5 s (a run is normally below 1 % of its case). `hardMs` =
 * 60 s of wall time (vitest's own test timeout, which cannot stop synchronous code); `afterHangMs`
 * = 2 s. `runSteps` = 200 000 optimizer steps or ticks per run: the most any run of the suite takes
 * is below 10 000 (measured over every case at the default seed: F2's online counterexample, 3000
 * steps; the convention counterexample searches can take up to 300 draws × 2 runs × 20 steps =
 * 12 000 in their worst draw), so the cap leaves a factor ≥ 16 and is still reached within a
 * second by a law that loops without end (an optimizer step costs ≤ 5 µs at the sizes laws use).
 */
import fc from 'fast-check';
import { createContext, Script } from 'node:vm';
import type { OptimizerEntry, Placement } from '../src/optimizers/define.js';
import type { Optimizer, OptimizerState, Vec } from '../src/optimizers/types.js';

export interface Budget {
  /** CPU time of one case (all its runs and its shrinking), ms. */
  caseMs: number;
  /** CPU time of one run of the property, ms. */
  runMs: number;
  /** Optimizer steps and ticks allowed in one run. */
  runSteps: number;
  /** Wall-clock time after which the case is stopped whatever it is doing, ms. */
  hardMs: number;
}

export const DEFAULT_BUDGET: Readonly<Budget> = Object.freeze({
  caseMs: 20_000,
  runMs: 5_000,
  runSteps: 200_000,
  hardMs: 60_000,
});

/** The hard limit of a case whose subject already hung once in this process. */
export const AFTER_HANG_MS = 2_000;

/** CPU time used by this process so far, ms (user + system). */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** A run or case that ran past its budget. */
export class BudgetExceeded extends Error {
  override name = 'BudgetExceeded';
}

interface ActiveRun {
  budget: Budget;
  steps: number;
  t0: number;
  /** Ticks left before the next clock read (reading the clock costs ~40 ns; a tick ~2 ns). */
  untilClock: number;
}

let active: ActiveRun | undefined;

const CLOCK_EVERY = 64;

const runMessage = (ms: number, budget: Budget): string =>
  `this run used ${ms.toFixed(0)} ms of CPU time, past its budget of ${budget.runMs} ms per run`;

function overTime(a: ActiveRun): void {
  const ms = cpuMs() - a.t0;
  if (ms > a.budget.runMs) throw new BudgetExceeded(runMessage(ms, a.budget));
}

/**
 * One unit of work of the run in progress (an optimizer step, an iteration of a law's own loop).
 * Throws BudgetExceeded past the run's step or time budget; does nothing outside a budgeted run.
 */
export function tick(n = 1): void {
  const a = active;
  if (a === undefined) return;
  a.steps += n;
  if (a.steps > a.budget.runSteps) {
    throw new BudgetExceeded(
      `this run took more than ${a.budget.runSteps} optimizer steps (the budget of one run): the law loops on what the optimizer produces`,
    );
  }
  a.untilClock -= n;
  if (a.untilClock <= 0) {
    a.untilClock = CLOCK_EVERY;
    overTime(a);
  }
}

/** `opt` with every step counted by `tick` (the same object otherwise: set, hyper, init). */
export function countedOptimizer<O extends Optimizer>(opt: O): O {
  return Object.create(opt, {
    step: {
      value: (params: Vec, grad: Vec, state: OptimizerState): void => {
        tick();
        opt.step(params, grad, state);
      },
    },
  }) as O;
}

/**
 * `entry` whose optimizers count their steps (what the framework hands every optimizer law); with
 * `placement`, optimizers a law creates without one of its own get it (the suite under an engine).
 */
export function counted<E extends OptimizerEntry>(entry: E, placement?: Placement): E {
  return Object.freeze({
    ...entry,
    create: ((h, c, p) => countedOptimizer(entry.create(h, c, p ?? placement))) as E['create'],
  });
}

/** What the run plugin saw: for the failure message and the replay path when the hard limit bites. */
export interface RunTrack {
  /** Values generated (runs started outside of shrinking). */
  generated: number;
  /** Index of the first failing run, -1 before any failure (after it, runs are shrink attempts). */
  firstFailure: number;
  /** The slowest run that returned: index (of the generated values) and CPU ms. */
  slowest: { index: number; ms: number };
  /** The case's CPU budget ran out: fast-check was told to stop. */
  outOfTime: boolean;
}

export const newTrack = (): RunTrack => ({
  generated: 0,
  firstFailure: -1,
  slowest: { index: -1, ms: 0 },
  outOfTime: false,
});

/**
 * The fast-check plugin of levels 1 to 3: each run starts a fresh step count and CPU clock, a run
 * that returned past its time budget fails, and once the case's CPU budget is spent no run starts
 * (fast-check stops, as for an interruption). Records what the failure messages need.
 */
export function runBudgetPlugin(budget: Budget, track: RunTrack): fc.Plugin<unknown> {
  return () => {
    const caseStart = cpuMs();
    return {
      decorateGenerate: (generate) => (mrng, runId) => {
        track.generated++;
        return generate(mrng, runId);
      },
      decorateRun: (run) => (v) => {
        const t0 = cpuMs();
        if (t0 - caseStart > budget.caseMs) {
          track.outOfTime = true;
          return new fc.PreconditionFailure(true) as ReturnType<typeof run>;
        }
        const a: ActiveRun = { budget, steps: 0, t0, untilClock: CLOCK_EVERY };
        const outer = active;
        active = a;
        let out;
        try {
          out = run(v);
        } finally {
          active = outer;
        }
        const ms = cpuMs() - t0;
        if (track.firstFailure < 0 && ms > track.slowest.ms) track.slowest = { index: track.generated - 1, ms };
        if (out === null && ms > budget.runMs) out = { error: new BudgetExceeded(runMessage(ms, budget)) };
        if (out !== null && !fc.PreconditionFailure.isFailure(out) && track.firstFailure < 0)
          track.firstFailure = track.generated - 1;
        return out as ReturnType<typeof run>;
      },
    };
  };
}

// The hard limit: one context and one compiled call, reused (a call costs ~0.2 ms: vm starts a
// watchdog thread for it).
const context = createContext({ __call: undefined as unknown });
const call = new Script('__call()', { filename: 'optimlab-budget' });

/** The error vm throws when the hard limit bites. */
export function isHardLimit(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
}

/**
 * Runs `f` and stops it after `ms` even if it never returns (then throws an error for which
 * `isHardLimit` is true). `finally` blocks inside `f` do not run when it is stopped.
 */
export function withHardLimit<T>(ms: number, f: () => T): T {
  const ctx = context as { __call: unknown };
  const previous = ctx.__call;
  const outer = active;
  ctx.__call = f;
  try {
    return call.runInContext(context, { timeout: Math.max(1, Math.round(ms)) }) as T;
  } finally {
    ctx.__call = previous;
    // A terminated run leaves its budget set (its own finally did not run).
    active = outer;
  }
}

/** OPTIMLAB_BUDGET: a factor on every time limit (a slow or loaded machine, mutation testing). */
export function budgetScale(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const s = env.OPTIMLAB_BUDGET;
  if (s === undefined || s === '') return 1;
  const k = Number(s);
  if (!/^\d+(\.\d+)?$/.test(s) || !(k > 0) || k > 1000)
    throw new RangeError(
      `OPTIMLAB_BUDGET = '${s}'; allowed: a factor on the time budgets, a number > 0 and ≤ 1000 (e.g. 3)`,
    );
  return k;
}
