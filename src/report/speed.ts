/**
 * The report's speed headline: for each optimizer at one size (n = 1e6 where measured), its
 * speed-up over the fastest peer (TensorFlow.js, per backend) and its ratio to the STREAM triad
 * (the roofline of a plain JS loop on that machine), in each dtype. The first screen's chart and
 * sentence, and the health of the run they come from. The rows are the JS core's; where the run
 * also measured the wasm engine, each row carries its figures beside (`wasm`).
 */
import { benchRuns, healthOf, type BenchRun, type RunHealth } from './regression.js';
import type { BenchTask, ResultsDoc } from './types.js';

/** The size the headline is taken at when it was measured. */
export const HEADLINE_N = 1e6;

export interface SpeedRow {
  optimizer: string;
  dtype: string;
  n: number;
  elementsPerSec: number;
  /** bytes/s ÷ the triad's bytes/s in the same run, dtype and n. */
  ratioToTriad: number | null;
  /** The fastest peer at the same optimizer, dtype and n: its engine and core elements/s ÷ its elements/s. */
  bestPeer: { engine: string; speedup: number } | null;
  /** The wasm engine's step at the same optimizer, dtype and n, when measured: its elements/s, ÷ the JS core's, its speed-up over the same peer, and its bytes/s ÷ the same triad's. */
  wasm: { elementsPerSec: number; overJs: number; overBestPeer: number | null; ratioToTriad: number | null } | null;
}

export interface Headline {
  n: number;
  rows: SpeedRow[];
  /** The run the figures come from (the first with core tasks). */
  run: BenchRun;
  health: RunHealth;
  /** Whether any TensorFlow.js peer was measured at n (else a missing peer says nothing of TF.js). */
  peersRan: boolean;
}

/** The headline of the first benchmark run that measured the core, or null. */
export function headline(r: ResultsDoc): Headline | null {
  const run = benchRuns(r).find((x) =>
    x.tasks.some((t) => t.kind === 'core' && t.engine === 'js' && t.status === 'ok'),
  );
  if (!run) return null;
  const ok = run.tasks.filter((t) => t.status === 'ok' && t.elementsPerSec! > 0);
  const sizes = [...new Set(ok.filter((t) => t.kind === 'core' && t.engine === 'js').map((t) => t.n))].sort(
    (a, b) => a - b,
  );
  // n = 1e6 where measured; else the largest size up to it at which the peers ran too (a --quick
  // run measures them at its smallest size only), else the largest up to it; else the smallest above.
  const peered = new Set(ok.filter((t) => t.kind === 'peer').map((t) => t.n));
  const below = [...sizes].reverse().filter((x) => x < HEADLINE_N);
  const n = sizes.includes(HEADLINE_N) ? HEADLINE_N : (below.find((x) => peered.has(x)) ?? below[0] ?? sizes[0]!);
  const at = ok.filter((t) => t.n === n);
  const rows: SpeedRow[] = [];
  for (const c of at.filter((t) => t.kind === 'core' && t.engine === 'js')) {
    const w = at.find((t) => t.kind === 'core' && t.engine === 'wasm' && t.name === c.name && t.dtype === c.dtype);
    const triad = at.find((t) => t.kind === 'stream' && t.name === 'triad' && t.dtype === c.dtype);
    const peers = at.filter((t) => t.kind === 'peer' && t.name === c.name && t.dtype === c.dtype);
    const best = peers.reduce<BenchTask | undefined>(
      (b, p) => (b === undefined || p.elementsPerSec! > b.elementsPerSec! ? p : b),
      undefined,
    );
    const toTriad = (t: BenchTask): number | null =>
      t.ratioToTriad ?? (triad?.bytesPerSec && t.bytesPerSec ? t.bytesPerSec / triad.bytesPerSec : null);
    rows.push({
      optimizer: c.name,
      dtype: c.dtype,
      n,
      elementsPerSec: c.elementsPerSec!,
      ratioToTriad: toTriad(c),
      bestPeer: best ? { engine: best.engine, speedup: c.elementsPerSec! / best.elementsPerSec! } : null,
      wasm: w
        ? {
            elementsPerSec: w.elementsPerSec!,
            overJs: w.elementsPerSec! / c.elementsPerSec!,
            overBestPeer: best ? w.elementsPerSec! / best.elementsPerSec! : null,
            ratioToTriad: toTriad(w),
          }
        : null,
    });
  }
  return { n, rows, run, health: healthOf(run), peersRan: peered.has(n) };
}

/** min–max of a list as text ("0.62–1.05"), or the one value. */
export function span(xs: readonly number[], fmt: (x: number) => string): string {
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return fmt(lo) === fmt(hi) ? fmt(lo) : `${fmt(lo)}–${fmt(hi)}`;
}
