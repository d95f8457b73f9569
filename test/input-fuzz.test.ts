/**
 * Random and mutated input never gets a raw stack trace (issue 12, acceptance 3): fast-check
 * properties of the CLI's argument handling and of every JSON loader.
 *
 *  - arguments: random command lines (every command's options, unknown ones, random values,
 *    paths to good, broken and missing files) through main(), in process;
 *  - documents: every kind optimlab reads (verify, accuracy, bench, convergence, tfjs, a vitest
 *    report, a report's results.json), made by the real producers, then mutated (a node replaced,
 *    removed or duplicated, a string or number changed, the text cut or spliced) and read by
 *    `report --merge`, `bench --input` and `bench --baseline`;
 *  - a checkpoint (serializeState's JSON) mutated, read by restoreState;
 *  - a report folder's marker mutated, then `report --out` at that folder;
 *  - a few of the documents through the real binary (bin/optimlab.js, a child process).
 * Every outcome: exit 0, or 2 with one line naming what was wrong, or 1 only where a law failed or
 * a regression was found (bench --baseline); never a stack trace, never exit 70. The long work a
 * valid command line starts (the law suite, the accuracy table, the benchmark, the convergence
 * runs, training) is replaced by a stand-in that records that the arguments were accepted.
 *
 * Seeded: OPTIMLAB_SEED (default 20261124); a failure prints fast-check's counterexample and the
 * line that replays it (OPTIMLAB_FUZZ_REPLAY='<property>@<seed>:<path>').
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EXIT, failure, main } from '../src/cli.js';
import { createOptimizer, restoreState, serializeState } from '../src/index.js';
import { fromDocument, mergeResults, renderReport } from '../src/report/index.js';
import { MARKER, readMarker, writeOwnedFolder } from '../src/util/folder.js';
import { captureConsole, tempDirs } from './cli-helpers.js';

/** The stand-ins for long work: open while the documents are made, closed while fuzzing. */
const gate = vi.hoisted(() => ({ open: true, reached: '' }));
class WorkStarted extends Error {}
vi.mock('../properties/suite.js', async (actual) => gated(await actual(), 'runSuite'));
vi.mock('../properties/accuracy.js', async (actual) => gated(await actual(), 'runAccuracy'));
vi.mock('../benchmarks/index.js', async (actual) => gated(await actual(), 'runBench'));
vi.mock('../benchmarks/convergence.js', async (actual) => gated(await actual(), 'runConvergence'));
vi.mock('../src/train/index.js', async (actual) => gated(await actual(), 'train'));
vi.mock('../properties/tfjs.js', async (actual) => gated(await actual(), 'loadTfjsSuite'));
function gated<M extends Record<string, unknown>>(mod: M, name: string): M {
  const real = mod[name] as (...a: unknown[]) => unknown;
  return {
    ...mod,
    [name]: (...a: unknown[]) => {
      if (gate.open) return real(...a);
      gate.reached = name;
      throw new WorkStarted(`${name} reached: the arguments were accepted`);
    },
  };
}
const { runSuite } = await import('../properties/suite.js');
const { runAccuracy } = await import('../properties/accuracy.js');
const { runBench } = await import('../benchmarks/index.js');
const { runConvergence } = await import('../benchmarks/convergence.js');

const io = captureConsole();
const tmp = tempDirs('optimlab-fuzz-');
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SEED = Number(process.env.OPTIMLAB_SEED ?? 20261124);

// --- seeded properties with a replay line ---------------------------------------------------------

/**
 * Runs `prop` (fast-check, async) seeded by OPTIMLAB_SEED, or replays one counterexample when
 * OPTIMLAB_FUZZ_REPLAY names this property; a failure throws fast-check's report and the replay line.
 */
async function check<T>(
  name: string,
  arb: fc.Arbitrary<T>,
  body: (v: T) => Promise<void>,
  numRuns: number,
): Promise<void> {
  const replay = /^([^@]+)@(-?\d+):([\d:]+)$/.exec(process.env.OPTIMLAB_FUZZ_REPLAY ?? '');
  if (replay && replay[1] !== name) return;
  const params: fc.Parameters<[T]> = replay
    ? { seed: Number(replay[2]), path: replay[3], numRuns: 1, endOnFailure: true }
    : { seed: SEED, numRuns };
  const out = await fc.check(fc.asyncProperty(arb, body), params);
  if (out.failed) {
    const line = `OPTIMLAB_FUZZ_REPLAY='${name}@${out.seed}:${out.counterexamplePath}' npx vitest run test/input-fuzz.test.ts`;
    throw new Error(
      `${fc.defaultReportMessage(out)}\n${out.errorInstance instanceof Error ? out.errorInstance.message : String(out.errorInstance)}\nreplay: ${line}`,
    );
  }
}

