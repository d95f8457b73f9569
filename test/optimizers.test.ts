/**
 * Hand-derived steps of the ten optimizers (issue 2, acceptance 2), the shared options
 * (weightDecay, decoupledWeightDecay, maximize), the zero-denominator rule and changing rates.
 *
 * Every expected value below is derived by hand from the update rule in the optimizer's
 * header, with values chosen so the arithmetic is exact in binary (lr = 0.5, β ∈ {0.25, 0.5, 0.75},
 * gradients 2, −4, 0, ...). Exact values are asserted bit for bit (K = 0) in float64 and float32
 * (every one of them is representable in float32, so fround(exact) = exact). Where a value is not
 * exact (a root, a third), it is written as a closed form evaluated in decimal.js and asserted with
 * a tolerance |core − exact| ≤ K·u·scale, scale = |θ_{t−1}| + |Δ| (properties/accuracy.ts),
 * with K justified next to it. For float32 the expected value is fround(exact) and the tolerance is
 * one float32 ulp (K32 = 2, since ulp(x) ≤ 2·u32·|x|): the kernel computes in double from the
 * (exact) float32 state and rounds once to float32, which lands on one of exact's two float32
 * neighbours.
 *
 * Layout of most cases: θ0 = [1, 2, −3] and g1 = [2, 0, −4] (a positive, a zero and a negative
 * gradient); the later steps feed a zero gradient to a coordinate with history, a negative gradient
 * to a fresh coordinate, and so on, at t = 2 (and 3).
 */
import { describe, expect, it, vi } from 'vitest';
import { createOptimizer, registry, type Dtype, type Hyper, type Vec } from '../src/index.js';
import { D, DTYPES, near, prng, vec, type Dec } from './helpers.js';
import { nadamMu, nadamMuProduct } from '../src/optimizers/nadam.js';

/** A non-exact expected value: closed form, tolerance in float64 (K64, with its reason) and scale. */
interface Approx {
  exact: Dec;
  k64: number;
  scale: number;
  why: string;
}
type Want = number | Approx;
const approx = (exact: Dec, k64: number, scale: number, why: string): Approx => ({ exact, k64, scale, why });
const K32 = 2; // one float32 ulp (see the header)

interface Step {
  g: number[];
  theta: Want[];
  buffers?: Record<string, Want[]>;
}
interface Case {
  name: string;
  hyper: Hyper;
  theta0: number[];
  steps: Step[];
}

function check(actual: Vec, want: readonly Want[], dtype: Dtype, what: string): void {
  expect(actual.length).toBe(want.length);
  want.forEach((w, i) => {
    if (typeof w === 'number') near(actual[i]!, w, 0, dtype, undefined, `${what}[${i}]`);
    else near(actual[i]!, w.exact, dtype === 'float64' ? w.k64 : K32, dtype, w.scale, `${what}[${i}] (${w.why})`);
  });
}

function runCase(c: Case, dtype: Dtype): void {
  const opt = createOptimizer(c.name, c.hyper);
  const p = vec(dtype, c.theta0);
  const state = opt.init(p.length, dtype);
  c.steps.forEach((s, k) => {
    opt.step(p, vec(dtype, s.g), state);
    expect(state.t).toBe(k + 1);
    check(p, s.theta, dtype, `${c.name} ${dtype} θ after step ${k + 1}`);
    for (const [b, want] of Object.entries(s.buffers ?? {}))
      check(state.buffers[b]!, want, dtype, `${c.name} ${dtype} ${b} after step ${k + 1}`);
  });
}

// Closed forms used below.
const sqrt = (x: Dec | number) => new D(x).sqrt();
const frac = (a: number, b: number) => new D(a).div(b);

// Tolerance for the bias-corrected Adam family at t = 2 (exact state, inexact scalars):
// oneMinusPow ≤ 5u relative (test/bias.test.ts), so a = η/(1−β1^t) and c2 = 1/(1−β2^t) are within
// 6u; v·c2 7u, its root 3.5u + 1u, a·m 7u, the quotient 7 + 4.5 + 1 = 12.5u relative on Δ; the
// final θ − Δ adds ≤ 1u·|θ_t|. Hence ≤ 13.5u·(|θ_{t−1}| + |Δ|): K = 14.
const KADAM = 14;
const WHY_ADAM = 'bias corrections 1/(1−β^2) are not exact (oneMinusPow ≤ 5u) + 6 roundings';

