/**
 * The name of the law suite's describe block under vitest, in one place: properties/vitest.ts
 * writes it, and the report (src/report/load.ts) recognises the law cases of a vitest JSON report
 * by it. No imports, so the report can read it without loading the laws.
 */

/**
 * The describe title of part `part` of `parts` (properties/laws.<part>.test.ts); under another
 * engine than JS (properties/laws.wasm.<part>.test.ts), with ' on the wasm engine' after it.
 */
export function lawSuiteTitle(part: number, parts: number, engine = 'js'): string {
  return `laws (part ${part} of ${parts})${engine === 'js' ? '' : ` on the ${engine} engine`}`;
}

/**
 * True for a title lawSuiteTitle makes for the JS engine (and 'laws', the title before the suite was
 * split). The suite under the wasm engine runs the same cases (docs/wasm.md): the report's law table
 * is the JS engine's.
 */
export function isLawSuiteTitle(title: string | undefined): boolean {
  return title !== undefined && /^laws(?: \(part \d+ of \d+\))?$/.test(title);
}
