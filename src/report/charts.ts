/**
 * The report's charts: vega-lite specifications rendered to SVG in Node by vega (no DOM, no
 * canvas). Each chart is a named SVG file beside report.md and inlined into index.html.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { contourLines, levelsFor, type ContourLine } from './contour.js';
import { accuracyRows } from './tables.js';
import type { ResultsDoc } from './types.js';
import { FileNames } from '../util/folder.js';

export interface Chart {
  /** File name, e.g. 'throughput.svg'. */
  file: string;
  title: string;
  /** What the chart shows and how it was made (a caption). */
  caption: string;
  spec: TopLevelSpec;
}

export interface RenderedChart extends Omit<Chart, 'spec'> {
  svg: string;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const CONFIG = {
  font: FONT,
  view: { stroke: '#ccc' },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#eee' },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 220 },
  title: { fontSize: 14, anchor: 'start' as const },
};
/** Ten distinct colours, one per optimizer in registry order (tableau10). */
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
const EXTRA = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

function optimizerColors(names: readonly string[]): { domain: string[]; range: string[] } {
  return { domain: [...names], range: names.map((_, i) => (i < PALETTE.length ? PALETTE[i]! : EXTRA[(i - PALETTE.length) % EXTRA.length]!)) };
}

/** Optimizer names in the order the inputs list them (convergence settings, then laws, then bench). */
export function optimizerOrder(r: ResultsDoc): string[] {
  const names: string[] = [];
  const add = (n: string): void => {
    if (!names.includes(n)) names.push(n);
  };
  r.convergence?.settings.optimizers.forEach(add);
  (r.verify?.subjects ?? []).filter((s) => r.verify!.cases.some((c) => c.subject === s && c.dtype)).forEach(add);
  (r.accuracy?.rows ?? []).forEach((x) => add(x.optimizer));
  (r.bench?.tasks ?? []).filter((x) => x.kind === 'core').forEach((x) => add(x.name));
  return names;
}

const FLOOR = 1e-16;

export function charts(r: ResultsDoc): Chart[] {
  const out: Chart[] = [];
  // File names: fixed ones, and names made from the inputs' objective and function names, which
  // become safe, distinct slugs ('../../x' → 'x'; S3 of issue 12).
  const files = new FileNames();
  const names = optimizerOrder(r);
  const colors = optimizerColors(names);

  // --- throughput vs n ------------------------------------------------------------------------
  const tasks = (r.bench?.tasks ?? []).filter((x) => x.status === 'ok' && x.bytesPerSec && (x.kind === 'core' || x.kind === 'peer' || (x.kind === 'stream' && x.name === 'triad')));
  if (tasks.length > 0) {
    const rows = tasks.map((x) => ({
      series: x.kind === 'stream' ? 'triad (roofline)' : x.name,
      line: x.kind === 'peer' ? `${x.name} ${x.engine}` : x.kind === 'stream' ? 'triad' : `${x.name} core`,
      engine: x.kind === 'stream' ? 'STREAM triad' : x.kind === 'peer' ? x.engine : 'optimlab core',
      dtype: x.dtype, n: x.n, gbs: x.bytesPerSec! / 1e9, source: x.source,
    }));
    const engines = ['optimlab core', 'STREAM triad', ...new Set(rows.map((x) => x.engine).filter((e) => e !== 'optimlab core' && e !== 'STREAM triad'))];
    const c = { domain: [...colors.domain, 'triad (roofline)'], range: [...colors.range, '#000000'] };
    out.push({
      file: files.take('throughput', '.svg'), title: 'Throughput vs n',
      caption: 'Effective memory throughput (bytes moved per second: elements/s × arrays streamed × bytes per element) against the vector length n, log–log, one panel per dtype. The black line is the STREAM triad (a[i] = b[i] + s·c[i]) measured in the same run: the roofline of a plain JS loop on this machine (native memory copies move more bytes per second). Bytes count each array read and each array written, so a step that writes back what it read can exceed it. Dashed and dotted lines are the TensorFlow.js peers (same optimizer colour).',
      spec: {
        $schema: SCHEMA, config: CONFIG, data: { values: rows },
        facet: { column: { field: 'dtype', type: 'nominal', title: null, sort: ['float64', 'float32'] } },
        spec: {
          width: 380, height: 300,
          layer: [
            { transform: [{ filter: "datum.engine !== 'STREAM triad'" }], mark: { type: 'line', strokeWidth: 1.6 }, encoding: {
              x: { field: 'n', type: 'quantitative', scale: { type: 'log' }, title: 'n (elements)', axis: { format: '.0e' } },
              y: { field: 'gbs', type: 'quantitative', scale: { type: 'log' }, title: 'GB/s' },
              color: { field: 'series', type: 'nominal', scale: c, title: 'optimizer' },
              strokeDash: { field: 'engine', type: 'nominal', scale: { domain: engines, range: [[1, 0], [1, 0], [6, 3], [2, 2], [8, 3, 2, 3]].slice(0, engines.length) }, title: 'engine' },
              detail: { field: 'line', type: 'nominal' },
            } },
            { transform: [{ filter: "datum.engine !== 'STREAM triad'" }], mark: { type: 'point', filled: true, size: 22 }, encoding: {
              x: { field: 'n', type: 'quantitative', scale: { type: 'log' } },
              y: { field: 'gbs', type: 'quantitative', scale: { type: 'log' } },
              color: { field: 'series', type: 'nominal', scale: c, title: 'optimizer' },
              shape: { field: 'engine', type: 'nominal', scale: { domain: engines }, title: 'engine' },
            } },
            { transform: [{ filter: "datum.engine === 'STREAM triad'" }], mark: { type: 'line', strokeWidth: 3.5, point: { filled: true, size: 40, color: '#000' } }, encoding: {
              x: { field: 'n', type: 'quantitative', scale: { type: 'log' } },
              y: { field: 'gbs', type: 'quantitative', scale: { type: 'log' } },
              color: { field: 'series', type: 'nominal', scale: c, title: 'optimizer' },
            } },
          ],
        },
        resolve: { scale: { y: 'shared' } },
      } as TopLevelSpec,
    });
  }

  // --- accuracy ---------------------------------------------------------------------------------
  const acc = accuracyRows(r);
  if (acc.length > 0) {
    out.push({
      file: files.take('accuracy', '.svg'), title: 'Accuracy: worst K per optimizer and dtype',
      caption: 'Worst K (in units of the dtype\'s unit roundoff u) over the random single-step cases, per optimizer and dtype; the black tick is the law\'s bound.',
      spec: {
        $schema: SCHEMA, config: CONFIG, width: { step: 26 } as unknown as number, height: 260, data: { values: acc.map((a) => ({ ...a, worstK: a.worstK })) },
        layer: [
          { mark: { type: 'bar' }, encoding: {
            x: { field: 'optimizer', type: 'nominal', sort: names, title: null, axis: { labelAngle: -30 } },
            xOffset: { field: 'dtype', type: 'nominal', sort: ['float64', 'float32'] },
            y: { field: 'worstK', type: 'quantitative', title: 'worst K (units of u)' },
            color: { field: 'dtype', type: 'nominal', sort: ['float64', 'float32'], scale: { range: ['#4e79a7', '#f28e2b'] }, title: 'dtype' },
            tooltip: [{ field: 'optimizer' }, { field: 'dtype' }, { field: 'worstK' }, { field: 'bound' }],
          } },
          { mark: { type: 'tick', color: 'black', thickness: 2 }, encoding: {
            x: { field: 'optimizer', type: 'nominal', sort: names },
            xOffset: { field: 'dtype', type: 'nominal', sort: ['float64', 'float32'] },
            y: { field: 'bound', type: 'quantitative' },
          } },
        ],
      } as TopLevelSpec,
    });
  }

  // --- convergence --------------------------------------------------------------------------------
  const conv = r.convergence;
  for (const o of conv?.objectives ?? []) {
    const values = o.runs.flatMap((run) => run.curve.map((p) => ({ optimizer: run.optimizer, step: p.step, gap: Math.max(p.gap, FLOOR), lr: run.lr })));
    out.push({
      file: files.take(`convergence-${o.name}`, '.svg'), title: `Convergence: ${o.title}`,
      caption: `f(θ_t) − f* against the step t, log scale, every optimizer at its tuned rate (legend: η). f* = ${o.fStar} (${o.fStarSource}); start (${o.start.slice(0, 3).join(', ')}${o.start.length > 3 ? ', …' : ''}). Gaps below ${FLOOR} are drawn at ${FLOOR}.`,
      spec: {
        $schema: SCHEMA, config: CONFIG, width: 520, height: 300, data: { values },
        mark: { type: 'line', strokeWidth: 1.5, clip: true },
        encoding: {
          x: { field: 'step', type: 'quantitative', title: 'step' },
          y: { field: 'gap', type: 'quantitative', scale: { type: 'log', domainMin: FLOOR }, title: 'f − f*', axis: { format: '.0e' } },
          color: { field: 'optimizer', type: 'nominal', scale: colors, legend: { labelExpr: labelWithRate(o.runs) } },
        },
      } as TopLevelSpec,
    });
  }

  // --- trajectories ------------------------------------------------------------------------------
  for (const tr of conv?.trajectories ?? []) {
    const segs = lineRows(contourLines(tr.grid, levelsFor(tr.grid, tr.levels)));
    const paths = tr.runs.flatMap((run) => run.path.map(([x, y], i) => ({ optimizer: run.optimizer, i, x, y })));
    const w = tr.grid.x1 - tr.grid.x0;
    const h = tr.grid.y1 - tr.grid.y0;
    const width = 520;
    const rates = tr.runs[0]?.rate === 'stated' ? "each optimizer's default hyperparameters (stated rates)" : 'the rates tuned for the convergence runs';
    out.push({
      file: files.take(`trajectory-${tr.name}`, '.svg'), title: `Trajectories on ${tr.title}`,
      caption: `Paths of every optimizer from (${tr.start.join(', ')}) over ${tr.steps} steps at ${rates}, on contour lines of f = ${tr.formula} (${tr.levels === 'log' ? 'log-spaced levels' : 'evenly spaced levels'}, computed from a ${tr.grid.nx} × ${tr.grid.ny} grid). ${tr.minima.length ? 'The red diamond marks the minimum; the black dot is the start.' : 'The saddle point is at the origin; the function is unbounded below along y.'}`,
      spec: {
        $schema: SCHEMA, config: CONFIG, width, height: Math.round((width * h) / w),
        layer: [
          { data: { values: segs }, mark: { type: 'line', strokeWidth: 0.8, clip: true }, encoding: {
            x: { field: 'x', type: 'quantitative', scale: { domain: [tr.grid.x0, tr.grid.x1], nice: false, zero: false }, title: 'x' },
            y: { field: 'y', type: 'quantitative', scale: { domain: [tr.grid.y0, tr.grid.y1], nice: false, zero: false }, title: 'y' },
            detail: { field: 'line', type: 'nominal' }, order: { field: 'k', type: 'quantitative' },
            color: { field: 'level', type: 'quantitative', scale: { range: ['#c6dbef', '#08306b'] }, legend: null },
          } },
          { data: { values: paths }, mark: { type: 'line', strokeWidth: 2, clip: true, opacity: 0.9 }, encoding: {
            x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' },
            order: { field: 'i', type: 'quantitative' },
            stroke: { field: 'optimizer', type: 'nominal', scale: colors, legend: { labelExpr: labelWithRate(tr.runs), title: 'optimizer' } },
          } },
          { data: { values: [{ x: tr.start[0], y: tr.start[1] }] }, mark: { type: 'point', filled: true, color: 'black', size: 60 }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } },
          ...(tr.minima.length ? [{ data: { values: tr.minima.map(([x, y]) => ({ x, y })) }, mark: { type: 'point' as const, shape: 'diamond', filled: true, color: '#d62728', size: 140 }, encoding: { x: { field: 'x', type: 'quantitative' as const }, y: { field: 'y', type: 'quantitative' as const } } }] : []),
        ],
        resolve: { scale: { color: 'independent' } },
      } as TopLevelSpec,
    });
  }

