/**
 * Plain loops the optimizers are measured against, written here by hand and independently of the
 * core (src/optimizers is not imported):
 *
 * - the roofline: a STREAM-style triad (a[i] = b[i] + s·c[i]) and copy (a[i] = b[i]);
 * - hand-written sgd and adam with the core's default arithmetic (no weight decay, no maximize),
 *   which price the core's abstractions (registry, validation, options folded into the kernel).
 *
 * Every loop runs four elements per iteration and then the remaining n mod 4, as the core's kernels
 * do: in V8 a plain loop pays its loop machinery (bound test, back edge with its interrupt check)
 * once per element, which cost a third to a half of the throughput of these loops
 * (docs/benchmarking.md, "Kernels").
 * The roofline is the fastest JS loop we know how to write, and the hand-written sgd and adam
 * have the core's loop form, so that core ÷ hand prices the abstractions and nothing else.
 *
 * Every loop is written once per dtype, with the array types in its signature. V8 keeps type
 * feedback per function, so a loop that saw both Float64Array and Float32Array would be
 * polymorphic; separate functions keep each one monomorphic. The duplication is deliberate.
 */

/** Streams (arrays read or written once) per element: the triad reads b and c and writes a. */
export const TRIAD_STREAMS = 3;
/** Copy reads b and writes a. */
export const COPY_STREAMS = 2;

export function triad64(a: Float64Array, b: Float64Array, c: Float64Array, s: number): void {
  const n = a.length;
  let i = 0;
  for (; i <= n - 4; i += 4) {
    a[i] = b[i]! + s * c[i]!;
    a[i + 1] = b[i + 1]! + s * c[i + 1]!;
    a[i + 2] = b[i + 2]! + s * c[i + 2]!;
    a[i + 3] = b[i + 3]! + s * c[i + 3]!;
  }
  for (; i < n; i++) a[i] = b[i]! + s * c[i]!;
}

export function triad32(a: Float32Array, b: Float32Array, c: Float32Array, s: number): void {
  const n = a.length;
  let i = 0;
  for (; i <= n - 4; i += 4) {
    a[i] = b[i]! + s * c[i]!;
    a[i + 1] = b[i + 1]! + s * c[i + 1]!;
    a[i + 2] = b[i + 2]! + s * c[i + 2]!;
    a[i + 3] = b[i + 3]! + s * c[i + 3]!;
  }
  for (; i < n; i++) a[i] = b[i]! + s * c[i]!;
}

export function copy64(a: Float64Array, b: Float64Array): void {
  const n = a.length;
  let i = 0;
  for (; i <= n - 4; i += 4) {
    a[i] = b[i]!;
    a[i + 1] = b[i + 1]!;
    a[i + 2] = b[i + 2]!;
    a[i + 3] = b[i + 3]!;
  }
  for (; i < n; i++) a[i] = b[i]!;
}

export function copy32(a: Float32Array, b: Float32Array): void {
  const n = a.length;
  let i = 0;
  for (; i <= n - 4; i += 4) {
    a[i] = b[i]!;
    a[i + 1] = b[i + 1]!;
    a[i + 2] = b[i + 2]!;
    a[i + 3] = b[i + 3]!;
  }
  for (; i < n; i++) a[i] = b[i]!;
}

/** sgd, θ ← θ − η g: params read and written, grad read. */
export const HAND_SGD_STREAMS = 3;

export function handSgd64(p: Float64Array, g: Float64Array, lr: number): void {
  const n = p.length;
  let i = 0;
  for (; i <= n - 4; i += 4) {
    p[i] = p[i]! - lr * g[i]!;
    p[i + 1] = p[i + 1]! - lr * g[i + 1]!;
    p[i + 2] = p[i + 2]! - lr * g[i + 2]!;
    p[i + 3] = p[i + 3]! - lr * g[i + 3]!;
  }
  for (; i < n; i++) p[i] = p[i]! - lr * g[i]!;
}

export function handSgd32(p: Float32Array, g: Float32Array, lr: number): void {
  const n = p.length;
  let i = 0;
  for (; i <= n - 4; i += 4) {
    p[i] = p[i]! - lr * g[i]!;
    p[i + 1] = p[i + 1]! - lr * g[i + 1]!;
    p[i + 2] = p[i + 2]! - lr * g[i + 2]!;
    p[i + 3] = p[i + 3]! - lr * g[i + 3]!;
  }
  for (; i < n; i++) p[i] = p[i]! - lr * g[i]!;
}

/** adam: params, m and v read and written, grad read. */
export const HAND_ADAM_STREAMS = 7;

