/**
 * What a report write may touch (issue 12, S1 S2 S3 D7 D11 D12): optimlab replaces only a folder
 * it recognises as its own report (src/util/folder.ts), never writes outside it, recovers a swap
 * that a killed run left half done, and lets one writer at a time in. Through the CLI (main, in
 * process) where a user would meet it, and through writeReport for the states a crash leaves.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { checkReportFolder, fromDocument, writeReport, type ResultsDoc } from '../src/report/index.js';
import { UserError } from '../src/util/errors.js';
import { captureConsole, tempDirs } from './cli-helpers.js';
import { HOST, VERIFY } from './report-inputs.js';
import { MARKER, checkName, safeName } from '../src/util/folder.js';

const tmp = tempDirs('optimlab-folder-');

const io = captureConsole();

const results = (): ResultsDoc => fromDocument(VERIFY, { file: 'verify.json' });

/** Every file under `dir` (relative path → contents). */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string, prefix: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), `${prefix}${e.name}/`);
      else files[`${prefix}${e.name}`] = readFileSync(join(d, e.name), 'utf8');
    }
  };
  walk(dir, '');
  return files;
}

/** A user's home: a project and a dot file. */
function home(): { root: string; h: string; before: Record<string, string>; input: string } {
  const root = tmp();
  const h = join(root, 'h');
  mkdirSync(join(h, 'projects'), { recursive: true });
  writeFileSync(join(h, 'projects', 'a.tex'), 'x\n');
  writeFileSync(join(h, '.bashrc'), 's\n');
  const input = join(root, 'verify.json');
  writeFileSync(input, JSON.stringify(VERIFY));
  return { root, h, before: snapshot(root), input };
}

