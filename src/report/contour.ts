/**
 * Contour lines of a function sampled on a regular grid (marching squares): for each level, the
 * segments where the piecewise-linear interpolant crosses it. The report draws the segments as
 * vega-lite rules under the optimizer paths.
 */
import type { Grid } from './types.js';

export interface Segment {
  x: number;
  y: number;
  x2: number;
  y2: number;
  /** Index of the level (0 = lowest). */
  level: number;
  value: number;
}

/** Levels for a grid: log-spaced in f − min ('log') or evenly spaced ('linear'). */
export function levelsFor(g: Grid, mode: 'log' | 'linear', count = 14): number[] {
  const vs = g.values.filter(Number.isFinite);
  // a loop, not Math.min(...vs): a 500 × 500 grid is more arguments than a call can take
  let min = Infinity;
  let max = -Infinity;
  for (const v of vs) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (mode === 'linear') return Array.from({ length: count }, (_, i) => min + ((max - min) * (i + 1)) / (count + 1));
  const d = vs
    .map((v) => v - min)
    .filter((v) => v > 0)
    .sort((a, b) => a - b);
  const lo = Math.log10(d[Math.floor(d.length * 0.005)] ?? 1e-3);
  const hi = Math.log10(d[Math.floor(d.length * 0.95)] ?? 1);
  return Array.from({ length: count }, (_, i) => min + 10 ** (lo + ((hi - lo) * i) / (count - 1)));
}

/** A contour line: a chain of points at one level (closed when the first point is repeated). */
export interface ContourLine {
  level: number;
  value: number;
  points: [number, number][];
}

/**
 * Marching squares: the crossings of each level with the grid's cell edges, chained into
 * polylines (crossings are keyed by the edge they lie on, so neighbouring cells join exactly).
 */
export function contourLines(g: Grid, levels: readonly number[]): ContourLine[] {
  const { nx, ny, x0, x1, y0, y1, values } = g;
  const dx = (x1 - x0) / (nx - 1);
  const dy = (y1 - y0) / (ny - 1);
  const r = (v: number): number => Math.round(v * 1e4) / 1e4;
  const out: ContourLine[] = [];
  levels.forEach((L, li) => {
    const pointOf = new Map<string, [number, number]>();
    const adj = new Map<string, string[]>();
    const link = (a: string, b: string): void => {
      (adj.get(a) ?? adj.set(a, []).get(a)!).push(b);
      (adj.get(b) ?? adj.set(b, []).get(b)!).push(a);
    };
    const v = (i: number, j: number): number => values[j * nx + i]!;
    /** The crossing on the edge from grid node (i,j) to (i2,j2), keyed by that edge. */
    const cross = (i: number, j: number, i2: number, j2: number): string | null => {
      const p = v(i, j),
        q = v(i2, j2);
      if (p < L === q < L) return null;
      const key = `${i},${j},${i2},${j2}`;
      if (!pointOf.has(key)) {
        const s = (L - p) / (q - p);
        pointOf.set(key, [r(x0 + (i + s * (i2 - i)) * dx), r(y0 + (j + s * (j2 - j)) * dy)]);
      }
      return key;
    };
    for (let j = 0; j < ny - 1; j++) {
      for (let i = 0; i < nx - 1; i++) {
        const va = v(i, j),
          vb = v(i + 1, j),
          vc = v(i + 1, j + 1),
          vd = v(i, j + 1);
        if (![va, vb, vc, vd].every(Number.isFinite)) continue;
        // edges: bottom (a→b), right (b→c), top (d→c), left (a→d); always low index → high index
        const e = [
          cross(i, j, i + 1, j),
          cross(i + 1, j, i + 1, j + 1),
          cross(i, j + 1, i + 1, j + 1),
          cross(i, j, i, j + 1),
        ];
        const hit = e.filter((k): k is string => k !== null);
        if (hit.length === 2) link(hit[0]!, hit[1]!);
        else if (hit.length === 4) {
          // saddle cell: the centre value decides which corners are cut off
          const centre = (va + vb + vc + vd) / 4;
          if (centre < L === va < L) {
            link(e[0]!, e[1]!);
            link(e[2]!, e[3]!);
          } else {
            link(e[0]!, e[3]!);
            link(e[1]!, e[2]!);
          }
        }
      }
    }
    const used = new Set<string>();
    const walk = (startKey: string): [number, number][] => {
      const pts: [number, number][] = [pointOf.get(startKey)!];
      used.add(startKey);
      let cur = startKey;
      for (;;) {
        const next = (adj.get(cur) ?? []).find((k) => !used.has(k));
        if (next === undefined) {
          if ((adj.get(cur) ?? []).includes(startKey) && pts.length > 2) pts.push(pointOf.get(startKey)!);
          return pts;
        }
        used.add(next);
        pts.push(pointOf.get(next)!);
        cur = next;
      }
    };
    // open chains first (start at an end: one neighbour), then closed loops
    for (const [k, ns] of adj) if (ns.length === 1 && !used.has(k)) out.push({ level: li, value: L, points: walk(k) });
    for (const k of adj.keys()) if (!used.has(k)) out.push({ level: li, value: L, points: walk(k) });
  });
  return out;
}

/** Most contour points one chart draws: the report's own grids need under 4000; an input's grid is bounded by its schema, its irregularity here. */
export const MAX_CONTOUR_POINTS = 20_000;

/**
 * Contour lines of at most `max` points in all: every other level is dropped until they fit, and a
 * grid so irregular that one level alone does not fit gets none. `note` says what was left out.
 */
export function boundedContours(
  g: Grid,
  levels: readonly number[],
  max = MAX_CONTOUR_POINTS,
): { lines: ContourLine[]; note?: string } {
  const all = contourLines(g, levels);
  const points = (ls: readonly ContourLine[]): number => ls.reduce((s, l) => s + l.points.length, 0);
  let keep = levels.map((_, i) => i);
  let lines = all;
  while (points(lines) > max && keep.length > 1) {
    keep = keep.filter((_, i) => i % 2 === 1);
    lines = all.filter((l) => keep.includes(l.level));
  }
  if (points(lines) > max)
    return {
      lines: [],
      note: `Contour lines left out: the ${g.nx} × ${g.ny} grid is too irregular to draw them in ${max} points.`,
    };
  if (keep.length < levels.length)
    return {
      lines,
      note: `${keep.length} of ${levels.length} contour levels drawn (the grid is too irregular for all of them).`,
    };
  return { lines };
}
