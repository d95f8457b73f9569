/**
 * RAdam (rectified Adam), written as a package that uses optimlab would write it: only the public
 * exports of 'optimlab'.
 *
 *   m_t = β1 m_{t−1} + (1 − β1) g_t,   v_t = β2 v_{t−1} + (1 − β2) g_t²,   m̂_t = m_t / (1 − β1^t)
 *   ρ∞ = 2/(1 − β2) − 1,   ρ_t = ρ∞ − 2t β2^t / (1 − β2^t)
 *   ρ_t > 4:  r_t = √((ρ_t − 4)(ρ_t − 2) ρ∞ / ((ρ∞ − 4)(ρ∞ − 2) ρ_t)),
 *             θ_t = θ_{t−1} − η r_t m̂_t / (√(v_t / (1 − β2^t)) + ε)
 *   ρ_t ≤ 4:  θ_t = θ_{t−1} − η m̂_t                       (the variance is intractable: SGD with momentum)
 *
 * Source: Liu et al. 2019/2020, "On the Variance of the Adaptive Learning Rate and Beyond" (ICLR
 * 2020, arXiv:1908.03265), Algorithm 2; the paper writes the adaptive rate as √((1 − β2^t)/v_t), to
 * which torch.optim.RAdam adds ε outside the root (kept here, ε ≥ 0; the paper's threshold ρ_t > 4,
 * where PyTorch uses 5). Defaults η = 1e-3, β1 = 0.9, β2 = 0.999, ε = 1e-8.
 * With β2 = 0.999, ρ_t first exceeds 4 at t = 5; with β2 < 0.6, ρ∞ ≤ 4 and every step is SGD's.
 * ε = 0: where v_t = 0 (no nonzero gradient yet) m_t = 0 too and the update is 0 (switch $guard).
 */
import {
  commonSpecs,
  crossCommon,
  decay,
  defineOptimizer,
  eps as epsSpec,
  lr,
  oneMinusPow,
  type CommonHyper,
  type Elements,
  type Limits,
} from 'optimlab';

export interface RAdamHyper extends CommonHyper {
  beta1: number;
  beta2: number;
  eps: number;
}
interface Scalars {
  b1: number;
  omb1: number;
  b2: number;
  omb2: number;
  a: number;
  c2: number;
  eps: number;
  rect: number;
}

/**
 * The step's scalars: ρ∞, ρ_t and r_t as the paper writes them, in double. rect = 1 where ρ_t > 4.
 * (Exported for the reference's documentation of the count, not needed by optimlab.)
 */
export function rectification(beta2: number, t: number): { rhoInf: number; rho: number; r: number; rect: boolean } {
  const rhoInf = 2 / (1 - beta2) - 1;
  const rho = rhoInf - (2 * t * Math.pow(beta2, t)) / oneMinusPow(beta2, t);
  const rect = rho > 4;
  const r = rect ? Math.sqrt(((rho - 4) * (rho - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rho)) : 1;
  return { rhoInf, rho, r, rect };
}

/** Element i of the step (docs/kernels.md): a = η·r_t/(1 − β1^t) (η/(1 − β1^t) when not rectified), c2 = 1/(1 − β2^t). */
export function radamKernel(
  i: number,
  { p, g, m, v }: Elements<'m' | 'v'>,
  { b1, omb1, b2, omb2, a, c2, eps, rect }: Scalars,
  { $guard, $sat }: { $guard: boolean; $sat: boolean },
  { max }: Limits,
): void {
  const mi = b1 * m[i]! + omb1 * g[i]!;
  const w = b2 * v[i]! + omb2 * (g[i]! * g[i]!);
  const vi = $sat ? Math.min(w, max) : w;
  m[i] = mi;
  v[i] = vi;
  const den = Math.sqrt(vi * c2) + eps;
  p[i]! -= rect > 0 ? (a * mi) / ($guard ? Math.max(den, 5e-324) : den) : a * mi;
}

export const radam = defineOptimizer<RAdamHyper, typeof radamKernel>({
  name: 'radam',
  title: 'RAdam',
  source: 'Liu et al. 2020, "On the Variance of the Adaptive Learning Rate and Beyond", Algorithm 2',
  rule: [
    'm_t = β1 m_{t−1} + (1 − β1) g_t,  v_t = β2 v_{t−1} + (1 − β2) g_t²,  m̂_t = m_t / (1 − β1^t)',
    'ρ∞ = 2/(1 − β2) − 1,  ρ_t = ρ∞ − 2t β2^t / (1 − β2^t)',
    'ρ_t > 4: r_t = √((ρ_t − 4)(ρ_t − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρ_t)),  θ_t = θ_{t−1} − η r_t m̂_t / (√v̂_t + ε)',
    'ρ_t ≤ 4: θ_t = θ_{t−1} − η m̂_t',
  ],
  hyper: {
    lr: lr(1e-3),
    beta1: decay(0.9, 'first-moment decay β1'),
    beta2: decay(0.999, 'second-moment decay β2'),
    eps: epsSpec(1e-8),
    ...commonSpecs,
  },
  cross: crossCommon,
  buffers: ['m', 'v'],
  traits: {
    elementwise: true,
    // Not rectified, the step is η·m̂: linear in g, not scale invariant.
    gradScaleInvariantWhenEpsZero: false,
    monotoneBuffers: [],
    biasCorrected: true,
    // m and v are Adam's (E2 checks their bias-corrected weights); the step is not Adam's.
    moments: { first: 'm', second: 'v', secondKind: 'square' },
    // |m̂_t| ≤ gmax; rectified, √v̂_t ≥ gmax/r and r_t < 1 (it rises to 1 as ρ_t → ρ∞): |Δθ_t| ≤ η·r;
    // not rectified, |Δθ_t| = η|m̂_t| ≤ η·gmax.
    displacementBound: (h, T, gmax, r) => T * (h.lr as number) * Math.max(gmax, r),
  },
  kernel: radamKernel,
  switches: (h) => ({ $guard: h.eps === 0, $sat: h.beta2 === 0 }),
  scalars(s, h, t) {
    const { r, rect } = rectification(h.beta2, t);
    s.b1 = h.beta1;
    s.omb1 = 1 - h.beta1;
    s.b2 = h.beta2;
    s.omb2 = 1 - h.beta2;
    s.a = (h.lr * r) / oneMinusPow(h.beta1, t);
    s.c2 = 1 / oneMinusPow(h.beta2, t);
    s.eps = h.eps;
    s.rect = rect ? 1 : 0;
  },
});
