/**
 * The law suite's results as JUnit XML, the format CI systems read (GitHub Actions reporters,
 * GitLab, Jenkins, Azure Pipelines): `optimlab verify --junit PATH`. One <testcase> per law case,
 * named by its stable id ('B1 adam float64') in the class of its law ('laws.B1'); a failure
 * carries the shrunk counterexample and the line that replays it; a case that could not run is
 * <skipped> with its reason. Laws that do not apply to an optimizer are not cases and do not appear.
 * (Under vitest, `--reporter=junit` gives the same cases from the law test files.)
 */
import { formatFailure, type CaseResult } from './framework.js';
import type { VerifyReport } from './suite.js';

/** Text for XML content and attribute values (and no characters XML 1.0 forbids). */
export function escapeXml(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

const secs = (ms: number): string => (ms / 1000).toFixed(3);

function testcase(c: CaseResult): string {
  const head = `    <testcase classname="laws.${escapeXml(c.lawId)}" name="${escapeXml(c.id)}" time="${secs(c.ms)}"`;
  if (c.status === 'pass') return `${head}/>`;
  if (c.status === 'not run')
    return `${head}>\n      <skipped message="${escapeXml(`not run: ${c.reason ?? 'no reason recorded'}`)}"/>\n    </testcase>`;
  const message = (c.error ?? 'law failed').split('\n')[0]!;
  return `${head}>\n      <failure message="${escapeXml(message)}" type="LawViolation">${escapeXml(formatFailure(c))}</failure>\n    </testcase>`;
}

export function junitXml(r: VerifyReport): string {
  const failed = r.cases.filter((c) => c.status === 'fail').length;
  const skipped = r.cases.filter((c) => c.status === 'not run').length;
  const ms = r.cases.reduce((s, c) => s + c.ms, 0);
  const counts = `tests="${r.cases.length}" failures="${failed}" errors="0" skipped="${skipped}" time="${secs(ms)}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="optimlab laws" ${counts}>`,
    `  <testsuite name="laws" ${counts} timestamp="${escapeXml(r.createdAt)}">`,
    '    <properties>',
    `      <property name="seed" value="${r.seed}"/>`,
    `      <property name="runs" value="${r.runs ?? "each law's default"}"/>`,
    '    </properties>',
    ...r.cases.map(testcase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