const cases: Case[] = [
  {
    name: 'sgd',
    hyper: { lr: 0.5 },
    theta0: [1, 2, -3, 0.25],
    steps: [
      // θ ← θ − ηg, η = 0.5, g1 = [2, 0, −4, 1]: [1 − 1, 2 − 0, −3 + 2, 0.25 − 0.5]
      { g: [2, 0, -4, 1], theta: [0, 2, -1, -0.25] },
      // t = 2, g2 = [−2, 4, 0, 0.5]: [0 + 1, 2 − 2, −1 − 0, −0.25 − 0.25]
      { g: [-2, 4, 0, 0.5], theta: [1, 0, -1, -0.5] },
    ],
  },
  {
    name: 'momentum',
    hyper: { lr: 0.5, momentum: 0.5 },
    theta0: [1, 2, -3],
    steps: [
      // v1 = γ·0 + ηg1 = 0.5·[2, 0, −4] = [1, 0, −2]; θ1 = θ0 − v1 = [0, 2, −1]
      { g: [2, 0, -4], theta: [0, 2, -1], buffers: { v: [1, 0, -2] } },
      // g2 = [0, −4, 2]: v2 = 0.5·[1, 0, −2] + 0.5·g2 = [0.5, −2, −1 + 1] = [0.5, −2, 0]
      // θ2 = [0 − 0.5, 2 + 2, −1 − 0] = [−0.5, 4, −1]
      { g: [0, -4, 2], theta: [-0.5, 4, -1], buffers: { v: [0.5, -2, 0] } },
      // g3 = [−2, 0, 0]: v3 = 0.5·[0.5, −2, 0] + [−1, 0, 0] = [−0.75, −1, 0]
      // θ3 = [−0.5 + 0.75, 4 + 1, −1] = [0.25, 5, −1]
      { g: [-2, 0, 0], theta: [0.25, 5, -1], buffers: { v: [-0.75, -1, 0] } },
    ],
  },
  {
    name: 'nesterov',
    hyper: { lr: 0.5, momentum: 0.5 },
    theta0: [1, 2, -3],
    steps: [
      // stored look-ahead form: v_t = γv + ηg; φ_t = φ − γv_t − ηg
      // g1 = [2, 0, −4]: ηg = [1, 0, −2], v1 = [1, 0, −2]
      // φ1 = [1 − 0.5 − 1, 2 − 0 − 0, −3 + 1 + 2] = [−0.5, 2, 0]
      { g: [2, 0, -4], theta: [-0.5, 2, 0], buffers: { v: [1, 0, -2] } },
      // g2 = [0, −4, 2]: ηg = [0, −2, 1]; v2 = [0.5 + 0, 0 − 2, −1 + 1] = [0.5, −2, 0]
      // φ2 = [−0.5 − 0.25 − 0, 2 + 1 + 2, 0 − 0 − 1] = [−0.75, 5, −1]
      { g: [0, -4, 2], theta: [-0.75, 5, -1], buffers: { v: [0.5, -2, 0] } },
      // g3 = [−2, 0, 0]: ηg = [−1, 0, 0]; v3 = [0.25 − 1, −1, 0] = [−0.75, −1, 0]
      // φ3 = [−0.75 + 0.375 + 1, 5 + 0.5 − 0, −1 − 0 − 0] = [0.625, 5.5, −1]
      { g: [-2, 0, 0], theta: [0.625, 5.5, -1], buffers: { v: [-0.75, -1, 0] } },
    ],
  },
  {
    name: 'adagrad',
    hyper: { lr: 0.5, eps: 0 },
    theta0: [1, 2, -3],
    steps: [
      // G1 = g1² = [4, 0, 16]; Δ = ηg/√G = [0.5·2/2, 0 (G = 0 and g = 0: update 0), 0.5·(−4)/4]
      // θ1 = [1 − 0.5, 2, −3 + 0.5] = [0.5, 2, −2.5]
      { g: [2, 0, -4], theta: [0.5, 2, -2.5], buffers: { G: [4, 0, 16] } },
      // t = 2, g2 = [0, −4, 3]: G2 = [4, 16, 25]; Δ = [0, 0.5·(−4)/4, 0.5·3/5] = [0, −0.5, 0.3]
      // θ2 = [0.5, 2.5, −2.5 − 0.3 = −2.8]
      {
        g: [0, -4, 3],
        buffers: { G: [4, 16, 25] },
        theta: [
          0.5,
          2.5,
          approx(
            new D('-2.8'),
            1,
            3.1,
            '1.5/5 rounds (≤ u·0.3), the subtraction rounds (≤ u·2.8): ≤ 1·u·(2.5 + 0.3 + 0.3)',
          ),
        ],
      },
    ],
  },
  {
    name: 'adadelta',
    hyper: { lr: 0.5, rho: 0.25, eps: 1 },
    theta0: [1, 2, -3],
    steps: [
      // ρ = 0.25, 1 − ρ = 0.75, ε = 1, η = 0.5 (η scales the applied step only). dx = −Δθ.
      // A: g = 0: E[g²] = 0, dx = √(0+1)/√(0+1)·0 = 0, E[Δθ²] = 0, θ = 1.
      // B: g = 2: E[g²] = 0.75·4 = 3, dx = √1/√4·2 = 1, E[Δθ²] = 0.75·1, θ = 2 − 0.5·1 = 1.5.
      // C: g = −2: E[g²] = 3, dx = (1/2)(−2) = −1, E[Δθ²] = 0.75, θ = −3 + 0.5 = −2.5.
      { g: [0, 2, -2], theta: [1, 1.5, -2.5], buffers: { Eg2: [0, 3, 3], Edx2: [0, 0.75, 0.75] } },
      // t = 2, g2 = [−2, 0, 2]:
      // A: E[g²] = 0 + 3 = 3, dx = √1/√4·(−2) = −1, E[Δθ²] = 0.75, θ = 1 + 0.5 = 1.5.
      // B: E[g²] = 0.25·3 = 0.75, dx = √1.75/√1.75·0 = 0, E[Δθ²] = 0.25·0.75 = 0.1875, θ = 1.5.
      // C: E[g²] = 0.75 + 3 = 3.75, dx = √(0.75+1)/√(3.75+1)·2 = 2√(7/19),
      //    E[Δθ²] = 0.25·0.75 + 0.75·4·7/19 = 3/16 + 21/19 = 393/304, θ = −2.5 − 0.5·2√(7/19).
      {
        g: [-2, 0, 2],
        theta: [
          1.5,
          1.5,
          approx(
            new D(-2.5).minus(sqrt(frac(7, 19))),
            2,
            3.11,
            'two roots and a quotient (≤ 3u·0.61) and the subtraction (≤ u·3.11)',
          ),
        ],
        buffers: {
          Eg2: [3, 0.75, 3.75],
          Edx2: [
            0.75,
            0.1875,
            approx(
              frac(393, 304),
              8,
              1.3,
              'dx² carries ≤ 7u relative, ·0.75 and + 3/16 one rounding each: ≤ 9u·1.11 + u·1.3',
            ),
          ],
        },
      },
    ],
  },
  {
    name: 'rmsprop',
    hyper: { lr: 0.5, rho: 0.75, eps: 0 },
    theta0: [1, 2, -3],
    steps: [
      // E1 = 0.25·g1² = [1, 0, 4]; Δ = 0.5·g/√E = [0.5·2/1, 0 (0/0 rule), 0.5·(−4)/2] = [1, 0, −1]
      // θ1 = [0, 2, −2]
      { g: [2, 0, -4], theta: [0, 2, -2], buffers: { Eg2: [1, 0, 4] } },
      // t = 2, g2 = [−1, −4, 0]: E2 = [0.75·1 + 0.25·1, 0 + 0.25·16, 0.75·4 + 0] = [1, 4, 3]
      // Δ = [0.5·(−1)/1, 0.5·(−4)/2, 0/√3] = [−0.5, −1, 0]; θ2 = [0.5, 3, −2]
      { g: [-1, -4, 0], theta: [0.5, 3, -2], buffers: { Eg2: [1, 4, 3] } },
    ],
  },
  {
    name: 'adam',
    hyper: { lr: 0.5, beta1: 0.5, beta2: 0.75, eps: 0 },
    theta0: [1, 2, -3],
    steps: [
      // m1 = 0.5·g1 = [1, 0, −2]; v1 = 0.25·g1² = [1, 0, 4]; m̂ = m/0.5 = [2, 0, −4], v̂ = v/0.25 = [4, 0, 16]
      // Δ = η m̂/√v̂ = [0.5·2/2, 0 (0/0 rule), 0.5·(−4)/4]; θ1 = [0.5, 2, −2.5]
      { g: [2, 0, -4], theta: [0.5, 2, -2.5], buffers: { m: [1, 0, -2], v: [1, 0, 4] } },
      // t = 2: 1 − β1² = 3/4, 1 − β2² = 7/16. g2 = [0, −4, −4]:
      // c1: m = 0.5, v = 0.75; m̂ = 2/3, v̂ = 12/7; Δ = 0.5·(2/3)/√(12/7) = (1/3)√(7/12)
      // c2: m = −2, v = 4; m̂ = −8/3, v̂ = 64/7; Δ = 0.5·(−8/3)/(8/√7) = −√7/6
      // c3: m = −1 − 2 = −3, v = 3 + 4 = 7; m̂ = −4, v̂ = 16; Δ = 0.5·(−4)/4 = −0.5
      {
        g: [0, -4, -4],
        buffers: { m: [0.5, -2, -3], v: [0.75, 4, 7] },
        theta: [
          approx(new D(0.5).minus(sqrt(frac(7, 12)).div(3)), KADAM, 0.76, WHY_ADAM),
          approx(new D(2).plus(sqrt(7).div(6)), KADAM, 2.45, WHY_ADAM),
          approx(new D(-2), KADAM, 3, WHY_ADAM),
        ],
      },
    ],
  },
  {
    name: 'adamax',
    hyper: { lr: 0.5, beta1: 0.5, beta2: 0.5, eps: 0 },
    theta0: [1, 2, -3],
    steps: [
      // m1 = 0.5·g1 = [1, 0, −2]; u1 = max(0, |g1|) = [2, 0, 4]; η/(1 − β1) = 1
      // Δ = m/u = [1/2, 0 (u = 0 and m = 0: update 0), −2/4]; θ1 = [0.5, 2, −2.5]
      { g: [2, 0, -4], theta: [0.5, 2, -2.5], buffers: { m: [1, 0, -2], u: [2, 0, 4] } },
      // t = 2: η/(1 − β1²) = 0.5/0.75 = 2/3. g2 = [0, −4, −1]:
      // c1: m = 0.5, u = max(0.5·2, 0) = 1; Δ = (2/3)·0.5/1 = 1/3; θ = 0.5 − 1/3 = 1/6
      // c2: m = −2, u = max(0, 4) = 4; Δ = (2/3)(−2/4) = −1/3; θ = 2 + 1/3 = 7/3
      // c3: m = −1 − 0.5 = −1.5, u = max(0.5·4, 1) = 2; Δ = (2/3)(−1.5/2) = −0.5; θ = −2
      {
        g: [0, -4, -1],
        buffers: { m: [0.5, -2, -1.5], u: [1, 4, 2] },
        theta: [
          approx(frac(1, 6), 9, 0.84, 'a = η/(1−β1²) ≤ 6u, a·m and /u one rounding each, minus: ≤ 8u·|Δ| + u·|θ|'),
          approx(frac(7, 3), 9, 2.34, 'as above'),
          approx(new D(-2), 9, 3, 'as above'),
        ],
      },
    ],
  },
  {
    name: 'nadam',
    hyper: { lr: 0.5, beta1: 0.5, beta2: 0.75, eps: 0 },
    theta0: [1, 2, -3],
    steps: [
      // m1 = [1, 0, −2], v1 = [1, 0, 4]; m̂ = g, v̂ = g²;
      // Δ = η/|g| · (β1 m̂ + (1−β1) g/(1−β1)) = 0.5/|g| · (0.5g + g) = 0.75 sign(g) (0 where g = 0)
      // θ1 = [0.25, 2, −2.25]
      { g: [2, 0, -4], theta: [0.25, 2, -2.25], buffers: { m: [1, 0, -2], v: [1, 0, 4] } },
      // t = 2 (1 − β1² = 3/4, 1 − β2² = 7/16), g2 = [0, −4, −4]:
      // c1: m = 0.5, v = 0.75, m̂ = 2/3, v̂ = 12/7; bracket 0.5·(2/3) + 0 = 1/3;
      //     Δ = 0.5·(1/3)/√(12/7) = (1/6)√(7/12); θ = 0.25 − (1/6)√(7/12)
      // c2: m = −2, v = 4, m̂ = −8/3, v̂ = 64/7; bracket −4/3 + 0.5·(−4)/0.75 = −4;
      //     Δ = 0.5·(−4)·√7/8 = −√7/4; θ = 2 + √7/4
      // c3: m = −3, v = 7, m̂ = −4, v̂ = 16; bracket −2 − 8/3 = −14/3; Δ = 0.5·(−14/3)/4 = −7/12;
      //     θ = −2.25 + 7/12 = −5/3
      {
        g: [0, -4, -4],
        buffers: { m: [0.5, -2, -3], v: [0.75, 4, 7] },
        theta: [
          approx(
            new D(0.25).minus(sqrt(frac(7, 12)).div(6)),
            KADAM,
            0.38,
            `${WHY_ADAM} (β1·m + (1−β1)·g is exact here)`,
          ),
          approx(new D(2).plus(sqrt(7).div(4)), KADAM, 2.67, WHY_ADAM),
          approx(frac(-5, 3), KADAM, 2.84, WHY_ADAM),
        ],
      },
    ],
  },
  {
    name: 'amsgrad',
    hyper: { lr: 0.5, beta1: 0.5, beta2: 0.75, eps: 0 },
    theta0: [1, 2, -3],
    steps: [
      // m1 = [1, 0, −2], v1 = [1, 0, 4], v̂1 = max(0, v1) = [1, 0, 4] (no bias correction)
      // Δ = η m/√v̂ = [0.5·1/1, 0 (0/0 rule), 0.5·(−2)/2]; θ1 = [0.5, 2, −2.5]
      { g: [2, 0, -4], theta: [0.5, 2, -2.5], buffers: { m: [1, 0, -2], v: [1, 0, 4], vhat: [1, 0, 4] } },
      // t = 2, g2 = [0, −4, −2]: m = [0.5, −2, −1 − 1], v = [0.75, 4, 3 + 1], v̂ = [max(1, 0.75), 4, 4]
      // Δ = 0.5·[0.5/1, −2/2, −2/2] = [0.25, −0.5, −0.5]; θ2 = [0.25, 2.5, −2]
      { g: [0, -4, -2], theta: [0.25, 2.5, -2], buffers: { m: [0.5, -2, -2], v: [0.75, 4, 4], vhat: [1, 4, 4] } },
      // t = 3, g3 = 0: m = [0.25, −1, −1], v = [0.5625, 3, 3], v̂ = [1, 4, 4] (the max keeps the old v̂)
      // Δ = 0.5·[0.25/1, −1/2, −1/2] = [0.125, −0.25, −0.25]; θ3 = [0.125, 2.75, −1.75]
      { g: [0, 0, 0], theta: [0.125, 2.75, -1.75], buffers: { m: [0.25, -1, -1], v: [0.5625, 3, 3], vhat: [1, 4, 4] } },
    ],
  },
];