const STACK = /^\s+at .+[:)]/m;

/** What `main(argv)` did: the exit code, stdout and stderr, and whether it reached the long work. */
async function cli(argv: string[]): Promise<{ code: number; out: string; err: string; reached: string }> {
  io.out.length = 0;
  io.err.length = 0;
  gate.reached = '';
  gate.open = false;
  let code: number;
  try {
    code = await main(argv);
  } finally {
    gate.open = true;
  }
  return { code, out: io.out.join('\n'), err: io.err.join('\n'), reached: gate.reached };
}

/** The rule for every outcome; `named`: text a refusal must contain (the file it read). */
function expectClean(
  r: { code: number; out: string; err: string; reached: string },
  what: string,
  named?: string,
): void {
  const shown = `${what}\nexit ${r.code}\nstderr: ${r.err.slice(0, 2000)}`;
  if (r.reached) return; // the arguments were accepted and the work began (its stand-in threw)
  expect(r.err, shown).not.toMatch(STACK);
  expect(r.err, shown).not.toContain('internal error');
  if (r.code === EXIT.usage) {
    // one line, beside notes and the notice of an old option spelling
    expect(
      r.err
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('note: ') && !l.endsWith('the old spelling will go away')),
      shown,
    ).toHaveLength(1);
    if (named) expect(r.err, shown).toContain(named);
    return;
  }
  if (r.code === EXIT.failed) {
    // only a regression (bench --baseline) or a failed task/law may exit 1, and it says so
    expect(r.out, shown).toMatch(/regression|task\(s\) failed|FAIL/);
    return;
  }
  expect(r.code, shown).toBe(EXIT.ok);
}

// --- the documents -------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const seeds: Record<string, Json> = {};
let dir = '';
const files: Record<string, string> = {};
let cwd = '';

beforeAll(async () => {
  dir = tmp();
  const verify = runSuite({ laws: ['B1', 'G3'], subjects: ['sgd', 'adam'], runs: 2 });
  const accuracy = runAccuracy({ optimizers: ['sgd'], cases: 2 });
  const convergence = runConvergence({ optimizers: ['sgd'], steps: 10 });
  const bench = await runBench({
    optimizers: ['sgd'],
    sizes: [64],
    dtypes: ['float64'],
    time: 2,
    warmupTime: 0,
    peers: false,
    quick: true,
  });
  const json = (x: unknown): Json => JSON.parse(JSON.stringify(x)) as Json;
  seeds.verify = json(verify);
  seeds.accuracy = json(accuracy);
  seeds.convergence = json(convergence);
  seeds.bench = json(bench);
  const rendered = await renderReport(mergeResults([fromDocument(verify), fromDocument(accuracy)]));
  seeds.results = JSON.parse(rendered.files.get('results.json')!) as Json;
  seeds.tfjs = {
    schema: 'optimlab.tfjs/1',
    createdAt: '2026-01-01T00:00:00.000Z',
    tfjs: '4.22.0',
    backend: 'cpu',
    verify: seeds.verify,
    unexplained: [],
    findings: [
      {
        id: 'T1',
        title: 'a finding',
        kind: 'TF.js behaviour',
        explanation: 'why',
        condition: 'when',
        cells: ['B1 sgd float64'],
        example: { call: 'c', inputs: 'i', tfjs: 't', reference: 'r', k: 1, bound: 2 },
      },
    ],
  };
  seeds.vitest = {
    numTotalTests: 1,
    numPassedTests: 1,
    numFailedTests: 0,
    success: true,
    startTime: 1,
    testResults: [
      {
        name: join(ROOT, 'properties/laws.1.test.ts'),
        status: 'passed',
        startTime: 1,
        endTime: 2,
        assertionResults: [
          {
            ancestorTitles: ['laws (part 1 of 4)', 'B1'],
            title: 'B1 sgd float64',
            fullName: 'laws (part 1 of 4) B1 B1 sgd float64',
            status: 'passed',
            duration: 1,
            failureMessages: [],
          },
        ],
      },
    ],
  };
  for (const [kind, doc] of Object.entries(seeds)) {
    files[kind] = join(dir, `${kind}.json`);
    writeFileSync(files[kind], JSON.stringify(doc));
  }
  // every seed is a document its reader accepts: a mutation starts from a valid input
  for (const kind of ['verify', 'accuracy', 'results', 'tfjs', 'vitest']) {
    const r = await cli(['report', '--no-convergence', '--merge', files[kind]!, '--out', join(dir, `ok-${kind}`)]);
    expect(r.code, `${kind}: ${r.err}`).toBe(0);
  }
  expect((await cli(['bench', '--input', files.bench!])).code).toBe(0);
  files.garbage = join(dir, 'garbage.json');
  writeFileSync(files.garbage, '{"schema": "optimlab.verify/1", ');
  files.text = join(dir, 'notes.txt');
  writeFileSync(files.text, 'not json\n');
  files.folder = join(dir, 'a-folder');
  mkdirSync(files.folder);
  files.missing = join(dir, 'missing.json');
  files.throwing = join(dir, 'throws.mjs');
  writeFileSync(files.throwing, 'throw new Error("boom");\n');
  // relative default outputs (reports/latest, optimlab-bench.json) land in a temporary folder
  cwd = process.cwd();
  process.chdir(tmp());
}, 120_000);

