/**
 * Reading results: each input document (verify, vitest JSON reporter output of the law suite,
 * accuracy, bench, convergence, or an earlier report's results.json) becomes a ResultsDoc with
 * one source per producer, so any mix of them can be merged.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { isLawSuiteTitle } from '../../properties/vitest-title.js';
import type { AccuracyDoc, BenchDoc, CaseResult, ConvergenceDoc, Environment, ResultsDoc, Source, SourceKind, VerifyDoc } from './types.js';

export const RESULTS_SCHEMA = 'optimlab.results/1' as const;

export function emptyResults(): ResultsDoc {
  return { schema: RESULTS_SCHEMA, createdAt: new Date().toISOString(), sources: [], verify: null, accuracy: null, bench: null, convergence: null };
}

export interface SourceInfo {
  /** The file name shown in the report (default: 'in-process'). */
  file?: string;
  label?: string;
  /** The machine the producer ran on, when the document does not record it. */
  environment?: Environment | null;
}

function fail(file: string, what: string): never {
  throw new TypeError(`${file}: ${what}`);
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function need<T>(file: string, doc: Record<string, unknown>, key: string, check: (v: unknown) => boolean, what: string): T {
  if (!check(doc[key])) fail(file, `field '${key}' is ${JSON.stringify(doc[key])?.slice(0, 60) ?? 'missing'}; expected ${what}`);
  return doc[key] as T;
}

const isArr = (v: unknown): boolean => Array.isArray(v);
const isStr = (v: unknown): boolean => typeof v === 'string';
const isNum = (v: unknown): boolean => typeof v === 'number';

function source(kind: SourceKind, info: SourceInfo, rest: Partial<Source>): Source {
  const file = info.file ?? 'in-process';
  return {
    id: 's1', kind, file, label: info.label ?? basename(file),
    createdAt: rest.createdAt ?? null, seed: rest.seed ?? null, settings: rest.settings ?? {},
    environment: rest.environment ?? info.environment ?? null,
  };
}

/** What kind of document `doc` is, or null. */
export function detectKind(doc: unknown): SourceKind | 'results' | null {
  if (!isObj(doc)) return null;
  if (doc.schema === RESULTS_SCHEMA) return 'results';
  if (doc.schema === 'optimlab.verify/1') return 'verify';
  if (doc.schema === 'optimlab.accuracy/1') return 'accuracy';
  if (doc.schema === 'optimlab.convergence/1') return 'convergence';
  if (doc.format === 'optimlab.bench') return 'bench';
  if (Array.isArray(doc.testResults) && typeof doc.numTotalTests === 'number') return 'vitest';
  return null;
}

/** Converts one parsed document into a ResultsDoc (source id 's1'). */
export function fromDocument(doc: unknown, info: SourceInfo = {}): ResultsDoc {
  const file = info.file ?? 'in-process';
  const kind = detectKind(doc);
  const out = emptyResults();
  if (kind === null) {
    const tag = isObj(doc) ? (doc.schema ?? doc.format) : undefined;
    fail(file, `not a results document I know (schema/format ${JSON.stringify(tag)}); expected optimlab.verify/1, optimlab.accuracy/1, optimlab.bench, optimlab.convergence/1, ${RESULTS_SCHEMA} or a vitest JSON report`);
  }
  const d = doc as Record<string, unknown>;
  switch (kind) {
    case 'results': {
      need(file, d, 'sources', isArr, 'an array');
      return d as unknown as ResultsDoc;
    }
    case 'verify': {
      const v = d as unknown as VerifyDoc;
      need(file, d, 'laws', isArr, 'an array of {id, title}');
      need(file, d, 'subjects', isArr, 'an array of names');
      need(file, d, 'cases', isArr, 'an array of case results');
      need(file, d, 'table', isObj, 'law → subject → cell');
      const notApplicable: [string, string][] = [];
      for (const [law, row] of Object.entries(v.table)) for (const [s, c] of Object.entries(row)) if (c === 'n/a') notApplicable.push([law, s]);
      out.sources.push(source('verify', info, { createdAt: v.createdAt ?? null, seed: v.seed ?? null, settings: { runs: v.runs ?? 'each law\'s default', cases: v.cases.length, ms: v.summary?.ms } }));
      out.verify = { laws: v.laws.map((l) => ({ id: String(l.id), title: String(l.title ?? '') })), subjects: v.subjects.map(String), cases: v.cases.map((c) => checkCase(file, c)), notApplicable };
      return out;
    }
    case 'vitest': {
      const cases: (CaseResult & { source: string })[] = [];
      for (const f of d.testResults as Record<string, unknown>[]) {
        for (const a of (f.assertionResults ?? []) as Record<string, unknown>[]) {
          const anc = (a.ancestorTitles ?? []) as string[];
          if (!isLawSuiteTitle(anc[0]) || (a.status !== 'passed' && a.status !== 'failed')) continue;
          cases.push(caseFromTitle(String(a.title), a.status === 'passed' ? 'pass' : 'fail', ((a.failureMessages ?? []) as string[]).join('\n')));
        }
      }
      const laws = [...new Set(cases.map((c) => c.lawId))].map((id) => ({ id, title: '' }));
      const subjects = [...new Set(cases.map((c) => c.subject))];
      out.sources.push(source('vitest', info, { createdAt: typeof d.startTime === 'number' ? new Date(d.startTime).toISOString() : null, settings: { tests: cases.length } }));
      out.verify = { laws, subjects, cases, notApplicable: [] };
      return out;
    }
    case 'accuracy': {
      const a = d as unknown as AccuracyDoc;
      need(file, d, 'rows', isArr, 'an array of accuracy rows');
      for (const r of a.rows) {
        if (!isObj(r) || !isStr(r.optimizer) || !isNum(r.worstK) || !isNum(r.bound)) fail(file, `an accuracy row lacks optimizer / worstK / bound: ${JSON.stringify(r).slice(0, 80)}`);
      }
      out.sources.push(source('accuracy', info, { seed: a.seed ?? null, settings: { casesPerOptimizerAndDtype: a.cases } }));
      out.accuracy = { rows: a.rows.map((r) => ({ ...r, source: 's1' })) };
      return out;
    }
    case 'bench': {
      const b = d as unknown as BenchDoc;
      need(file, d, 'tasks', isArr, 'an array of tasks');
      for (const t of b.tasks) {
        if (!isObj(t) || !isStr(t.id) || !isStr(t.name) || !isNum(t.n)) fail(file, `a bench task lacks id / name / n: ${JSON.stringify(t).slice(0, 80)}`);
      }
      out.sources.push(source('bench', info, {
        createdAt: b.environment?.date ?? null, seed: (b.settings?.seed as string | undefined) ?? null,
        settings: { ...b.settings, ...(b.version !== undefined ? { schemaVersion: b.version } : {}) }, environment: b.environment ?? null,
      }));
      out.bench = { tasks: b.tasks.map((t) => ({ ...t, source: 's1' })), skipped: (b.skipped ?? []).map((s) => ({ ...s, source: 's1' })) };
      return out;
    }
    case 'convergence': {
      const c = d as unknown as ConvergenceDoc;
      need(file, d, 'objectives', isArr, 'an array');
      need(file, d, 'trajectories', isArr, 'an array');
      out.sources.push(source('convergence', info, { createdAt: c.createdAt ?? null, seed: c.seed ?? null, settings: { ...c.settings } }));
      out.convergence = { ...c, source: 's1' };
      return out;
    }
  }
}

function checkCase(file: string, c: unknown): CaseResult & { source: string } {
  if (!isObj(c) || !isStr(c.id) || !isStr(c.lawId) || !isStr(c.subject) || (c.status !== 'pass' && c.status !== 'fail' && c.status !== 'not run')) {
    fail(file, `a case lacks id / lawId / subject / status: ${JSON.stringify(c).slice(0, 80)}`);
  }
  return { ...(c as unknown as CaseResult), source: 's1' };
}

/** A law case from its vitest title ('G3 adam float64', 'A1 objectives') and failure message. */
function caseFromTitle(title: string, status: 'pass' | 'fail', message: string): CaseResult & { source: string } {
  const parts = title.split(' ');
  const dtype = parts.length >= 3 && (parts[parts.length - 1] === 'float64' || parts[parts.length - 1] === 'float32') ? parts.pop() as 'float64' | 'float32' : undefined;
  const lawId = parts.shift() ?? title;
  const c: CaseResult & { source: string } = { id: title, lawId, subject: parts.join(' '), status, source: 's1', ...(dtype ? { dtype } : {}) };
  if (status === 'fail') {
    const grab = (re: RegExp): string | undefined => re.exec(message)?.[1]?.trim();
    const counterexample = grab(/counterexample \(shrunk\): (.*)/);
    const error = grab(/\n\s*error: (.*)/) ?? message.split('\n')[0];
    const seed = grab(/seed (-?\d+), path/);
    const path = grab(/seed -?\d+, path (\S*)/);
    const replay = grab(/OPTIMLAB_REPLAY='([^']*)'/);
    Object.assign(c, counterexample !== undefined ? { counterexample } : {}, error !== undefined ? { error } : {}, seed !== undefined ? { seed: Number(seed) } : {}, path !== undefined ? { path } : {}, replay !== undefined ? { replay } : {});
  }
  return c;
}

/** Reads and converts a results file. */
export function loadResults(path: string, info: Omit<SourceInfo, 'file'> = {}): ResultsDoc {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new RangeError(`cannot read ${path}: ${(e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new TypeError(`${path}: not JSON (${(e as Error).message})`);
  }
  return fromDocument(doc, { ...info, file: path });
}