describe('hand-derived steps', () => {
  it('cover all ten optimizers of the registry', () => {
    expect(new Set(cases.map((c) => c.name))).toEqual(new Set(registry.map((e) => e.name)));
  });
  for (const c of cases) {
    for (const dtype of DTYPES) {
      it(`${c.name} ${dtype}`, () => runCase(c, dtype));
    }
  }
});

const optionCases: (Case & { label: string })[] = [
  // --- sgd
  {
    // g̃ = g + λθ = [0 + 0.5·2, 2 + 0.5·(−4)] = [1, 0]; θ1 = θ0 − 0.5·g̃ = [1.5, −4]
    label: 'sgd weightDecay',
    name: 'sgd',
    hyper: { lr: 0.5, weightDecay: 0.5 },
    theta0: [2, -4],
    steps: [{ g: [0, 2], theta: [1.5, -4] }],
  },
  {
    // κ = 1 − ηλ = 0.75; θ1 = κθ0 − ηg = [1.5 − 0, −3 − 2] = [1.5, −5]
    label: 'sgd decoupledWeightDecay',
    name: 'sgd',
    hyper: { lr: 0.5, decoupledWeightDecay: 0.5 },
    theta0: [2, -4],
    steps: [{ g: [0, 4], theta: [1.5, -5] }],
  },
  {
    // g̃ = −g = [−2, 4]; θ1 = θ0 − 0.5·g̃ = [1 + 1, −1 − 2] = [2, −3]
    label: 'sgd maximize',
    name: 'sgd',
    hyper: { lr: 0.5, maximize: true },
    theta0: [1, -1],
    steps: [{ g: [2, -4], theta: [2, -3] }],
  },
  // --- momentum
  {
    label: 'momentum weightDecay',
    name: 'momentum',
    hyper: { lr: 0.5, momentum: 0.5, weightDecay: 0.5 },
    theta0: [2, -4],
    steps: [
      // g̃ = [0 + 1, 2 − 2] = [1, 0]; v1 = 0.5·g̃ = [0.5, 0]; θ1 = [1.5, −4]
      { g: [0, 2], theta: [1.5, -4], buffers: { v: [0.5, 0] } },
      // g = 0: g̃ = λθ1 = [0.75, −2]; v2 = 0.5·v1 + 0.5·g̃ = [0.25 + 0.375, −1] = [0.625, −1]
      // θ2 = [1.5 − 0.625, −4 + 1] = [0.875, −3]
      { g: [0, 0], theta: [0.875, -3], buffers: { v: [0.625, -1] } },
    ],
  },
  {
    // v1 = 0.5·g = [1, 0] (the decay stays out of v); θ1 = 0.75·θ0 − v1 = [1.5 − 1, −3] = [0.5, −3]
    label: 'momentum decoupledWeightDecay',
    name: 'momentum',
    hyper: { lr: 0.5, momentum: 0.5, decoupledWeightDecay: 0.5 },
    theta0: [2, -4],
    steps: [{ g: [2, 0], theta: [0.5, -3], buffers: { v: [1, 0] } }],
  },
  {
    // g̃ = [−2, 4]; v1 = [−1, 2]; θ1 = [1 + 1, 1 − 2] = [2, −1]
    label: 'momentum maximize',
    name: 'momentum',
    hyper: { lr: 0.5, momentum: 0.5, maximize: true },
    theta0: [1, 1],
    steps: [{ g: [2, -4], theta: [2, -1], buffers: { v: [-1, 2] } }],
  },
  // --- adam (β1 = 0.5, β2 = 0.75, ε = 0: at t = 1, Δ = η·sign(g̃))
  {
    // g = 0 but g̃ = λθ = 0.25·[2, −4] = [0.5, −1] enters both moments: m1 = 0.5·g̃ = [0.25, −0.5],
    // v1 = 0.25·g̃² = [0.0625, 0.25]; Δ = 0.5·sign(g̃); θ1 = [1.5, −3.5]
    label: 'adam weightDecay',
    name: 'adam',
    hyper: { lr: 0.5, beta1: 0.5, beta2: 0.75, eps: 0, weightDecay: 0.25 },
    theta0: [2, -4],
    steps: [{ g: [0, 0], theta: [1.5, -3.5], buffers: { m: [0.25, -0.5], v: [0.0625, 0.25] } }],
  },
  {
    // AdamW: moments see g only: m1 = [1, 0], v1 = [1, 0]; Δ = [0.5, 0];
    // θ1 = (1 − 0.5·0.5)·θ0 − Δ = [1.5 − 0.5, −3 − 0] = [1, −3]
    label: 'adam decoupledWeightDecay',
    name: 'adam',
    hyper: { lr: 0.5, beta1: 0.5, beta2: 0.75, eps: 0, decoupledWeightDecay: 0.5 },
    theta0: [2, -4],
    steps: [{ g: [2, 0], theta: [1, -3], buffers: { m: [1, 0], v: [1, 0] } }],
  },
  {
    // g̃ = −g = [−2, 4] before any statistic: m1 = [−1, 2], v1 = [1, 4]; Δ = 0.5·sign(g̃) = [−0.5, 0.5]
    // θ1 = [1.5, 0.5]
    label: 'adam maximize',
    name: 'adam',
    hyper: { lr: 0.5, beta1: 0.5, beta2: 0.75, eps: 0, maximize: true },
    theta0: [1, 1],
    steps: [{ g: [2, -4], theta: [1.5, 0.5], buffers: { m: [-1, 2], v: [1, 4] } }],
  },
  // --- adagrad, both coupled options together: maximize negates g, then λθ is added (as torch.optim)
  {
    // g̃ = −g + λθ = [1 + 0.5·2, 0 + 0.5·(−4)] = [2, −2]; G1 = [4, 4]; Δ = 0.5·g̃/2 = [0.5, −0.5]
    // θ1 = [1.5, −3.5]
    label: 'adagrad maximize + weightDecay',
    name: 'adagrad',
    hyper: { lr: 0.5, eps: 0, maximize: true, weightDecay: 0.5 },
    theta0: [2, -4],
    steps: [{ g: [-1, 0], theta: [1.5, -3.5], buffers: { G: [4, 4] } }],
  },
];

