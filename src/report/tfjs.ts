/**
 * The report's TensorFlow.js section: law × tf.train optimizer (pass / FAIL / n/a / not run), each
 * FAIL naming the finding that explains it and linking to its counterexample, then the findings
 * with the values measured in the same run (optimlab.tfjs/1; docs/adapters.md).
 */
import { slug } from './escape.js';
import { compareIds } from './format.js';
import { shellQuote } from '../util/shell.js';
import type { Failure, TCell, Table } from './tables.js';
import type { ResultsDoc } from './types.js';

type TfjsPart = NonNullable<ResultsDoc['tfjs']>;

const t = (text: string, kind?: TCell['kind'], extra: Partial<TCell> = {}): TCell => ({
  text,
  ...(kind ? { kind } : {}),
  ...extra,
});

/** The failing TF.js cases, numbered, with the line that replays each (verify --tfjs). */
export function tfjsFailures(r: ResultsDoc): Failure[] {
  const p = r.tfjs;
  if (!p) return [];
  const fs = p.cases
    .filter((c) => c.status === 'fail')
    .sort((a, b) => compareIds(a.lawId, b.lawId) || a.id.localeCompare(b.id));
  const label = (id: string): string => r.sources.find((s) => s.id === id)?.label ?? id;
  return fs.map((c, i) => {
    const heading = `TensorFlow.js failure ${i + 1}: ${c.id}`;
    const f = p.findings.find((x) => x.cells.includes(c.id));
    return {
      anchor: slug(heading),
      heading,
      c,
      source: label(c.source),
      replay: c.replay ? [`replay: npx optimlab verify --tfjs --replay ${shellQuote(c.replay)}`] : [],
      note: f ? `explained by ${f.id} (${f.kind}): ${f.title}` : 'NOT explained by a known finding: investigate',
    };
  });
}

function cellOf(p: TfjsPart, law: string, subject: string, fails: Failure[]): TCell {
  const cs = p.cases.filter((c) => c.lawId === law && c.subject === subject);
  if (cs.length === 0)
    return p.notApplicable.some(([l, s]) => l === law && s === subject) ? t('–', 'na') : t('·', 'notrun');
  const failed = cs.find((c) => c.status === 'fail');
  if (failed) {
    const f = fails.find((x) => x.c.id === failed.id)!;
    const finding = p.findings.find((x) => x.cells.includes(failed.id));
    return t(finding ? `FAIL ${finding.id}` : 'FAIL ?', 'fail', {
      href: `#${f.anchor}`,
      title: failed.error ?? 'failed',
    });
  }
  if (cs.every((c) => c.status === 'not run')) return t('not run', 'notrun', { title: cs[0]!.reason ?? '' });
  return t('pass', 'pass');
}

/** The two tables: law × tf.train entry, and the findings. */
export function tfjsTables(r: ResultsDoc): Table[] {
  const p = r.tfjs;
  if (!p) return [];
  const fails = tfjsFailures(r);
  const laws = [...p.laws].sort((a, b) => compareIds(a.id, b.id)).filter((l) => p.cases.some((c) => c.lawId === l.id));
  const failed = p.cases.filter((c) => c.status === 'fail').length;
  const grid: Table = {
    id: 'tfjs-laws',
    title: 'Laws × tf.train optimizers',
    note: `${p.cases.length} cases, ${p.cases.length - failed} passed, ${failed} failed. pass: held in every case run (float32); FAIL Tn: a counterexample was found, explained by finding Tn (the link leads to the counterexample and the line that replays it); –: the law does not apply (the TF.js formula lacks the trait that selects it); not run: it could not run.`,
    columns: ['law', ...p.subjects.map((s) => s.replace(/^tfjs-/, ''))],
    rows: laws.map((l) => [
      t(l.id, 'text', l.title ? { title: l.title } : {}),
      ...p.subjects.map((s) => cellOf(p, l.id, s, fails)),
    ]),
  };
  const findings: Table = {
    id: 'tfjs-findings',
    title: 'Findings',
    note: "Each measured again in this run: TF.js on the stated inputs, and the decimal reference of the tfjs profile (exact values; K in units of u32 against the bound of TF.js's own evaluation order).",
    columns: ['finding', 'kind', 'what', 'measured', 'explains'],
    rows: p.findings.map((f) => [
      t(f.id),
      t(f.kind, f.kind === 'TF.js bug' ? 'warn' : 'text'),
      t(`${f.title}. ${f.explanation}`, 'long'),
      t(
        f.example
          ? [
              `${f.example.call}; ${f.example.inputs}`,
              `TF.js: ${f.example.tfjs}`,
              `reference: ${f.example.reference}${f.example.bound !== undefined ? ` (K = ${f.example.k === null || f.example.k === undefined ? '∞' : f.example.k.toPrecision(3)}, bound ${f.example.bound})` : ''}`,
              ...(f.example.note ? [f.example.note] : []),
            ].join(' — ')
          : '(not measured)',
        'long',
      ),
      t(
        f.cells.length
          ? f.cells.map((c) => c.replace(' float32', '').replace('tfjs-', '')).join(', ')
          : /^\(.*\)$/.test(f.condition)
            ? f.condition.slice(1, -1)
            : 'no cell in this run',
        'long',
      ),
    ]),
  };
  return [grid, findings];
}

/** The section's paragraphs. */
export function tfjsText(r: ResultsDoc): { text: string[]; warnings: string[] } {
  const p = r.tfjs;
  if (!p) return { text: [], warnings: [] };
  return {
    text: [
      `TensorFlow.js ${p.version}'s own optimizers (tf.train, ${p.backend} backend, float32) under every law their traits select, against optimlab's tfjs-profile decimal reference (docs/adapters.md). Each step writes the state into TF.js's variables, calls applyGradients and reads it back. Hyperparameters are drawn as float32 values (TF.js computes with float32 scalars); the bounds count TF.js's own float32 operations; ε = 0 is a column of its own (-eps0), where TF.js divides 0 by 0.`,
    ],
    warnings: p.unexplained.length
      ? [`FAIL cells no finding explains: ${p.unexplained.join(', ')}. Investigate them before reading the table.`]
      : [],
  };
}
