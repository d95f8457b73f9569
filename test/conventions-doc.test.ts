/** docs/conventions.md is generated (optimlab list --markdown) and `list --profile` prints each profile. */
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli.js';
import { conventionsMarkdown } from '../src/optimizers/conventions-doc.js';

describe('conventions page', () => {
  it('the committed docs/conventions.md equals the generated one (regenerate: optimlab list --markdown > docs/conventions.md)', () => {
    const committed = readFileSync(new URL('../docs/conventions.md', import.meta.url), 'utf8');
    expect(committed.trimEnd()).toBe(conventionsMarkdown().trimEnd());
  });
  it('list --profile prints formulas, defaults and what the profile lacks; a bad profile is a clear error', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(await main(['list', '--profile', 'tfjs'])).toBe(0);
      const text = log.mock.calls.map((c) => String(c[0])).join('\n');
      expect(text).toContain('nadam  — not in TensorFlow.js');
      expect(text).toContain('lr=(required)');
      expect(await main(['list', '--profile', 'pytorch'])).toBe(0);
      expect(log.mock.calls.map((c) => String(c[0])).join('\n')).toContain("api: 'AdamW'");
      expect(await main(['list', '--profile', 'jax'])).toBe(2);
      expect(err.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(
        /profile = "jax"; allowed: 'pytorch', 'keras', 'tfjs', 'optax'/,
      );
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
  });
});