describe('options, hand-derived', () => {
  for (const c of optionCases) {
    for (const dtype of DTYPES) it(`${c.label} ${dtype}`, () => runCase(c, dtype));
  }
});

/** Random params and gradients (a few steps), with zeros and −0 mixed in. */
function randomRun(seed: number, n: number, steps: number): { theta0: number[]; grads: number[][] } {
  const r = prng(seed);
  const val = () => {
    const x = r();
    return x < 0.1 ? 0 : x < 0.15 ? -0 : (r() * 4 - 2) * 2 ** Math.floor(r() * 6 - 3);
  };
  return {
    theta0: Array.from({ length: n }, val),
    grads: Array.from({ length: steps }, () => Array.from({ length: n }, val)),
  };
}

describe('options, every optimizer of the registry', () => {
  for (const e of registry) {
    for (const dtype of DTYPES) {
      it(`${e.name} ${dtype}: maximize with g is the plain step with −g, bit for bit`, () => {
        const { theta0, grads } = randomRun(7, 9, 4);
        const hyper = { lr: 0.125 };
        const a = createOptimizer(e.name, { ...hyper, maximize: true });
        const b = createOptimizer(e.name, hyper);
        const pa = vec(dtype, theta0);
        const pb = vec(dtype, theta0);
        const sa = a.init(pa.length, dtype);
        const sb = b.init(pb.length, dtype);
        for (const g of grads) {
          a.step(pa, vec(dtype, g), sa);
          b.step(
            pb,
            vec(
              dtype,
              g.map((x) => -x),
            ),
            sb,
          );
        }
        expect(Array.from(pa)).toEqual(Array.from(pb)); // toEqual tells −0 from +0 and NaN equals NaN
        for (const k of Object.keys(sa.buffers)) expect(Array.from(sa.buffers[k]!)).toEqual(Array.from(sb.buffers[k]!));
      });
    }
    it(`${e.name} float64: weightDecay λ with g is the plain step with g + λθ, bit for bit`, () => {
      const { theta0, grads } = randomRun(11, 9, 4);
      const lam = 0.375;
      const a = createOptimizer(e.name, { lr: 0.125, weightDecay: lam });
      const b = createOptimizer(e.name, { lr: 0.125 });
      const pa = Float64Array.from(theta0);
      const pb = Float64Array.from(theta0);
      const sa = a.init(pa.length);
      const sb = b.init(pb.length);
      for (const g of grads) {
        a.step(pa, Float64Array.from(g), sa);
        // the same double operations as g̃ = 1·g + λθ (1·g is exact)
        b.step(
          pb,
          Float64Array.from(g, (x, i) => x + lam * pb[i]!),
          sb,
        );
      }
      expect(Array.from(pa)).toEqual(Array.from(pb));
    });
  }
});

