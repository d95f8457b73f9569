/**
 * 'optimlab.accuracy/1': what `optimlab verify --accuracy --json` writes (properties/accuracy.ts
 * runAccuracy) and the report reads: the worst K (units of the dtype's unit roundoff) per
 * optimizer and dtype.
 */
import { arr, num, obj, oneOf, optional, record, str, type Infer } from './check.js';
import { dtype, name, provenance } from './verify.js';

export const ACCURACY_SCHEMA = 'optimlab.accuracy/1' as const;

export const accuracyRowShape = {
  optimizer: name(),
  dtype,
  cases: num({ int: true, min: 0 }),
  /** Worst K over params and every state buffer. */
  worstK: num({ min: 0 }),
  /** Worst K of the parameter update alone. */
  paramsK: num({ min: 0 }),
  /** Worst K per state buffer. */
  buffersK: record(num({ min: 0 }), { maxKeys: 100 }),
  /** The law's bound for this optimizer and dtype (units of u). */
  bound: num({ min: 0 }),
  /** The case that gave the worst K, rendered (for the report). */
  worstCase: optional(str()),
  /** Worst K over the same cases with the naive scale u·(|θ| + |Δ|) (what cancellation does to it). */
  naiveK: num({ min: 0 }),
  /** 'not run' where the optimizer has no decimal reference (then cases = 0 and no K is measured). */
  status: optional(oneOf('not run')),
  reason: optional(str({ max: 10_000 })),
  /** Where the bound comes from, for an optimizer optimlab does not ship: the maintainer's count and source. */
  boundWhy: optional(str({ max: 10_000 })),
  /** The outside reference's source (in merged results.json this field holds the provenance id instead). */
  source: optional(str({ max: 10_000 })),
};
export const accuracyRow = obj(accuracyRowShape);
export type AccuracyRow = Infer<typeof accuracyRow>;

export const accuracyDoc = obj({
  schema: oneOf(ACCURACY_SCHEMA),
  /** optimlab's version and the --module files; absent in older documents. */
  provenance: optional(provenance),
  seed: num({ int: true }),
  /** Random single-step cases per optimizer and dtype. */
  cases: num({ int: true, min: 0 }),
  rows: arr(accuracyRow, { max: 10_000 }),
});
export type AccuracyDoc = Infer<typeof accuracyDoc>;
