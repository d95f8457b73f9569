/**
 * The user's mistakes at the command line get one line and exit 2, never a stack trace (issue 12:
 * D6 the user's module and replay lines, D7 file-system errors, D8 inputs and outputs checked
 * before the work, results rescued when the last write fails, D13 an empty --replay). Run in
 * process through main(); the user's modules are small files written here.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { failure, main } from '../src/cli.js';
import { UserError } from '../src/util/errors.js';
import { jsonOutput, writeOutputOrRescue } from '../src/util/fs.js';
import { captureConsole, tempDirs } from './cli-helpers.js';

const tmp = tempDirs('optimlab-cli-');
const io = captureConsole();

/** One line on stderr, prefixed by the command, no stack frame; nothing on stdout unless said. */
function oneLine(command: string): string {
  expect(io.err).toHaveLength(1);
  expect(io.err[0]).toMatch(new RegExp(`^optimlab ${command}: `));
  expect(io.err[0]).not.toMatch(/\n\s+at |\n/);
  return io.err[0]!;
}

describe("the user's module (--module): one line naming the path, exit 2 (D6)", () => {
  const cases: [string, string | null, RegExp][] = [
    ['a folder', null, /: a folder; give the module's JavaScript file/],
    [
      'a module that throws on import',
      "throw new Error('no GPU here');\n",
      /: the module threw while it was loading: Error: no GPU here \(at .*bad\.mjs:1:7\)$/,
    ],
    [
      'a throwing default export',
      "export default { get name() { throw new RangeError('lazy name'); } };\n",
      /: reading its exports threw: RangeError: lazy name \(at .*bad\.mjs:1:\d+\)$/,
    ],
    [
      'a missing import',
      "import 'optimlab-no-such-package';\nexport default {};\n",
      /: one of its imports cannot be found: Cannot find package 'optimlab-no-such-package'/,
    ],
    [
      'an export that is no optimizer',
      'export default 42;\n',
      /: export the result of defineOptimizer\(\.\.\.\) as default or as 'optimizer'; found exports: default$/,
    ],
    ['no such file', undefined as unknown as null, /: no such file$/],
  ];
  for (const [what, source, message] of cases) {
    it(what, async () => {
      const dir = tmp();
      let path = join(dir, 'bad.mjs');
      if (source === null) path = dir;
      else if (source === undefined) path = join(dir, 'missing.mjs');
      else writeFileSync(path, source);
      expect(await main(['verify', '--module', path, '--quiet'])).toBe(2);
      const line = oneLine('verify');
      expect(line).toContain(`--module ${path}`);
      expect(line).toMatch(message);
      expect(io.out).toEqual([]);
    });
  }

  it('a syntax error (node itself parses the module: vitest would parse it with its own bundler)', () => {
    const dir = tmp();
    const path = join(dir, 'bad.mjs');
    writeFileSync(path, 'export default {\n  name: "x",,\n};\n');
    const r = spawnSync(
      process.execPath,
      [join(import.meta.dirname, '..', 'bin', 'optimlab.js'), 'verify', '--module', path, '--quiet'],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `optimlab verify: --module ${path}: not valid JavaScript: SyntaxError: Unexpected token ','\n`,
    );
  });
});

describe('replay lines (D6, D13)', () => {
  it('a replay path that leads nowhere (too long) is one line, exit 2 (D6)', async () => {
    const replay = `X1 sgd float64@5:${Array(80).fill(0).join(':')}`;
    expect(await main(['verify', '--replay', replay, '--quiet'])).toBe(2);
    expect(oneLine('verify')).toMatch(
      /--replay X1 sgd float64@5:0:0.*: the path 0:0:.* leads to no counterexample of X1 sgd float64 in this version of optimlab/,
    );
  });

  it("--replay '' is refused, not ignored (it ran every law before) (D13)", async () => {
    expect(await main(['verify', '--replay', '', '--quiet'])).toBe(2);
    expect(oneLine('verify')).toBe(
      "optimlab verify: --replay '': empty; allowed: '<case id>@<seed>:<path>' as a failure prints it (without --replay every case runs)",
    );
  });
});

describe('outputs and inputs are checked before the work (D7, D8)', () => {
  it('verify --json at a folder: refused before any law runs, naming the folder (EISDIR before, after the run) (D7)', async () => {
    const dir = tmp();
    expect(await main(['verify', '--json', dir, '--law', 'X1', '--quiet'])).toBe(2);
    expect(oneLine('verify')).toBe(
      `optimlab verify: --json ${dir}: a folder; give a file path, such as ${join(dir, 'results.json')}`,
    );
    expect(io.out).toEqual([]); // no table: nothing ran
  });

  it('bench --json at a folder: refused before measuring (D7)', async () => {
    const dir = tmp();
    expect(await main(['bench', '--quick', '--json', dir, '--quiet', '--no-peers'])).toBe(2);
    expect(oneLine('bench')).toContain(`--json ${dir}: a folder; give a file path`);
    expect(io.out).toEqual([]);
  });

  it('verify --json at a file optimlab did not write is refused; its own earlier output is replaced', async () => {
    const dir = tmp();
    const mine = join(dir, 'notes.json');
    writeFileSync(mine, '{"my":"notes"}\n');
    expect(await main(['verify', '--json', mine, '--law', 'X1', '--optimizer', 'sgd', '--runs', '1', '--quiet'])).toBe(
      2,
    );
    expect(oneLine('verify')).toContain(`--json ${mine}: the file exists and is not an optimlab JSON document`);
    expect(readFileSync(mine, 'utf8')).toBe('{"my":"notes"}\n');
    io.err.length = 0;
    const ours = join(dir, 'verify.json');
    expect(await main(['verify', '--json', ours, '--law', 'X1', '--optimizer', 'sgd', '--runs', '1', '--quiet'])).toBe(
      0,
    );
    expect(await main(['verify', '--json', ours, '--law', 'X1', '--optimizer', 'sgd', '--runs', '2', '--quiet'])).toBe(
      0,
    );
    expect(JSON.parse(readFileSync(ours, 'utf8')).runs).toBe(2);
  });

  it('run --baseline at a folder or a missing file: refused before any work (found at the last step before) (D8)', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'base'));
    expect(
      await main(['run', '--baseline', join(dir, 'base'), '--out', join(dir, 'out'), '--quick', '--no-bench']),
    ).toBe(2);
    expect(oneLine('run')).toContain(
      `cannot read ${join(dir, 'base')}: it is a folder; give a results JSON file (a report folder's is ${join(dir, 'base')}/results.json)`,
    );
    io.err.length = 0;
    expect(
      await main(['run', '--baseline', join(dir, 'missing.json'), '--out', join(dir, 'out'), '--quick', '--no-bench']),
    ).toBe(2);
    expect(oneLine('run')).toBe(
      `optimlab run: cannot read ${join(dir, 'missing.json')}: no such file or folder (ENOENT)`,
    );
    expect(readdirSync(dir)).toEqual(['base']);
  });

  it('a final write that fails after the work: the results are saved elsewhere and the message says where (D8)', () => {
    // /proc takes no new files: the check passes (an absent file in a folder), the write fails
    const o = jsonOutput('--json', '/proc/optimlab-test.json');
    let err: unknown;
    try {
      writeOutputOrRescue(o, '{"schema":"optimlab.verify/1"}\n');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    const m = /The results are saved in (\S+)$/.exec((err as Error).message);
    expect((err as Error).message).toMatch(
      /^cannot write --json \/proc\/optimlab-test\.json: .*; the previous file, if any, is unchanged\. The results are saved in /,
    );
    expect(m && existsSync(m[1]!) && readFileSync(m[1]!, 'utf8')).toBe('{"schema":"optimlab.verify/1"}\n');
    rmSync(join(m![1]!, '..'), { recursive: true });
  });
});