describe('zero denominators give an update of 0, never NaN', () => {
  const zeroCases: [string, Hyper][] = [
    ['adam', { eps: 0 }],
    ['nadam', { eps: 0 }],
    ['amsgrad', { eps: 0 }],
    ['amsgrad', { eps: 0, beta2: 0 }],
    ['adamax', {}], // ε = 0 by default
    ['adagrad', { eps: 0 }],
    ['rmsprop', { eps: 0 }],
  ];
  for (const [name, hyper] of zeroCases) {
    for (const dtype of DTYPES) {
      it(`${name} ${JSON.stringify(hyper)} ${dtype}`, () => {
        const opt = createOptimizer(name, { lr: 0.5, ...hyper });
        // (no −0 parameter: θ − Δ with Δ = −0 gives +0 for θ = −0, as IEEE subtraction does; the
        // value is unchanged, only the sign of zero, which this rule is not about)
        const p = vec(dtype, [1, -2, 0, 0.5]);
        const s = opt.init(4, dtype);
        // three all-zero gradients (−0 too): every denominator is 0, every numerator too
        for (let k = 0; k < 3; k++) opt.step(p, vec(dtype, [0, -0, 0, -0]), s);
        expect(Array.from(p)).toEqual([1, -2, 0, 0.5]);
        for (const b of Object.values(s.buffers)) for (const x of b) expect(Number.isNaN(x)).toBe(false);
        // then a nonzero gradient on coordinate 0 only: the others still do not move
        opt.step(p, vec(dtype, [2, 0, 0, 0]), s);
        expect(p[0]).toBeLessThan(1);
        expect(Array.from(p.subarray(1))).toEqual([-2, 0, 0.5]);
      });
    }
  }
});

