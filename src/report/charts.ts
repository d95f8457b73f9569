/**
 * The report's charts: vega-lite specifications rendered to SVG in Node by vega (no DOM, no
 * canvas). Each chart is a named SVG file beside report.md and inlined into index.html.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { boundedContours, levelsFor, type ContourLine } from './contour.js';
import { fmtNum } from './format.js';
import { formatSize } from '../util/size.js';
import { headline } from './speed.js';
import { accuracyRows } from './tables.js';
import { FileNames } from '../util/folder.js';
import type { BenchTask, ResultsDoc } from './types.js';

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
const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];
const DTYPES = ['float64', 'float32'];
const DTYPE_COLORS = ['#4e79a7', '#f28e2b'];
/** The speed chart's bars: one per engine and dtype (the throughput chart's hues: blue JS, purple wasm). */
const SPEED_SERIES = [
  { engine: 'js', dtype: 'float64', name: 'JS core, float64', color: '#1f5fa8' },
  { engine: 'js', dtype: 'float32', name: 'JS core, float32', color: '#8db4e2' },
  { engine: 'wasm', dtype: 'float64', name: 'wasm engine, float64', color: '#8c3fb0' },
  { engine: 'wasm', dtype: 'float32', name: 'wasm engine, float32', color: '#cfa3e3' },
];
const PANEL_WIDTH = 330;
const LABEL_FONT = 10;
/** Pixels between a bar's end (or the line at 1) and its label, and kept clear around the line. */
const LABEL_GAP = 4;
const CLEAR = 3;

/**
 * A label's width in pixels at LABEL_FONT, a little wide on purpose: em widths of DejaVu Sans, the
 * widest of the usual system-ui fonts (Debian's Chromium draws with it).
 */
function textWidth(s: string): number {
  let em = 0;
  for (const c of s) em += /[0-9]/.test(c) ? 0.64 : c === '.' || c === ' ' ? 0.32 : c === '×' ? 0.84 : 0.66;
  return em * LABEL_FONT;
}

/**
 * The log axis of the speed-up panel, [lo, hi], wide enough that every label fits inside the frame:
 * a bar right of 1 has its label right of its end, a bar left of 1 left of its end (so that no label
 * crosses the line at 1); `atOne` are the widths of labels written right of the line.
 */
function fitLog(
  labels: readonly { at: number; width: number }[],
  atOne: readonly number[],
): { domain: [number, number]; labels: { at: number; right: boolean }[] } {
  const W = PANEL_WIDTH;
  const ats = labels.map((x) => x.at);
  let lo = Math.log(Math.min(0.5, ...ats.map((a) => a / 1.25)));
  let hi = Math.log(Math.max(2, ...ats.map((a) => a * 1.25)));
  const need = (w: number): number => w + LABEL_GAP + CLEAR;
  for (let k = 0; k < 20; k++) {
    for (const x of [...labels, ...atOne.map((width) => ({ at: 1, width }))]) {
      const l = Math.log(x.at);
      const n = Math.min(need(x.width), W / 2);
      if (x.at >= 1) hi = Math.max(hi, (l * W - n * lo) / (W - n));
      else lo = Math.min(lo, (l * W - n * hi) / (W - n));
    }
  }
  return { domain: [Math.exp(lo), Math.exp(hi)], labels: labels.map((x) => ({ at: x.at, right: x.at >= 1 })) };
}

/**
 * The linear axis of the triad panel, [0, max], and where each label goes: right of its bar's end,
 * or right of the line at 1 when it would touch the line there; max wide enough for every label.
 */
function fitLinear(labels: readonly { at: number; width: number }[]): { max: number; labels: number[] } {
  const W = PANEL_WIDTH;
  let max = Math.max(1.25, ...labels.map((x) => x.at * 1.1));
  let at = labels.map((x) => x.at);
  for (let k = 0; k < 20; k++) {
    const px = (v: number): number => (v / max) * W;
    at = labels.map((x) => {
      const start = px(x.at) + LABEL_GAP;
      return start < px(1) + CLEAR && start + x.width > px(1) - CLEAR ? 1 : x.at;
    });
    const fit = Math.max(max, ...labels.map((x, i) => (at[i]! * W) / (W - x.width - LABEL_GAP - CLEAR)));
    if (fit === max) break;
    max = fit;
  }
  return { max, labels: at };
}

