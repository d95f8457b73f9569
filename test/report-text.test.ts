/**
 * Text from input files in the report (issue 12): a lone carriage return cannot end a Markdown
 * table row or start a heading (D14), and a replay line from a merged file is checked on load and
 * shell-quoted when printed, so pasting it runs nothing else (D15).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeMd, fromDocument, renderReport, type ResultsDoc } from '../src/report/index.js';
import { shellQuote } from '../src/util/shell.js';

const HOST = { node: 'v20', cpuModel: 'cpu', cores: 2, os: 'Linux', arch: 'x64', date: '2026-01-01T00:00:00.000Z' };

/** A verify document with one failing case carrying `fields`. */
function verifyDoc(fields: Record<string, unknown> = {}, title = 'one step'): Record<string, unknown> {
  return {
    schema: 'optimlab.verify/1',
    createdAt: '2026-01-01T00:00:00.000Z',
    seed: 1,
    runs: null,
    laws: [{ id: 'G3', title }],
    subjects: ['adam'],
    cases: [
      {
        id: 'G3 adam float64',
        lawId: 'G3',
        subject: 'adam',
        dtype: 'float64',
        status: 'fail',
        runs: 5,
        seed: 7,
        ms: 1,
        counterexample: '[1]',
        path: '0:1',
        error: 'boom',
        replay: 'G3 adam float64@7:0:1',
        ...fields,
      },
    ],
    table: { G3: { adam: 'fail' } },
    summary: { cases: 1, passed: 0, failed: 1, ms: 1 },
  };
}

const markdown = async (r: ResultsDoc): Promise<string> =>
  (await renderReport(r, { host: HOST })).files.get('report.md')!;

describe('Markdown from input text', () => {
  it('a lone CR in a label or a law title neither breaks the table nor injects a heading (D14)', async () => {
    const r = fromDocument(verifyDoc({}, 'one step\r# Injected heading\r| x | y |'), {
      file: 'shard.json',
      label: 'shard\r## Injected too',
    });
    const md = await markdown(r);
    // CommonMark ends a line at LF, CR or CRLF: outside code blocks (whose text is shown as it is),
    // no line of the report may be an injected heading or table row
    expect(md).not.toContain('\r');
    const prose = md.replace(/^(`{3,})\n[\s\S]*?\n\1$/gm, '');
    expect(prose.split('\n').filter((l) => /^#+ Injected|^\| x \| y \|/.test(l))).toEqual([]);
    expect(md).toMatch(/^\| s1 shard ## Injected too \| verify \|/m);
    expect(escapeMd('a\rb\r\nc\nd')).toBe('a b c d');
  });
});

describe('replay lines', () => {
  it('a replay string that is not <case id>@<seed>:<path> is refused on load, naming the field (D15)', () => {
    for (const evil of [
      "'; rm -rf / #",
      "G3 adam float64@7:0:1'; rm -rf / #",
      'G3 adam float64@7:0:1\nrm -rf /',
      '$(reboot)@1:x',
    ]) {
      expect(() => fromDocument(verifyDoc({ replay: evil }), { file: 'merged.json' })).toThrow(
        /^merged\.json: field 'cases\[0\]\.replay' is .*; expected a replay line '<case id>@<seed>:<path>'/,
      );
    }
  });

  it('a valid replay line whose case id holds a quote or a $ is printed shell-quoted (D15)', async () => {
    const id = "G3 it's $(x) `y` float64";
    const md = await markdown(fromDocument(verifyDoc({ id, replay: `${id}@7:0:1` }), { file: 'm.json' }));
    expect(md).toContain(
      `replay: OPTIMLAB_REPLAY='G3 it'\\''s $(x) \`y\` float64@7:0:1' npx vitest run properties -t 'G3 it'\\''s $(x) \`y\` float64'`,
    );
    expect(md).toContain(`or: npx optimlab verify --replay 'G3 it'\\''s $(x) \`y\` float64@7:0:1'`);
  });

  it('shellQuote: bash reads every quoted string back as exactly itself (one bash for 200 strings)', () => {
    const strings = fc.sample(
      fc
        .string({
          unit: fc.oneof(
            fc.constantFrom("'", '"', '\\', '$', '`', ';', '!', '*', '\n', ' ', '#', '(', ')'),
            fc.string({ minLength: 1, maxLength: 1 }),
          ),
          maxLength: 30,
        })
        .filter((s) => !s.includes('\0')),
      { seed: 12, numRuns: 200 },
    );
    const script = strings.map((s) => `printf '%s\\0' ${shellQuote(s)}`).join('\n');
    const r = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(strings);
  });
});