describe('changing rates between steps', () => {
  it('momentum: set({ lr }) scales only the new gradient (lr inside the buffer), hand-derived', () => {
    const opt = createOptimizer('momentum', { lr: 0.5, momentum: 0.5 });
    const p = Float64Array.of(0);
    const s = opt.init(1);
    opt.step(p, Float64Array.of(2), s); // v1 = 0.5·2 = 1; θ1 = −1
    const before = Array.from(s.buffers.v!);
    opt.set({ lr: 0.25 });
    expect(Array.from(s.buffers.v!)).toEqual(before); // set touches no state
    expect(s.t).toBe(1);
    opt.step(p, Float64Array.of(4), s); // v2 = 0.5·1 + 0.25·4 = 1.5; θ2 = −1 − 1.5 = −2.5
    expect(Array.from(p)).toEqual([-2.5]);
    expect(Array.from(s.buffers.v!)).toEqual([1.5]);
    expect(opt.hyper.momentum).toBe(0.5);
  });

  for (const e of registry) {
    for (const dtype of DTYPES) {
      it(`${e.name} ${dtype}: the next step equals a fresh optimizer built with the new lr, state untouched`, () => {
        const { theta0, grads } = randomRun(23, 6, 3);
        const opt = createOptimizer(e.name, { lr: 0.125 });
        const p = vec(dtype, theta0);
        const s = opt.init(p.length, dtype);
        opt.step(p, vec(dtype, grads[0]!), s);
        opt.step(p, vec(dtype, grads[1]!), s);
        const bufs = Object.fromEntries(Object.entries(s.buffers).map(([k, v]) => [k, Array.from(v)]));
        const hyperBefore = opt.hyper;
        expect(opt.set({ lr: 0.25 })).toBe(opt);
        expect(Object.fromEntries(Object.entries(s.buffers).map(([k, v]) => [k, Array.from(v)]))).toEqual(bufs);
        expect(s.t).toBe(2);
        expect(opt.hyper).toEqual({ ...hyperBefore, lr: 0.25 });
        expect(hyperBefore.lr).toBe(0.125); // the old snapshot is frozen, not mutated

        const fresh = createOptimizer(e.name, { lr: 0.25 });
        const p2 = p.slice();
        const s2 = { ...s, buffers: Object.fromEntries(Object.entries(s.buffers).map(([k, v]) => [k, v.slice()])) };
        opt.step(p, vec(dtype, grads[2]!), s);
        fresh.step(p2, vec(dtype, grads[2]!), s2);
        expect(Array.from(p)).toEqual(Array.from(p2));
        for (const k of Object.keys(s.buffers)) expect(Array.from(s.buffers[k]!)).toEqual(Array.from(s2.buffers[k]!));
      });
    }
  }
});

