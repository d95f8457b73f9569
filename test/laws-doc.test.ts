/** docs/laws.md is generated from the law data, and the data is complete: every law states its tolerance. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allLaws } from '../properties/laws/index.js';
import { catalogue, lawsMarkdown } from '../properties/laws-doc.js';

describe('the law catalogue page', () => {
  it('every law of the catalogue states its tolerance and reason', () => {
    const missing = catalogue(allLaws)
      .filter(({ law }) => !law.tolerance?.trim())
      .map(({ law }) => law.id);
    expect(missing, `add \`tolerance: '…'\` (the tolerance and why) to law(s) ${missing.join(', ')}`).toEqual([]);
  });
  it('the committed docs/laws.md equals the generated one (regenerate: optimlab list --laws --markdown > docs/laws.md)', () => {
    const committed = readFileSync(new URL('../docs/laws.md', import.meta.url), 'utf8');
    expect(committed.trimEnd()).toBe(lawsMarkdown().trimEnd());
  });
});
