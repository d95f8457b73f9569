/**
 * Accuracy of the core against the decimal reference, in units of the dtype's unit roundoff u
 * (DESIGN.md, "Error and accuracy"). Shared by the B/G7 laws, `optimlab verify --accuracy` and the
 * reports. (Interface fixed here; the reference engineer fills in the measurement.)
 */
import type { Dtype } from '../src/optimizers/types.js';

export interface AccuracyOptions {
  /** Optimizer names (default: the whole registry). */
  optimizers?: readonly string[];
  dtypes?: readonly Dtype[];
  /** Random single-step cases per optimizer and dtype. */
  cases?: number;
  seed?: number;
}

export interface AccuracyRow {
  optimizer: string;
  dtype: Dtype;
  cases: number;
  /** Worst K over params and every state buffer. */
  worstK: number;
  /** Worst K of the parameter update alone. */
  paramsK: number;
  /** Worst K per state buffer. */
  buffersK: Record<string, number>;
  /** The law's bound for this optimizer and dtype (units of u). */
  bound: number;
  /** The case that gave the worst K, rendered (for the report). */
  worstCase?: string;
}

export interface AccuracyReport {
  schema: 'optimlab.accuracy/1';
  seed: number;
  cases: number;
  rows: AccuracyRow[];
}

export function runAccuracy(_opts: AccuracyOptions = {}): AccuracyReport {
  throw new Error('runAccuracy: not implemented yet (issue 3)');
}

export function formatAccuracy(_r: AccuracyReport): string {
  throw new Error('formatAccuracy: not implemented yet (issue 3)');
}
