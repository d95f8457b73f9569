/**
 * Reading results: each input document (verify, vitest JSON reporter output of the law suite,
 * accuracy, bench, convergence, or an earlier report's results.json) is checked field by field
 * against its schema (src/schema: an error names the file and the field) and becomes a ResultsDoc
 * with one source per producer, so any mix of them can be merged.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { isLawSuiteTitle } from '../../properties/vitest-title.js';
import {
  REPLAY,
  RESULTS_SCHEMA,
  SchemaError,
  accuracyDoc,
  benchResults,
  convergenceDoc,
  resultsDoc,
  tfjsDoc,
  validate,
  verifyDoc,
  vitestReport,
  type ACCURACY_SCHEMA,
  type CONVERGENCE_SCHEMA,
  type RESULTS_FORMAT,
  type TFJS_SCHEMA,
  type VERIFY_SCHEMA,
} from '../schema/index.js';
import { UserError, fsError } from '../util/errors.js';
import type { CaseResult, Environment, ResultsDoc, Source, SourceKind } from './types.js';

export { RESULTS_SCHEMA };

/** Largest results file read (a report's results.json of a full run is about 3 MB). */
export const MAX_FILE_BYTES = 256 * 2 ** 20;

export function emptyResults(): ResultsDoc {
  return {
    schema: RESULTS_SCHEMA,
    createdAt: new Date().toISOString(),
    sources: [],
    verify: null,
    accuracy: null,
    bench: null,
    convergence: null,
  };
}

