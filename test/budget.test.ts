/**
 * Every law case has a budget (properties/budget.ts): a case driven by an optimizer that never
 * finishes a step, whose trajectory never ends, or whose values grow without bound fails within
 * its budget, with the line that replays it, instead of hanging `npm test`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BUDGET, budgetScale, cpuMs, tick, withHardLimit, isHardLimit } from '../properties/budget.js';
import {
  cases,
  formatFailure,
  optionsFromEnv,
  runCase,
  type Law,
  type StandaloneLaw,
} from '../properties/framework.js';
import type { OptimizerEntry } from '../src/optimizers/define.js';
import { getOptimizer } from '../src/optimizers/registry.js';
import type { Optimizer, OptimizerState, Vec } from '../src/optimizers/types.js';

const sgd = getOptimizer('sgd');

/** sgd, with `after(state)` run after every step: the defect under test. */
function brokenSgd(name: string, after: (p: Vec, s: OptimizerState) => void): OptimizerEntry {
  return {
    ...sgd,
    name,
    create: (h, c) => {
      const o = sgd.create(h, c);
      return Object.create(o, {
        step: {
          value: (p: Vec, g: Vec, s: OptimizerState) => {
            o.step(p, g, s);
            after(p, s);
          },
        },
      }) as Optimizer;
    },
  };
}

/** A trajectory law: `steps` steps from θ = 1 with gradient g, then `check` (which may loop). */
function trajectoryLaw(
  id: string,
  steps: number,
  check: (p: Vec, s: OptimizerState) => void,
  budget = { hardMs: 1000 },
): Law {
  return {
    id,
    title: 'a trajectory law',
    runs: 50,
    budget,
    dtypes: ['float64'],
    property: (entry) =>
      fc.property(fc.double({ min: 0.5, max: 2, noNaN: true }), (g) => {
        const opt = entry.create({ lr: 0.01 });
        const p = Float64Array.of(1);
        const s = opt.init(1);
        for (let t = 0; t < steps; t++) {
          opt.step(p, Float64Array.of(g), s);
          check(p, s);
        }
        return true;
      }),
  };
}

const scale = budgetScale();

