/**
 * The laws' JUnit XML (`optimlab verify --junit`): one test case per law case, failures with their
 * counterexample and replay line, cases that could not run as skipped, well-formed XML whatever
 * the messages hold.
 */
import { describe, expect, it } from 'vitest';
import type { CaseResult } from '../properties/framework.js';
import { escapeXml, junitXml } from '../properties/junit.js';
import type { VerifyReport } from '../properties/suite.js';

/** Well-formed enough for a CI reader: every tag closed in order, attributes quoted, no raw '<' or '&'. */
function wellFormed(xml: string): boolean {
  const body = xml.replace(/^<\?xml[^>]*\?>\n/, '');
  if (/&(?!(amp|lt|gt|quot|apos);)/.test(body)) return false;
  const stack: string[] = [];
  for (const m of body.matchAll(/<(\/?)([\w:.-]+)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|</g)) {
    if (m[2] === undefined) return false; // a '<' that starts no tag
    if (m[1]) {
      if (stack.pop() !== m[2]) return false;
    } else if (!m[4]) stack.push(m[2]);
  }
  return stack.length === 0;
}

const EVIL = '<script>&"quote"\'s\u0001</script>';
const base = { runs: 50, seed: 7, ms: 12 };
const cases: CaseResult[] = [
  { id: 'B1 sgd float64', lawId: 'B1', subject: 'sgd', dtype: 'float64', status: 'pass', ...base },
  {
    id: `G3 ${EVIL} float32`,
    lawId: 'G3',
    subject: EVIL,
    dtype: 'float32',
    status: 'fail',
    ...base,
    counterexample: `[${EVIL}]`,
    path: '0:1',
    error: `expected 1, got ${EVIL}\nsecond line`,
    replay: `G3 x float32@7:0:1`,
  },
  {
    id: 'B1 lion float64',
    lawId: 'B1',
    subject: 'lion',
    dtype: 'float64',
    status: 'not run',
    reason: 'no reference supplied',
    ...base,
  },
];
const report = {
  schema: 'optimlab.verify/1',
  createdAt: '2026-01-01T00:00:00.000Z',
  seed: 7,
  runs: null,
  laws: [],
  subjects: [],
  cases,
  table: {},
  summary: { cases: 3, passed: 1, failed: 1, notRun: 1, ms: 36 },
  notRun: {},
  notApplicable: {},
} as VerifyReport;

describe('JUnit XML of the laws', () => {
  const xml = junitXml(report);

  it('counts the cases, failures and skipped ones, and is well-formed with hostile messages', () => {
    expect(wellFormed(xml)).toBe(true);
    // (the checker itself refuses what a CI reader would)
    expect([
      wellFormed('<a><b></a></b>'),
      wellFormed('<a>x & y</a>'),
      wellFormed('<a>1 < 2</a>'),
      wellFormed('<a x=1/>'),
    ]).toEqual([false, false, false, false]);
    expect(xml).toContain(
      '<testsuites name="optimlab laws" tests="3" failures="1" errors="0" skipped="1" time="0.036">',
    );
    expect(xml.match(/<testcase /g)).toHaveLength(3);
    expect(xml).not.toContain('<script>');
    expect(xml).not.toMatch(/\u0001/);
  });

  it('a failure carries its first error line as the message, the counterexample and both replay lines as its text', () => {
    const failure = /<failure message="([^"]*)" type="LawViolation">([^<]*)<\/failure>/.exec(xml)!;
    expect(failure[1]).toBe(escapeXml(`expected 1, got ${EVIL}`));
    expect(failure[2]).toContain(escapeXml(`counterexample (shrunk): [${EVIL}]`));
    expect(failure[2]).toContain(escapeXml("replay: OPTIMLAB_REPLAY='G3 x float32@7:0:1' npx vitest run properties"));
    expect(failure[2]).toContain(escapeXml("or: npx optimlab verify --replay 'G3 x float32@7:0:1'"));
  });

  it('passes are empty test cases in the class of their law; a case that could not run is skipped with its reason', () => {
    expect(xml).toContain('<testcase classname="laws.B1" name="B1 sgd float64" time="0.012"/>');
    expect(xml).toMatch(
      /<testcase classname="laws.B1" name="B1 lion float64" time="0.012">\n\s*<skipped message="not run: no reference supplied"\/>/,
    );
  });
});