describe('non-finite gradient elements (README: carried through, never a half-updated step)', () => {
  for (const e of registry) {
    for (const dtype of DTYPES) {
      it(`${e.name} ${dtype}: the step completes, t advances, the finite coordinates are as without them`, () => {
        const a = createOptimizer(e.name, { lr: 0.125 });
        const b = createOptimizer(e.name, { lr: 0.125 });
        const pa = vec(dtype, [1, -2, 0.5, 3]);
        const pb = pa.slice();
        const sa = a.init(4, dtype);
        const sb = b.init(4, dtype);
        a.step(pa, vec(dtype, [0.5, NaN, Infinity, -1]), sa);
        b.step(pb, vec(dtype, [0.5, 0, 0, -1]), sb);
        expect(sa.t).toBe(1);
        expect([pa[0], pa[3]]).toEqual([pb[0], pb[3]]); // elementwise: coordinates 0 and 3 are untouched by 1 and 2
        expect(Number.isNaN(pa[1]!)).toBe(true); // NaN is carried into θ
        expect(Number.isFinite(pa[2]!)).toBe(false); // so is the infinity (as ±Infinity or NaN)
      });
    }
  }
});

/**
 * traits.displacementBound (law C3's bound on |θ_T − θ_0|) is attained: with a constant gradient of
 * magnitude gmax and r = 1 (every |g| = gmax), each bound's worst case is what happens, so the run's
 * displacement equals the bound (ε = 0 where allowed: ε > 0 moves the run off the bound by ε/gmax;
 * Adadelta needs ε > 0, and its bound carries ε exactly). A law can only show that the bound holds;
 * this shows that it is the bound, not a larger number. Tolerance: 32 ulp relative; the run and the
 * bound sum the same T = 20 terms, each rounded differently by a few ulp (measured: at most 8).
 */
