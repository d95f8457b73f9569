/**
 * The name of the law suite's describe block under vitest, in one place: properties/vitest.ts
 * writes it, and the report (src/report/load.ts) recognises the law cases of a vitest JSON report
 * by it. No imports, so the report can read it without loading the laws.
 */

/** The describe title of part `part` of `parts` (properties/laws.<part>.test.ts). */
export function lawSuiteTitle(part: number, parts: number): string {
  return `laws (part ${part} of ${parts})`;
}

/** True for a title lawSuiteTitle makes (and 'laws', the title before the suite was split). */
export function isLawSuiteTitle(title: string | undefined): boolean {
  return title !== undefined && /^laws(?: \(part \d+ of \d+\))?$/.test(title);
}