describe('optimlab writes only folders it owns', () => {
  it('report --out at a folder it did not write is refused: exit 2, the path named, every file kept (S1)', async () => {
    const { root, h, before, input } = home();
    expect(await main(['report', '--merge', input, '--out', h])).toBe(2);
    expect(io.err.join('\n')).toContain(
      `refusing to replace ${h}: it is a folder that optimlab did not write (it has no ${MARKER})`,
    );
    expect(io.err.join('\n')).not.toMatch(/\n\s+at /);
    expect(snapshot(root)).toEqual(before);
    expect(readdirSync(root).sort()).toEqual(['h', 'verify.json']);
  });

  it("--out '' and --out . (the current folder by accident) are refused before anything is touched (S1)", async () => {
    const { root, h, input } = home();
    const before = snapshot(root);
    // '' resolves to the working folder: make that the user's home, not this repository
    const cwd = process.cwd();
    process.chdir(h);
    try {
      expect(await main(['report', '--merge', input, '--out', ''])).toBe(2);
      expect(await main(['report', '--merge', input, '--out', '.'])).toBe(2);
    } finally {
      process.chdir(cwd);
    }
    expect(io.err[0]).toMatch(/the output folder is ""; give a folder path such as reports\/latest/);
    expect(io.err[1]).toContain(`refusing to replace ${h}: it is a folder that optimlab did not write`);
    expect(snapshot(root)).toEqual(before);
  });

  it("--out at a parent of the user's reports (the typo 'reports' for 'reports/latest') keeps reports/baseline (S1)", async () => {
    const { root, input } = home();
    const reports = join(root, 'reports');
    mkdirSync(join(reports, 'baseline'), { recursive: true });
    writeFileSync(join(reports, 'baseline', 'results.json'), '{"precious":true}\n');
    const before = snapshot(reports);
    expect(await main(['report', '--merge', input, '--out', reports])).toBe(2);
    expect(snapshot(reports)).toEqual(before);
  });

  it('run --out at a folder it did not write is refused before any work (S1, D8)', async () => {
    const { root, h, before } = home();
    expect(await main(['run', '--out', h, '--quick', '--no-bench'])).toBe(2);
    expect(io.err).toEqual([
      `optimlab run: refusing to replace ${h}: it is a folder that optimlab did not write (it has no ${MARKER}). optimlab replaces only a report folder it wrote itself (marked by ${MARKER}) or an empty folder, and never deletes anything else: choose a new folder name`,
    ]);
    expect(snapshot(root)).toEqual(before);
  });

  it('--out at an existing plain file is refused and the file kept (S2)', async () => {
    const { root, input } = home();
    const file = join(root, 'notes.txt');
    writeFileSync(file, 'my notes\n');
    expect(await main(['report', '--merge', input, '--out', file])).toBe(2);
    expect(io.err.join('\n')).toContain(`refusing to replace ${file}: it is a file, not a folder`);
    expect(readFileSync(file, 'utf8')).toBe('my notes\n');
  });

  it('a report folder is replaced; one where the user added a file is refused; an empty folder is used (S1)', async () => {
    const root = tmp();
    const dir = join(root, 'latest');
    await writeReport(results(), { outDir: dir, host: HOST });
    const marker = JSON.parse(readFileSync(join(dir, MARKER), 'utf8')) as {
      schema: string;
      state: string;
      files: string[];
    };
    expect(marker.schema).toBe('optimlab.report-folder/1');
    expect(marker.state).toBe('complete');
    expect([...marker.files].sort()).toEqual(
      readdirSync(dir)
        .filter((f) => f !== MARKER)
        .sort(),
    );
    await writeReport(results(), { outDir: dir, host: HOST, title: 'second' });
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain('second');
    writeFileSync(join(dir, 'my-notes.md'), 'mine\n');
    await expect(writeReport(results(), { outDir: dir, host: HOST })).rejects.toThrow(
      /holds 1 file\(s\) optimlab did not write \(my-notes\.md\)/,
    );
    expect(readFileSync(join(dir, 'my-notes.md'), 'utf8')).toBe('mine\n');
    const empty = join(root, 'empty');
    mkdirSync(empty);
    await writeReport(results(), { outDir: empty, host: HOST });
    expect(existsSync(join(empty, 'report.md'))).toBe(true);
    expect(readdirSync(root).sort()).toEqual(['empty', 'latest']);
  });

  it('names from input data cannot leave --out: a convergence objective named ../../../victim/logo (S3)', async () => {
    const root = tmp();
    mkdirSync(join(root, 'victim'));
    writeFileSync(join(root, 'victim', 'logo.svg'), '<svg>mine</svg>');
    const grid = { x0: -1, x1: 1, y0: -1, y1: 1, nx: 3, ny: 3, values: [1, 0, 1, 0, 0, 0, 1, 0, 1] };
    const evil = '../../../victim/logo';
    const conv = {
      schema: 'optimlab.convergence/1',
      createdAt: '2026-01-01T00:00:00.000Z',
      seed: 3,
      settings: { rateGrid: [0.1], tuneBy: 'fewest steps', dtype: 'float64', optimizers: ['sgd'] },
      objectives: [evil, `${evil}2`, 'a/b', 'a-b'].map((name) => ({
        name,
        title: 'T',
        dim: 2,
        fStar: 0,
        fStarSource: 'exact',
        target: 1e-6,
        steps: 1,
        start: [1, 1],
        runs: [
          {
            optimizer: 'sgd',
            lr: 0.1,
            rate: 'tuned',
            curve: [
              { step: 0, gap: 1 },
              { step: 1, gap: 0.5 },
            ],
            stepsToTarget: null,
            finalLoss: 0.5,
            finalGap: 0.5,
            divergedAt: null,
          },
        ],
      })),
      trajectories: [
        {
          name: evil,
          title: 'saddle',
          formula: 'x² − y²',
          grid,
          levels: 'linear',
          minima: [],
          start: [0.5, 0.01],
          steps: 1,
          runs: [
            {
              optimizer: 'sgd',
              lr: 0.1,
              rate: 'stated',
              path: [
                [0.5, 0.01],
                [0.4, 0.02],
              ],
              final: [0.4, 0.02],
            },
          ],
        },
      ],
      blobs: { status: 'not-available', reason: 'fixture' },
      ms: 1,
    };
    const dir = join(root, 'a', 'b', 'c', 'out');
    const files = await writeReport(fromDocument(conv, { file: 'conv.json' }), { outDir: dir, host: HOST });
    expect(readFileSync(join(root, 'victim', 'logo.svg'), 'utf8')).toBe('<svg>mine</svg>');
    expect(readdirSync(join(root, 'victim'))).toEqual(['logo.svg']);
    for (const c of files.charts) expect(c.startsWith(`${dir}/`) && !c.slice(dir.length + 1).includes('/')).toBe(true);
    expect(files.charts.map((c) => c.slice(dir.length + 1)).sort()).toEqual([
      'convergence-a-b-2.svg',
      'convergence-a-b.svg',
      'convergence-victim-logo.svg',
      'convergence-victim-logo2.svg',
      'trajectory-victim-logo.svg',
    ]);
    // the markdown links to the files that exist
    const md = readFileSync(files.markdown, 'utf8');
    for (const c of files.charts) expect(md).toContain(`](${c.slice(dir.length + 1)})`);
    // and the writer itself refuses a name that would resolve outside
    expect(() => checkName(dir, '../x.svg')).toThrow(RangeError);
    expect(() => checkName(dir, '.hidden')).toThrow(RangeError);
    expect(checkName(dir, 'inputs/verify.json')).toBe(join(dir, 'inputs', 'verify.json'));
    expect(safeName('../../etc/passwd')).toBe('etc-passwd');
    expect(safeName('')).toBe('x');
  });
});

