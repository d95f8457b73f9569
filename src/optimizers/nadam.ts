/**
 * nadam — Adam with Nesterov momentum.
 *
 *   m_t = β1 m_{t−1} + (1 − β1) g_t
 *   v_t = β2 v_{t−1} + (1 − β2) g_t²
 *   m̂_t = m_t / (1 − β1^t),  v̂_t = v_t / (1 − β2^t)
 *   θ_t = θ_{t−1} − η / (√v̂_t + ε) · (β1 m̂_t + (1 − β1) g_t / (1 − β1^t))
 *
 * Source: Dozat 2016, "Incorporating Nesterov momentum into Adam", in the simplified form of Ruder
 * 2016, §4.8 (constant β1: no momentum-decay schedule; PyTorch and Keras use Dozat's schedule).
 * Defaults η = 0.002, β1 = 0.9, β2 = 0.999, ε = 1e-8. Computed as
 * θ_t = θ_{t−1} − (η/(1−β1^t)) · (β1 m_t + (1−β1) g_t) / (√(v_t/(1−β2^t)) + ε). Zero denominators as
 * Adam: update 0 where v_t = 0 with ε = 0; β2 = 0 with ε = 0 rejected.
 * With options: g̃ = s·g + λθ replaces g; θ_t = κθ_{t−1} − Δ (see common.ts).
 *
 * Conventions (docs/conventions.md; per-step scalars only, one kernel). With den_t = √v̂_t + ε:
 *   schedule 'none' (default)  θ_t = θ_{t−1} − η (β1 m_t + (1 − β1) g_t) / ((1 − β1^t) den_t)          Ruder 2016
 *            'constant'        θ_t = θ_{t−1} − η (β1 m_t/(1 − β1^{t+1}) + (1 − β1) g_t/(1 − β1^t)) / den_t   optax (Dozat with μ_t = β1)
 *            'dozat'           μ_t = β1 (1 − ½·0.96^{tψ}),  Π_t = μ_1 ⋯ μ_t,
 *                              θ_t = θ_{t−1} − η (μ_{t+1} m_t/(1 − Π_{t+1}) + (1 − μ_t) g_t/(1 − Π_t)) / den_t
 *                              (PyTorch NAdam: ψ = momentum_decay = 0.004; Keras Nadam: ψ = 1)
 *   momentumDecay ψ ∈ [0, 1]   (used by 'dozat' only). ψ ≤ 1 keeps Π_t ≤ 0.52·β1, so 1 − Π_t has no
 *                              cancellation; larger ψ is rejected.
 * It runs the Adam family's kernel (adam-family.ts) with its switch $nesterov: a·(k1·m + k2·g)/den with
 * per-step (a, k1, k2) and cOut = 1/(1−β2^t); the default gives back the rule above bit for bit. Π_t is a function of (β1, ψ, t), evaluated as fl(Π_{t−1}·μ_t) from Π_0 = 1 and
 * memoised (one multiply per step in a run; a restored or interleaved state recomputes the same
 * products from 1, so checkpoint/resume stays bit-exact and the state holds no scalar). Unlike
 * PyTorch, which multiplies the μ actually used, changing β1 with set() mid-run recomputes Π with
 * the new β1 throughout.
 */
import { adamFamilySpecs, adamSwitches, crossAdam, momentScalars, type adamFamilyKernel } from './adam-family.js';
import { oneMinusPow } from './bias.js';
import { defineOptimizer } from './define.js';
import type { CommonHyper } from './common.js';
import * as compiled from './generated/adam-family.js';
import { choice } from './hyper.js';

export interface NadamHyper extends CommonHyper {
  beta1: number;
  beta2: number;
  eps: number;
}
export interface NadamConventions {
  [k: string]: number | boolean | string;
  schedule: string;
  momentumDecay: number;
}

/** μ_t = β1 (1 − ½·0.96^{tψ}) (Dozat 2016; PyTorch NAdam, Keras Nadam). */
export const nadamMu = (beta1: number, psi: number, t: number): number => beta1 * (1 - 0.5 * Math.pow(0.96, t * psi));

let memo = { beta1: Number.NaN, psi: Number.NaN, t: 0, prod: 1 };

/** Π_t = fl(Π_{t−1} · μ_t), Π_0 = 1: the same bits however it is reached (memoised, see the header). */
export function nadamMuProduct(beta1: number, psi: number, t: number): number {
  const m = memo;
  if (m.beta1 === beta1 && m.psi === psi) {
    if (m.t === t) return m.prod;
    if (m.t === t - 1) {
      const prod = m.prod * nadamMu(beta1, psi, t);
      memo = { beta1, psi, t, prod };
      return prod;
    }
  }
  let prod = 1;
  for (let i = 1; i <= t; i++) prod *= nadamMu(beta1, psi, i);
  memo = { beta1, psi, t, prod };
  return prod;
}