describe('file-system errors anywhere are one line with the path and what to do (D7)', () => {
  const errno = (code: string, syscall: string, path: string): Error =>
    Object.assign(new Error(`${code}: ${syscall} '${path}'`), { code, syscall, path });
  for (const [code, advice] of [
    ['EACCES', 'permission denied: choose a place you may write, or change its permissions'],
    ['ENOSPC', 'no space left on the device: free some space or choose another disk'],
    ['EISDIR', 'it is a folder; a file path is needed here'],
  ] as const) {
    it(code, () => {
      expect(failure('report', errno(code, 'open', '/data/r/report.md'))).toBe(2);
      expect(oneLine('report')).toBe(`optimlab report: cannot open /data/r/report.md: ${advice} (${code})`);
    });
  }

  it("a bug is not passed off as the user's mistake: internal error, the stack, exit 70", () => {
    expect(failure('report', new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe(70);
    expect(io.err[0]).toMatch(
      /^optimlab report: internal error \(a bug in optimlab: please report it with the command line and what follows\)\nTypeError: Cannot read properties/,
    );
  });

  it('a command name inherited from Object (constructor, __proto__) is an unknown command', async () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      io.err.length = 0;
      expect(await main([name])).toBe(2);
      expect(io.err[0]).toContain(`optimlab: unknown command '${name}'`);
    }
  });
});
