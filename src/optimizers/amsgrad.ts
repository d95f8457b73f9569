/**
 * amsgrad — Adam whose second moment never decreases.
 *
 *   m_t = β1 m_{t−1} + (1 − β1) g_t
 *   v_t = β2 v_{t−1} + (1 − β2) g_t²
 *   v̂_t = max(v̂_{t−1}, v_t)
 *   θ_t = θ_{t−1} − η m_t / (√v̂_t + ε)
 *
 * Source: Reddi, Kale & Kumar 2018, "On the convergence of Adam and beyond", Algorithm 2 (constant
 * β1, α_t = η), as Ruder 2016, §4.10 writes it: no bias correction. (PyTorch's amsgrad=True
 * bias-corrects; optax takes the max of the bias-corrected v̂.) Defaults as Adam: η = 0.001,
 * β1 = 0.9, β2 = 0.999, ε = 1e-8. Where v̂_t = 0 with ε = 0, m_t = 0 and the update is 0, not NaN
 * (v̂ only grows, so β2 = 0 is allowed even with ε = 0).
 * With options: g̃ = s·g + λθ replaces g; θ_t = κθ_{t−1} − Δ (see common.ts).
 *
 * Conventions (docs/conventions.md; per-step scalars only, one kernel):
 *   form 'ruder' (default)  v̂_t = max(v̂_{t−1}, v_t);  θ_t = θ_{t−1} − η m_t / (√v̂_t + ε)
 *        'rawMax'           v̂_t = max(v̂_{t−1}, v_t);  θ_t = θ_{t−1} − (η/(1−β1^t)) m_t / (√(v̂_t/(1−β2^t)) + ε)
 *                           (PyTorch Adam(amsgrad=True); Keras Adam(amsgrad=True) with epsMode 'hat')
 *        'correctedMax'     v̂_t = max(v̂_{t−1}, v_t/(1−β2^t));  θ_t = θ_{t−1} − (η/(1−β1^t)) m_t / (√v̂_t + ε)   (optax)
 *   epsMode 'outside' (default) / 'hat': with 'hat' the factor 1/(1−β2^t) applied after the max
 *                           moves out of the root onto η as √(1−β2^t) (Keras; only 'rawMax' has such a
 *                           factor, so 'hat' changes nothing for the other forms).
 * The other forms are the Adam family kernel's switch $corrected (adam-family.ts), compiled out for 'ruder'
 * (two multiplies by 1 per element in the default loop cost measurably: docs/benchmarking.md);
 * with it the kernel computes
 * v̂ = max(v̂, v·c_in), θ −= a·m / (√(v̂·c_out) + ε) with the per-step scalars (c_in, c_out, a) =
 * (1, 1/(1−β2^t), η/(1−β1^t)) rawMax; (1/(1−β2^t), 1, η/(1−β1^t)) correctedMax; 'hat' replaces
 * (c_out, a) by (1, a·√(1−β2^t)) for rawMax. The buffer vhat holds the max in the form's own scale.
 */
import { defineOptimizer } from './define.js';
import { crossCommon, type CommonHyper } from './common.js';
import * as compiled from './generated/adam-family.js';
import { choice } from './hyper.js';
import { adamFamilySpecs, adamSwitches, epsMode, momentScalars, type adamFamilyKernel } from './adam-family.js';
import { oneMinusPow } from './bias.js';

export interface AmsgradHyper extends CommonHyper {
  beta1: number;
  beta2: number;
  eps: number;
}
export interface AmsgradConventions {
  [k: string]: number | boolean | string;
  form: string;
  epsMode: string;
}

export const amsgrad = defineOptimizer<AmsgradHyper, typeof adamFamilyKernel, AmsgradConventions>({
  name: 'amsgrad',
  title: 'AMSGrad',
  source: 'Reddi, Kale & Kumar 2018, Algorithm 2; Ruder 2016, §4.10',
  rule: [
    'm_t = β1 m_{t−1} + (1 − β1) g_t,  v_t = β2 v_{t−1} + (1 − β2) g_t²',
    'v̂_t = max(v̂_{t−1}, v_t)',
    'θ_t = θ_{t−1} − η m_t / (√v̂_t + ε)   (no bias correction)',
  ],
  hyper: adamFamilySpecs(0.001),
  cross: crossCommon,
  conventions: {
    form: choice(
      'ruder',
      ['ruder', 'rawMax', 'correctedMax'],
      "'ruder': max of raw v, no bias correction (Reddi et al., Ruder); 'rawMax': max of raw v, then bias-correct m and v̂ (PyTorch, Keras); 'correctedMax': max of the bias-corrected v̂ (optax)",
    ),
    epsMode,
  },
  buffers: ['m', 'v', 'vhat'],
  traits: {
    elementwise: true,
    gradScaleInvariantWhenEpsZero: true,
    monotoneBuffers: ['vhat'],
    biasCorrected: false,
    // m_1 = (1−β1)g, v̂_1 = (1−β2)g²: Δ = η (1−β1)/√(1−β2) · sign(g).
    firstStepSignMagnitude: (h) => ((h.lr as number) * (1 - (h.beta1 as number))) / Math.sqrt(1 - (h.beta2 as number)),
    moments: { first: 'm', second: 'v', secondKind: 'square', secondMax: 'vhat' },
    rmsStep: 'runningMax',
    // ε = 0: m_t = Σ w_i g_i, v̂_t ≥ v_t = Σ u_i g_i² (no bias correction), so the bound is ≥ the step.
    stepWeights: (h, t) => {
      const b1 = h.beta1 as number;
      const b2 = h.beta2 as number;
      return {
        w: Array.from({ length: t }, (_, i) => (1 - b1) * b1 ** (t - 1 - i)),
        u: Array.from({ length: t }, (_, i) => (1 - b2) * b2 ** (t - 1 - i)),
      };
    },
    nonincreasingRate: 'm',
    // |m_t| ≤ (1 − β1^t)·gmax, v̂_t ≥ v_t ≥ (1 − β2^t)(gmax/r)²: |Δθ_t| ≤ lr·r·(1 − β1^t)/√(1 − β2^t).
    displacementBound: (h, T, _gmax, r) => {
      const b1 = h.beta1 as number;
      const b2 = h.beta2 as number;
      let total = 0;
      for (let t = 1; t <= T; t++) total += ((h.lr as number) * r * (1 - b1 ** t)) / Math.sqrt(1 - b2 ** t);
      return total;
    },
  },
  kernel: compiled.adamFamilyKernel,
  // Equivalent mutants ($nesterov: true; $corrected always true, as `true` or `h.form !== ""`): the
  // kernel reads $nesterov only where $amsgrad is off, and 'ruder' sets cIn = cOut = 1 (below), so
  // the corrected branch's v·cIn and v̂·cOut are v and v̂ exactly; only the speed differs.
  switches: (h) => adamSwitches(h, { $nesterov: false, $amsgrad: true, $corrected: h.form !== 'ruder' }),
  scalars(s, h, t) {
    const corrected = h.form !== 'ruder';
    let a = h.lr;
    let cIn = 1;
    let cOut = 1;
    if (corrected) {
      const c1 = oneMinusPow(h.beta1, t);
      const c2 = oneMinusPow(h.beta2, t);
      a = h.lr / c1;
      if (h.form === 'correctedMax') cIn = 1 / c2;
      else if (h.epsMode === 'hat') a = (h.lr * Math.sqrt(c2)) / c1;
      else cOut = 1 / c2;
    }
    momentScalars(s, h);
    s.a = a;
    s.cIn = cIn;
    s.cOut = cOut;
  },
});
