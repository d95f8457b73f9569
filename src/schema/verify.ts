/**
 * 'optimlab.verify/1': what `optimlab verify --json` writes (properties/suite.ts runSuite) and the
 * report reads. One law case per (law, subject, dtype); the table is law ID → subject → cell.
 */
import { arr, nullable, num, obj, oneOf, optional, record, str, type Infer } from './check.js';

export const VERIFY_SCHEMA = 'optimlab.verify/1' as const;

/** A short name: a law ID, an optimizer or subject name (no line breaks: it lands in tables and titles). */
export const name = (max = 200): ReturnType<typeof str> =>
  str({ max, pattern: /^[^\r\n]*$/, what: `a one-line string of at most ${max} characters` });

/**
 * The line that replays a failing case: '<case id>@<seed>:<path>' (properties/framework.ts
 * runCase). Checked on load because the report prints it inside a shell command (quoted too).
 */
export const REPLAY = /^[^\x00-\x1f\x7f]{1,300}@-?\d{1,10}:[\d:]{0,5000}$/;
export const replay = str({
  max: 6000,
  pattern: REPLAY,
  what: "a replay line '<case id>@<seed>:<path>' as a failure prints it (no control characters)",
});

export const dtype = oneOf('float64', 'float32');
export type Dtype = Infer<typeof dtype>;

export const caseResultShape = {
  /** Stable, unique name: 'B1 adam float64'. */
  id: name(),
  lawId: name(),
  /** Optimizer name, or a standalone law's subject ('objectives'). */
  subject: name(),
  dtype: optional(dtype),
  /** 'not run': the case applies but could not run (see `reason`); never a failure. */
  status: oneOf('pass', 'fail', 'not run'),
  /** With 'not run': why ('no reference supplied'). */
  reason: optional(str({ max: 10_000 })),
  runs: num({ int: true, min: 0 }),
  seed: num({ int: true }),
  ms: num({ min: 0 }),
  /** On failure: the shrunk counterexample (rendered), fast-check's path, the error and the replay line. */
  counterexample: optional(str()),
  path: optional(str({ max: 5000, pattern: /^[\d:]*$/, what: "a fast-check path such as '0:1:3'" })),
  error: optional(str()),
  replay: optional(replay),
  /** The command that replays the failure where the default ones do not (an optimizer from --module). */
  replayCommand: optional(
    str({ max: 20_000, pattern: /^[^\x00-\x1f\x7f]*$/, what: 'a one-line command (no control characters)' }),
  ),
};
export const caseResult = obj(caseResultShape);
/** One law case's result. */
export type CaseResult = Infer<typeof caseResult>;

/** Where an optimizer from outside came from: `--module`'s path, the SHA-256 of its files and what it gave. */
export const moduleProvenance = obj({
  path: str({ max: 10_000 }),
  sha256: str({ pattern: /^[0-9a-f]{64}$/, what: 'a SHA-256 in hex (64 characters)' }),
  /** How many files the hash covers (the module and the relative files it imports). */
  files: num({ int: true, min: 1 }),
  optimizers: arr(name(), { max: 1000 }),
  references: optional(arr(name(), { max: 1000 })),
});
export type ModuleProvenance = Infer<typeof moduleProvenance>;

/** Where a document came from: optimlab's own version (never the host package's) and the --module files. */
export const provenance = obj({
  optimlab: nullable(str({ max: 100 })),
  modules: arr(moduleProvenance, { max: 1000 }),
});
export type Provenance = Infer<typeof provenance>;

/** 'n/a': the law does not apply (its traits do not select the optimizer); 'not run': it applies but could not run (no reference supplied). */
export const cell = oneOf('pass', 'fail', 'n/a', 'not run');
export type Cell = Infer<typeof cell>;

export const verifyDoc = obj({
  schema: oneOf(VERIFY_SCHEMA),
  createdAt: str({ max: 100 }),
  /** optimlab's version and the --module files; absent in documents written before it was recorded. */
  provenance: optional(provenance),
  seed: num({ int: true }),
  /** Runs per case when overridden (--runs); null: each law's own default. */
  runs: nullable(num({ int: true, min: 1 })),
  laws: arr(obj({ id: name(), title: str({ max: 2000 }) }), { max: 10_000 }),
  /** Table columns: optimizer names, then standalone subjects (objectives, training). */
  subjects: arr(name(), { max: 10_000 }),
  cases: arr(caseResult, { max: 100_000 }),
  /** law ID → subject → cell ('fail' if any dtype failed). */
  table: record(record(cell, { maxKeys: 10_000 }), { maxKeys: 10_000 }),
  /** notRun: absent in documents written before cases could be 'not run'. */
  summary: obj({
    cases: num({ int: true, min: 0 }),
    passed: num({ int: true, min: 0 }),
    failed: num({ int: true, min: 0 }),
    notRun: optional(num({ int: true, min: 0 })),
    ms: num({ min: 0 }),
  }),
  /** Why a law did not run for a subject: law ID → subject → reason (cells 'not run'); absent in older documents. */
  notRun: optional(record(record(str({ max: 10_000 }), { maxKeys: 10_000 }), { maxKeys: 10_000 })),
  /** Why a law does not apply to an optimizer: law ID → optimizer → 'needs traits.…' or 'opted out: …' (cells 'n/a'); absent in older documents. */
  notApplicable: optional(record(record(str({ max: 10_000 }), { maxKeys: 10_000 }), { maxKeys: 10_000 })),
});
/** The whole document. */
export type VerifyDoc = Infer<typeof verifyDoc>;