  // --- blobs ---------------------------------------------------------------------------------------
  const b = conv?.blobs;
  if (b && b.status === 'ok') {
    out.push({
      file: files.take('blobs-loss', '.svg'), title: 'Blobs demo: loss per epoch',
      caption: `Training loss after each epoch (log scale): ${b.points.length} points in two Gaussian blobs, trained on half of them with ${b.optimizer} (η = ${b.lr}) in batches of ${b.batchSize} for ${b.epochs} epochs; accuracy on the held-out half ${(b.accuracy * 100).toFixed(1)}%. Source: ${b.source}.`,
      spec: {
        $schema: SCHEMA, config: CONFIG, width: 420, height: 260, data: { values: b.loss },
        mark: { type: 'line', point: true, color: PALETTE[0] },
        encoding: { x: { field: 'epoch', type: 'quantitative' }, y: { field: 'loss', type: 'quantitative', scale: { type: 'log' }, title: 'loss (log)' } },
      } as TopLevelSpec,
    });
    const levels = lineRows(contourLines(b.grid, [0.1, 0.5, 0.9])).map((s) => ({ ...s, p: String(s.value) }));
    out.push({
      file: files.take('blobs-boundary', '.svg'), title: 'Blobs demo: decision boundary',
      caption: `All ${b.points.length} points by class and the trained model's decision boundary (predicted probability 0.5, solid) with the 0.1 (dashed) and 0.9 (dotted) levels, traced on a ${b.grid.nx} × ${b.grid.ny} grid of predictions. Final weights (w_x, w_y, bias) = (${b.weights.join(', ')}).`,
      spec: {
        $schema: SCHEMA, config: CONFIG, width: 420, height: Math.round((420 * (b.grid.y1 - b.grid.y0)) / (b.grid.x1 - b.grid.x0)),
        layer: [
          { data: { values: b.points.map((p) => ({ ...p, class: `class ${p.label}` })) }, mark: { type: 'point', filled: true, size: 30, opacity: 0.8 }, encoding: {
            x: { field: 'x', type: 'quantitative', scale: { domain: [b.grid.x0, b.grid.x1], nice: false, zero: false } },
            y: { field: 'y', type: 'quantitative', scale: { domain: [b.grid.y0, b.grid.y1], nice: false, zero: false } },
            color: { field: 'class', type: 'nominal', scale: { range: ['#4e79a7', '#e15759'] }, title: null },
            shape: { field: 'class', type: 'nominal', title: null },
          } },
          { data: { values: levels }, mark: { type: 'line', color: 'black', clip: true }, encoding: {
            x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' },
            detail: { field: 'line', type: 'nominal' }, order: { field: 'k', type: 'quantitative' },
            strokeDash: { field: 'p', type: 'nominal', sort: ['0.5', '0.1', '0.9'], scale: { domain: ['0.5', '0.1', '0.9'], range: [[1, 0], [5, 3], [2, 2]] }, title: 'p(class 1)' },
            size: { condition: { test: "datum.p === '0.5'", value: 2.5 }, value: 1 },
          } },
        ],
      } as TopLevelSpec,
    });
  }
  return out;
}

