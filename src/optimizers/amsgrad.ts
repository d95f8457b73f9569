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
 */
import { defineOptimizer } from './define.js';
import { commonSpecs, crossCommon, gradSign, keepFactor, type CommonHyper } from './common.js';
import { decay, eps, lr } from './hyper.js';
import type { Vec } from './types.js';

export interface AmsgradHyper extends CommonHyper { beta1: number; beta2: number; eps: number }

function amsgradKernel(
  p: Vec, g: Vec, m: Vec, v: Vec, vhat: Vec, n: number,
  b1: number, omb1: number, b2: number, omb2: number, lr: number, eps: number,
  s: number, wd: number, keep: number,
): void {
  for (let i = 0; i < n; i++) {
    const pi = p[i]!;
    const gi = s * g[i]! + wd * pi;
    const mi = b1 * m[i]! + omb1 * gi;
    const vi = b2 * v[i]! + omb2 * (gi * gi);
    const hi = Math.max(vhat[i]!, vi);
    m[i] = mi;
    v[i] = vi;
    vhat[i] = hi;
    // max(d, 5e-324) is d for every d > 0 and turns 0/0 into 0 (no branch).
    p[i] = keep * pi - (lr * mi) / Math.max(Math.sqrt(hi) + eps, 5e-324);
  }
}

export const amsgrad = defineOptimizer<AmsgradHyper, typeof amsgradKernel>({
  name: 'amsgrad',
  title: 'AMSGrad',
  source: 'Reddi, Kale & Kumar 2018, Algorithm 2; Ruder 2016, §4.10',
  rule: [
    'm_t = β1 m_{t−1} + (1 − β1) g_t,  v_t = β2 v_{t−1} + (1 − β2) g_t²',
    'v̂_t = max(v̂_{t−1}, v_t)',
    'θ_t = θ_{t−1} − η m_t / (√v̂_t + ε)   (no bias correction)',
  ],
  hyper: {
    lr: lr(0.001), beta1: decay(0.9, 'first-moment decay β1'), beta2: decay(0.999, 'second-moment decay β2'),
    eps: eps(1e-8), ...commonSpecs,
  },
  cross: crossCommon,
  buffers: ['m', 'v', 'vhat'],
  traits: {
    elementwise: true, gradScaleInvariantWhenEpsZero: true, monotoneBuffers: ['vhat'], biasCorrected: false,
    // m_1 = (1−β1)g, v̂_1 = (1−β2)g²: Δ = η (1−β1)/√(1−β2) · sign(g).
    firstStepSignMagnitude: (h) => ((h.lr as number) * (1 - (h.beta1 as number))) / Math.sqrt(1 - (h.beta2 as number)),
  },
  kernel: amsgradKernel,
  run(k, p, g, b, h) {
    k(p, g, b.m!, b.v!, b.vhat!, p.length, h.beta1, 1 - h.beta1, h.beta2, 1 - h.beta2, h.lr, h.eps, gradSign(h), h.weightDecay, keepFactor(h));
  },
});