describe('budgets', () => {
  it('a step that never returns: the case fails at its hard limit, with the run in progress and a replay line that fails again', () => {
    const spinner = brokenSgd('spinner', (_p, s) => {
      if (s.t === 3)
        for (;;) {
          /* never returns */
        }
    });
    const [c] = cases([trajectoryLaw('T2', 10, () => {})], [spinner]);
    const t0 = performance.now();
    const r = runCase(c!, { seed: 1 });
    const ms = performance.now() - t0;
    expect(r.status).toBe('fail');
    expect(r.error).toMatch(/ran past its hard limit of \d+ ms \(wall clock\): run 0 \(of 50\) did not return/);
    expect(r.replay).toBe(`T2 spinner float64@${r.seed}:0`);
    expect(ms).toBeLessThan(1000 * scale + 1000);
    expect(formatFailure(r)).toContain(`OPTIMLAB_REPLAY='${r.replay}'`);
    // The replay line regenerates that run, which stops at the limit again. The subject hung once
    // in this process, so its later cases get the shorter limit (at most AFTER_HANG_MS).
    const again = runCase(c!, optionsFromEnv({ OPTIMLAB_REPLAY: r.replay! }));
    expect(again.status).toBe('fail');
    expect(again.error).toMatch(/hard limit.*T2 spinner float64 hit it first/);
    // The framework is usable afterwards: a passing case still passes.
    const [ok] = cases([trajectoryLaw('T2', 10, () => {})], [sgd]);
    expect(runCase(ok!, { seed: 1 }).status).toBe('pass');
  });

  it('a trajectory that never ends: a law looping until it converges fails at the step budget, shrunk, on every machine alike', () => {
    // θ alternates between 0 and 1: never converges; the law steps until |Δθ| < 1e-12, as a
    // careless law might.
    const runaway = brokenSgd('runaway', (p, s) => {
      p[0] = s.t % 2;
    });
    const law: Law = {
      id: 'T3',
      title: 'steps until converged',
      runs: 20,
      dtypes: ['float64'],
      property: (entry) =>
        fc.property(fc.integer({ min: 0, max: 100 }), (k) => {
          const opt = entry.create({ lr: 0.01 });
          const p = Float64Array.of(k);
          const s = opt.init(1);
          let prev = Infinity;
          while (Math.abs(p[0]! - prev) >= 1e-12) {
            prev = p[0]!;
            opt.step(p, Float64Array.of(1), s);
          }
          return true;
        }),
    };
    const [c] = cases([law], [runaway]);
    const r = runCase(c!, { seed: 3 });
    expect(r.status).toBe('fail');
    expect(r.error).toBe(
      `ran past its budget: this run took more than ${DEFAULT_BUDGET.runSteps} optimizer steps (the budget of one run): the law loops on what the optimizer produces`,
    );
    expect(r.counterexample).toBe('[0]');
    const again = runCase(c!, optionsFromEnv({ OPTIMLAB_REPLAY: r.replay! }));
    expect(again.error).toBe(r.error);
    expect(again.counterexample).toBe('[0]');
  });

  it('ever-growing values: a reference loop over a step counter that explodes fails at the hard limit', () => {
    // state.t multiplied by 1000 each step; the law's exact product over t (the shape of Dozat's
    // μ-product reference, Π_{i ≤ t} μ_i) then never finishes.
    const growing = brokenSgd('growing', (_p, s) => {
      s.t *= 1000;
    });
    const law = trajectoryLaw('T4', 8, (_p, s) => {
      let prod = 1;
      for (let i = 1; i <= s.t; i++) prod *= 0.9 * (1 - 0.5 * 0.96 ** (i * 0.004));
      if (!(prod >= 0)) throw new Error('negative product');
    });
    const [c] = cases([law], [growing]);
    const t0 = performance.now();
    const r = runCase(c!, { seed: 4 });
    expect(r.status).toBe('fail');
    expect(r.error).toMatch(/hard limit/);
    expect(r.replay).toBe(`T4 growing float64@${r.seed}:0`);
    expect(performance.now() - t0).toBeLessThan(1000 * scale + 1000);
  });

  it('a run slower than its per-run budget fails with that run as counterexample', () => {
    const slow: StandaloneLaw = {
      id: 'T5',
      title: 'slow when x ≥ 90',
      subject: 'slowness',
      runs: 200,
      budget: { runMs: 30 },
      property: () =>
        fc.property(fc.integer({ min: 0, max: 100 }), (x) => {
          const until = cpuMs() + (x >= 90 ? 60 : 0);
          while (cpuMs() < until) tick(0);
          return true;
        }),
    };
    const [c] = cases([slow]);
    const r = runCase(c!, { seed: 5 });
    expect(r.status).toBe('fail');
    expect(r.error).toMatch(
      /^ran past its budget: this run used \d+ ms of CPU time, past its budget of 30 ms per run$/,
    );
    expect(r.counterexample).toBe('[90]');
  });

  it("runs that each pass but together use up the case's CPU budget fail, pointing at the slowest run", () => {
    const slow: StandaloneLaw = {
      id: 'T6',
      title: 'every run takes 20 ms',
      subject: 'slowness2',
      runs: 100,
      budget: { caseMs: 200 },
      property: () =>
        fc.property(fc.integer({ min: 0, max: 100 }), () => {
          const until = cpuMs() + 20;
          while (cpuMs() < until) tick(0);
          return true;
        }),
    };
    const [c] = cases([slow]);
    const r = runCase(c!, { seed: 6 });
    expect(r.status).toBe('fail');
    expect(r.error).toMatch(
      /^ran past its budget of \d+ ms of CPU time per case after \d+ of 100 runs, each passing \(slowest: run \d+, \d+ ms\)$/,
    );
    expect(r.runs).toBeLessThan(100);
  });

  it('withHardLimit stops synchronous code and leaves nothing behind; OPTIMLAB_BUDGET is checked', () => {
    let e: unknown;
    try {
      withHardLimit(50, () => {
        for (;;) {
          /* spin */
        }
      });
    } catch (x) {
      e = x;
    }
    expect(isHardLimit(e)).toBe(true);
    expect(withHardLimit(1000, () => 42)).toBe(42);
    expect(() =>
      withHardLimit(1000, () => {
        throw new RangeError('inner');
      }),
    ).toThrow(RangeError);
    expect(budgetScale({ OPTIMLAB_BUDGET: '2.5' })).toBe(2.5);
    expect(() => budgetScale({ OPTIMLAB_BUDGET: 'fast' })).toThrow(/OPTIMLAB_BUDGET = 'fast'; allowed: a factor/);
  });
});
