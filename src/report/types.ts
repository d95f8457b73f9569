/**
 * The documents the report reads and writes. They are defined, with their validators, in the one
 * schema module (src/schema): the report reads JSON only, and checks every input on load.
 */
export type {
  AccuracyDoc,
  AccuracyRow,
  BenchResults as BenchDoc,
  ConvergenceDoc,
  Dtype,
  Environment,
  Grid,
  MergedCase,
  ResultsDoc,
  Source,
  SourceKind,
  TaskResult as BenchTask,
  VerifyDoc,
} from '../schema/index.js';
import type { MergedCase } from '../schema/index.js';

/** A law case as the report sees it: from a verify document, or from a vitest report (no runs, seed, ms). */
export type CaseResult = Omit<MergedCase, 'source'>;

/** A cell of the law table: a law case's outcome for a subject, or why there is none. */
export type Cell = 'pass' | 'fail' | 'n/a' | 'not run';
