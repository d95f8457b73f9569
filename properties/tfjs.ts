/**
 * TensorFlow.js's optimizers under the laws (docs/adapters.md): the tf.train entries
 * (src/adapters/tfjs) with their tfjs-profile references (reference/tfjs.ts), and the findings —
 * every disagreement the laws found, explained and measured again here with exact values.
 *
 * A finding is computed, never copied: `measureFindings()` runs TF.js and the decimal reference on
 * the finding's inputs (and, where the cause is an evaluation detail, a float32 model of TF.js's
 * evaluation with that detail done right, which tests check against TF.js bit for bit), so the
 * numbers in the report are this run's. `findingOf(result)` names the finding a FAIL cell's
 * counterexample satisfies the stated condition of, or nothing: an unexplained FAIL.
 */
import type { OptimizerEntry } from '../src/optimizers/define.js';
import type { Hyper, Vec } from '../src/optimizers/types.js';
import { loadTfjsOptimizers, loadTfjsCpu } from '../src/adapters/tfjs/index.js';
import type { Reference } from '../reference/define.js';
import { tfjsReferences } from '../reference/tfjs.js';
import { D, fromDouble } from '../reference/decimal.js';
import { leaves, type Sc } from '../reference/scaled.js';
import { kOf } from './accuracy.js';
import { refState } from './laws/internal.js';
import type { CaseResult } from './framework.js';
import { TFJS_SCHEMA, type TfjsDoc, type VerifyDoc } from '../src/schema/index.js';

export interface TfjsSuite {
  entries: OptimizerEntry[];
  references: Reference[];
  /** tfjs-core's version. */
  version: string;
}

/** Loads TF.js (cpu backend): the tf.train entries and their references. AdapterUnavailableError when it is not installed. */
export async function loadTfjsSuite(): Promise<TfjsSuite> {
  const tf = await loadTfjsCpu();
  const entries = await loadTfjsOptimizers();
  return { entries, references: tfjsReferences(entries), version: tf.version_core };
}

/** What a finding is: TF.js's own defect, its documented behaviour, or optimlab's profile. */
export type FindingKind = 'TF.js bug' | 'TF.js behaviour' | 'optimlab profile';

export interface TfjsFinding {
  id: string;
  title: string;
  kind: FindingKind;
  /** The entries it concerns. */
  optimizers: readonly string[];
  /** Why, with the formulas. */
  explanation: string;
  /** The condition a failing case satisfies when this finding explains it (shown beside it). */
  condition: string;
  /** Does this failing case satisfy the condition? */
  explains(r: CaseResult): boolean;
}

/** One measured example of a finding: the call, TF.js's numbers and the reference's exact ones. */
export interface FindingExample {
  id: string;
  call: string;
  inputs: string;
  tfjs: string;
  reference: string;
  /** K of TF.js's value against the reference (units of u32) and the bound it is judged by, where it is a number. */
  k?: number;
  bound?: number;
  /** A further measured line (the counterfactual: the same evaluation with the cause removed). */
  note?: string;
}

/** The counterexample's text holds "key":value with value 0 (a JSON-rendered hyperparameter). */
const hyperIs = (r: CaseResult, key: string, test: (x: number) => boolean): boolean => {
  const re = new RegExp(`"${key}":(-?[0-9.e+-]+)`, 'g');
  for (const m of (r.counterexample ?? '').matchAll(re)) if (test(Number(m[1]))) return true;
  return false;
};
const nanIn = (r: CaseResult): boolean => /NaN|K = Infinity/.test(r.error ?? '');
/** Some gradient in the counterexample overflows when squared in float32 (|g| > 1.8e19). */
const overflowingGradient = (r: CaseResult): boolean =>
  [...(r.counterexample ?? '').matchAll(/-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/g)].some(
    (m) => Math.abs(Number(m[0])) > 1.8446742e19,
  );