describe('each displacement bound is attained by a constant gradient at r = 1', () => {
  for (const e of registry) {
    const bound = e.traits.displacementBound;
    if (!bound) continue;
    it(e.name, () => {
      const hyper: Record<string, number> = 'eps' in e.hyper && e.name !== 'adadelta' ? { eps: 0 } : {};
      for (const gmax of [3, 0.25]) {
        for (const sign of [1, -1]) {
          const opt = createOptimizer(e.name, hyper);
          const p = Float64Array.of(0);
          const s = opt.init(1, 'float64');
          for (let t = 0; t < 20; t++) opt.step(p, Float64Array.of(sign * gmax), s);
          const b = bound(opt.hyper, 20, gmax, 1);
          expect(
            Math.abs(Math.abs(p[0]!) / b - 1),
            `${e.name} gmax = ${gmax}: |θ_20 − θ_0| = ${Math.abs(p[0]!)}, bound ${b}`,
          ).toBeLessThanOrEqual(32 * 2 ** -53);
        }
      }
    });
  }
});

/**
 * Nadam's Π_t (nadam.ts header): Π_t = fl(Π_{t−1}·μ_t) from Π_0 = 1, a function of (β1, ψ, t)
 * alone, with the same bits whatever was asked before (a restored checkpoint, two runs interleaved,
 * β1 changed with set()), and one multiply per step in a run. The expected value is the definition's
 * product taken from 1 each time; the cost is counted in calls of Math.pow (one per μ_t).
 */
describe("Nadam's momentum-schedule product Π_t", () => {
  const fresh = (b1: number, psi: number, t: number): number => {
    let p = 1;
    for (let i = 1; i <= t; i++) p *= nadamMu(b1, psi, i);
    return p;
  };
  it('is the product from Π_0 = 1 whatever was asked before (back, forward, skipped, other β1 or ψ)', () => {
    const rng = prng(20261206);
    const b1s = [0.9, 0.5, 0.99];
    const psis = [0.004, 1];
    let t = 1;
    for (let k = 0; k < 400; k++) {
      const r = rng();
      t = r < 0.5 ? t + 1 : r < 0.6 ? t : r < 0.7 ? Math.max(1, t - 1) : 1 + Math.floor(rng() * 40);
      const b1 = b1s[Math.floor(rng() * 3)]!;
      const psi = psis[Math.floor(rng() * 2)]!;
      expect(nadamMuProduct(b1, psi, t), `call ${k}: β1 = ${b1}, ψ = ${psi}, t = ${t}`).toBe(fresh(b1, psi, t));
    }
  });
  it('costs one μ per step in a run and none when asked again', () => {
    const pow = vi.spyOn(Math, 'pow');
    try {
      nadamMuProduct(0.9, 0.004, 30);
      for (let t = 31; t <= 40; t++) {
        pow.mockClear();
        expect(nadamMuProduct(0.9, 0.004, t)).toBe(fresh(0.9, 0.004, t));
        pow.mockClear();
        nadamMuProduct(0.9, 0.004, t);
        expect(pow, `t = ${t} asked again`).toHaveBeenCalledTimes(0);
      }
      pow.mockClear();
      nadamMuProduct(0.9, 0.004, 41);
      expect(pow, 't = 41 after t = 40').toHaveBeenCalledTimes(1);
      pow.mockClear();
      nadamMuProduct(0.5, 0.004, 42);
      expect(pow, 'another β1: from Π_0').toHaveBeenCalledTimes(42);
    } finally {
      pow.mockRestore();
    }
  });
});
