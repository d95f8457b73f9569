/**
 * Reference of src/objectives/linear.ts, name for name, in tracked decimals (./tracked.ts): the
 * same per-example expressions, summed in the same order, under the same reduction.
 */
import type { RefResult } from './functions.js';
import { abs, add, c, div, exp, log, log1p, mul, neg, sigmoid, sub, type T } from './tracked.js';

export interface RefData {
  X: Float64Array;
  y: Float64Array;
  features: number;
  reduction: 'mean' | 'sum';
}

type Link = (z: T, y: T) => { loss: T; dz: T };

function linearModel(link: Link, w: T[], data: RefData, rows: readonly number[]): RefResult {
  const d = data.features;
  let acc = c(0);
  let g: T[] = w.map(() => c(0));
  for (const r of rows) {
    let z = c(0);
    for (let j = 0; j < d; j++) z = add(z, mul(w[j]!, c(data.X[r * d + j]!)));
    const { loss, dz } = link(z, c(data.y[r]!));
    acc = add(acc, loss);
    g = g.map((gj, j) => add(gj, mul(dz, c(data.X[r * d + j]!))));
  }
  if (data.reduction === 'mean') {
    const k = c(rows.length);
    return { value: div(acc, k), grad: g.map((gj) => div(gj, k)) };
  }
  return { value: acc, grad: g };
}

const allRows = (data: RefData): number[] => Array.from({ length: data.y.length }, (_, i) => i);

export function leastSquares(w: T[], data: RefData, rows = allRows(data)): RefResult {
  return linearModel(
    (z, y) => {
      const r = sub(z, y);
      return { loss: mul(c(0.5), mul(r, r)), dz: r };
    },
    w,
    data,
    rows,
  );
}

export function logisticRegression(w: T[], data: RefData, rows = allRows(data)): RefResult {
  return linearModel(
    (z, y) => {
      const s = sigmoid(z);
      const m = z.v.gt(0) ? z : c(0);
      return { loss: sub(add(m, log1p(exp(neg(abs(z))))), mul(y, z)), dz: sub(s, y) };
    },
    w,
    data,
    rows,
  );
}

export function sigmoidSquaredError(w: T[], data: RefData, rows = allRows(data)): RefResult {
  return linearModel(
    (z, y) => {
      const s = sigmoid(z);
      const e = sub(s, y);
      return { loss: mul(e, e), dz: mul(mul(c(2), e), mul(s, sub(c(1), s))) };
    },
    w,
    data,
    rows,
  );
}

export function softmaxCrossEntropy(W: T[], data: RefData & { classes: number }, rows = allRows(data)): RefResult {
  const d = data.features;
  const C = data.classes;
  let acc = c(0);
  let g: T[] = W.map(() => c(0));
  for (const r of rows) {
    let p: T[] = Array.from({ length: C }, () => c(0));
    for (let j = 0; j < d; j++) {
      const xj = c(data.X[r * d + j]!);
      p = p.map((pc, k) => add(pc, mul(xj, W[j * C + k]!)));
    }
    const yc = data.y[r]!;
    const sy = p[yc]!;
    const m = p.reduce((a, b) => (b.v.gt(a.v) ? b : a));
    let se = c(0);
    const e = p.map((pc) => {
      const ec = exp(sub(pc, m));
      se = add(se, ec);
      return ec;
    });
    acc = add(acc, sub(add(log(se), m), sy));
    const q = e.map((ec, k) => sub(div(ec, se), c(k === yc ? 1 : 0)));
    g = g.map((gi, i) => add(gi, mul(c(data.X[r * d + Math.floor(i / C)]!), q[i % C]!)));
  }
  if (data.reduction === 'mean') {
    const k = c(rows.length);
    return { value: div(acc, k), grad: g.map((gj) => div(gj, k)) };
  }
  return { value: acc, grad: g };
}
