/**
 * The documents the report reads and writes. src/report reads JSON only: these interfaces mirror
 * the producers' schemas (properties/SCHEMA.md 'optimlab.verify/1', properties/accuracy.ts
 * 'optimlab.accuracy/1', benchmarks/SCHEMA.md 'optimlab.bench' v1, benchmarks/CONVERGENCE.md
 * 'optimlab.convergence/1') for the fields the report uses, and every field is checked on load.
 */

export type Dtype = 'float64' | 'float32';

/** One law case (properties/framework.ts CaseResult). */
export interface CaseResult {
  id: string;
  lawId: string;
  subject: string;
  dtype?: Dtype;
  /** 'not run': the case applies but could not run (`reason`: 'no reference supplied'); never a failure. */
  status: 'pass' | 'fail' | 'not run';
  reason?: string;
  runs?: number;
  seed?: number;
  ms?: number;
  counterexample?: string;
  path?: string;
  error?: string;
  replay?: string;
}

export interface VerifyDoc {
  schema: 'optimlab.verify/1';
  createdAt: string;
  seed: number;
  runs: number | null;
  laws: { id: string; title: string }[];
  subjects: string[];
  cases: CaseResult[];
  table: Record<string, Record<string, 'pass' | 'fail' | 'n/a' | 'not run'>>;
  summary?: { cases: number; passed: number; failed: number; ms: number };
}

export interface AccuracyRow {
  optimizer: string;
  dtype: Dtype;
  cases: number;
  worstK: number;
  paramsK?: number;
  buffersK?: Record<string, number>;
  bound: number;
  worstCase?: string;
  /** 'not run' where the optimizer has no decimal reference (`reason`). */
  status?: 'not run';
  reason?: string;
}

export interface AccuracyDoc {
  schema: 'optimlab.accuracy/1';
  seed: number;
  cases: number;
  rows: AccuracyRow[];
}

export interface BenchTask {
  id: string;
  kind: 'stream' | 'core' | 'hand' | 'peer';
  name: string;
  engine: string;
  dtype: Dtype;
  n: number;
  block?: number;
  streams?: number;
  bytesPerElement?: number;
  status: 'ok' | 'error';
  error?: string;
  latency?: { mean: number; p50?: number; p75?: number; p99?: number; min?: number; max?: number; sd?: number };
  rme?: number;
  samples?: number;
  elementsPerSec?: number;
  bytesPerSec?: number;
  ratioToTriad?: number;
  tensorsLeaked?: number;
}

/** Machine and software a run came from (the bench document's `environment`). */
export interface Environment {
  node?: string;
  v8?: string;
  cpuModel?: string;
  cores?: number;
  os?: string;
  arch?: string;
  totalMemoryBytes?: number;
  loadAverageStart?: number[];
  loadAverageEnd?: number[];
  packages?: Record<string, string | null>;
  git?: { commit: string | null; dirty: boolean | null };
  date?: string;
  durationSec?: number;
}

export interface BenchDoc {
  format: 'optimlab.bench';
  version: number;
  environment: Environment;
  settings: Record<string, unknown>;
  tasks: BenchTask[];
  checks?: { abstraction?: unknown[]; peers?: unknown[] };
  skipped?: { what: string; reason: string }[];
  system?: Record<string, unknown>;
}

export interface Grid {
  x0: number; x1: number; y0: number; y1: number;
  nx: number; ny: number;
  values: number[];
}

export interface ConvergenceDoc {
  schema: 'optimlab.convergence/1';
  createdAt: string;
  seed: number;
  settings: { rateGrid: number[]; tuneBy: string; dtype: string; optimizers: string[] };
  objectives: {
    name: string; title: string; dim: number; fStar: number; fStarSource: string; target: number; steps: number; start: number[];
    runs: { optimizer: string; lr: number; rate: 'tuned' | 'stated'; curve: { step: number; gap: number }[]; stepsToTarget: number | null; finalLoss: number; finalGap: number; divergedAt: number | null }[];
  }[];
  trajectories: {
    name: string; title: string; formula: string; grid: Grid; levels: 'log' | 'linear'; minima: [number, number][]; start: [number, number]; steps: number;
    runs: { optimizer: string; lr: number; rate: 'tuned' | 'stated'; path: [number, number][]; final: [number, number] }[];
  }[];
  blobs:
    | { status: 'ok'; source: string; optimizer: string; lr: number; batchSize: number; epochs: number; points: { x: number; y: number; label: 0 | 1 }[]; loss: { epoch: number; loss: number }[]; accuracy: number; weights: number[]; grid: Grid }
    | { status: 'not-available'; reason: string };
  ms?: number;
}

// --- the merged results document (what results.json holds) -------------------------------------

export type SourceKind = 'verify' | 'vitest' | 'accuracy' | 'bench' | 'convergence';

/** Where a part of the results came from (provenance). */
export interface Source {
  /** 's1', 's2', … unique within a results document. */
  id: string;
  kind: SourceKind;
  /** The file it was read from (as given), or 'optimlab run' for results made in-process. */
  file: string;
  /** Free label (a shard or machine name); defaults to the file name. */
  label: string;
  createdAt: string | null;
  seed: number | string | null;
  /** Settings the run used (runs per case, cases, tinybench options …), as recorded. */
  settings: Record<string, unknown>;
  /** The machine, when the file records it (bench does) or the producer was this process. */
  environment: Environment | null;
}

export interface ResultsDoc {
  schema: 'optimlab.results/1';
  createdAt: string;
  sources: Source[];
  verify: {
    laws: { id: string; title: string }[];
    subjects: string[];
    cases: (CaseResult & { source: string })[];
    /** Cells the producers marked not applicable: [law ID, subject]. */
    notApplicable: [string, string][];
  } | null;
  accuracy: { rows: (AccuracyRow & { source: string })[] } | null;
  bench: {
    tasks: (BenchTask & { source: string })[];
    skipped: { what: string; reason: string; source: string }[];
  } | null;
  convergence: (ConvergenceDoc & { source: string }) | null;
  /** Parts a run could not produce, and why (shown in the report instead of silence). */
  unavailable?: { part: string; reason: string }[];
}

export type Cell = 'pass' | 'fail' | 'n/a' | 'not run';
