/**
 * The one schema module (src/schema): every document optimlab writes fits the schema its readers
 * check, and a document with the right tag but wrong insides is refused with the file and the
 * field named (issue 12, D9), before any work, at a size the report can draw (D10).
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runConvergence } from '../benchmarks/convergence.js';
import { runAccuracy } from '../properties/accuracy.js';
import { runSuite } from '../properties/suite.js';
import { main } from '../src/cli.js';
import { fromDocument, mergeResults, renderReport } from '../src/report/index.js';
import { SchemaError, accuracyDoc, convergenceDoc, resultsDoc, validate, verifyDoc } from '../src/schema/index.js';
import { captureConsole, tempDirs } from './cli-helpers.js';

const tmp = tempDirs('optimlab-schema-');
const io = captureConsole();

const roundTrip = (x: unknown): unknown => JSON.parse(JSON.stringify(x));

/** Small documents from the real producers. */
const verify = runSuite({ laws: ['B1', 'G3'], subjects: ['sgd', 'adam'], runs: 3 });
const accuracy = runAccuracy({ optimizers: ['sgd'], cases: 3 });
const convergence = runConvergence({ optimizers: ['sgd', 'adam'], steps: 20 });

describe('what optimlab writes fits the schema its readers check', () => {
  it('verify, accuracy and convergence documents from the producers, and the merged results.json of a report', async () => {
    expect(validate(verifyDoc, roundTrip(verify), 'verify.json').cases.length).toBe(verify.cases.length);
    expect(validate(accuracyDoc, roundTrip(accuracy), 'accuracy.json').rows.length).toBe(2);
    expect(validate(convergenceDoc, roundTrip(convergence), 'convergence.json').objectives.length).toBe(
      convergence.objectives.length,
    );
    // a report's results.json as written (charts of convergence runs take seconds to draw: checked without)
    const text = (await renderReport(mergeResults([fromDocument(verify), fromDocument(accuracy)]))).files.get(
      'results.json',
    )!;
    expect(validate(resultsDoc, JSON.parse(text), 'results.json').sources).toHaveLength(2);
    const all = mergeResults([fromDocument(verify), fromDocument(accuracy), fromDocument(convergence)]);
    expect(validate(resultsDoc, roundTrip(all), 'results.json').sources).toHaveLength(3);
  });
});

/** Writes `doc` as a file and runs `optimlab report --merge FILE`; returns the exit code and stderr. */
async function merge(
  doc: unknown,
  name = 'bad.json',
): Promise<{ code: number; err: string; file: string; dir: string }> {
  const dir = tmp();
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(doc));
  const code = await main(['report', '--merge', file, '--out', join(dir, 'out')]);
  return { code, err: io.err.join('\n'), file, dir };
}

const results = (): Record<string, unknown> =>
  roundTrip(mergeResults([fromDocument(verify), fromDocument(accuracy)])) as Record<string, unknown>;

describe('a document with the right tag but wrong insides is refused, naming the file and the field (D9)', () => {
  it("results.json whose verify.laws is a number ('doc.verify.laws is not iterable' before)", async () => {
    const d = results();
    (d.verify as Record<string, unknown>).laws = 5;
    const r = await merge(d);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `optimlab report: ${r.file}: field 'verify.laws' is 5 (a number); expected an array of at most 10000 items, each an object`,
    );
    expect(readdirSync(r.dir)).toEqual(['bad.json']);
  });

  it("a law title that is a number ('s.replace is not a function' before)", async () => {
    const d = roundTrip(verify) as { laws: { title: unknown }[] };
    d.laws[0]!.title = 42;
    const r = await merge(d);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `optimlab report: ${r.file}: field 'laws[0].title' is 42 (a number); expected a string of at most 2000 characters`,
    );
  });

  it("an accuracy document whose rows hold null ('Cannot read properties of undefined' before)", async () => {
    const d = roundTrip(accuracy) as { rows: unknown[] };
    d.rows.push(null);
    const r = await merge(d);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `${r.file}: field 'rows[2]' is null; expected an object with fields optimizer, dtype, cases, worstK`,
    );
  });

  it('a merged case without id, law or subject is refused, not drawn', async () => {
    const d = results();
    const cases = (d.verify as { cases: Record<string, unknown>[] }).cases;
    delete cases[1]!.id;
    const r = await merge(d);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `optimlab report: ${r.file}: field 'verify.cases[1].id' is missing; expected a one-line string of at most 200 characters`,
    );
    delete cases[1]!.lawId;
    cases[1]!.id = 'x';
    expect((await merge(d)).err).toContain("field 'verify.cases[1].lawId' is missing");
  });

  it('a case whose source names no source of the document', async () => {
    const d = results();
    (d.verify as { cases: Record<string, unknown>[] }).cases[0]!.source = 's9';
    const r = await merge(d);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `${r.file}: field 'verify.cases[0].source' is "s9"; expected the id of one of the sources (s1, s2)`,
    );
  });

  it('the value is shown with its type where the text alone would mislead', () => {
    const d = roundTrip(verify) as { seed: unknown };
    d.seed = '3';
    expect(() => validate(verifyDoc, d, 'v.json')).toThrow(SchemaError);
    expect(() => validate(verifyDoc, d, 'v.json')).toThrow(
      `v.json: field 'seed' is "3" (a string); expected an integer`,
    );
  });
});

describe('sizes from input are bounded (D10)', () => {
  it('a convergence grid of 20000 × 20000 is refused at once, naming the field and the limit', async () => {
    const d = roundTrip(convergence) as { trajectories: { grid: { nx: number; ny: number } }[] };
    d.trajectories[0]!.grid.nx = 20000;
    d.trajectories[0]!.grid.ny = 20000;
    const r = await merge(d); // before: minutes of contour computation
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `optimlab report: ${r.file}: field 'trajectories[0].grid.nx' is 20000 (a number); expected an integer from 2 to 250`,
    );
    expect(readdirSync(r.dir)).toEqual(['bad.json']);
  });

  it("a grid whose values do not fill it, or of zero width, is refused (a zero-width chart printed vega's stack before)", async () => {
    const d = roundTrip(convergence) as { trajectories: { grid: { x0: number; x1: number; values: number[] } }[] };
    const g = d.trajectories[0]!.grid;
    const n = g.values.length;
    g.values.pop();
    expect((await merge(d)).err).toContain(
      `field 'trajectories[0].grid.values' is an array of ${n - 1}; expected nx × ny =`,
    );
    g.values.push(0);
    g.x1 = g.x0;
    expect((await merge(d)).err).toContain(
      `field 'trajectories[0].grid.x1' is ${g.x0} with x0 = ${g.x0}; expected x1 > x0 (a rectangle of positive width)`,
    );
  });
});