/**
 * Ticks of a log axis a small panel can label without overlap: 1, 2, 5 per decade over up to two
 * decades, the powers of ten alone beyond (vega's own choice put 0.01 beside 0.02 at 150 px).
 */
function logTicks(lo: number, hi: number): number[] {
  const steps = Math.log10(hi / lo) > 2 ? [1] : [1, 2, 5];
  const out: number[] = [];
  for (let k = Math.floor(Math.log10(lo)); k <= Math.ceil(Math.log10(hi)); k++) {
    for (const m of steps) {
      const v = Number((m * 10 ** k).toPrecision(1));
      if (v >= lo && v <= hi) out.push(v);
    }
  }
  return out;
}

/** A vega label expression that writes each of `sizes` as the tables do (formatSize: '1e3', '1e4', '4e6'). */
function sizeLabels(sizes: readonly number[]): string {
  return `${sizes.map((n) => `datum.value === ${n} ? '${formatSize(n)}' : `).join('')}format(datum.value, 'd')`;
}
const EXTRA = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

function optimizerColors(names: readonly string[]): { domain: string[]; range: string[] } {
  return {
    domain: [...names],
    range: names.map((_, i) => (i < PALETTE.length ? PALETTE[i]! : EXTRA[(i - PALETTE.length) % EXTRA.length]!)),
  };
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

  // --- the headline: speed-up over the best peer, and the share of the machine's limit ---------------
  const head = headline(r);
  if (head && head.rows.length > 0) {
    // One bar per engine and dtype: the JS core's, and the wasm engine's where the run measured it
    // (the figures of the Speed sentence: src/report/speed.ts).
    const wasmRan = head.rows.some((x) => x.wasm);
    const series = SPEED_SERIES.filter((s) => wasmRan || s.engine === 'js');
    const seriesOf = (engine: string, dtype: string): string =>
      series.find((s) => s.engine === engine && s.dtype === dtype)?.name ?? `${engine}, ${dtype}`;
    const x2 = (v: number): string => `${fmtNum(v, 2)}×`;
    const bars = head.rows.flatMap((x) => [
      {
        optimizer: x.optimizer,
        series: seriesOf('js', x.dtype),
        speedup: x.bestPeer?.speedup ?? null,
        speedupText: x.bestPeer ? `${x2(x.bestPeer.speedup)} ${x.bestPeer.engine}` : '',
        ratio: x.ratioToTriad,
      },
      ...(x.wasm
        ? [
            {
              optimizer: x.optimizer,
              series: seriesOf('wasm', x.dtype),
              speedup: x.wasm.overBestPeer,
              speedupText: x.wasm.overBestPeer === null ? '' : x2(x.wasm.overBestPeer),
              ratio: x.wasm.ratioToTriad,
            },
          ]
        : []),
    ]);
    const withPeer = bars.filter((x) => x.speedup !== null);
    const noPeer = names
      .filter((o) => bars.some((x) => x.optimizer === o) && !withPeer.some((x) => x.optimizer === o))
      .map((optimizer) => ({ optimizer, text: head.peersRan ? 'no TF.js peer' : 'peers not measured at this n' }));
    // Label positions and domains: every label inside its panel and clear of the line at 1.
    const sp = fitLog(
      withPeer.map((x) => ({ at: x.speedup!, width: textWidth(x.speedupText) })),
      noPeer.map((x) => textWidth(x.text)),
    );
    const withRatio = bars.filter((x) => x.ratio !== null);
    const tr = fitLinear(withRatio.map((x) => ({ at: x.ratio!, width: textWidth(fmtNum(x.ratio!, 2)) })));
    const speedBars = withPeer.map((x, i) => ({ ...x, labelAt: sp.labels[i]!.at, right: sp.labels[i]!.right }));
    const ratioBars = withRatio.map((x, i) => ({ ...x, ratioText: fmtNum(x.ratio!, 2), labelAt: tr.labels[i]! }));
    const why = !head.peersRan
      ? ' The TensorFlow.js peers were not measured at this n.'
      : head.rows.some((x) => x.dtype === 'float64')
        ? ' No float64 peer: TensorFlow.js computes in float32 only.'
        : '';
    const color = {
      field: 'series',
      type: 'nominal' as const,
      sort: series.map((s) => s.name),
      scale: { domain: series.map((s) => s.name), range: series.map((s) => s.color) },
      title: null,
      legend: { orient: 'bottom' as const, direction: 'horizontal' as const },
    };
    const y = { field: 'optimizer', type: 'nominal' as const, sort: names, title: null };
    const yOffset = { field: 'series', type: 'nominal' as const, sort: series.map((s) => s.name) };
    // A fixed height, so that the band scale and the series offset do not each ask for their own
    // step: 10 px per bar and 4 between optimizers.
    const panelHeight = (10 * series.length + 4) * new Set(bars.map((x) => x.optimizer)).size;
    const text = { type: 'text' as const, fontSize: LABEL_FONT, color: '#222' };
    const rule = {
      data: { values: [{ one: 1 }] },
      mark: { type: 'rule', color: '#333', strokeDash: [4, 3] },
      encoding: { x: { field: 'one', type: 'quantitative' } },
    };
    out.push({
      file: files.take('speedup', '.svg'),
      title: `Speed at n = ${formatSize(head.n)}${head.health.reliable ? '' : ' (unreliable: see the note)'}`,
      caption: `Left: each optimizer's speed-up over the fastest TensorFlow.js peer (tfjs-cpu or tfjs-wasm, named at the JS core's bar${wasmRan ? '; the wasm engine is set against the same peer' : ''}) at n = ${formatSize(head.n)}, elements/s over elements/s, log scale; right of the line at 1× optimlab is faster.${why} Right: its bytes/s over the STREAM triad's (a[i] = b[i] + s·c[i]) at the same n and dtype, measured in the same run: the share of what a plain JS loop reaches on this machine (1 = as fast as the triad; a step that reads and writes many arrays can pass 1).${wasmRan ? ' Blue: the JS core; purple: the wasm engine (the same bits, its arrays in the engine\u2019s memory); dark float64, light float32.' : ''}`,
      spec: {
        $schema: SCHEMA,
        config: CONFIG,
        hconcat: [
          {
            width: PANEL_WIDTH,
            height: panelHeight,
            title: { text: `× the fastest TF.js peer (log)`, fontSize: 12 },
            layer: [
              {
                data: { values: speedBars },
                mark: { type: 'bar', height: { band: 0.9 } as unknown as number },
                encoding: {
                  y,
                  yOffset,
                  color,
                  x: {
                    field: 'speedup',
                    type: 'quantitative',
                    scale: { type: 'log', domain: sp.domain, nice: false },
                    title: 'speed-up (×)',
                    axis: {
                      values: [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000].filter(
                        (v) => v >= sp.domain[0] && v <= sp.domain[1],
                      ),
                      format: '~g',
                    },
                  },
                  x2: { datum: 1 },
                },
              },
              ...[true, false].map((right) => ({
                data: { values: speedBars.filter((x) => x.right === right) },
                mark: { ...text, align: right ? 'left' : 'right', dx: right ? LABEL_GAP : -LABEL_GAP },
                encoding: { y, yOffset, x: { field: 'labelAt', type: 'quantitative' }, text: { field: 'speedupText' } },
              })),
              {
                data: { values: noPeer.map((x) => ({ ...x, one: 1 })) },
                mark: { ...text, align: 'left', dx: LABEL_GAP, color: '#59636e', fontStyle: 'italic' },
                encoding: { y, x: { field: 'one', type: 'quantitative' }, text: { field: 'text' } },
              },
              rule,
            ],
          },
          {
            width: PANEL_WIDTH,
            height: panelHeight,
            title: { text: '÷ STREAM triad (the JS-loop limit)', fontSize: 12 },
            layer: [
              {
                data: { values: ratioBars },
                mark: { type: 'bar', height: { band: 0.9 } as unknown as number },
                encoding: {
                  y: { ...y, axis: { labels: false, ticks: false } },
                  yOffset,
                  color,
                  x: {
                    field: 'ratio',
                    type: 'quantitative',
                    scale: { domain: [0, tr.max], nice: false },
                    title: 'bytes/s ÷ triad bytes/s',
                  },
                },
              },
              {
                data: { values: ratioBars },
                mark: { ...text, align: 'left', dx: LABEL_GAP },
                encoding: { y, yOffset, x: { field: 'labelAt', type: 'quantitative' }, text: { field: 'ratioText' } },
              },
              rule,
            ],
          },
        ],
        resolve: { scale: { y: 'shared' } },
      } as TopLevelSpec,
    });
  }

  // --- throughput against n: one panel per optimizer -------------------------------------------------
  const run = head?.run;
  const tasks = (run?.tasks ?? []).filter(
    (x) =>
      x.status === 'ok' &&
      x.bytesPerSec &&
      (x.kind === 'core' || x.kind === 'peer' || x.kind === 'hand' || (x.kind === 'stream' && x.name === 'triad')),
  );
  if (run && tasks.some((x) => x.kind === 'core')) {
    const panels = names.filter((o) => tasks.some((x) => x.kind === 'core' && x.name === o));
    const what = (x: BenchTask): string =>
      x.kind === 'stream'
        ? 'STREAM triad (JS-loop limit)'
        : x.kind === 'hand'
          ? 'hand-written JS loop'
          : x.kind === 'peer'
            ? `TF.js ${x.engine.replace(/^tfjs-/, '')}`
            : x.engine === 'wasm'
              ? 'optimlab wasm engine'
              : 'optimlab core';
    const rows = tasks.flatMap((x) =>
      (x.kind === 'stream' ? panels : [x.name]).map((panel) => ({
        panel,
        what: what(x),
        dtype: x.dtype,
        n: x.n,
        gbs: x.bytesPerSec! / 1e9,
        line: `${what(x)}|${x.dtype}`,
      })),
    );
    const whats = [
      'optimlab wasm engine',
      'optimlab core',
      'hand-written JS loop',
      ...[...new Set(rows.map((x) => x.what))].filter((w) => w.startsWith('TF.js')).sort(),
      'STREAM triad (JS-loop limit)',
    ].filter((w) => rows.some((x) => x.what === w));
    const palette: Record<string, string> = {
      'optimlab wasm engine': '#8c3fb0',
      'optimlab core': '#1f5fa8',
      'hand-written JS loop': '#59a14f',
      'TF.js cpu': '#f28e2b',
      'TF.js wasm': '#e15759',
      'STREAM triad (JS-loop limit)': '#222222',
    };
    const sizes = [...new Set(rows.map((x) => x.n))].sort((a, b) => a - b);
    const gb = rows.map((x) => x.gbs);
    const xEnc = {
      field: 'n',
      type: 'quantitative' as const,
      scale: { type: 'log' as const, domain: [sizes[0]! / 1.6, sizes[sizes.length - 1]! * 1.6], nice: false },
      title: 'n (elements)',
      axis: { values: sizes, labelExpr: sizeLabels(sizes), grid: true },
    };
    const yDomain = [Math.min(...gb) / 1.3, Math.max(...gb) * 1.3] as const;
    const yTicks = logTicks(yDomain[0], yDomain[1]);
    const yEnc = {
      field: 'gbs',
      type: 'quantitative' as const,
      scale: { type: 'log' as const, domain: [...yDomain], nice: false },
      title: 'GB/s',
      axis: { format: '~g', ...(yTicks.length >= 2 ? { values: yTicks } : { tickCount: 4 }) },
    };
    const enc = {
      x: xEnc,
      y: yEnc,
      color: {
        field: 'what',
        type: 'nominal' as const,
        sort: whats,
        scale: { domain: whats, range: whats.map((w) => palette[w] ?? '#7f7f7f') },
        title: 'measured',
        legend: {
          orient: 'bottom' as const,
          direction: 'horizontal' as const,
          symbolType: 'stroke',
          symbolStrokeWidth: 2.5,
          columns: 5,
          labelLimit: 300,
        },
      },
      strokeDash: {
        field: 'dtype',
        type: 'nominal' as const,
        sort: DTYPES,
        scale: {
          domain: DTYPES,
          range: [
            [1, 0],
            [5, 3],
          ],
        },
        title: 'line style: dtype',
        legend: {
          orient: 'bottom' as const,
          direction: 'horizontal' as const,
          symbolType: 'stroke',
          symbolStrokeWidth: 2,
          symbolSize: 400,
          labelExpr: "datum.label === 'float64' ? 'float64 (solid)' : 'float32 (dashed)'",
        },
      },
      detail: { field: 'line', type: 'nominal' as const },
    };
    out.push({
      file: files.take('throughput', '.svg'),
      title: `Throughput against n, one panel per optimizer${head!.health.reliable ? '' : ' (unreliable: see the note)'}`,
      caption: `Bytes moved per second (elements/s × arrays streamed × bytes per element) against the vector length n, log–log, at the sizes measured (the ticks). Colour: what was measured; line style: the dtype (solid float64, dashed float32); a dot marks each measurement. In every panel the black lines are the STREAM triad (a[i] = b[i] + s·c[i]) of the same run: the limit of a plain JS loop on this machine. ${whats.includes('optimlab wasm engine') ? "The purple lines are the same optimizer on the wasm engine (the same bits, its arrays in the engine's memory); the green" : 'The green'} lines (sgd and adam) are the same step written by hand as a plain loop; orange and red are the TensorFlow.js optimizers on its cpu and wasm backends (float32 only). Bytes count each array read and each array written, so a step that writes back what it read can pass the triad.`,
      spec: {
        $schema: SCHEMA,
        config: CONFIG,
        data: { values: rows },
        facet: {
          field: 'panel',
          type: 'nominal',
          sort: panels,
          title: null,
          header: { labelFontSize: 12, labelFontWeight: 'bold', labelPadding: 2 },
        },
        columns: 5,
        spec: {
          width: 190,
          height: 150,
          layer: [
            { mark: { type: 'line', strokeWidth: 1.6 }, encoding: enc },
            {
              mark: { type: 'point', filled: true, size: 16, opacity: 1 },
              encoding: { x: xEnc, y: yEnc, color: enc.color },
            },
          ],
        },
        resolve: { scale: { y: 'shared', x: 'shared' } },
      } as TopLevelSpec,
    });
  }

  // --- accuracy: worst K as a share of its bound --------------------------------------------------------
  const acc = accuracyRows(r);
  if (acc.length > 0) {
    const values = acc.map((a) => ({
      ...a,
      share: a.bound > 0 ? a.worstK / a.bound : null,
      label: `${fmtNum(a.worstK, 2)}/${fmtNum(a.bound, 2)}`,
    }));
    const top = Math.max(1.15, ...values.map((v) => (v.share ?? 0) * 1.12));
    out.push({
      file: files.take('accuracy', '.svg'),
      title: 'Accuracy: worst K against its bound',
      caption:
        "Worst K (the error in units of the dtype's unit roundoff u) over the random single-step cases, as a share of the law's bound for that optimizer and dtype (the label: K/bound, both in u). The dashed line at 1 is the bound: a bar above it is a broken bound.",
      spec: {
        $schema: SCHEMA,
        config: CONFIG,
        width: { step: 30 } as unknown as number,
        height: 220,
        data: { values },
        layer: [
          {
            mark: { type: 'bar' },
            encoding: {
              x: { field: 'optimizer', type: 'nominal', sort: names, title: null, axis: { labelAngle: -30 } },
              xOffset: { field: 'dtype', type: 'nominal', sort: DTYPES },
              y: {
                field: 'share',
                type: 'quantitative',
                title: 'worst K ÷ bound',
                scale: { domain: [0, top], nice: false },
                axis: { values: [0, 0.5, 1, 1.5, 2, 3, 5, 10].filter((v) => v <= top), format: '~g' },
              },
              color: {
                field: 'dtype',
                type: 'nominal',
                sort: DTYPES,
                scale: { domain: DTYPES, range: DTYPE_COLORS },
                title: 'dtype',
              },
              tooltip: [{ field: 'optimizer' }, { field: 'dtype' }, { field: 'worstK' }, { field: 'bound' }],
            },
          },
          // K/bound on each bar: inside where the bar is tall enough, else above it
          ...[
            ['datum.share >= 0.35', 'right', -3, '#fff'],
            ['datum.share < 0.35', 'left', 3, '#333'],
          ].map(([test, align, dx, color]) => ({
            transform: [{ filter: test as string }],
            mark: {
              type: 'text' as const,
              angle: -90,
              align: align as 'left' | 'right',
              dx: dx as number,
              fontSize: 9,
              color: color as string,
            },
            encoding: {
              x: { field: 'optimizer', type: 'nominal' as const, sort: names },
              xOffset: { field: 'dtype', type: 'nominal' as const, sort: DTYPES },
              y: { field: 'share', type: 'quantitative' as const },
              text: { field: 'label' },
            },
          })),
          {
            data: { values: [{ one: 1 }] },
            mark: { type: 'rule', color: '#cf222e', strokeDash: [5, 3], strokeWidth: 1.5 },
            encoding: { y: { field: 'one', type: 'quantitative' } },
          },
        ],
      } as TopLevelSpec,
    });
  }

  // --- convergence --------------------------------------------------------------------------------
  const conv = r.convergence;
  for (const o of conv?.objectives ?? []) {
    const values = o.runs.flatMap((run) =>
      run.curve.map((p) => ({ optimizer: run.optimizer, step: p.step, gap: Math.max(p.gap, FLOOR), lr: run.lr })),
    );
    out.push({
      file: files.take(`convergence-${o.name}`, '.svg'),
      title: `Convergence: ${o.title}`,
      caption: `f(θ_t) − f* against the step t, log scale, every optimizer at its tuned rate (legend: η). f* = ${o.fStar} (${o.fStarSource}); start (${o.start.slice(0, 3).join(', ')}${o.start.length > 3 ? ', …' : ''}). Gaps below ${FLOOR} are drawn at ${FLOOR}.`,
      spec: {
        $schema: SCHEMA,
        config: CONFIG,
        width: 520,
        height: 300,
        data: { values },
        mark: { type: 'line', strokeWidth: 1.5, clip: true },
        encoding: {
          x: { field: 'step', type: 'quantitative', title: 'step' },
          y: {
            field: 'gap',
            type: 'quantitative',
            scale: { type: 'log', domainMin: FLOOR },
            title: 'f − f*',
            axis: { format: '.0e' },
          },
          color: { field: 'optimizer', type: 'nominal', scale: colors, legend: { labelExpr: labelWithRate(o.runs) } },
        },
      } as TopLevelSpec,
    });
  }

  // --- trajectories ------------------------------------------------------------------------------
  for (const tr of conv?.trajectories ?? []) {
    const contours = boundedContours(tr.grid, levelsFor(tr.grid, tr.levels));
    const segs = lineRows(contours.lines);
    const paths = tr.runs.flatMap((run) => run.path.map(([x, y], i) => ({ optimizer: run.optimizer, i, x, y })));
    const w = tr.grid.x1 - tr.grid.x0;
    const h = tr.grid.y1 - tr.grid.y0;
    const width = 520;
    const rates =
      tr.runs[0]?.rate === 'stated'
        ? "each optimizer's default hyperparameters (stated rates)"
        : 'the rates tuned for the convergence runs';
    out.push({
      file: files.take(`trajectory-${tr.name}`, '.svg'),
      title: `Trajectories on ${tr.title}`,
      caption: `Paths of every optimizer from (${tr.start.join(', ')}) over ${tr.steps} steps at ${rates}, on contour lines of f = ${tr.formula} (${tr.levels === 'log' ? 'log-spaced levels' : 'evenly spaced levels'}, computed from a ${tr.grid.nx} × ${tr.grid.ny} grid). ${tr.minima.length ? 'The red diamond marks the minimum; the black dot is the start.' : 'The saddle point is at the origin; the function is unbounded below along y.'}${contours.note ? ` ${contours.note}` : ''}`,
      spec: {
        $schema: SCHEMA,
        config: CONFIG,
        width,
        height: Math.round((width * h) / w),
        layer: [
          {
            data: { values: segs },
            mark: { type: 'line', strokeWidth: 0.8, clip: true },
            encoding: {
              x: {
                field: 'x',
                type: 'quantitative',
                scale: { domain: [tr.grid.x0, tr.grid.x1], nice: false, zero: false },
                title: 'x',
              },
              y: {
                field: 'y',
                type: 'quantitative',
                scale: { domain: [tr.grid.y0, tr.grid.y1], nice: false, zero: false },
                title: 'y',
              },
              detail: { field: 'line', type: 'nominal' },
              order: { field: 'k', type: 'quantitative' },
              color: { field: 'level', type: 'quantitative', scale: { range: ['#c6dbef', '#08306b'] }, legend: null },
            },
          },
          {
            data: { values: paths },
            mark: { type: 'line', strokeWidth: 2, clip: true, opacity: 0.9 },
            encoding: {
              x: { field: 'x', type: 'quantitative' },
              y: { field: 'y', type: 'quantitative' },
              order: { field: 'i', type: 'quantitative' },
              stroke: {
                field: 'optimizer',
                type: 'nominal',
                scale: colors,
                legend: { labelExpr: labelWithRate(tr.runs), title: 'optimizer' },
              },
            },
          },
          {
            data: { values: [{ x: tr.start[0], y: tr.start[1] }] },
            mark: { type: 'point', filled: true, color: 'black', size: 60 },
            encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
          },
          ...(tr.minima.length
            ? [
                {
                  data: { values: tr.minima.map(([x, y]) => ({ x, y })) },
                  mark: { type: 'point' as const, shape: 'diamond', filled: true, color: '#d62728', size: 140 },
                  encoding: {
                    x: { field: 'x', type: 'quantitative' as const },
                    y: { field: 'y', type: 'quantitative' as const },
                  },
                },
              ]
            : []),
        ],
        resolve: { scale: { color: 'independent' } },
      } as TopLevelSpec,
    });
  }

  // --- blobs ---------------------------------------------------------------------------------------
  const b = conv?.blobs;
  if (b && b.status === 'ok') {
    out.push({
      file: files.take('blobs-loss', '.svg'),
      title: 'Blobs demo: loss per epoch',
      caption: `Training loss after each epoch (log scale): ${b.points.length} points in two Gaussian blobs, trained on half of them with ${b.optimizer} (η = ${b.lr}) in batches of ${b.batchSize} for ${b.epochs} epochs; accuracy on the held-out half ${(b.accuracy * 100).toFixed(1)}%. Source: ${b.source}.`,
      spec: {
        $schema: SCHEMA,
        config: CONFIG,
        width: 420,
        height: 260,
        data: { values: b.loss },
        mark: { type: 'line', point: true, color: PALETTE[0] },
        encoding: {
          x: { field: 'epoch', type: 'quantitative' },
          y: { field: 'loss', type: 'quantitative', scale: { type: 'log' }, title: 'loss (log)' },
        },
      } as TopLevelSpec,
    });
    const boundary = boundedContours(b.grid, [0.1, 0.5, 0.9]);
    const levels = lineRows(boundary.lines).map((s) => ({ ...s, p: String(s.value) }));
    out.push({
      file: files.take('blobs-boundary', '.svg'),
      title: 'Blobs demo: decision boundary',
      caption: `All ${b.points.length} points by class and the trained model's decision boundary (predicted probability 0.5, solid) with the 0.1 (dashed) and 0.9 (dotted) levels, traced on a ${b.grid.nx} × ${b.grid.ny} grid of predictions. Final weights (w_x, w_y, bias) = (${b.weights.join(', ')}).${boundary.note ? ` ${boundary.note}` : ''}`,
      spec: {
        $schema: SCHEMA,
        config: CONFIG,
        width: 420,
        height: Math.round((420 * (b.grid.y1 - b.grid.y0)) / (b.grid.x1 - b.grid.x0)),
        layer: [
          {
            data: { values: b.points.map((p) => ({ ...p, class: `class ${p.label}` })) },
            mark: { type: 'point', filled: true, size: 30, opacity: 0.8 },
            encoding: {
              x: {
                field: 'x',
                type: 'quantitative',
                scale: { domain: [b.grid.x0, b.grid.x1], nice: false, zero: false },
              },
              y: {
                field: 'y',
                type: 'quantitative',
                scale: { domain: [b.grid.y0, b.grid.y1], nice: false, zero: false },
              },
              color: { field: 'class', type: 'nominal', scale: { range: ['#4e79a7', '#e15759'] }, title: null },
              shape: { field: 'class', type: 'nominal', title: null },
            },
          },
          {
            data: { values: levels },
            mark: { type: 'line', color: 'black', clip: true },
            encoding: {
              x: { field: 'x', type: 'quantitative' },
              y: { field: 'y', type: 'quantitative' },
              detail: { field: 'line', type: 'nominal' },
              order: { field: 'k', type: 'quantitative' },
              strokeDash: {
                field: 'p',
                type: 'nominal',
                sort: ['0.5', '0.1', '0.9'],
                scale: {
                  domain: ['0.5', '0.1', '0.9'],
                  range: [
                    [1, 0],
                    [5, 3],
                    [2, 2],
                  ],
                },
                title: 'p(class 1)',
              },
              size: { condition: { test: "datum.p === '0.5'", value: 2.5 }, value: 1 },
            },
          },
        ],
      } as TopLevelSpec,
    });
  }
  return out;
}

/** Contour lines as rows for a vega-lite line mark (one `line` per polyline, `k` its order). */
function lineRows(
  lines: readonly ContourLine[],
): { line: number; k: number; level: number; value: number; x: number; y: number }[] {
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