/** Contour lines as rows for a vega-lite line mark (one `line` per polyline, `k` its order). */
function lineRows(lines: readonly ContourLine[]): { line: number; k: number; level: number; value: number; x: number; y: number }[] {
  return lines.flatMap((l, line) => l.points.map(([x, y], k) => ({ line, k, level: l.level, value: l.value, x, y })));
}

/** A legend label expression that appends the rate: 'adam (η 0.3)'. */
function labelWithRate(runs: readonly { optimizer: string; lr: number }[]): string {
  const m: Record<string, string> = {};
  for (const r of runs) m[r.optimizer] = `${r.optimizer} (η ${Number(r.lr.toPrecision(3))})`;
  return `${JSON.stringify(m)}[datum.label] || datum.label`;
}

/** Renders a vega-lite spec to an SVG string (no network: the data are inline). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Makes an SVG's ids unique within a page (several inlined SVGs may each define 'clip1'): every
 * id="…" and url(#…) / href="#…" reference gets `prefix`.
 */
export function prefixIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${prefix}${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${prefix}${id})`)
    .replace(/href="#([^"]+)"/g, (_, id: string) => `href="#${prefix}${id}"`);
}

export async function renderCharts(r: ResultsDoc): Promise<RenderedChart[]> {
  const out: RenderedChart[] = [];
  for (const c of charts(r)) {
    const { spec, ...rest } = c;
    out.push({ ...rest, svg: await renderSvg(spec) });
  }
  return out;
}
