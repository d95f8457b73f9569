/**
 * Reports from results JSON (issue 7): load and merge the documents that verify, accuracy, bench
 * and the convergence runs write, render report.md, index.html, results.json and the SVG charts,
 * and replace the report folder only once everything is written.
 */
import { join } from 'node:path';
import { checkOwnedFolder, writeOwnedFolder, type FolderWriteOptions } from '../util/folder.js';
import { renderCharts, type RenderedChart } from './charts.js';
import { hostEnvironment } from './env.js';
import { regression as compare, type Regression } from './regression.js';
import { renderHtml, renderMarkdown, reportModel } from './render.js';
import type { Environment, ResultsDoc } from './types.js';

export { loadResults, fromDocument, detectKind, emptyResults, RESULTS_SCHEMA, type SourceInfo } from './load.js';
export { mergeResults } from './merge.js';
export {
  regression,
  formatRegression,
  runHealth,
  benchRuns,
  machineOf,
  settingsOf,
  compareTasks,
  compareSamples,
  pooledSpreads,
  t975,
  DEFAULT_MIN_CHANGE,
  UNSTABLE_TRIAD_RME,
  UNSTABLE_TRIAD_OFF,
  UNSTABLE_TRIAD_COUNT,
  type BaselineSample,
  type PooledSpread,
  type Regression,
  type RegressionOptions,
  type RunHealth,
  type TaskChange,
  type Verdict,
} from './regression.js';
export { headline, type Headline, type SpeedRow } from './speed.js';
export { verdicts, type VerdictLine } from './verdicts.js';
export {
  lawTable,
  lawTables,
  accuracyTable,
  throughputTables,
  convergenceTable,
  regressionTables,
  sourcesTable,
  type Table,
  type TCell,
} from './tables.js';
export { hostEnvironment } from './env.js';
export { escapeHtml, escapeMd } from './escape.js';
export type * from './types.js';

export interface ReportOptions {
  /** The report folder (replaced as a whole). */
  outDir: string;
  /** A baseline results.json (already loaded) for the regression view. */
  baseline?: ResultsDoc;
  baselineLabel?: string;
  /** Regression floor on |change| (see regression.ts); default 5%. */
  minChange?: number;
  /** Judge against a baseline from another machine (labelled as such in the report). */
  anyMachine?: boolean;
  /** The machine the report is built on (default: this one). */
  host?: Environment;
  title?: string;
  /** More files to put in the folder (name → contents), e.g. the raw inputs. */
  extraFiles?: Map<string, string>;
  /** For tests: called with the temporary folder before the swap (throw to simulate a failure). */
  beforeSwap?: (tmpDir: string) => void;
  /** TEST-ONLY fault injection (see FolderWriteOptions.faultHook); the CLI never passes it. */
  faultHook?: FolderWriteOptions['faultHook'];
}

export interface ReportFiles {
  outDir: string;
  html: string;
  markdown: string;
  results: string;
  charts: string[];
  regression?: Regression;
  /** What the write recovered from an interrupted run, or could not clean: print them. */
  notes: string[];
}

/** Renders everything in memory: file name → contents. */
export async function renderReport(
  results: ResultsDoc,
  opts: Omit<ReportOptions, 'outDir' | 'beforeSwap' | 'faultHook'> = {},
): Promise<{ files: Map<string, string>; regression?: Regression; charts: RenderedChart[] }> {
  const host = opts.host ?? hostEnvironment();
  const charts = await renderCharts(results);
  const reg = opts.baseline
    ? compare(results, opts.baseline, { minChange: opts.minChange, anyMachine: opts.anyMachine })
    : undefined;
  const builtAt = new Date().toISOString();
  const model = reportModel(results, charts, host, {
    regression: reg,
    baselineLabel: opts.baselineLabel,
    title: opts.title,
    builtAt,
  });
  const files = new Map<string, string>();
  files.set('report.md', renderMarkdown(model));
  files.set('index.html', renderHtml(model));
  files.set('results.json', `${JSON.stringify({ ...results, report: { builtAt, host } }, null, 1)}\n`);
  for (const c of charts) files.set(c.file, c.svg);
  return { files, charts, ...(reg ? { regression: reg } : {}) };
}

/**
 * Writes the report folder through writeOwnedFolder (src/util/folder.ts): everything goes into a
 * temporary sibling folder first, which then replaces `outDir` only if `outDir` is absent, empty
 * or a report folder optimlab wrote (its marker lists every file in it); anything else is refused
 * with a UserError and left untouched. If rendering or writing fails, the previous report stays
 * exactly as it was; a run killed mid-way is recovered by the next write.
 */
export async function writeReport(results: ResultsDoc, opts: ReportOptions): Promise<ReportFiles> {
  // Refuse a target we may not replace (or a folder another run holds) before rendering anything.
  const early = checkOwnedFolder(opts.outDir);
  const rendered = await renderReport(results, opts);
  const { dir: out, notes } = writeOwnedFolder(opts.outDir, new Map([...rendered.files, ...(opts.extraFiles ?? [])]), {
    ...(opts.beforeSwap ? { beforeSwap: opts.beforeSwap } : {}),
    ...(opts.faultHook ? { faultHook: opts.faultHook } : {}),
  });
  return {
    outDir: out,
    html: join(out, 'index.html'),
    markdown: join(out, 'report.md'),
    results: join(out, 'results.json'),
    charts: rendered.charts.map((c) => join(out, c.file)),
    notes: [...early, ...notes],
    ...(rendered.regression ? { regression: rendered.regression } : {}),
  };
}

/**
 * Checks before long work that a report can be written to `outDir` (see writeReport): recovers an
 * interrupted write there and throws the UserError a write would throw. Returns recovery notes.
 */
export const checkReportFolder = checkOwnedFolder;
