/**
 * The bounds the core is judged by against a decimal reference, and the judge of an optimizer:
 * its reference with its bounds. The ten built-in optimizers have theirs here (BOUNDS,
 * CONVENTION_BOUNDS, each with its count); an optimizer optimlab does not ship brings its own
 * reference and bound (`defineReference`, reference/define.ts). Used by the B/G7 laws, the
 * convention laws that compare with the reference and `optimlab verify --accuracy`
 * (properties/accuracy.ts has the measure K).
 */
import type { OptimizerEntry } from '../src/optimizers/define.js';
import { registry, type OptimizerName } from '../src/optimizers/registry.js';
import type { Dtype, Hyper } from '../src/optimizers/types.js';
import type { ReferenceOptimizer } from '../reference/common.js';
import type { Reference } from '../reference/define.js';
import { references as builtinReferences } from '../reference/index.js';

/**
 * Single-step bounds on K (units of u), per optimizer: a priori first-order counts for the core's
 * own evaluation order (src/optimizers/<name>.ts), with the scale of reference/scaled.ts. Rules
 * (u-units relative to each value's scale a; an exact input counts 0):
 *   x ± y: max(K_x, K_y) + 1     x / y: max(K_x, K_y) + 1     √y: max(K_y, 1)     max, |x|: exact
 *   x · y: K_x + K_y + 1 (relative errors add; s·g with s = ±1 is exact: 0)
 * so g̃ = s·g + λθ is 2, κ = 1 − ηλ_d is 2, κθ is 3, 1 − β is 1, g̃² is 5, and 1 − β^t from
 * oneMinusPow is 3 (log1p or log ≤ 1 ulp, t·ln β 1, expm1 ≤ 1 ulp with condition ≤ 1 for x < 0).
 * These are worst cases that need every rounding to fall the same way; the measured worst K
 * (`optimlab verify --accuracy`) is 2 to 5.
 *
 * float32: the core computes in double and rounds once per stored value, so a float32 result is
 * fl32(x̂) with |x̂ − ref| ≤ K64·2^-53·a: |fl32(x̂) − ref| ≤ 2^-24·|x̂| + K64·2^-53·a, that is
 * K32 ≤ 1 + K64·2^-29 (a ≥ |ref|): FLOAT32_BOUND, the same for every optimizer.
 */
export const BOUNDS: Readonly<Record<OptimizerName, { float64: number; why: string }>> = {
  sgd: { float64: 4, why: 'θ: κθ (3) − η·g̃ (2 + 1 = 3), subtraction +1 = 4' },
  momentum: { float64: 5, why: 'v = γv (1) + η·g̃ (3): 4; θ = κθ (3) − v (4): 5' },
  nesterov: { float64: 7, why: 'ηg̃ 3; v = γv + ηg̃: 4; γ·v_t: 5; κφ − γv_t: 6; − ηg̃: 7' },
  adagrad: { float64: 9, why: 'G = G + g̃² (5): 6; √(G + ε): 7; ηg̃ 3; quotient 8; κθ − Δ: 9' },
  adadelta: {
    float64: 30,
    why: 'E[g²] = ρE + (1−ρ)·g̃² (1 + 5 + 1): 8; √(E[g²]+ε) 9; √(E[Δθ²]+ε) 1; ratio 10; Δθ = ratio·g̃ (10 + 2 + 1): 13; ηΔθ 14, θ 15; E[Δθ²] = ρE + (1−ρ)·Δθ² (1 + 27 + 1 = 29): 30',
  },
  rmsprop: { float64: 11, why: 'E[g²] = ρE + (1−ρ)·g̃²: 8; + ε 9; √ 9; ηg̃ 3; quotient 10; θ 11' },
  adam: {
    float64: 16,
    why: 'm 5; v 8; c2 = 1/(1−β2^t) 4; v·c2 (8 + 4 + 1) 13; √ 13; + ε 14; a = η/(1−β1^t) 4; a·m 10; quotient 15; θ 16 (dividing v by 1−β2^t instead of multiplying by the rounded reciprocal would give 9 → 12)',
  },
  adamax: { float64: 12, why: 'm 5; u = max(β2u, |g̃|) 2; u + ε 3; a = η/(1−β1^t) 4; a·m 10; quotient 11; θ 12' },
  nadam: { float64: 16, why: 'β1m + (1−β1)g̃: 7; a·(…) 12; denominator as adam 14; quotient 15; θ 16' },
  amsgrad: { float64: 11, why: 'm 5; v 8; v̂ = max 8; √ 8; + ε 9; η·m 6; quotient 10; θ 11' },
};

/** float32 single-step bound: one rounding of a double result, 1 + K64·2^-29 ≤ 1 + 2^-20 (see BOUNDS). */
export const FLOAT32_BOUND = 1 + 2 ** -20;

export function boundFor(name: string, dtype: Dtype): number {
  if (dtype === 'float32') return FLOAT32_BOUND;
  const b = (BOUNDS as Record<string, { float64: number }>)[name];
  if (!b) throw new RangeError(`accuracy: no bound for optimizer '${name}'`);
  return b.float64;
}

/**
 * Single-step float64 bounds under convention options (law B3; docs/conventions.md). Counted as
 * BOUNDS is, for the core's evaluation order under each convention (src/optimizers/<name>.ts's
 * per-step scalars and kernels) against the scale of the reference's formula for it. Where a
 * convention adds no rounding to the longest path, the default bound stands; the others:
 */
