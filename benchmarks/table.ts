/** The summary table printed at the end of a run, one block per (dtype, n). */
import type { Dtype } from '../src/optimizers/types.js';
import { NOT_APPLICABLE, NO_VALUE } from '../src/util/marks.js';
import { formatSize } from '../src/util/size.js';
import { triadLevel, type BenchResults, type TaskResult } from './schema.js';

const f = (x: number | undefined, digits: number): string => (x === undefined ? NO_VALUE : x.toFixed(digits));
const pad = (s: string, w: number): string => s.padStart(w);

function row(label: string, t: TaskResult | undefined, extra: string[]): string {
  if (!t) return `  ${label.padEnd(20)} (not measured)`;
  if (t.status !== 'ok') return `  ${label.padEnd(20)} error: ${t.error}`;
  return `  ${label.padEnd(20)}${pad(f((t.elementsPerSec ?? 0) / 1e6, 1), 9)}${pad(f((t.bytesPerSec ?? 0) / 1e9, 2), 8)}${pad(f(t.ratioToTriad, 3), 8)}${pad(`±${f(t.rme, 1)}%`, 8)}${extra.map((e) => pad(e, 11)).join('')}`;
}

/**
 * The triad's level in GB/s and where it comes from: the median of its measurements through the group,
 * with their range, when it was measured again after each task; else its one measurement and rme.
 */
function triadText(t: TaskResult | undefined): string {
  if (!t || t.status !== 'ok') return `triad ${NO_VALUE} GB/s`;
  const gb = (elementsPerSec: number): string => f((elementsPerSec * t.streams * t.bytesPerElement) / 1e9, 2);
  const v = t.remeasured;
  if (!v?.length) return `triad ${gb(t.elementsPerSec ?? 0)} GB/s (±${f(t.rme, 1)}%)`;
  return `triad ${gb(triadLevel(t)!)} GB/s (median of ${v.length} measurements through the group, ${gb(Math.min(...v))}–${gb(Math.max(...v))})`;
}

/**
 * Lines of the summary; `sizes` restricts it to some n (all when absent). Each optimizer's row (the
 * JS kernels) is followed by its wasm engine's row where the run measured it: wasm÷js is its speed
 * over the JS row's, and the ×peer columns of both rows divide their own speed by the peer's.
 */
export function summaryTable(r: BenchResults, sizes?: readonly number[]): string[] {
  const byId = new Map(r.tasks.map((t) => [t.id, t]));
  const get = (kind: string, name: string, dtype: Dtype, n: number): TaskResult | undefined =>
    byId.get(`${kind}:${name}:${dtype}:${n}`);
  const wasm = r.tasks.some((t) => t.kind === 'core' && t.engine === 'wasm');
  const engines = [...new Set(r.tasks.filter((t) => t.kind === 'peer').map((t) => t.engine))];
  const lines: string[] = [];
  for (const dtype of r.settings.dtypes) {
    for (const n of r.settings.sizes) {
      if (sizes && !sizes.includes(n)) continue;
      const triad = get('stream', 'triad', dtype, n);
      const peerCols = dtype === 'float32' ? engines : [];
      lines.push(`${dtype}  n = ${formatSize(n)}   ${triadText(triad)}; ratio = bytes/s ÷ triad bytes/s`);
      lines.push(
        `  ${'task'.padEnd(20)}${pad('Melem/s', 9)}${pad('GB/s', 8)}${pad('÷triad', 8)}${pad('rme', 8)}${pad('core÷hand', 11)}${wasm ? pad('wasm÷js', 11) : ''}${peerCols.map((e) => pad(`×${e}`, 11)).join('')}`,
      );
      lines.push(row('copy', get('stream', 'copy', dtype, n), []));
      for (const name of r.settings.optimizers) {
        const hand = get('hand', name, dtype, n);
        const core = get('core', name, dtype, n);
        if (hand) lines.push(row(`${name} (hand)`, hand, []));
        const vsHand = !hand
          ? NOT_APPLICABLE
          : hand.elementsPerSec && core?.elementsPerSec
            ? f(core.elementsPerSec / hand.elementsPerSec, 3)
            : NO_VALUE;
        const vsPeers = (t: TaskResult | undefined): string[] =>
          peerCols.map((e) => {
            const p = get('peer', `${e}/${name}`, dtype, n);
            // n/a: TensorFlow.js has no such optimizer (its engine ran others at this size), else not measured
            if (p?.elementsPerSec && t?.elementsPerSec) return `${f(t.elementsPerSec / p.elementsPerSec, 1)}×`;
            return r.tasks.some((x) => x.kind === 'peer' && x.engine === e && x.dtype === dtype && x.n === n)
              ? NOT_APPLICABLE
              : NO_VALUE;
          });
        lines.push(row(name, core, [vsHand, ...(wasm ? [''] : []), ...vsPeers(core)]));
        const w = get('core', `wasm/${name}`, dtype, n);
        if (w)
          lines.push(
            row(`${name} (wasm)`, w, [
              '',
              w.elementsPerSec && core?.elementsPerSec ? f(w.elementsPerSec / core.elementsPerSec, 2) : NO_VALUE,
              ...vsPeers(w),
            ]),
          );
      }
      for (const e of peerCols) {
        for (const name of r.settings.optimizers) {
          const p = get('peer', `${e}/${name}`, dtype, n);
          if (p) lines.push(row(`${e}/${name}`, p, []));
        }
      }
      lines.push('');
    }
  }
  return lines;
}
