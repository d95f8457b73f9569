/**
 * `optimlab list --profile <name>` (profileText, src/optimizers/conventions-doc.ts) is the committed
 * docs/conventions.md read per framework: for every optimizer, what the framework lacks and why, or
 * each of its apis with its formula, the defaults and conventions in force (the page's cells, which
 * test/conventions-doc.test.ts holds to the generated page), its notes and its source. The expected
 * text is built here from the page and the profiles' data, line by line, not from profileText.
 *
 * Also the errors of getProfile and profileApi, which name what was asked and what exists.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getProfile, profileApi, profileNames, profiles } from '../src/optimizers/conventions.js';
import { profileText } from '../src/optimizers/conventions-doc.js';
import { registry } from '../src/optimizers/registry.js';

/** The page's rows per optimizer: its "Optimizer × framework" tables, cells unescaped. */
function pageRows(): Map<string, string[][]> {
  const page = readFileSync(new URL('../docs/conventions.md', import.meta.url), 'utf8');
  const rows = new Map<string, string[][]>();
  let current: string | undefined;
  for (const line of page.split('\n')) {
    const h = /^### (\S+)$/.exec(line);
    if (h) current = h[1];
    else if (current && line.startsWith('| ') && !line.startsWith('| framework') && !line.startsWith('|---'))
      rows.set(current, [
        ...(rows.get(current) ?? []),
        line
          .slice(2, -2)
          .split(/ \| /)
          .map((c) => c.replace(/\\\|/g, '|')),
      ]);
  }
  return rows;
}

describe('list --profile: the conventions page, per framework', () => {
  const rows = pageRows();
  for (const name of profileNames) {
    it(name, () => {
      const p = profiles[name];
      const want = [`${p.title}, profile '${p.name}' (read from version ${p.version})`, ''];
      for (const e of registry) {
        const mine = rows.get(e.name)!.filter((r) => r[0] === p.title);
        expect(mine.length, `${e.name}: rows for ${p.title} on the page`).toBeGreaterThan(0);
        if (mine[0]![1] === '—') {
          want.push(`${e.name}  — not in ${p.title}: ${mine[0]![2]}`, '');
          continue;
        }
        for (const r of mine) {
          const api = r[1]!.slice(1, -1);
          const a = p.apis.find((x) => x.api === api)!;
          want.push(
            p.primary[e.name] === api
              ? `${e.name}  ← ${api}`
              : `${e.name}  ← ${api}  (createOptimizer('${e.name}', hyper, { profile: '${p.name}', api: '${api}' }))`,
            ...a.formula.map((f) => `    ${f}`),
            `    defaults: ${r[3]}`,
            `    conventions: ${r[4]}`,
            ...(a.notes ?? []).map((n) => `    note: ${n}`),
            `    source: ${a.cite}`,
            '',
          );
        }
      }
      expect(profileText(p).split('\n')).toEqual(want);
    });
  }
});

describe('profiles by name', () => {
  it('getProfile names what is allowed; profileApi names what the profile has', () => {
    for (const bad of ['jax', 3, undefined, 'toString'])
      expect(() => getProfile(bad), String(bad)).toThrow(
        `profile = ${JSON.stringify(bad)}; allowed: 'pytorch', 'keras', 'tfjs', 'optax'`,
      );
    expect(getProfile('keras')).toBe(profiles.keras);
    expect(profileApi('pytorch', 'AdamW').api).toBe('AdamW');
    expect(profileApi(profiles.pytorch, 'adam')).toBe(profileApi('pytorch', 'adam'));
    const p = profiles.pytorch;
    expect(() => profileApi('pytorch', 'lion')).toThrow(
      `profile 'pytorch' has no optimizer or api "lion"; it has optimizers ${Object.keys(p.primary).join(', ')} and apis ${p.apis.map((a) => a.api).join('; ')}`,
    );
  });
});
