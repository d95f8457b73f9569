/**
 * The decimal references of the tf.train entries (src/adapters/tfjs): optimlab's own references
 * (reference/<optimizer>.ts) under the tfjs profile's conventions (src/optimizers/conventions.ts,
 * docs/conventions.md), each with the bound of TF.js's evaluation order.
 *
 * No formula is restated here: each step maps TF.js's state variables to the optimlab buffers of
 * that profile, calls the built-in reference, and maps the result back:
 * - names: momentum → v (lrPlacement 'outside' keeps a_t = μ a + g without η, as TF.js does);
 *   accum_grad → Eg2, accum_var → Edx2; rms → Eg2, momentum → mom, mg → mg; m → m, v → v (Adam) or
 *   v → u (AdaMax, TF.js's `accumulatedWeightedInfNorm`);
 * - TF.js's Adagrad accumulator starts at initialAccumulatorValue and holds G_0 + Σ g²; optimlab's G
 *   holds Σ g² (A = G_0 + G). The accumulator is shifted by G_0 exactly, its error scale kept
 *   (shift below): the reference sees A = the accumulator, bit for bit;
 * - RMSprop without centring and with μ = 0 has no update buffer in optimlab, while TF.js keeps the
 *   last increment η g/√(E + ε) in `momentum`: its reference value is θ_{t−1} − θ_t of the reference
 *   step (exact), with the scale of the increment itself (a quotient of sums of nonnegative terms);
 *   the ḡ buffer of optimlab's momentum form, which TF.js does not keep without centring, is fed as 0
 *   (it is computed there but not used).
 *
 * The bounds. TF.js computes in float32 and rounds every operation (the `cpu` backend computes each
 * in double and stores float32: correctly rounded), and rounds every hyperparameter to float32 where
 * it is used. The counts use the rules of properties/bounds.ts (x ± y: max + 1; x·y: K_x + K_y + 1;
 * x/y: max + 1; √y: max(K_y, 1); max, |x|: exact), with a hyperparameter fl32(x) or fl32(1 − β)
 * counting 1, and 1 − β^t counting 3 as for optimlab's own kernels (a quantity every good
 * implementation computes to a few ulps from exact inputs). The same count bounds K in float32
 * (u = 2^-24): TF.js runs float32 only, so `float64` repeats it (the API requires one).
 */
import type { OptimizerEntry } from '../src/optimizers/define.js';
import type { Hyper } from '../src/optimizers/types.js';
import { tfjsOptimizers, TFJS_CPU_EPSILON, type TfjsOptimizerSpec } from '../src/adapters/tfjs/optimizers.js';
import type { RefResult, RefState } from './common.js';
import { defineReference, type Reference } from './define.js';
import { references } from './index.js';
import { known, type Sc } from './scaled.js';
import { fromDouble } from './decimal.js';

/** The common options, off: TF.js has no weight decay or maximize. */
const PLAIN: Hyper = { weightDecay: 0, decoupledWeightDecay: 0, maximize: false };

/** TF.js's buffer name → optimlab's, per entry (the rest of the header's mapping is in `step`). */
const NAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'tfjs-sgd': {},
  'tfjs-momentum': { momentum: 'v' },
  'tfjs-nesterov': { momentum: 'v' },
  'tfjs-adagrad': { accumulator: 'G' },
  'tfjs-adadelta': { accum_grad: 'Eg2', accum_var: 'Edx2' },
  'tfjs-rmsprop': { rms: 'Eg2', momentum: 'mom' },
  'tfjs-rmsprop-centered': { rms: 'Eg2', momentum: 'mom', mg: 'mg' },
  'tfjs-adam': { m: 'm', v: 'v' },
  'tfjs-adamax': { m: 'm', v: 'u' },
};

