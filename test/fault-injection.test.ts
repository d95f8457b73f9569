/**
 * A report write killed at every one of its steps loses nothing (issue 12, acceptance 2; D11).
 *
 * A child process writes a report folder with the library's writer (writeOwnedFolder, which
 * writeReport and `optimlab report` use) and is killed with SIGKILL just before its k-th
 * file-system step, through the writer's test-only fault hook (test/fixtures/fault-writer.mjs),
 * for every k. Then the next run (checkOwnedFolder: what `optimlab run` and writeReport do before
 * anything else) must leave either the old or the new complete report, byte for byte, never
 * neither and never a mixture, with no temporaries and no lock beside it; and a write after that
 * must succeed. Three situations: replacing a report, writing a first one, and a run killed while
 * it recovers from an earlier killed run.
 *
 * The child runs src/util/folder.ts itself, compiled here to JavaScript (ts.transpileModule), so
 * the test checks the source as it is, with or without a build.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromDocument, renderReport } from '../src/report/index.js';
import { MARKER, checkOwnedFolder, readMarker, writeOwnedFolder } from '../src/util/folder.js';
import { tempDirs } from './cli-helpers.js';
import { HOST, VERIFY } from './report-inputs.js';

const tmp = tempDirs('optimlab-fault-');
const FIXTURE = fileURLToPath(new URL('./fixtures/fault-writer.mjs', import.meta.url));

type Version = 'v1' | 'v2' | 'v3';
/** Each version's files (a real rendered report, its input in a sub-folder), and the same as a JSON file for the child. */
const reports = {} as Record<Version, Map<string, string>>;
const reportJson = {} as Record<Version, string>;
let folderModule = '';

beforeAll(async () => {
  // src/util/folder.ts and the two modules it imports, compiled for the child
  const dir = tmp();
  for (const name of ['errors', 'fs', 'folder']) {
    const source = readFileSync(new URL(`../src/util/${name}.ts`, import.meta.url), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    writeFileSync(join(dir, `${name}.js`), outputText);
  }
  folderModule = join(dir, 'folder.js');
  for (const v of ['v1', 'v2', 'v3'] as const) {
    const { files } = await renderReport(fromDocument(VERIFY, { file: 'verify.json' }), {
      host: HOST,
      title: `report ${v}`,
    });
    files.set('inputs/verify.json', JSON.stringify({ ...VERIFY, createdAt: v }));
    reports[v] = files;
    reportJson[v] = join(dir, `${v}.json`);
    writeFileSync(reportJson[v], JSON.stringify(Object.fromEntries(files)));
  }
});

/** Runs the child writing `v` to `out`, killed before its step `killAt` (0: not killed). */
function child(out: string, v: Version, killAt: number): ReturnType<typeof spawnSync> {
  return spawnSync(process.execPath, [FIXTURE, folderModule, out, reportJson[v], String(killAt)], { encoding: 'utf8' });
}

/** The steps of a write of `v` to `out` as things stand (run on a copy of `out`'s parent). */
function stepsOf(root: string, v: Version): string[] {
  const copy = join(tmp(), 'copy');
  cpSync(root, copy, { recursive: true });
  const steps: string[] = [];
  writeOwnedFolder(join(copy, 'latest'), reports[v], {
    faultHook: (_k, what) => {
      steps.push(what);
    },
  });
  return steps;
}

/** Every file under `dir` (relative path → contents). */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string, prefix: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), `${prefix}${e.name}/`);
      else files.set(`${prefix}${e.name}`, readFileSync(join(d, e.name), 'utf8'));
    }
  };
  walk(dir, '');
  return files;
}

/**
 * What is on disk under `root` (folders and files), with run ids and times taken out: tells the
 * kill points apart. A lock is told by whose it is: the killed run's (`pid`) or an earlier run's.
 */
function state(root: string, pid: number): string {
  const lines: string[] = [];
  const walk = (d: string, prefix: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const path = `${prefix}${e.name}`
        .replace(/-\d+-\d+-[0-9a-f]{8}(?=\/|$)/, '-ID')
        .replace(/\.lock\.\d+-[0-9a-f]{8}$/, '.lock.PID');
      if (e.isDirectory()) {
        lines.push(`${path}/`);
        walk(join(d, e.name), `${path}/`);
      } else {
        const text = readFileSync(join(d, e.name), 'utf8');
        // the marker by its state (it holds a time), a lock by its holder, any other file by its contents
        const what =
          e.name === MARKER
            ? (JSON.parse(text) as { state: string }).state
            : path.includes('.lock')
              ? (JSON.parse(text) as { pid: number }).pid === pid
                ? 'the killed run'
                : 'an earlier run'
              : createHash('sha1').update(text).digest('hex');
        lines.push(`${path} ${what}`);
      }
    }
  };
  walk(root, '');
  return lines.sort().join('\n');
}

