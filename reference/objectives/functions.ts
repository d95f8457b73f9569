/**
 * Reference of src/objectives/functions.ts, name for name: the same expressions in the same order,
 * in tracked decimals (value exact to 50 digits + float64's error bound; ./tracked.ts).
 */
import { add, c, mul, sub, type T } from './tracked.js';

export interface RefResult {
  value: T;
  grad: T[];
}

export function rosenbrock(x: T[]): RefResult {
  const n = x.length;
  let acc = c(0);
  const g: T[] = Array.from({ length: n }, () => c(0));
  for (let i = 0; i < n - 1; i++) {
    const xi = x[i]!;
    const t = sub(x[i + 1]!, mul(xi, xi));
    const u = sub(c(1), xi);
    acc = add(acc, add(mul(c(100), mul(t, t)), mul(u, u)));
    g[i] = add(g[i]!, sub(mul(mul(c(-400), xi), t), mul(c(2), u)));
    g[i + 1] = mul(c(200), t);
  }
  return { value: acc, grad: g };
}

export function beale(x: T[]): RefResult {
  const [a, b] = x as [T, T];
  const b2 = mul(b, b);
  const b3 = mul(b2, b);
  const t1 = add(sub(c(1.5), a), mul(a, b));
  const t2 = add(sub(c(2.25), a), mul(a, b2));
  const t3 = add(sub(c(2.625), a), mul(a, b3));
  const two = c(2);
  const g0 = add(
    add(mul(mul(two, t1), sub(b, c(1))), mul(mul(two, t2), sub(b2, c(1)))),
    mul(mul(two, t3), sub(b3, c(1))),
  );
  const g1 = add(
    add(mul(mul(two, t1), a), mul(mul(two, t2), mul(mul(two, a), b))),
    mul(mul(two, t3), mul(mul(c(3), a), b2)),
  );
  return { value: add(add(mul(t1, t1), mul(t2, t2)), mul(t3, t3)), grad: [g0, g1] };
}

export function booth(x: T[]): RefResult {
  const [a, b] = x as [T, T];
  const p = sub(add(a, mul(c(2), b)), c(7));
  const q = sub(add(mul(c(2), a), b), c(5));
  return {
    value: add(mul(p, p), mul(q, q)),
    grad: [add(mul(c(2), p), mul(c(4), q)), add(mul(c(4), p), mul(c(2), q))],
  };
}

export function himmelblau(x: T[]): RefResult {
  const [a, b] = x as [T, T];
  const p = sub(add(mul(a, a), b), c(11));
  const q = sub(add(a, mul(b, b)), c(7));
  return {
    value: add(mul(p, p), mul(q, q)),
    grad: [add(mul(mul(c(4), a), p), mul(c(2), q)), add(mul(c(2), p), mul(mul(c(4), b), q))],
  };
}

export function styblinskiTang(x: T[]): RefResult {
  let acc = c(0);
  const g = x.map((t) => {
    const t2 = mul(t, t);
    acc = add(acc, add(sub(mul(t2, t2), mul(c(16), t2)), mul(c(5), t)));
    return add(sub(mul(mul(c(2), t2), t), mul(c(16), t)), c(2.5));
  });
  return { value: mul(c(0.5), acc), grad: g };
}

export function saddle(x: T[]): RefResult {
  const [a, b] = x as [T, T];
  return { value: sub(mul(a, a), mul(b, b)), grad: [mul(c(2), a), mul(c(-2), b)] };
}

export function diagonalQuadratic(x: T[], d: Float64Array): RefResult {
  let acc = c(0);
  const g = x.map((xi, i) => {
    const di = c(d[i]!);
    acc = add(acc, mul(mul(mul(c(0.5), di), xi), xi));
    return mul(di, xi);
  });
  return { value: acc, grad: g };
}

/** ½ xᵀAx − bᵀx with the core's A and b (the float64 matrix the core uses, exactly). */
export function quadratic(x: T[], A: Float64Array, b: Float64Array): RefResult {
  const n = x.length;
  let acc = c(0);
  const g: T[] = [];
  for (let i = 0; i < n; i++) {
    let s = c(0);
    for (let j = 0; j < n; j++) s = add(s, mul(c(A[i * n + j]!), x[j]!));
    acc = add(acc, mul(x[i]!, sub(mul(c(0.5), s), c(b[i]!))));
    g.push(sub(s, c(b[i]!)));
  }
  return { value: acc, grad: g };
}