/** The float32 counts (see the header), one clause per value. */
const BOUNDS: Readonly<Record<string, { k: number; why: string }>> = {
  'tfjs-sgd': { k: 3, why: 'c = fl32(−η) 1; c·g 2; θ + c·g 3' },
  'tfjs-momentum': { k: 6, why: 'μ 1; μ·a 2; a = μa + g 3; c = fl32(−η) 1; c·a 5; θ + c·a 6' },
  'tfjs-nesterov': { k: 9, why: 'a = μa + g 3; a·μ 5; g + a·μ 6; c·(…) 8 (c = fl32(−η) 1); θ + … 9' },
  'tfjs-adagrad': { k: 7, why: 'g² 1; A = A + g² 2; ε = fl32(1e-7) 1; A + ε 3; √ 3; g/√ 4; ·fl32(−η) 6; θ + … 7' },
  'tfjs-adadelta': {
    k: 12,
    why: 'E[g²] = ρE + (1−ρ)g²: ρE 2, (1−ρ)g² 3, sum 4; √(E[Δ²] + ε) 2; √(E[g²]_{t−1} + ε) 2; ratio 3; Δ = ratio·g 4; E[Δ²] = ρE + (1−ρ)Δ²: Δ² 9, (1−ρ)Δ² 11, sum 12; Δ·fl32(−η) 6; θ + … 7',
  },
  'tfjs-rmsprop': {
    k: 8,
    why: 'E = ρE + (1−ρ)g² 4; E + ε 5; √ 5; g·η 2; quotient 6; mom = μ·mom + quotient 7; θ − mom 8',
  },
  'tfjs-rmsprop-centered': {
    k: 12,
    why: 'E 4; ḡ = ρḡ + (1−ρ)g 3; ḡ² 7; ḡ² + ε 8; E − (ḡ² + ε) 9; √ 9; g·η 2; quotient 10; mom 11; θ − mom 12',
  },
  'tfjs-adam': {
    k: 10,
    why: 'm = β1m + (1−β1)g 3; v = β2v + (1−β2)g² 4; 1 − β^t 3; m̂ = m/(1 − β1^t) 4; v̂ 5; √v̂ 5; + ε 6; m̂/(…) 7; ·fl32(−η) 9; θ + … 10',
  },
  'tfjs-adamax': {
    k: 11,
    why: 'η_t = −η/(1 + iteration·d) 4; m 3; u = max(β2u, |g|) 2; u + ε 3; m/(u + ε) 4; 1 − β1^t 3; η_t/(1 − β1^t) 5; product 10; θ + … 11',
  },
};

/**
 * x + c for an exact constant c, keeping x's excess a − |x| (the cancellation its terms carried):
 * a relabelling of the same computed quantity, not an operation an implementation performs.
 */
function shift(x: Sc, c: number): Sc {
  const v = x.v.plus(fromDouble(c));
  const a = x.a - x.v.abs().toNumber() + v.abs().toNumber();
  return x.c !== undefined ? { v, a, c: x.c } : { v, a };
}

function tfjsReference(entry: OptimizerEntry, spec: TfjsOptimizerSpec): Reference {
  const base = spec.name.replace(/-eps0$/, '');
  const names = NAMES[base];
  const bound = BOUNDS[base];
  if (!names || !bound) throw new RangeError(`reference/tfjs: no mapping for '${spec.name}'`);
  const builtin = (references as unknown as Record<string, Reference>)[spec.optimizer]!;
  const G0 = (h: Hyper): number => (base === 'tfjs-adagrad' ? (h.initialAccumulator as number) : 0);
  return defineReference(entry, {
    source: `reference/${spec.optimizer}.ts under the tfjs profile (${spec.profileApi}): docs/conventions.md`,
    step: (h: Readonly<Hyper>, params: readonly Sc[], grad: readonly Sc[], state: RefState): RefResult => {
      const p = spec.profile(h, TFJS_CPU_EPSILON);
      const hyper = { ...p.hyper, ...PLAIN };
      const n = params.length;
      const zeros = (): Sc[] => Array.from({ length: n }, () => known(fromDouble(0)));
      const buffers: Record<string, Sc[]> = {};
      for (const b of builtin.buffersFor(p.conventions)) buffers[b] = zeros();
      for (const [tf, ours] of Object.entries(names)) {
        if (!(ours in buffers)) continue;
        const x = state.buffers[tf]!;
        buffers[ours] = ours === 'G' ? x.map((s) => shift(s, -G0(h))) : [...x];
      }
      const r = builtin.step(hyper as never, params, grad, { t: state.t, buffers }, p.conventions);
      const out: Record<string, Sc[]> = {};
      for (const [tf, ours] of Object.entries(names)) {
        const y = r.state.buffers[ours];
        if (y) out[tf] = ours === 'G' ? y.map((s) => shift(s, G0(h))) : y;
        // RMSprop with μ = 0 and no centring: TF.js's `momentum` is the last increment θ_{t−1} − θ_t.
        else out[tf] = params.map((th, i) => known(th.v.minus(r.params[i]!.v)));
      }
      return { params: r.params, state: { t: r.state.t, buffers: out } };
    },
    bound: {
      float64: bound.k,
      float32: bound.k,
      why: `${bound.why} (float32 at every operation, TF.js's own evaluation order; the same count in u = 2^-24)`,
    },
  });
}

/** The references of the given tf.train entries (matched by name; loadTfjsOptimizers() makes them). */
export function tfjsReferences(entries: readonly OptimizerEntry[]): Reference[] {
  return entries.map((e) => {
    const spec = tfjsOptimizers.find((s) => s.name === e.name);
    if (!spec)
      throw new RangeError(
        `tfjsReferences: '${e.name}' is not a tf.train entry; those are ${tfjsOptimizers.map((s) => s.name).join(', ')}`,
      );
    return tfjsReference(e, spec);
  });
}