export const CONVENTION_BOUNDS: Readonly<Record<string, { float64: number; when: string; why: string }>> = {
  momentum: {
    float64: 7,
    when: "lrPlacement 'outside' or dampening > 0",
    why: 'outside: d = 1 − τ 1, d·g̃ 4, b = γb + d·g̃ 5, η·b 6, κθ − ηb 7; inside with τ: a = η·d 2, a·g̃ 5, v 6, θ 7',
  },
  adagrad: {
    float64: 10,
    when: "epsPlacement 'outside'",
    why: 'G + g̃² 6, + G_0 7, √ 7, + ε after the root 8, quotient 9, θ 10 (G_0 + ε and η/(1 + (t−1)d) are per-step scalars of 1 and 3: off the longest path)',
  },
  rmsprop: {
    float64: 18,
    when: 'centered or momentum > 0 (the second kernel)',
    why: 'E[g²] 8; ḡ = ρḡ + (1−ρ)g̃ 5, ḡ² 11, E[g²] − ḡ² 12, + ε 13, √ 13, + ε outside 14; η·g̃ 3; quotient 15; μ·b + … 16; η·b (outside) 17; κθ − 18',
  },
  amsgrad: {
    float64: 16,
    when: "form 'rawMax' or 'correctedMax'",
    why: "as Adam: c = 1/(1−β2^t) 4; v·c 13 (before the max for 'correctedMax', after it for 'rawMax'), √ 13, + ε 14; a = η/(1−β1^t) 4, a·m 10; quotient 15; θ 16 ('hat': a = η√(1−β2^t)/(1−β1^t) 6, a·m 12, √v̂ 8, + ε 9: 14)",
  },
  nadam: {
    float64: 18,
    when: "schedule 'dozat'",
    why: "μ_t = β1(1 − ½·0.96^{tψ}): Math.pow ≤ 1 ulp plus t·ψ's rounding with condition |tψ ln 0.96| ≤ 1.1 (t ≤ 26): 3, 1 − ½p 4, β1·(…) 5; Π_t = fl(Π_{t−1} μ_t) errs by ≤ 6t·u·Π_t, and t·Π_t ≤ 0.56 for ψ ≤ 1, so 1 − Π_t (scale 1 + Π_t) 5; k_m = μ_{t+1}/(1 − Π_t μ_{t+1}) 6, k_g = (1 − μ_t)/(1 − Π_t) 7; k_m·m 12, k_g·g̃ 10, sum 13, η·(…) 14; denominator as Adam 14; quotient 15; θ 16; + 2 for Math.pow, which is not correctly rounded ('constant': β1/(1 − β1^{t+1}) 4, (1−β1)/(1−β1^t) 4: 16, the default's)",
  },
};

/** B3's single-step bound for `name` under `conventions` (resolved: every option present). */
export function conventionBoundFor(name: string, conventions: Readonly<Hyper>, dtype: Dtype): number {
  const base = boundFor(name, dtype);
  if (dtype === 'float32') return base;
  const c = conventions;
  let widened = false;
  switch (name) {
    case 'momentum':
      widened = c.lrPlacement === 'outside' || (c.dampening as number) > 0;
      break;
    case 'adagrad':
      widened = c.epsPlacement === 'outside';
      break;
    case 'rmsprop':
      widened = c.centered === true || (c.momentum as number) > 0;
      break;
    case 'amsgrad':
      widened = c.form !== 'ruder';
      break;
    case 'nadam':
      widened = c.schedule === 'dozat';
      break;
  }
  return widened ? Math.max(base, CONVENTION_BOUNDS[name]!.float64) : base;
}

/** The reference an optimizer is judged against, with its bounds (units of the dtype's u). */
export interface Judge {
  readonly reference: ReferenceOptimizer;
  /** Single-step bound under the default conventions (B1, G7; 2·t times it along t steps: B2). */
  bound(dtype: Dtype): number;
  /** Single-step bound under `conventions` (resolved: every option present; law B3). */
  conventionBound(conventions: Readonly<Hyper>, dtype: Dtype): number;
  /** The float64 bound's count, as stated with it. */
  readonly why: string;
  /** Where the reference's formula comes from ('reference/adam.ts' for a built-in). */
  readonly source: string;
  /** True for the ten optimizers optimlab ships. */
  readonly builtin: boolean;
}

const builtinEntries = new Set<object>(registry);

/** Why a comparison with the reference (a law case, an accuracy row) is not run without one. */
export const NO_REFERENCE = 'no reference supplied';

/**
 * The judge of `entry`: a supplied reference of the same name (an outside optimizer's, from
 * defineReference), else the built-in reference of a registry entry (recognised by identity, never
 * by name: an outside optimizer called 'adam' is not judged by Adam's reference), else none.
 */
export function judgeFor(entry: OptimizerEntry, supplied: readonly Reference[] = []): Judge | undefined {
  const r = supplied.find((x) => x.name === entry.name);
  if (r) {
    const b = r.bound;
    return {
      reference: r,
      bound: (dtype) => (dtype === 'float32' ? b.float32 : b.float64),
      conventionBound: (c, dtype) =>
        dtype === 'float32' ? b.float32 : Math.max(b.float64, b.conventions?.(c)?.float64 ?? 0),
      why: b.why,
      source: r.source,
      builtin: false,
    };
  }
  if (!builtinEntries.has(entry)) return undefined;
  const name = entry.name;
  return {
    reference: (builtinReferences as Record<string, unknown>)[name] as ReferenceOptimizer,
    bound: (dtype) => boundFor(name, dtype),
    conventionBound: (c, dtype) => conventionBoundFor(name, c, dtype),
    why: (BOUNDS as Record<string, { why: string }>)[name]!.why,
    source: `reference/${name}.ts`,
    builtin: true,
  };
}