afterAll(() => {
  if (cwd) process.chdir(cwd);
});

// --- mutations -----------------------------------------------------------------------------------

const NASTY = [
  '',
  ' ',
  '../../../victim/logo',
  '\r# injected',
  "B1 sgd float64@1:0'; rm -rf / #",
  '__proto__',
  'constructor',
  'toString',
  'NaN',
  '-1',
  '1e999',
  'B1 sgd float64@1:0',
  '\u0000',
  'é\u202e',
];
const jsonValue: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
  fc.constantFrom<Json>(...NASTY, 0, -0, 1e308, -1e308, 5e-324, 2 ** 31, 2 ** 53 + 2, 20000, 1e9, true, null, [], {}),
);

interface Mutation {
  op: 'replace' | 'remove' | 'duplicate' | 'string' | 'number' | 'cut' | 'splice' | 'key';
  at: number;
  value: Json;
  text: string;
  num: number;
}
const mutation: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom('replace', 'remove', 'duplicate', 'string', 'number', 'cut', 'splice', 'key'),
  at: fc.nat(),
  value: jsonValue,
  text: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...NASTY)),
  num: fc.oneof(
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(0, -1, 1e308, 20000, 2 ** 31),
  ),
});

/** Every node of `doc` as [parent, key] (the root aside). */
function nodes(doc: Json, out: [Json[] | Record<string, Json>, string | number][] = []): typeof out {
  if (Array.isArray(doc))
    doc.forEach((v, i) => {
      out.push([doc, i]);
      nodes(v, out);
    });
  else if (doc !== null && typeof doc === 'object')
    for (const k of Object.keys(doc)) {
      out.push([doc, k]);
      nodes(doc[k]!, out);
    }
  return out;
}

/** The document's text after `m` (1 to 3 mutations in a row). */
function mutate(seed: Json, ms: Mutation[]): string {
  const doc = structuredClone(seed);
  let text: string | undefined;
  for (const m of ms) {
    if (m.op === 'cut' || m.op === 'splice') {
      const s = text ?? JSON.stringify(doc);
      const i = m.at % (s.length + 1);
      text = m.op === 'cut' ? s.slice(0, i) : s.slice(0, i) + m.text + s.slice(i);
      continue;
    }
    const all = nodes(doc);
    if (all.length === 0) continue;
    const [parent, key] = all[m.at % all.length]!;
    const p = parent as Record<string | number, Json>;
    if (m.op === 'replace') p[key] = m.value;
    else if (m.op === 'string') p[key] = typeof p[key] === 'string' ? m.text : String(p[key]);
    else if (m.op === 'number') p[key] = m.num;
    else if (m.op === 'remove') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete p[key];
    } else if (m.op === 'duplicate') {
      if (Array.isArray(parent)) parent.splice(key as number, 0, structuredClone(parent[key as number]!));
      else p[`${String(key)}${m.text}`] = structuredClone(p[key]!);
    } else if (m.op === 'key' && !Array.isArray(parent)) {
      const v = p[key]!;
      delete p[key];
      p[m.text] = v;
    }
  }
  return text ?? JSON.stringify(doc);
}

const mutations = fc.array(mutation, { minLength: 1, maxLength: 3 });

// --- the properties --------------------------------------------------------------------------------