/** Which complete report `out` is, checked file by file; 'none' when it does not exist. */
function which(out: string): Version | 'none' {
  if (!existsSync(out)) return 'none';
  const files = snapshot(out);
  const marker = readMarker(out);
  expect(marker?.state, `${out}: its marker`).toBe('complete');
  files.delete(MARKER);
  expect([...files.keys()].sort(), `${out}: files`).toEqual([...marker!.files].sort());
  for (const v of ['v1', 'v2', 'v3'] as const) {
    if ([...reports[v]].every(([name, text]) => files.get(name) === text) && files.size === reports[v].size) return v;
  }
  throw new Error(`${out} is no complete report: a mixture of versions (${[...files.keys()].join(', ')})`);
}

/**
 * Kills a write of `v` at every step (or the first `last(steps)`); after each, runs the next run
 * and checks the outcome. Returns the number of kill points.
 */
function killAtEveryStep(
  setUp: () => string,
  v: Version,
  expected: (step: number, steps: string[]) => readonly (Version | 'none')[],
  last = (steps: string[]): number => steps.length,
): number {
  const steps = stepsOf(setUp(), v);
  const states = new Map<string, number[]>();
  const n = last(steps);
  for (let k = 1; k <= n; k++) {
    const root = setUp();
    const out = join(root, 'latest');
    const r = child(out, v, k);
    expect(r.signal, `kill before step ${k} (${steps[k - 1]}): ${String(r.stderr)}`).toBe('SIGKILL');
    const st = state(root, r.pid!);
    states.set(st, [...(states.get(st) ?? []), k]);
    checkOwnedFolder(out); // the next run
    expect(expected(k, steps), `kill before step ${k} (${steps[k - 1]})`).toContain(which(out));
    expect(
      readdirSync(root).filter((n) => n !== 'latest'),
      `temporaries after a kill before step ${k} (${steps[k - 1]})`,
    ).toEqual([]);
    // and a write after that succeeds, leaving nothing else
    writeOwnedFolder(out, reports.v3);
    expect(which(out)).toBe('v3');
    expect(readdirSync(root)).toEqual(['latest']);
  }
  // every kill left a different state on disk (but for an attempt to take the lock that met a
  // stale one, which changes nothing): as many distinct kill points as kills
  const unchanged = steps
    .slice(0, n)
    .filter((s, i) => s === 'take the lock' && steps[i + 1] === 'remove a stale lock').length;
  expect(
    states.size,
    `kill points that left the same state: ${JSON.stringify([...states].filter(([, ks]) => ks.length > 1))}`,
  ).toBe(n - unchanged);
  return states.size;
}

describe('a report write killed (SIGKILL, child process) before any of its file-system steps', () => {
  it('replacing a report: the next run finds the old report before the swap began, the new one after, and no temporaries', () => {
    const withOld = (): string => {
      const root = tmp();
      writeOwnedFolder(join(root, 'latest'), reports.v1);
      return root;
    };
    let aside = 0;
    const n = killAtEveryStep(withOld, 'v2', (k, steps) => {
      aside = steps.indexOf('move the previous folder aside') + 1;
      expect(aside).toBeGreaterThan(0);
      // killed before the old report was moved aside: the old one; after it: the new one (complete by then)
      return [k <= aside ? 'v1' : 'v2'];
    });
    expect(n).toBeGreaterThanOrEqual(20);
  });

  it('writing a first report: nothing or the new report, never a part of it, and no temporaries', () => {
    const n = killAtEveryStep(
      () => tmp(),
      'v2',
      (k, steps) => {
        const complete = steps.indexOf('rename the marker into place') + 1;
        expect(complete).toBeGreaterThan(0);
        return [k <= complete ? 'none' : 'v2'];
      },
    );
    expect(n).toBeGreaterThanOrEqual(10);
  });

  it('a run killed while it recovers from a run killed between the two renames: the earlier new report or its own, never the old one or neither', () => {
    // the state a kill between the renames leaves: no folder, the old report and the new one beside it
    const template = tmp();
    writeOwnedFolder(join(template, 'latest'), reports.v1);
    expect(
      child(join(template, 'latest'), 'v2', stepsOf(template, 'v2').indexOf('move the new folder into place') + 1)
        .signal,
    ).toBe('SIGKILL');
    expect(existsSync(join(template, 'latest'))).toBe(false);
    const halfSwapped = (): string => {
      const root = tmp();
      cpSync(template, root, { recursive: true });
      return root;
    };
    // its steps: the lock, the recovery (the new report moved into place, the old one removed), then its own write,
    // which the first test covers: killed at each step up to the first of its own write
    const steps = stepsOf(halfSwapped(), 'v3');
    expect(steps.filter((s) => s.startsWith('recover ')).length).toBe(1);
    const n = killAtEveryStep(
      halfSwapped,
      'v3',
      () => ['v2', 'v3'],
      (s) => s.indexOf('create the temporary folder') + 1,
    );
    expect(n).toBeGreaterThanOrEqual(10);
  });
});