/**
 * One Adam step (Kingma & Ba 2015, Algorithm 1) at step t ≥ 1. The bias corrections are folded
 * into two per-step scalars: θ − η m̂/(√v̂ + ε) = θ − (η/(1−β1^t)) m / (√(v/(1−β2^t)) + ε).
 * With ε = 0 and a zero gradient from fresh state this divides 0 by 0 (the core guards that
 * case); the benchmark uses the default ε = 1e-8 and nonzero gradients. Element j's update is
 * written once per lane, as a block.
 */
export function handAdam64(
  p: Float64Array,
  g: Float64Array,
  m: Float64Array,
  v: Float64Array,
  t: number,
  lr: number,
  b1: number,
  b2: number,
  eps: number,
): void {
  const a = lr / (1 - Math.pow(b1, t));
  const c = 1 / (1 - Math.pow(b2, t));
  const k1 = 1 - b1;
  const k2 = 1 - b2;
  const n = p.length;
  let i = 0;
  for (; i <= n - 4; i += 4) {
    {
      const j = i;
      const gj = g[j]!;
      const mj = b1 * m[j]! + k1 * gj;
      const vj = b2 * v[j]! + k2 * gj * gj;
      m[j] = mj;
      v[j] = vj;
      p[j] = p[j]! - (a * mj) / (Math.sqrt(vj * c) + eps);
    }
    {
      const j = i + 1;
      const gj = g[j]!;
      const mj = b1 * m[j]! + k1 * gj;
      const vj = b2 * v[j]! + k2 * gj * gj;
      m[j] = mj;
      v[j] = vj;
      p[j] = p[j]! - (a * mj) / (Math.sqrt(vj * c) + eps);
    }
    {
      const j = i + 2;
      const gj = g[j]!;
      const mj = b1 * m[j]! + k1 * gj;
      const vj = b2 * v[j]! + k2 * gj * gj;
      m[j] = mj;
      v[j] = vj;
      p[j] = p[j]! - (a * mj) / (Math.sqrt(vj * c) + eps);
    }
    {
      const j = i + 3;
      const gj = g[j]!;
      const mj = b1 * m[j]! + k1 * gj;
      const vj = b2 * v[j]! + k2 * gj * gj;
      m[j] = mj;
      v[j] = vj;
      p[j] = p[j]! - (a * mj) / (Math.sqrt(vj * c) + eps);
    }
  }
  for (; i < n; i++) {
    const gi = g[i]!;
    const mi = b1 * m[i]! + k1 * gi;
    const vi = b2 * v[i]! + k2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] = p[i]! - (a * mi) / (Math.sqrt(vi * c) + eps);
  }
}

export function handAdam32(
  p: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  t: number,
  lr: number,
  b1: number,
  b2: number,
  eps: number,
): void {
  const a = lr / (1 - Math.pow(b1, t));
  const c = 1 / (1 - Math.pow(b2, t));
  const k1 = 1 - b1;
  const k2 = 1 - b2;
  const n = p.length;
  let i = 0;
  for (; i <= n - 4; i += 4) {
    {
      const j = i;
      const gj = g[j]!;
      const mj = b1 * m[j]! + k1 * gj;
      const vj = b2 * v[j]! + k2 * gj * gj;
      m[j] = mj;
      v[j] = vj;
      p[j] = p[j]! - (a * mj) / (Math.sqrt(vj * c) + eps);
    }
    {
      const j = i + 1;
      const gj = g[j]!;
      const mj = b1 * m[j]! + k1 * gj;
      const vj = b2 * v[j]! + k2 * gj * gj;
      m[j] = mj;
      v[j] = vj;
      p[j] = p[j]! - (a * mj) / (Math.sqrt(vj * c) + eps);
    }
    {
      const j = i + 2;
      const gj = g[j]!;
      const mj = b1 * m[j]! + k1 * gj;
      const vj = b2 * v[j]! + k2 * gj * gj;
      m[j] = mj;
      v[j] = vj;
      p[j] = p[j]! - (a * mj) / (Math.sqrt(vj * c) + eps);
    }
    {
      const j = i + 3;
      const gj = g[j]!;
      const mj = b1 * m[j]! + k1 * gj;
      const vj = b2 * v[j]! + k2 * gj * gj;
      m[j] = mj;
      v[j] = vj;
      p[j] = p[j]! - (a * mj) / (Math.sqrt(vj * c) + eps);
    }
  }
  for (; i < n; i++) {
    const gi = g[i]!;
    const mi = b1 * m[i]! + k1 * gi;
    const vi = b2 * v[i]! + k2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] = p[i]! - (a * mi) / (Math.sqrt(vi * c) + eps);
  }
}
