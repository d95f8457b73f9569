/**
 * Shards of a mutation row (test/mutation-shards.mjs): every file in exactly one shard, a shard's
 * record counted only while its mutated files and what its tests load are as they were (comments
 * and layout aside), and the row added up from the fresh records alone.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  fingerprints,
  freshness,
  importClosure,
  mergeShards,
  parseShard,
  recordPath,
  shardsOf,
} from './mutation-shards.mjs';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

/** A scratch repository: path → text. */
function repo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'optimlab-shards-'));
  roots.push(root);
  for (const [p, text] of Object.entries(files)) write(root, p, text);
  return root;
}
function write(root: string, p: string, text: string): void {
  mkdirSync(dirname(join(root, p)), { recursive: true });
  writeFileSync(join(root, p), text);
}

describe('shards of a mutation row', () => {
  const files = ['src/x/a.ts', 'src/x/b.ts', 'src/x/c.ts'];

  it('every file of the row in exactly one shard, else an error naming the file', () => {
    expect(shardsOf({ folder: 'src/x', shards: [['b.ts', 'a.ts'], ['c.ts']] }, files)).toEqual([
      ['src/x/a.ts', 'src/x/b.ts'],
      ['src/x/c.ts'],
    ]);
    expect(shardsOf({ folder: 'src/x' }, files)).toEqual([files]);
    expect(() => shardsOf({ folder: 'src/x', shards: [['a.ts'], ['c.ts']] }, files)).toThrow('in no shard: src/x/b.ts');
    expect(() =>
      shardsOf(
        {
          folder: 'src/x',
          shards: [
            ['a.ts', 'b.ts'],
            ['b.ts', 'c.ts'],
          ],
        },
        files,
      ),
    ).toThrow('src/x/b.ts is in shards 1 and 2');
    expect(() => shardsOf({ folder: 'src/x', shards: [['a.ts', 'b.ts', 'c.ts', 'd.ts']] }, files)).toThrow(
      'not a file of the row: src/x/d.ts',
    );
  });

  it('--shard k/N names a shard of the row; next is the first not fresh', () => {
    const states = [{ state: 'fresh' }, { state: 'stale' }, { state: 'missing' }];
    expect(parseShard('2/3', 3, states)).toBe(1);
    expect(parseShard('next', 3, states)).toBe(1);
    for (const bad of ['0/3', '4/3', '1/2', '1', 'x/3'])
      expect(() => parseShard(bad, 3, states)).toThrow(`--shard ${bad}; allowed: k/3 with 1 ≤ k ≤ 3`);
    expect(() => parseShard('next', 1, [{ state: 'fresh' }])).toThrow('every one of the 1 shards is fresh');
  });

  it('fingerprints: the mutated files by bytes; what the tests load by code, comments and layout aside', () => {
    const root = repo({
      'src/x/a.ts': 'export const a = 1;\n',
      'src/x/b.ts': "import { a } from './a.js';\nexport const b = a + 1;\n",
      'src/y.ts': 'export const y = 2;\n',
      'test/b.test.ts': "import { b } from '../src/x/b.js';\nimport { y } from '../src/y.js';\nvoid b, y;\n",
      'package-lock.json': '{}\n',
    });
    expect(importClosure(['test/b.test.ts'], root)).toEqual(['src/x/a.ts', 'src/x/b.ts', 'src/y.ts', 'test/b.test.ts']);
    const fp = () => fingerprints(['src/x/a.ts'], ['test/b.test.ts'], 'laws: B', root);
    const before = fp();
    // A comment in the shard's own file: its results' lines may have moved, so it is run again.
    write(root, 'src/x/a.ts', '// Equivalent mutant: …\nexport const a = 1;\n');
    expect(fp()).toEqual({ ...before, mutated: expect.not.stringMatching(before.mutated) });
    const mutated = fp().mutated;
    // A comment or a reformatting in what the tests load: the same code.
    write(root, 'src/y.ts', '/** y. */\nexport const y   =   2;\n');
    expect(fp()).toEqual({ mutated, tests: before.tests });
    // Any other change there, or in the settings: stale.
    write(root, 'src/y.ts', 'export const y = 3;\n');
    expect(fp().tests).not.toBe(before.tests);
    write(root, 'src/y.ts', 'export const y = 2;\n');
    expect(fp().tests).toBe(before.tests);
    expect(fingerprints(['src/x/a.ts'], ['test/b.test.ts'], 'laws: B, C', root).tests).not.toBe(before.tests);
  });

  it("fingerprints: a build output's input hash (kernels.generated.ts's SOURCE_HASH) is not code; what it holds is", () => {
    const gen = (hash: string, wasm: string) =>
      `// generated\nexport const SOURCE_HASH = '${hash}';\nexport const WASM = '${wasm}';\n`;
    const root = repo({
      'src/x/a.ts': 'export const a = 1;\n',
      'src/k.generated.ts': gen('aa11', 'AGFzbQ'),
      'test/b.test.ts': "import { W } from '../src/k.generated.js';\nvoid W;\n",
    });
    const fp = () => fingerprints(['src/x/a.ts'], ['test/b.test.ts'], '', root).tests;
    const before = fp();
    write(root, 'src/k.generated.ts', gen('bb22', 'AGFzbQ'));
    expect(fp()).toBe(before);
    write(root, 'src/k.generated.ts', gen('bb22', 'AGFzbR'));
    expect(fp()).not.toBe(before);
  });

  it('the row adds up the fresh shards only; a stale or missing shard is named and not counted', () => {
    const root = repo({ 'src/x/a.ts': 'export const a = 1;\n', 'src/x/b.ts': 'export const b = 2;\n' });
    const shards = [['src/x/a.ts'], ['src/x/b.ts']];
    const now = (m: string[]) => fingerprints(m, [], '', root);
    const result = (killed: number, survived: number, where: string) => ({
      Killed: killed,
      Timeout: 1,
      Survived: survived,
      NoCoverage: 0,
      Ignored: 2,
      RuntimeError: 0,
      CompileError: 0,
      total: killed + 1 + survived + 2,
      score: 0,
      minutes: 10,
      date: '2026-12-06',
      commit: 'abc1234',
      survived: Array.from({ length: survived }, () => ({ status: 'Survived', where })),
      ignored: [],
      static: 2,
    });
    const record = (k: number, r: ReturnType<typeof result>) =>
      write(
        root,
        recordPath('src/x', k),
        JSON.stringify({ shard: k + 1, shards: 2, files: shards[k], fingerprints: now(shards[k]!), results: r }),
      );
    record(0, result(8, 1, 'src/x/a.ts:1:1'));
    let row = mergeShards(freshness('src/x', shards, now, root));
    expect(row).toMatchObject({ Killed: 8, Timeout: 1, Survived: 1, total: 12, score: 90, complete: false });
    expect(row.shards).toEqual({ count: 2, fresh: [1], stale: [], missing: [2] });
    record(1, result(18, 1, 'src/x/b.ts:1:1'));
    row = mergeShards(freshness('src/x', shards, now, root));
    expect(row).toMatchObject({ Killed: 26, Timeout: 2, Survived: 2, total: 34, minutes: 20, complete: true });
    expect(row.score).toBeCloseTo((100 * 28) / 30, 12);
    expect(row.survived.map((m: { where: string }) => m.where)).toEqual(['src/x/a.ts:1:1', 'src/x/b.ts:1:1']);
    // b.ts changes: shard 2 is stale (not counted), shard 1 stays fresh (b.ts is not among what it loads).
    write(root, 'src/x/b.ts', 'export const b = 3;\n');
    row = mergeShards(freshness('src/x', shards, now, root));
    expect(row).toMatchObject({ Killed: 8, Survived: 1, complete: false });
    expect(row.shards.stale).toEqual([{ shard: 2, why: ['its files changed'] }]);
  });

  it('a record stands when test files were only added since (a lower bound), not when a test or set-up changed', () => {
    const root = repo({
      'src/x/a.ts': 'export const a = 1;\n',
      'test/h.ts': 'export const h = 1;\n',
      'test/b.test.ts': "import { h } from './h.js';\nh;\n",
    });
    const shards = [['src/x/a.ts']];
    let roots = ['test/b.test.ts'];
    const now = (m: string[], from = roots) => fingerprints(m, from, 'laws: B', root);
    const r = { Killed: 9, Timeout: 0, Survived: 1, NoCoverage: 0, Ignored: 0, RuntimeError: 0, CompileError: 0 };
    const results = {
      ...r,
      total: 10,
      score: 90,
      minutes: 1,
      date: '2026-12-07',
      commit: 'abc',
      survived: [],
      ignored: [],
    };
    write(
      root,
      recordPath('src/x', 0),
      JSON.stringify({ shard: 1, shards: 1, files: shards[0], fingerprints: now(shards[0]!), roots, results }),
    );
    const state = () => freshness('src/x', shards, now, root, roots)[0]!;
    expect(state().state).toBe('fresh');
    expect(state().added).toBeUndefined();
    // A new test file, importing the same helper: the record stands, as a lower bound.
    write(root, 'test/c.test.ts', "import { h } from './h.js';\nh + 1;\n");
    roots = ['test/b.test.ts', 'test/c.test.ts'];
    expect(state()).toMatchObject({ state: 'fresh', added: ['test/c.test.ts'] });
    expect(mergeShards([state()]).shards.testsAdded).toEqual([{ shard: 1, files: ['test/c.test.ts'] }]);
    // A new set-up file changes how every test runs: stale.
    roots = ['test/b.test.ts', 'test/c.test.ts', 'test/setup/extra.mjs'];
    write(root, 'test/setup/extra.mjs', 'export {};\n');
    expect(state()).toMatchObject({ state: 'stale' });
    // A test the record ran changes what it loads: stale.
    roots = ['test/b.test.ts', 'test/c.test.ts'];
    write(root, 'test/h.ts', 'export const h = 2;\n');
    expect(state()).toMatchObject({ state: 'stale', why: ['the tests or the code they load changed'] });
    write(root, 'test/h.ts', 'export const h = 1;\n');
    expect(state().state).toBe('fresh');
    // A test the record ran is gone: stale.
    roots = ['test/c.test.ts'];
    expect(state().state).toBe('stale');
    // The shard's own file changed: stale, whatever the tests.
    roots = ['test/b.test.ts', 'test/c.test.ts'];
    write(root, 'src/x/a.ts', 'export const a = 2;\n');
    expect(state()).toMatchObject({ state: 'stale', why: expect.arrayContaining(['its files changed']) });
  });
});