export const TFJS_FINDINGS: readonly TfjsFinding[] = [
  {
    id: 'T1',
    title: 'centred RMSprop subtracts ε under the root: NaN whenever E[g²] − ḡ² < ε',
    kind: 'TF.js bug',
    optimizers: ['tfjs-rmsprop-centered'],
    explanation:
      'tf.train.rmsprop(…, centered = true) computes η g / √(E[g²] − (ḡ² + ε)) (rmsprop_optimizer.ts: sub(newAccumulatedMeanSquare, add(square(newAccumulatedMeanGrad), this.epsilon))). ' +
      'Every documented centred RMSprop (Graves 2013, Keras, optax, PyTorch) adds ε: √(E[g²] − ḡ² + ε). The variance E[g²] − ḡ² is below ε for small or nearly constant gradients, ' +
      "and TF.js then takes the root of a negative number: NaN. From a fresh state the first step has E[g²] − ḡ² = ρ(1 − ρ)g², so at TF.js's own defaults (decay 0.9, ε = 1e-7) every |g| < √(ε/(ρ(1 − ρ))) = 1.054e-3 gives NaN; above it the step is larger than the formula's.",
    condition:
      'tfjs-rmsprop-centered, failing at θ or the update buffer (which √(E[g²] − ḡ² − ε) feeds), not at E[g²] or ḡ',
    explains: (r) => r.subject === 'tfjs-rmsprop-centered' && !/\b(rms|mg)\[/.test(r.error ?? ''),
  },
  {
    id: 'T2',
    title: 'ε = 0: a coordinate no nonzero gradient has reached divides 0 by 0 (NaN)',
    kind: 'TF.js behaviour',
    optimizers: ['tfjs-adam-eps0', 'tfjs-adamax-eps0', 'tfjs-rmsprop-eps0'],
    explanation:
      "TF.js takes epsilon = 0 as given (only null selects the backend's 1e-7). Where m = 0 and v = 0 (Adam), m = 0 and u = 0 (AdaMax) or g = 0 and E[g²] = 0 (RMSprop) the update is 0/0 = NaN, and the parameter becomes NaN. " +
      "The formula's update there is 0 (nothing has moved the coordinate); optimlab's kernels and the reference give 0. PyTorch and Keras divide the same way; it is IEEE arithmetic, not a typo, but the parameter is lost.",
    condition: 'ε = 0 in the counterexample, and a NaN',
    explains: (r) => hyperIs(r, 'eps', (x) => x === 0) && nanIn(r),
  },
  {
    id: 'T3',
    title:
      'Adam and AdaMax compute 1 − β^t as 1 − (a float32 running product): the bias correction loses accuracy when β^t is near 1',
    kind: 'TF.js behaviour',
    optimizers: ['tfjs-adam', 'tfjs-adamax', 'tfjs-adam-eps0', 'tfjs-adamax-eps0'],
    explanation:
      'TF.js keeps β^t in a float32 variable (accBeta ← accBeta·β after each step) and divides by sub(1, accBeta). β^t itself is correctly rounded (t = 2) or nearly so, ' +
      'but 1 − β^t then has relative error up to about t·u·β^t/(1 − β^t): 79 u32 at β = 0.9937, t = 2; 500 u32 at β2 = 0.999. ' +
      "An evaluation of 1 − β^t to a few ulps (−expm1(t·ln β), as optimlab's kernels do) removes it: the same float32 evaluation order with 1 − β^t correctly rounded stays within the count.",
    condition:
      'Adam or AdaMax, a finite step or θ beyond the bound (not a moment buffer: those do not involve 1 − β^t), with β1 or β2 ≥ 0.5',
    explains: (r) =>
      /^tfjs-adam(ax)?(-eps0)?$/.test(r.subject) &&
      !nanIn(r) &&
      /Δθ|params\[/.test(r.error ?? '') &&
      (hyperIs(r, 'beta1', (x) => x >= 0.5) || hyperIs(r, 'beta2', (x) => x >= 0.5)),
  },
  {
    id: 'T4',
    title: "with β not representable in float32 (the defaults 0.9 and 0.999) Adam's bias correction does not cancel",
    kind: 'TF.js behaviour',
    optimizers: ['tfjs-adam', 'tfjs-adamax'],
    explanation:
      'TF.js multiplies the moments by fl32(β) and corrects by 1 − fl32(β)^t, but weights the gradient by fl32(1 − β), computed in double from the unrounded β. ' +
      'At β2 = 0.999: fl32(1 − β2) = 0.0010000000474974513, 1 − fl32(β2) = 0.0009999871253967285, so v̂_1 = 1.0000129·g² and the first step is 6.4e-6 (≈ 108 u32) short of −η·sign(g). ' +
      "The laws draw float32 values (TF.js computes with those exactly), so this shows here, measured at TF.js's defaults, and not in the table. " +
      "Law B1 flags it (K below, against Adam's bound 10): the decimal reference judges 1 − β, a difference of two inputs, against |1 − β| (one rounding), so v_1 = (1 − β2)g² is judged against its own size. E1 and E3, which judge the step relatively, see it too.",
    condition: '(measured at the defaults; the laws draw float32 hyperparameters)',
    explains: () => false,
  },
  {
    id: 'T5',
    title: 'a squared gradient that overflows float32 (|g| > 1.8e19) becomes NaN at the next step',
    kind: 'TF.js behaviour',
    optimizers: ['tfjs-adadelta', 'tfjs-rmsprop', 'tfjs-rmsprop-eps0', 'tfjs-adam', 'tfjs-adam-eps0'],
    explanation:
      'g² overflows to +∞ in float32 for |g| > 1.8e19. Adadelta then divides √(E[Δ²] + ε) = ∞ by √(E[g²] + ε) = ∞ (any ρ): NaN. RMSprop with decay 0 and Adam with β2 = 0 compute 0·∞ = NaN in the next average. ' +
      "With a decay > 0 RMSprop and Adam keep ∞ and step 0, as optimlab's kernels do; optimlab saturates an average whose decay is 0 at the largest float32 (law X1) and its 'previous' Adadelta saturates both averages.",
    condition: 'a NaN after a gradient above 1.8e19 in the counterexample',
    explains: (r) => nanIn(r) && overflowingGradient(r),
  },
  {
    id: 'T6',
    title: 'MomentumOptimizer.setMomentum changes nothing (found by reading, not by a law)',
    kind: 'TF.js bug',
    optimizers: ['tfjs-momentum', 'tfjs-nesterov'],
    explanation:
      'The constructor makes the scalar m = scalar(momentum) once; applyGradients uses m; setMomentum(μ) only sets this.momentum. A momentum schedule through setMomentum keeps the first value. ' +
      'The laws do not see it: the adapter builds a tf.train optimizer for the hyperparameters of every step.',
    condition: '(measured: not a law cell)',
    explains: () => false,
  },
  {
    id: 'T7',
    title: "Adam's own checkpoint (getWeights/setWeights) does not resume bit for bit; AdaMax has none",
    kind: 'TF.js bug',
    optimizers: ['tfjs-adam', 'tfjs-adamax'],
    explanation:
      'AdamOptimizer.setWeights sets accBeta = pow(β, iterations + 1), but an uninterrupted run holds the float32 running product accBeta·β·…·β: ' +
      'the two differ in the last bits for most (β, t) (β = 0.9, t = 8: pow 0.3874203860759735, product 0.3874204158782959), so a resumed run leaves the uninterrupted one. ' +
      'AdamaxOptimizer.getWeights and setWeights throw "not implemented". Law G5 holds for the adapter, which keeps the running products\' exact values itself (rebuilt from t), not for TF.js\'s API.',
    condition: "(measured: TF.js's own checkpoint API, not a law cell)",
    explains: () => false,
  },
  {
    id: 'T8',
    title: 'MomentumOptimizer.dispose() leaves a tensor alive (found while checking the adapter for leaks)',
    kind: 'TF.js bug',
    optimizers: ['tfjs-momentum', 'tfjs-nesterov'],
    explanation:
      'MomentumOptimizer overrides dispose() and disposes its momentum scalar and accumulations, but not the learning-rate scalar c that its SGDOptimizer base keeps (keep(scalar(−lr))): ' +
      'every momentum optimizer created and disposed leaks one tensor (tf.memory().numTensors grows by 1). The adapter disposes c itself; test/adapters-tfjs.test.ts checks that no tensor outlives a step.',
    condition: '(measured: not a law cell)',
    explains: () => false,
  },
];

/** The finding a failing case's counterexample satisfies the condition of (first match), or undefined. */
export function findingOf(r: CaseResult): TfjsFinding | undefined {
  if (r.status !== 'fail') return undefined;
  return TFJS_FINDINGS.find((f) => f.optimizers.includes(r.subject) && f.explains(r));
}

// ---------------------------------------------------------------------------------------------
// Measuring the findings again, with exact values.

const f32 = Math.fround;
const show = (xs: ArrayLike<number>): string =>
  `[${Array.from(xs, (x) => (Object.is(x, -0) ? '-0' : String(x))).join(', ')}]`;
const showRef = (xs: readonly Sc[]): string => `[${xs.map((x) => x.v.toSignificantDigits(20).toString()).join(', ')}]`;

/**
 * Runs the gradients through an entry from θ0 (float32) and the reference beside it: each reference
 * step from TF.js's state (law B1's measure), or with `trajectory` from the reference's own (law B2's).
 */
function both(
  suite: TfjsSuite,
  name: string,
  hyper: Hyper,
  theta0: number[],
  grads: number[][],
  trajectory = false,
): { tfjs: Vec[]; ref: Sc[][]; k: number[] } {
  const entry = suite.entries.find((e) => e.name === name)!;
  const ref = suite.references.find((r) => r.name === name)!;
  const opt = entry.create(hyper);
  const p = Float32Array.from(theta0);
  const state = opt.init(p.length, 'float32');
  const out: Vec[] = [];
  const refs: Sc[][] = [];
  const ks: number[] = [];
  let own = { params: leaves(p), state: refState(state) };
  for (const g of grads) {
    const from = trajectory ? own : { params: leaves(p), state: refState(state) };
    const r = ref.step(hyper as never, from.params, leaves(Float32Array.from(g)), from.state);
    own = { params: r.params, state: r.state };
    opt.step(p, Float32Array.from(g), state);
    out.push(p.slice());
    refs.push(r.params);
    ks.push(Math.max(...Array.from(p, (x, i) => kOf(x, r.params[i]!, 'float32'))));
  }
  return { tfjs: out, ref: refs, k: ks };
}

/**
 * TF.js's Adam step in float32, operation by operation as adam_optimizer.ts evaluates it (tests
 * check it against TF.js bit for bit), with 1 − β^t either as TF.js computes it (1 − the running
 * product) or correctly rounded from the exact β^t: the counterfactual of finding T3.
 */
export function adamModel(
  h: { lr: number; beta1: number; beta2: number; eps: number },
  grads: readonly number[],
  oneMinusPow: 'tfjs' | 'correct',
): number[] {
  let th = 0;
  let m = 0;
  let v = 0;
  let acc1 = f32(h.beta1);
  let acc2 = f32(h.beta2);
  const exact = (b: number, t: number): number => f32(new D(1).minus(fromDouble(f32(b)).pow(t)).toNumber());
  const out: number[] = [];
  grads.forEach((g, k) => {
    const t = k + 1;
    const om1 = oneMinusPow === 'tfjs' ? f32(1 - acc1) : exact(h.beta1, t);
    const om2 = oneMinusPow === 'tfjs' ? f32(1 - acc2) : exact(h.beta2, t);
    m = f32(f32(m * f32(h.beta1)) + f32(g * f32(1 - h.beta1)));
    v = f32(f32(v * f32(h.beta2)) + f32(f32(g * g) * f32(1 - h.beta2)));
    const step = f32(f32(m / om1) / f32(f32(Math.sqrt(f32(v / om2))) + f32(h.eps)));
    th = f32(f32(step * f32(-h.lr)) + th);
    acc1 = f32(acc1 * f32(h.beta1));
    acc2 = f32(acc2 * f32(h.beta2));
    out.push(th);
  });
  return out;
}

/** Relative error of x against the exact y, in units of u32. */
const relU = (x: number, y: Sc): number =>
  fromDouble(x)
    .minus(y.v)
    .abs()
    .div(y.v.abs())
    .div(2 ** -24)
    .toNumber();

/** Each finding measured again on this machine's TF.js (see the header). */
export async function measureFindings(suite: TfjsSuite): Promise<FindingExample[]> {
  const tf = await loadTfjsCpu();
  const out: FindingExample[] = [];
  const bound = (name: string): number => suite.references.find((r) => r.name === name)!.bound.float32;

  {
    // T1: TF.js's defaults, the first step of g = 1e-3.
    const h = { lr: 0.001, rho: 0.9, momentum: 0, eps: 1e-7 };
    const r = both(suite, 'tfjs-rmsprop-centered', h, [0], [[1e-3]]);
    const thr = Math.sqrt(1e-7 / (0.9 * 0.1));
    out.push({
      id: 'T1',
      call: 'tf.train.rmsprop(0.001, 0.9, 0, 1e-7, true)',
      inputs: 'θ = [0], g = [0.001] (the first step)',
      tfjs: `θ = ${show(r.tfjs[0]!)}`,
      reference: `θ = ${showRef(r.ref[0]!)} (η g/√(E[g²] − ḡ² + ε), E[g²] − ḡ² = 9e-8)`,
      k: r.k[0],
      bound: bound('tfjs-rmsprop-centered'),
      note: `the first step is NaN for every |g| < √(ε/(ρ(1 − ρ))) = ${thr.toPrecision(4)} at these defaults`,
    });
  }
  {
    // T2
    const h = { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 0 };
    const r = both(suite, 'tfjs-adam-eps0', h, [1, 1], [[0, 1]]);
    out.push({
      id: 'T2',
      call: 'tf.train.adam(0.001, 0.9, 0.999, 0)',
      inputs: 'θ = [1, 1], g = [0, 1] (the first step)',
      tfjs: `θ = ${show(r.tfjs[0]!)}`,
      reference: `θ = ${showRef(r.ref[0]!)}`,
      k: r.k[0],
      bound: bound('tfjs-adam-eps0'),
    });
  }
  {
    // T3: float32 hyperparameters (as the laws draw them), a constant gradient, step 2 judged from TF.js's state.
    const h = { lr: f32(1e-4), beta1: f32(0.9937010407447815), beta2: 0, eps: f32(1e-12) };
    const g = f32(1e-6);
    const r = both(suite, 'tfjs-adam', h, [0], [[g], [g]]);
    const model = adamModel(h, [g, g], 'tfjs');
    const fixed = adamModel(h, [g, g], 'correct');
    const step = (th: number[], i: number): number => th[i]! - (i ? th[i - 1]! : 0);
    const want = r.ref[1]![0]!.v.minus(fromDouble(r.tfjs[0]![0]!)); // the exact step 2 from TF.js's θ_1
    const wantSc = { v: want, a: Math.abs(want.toNumber()) };
    out.push({
      id: 'T3',
      call: `tf.train.adam(${h.lr}, ${h.beta1}, 0, ${h.eps})`,
      inputs: `θ = [0], g = ${g} twice`,
      tfjs: `step 2 = ${step(
        Array.from(r.tfjs, (x) => x[0]!),
        1,
      )} (${relU(
        step(
          Array.from(r.tfjs, (x) => x[0]!),
          1,
        ),
        wantSc,
      ).toFixed(1)} u32 from exact); 1 − accBeta1 = 1 − ${f32(f32(h.beta1) * f32(h.beta1))}`,
      reference: `step 2 = ${want.toSignificantDigits(20).toString()}; 1 − β1² = ${new D(1).minus(fromDouble(h.beta1).pow(2)).toSignificantDigits(20).toString()}`,
      k: r.k[1],
      bound: bound('tfjs-adam'),
      note: `float32 model of TF.js's evaluation: step 2 = ${step(model, 1)} (${Object.is(model[1], r.tfjs[1]![0]) ? "bit for bit TF.js's" : "NOT TF.js's"}); the same with 1 − β^t correctly rounded: ${step(fixed, 1)} (${relU(step(fixed, 1), wantSc).toFixed(2)} u32)`,
    });
  }
  {
    // T4: TF.js's own defaults (β not float32).
    const h = { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-7 };
    const r = both(suite, 'tfjs-adam', h, [0], [[1]]);
    out.push({
      id: 'T4',
      call: 'tf.train.adam() (defaults 0.001, 0.9, 0.999, 1e-7)',
      inputs: 'θ = [0], g = [1] (the first step)',
      tfjs: `θ = ${show(r.tfjs[0]!)} (${relU(r.tfjs[0]![0]!, r.ref[0]![0]!).toFixed(1)} u32 from exact)`,
      reference: `θ = ${showRef(r.ref[0]!)}`,
      k: r.k[0],
      bound: bound('tfjs-adam'),
      note: `fl32(1 − 0.999) = ${f32(1 - 0.999)}, 1 − fl32(0.999) = ${f32(1 - f32(0.999))}; K against the reference's scale ${r.k[0]!.toPrecision(2)} (scale ${r.ref[0]![0]!.a.toPrecision(4)} for a value of 0.001)`,
    });
  }
  {
    // T5: Adadelta (ρ = 0.95), an overflowing gradient then g = 1.
    const h = { lr: 1, rho: 0.95, eps: 1e-7 };
    const r = both(suite, 'tfjs-adadelta', h, [0], [[2e19], [1]], true);
    out.push({
      id: 'T5',
      call: 'tf.train.adadelta(1, 0.95, 1e-7)',
      inputs: 'θ = [0], g = [2e19] then [1]',
      tfjs: `θ after each step: ${r.tfjs.map((x) => show(x)).join(', ')}; the averages after step 1: E[g²] = ∞, E[Δ²] = ∞ (float32)`,
      reference: `θ after each step (exact, from the fresh state): ${r.ref.map((x) => showRef(x)).join(', ')}`,
    });
  }
  {
    // T6: TF.js directly (setMomentum is not part of the adapter).
    const opt = tf.train.momentum(0.1, 0.9);
    opt.setMomentum(0);
    const v = tf.tidy(() => tf.variable(tf.tensor1d([0]), true, `optimlab_finding_T6_${Date.now()}`));
    const got: number[] = [];
    for (let i = 0; i < 2; i++) {
      const g = tf.tensor1d([1]);
      opt.applyGradients({ [v.name]: g } as never);
      g.dispose();
      got.push(v.dataSync()[0]!);
    }
    v.dispose();
    opt.dispose();
    out.push({
      id: 'T6',
      call: 'const o = tf.train.momentum(0.1, 0.9); o.setMomentum(0)',
      inputs: 'θ = [0], g = [1] twice',
      tfjs: `θ after each step: ${show(got)}`,
      reference: 'with μ = 0: θ = [-0.1], then [-0.2] (float32: -0.10000000149011612, -0.20000000298023224)',
    });
  }
  {
    // T7: TF.js's own checkpoint of Adam, cut after 8 of 12 steps.
    const gs = [0.3, -1.2, 0.7, 2.5, -0.4, 0.9, 1.1, -0.2, 0.6, -0.8, 1.3, 0.05];
    const mk = () => tf.train.adam(0.01, 0.9, 0.999, 1e-7);
    const run = async (cut?: number): Promise<number> => {
      let opt = mk();
      const v = tf.tidy(() =>
        tf.variable(tf.tensor1d([0.5]), true, `optimlab_finding_T7_${cut ?? 'all'}_${Date.now()}`),
      );
      for (let i = 0; i < gs.length; i++) {
        if (i === cut) {
          const w = await opt.getWeights();
          const next = mk();
          await next.setWeights(w.map((x) => ({ name: x.name, tensor: x.tensor.clone() })));
          opt.dispose();
          opt = next;
        }
        const g = tf.tensor1d([gs[i]!]);
        opt.applyGradients({ [v.name]: g } as never);
        g.dispose();
      }
      const x = v.dataSync()[0]!;
      v.dispose();
      opt.dispose();
      return x;
    };
    const whole = await run();
    const resumed = await run(2);
    let adamax = '';
    try {
      await tf.train.adamax(0.01, 0.9, 0.999).getWeights();
    } catch (e) {
      adamax = (e as Error).message;
    }
    out.push({
      id: 'T7',
      call: 'tf.train.adam(0.01, 0.9, 0.999, 1e-7); getWeights after 2 steps, setWeights into a new one',
      inputs: `θ = [0.5], 12 gradients ${show(gs)}`,
      tfjs: `θ_12 resumed = ${resumed}, uninterrupted = ${whole}${Object.is(resumed, whole) ? ' (equal)' : ' (they differ)'}`,
      reference: 'the uninterrupted run (law G5: a resumed run equals it bit for bit)',
      note: `tf.train.adamax(…).getWeights(): "${adamax}"`,
    });
  }
  {
    // T8: tensors alive after creating, using and disposing one optimizer.
    const alive = (make: () => { applyGradients(g: never): void; dispose(): void }): number => {
      const before = tf.memory().numTensors;
      const v = tf.tidy(() =>
        tf.variable(tf.tensor1d([0]), true, `optimlab_finding_T8_${Date.now()}_${Math.random()}`),
      );
      const opt = make();
      const g = tf.tensor1d([1]);
      opt.applyGradients({ [v.name]: g } as never);
      g.dispose();
      opt.dispose();
      v.dispose();
      return tf.memory().numTensors - before;
    };
    out.push({
      id: 'T8',
      call: 'tf.train.momentum(0.1, 0.9): one step, then dispose()',
      inputs: 'θ = [0], g = [1]',
      tfjs: `tensors left alive: momentum ${alive(() => tf.train.momentum(0.1, 0.9) as never)}, sgd ${alive(() => tf.train.sgd(0.1) as never)}, adam ${alive(() => tf.train.adam(0.1) as never)}`,
      reference: 'none: dispose() releases everything the optimizer made',
    });
  }
  return out;
}

/** The law cells of a run that each finding explains, and the FAIL cells none explains. */
export function explainTable(cases: readonly CaseResult[]): {
  byFinding: Record<string, string[]>;
  unexplained: string[];
} {
  const byFinding: Record<string, string[]> = Object.fromEntries(TFJS_FINDINGS.map((f) => [f.id, []]));
  const unexplained: string[] = [];
  for (const r of cases) {
    if (r.status !== 'fail') continue;
    const f = findingOf(r);
    if (f) byFinding[f.id]!.push(r.id);
    else unexplained.push(r.id);
  }
  return { byFinding, unexplained };
}

const fmtK = (k: number | undefined): string =>
  k === undefined ? '' : k === null || !Number.isFinite(k) ? 'K = ∞' : `K = ${k.toPrecision(3)}`;

/** The findings as text (verify --tfjs): each with the cells it explains and its measurement. */
export function formatFindings(
  suite: TfjsSuite,
  report: { cases: readonly CaseResult[] },
  examples: readonly FindingExample[],
): string {
  const { byFinding, unexplained } = explainTable(report.cases);
  const lines = [
    `TensorFlow.js ${suite.version} (tf.train, cpu backend, float32) against optimlab's tfjs-profile reference (docs/conventions.md).`,
    "Hyperparameters are drawn as float32 values (TF.js computes with float32 scalars); the bounds count TF.js's float32 operations (reference/tfjs.ts).",
    '',
    'Findings (measured again now; docs/adapters.md):',
  ];
  for (const f of TFJS_FINDINGS) {
    const e = examples.find((x) => x.id === f.id);
    const cells = byFinding[f.id]!;
    lines.push(`${f.id} [${f.kind}] ${f.title}`);
    lines.push(
      `   explains: ${cells.length ? cells.join(', ') : '(no FAIL cell in this run)'} — condition: ${f.condition}`,
    );
    if (e) {
      lines.push(`   measured: ${e.call}, ${e.inputs}`);
      lines.push(`     TF.js:     ${e.tfjs}`);
      lines.push(`     reference: ${e.reference}${e.bound !== undefined ? `   (${fmtK(e.k)}, bound ${e.bound})` : ''}`);
      if (e.note) lines.push(`     ${e.note}`);
    }
  }
  lines.push(
    '',
    unexplained.length
      ? `FAIL cells no finding explains (investigate): ${unexplained.join(', ')}`
      : 'Every FAIL cell is explained by a finding above.',
  );
  return lines.join('\n');
}

/** The document `verify --tfjs --json` writes and the report reads (schema optimlab.tfjs/1, src/schema/tfjs.ts). */
export function tfjsDocument(suite: TfjsSuite, report: VerifyDoc, examples: readonly FindingExample[]): TfjsDoc {
  const { byFinding, unexplained } = explainTable(report.cases);
  return {
    schema: TFJS_SCHEMA,
    createdAt: new Date().toISOString(),
    tfjs: suite.version,
    backend: 'cpu',
    verify: report,
    findings: TFJS_FINDINGS.map((f) => {
      const e = examples.find((x) => x.id === f.id);
      return {
        id: f.id,
        title: f.title,
        kind: f.kind,
        explanation: f.explanation,
        condition: f.condition,
        cells: byFinding[f.id]!,
        example: e
          ? {
              call: e.call,
              inputs: e.inputs,
              tfjs: e.tfjs,
              reference: e.reference,
              ...(e.k !== undefined ? { k: Number.isFinite(e.k) ? e.k : null } : {}),
              ...(e.bound !== undefined ? { bound: e.bound } : {}),
              ...(e.note !== undefined ? { note: e.note } : {}),
            }
          : null,
      };
    }),
    unexplained,
  };
}