describe('an interrupted write is recovered by the next one', () => {
  /** A folder with a report, and the names a run with `id` would give its two temporaries. */
  async function crashed(): Promise<{
    root: string;
    dir: string;
    tmpOf: (id: string) => string;
    oldOf: (id: string) => string;
  }> {
    const root = tmp();
    const dir = join(root, 'latest');
    await writeReport(results(), { outDir: dir, host: HOST, title: 'old' });
    return {
      root,
      dir,
      tmpOf: (id) => join(root, `.latest.tmp-${id}`),
      oldOf: (id) => join(root, `.latest.old-${id}`),
    };
  }
  const ID = '999999-1700000000000-0123abcd';

  it('killed between the two renames: the next run finishes the swap (the new report), no temporaries left (D11)', async () => {
    const { root, dir, tmpOf, oldOf } = await crashed();
    const other = join(root, 'new');
    await writeReport(results(), { outDir: other, host: HOST, title: 'new' });
    renameSync(dir, oldOf(ID));
    renameSync(other, tmpOf(ID));
    expect(existsSync(dir)).toBe(false);
    // the next run, stopped just before its own swap: the folder is the new report of the killed run
    let seen = '';
    await expect(
      writeReport(results(), {
        outDir: dir,
        host: HOST,
        title: 'third',
        beforeSwap: () => {
          seen = readFileSync(join(dir, 'report.md'), 'utf8');
          throw new Error('stop');
        },
      }),
    ).rejects.toThrow('stop');
    expect(seen).toContain('new');
    expect(readdirSync(root)).toEqual(['latest']);
    const files = await writeReport(results(), { outDir: dir, host: HOST, title: 'third' });
    expect(readFileSync(files.markdown, 'utf8')).toContain('third');
    expect(readdirSync(root)).toEqual(['latest']);
  });

  it('killed after the old report was moved aside, before the new one was complete: rolled back to the old report (D11)', async () => {
    const { root, dir, tmpOf, oldOf } = await crashed();
    renameSync(dir, oldOf(ID));
    mkdirSync(tmpOf(ID));
    writeFileSync(
      join(tmpOf(ID), MARKER),
      JSON.stringify({
        schema: 'optimlab.report-folder/1',
        state: 'writing',
        createdAt: '',
        files: ['report.md', 'index.html'],
      }),
    );
    writeFileSync(join(tmpOf(ID), 'report.md'), 'half');
    const files = await writeReport(results(), { outDir: dir, host: HOST, title: 'third' });
    expect(files.notes.join('\n')).toMatch(/rolled back a report swap/);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain('third');
    expect(readdirSync(root)).toEqual(['latest']);
  });

  it('killed while writing: the stale temporary is removed; one that holds a file optimlab did not write is left alone (D11)', async () => {
    const { root, dir, tmpOf } = await crashed();
    mkdirSync(tmpOf(ID));
    writeFileSync(
      join(tmpOf(ID), MARKER),
      JSON.stringify({ schema: 'optimlab.report-folder/1', state: 'writing', createdAt: '', files: ['report.md'] }),
    );
    writeFileSync(join(tmpOf(ID), 'report.md'), 'half');
    const foreign = join(root, '.latest.tmp-1-2-deadbeef');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'thesis.tex'), 'mine');
    const { notes } = await writeReport(results(), { outDir: dir, host: HOST, title: 'next' });
    expect(existsSync(tmpOf(ID))).toBe(false);
    expect(readFileSync(join(foreign, 'thesis.tex'), 'utf8')).toBe('mine');
    expect(notes.join('\n')).toContain(`left ${foreign} in place: it holds files optimlab did not write`);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain('next');
    expect(readdirSync(root).sort()).toEqual(['.latest.tmp-1-2-deadbeef', 'latest']);
  });

  it('an old report that cannot be removed after the swap: the new report stands, a note says where the old one is, exit 0; the next write removes it (D7)', async () => {
    const { root, dir } = await crashed();
    const eacces = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const files = await writeReport(results(), {
      outDir: dir,
      host: HOST,
      title: 'new',
      faultHook: (_k, what) => {
        if (what === 'remove report.md' && readdirSync(root).some((n) => n.includes('.old-'))) throw eacces;
      },
    });
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain('new');
    const left = readdirSync(root).filter((n) => n.startsWith('.latest.old-'));
    expect(left).toHaveLength(1);
    expect(files.notes.join('\n')).toContain(
      `the new report is in place, but the previous one, moved to ${join(root, left[0]!)}, could not be removed (EACCES)`,
    );
    await writeReport(results(), { outDir: dir, host: HOST });
    expect(readdirSync(root)).toEqual(['latest']);
  });
});