describe('no raw stack trace from random arguments or documents; exit 2 for bad input, 1 only for a failure or regression', () => {
  it('command lines: every command with random options, values and files', async () => {
    const OPTIONS = [
      '--law',
      '--optimizer',
      '--optimizers',
      '--runs',
      '--seed',
      '--replay',
      '--json',
      '--junit',
      '--accuracy',
      '--cases',
      '--quiet',
      '--module',
      '--tfjs',
      '--sizes',
      '--dtypes',
      '--time',
      '--warmup',
      '--peers',
      '--no-peers',
      '--out',
      '--quick',
      '--input',
      '--law-report',
      '--all-sizes',
      '--baseline-any-machine',
      '--verify',
      '--bench',
      '--convergence',
      '--no-convergence',
      '--merge',
      '--baseline',
      '--min-change',
      '--title',
      '--laws',
      '--markdown',
      '--verbose',
      '--profile',
      '--batch-size',
      '--epochs',
      '--lr',
      '--no-tfjs',
      '--help',
      '-h',
      '--bogus',
      '-x',
      '--',
      '--optimizers',
      '--compare',
      '--noise-floor', // old spellings, still read with a notice
    ];
    const value = fc.oneof(
      fc.constantFrom(
        '1',
        '0',
        '-1',
        '1e3',
        '0.5',
        'abc',
        'B1',
        'E',
        '!E5',
        'sgd',
        'adam,sgd',
        'nonesuch',
        'float64',
        'float16',
        'random',
        'pytorch',
        'blobs',
        'B1 sgd float64@1:0',
        'x@y:z',
        ...NASTY,
      ),
      fc
        .constantFrom(
          'verify',
          'accuracy',
          'bench',
          'convergence',
          'results',
          'tfjs',
          'vitest',
          'garbage',
          'text',
          'folder',
          'missing',
          'throwing',
        )
        .map((k) => `@${k}`),
      fc.constantFrom('out', 'report-out').map((k) => `@@${k}`),
      fc.string({ maxLength: 10 }),
    );
    const token = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...OPTIONS) },
      { weight: 4, arbitrary: value },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...OPTIONS), value).map(([o, v]) => `${o}=${v}`) },
    );
    const argv = fc.tuple(
      fc.constantFrom(
        'list',
        'demo',
        'bench',
        'verify',
        'report',
        'run',
        'help',
        '--version',
        'nonesuch',
        '',
        'constructor',
        '__proto__',
        '-x',
      ),
      fc.array(token, { maxLength: 8 }),
    );
    let n = 0;
    const seen = { accepted: 0, refused: 0, other: 0 };
    await check(
      'argv',
      argv,
      async ([command, tokens]) => {
        // '@kind' is the file of that kind, '@@out' a fresh path in a temporary folder
        const args = tokens.map((t) =>
          t
            .replace(/^(.*?)@@(out|report-out)$/, (_, pre: string) => `${pre}${join(tmp(), `o${n++}`)}`)
            .replace(/^(.*?)@(\w+)$/, (whole, pre: string, k: string) => (files[k] ? `${pre}${files[k]}` : whole)),
        );
        const r = await cli([command, ...args]);
        expectClean(r, `optimlab ${[command, ...args].map((a) => JSON.stringify(a)).join(' ')}`);
        seen[r.reached ? 'accepted' : r.code === EXIT.usage ? 'refused' : 'other']++;
      },
      300,
    );
    // the draws reach both sides: command lines refused, and command lines accepted up to the work
    if (!process.env.OPTIMLAB_FUZZ_REPLAY) {
      expect(seen.refused, JSON.stringify(seen)).toBeGreaterThan(30);
      expect(seen.accepted + seen.other, JSON.stringify(seen)).toBeGreaterThan(30);
    }
  });

  it('documents of every kind, mutated, read by report --merge (and bench --input / --baseline for benchmark results)', async () => {
    const kinds = fc.constantFrom('verify', 'accuracy', 'results', 'tfjs', 'vitest', 'bench', 'convergence');
    let n = 0;
    const seen = { accepted: 0, refused: 0 };
    await check(
      'documents',
      fc.tuple(kinds, mutations),
      async ([kind, ms]) => {
        const file = join(dir, `m${n++}-${kind}.json`);
        writeFileSync(file, mutate(seeds[kind]!, ms));
        const runs: string[][] =
          kind === 'bench'
            ? [
                ['bench', '--input', file],
                ['bench', '--input', files.bench!, '--baseline', file],
                ['report', '--no-convergence', '--merge', file, '--out', join(tmp(), 'r')],
              ]
            : [['report', '--no-convergence', '--merge', file, '--out', join(tmp(), 'r')]];
        for (const argv of runs) {
          const r = await cli(argv);
          expectClean(r, `optimlab ${argv.join(' ')}\nmutations: ${JSON.stringify(ms)}`, file);
          seen[r.code === EXIT.usage ? 'refused' : 'accepted']++;
        }
      },
      200,
    );
    // mutations that keep a document valid and ones that break it both occur
    if (!process.env.OPTIMLAB_FUZZ_REPLAY) {
      expect(seen.refused, JSON.stringify(seen)).toBeGreaterThan(30);
      expect(seen.accepted, JSON.stringify(seen)).toBeGreaterThan(30);
    }
  });

  it('checkpoints: serializeState text, mutated, read by restoreState: a state, or an error the CLI shows as one line (exit 2)', async () => {
    const opts = ['adam', 'sgd', 'momentum', 'adadelta', 'amsgrad'].map((name) => createOptimizer(name));
    const texts = opts.flatMap((o) =>
      (['float64', 'float32'] as const).map((dtype) => {
        const s = o.init(3, dtype);
        o.step(
          dtype === 'float64' ? Float64Array.from([1, 2, 3]) : Float32Array.from([1, 2, 3]),
          dtype === 'float64' ? Float64Array.from([0.5, -1, 2]) : Float32Array.from([0.5, -1, 2]),
          s,
        );
        return { opt: o, doc: JSON.parse(JSON.stringify(serializeState(s, o))) as Json };
      }),
    );
    await check(
      'checkpoints',
      fc.tuple(fc.nat(texts.length - 1), mutations),
      async ([i, ms]) => {
        const { opt, doc } = texts[i]!;
        const text = mutate(doc, ms);
        try {
          restoreState(text, opt);
        } catch (e) {
          io.err.length = 0;
          const code = failure('restore', e);
          const shown = `${text.slice(0, 500)}\n${io.err.join('\n')}`;
          expect(code, shown).toBe(EXIT.usage);
          expect(io.err.join('\n'), shown).not.toMatch(STACK);
        }
      },
      400,
    );
  });

  it("a report folder's marker, mutated: report --out replaces the folder or refuses (exit 2); a file the marker does not list survives", async () => {
    const report = new Map([
      ['report.md', '# old\n'],
      ['index.html', '<p>old</p>\n'],
      ['inputs/verify.json', '{}\n'],
    ]);
    const template = join(tmp(), 'latest');
    writeOwnedFolder(template, report);
    const marker = JSON.parse(readFileSync(join(template, MARKER), 'utf8')) as Json;
    let n = 0;
    await check(
      'marker',
      mutations,
      async (ms) => {
        const out = join(tmp(), `latest${n++}`);
        writeOwnedFolder(out, report);
        const text = mutate(marker, ms);
        writeFileSync(join(out, MARKER), text);
        writeFileSync(join(out, 'thesis.tex'), 'mine\n');
        const claimed = readMarker(out)?.files.includes('thesis.tex') ?? false;
        const r = await cli(['report', '--no-convergence', '--merge', files.verify!, '--out', out]);
        expectClean(r, `marker ${text}`, out);
        if (!claimed) {
          expect(r.code, `marker ${text}`).toBe(EXIT.usage);
          expect(readFileSync(join(out, 'thesis.tex'), 'utf8')).toBe('mine\n');
          for (const [name, body] of report) expect(readFileSync(join(out, name), 'utf8')).toBe(body);
        }
      },
      100,
    );
  });

  it('through the real binary (bin/optimlab.js in a child process): a few mutated documents', async () => {
    const bin = join(ROOT, 'bin/optimlab.js');
    expect(existsSync(join(ROOT, 'dist/src/cli.js')), 'dist/ is built (npm test builds it first)').toBe(true);
    const kinds = fc.constantFrom('verify', 'accuracy', 'results', 'bench');
    let n = 0;
    await check(
      'binary',
      fc.tuple(kinds, mutations),
      async ([kind, ms]) => {
        const file = join(dir, `b${n++}-${kind}.json`);
        writeFileSync(file, mutate(seeds[kind]!, ms));
        const argv =
          kind === 'bench'
            ? ['bench', '--input', file]
            : ['report', '--no-convergence', '--merge', file, '--out', join(tmp(), 'r')];
        const p = spawnSync(process.execPath, [bin, ...argv], { encoding: 'utf8', cwd: tmp() });
        expectClean(
          { code: p.status ?? -1, out: p.stdout, err: p.stderr.trimEnd(), reached: '' },
          `node bin/optimlab.js ${argv.join(' ')}\nmutations: ${JSON.stringify(ms)}`,
          file,
        );
      },
      4,
    );
  });
});