export interface SourceInfo {
  /** The file name shown in the report (default: 'in-process'). */
  file?: string;
  label?: string;
  /** The machine the producer ran on, when the document does not record it. */
  environment?: Environment | null;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function source(kind: SourceKind, info: SourceInfo, rest: Partial<Source>): Source {
  const file = info.file ?? 'in-process';
  return {
    id: 's1',
    kind,
    file,
    label: info.label ?? basename(file),
    createdAt: rest.createdAt ?? null,
    seed: rest.seed ?? null,
    settings: rest.settings ?? {},
    environment: rest.environment ?? info.environment ?? null,
    ...(rest.provenance ? { provenance: rest.provenance } : {}),
  };
}

const TAGS: Record<
  | typeof VERIFY_SCHEMA
  | typeof ACCURACY_SCHEMA
  | typeof CONVERGENCE_SCHEMA
  | typeof TFJS_SCHEMA
  | typeof RESULTS_SCHEMA,
  SourceKind | 'results'
> = {
  'optimlab.results/1': 'results',
  'optimlab.verify/1': 'verify',
  'optimlab.accuracy/1': 'accuracy',
  'optimlab.convergence/1': 'convergence',
  'optimlab.tfjs/1': 'tfjs',
};
const BENCH: typeof RESULTS_FORMAT = 'optimlab.bench';

/** What kind of document `doc` is, or null. */
export function detectKind(doc: unknown): SourceKind | 'results' | null {
  if (!isObj(doc)) return null;
  if (typeof doc.schema === 'string' && Object.prototype.hasOwnProperty.call(TAGS, doc.schema))
    return TAGS[doc.schema as keyof typeof TAGS];
  if (doc.format === BENCH) return 'bench';
  if (Array.isArray(doc.testResults) && typeof doc.numTotalTests === 'number') return 'vitest';
  return null;
}

/** Converts one parsed document into a ResultsDoc (source id 's1'); a SchemaError names the file and the field that does not fit. */
export function fromDocument(doc: unknown, info: SourceInfo = {}): ResultsDoc {
  const file = info.file ?? 'in-process';
  const kind = detectKind(doc);
  const out = emptyResults();
  if (kind === null) {
    const tag = isObj(doc) ? (doc.schema ?? doc.format) : undefined;
    const err = new SchemaError(
      '',
      JSON.stringify(tag) ?? 'missing',
      `optimlab.verify/1, optimlab.accuracy/1, optimlab.bench, optimlab.convergence/1, optimlab.tfjs/1, ${RESULTS_SCHEMA} or a vitest JSON report`,
    );
    err.message = `${file}: not a results document I know (schema/format ${JSON.stringify(tag)}); expected ${err.expected}`;
    throw err;
  }
  switch (kind) {
    case 'results':
      return validate(resultsDoc, doc, file);
    case 'verify': {
      const v = validate(verifyDoc, doc, file);
      const notApplicable: [string, string][] = [];
      for (const [law, row] of Object.entries(v.table))
        for (const [s, c] of Object.entries(row)) if (c === 'n/a') notApplicable.push([law, s]);
      out.sources.push(
        source('verify', info, {
          createdAt: v.createdAt,
          seed: v.seed,
          settings: { runs: v.runs ?? "each law's default", cases: v.cases.length, ms: v.summary.ms },
          ...(v.provenance ? { provenance: v.provenance } : {}),
        }),
      );
      out.verify = {
        laws: v.laws.map((l) => ({ id: l.id, title: l.title })),
        subjects: [...v.subjects],
        cases: v.cases.map((c) => ({ ...c, source: 's1' })),
        notApplicable,
      };
      return out;
    }
    case 'vitest': {
      const d = validate(vitestReport, doc, file);
      const cases: (CaseResult & { source: string })[] = [];
      for (const f of d.testResults) {
        for (const a of f.assertionResults ?? []) {
          if (!isLawSuiteTitle(a.ancestorTitles[0]) || (a.status !== 'passed' && a.status !== 'failed')) continue;
          cases.push(
            caseFromTitle(a.title, a.status === 'passed' ? 'pass' : 'fail', (a.failureMessages ?? []).join('\n')),
          );
        }
      }
      const laws = [...new Set(cases.map((c) => c.lawId))].map((id) => ({ id, title: '' }));
      const subjects = [...new Set(cases.map((c) => c.subject))];
      out.sources.push(
        source('vitest', info, {
          createdAt:
            d.startTime !== undefined && Number.isFinite(new Date(d.startTime).getTime())
              ? new Date(d.startTime).toISOString()
              : null,
          settings: { tests: cases.length },
        }),
      );
      out.verify = { laws, subjects, cases, notApplicable: [] };
      return out;
    }
    case 'accuracy': {
      const a = validate(accuracyDoc, doc, file);
      out.sources.push(
        source('accuracy', info, {
          seed: a.seed,
          settings: { casesPerOptimizerAndDtype: a.cases },
          ...(a.provenance ? { provenance: a.provenance } : {}),
        }),
      );
      out.accuracy = { rows: a.rows.map((r) => ({ ...r, source: 's1' })) };
      return out;
    }
    case 'bench': {
      const b = validate(benchResults, doc, file);
      out.sources.push(
        source('bench', info, {
          createdAt: b.environment.date,
          seed: b.settings.seed,
          settings: { ...b.settings, schemaVersion: b.version },
          environment: b.environment,
          provenance: { optimlab: b.environment.packages.optimlab ?? null, modules: b.modules ?? [] },
        }),
      );
      out.bench = {
        tasks: b.tasks.map((t) => ({ ...t, source: 's1' })),
        skipped: b.skipped.map((s) => ({ ...s, source: 's1' })),
      };
      return out;
    }
    case 'tfjs': {
      // TensorFlow.js's optimizers: a table of their own (src/report/tfjs.ts), not columns of the built-ins'.
      const d = validate(tfjsDoc, doc, file);
      const v = d.verify;
      const notApplicable: [string, string][] = [];
      for (const [law, row] of Object.entries(v.table))
        for (const [s, c] of Object.entries(row)) if (c === 'n/a') notApplicable.push([law, s]);
      out.sources.push(
        source('tfjs', info, {
          createdAt: d.createdAt,
          seed: v.seed,
          settings: {
            tfjs: d.tfjs,
            backend: d.backend,
            runs: v.runs ?? "each law's default",
            cases: v.cases.length,
            ms: v.summary.ms,
          },
        }),
      );
      out.tfjs = {
        source: 's1',
        version: d.tfjs,
        backend: d.backend,
        laws: v.laws.map((l) => ({ id: l.id, title: l.title })),
        subjects: [...v.subjects],
        cases: v.cases.map((c) => ({ ...c, source: 's1' })),
        notApplicable,
        findings: d.findings,
        unexplained: d.unexplained,
      };
      return out;
    }
    case 'convergence': {
      const c = validate(convergenceDoc, doc, file);
      out.sources.push(
        source('convergence', info, { createdAt: c.createdAt, seed: c.seed, settings: { ...c.settings } }),
      );
      out.convergence = { ...c, source: 's1' };
      return out;
    }
  }
}

/** A law case from its vitest title ('G3 adam float64', 'A1 objectives') and failure message. */
function caseFromTitle(title: string, status: 'pass' | 'fail', message: string): CaseResult & { source: string } {
  const parts = title.split(' ');
  const dtype =
    parts.length >= 3 && (parts[parts.length - 1] === 'float64' || parts[parts.length - 1] === 'float32')
      ? (parts.pop() as 'float64' | 'float32')
      : undefined;
  const lawId = parts.shift() ?? title;
  const c: CaseResult & { source: string } = {
    id: title,
    lawId,
    subject: parts.join(' '),
    status,
    source: 's1',
    ...(dtype ? { dtype } : {}),
  };
  if (status === 'fail') {
    const grab = (re: RegExp): string | undefined => re.exec(message)?.[1]?.trim();
    const counterexample = grab(/counterexample \(shrunk\): (.*)/);
    const error = grab(/\n\s*error: (.*)/) ?? message.split('\n')[0];
    const seed = grab(/seed (-?\d{1,10}), path/);
    const path = grab(/seed -?\d+, path ([\d:]*)/);
    // Only a well-formed replay line is kept: the report prints it inside a shell command.
    const replay = grab(/OPTIMLAB_REPLAY='([^']*)'/);
    Object.assign(
      c,
      counterexample !== undefined ? { counterexample } : {},
      error !== undefined ? { error } : {},
      seed !== undefined ? { seed: Number(seed) } : {},
      path !== undefined ? { path } : {},
      replay !== undefined && REPLAY.test(replay) ? { replay } : {},
    );
  }
  return c;
}

/** Reads and converts a results file: a UserError when it cannot be read, a SchemaError naming the field that does not fit. */
export function loadResults(path: string, info: Omit<SourceInfo, 'file'> = {}): ResultsDoc {
  if (typeof path !== 'string' || path === '')
    throw new UserError(`a results file path is ${JSON.stringify(path)}; give the path of a JSON file`);
  let text: string;
  try {
    const st = statSync(path);
    if (st.isDirectory())
      throw new UserError(
        `cannot read ${path}: it is a folder; give a results JSON file (a report folder's is ${path.replace(/\/$/, '')}/results.json)`,
      );
    if (st.size > MAX_FILE_BYTES)
      throw new UserError(
        `cannot read ${path}: ${st.size} bytes; a results file may have at most ${MAX_FILE_BYTES} bytes`,
      );
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw e instanceof UserError ? e : fsError(e, 'read', path);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${path}: not JSON (${(e as Error).message})`);
  }
  return fromDocument(doc, { ...info, file: path });
}