describe('one writer at a time', () => {
  it('a second write to the same folder while one runs is refused with a message naming the holder; the first completes (D12)', async () => {
    const root = tmp();
    const dir = join(root, 'latest');
    let second: unknown;
    await writeReport(results(), {
      outDir: dir,
      host: HOST,
      faultHook: (_k, what) => {
        if (what === 'write report.md') {
          try {
            checkReportFolder(dir);
          } catch (e) {
            second = e;
          }
        }
      },
    });
    expect(second).toBeInstanceOf(UserError);
    expect((second as Error).message).toMatch(
      new RegExp(
        `${dir} is being written by optimlab process ${process.pid} on .*: wait for it to finish; if no optimlab is running, delete ${join(root, '.latest.lock')}`,
      ),
    );
    expect(existsSync(join(dir, 'report.md'))).toBe(true);
    expect(readdirSync(root)).toEqual(['latest']);
  });

  it('a lock left by a process that died is taken over (D12)', async () => {
    const root = tmp();
    const dir = join(root, 'latest');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const { hostname } = await import('node:os');
    writeFileSync(
      join(root, '.latest.lock'),
      JSON.stringify({ pid: dead, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z', token: 'ffff' }),
    );
    writeFileSync(join(root, `.latest.lock.${dead}-0123abcd`), 'x');
    await writeReport(results(), { outDir: dir, host: HOST });
    expect(readdirSync(root)).toEqual(['latest']);
  });

  it('optimlab report on a folder whose lock a live process holds: exit 2, the holder and the lock named, nothing written (D12)', async () => {
    const root = tmp();
    const input = join(root, 'verify.json');
    writeFileSync(input, JSON.stringify(VERIFY));
    const { hostname } = await import('node:os');
    const lock = join(root, '.latest.lock');
    writeFileSync(
      lock,
      JSON.stringify({ pid: process.pid, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z', token: 'ffff' }),
    );
    expect(await main(['report', '--merge', input, '--out', join(root, 'latest')])).toBe(2);
    expect(io.err.join('\n')).toBe(
      `optimlab report: ${join(root, 'latest')} is being written by optimlab process ${process.pid} on ${hostname()}, since 2026-01-01T00:00:00.000Z (lock ${lock}): wait for it to finish; if no optimlab is running, delete ${lock}`,
    );
    expect(readdirSync(root).sort()).toEqual(['.latest.lock', 'verify.json']);
  });
});
