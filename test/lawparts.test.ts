/** The law-suite parts together hold every case exactly once (properties/vitest.ts). */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cases } from '../properties/framework.js';
import { allLaws } from '../properties/laws/index.js';
import { PARTS } from '../properties/vitest.js';

describe('law suite parts', () => {
  it('has one test file per part', () => {
    const files = readdirSync(new URL('../properties/', import.meta.url))
      .filter((f) => /^laws\.\d+\.test\.ts$/.test(f))
      .sort();
    expect(files).toEqual(Array.from({ length: PARTS }, (_, i) => `laws.${i + 1}.test.ts`));
  });
  it('gives every case a unique id (test names are the ids)', () => {
    const ids = cases(allLaws).map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