export const nadam = defineOptimizer<NadamHyper, typeof adamFamilyKernel, NadamConventions>({
  name: 'nadam',
  title: 'Nadam',
  source: 'Dozat 2016; Ruder 2016, §4.8',
  rule: [
    'm_t = β1 m_{t−1} + (1 − β1) g_t,  v_t = β2 v_{t−1} + (1 − β2) g_t²',
    'm̂_t = m_t / (1 − β1^t),  v̂_t = v_t / (1 − β2^t)',
    'θ_t = θ_{t−1} − η / (√v̂_t + ε) · (β1 m̂_t + (1 − β1) g_t / (1 − β1^t))',
  ],
  hyper: adamFamilySpecs(0.002),
  cross: crossAdam,
  conventions: {
    schedule: choice(
      'none',
      ['none', 'constant', 'dozat'],
      "momentum schedule: 'none' (Ruder 2016), 'constant' (μ_t = β1 with Dozat's corrections: optax), 'dozat' (μ_t = β1(1 − ½·0.96^{tψ}): PyTorch ψ = 0.004, Keras ψ = 1)",
    ),
    momentumDecay: {
      kind: 'number',
      default: 0.004,
      min: 0,
      max: 1,
      sample: [1e-3, 1],
      log: true,
      specials: [0, 1],
      doc: "momentum decay ψ of the 'dozat' schedule (PyTorch 0.004; Keras's 0.96^t is ψ = 1)",
    },
  },
  buffers: ['m', 'v'],
  traits: {
    elementwise: true,
    gradScaleInvariantWhenEpsZero: true,
    monotoneBuffers: [],
    biasCorrected: true,
    // m̂_1 = g, v̂_1 = g²: Δ = η/|g| · (β1 g + g) = η(1 + β1) sign(g).
    firstStepSignMagnitude: (h) => (h.lr as number) * (1 + (h.beta1 as number)),
    moments: { first: 'm', second: 'v', secondKind: 'square' },
    // With β1 = 0 the step is Adam's (law F2).
    rmsStep: 'ema',
    // m̂_t = g, v̂_t = g²: Δθ_t = −lr·(β1 + (1 − β1)/(1 − β1^t))·g/(|g| + ε).
    constantGradientStepFactor: (h, t) =>
      (h.beta1 as number) + (1 - (h.beta1 as number)) / oneMinusPow(h.beta1 as number, t),
    // ε = 0: the numerator β1 m̂_t + (1 − β1) g_t/(1 − β1^t) = Σ w_i g_i, v̂_t = Σ u_i g_i².
    stepWeights: (h, t) => {
      const b1 = h.beta1 as number;
      const b2 = h.beta2 as number;
      const c1 = oneMinusPow(b1, t);
      const c2 = oneMinusPow(b2, t);
      return {
        w: Array.from(
          { length: t },
          (_, i) => (b1 * (1 - b1) * b1 ** (t - 1 - i)) / c1 + (i === t - 1 ? (1 - b1) / c1 : 0),
        ),
        u: Array.from({ length: t }, (_, i) => ((1 - b2) * b2 ** (t - 1 - i)) / c2),
      };
    },
    // m̂_t ≤ gmax, √v̂_t ≥ gmax/r: |Δθ_t| ≤ lr·r·(β1 + (1 − β1)/(1 − β1^t)).
    displacementBound: (h, T, _gmax, r) => {
      const b1 = h.beta1 as number;
      let total = 0;
      for (let t = 1; t <= T; t++) total += (h.lr as number) * r * (b1 + (1 - b1) / (1 - b1 ** t));
      return total;
    },
  },
  kernel: compiled.adamFamilyKernel,
  // Equivalent mutant ($corrected: true): the kernel reads $corrected only where $amsgrad is on.
  switches: (h) => adamSwitches(h, { $nesterov: true, $amsgrad: false, $corrected: false }),
  scalars(s, h, t) {
    let a = h.lr;
    let k1: number;
    let k2: number;
    if (h.schedule === 'none') {
      a = h.lr / oneMinusPow(h.beta1, t);
      k1 = h.beta1;
      k2 = 1 - h.beta1;
    } else if (h.schedule === 'constant') {
      k1 = h.beta1 / oneMinusPow(h.beta1, t + 1);
      k2 = (1 - h.beta1) / oneMinusPow(h.beta1, t);
    } else {
      const prod = nadamMuProduct(h.beta1, h.momentumDecay, t);
      const muNext = nadamMu(h.beta1, h.momentumDecay, t + 1);
      k1 = muNext / (1 - prod * muNext);
      k2 = (1 - nadamMu(h.beta1, h.momentumDecay, t)) / (1 - prod);
    }
    momentScalars(s, h);
    s.a = a;
    s.k1 = k1;
    s.k2 = k2;
    s.cOut = 1 / oneMinusPow(h.beta2, t);
  },
});
