/**
 * The report (src/report): escaping, atomic replacement of the folder, merge of shards equals the
 * full run, and the regression view. Small fixtures, rendered for real (vega-lite → SVG).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lawSuiteTitle } from '../properties/vitest-title.js';
import { main } from '../src/cli.js';
import { charts } from '../src/report/charts.js';
import { fmtSi } from '../src/report/format.js';
import { formatSize } from '../src/util/size.js';
import { verdicts } from '../src/report/verdicts.js';
import {
  accuracyTable,
  convergenceTable,
  fromDocument,
  headline,
  lawTables,
  mergeResults,
  regression,
  renderReport,
  runHealth,
  t975,
  throughputTables,
  UNSTABLE_TRIAD_RME,
  UNSTABLE_TRIAD_OFF,
  UNSTABLE_TRIAD_COUNT,
  writeReport,
  type ResultsDoc,
} from '../src/report/index.js';
import type { Environment } from '../src/report/types.js';

/** Headless Chromium, if installed (Debian: apt-get install chromium); the layout test runs only then. */
const chromium =
  ['chromium', 'chromium-browser', 'google-chrome']
    .map((c) => {
      try {
        return execFileSync('which', [c], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null;
      } catch {
        return null;
      }
    })
    .find((c) => c) ?? null;

/**
 * Elements of the page at `html` whose right edge passes the main column's, measured by Chromium at
 * a 1280 px window: a copy of the page without its Content-Security-Policy gets a script that lists
 * them into the DOM, which --dump-dom prints.
 */
function wideElements(browser: string, html: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'optimlab-layout-'));
  dirs.push(dir);
  const page = join(dir, 'page.html');
  const probe = `<script>
const main = document.querySelector('main').getBoundingClientRect();
const wide = [...document.querySelectorAll('main *')].filter((e) => e.getBoundingClientRect().right > main.right + 0.5)
  .map((e) => e.tagName + (e.id ? '#' + e.id : '') + ' ' + Math.round(e.getBoundingClientRect().width) + 'px');
const pre = document.createElement('pre'); pre.id = 'WIDE'; pre.textContent = JSON.stringify(wide); document.body.appendChild(pre);
</script>`;
  writeFileSync(
    page,
    readFileSync(html, 'utf8')
      .replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '')
      .replace('</body>', `${probe}</body>`),
  );
  const dom = execFileSync(
    browser,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      `--user-data-dir=${join(dir, 'profile')}`,
      '--window-size=1280,2000',
      '--dump-dom',
      `file://${page}`,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 50_000 },
  );
  const m = /<pre id="WIDE">([^<]*)<\/pre>/.exec(dom);
  if (!m) throw new Error('the layout probe did not run');
  return JSON.parse(m[1]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as string[];
}

const HOST: Environment = {
  node: 'v20',
  cpuModel: 'test cpu',
  cores: 2,
  os: 'Linux',
  arch: 'x64',
  date: '2026-01-01T00:00:00.000Z',
  git: { commit: 'abc', dirty: false },
  packages: {},
};
const EVIL = '<script>alert(1)</script>';
const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'optimlab-report-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const OPTS = ['sgd', 'adam', 'nadam'];
const LAWS = [
  { id: 'B1', title: 'one step' },
  { id: 'C1', title: 'descent lemma' },
  { id: 'G3', title: 'determinism' },
  { id: 'A1', title: 'gradients' },
];

/** A verify document over `laws` (C1 applies to sgd only; A1 is standalone on 'objectives'; G3 fails for nadam float32). */
function verifyDoc(laws: string[], subjects = OPTS, names = OPTS): unknown {
  const cases: unknown[] = [];
  const table: Record<string, Record<string, string>> = {};
  for (const law of laws) {
    const row: Record<string, string> = {};
    if (law === 'A1') {
      for (const s of names) row[s] = 'n/a';
      cases.push({
        id: 'A1 objectives',
        lawId: 'A1',
        subject: 'objectives',
        status: 'pass',
        runs: 100,
        seed: 1,
        ms: 1,
      });
      row.objectives = 'pass';
      table[law] = row;
      continue;
    }
    for (const s of names) {
      if (!subjects.includes(s)) continue;
      if (law === 'C1' && s !== 'sgd') {
        row[s] = 'n/a';
        continue;
      }
      let status = 'pass';
      for (const dtype of ['float64', 'float32']) {
        const fail = law === 'G3' && s === 'nadam' && dtype === 'float32';
        if (fail) status = 'fail';
        cases.push({
          id: `${law} ${s} ${dtype}`,
          lawId: law,
          subject: s,
          dtype,
          status: fail ? 'fail' : 'pass',
          runs: 50,
          seed: 7,
          ms: 1,
          ...(fail
            ? {
                counterexample: `[${EVIL}]`,
                path: '0:1',
                error: `expected <b>1</b> got ${EVIL}`,
                replay: `${law} ${s} ${dtype}@7:0:1`,
              }
            : {}),
        });
      }
      row[s] = status;
    }
    table[law] = row;
  }
  return {
    schema: 'optimlab.verify/1',
    createdAt: '2026-01-01T00:00:00.000Z',
    seed: 20261124,
    runs: null,
    laws: LAWS.filter((l) => laws.includes(l.id)),
    subjects: [...names.filter((n) => subjects.includes(n)), ...(laws.includes('A1') ? ['objectives'] : [])],
    cases,
    table,
    summary: { cases: cases.length, passed: 0, failed: 0, ms: 1 },
  };
}

function accuracyDoc(names = OPTS): unknown {
  return {
    schema: 'optimlab.accuracy/1',
    seed: 1,
    cases: 10,
    rows: names.flatMap((o) =>
      ['float64', 'float32'].map((dtype) => ({
        optimizer: o,
        dtype,
        cases: 10,
        worstK: 1 + Math.max(0, OPTS.indexOf(o)),
        paramsK: 1,
        buffersK: {},
        bound: dtype === 'float64' ? 4 : 1,
        worstCase: `case ${o}`,
        naiveK: 1,
      })),
    ),
  };
}

/** What a bench fixture may override: every task's rme, the environment, the settings. */
interface BenchOver {
  rme?: number;
  env?: Record<string, unknown>;
  settings?: Record<string, unknown>;
}

/**
 * A bench document; `scale` multiplies the throughput of the named core optimizers. Kind 'wasm':
 * each core task also on the wasm engine, 3× as fast (`scale['wasm/adam']` scales one of them).
 */
function benchDoc(
  scale: Record<string, number> = {},
  names = OPTS,
  kinds: string[] = ['stream', 'core', 'peer'],
  over: BenchOver = {},
): unknown {
  const tasks: unknown[] = [];
  for (const dtype of ['float64', 'float32'] as const) {
    const bpe = dtype === 'float64' ? 8 : 4;
    for (const n of [1e4, 1e6, 4e6]) {
      const add = (kind: string, name: string, engine: string, streams: number, frac: number): void => {
        if (!kinds.includes(kind === 'core' && engine === 'wasm' ? 'wasm' : kind)) return;
        const bytesPerSec = 1e10 * frac;
        const eps = bytesPerSec / (streams * bpe);
        tasks.push({
          id: `${kind}:${kind === 'peer' || engine === 'wasm' ? `${engine}/` : ''}${name}:${dtype}:${n}`,
          kind,
          name,
          engine,
          dtype,
          n,
          block: 1,
          streams,
          bytesPerElement: bpe,
          status: 'ok',
          latency: {
            mean: (n / eps) * 1e3,
            p50: (n / eps) * 1e3,
            p75: (n / eps) * 1e3,
            p99: (n / eps) * 1e3,
            min: (n / eps) * 1e3,
            max: (n / eps) * 1e3,
            sd: 0,
          },
          rme: over.rme ?? 1.5,
          samples: 50,
          elementsPerSec: eps,
          bytesPerSec,
          ratioToTriad: frac,
        });
      };
      add('stream', 'triad', 'js', 3, 1);
      names.forEach((o, i) => {
        add('core', o, 'js', 7, (0.9 - 0.1 * i) * (scale[o] ?? 1));
        if (kinds.includes('wasm')) add('core', o, 'wasm', 7, 3 * (0.9 - 0.1 * i) * (scale[`wasm/${o}`] ?? 1));
      });
      if (dtype === 'float32') names.forEach((o) => add('peer', o, 'tfjs-cpu', 7, o === 'sgd' ? 1.2 : 0.1));
    }
  }
  return {
    format: 'optimlab.bench',
    version: 1,
    environment: {
      ...HOST,
      v8: '11',
      totalMemoryBytes: 2 ** 34,
      loadAverageStart: [0, 0, 0],
      loadAverageEnd: [0, 0, 0],
      durationSec: 1,
      ...over.env,
    },
    settings: {
      quick: false,
      optimizers: names,
      sizes: [1e4, 1e6, 4e6],
      dtypes: ['float64', 'float32'],
      peers: true,
      seed: 'b',
      minBlockElements: 1e5,
      peerMinBlockElements: 1e4,
      ...over.settings,
      tinybench: {
        version: null,
        time: 250,
        warmupTime: 83,
        iterations: 2,
        warmupIterations: 5,
        peerIterations: 5,
        peerWarmupIterations: 1,
        timestampProvider: 'performance.now',
        ...(over.settings?.tinybench as object | undefined),
      },
    },
    tasks,
    checks: { abstraction: [], peers: [] },
    peerEngines: [],
    skipped: [],
    system: Object.fromEntries(
      ['referenceStep', 'gradientEvaluations', 'trainingEpochs', 'lawSuite'].map((k) => [
        k,
        { status: 'not-available', reason: 'fixture' },
      ]),
    ),
  };
}

function convergenceDoc(): unknown {
  const grid = {
    x0: -1,
    x1: 1,
    y0: -1,
    y1: 1,
    nx: 5,
    ny: 5,
    values: Array.from({ length: 25 }, (_, k) => ((k % 5) - 2) ** 2 - (Math.floor(k / 5) - 2) ** 2),
  };
  return {
    schema: 'optimlab.convergence/1',
    createdAt: '2026-01-01T00:00:00.000Z',
    seed: 3,
    settings: { rateGrid: [0.01, 0.1], tuneBy: 'fewest steps', dtype: 'float64', optimizers: OPTS },
    objectives: [
      {
        name: 'beale',
        title: 'Beale',
        dim: 2,
        fStar: 0,
        fStarSource: 'exact',
        target: 1e-6,
        steps: 3,
        start: [1, 1],
        runs: OPTS.map((o) => ({
          optimizer: o,
          lr: 0.1,
          rate: 'tuned',
          curve: [
            { step: 0, gap: 1 },
            { step: 3, gap: 1e-3 },
          ],
          stepsToTarget: null,
          finalLoss: 1e-3,
          finalGap: 1e-3,
          divergedAt: null,
        })),
      },
    ],
    trajectories: [
      {
        name: 'saddle',
        title: 'saddle',
        formula: 'x² − y²',
        grid,
        levels: 'linear',
        minima: [],
        start: [0.5, 0.01],
        steps: 2,
        runs: OPTS.map((o) => ({
          optimizer: o,
          lr: 0.1,
          rate: 'stated',
          path: [
            [0.5, 0.01],
            [0.4, 0.02],
            [0.3, 0.05],
          ],
          final: [0.3, 0.05],
        })),
      },
    ],
    blobs: { status: 'not-available', reason: 'fixture' },
    ms: 1,
  };
}

const doc = (d: unknown, file = 'x.json'): ResultsDoc => fromDocument(d, { file });

describe("Student's t quantiles (regression view)", () => {
  it('t(0.975, df): standard table values, and the expansion beyond 30 meets the table at 40, 60, 120 and ∞', () => {
    // two-sided 95% points of Student's t (any statistics table)
    expect(t975(1)).toBe(12.706);
    expect(t975(2)).toBe(4.303);
    expect(t975(10)).toBe(2.228);
    expect(t975(30)).toBe(2.042);
    expect(t975(40)).toBeCloseTo(2.021, 3);
    expect(t975(60)).toBeCloseTo(2.0, 3);
    expect(t975(120)).toBeCloseTo(1.98, 3);
    expect(t975(1e9)).toBeCloseTo(1.96, 3);
    expect(() => t975(0)).toThrow(/df = 0; allowed: df ≥ 1/);
  });
});

describe('report', () => {
  it('escapes user-controlled strings: optimizer names, file names, law messages', async () => {
    const names = ['sgd', EVIL];
    const r = mergeResults([
      doc(verifyDoc(['B1', 'G3'], names, names), `shard-${EVIL}.json`),
      doc(accuracyDoc(names)),
      doc(benchDoc({}, names)),
      doc(convergenceDoc()),
    ]);
    // the failing law case for the evil optimizer name, whose message is evil too
    r.verify!.cases.push({
      id: `G3 ${EVIL} float32`,
      lawId: 'G3',
      subject: EVIL,
      dtype: 'float32',
      status: 'fail',
      error: EVIL,
      counterexample: EVIL,
      replay: EVIL,
      source: 's1',
    });
    const out = join(tmp(), 'report');
    const files = await writeReport(r, { outDir: out, host: HOST });
    const html = readFileSync(files.html, 'utf8');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain(`shard-&lt;script&gt;alert(1)&lt;/script&gt;.json`);
    const md = readFileSync(files.markdown, 'utf8');
    // Outside code blocks nothing is raw; inside a fenced block the failure is shown verbatim (as text).
    expect(md.replace(/^(`{3,})\n[\s\S]*?\n\1$/gm, '')).not.toMatch(/<script/i);
    expect(md).toMatch(/```\nlaw G3 <script>alert\(1\)<\/script> float32 failed/);
    expect(md).toContain('&lt;script&gt;');
    for (const svg of files.charts) expect(readFileSync(svg, 'utf8')).not.toMatch(/<script/i);
  });

  it('a failing render leaves the previous report intact, and no temporary folder behind', async () => {
    const parent = tmp();
    const out = join(parent, 'latest');
    const good = mergeResults([doc(verifyDoc(['B1'])), doc(benchDoc())]);
    await writeReport(good, { outDir: out, host: HOST });
    const before = Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]));
    // 1. the render itself throws (a malformed document)
    const bad = { ...good, verify: { laws: [], subjects: [], cases: null } } as unknown as ResultsDoc;
    await expect(writeReport(bad, { outDir: out, host: HOST })).rejects.toThrow();
    // 2. everything rendered, then a failure before the swap (disk full, killed …)
    await expect(
      writeReport(mergeResults([doc(verifyDoc(['C1']))]), {
        outDir: out,
        host: HOST,
        beforeSwap: () => {
          throw new Error('disk full');
        },
      }),
    ).rejects.toThrow('disk full');
    const after = Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]));
    expect(after).toEqual(before);
    expect(readdirSync(parent)).toEqual(['latest']);
    // and a good render replaces it
    await writeReport(mergeResults([doc(verifyDoc(['C1']))]), { outDir: out, host: HOST });
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('C1');
    expect(existsSync(join(out, 'throughput.svg'))).toBe(false);
    expect(readdirSync(parent)).toEqual(['latest']);
  });

  it('--merge of shard results equals the report of one full run (same tables)', async () => {
    const full = mergeResults([
      doc(verifyDoc(['A1', 'B1', 'C1', 'G3'])),
      doc(accuracyDoc()),
      doc(benchDoc()),
      doc(convergenceDoc()),
    ]);
    // shards split by law, and by optimizer (as two CI machines would), each a results.json of its own
    const s1 = mergeResults([
      doc(verifyDoc(['A1', 'B1'])),
      doc(accuracyDoc(['sgd', 'adam'])),
      doc(benchDoc({}, OPTS, ['stream', 'core'])),
    ]);
    const s2 = mergeResults([
      doc(verifyDoc(['C1', 'G3'])),
      doc(accuracyDoc(['nadam'])),
      doc(benchDoc({}, OPTS, ['peer'])),
      doc(convergenceDoc()),
    ]);
    const roundTrip = (r: ResultsDoc): ResultsDoc => doc(JSON.parse(JSON.stringify(r)), 'results.json');
    const merged = mergeResults([roundTrip(s1), roundTrip(s2)]);
    const tables = (r: ResultsDoc): unknown => ({
      laws: lawTables(r),
      accuracy: accuracyTable(r),
      throughput: throughputTables(r),
      convergence: convergenceTable(r),
    });
    expect(tables(merged)).toEqual(tables(full));
    expect(lawTables(merged)[0]!.rows.map((row) => row.map((c) => c.text))).toEqual([
      ['B1', 'pass', 'pass', 'pass'],
      ['C1', 'pass', 'n/a', 'n/a'],
      ['G3', 'pass', 'pass', 'FAIL'],
    ]);
    // the rendered Markdown has the same tables (provenance aside)
    const md = async (r: ResultsDoc): Promise<string> => {
      const text = (await renderReport(r, { host: HOST })).files.get('report.md')!;
      return text.slice(text.indexOf('## Laws'), text.indexOf('## Provenance')).replace(/\(source: [^)]*\)/g, '');
    };
    expect(await md(merged)).toEqual(await md(full));
    expect(merged.sources.map((s) => s.kind)).toEqual([
      'verify',
      'accuracy',
      'bench',
      'verify',
      'accuracy',
      'bench',
      'convergence',
    ]);
  });

  it('vitest JSON reports of shards merge like the full run', () => {
    const vitest = (titles: [string, 'passed' | 'failed'][]): unknown => ({
      numTotalTests: titles.length,
      startTime: 0,
      testResults: [
        {
          name: 'properties/laws.1.test.ts',
          assertionResults: titles.map(([title, status]) => ({
            ancestorTitles: [lawSuiteTitle(1, 4)],
            title,
            status,
            failureMessages:
              status === 'failed'
                ? [
                    "law x failed\n  counterexample (shrunk): [1]\n  error: boom\n  seed 5, path 0:1\n  replay: OPTIMLAB_REPLAY='G3 adam float64@5:0:1' npx vitest",
                  ]
                : [],
          })),
        },
      ],
    });
    const all: [string, 'passed' | 'failed'][] = [
      ['B1 sgd float64', 'passed'],
      ['B1 adam float64', 'passed'],
      ['G3 adam float64', 'failed'],
      ['A1 objectives', 'passed'],
    ];
    const full = doc(vitest(all));
    const merged = mergeResults([doc(vitest(all.slice(0, 2))), doc(vitest(all.slice(2)))]);
    expect(lawTables(merged)).toEqual(lawTables(full));
    const fail = merged.verify!.cases.find((c) => c.status === 'fail')!;
    expect(fail).toMatchObject({
      lawId: 'G3',
      subject: 'adam',
      dtype: 'float64',
      counterexample: '[1]',
      error: 'boom',
      seed: 5,
      replay: 'G3 adam float64@5:0:1',
    });
  });

  it('the regression view marks exactly the task whose baseline was 30% faster', async () => {
    const current = mergeResults([doc(benchDoc())]);
    const baseline = mergeResults([doc(benchDoc({ adam: 1.3 }))]);
    const g = regression(current, baseline);
    const marked = g.tasks.filter((x) => x.verdict !== 'within noise' && x.verdict !== 'reference');
    expect(marked.length).toBeGreaterThan(0);
    expect(marked.every((x) => x.kind === 'core' && x.name === 'adam' && x.verdict === 'regression')).toBe(true);
    expect(marked.length).toBe(g.tasks.filter((x) => x.kind === 'core' && x.name === 'adam').length);
    expect(marked[0]!.change).toBeCloseTo(1 / 1.3 - 1, 10);
    // within the noise band: a 3% change at rme 1.5% (both runs) is not marked, a 6% drop is
    const small = regression(current, mergeResults([doc(benchDoc({ sgd: 1.03, adam: 1 / 0.94 }))]), 0);
    expect(small.tasks.filter((x) => x.verdict === 'regression').map((x) => x.name)).toEqual(Array(6).fill('adam'));
    // a machine that is 40% slower as a whole (the triad too) is not a regression of the code
    const busy = JSON.parse(JSON.stringify(benchDoc())) as { tasks: { elementsPerSec: number; bytesPerSec: number }[] };
    for (const x of busy.tasks) {
      x.elementsPerSec *= 0.6;
      x.bytesPerSec *= 0.6;
    }
    expect(regression(mergeResults([doc(busy)]), current).regressions).toBe(0);
    // runs of the same loop form give no warning; a baseline of plain loops (no settings.unroll) against unrolled ones does
    expect(g.warnings).toEqual([]);
    const unrolled = JSON.parse(JSON.stringify(benchDoc())) as { settings: Record<string, unknown> };
    unrolled.settings.unroll = 4;
    const w = regression(mergeResults([doc(unrolled)]), current).warnings;
    expect(w).toEqual([
      "the baseline's loops ran 1 element(s) per iteration, this run's 4: the triad itself changed, so ratios to it compare different loops",
    ]);
    expect(
      (await renderReport(mergeResults([doc(unrolled)]), { host: HOST, baseline: current })).files.get('report.md'),
    ).toContain("Note: the baseline's loops ran 1 element(s)");
    // a baseline of two runs: the band is a prediction interval from their spread, pooled over the
    // optimizers of each dtype and n (here adam alone differs between the runs, by a factor 1.3)
    const twoRuns = mergeResults([doc(benchDoc()), doc(benchDoc({ adam: 1.3 }))]);
    const within = regression(current, twoRuns);
    expect(within.regressions).toBe(0);
    const adamRow = within.tasks.find((x) => x.id === 'core:adam:float64:10000')!;
    expect(adamRow.baselineRuns).toBe(2);
    expect(adamRow.change).toBeCloseTo(1 / Math.sqrt(1.3) - 1, 10); // against the geometric centre of the two runs
    // by hand: per task Σ(x_i − x̄)² = (ln 1.3)²/2 for adam, 0 for the others; df = one per task
    const k = OPTS.length;
    const sPooled = Math.sqrt(Math.log(1.3) ** 2 / 2 / k);
    expect(adamRow.noiseHigh).toBeCloseTo(Math.exp(t975(k) * sPooled * Math.sqrt(1 + 1 / 2)) - 1, 10);
    // a run far below the band is marked; one inside the runs' spread is not
    const slower = mergeResults([doc(benchDoc({ adam: 0.5 }))]);
    expect(
      regression(slower, twoRuns)
        .tasks.filter((x) => x.verdict === 'regression')
        .map((x) => x.name),
    ).toEqual(Array(marked.length).fill('adam'));
    expect(regression(mergeResults([doc(benchDoc({ adam: 0.9 }))]), twoRuns).regressions).toBe(0);
    // each baseline run is divided by its own triad: a second run on a machine 40% slower as a whole changes nothing
    expect(regression(current, mergeResults([doc(benchDoc()), doc(busy)])).regressions).toBe(0);
    const fast = JSON.parse(JSON.stringify(benchDoc())) as typeof busy;
    for (const x of fast.tasks) {
      x.elementsPerSec *= 1.4;
      x.bytesPerSec *= 1.4;
    }
    const quicker = regression(
      mergeResults([doc(benchDoc({ adam: 1.3 }))]),
      mergeResults([doc(benchDoc()), doc(fast)]),
    );
    expect(quicker.tasks.filter((x) => x.verdict === 'improvement').map((x) => x.name)).toEqual(
      Array(marked.length).fill('adam'),
    );
    // a task the baseline has and this run lacks is listed as missing (once, however many baseline runs)
    const noPeers = regression(mergeResults([doc(benchDoc({}, OPTS, ['stream', 'core']))]), twoRuns);
    const missing = noPeers.tasks.filter((x) => x.verdict === 'missing');
    expect(missing.length).toBe(current.bench!.tasks.filter((x) => x.kind === 'peer').length);
    expect(missing.every((x) => x.kind === 'peer' && x.current === null && x.base !== null)).toBe(true);
    // peers are other libraries' code: shown, never judged
    expect(g.tasks.filter((x) => x.kind === 'peer').every((x) => x.verdict === 'reference')).toBe(true);
    // and the rendered report says so in both documents: once in the table of changes beyond the
    // noise, once in the table of every task
    const files = (await renderReport(current, { host: HOST, baseline, baselineLabel: 'baseline.json' })).files;
    for (const name of ['report.md', 'index.html']) {
      const text = files.get(name)!;
      expect(text.match(/REGRESSION/g)?.length).toBe(2 * marked.length);
    }
  });
});

describe('the wasm engine in the report', () => {
  const WITH_WASM = ['stream', 'core', 'peer', 'wasm'];

  it('the throughput tables, the chart and the first screen show the wasm engine beside the JS core, the peers and the triad', async () => {
    const r = doc(benchDoc({}, OPTS, WITH_WASM));
    const [table] = throughputTables(r);
    expect(table!.columns).toEqual([
      'task',
      'dtype',
      'elements/s',
      'bytes/s',
      '±',
      '÷ triad',
      'wasm ÷ js',
      'vs tfjs-cpu',
      'vs tfjs-wasm',
    ]);
    const labels = table!.rows.map((row) => `${row[0]!.text} ${row[1]!.text}`);
    // each optimizer's wasm row right after its JS row
    for (const o of OPTS)
      for (const d of ['float64', 'float32'])
        expect(labels.indexOf(`${o} (wasm engine) ${d}`)).toBe(labels.indexOf(`${o} ${d}`) + 1);
    const adamWasm = table!.rows.find((row) => row[0]!.text === 'adam (wasm engine)' && row[1]!.text === 'float32')!;
    expect(adamWasm[6]!.text).toBe('3×'); // wasm ÷ js
    expect(adamWasm[7]!.text).toBe('24×'); // its own speed over the tfjs-cpu peer: 3 · 0.8 / 0.1
    expect(table!.rows.find((row) => row[0]!.text === 'adam' && row[1]!.text === 'float32')![6]!.text).toBe('');
    const files = (await renderReport(r, { host: HOST })).files;
    const md = files.get('report.md')!;
    expect(md).toMatch(/\| adam \(wasm engine\) \| float64 \| .* \| 3× \| n\/a \| n\/a \|/);
    expect(md).toMatch(
      /\*\*Speed\*\*: at n = 1e6: .*wasm engine float32 3× the JS core, 2.3×–24× the fastest peer; wasm engine float64 3× the JS core;/,
    );
    const svg = files.get('throughput.svg')!;
    expect(svg).toContain('optimlab wasm engine');
    expect(files.get('index.html')!).toContain('adam (wasm engine)');
  });

  it('a results file without engines (written before the wasm engine) renders as before: JS only', async () => {
    const old = benchDoc() as { tasks: Record<string, unknown>[] };
    for (const t of old.tasks) if (t.kind !== 'peer') delete t.engine;
    const r = doc(old);
    expect(r.bench!.tasks.filter((t) => t.kind !== 'peer').every((t) => t.engine === 'js')).toBe(true);
    expect(throughputTables(r)[0]!.columns).not.toContain('wasm ÷ js');
    expect((await renderReport(r, { host: HOST })).files.get('report.md')!).not.toContain('wasm engine');
  });

  it("the regression view compares like with like: the wasm engine's step with its own baseline, pooled apart from the JS core's", () => {
    const current = doc(benchDoc({}, OPTS, WITH_WASM));
    // the baseline's wasm adam 30% faster; its JS adam the same: only the wasm rows regress
    const g = regression(current, doc(benchDoc({ 'wasm/adam': 1.3 }, OPTS, WITH_WASM)));
    const regs = g.tasks.filter((x) => x.verdict === 'regression');
    expect(regs.map((x) => x.id).sort()).toEqual(
      ['float32', 'float64'].flatMap((d) => [1e4, 1e6, 4e6].map((n) => `core:wasm/adam:${d}:${n}`)).sort(),
    );
    // a baseline of JS only: the wasm tasks are new, never compared with the JS core's figures
    const fromJs = regression(current, doc(benchDoc()));
    expect(fromJs.regressions + fromJs.improvements).toBe(0);
    expect(fromJs.tasks.filter((x) => x.verdict === 'new').every((x) => x.id.startsWith('core:wasm/'))).toBe(true);
    expect(fromJs.tasks.filter((x) => x.verdict === 'new').length).toBe(2 * 3 * OPTS.length);
    // two baseline runs whose JS adam differs by 1.3: the band of the wasm steps (identical in both
    // runs) is not widened by the JS core's spread
    const twoRuns = mergeResults([doc(benchDoc({}, OPTS, WITH_WASM)), doc(benchDoc({ adam: 1.3 }, OPTS, WITH_WASM))]);
    const wasmRow = regression(current, twoRuns).tasks.find((x) => x.id === 'core:wasm/nadam:float64:10000')!;
    const jsRow = regression(current, twoRuns).tasks.find((x) => x.id === 'core:nadam:float64:10000')!;
    expect(jsRow.noiseHigh!).toBeGreaterThan(0.05);
    expect(wasmRow.noiseHigh).toBe(0.05); // spread 0 among the wasm tasks: the floor
  });
});

describe('the one judge of a benchmark change (bench --baseline and the regression view)', () => {
  const write = (name: string, d: unknown): string => {
    const path = join(tmp(), name);
    writeFileSync(path, JSON.stringify(d));
    return path;
  };
  /** Runs `optimlab bench ARGS` and returns its exit code and what it printed. */
  const bench = async (args: string[]): Promise<{ code: number; out: string }> => {
    const lines: string[] = [];
    const [log, err] = [console.log, console.error];
    console.log = (...a: unknown[]) => {
      lines.push(a.join(' '));
    };
    console.error = (...a: unknown[]) => {
      lines.push(a.join(' '));
    };
    try {
      return { code: await main(['bench', ...args]), out: lines.join('\n') };
    } finally {
      [console.log, console.error] = [log, err];
    }
  };
  const adamCore = OPTS.length === 3 ? 6 : 0; // adam's core tasks: 2 dtypes × 3 sizes

  it('with every rme at 3%, a −7% change is a regression and a −5.5% change is noise, in both commands', async () => {
    const cur = benchDoc({}, OPTS, ['stream', 'core', 'peer'], { rme: 3 });
    const down7 = benchDoc({ adam: 1 / 0.93 }, OPTS, ['stream', 'core', 'peer'], { rme: 3 });
    const down55 = benchDoc({ adam: 1 / 0.945 }, OPTS, ['stream', 'core', 'peer'], { rme: 3 });
    // the report's view: h = √(4 · 3%²) = 6%
    const g7 = regression(doc(cur), doc(down7));
    expect(g7.judged).toBe(true);
    expect(
      g7.tasks
        .filter((x) => x.verdict === 'regression')
        .map((x) => x.id)
        .sort(),
    ).toEqual(
      g7.tasks
        .filter((x) => x.kind === 'core' && x.name === 'adam')
        .map((x) => x.id)
        .sort(),
    );
    expect(g7.tasks.find((x) => x.id === 'core:adam:float64:10000')!.change).toBeCloseTo(-0.07, 10);
    expect(g7.tasks.find((x) => x.id === 'core:adam:float64:10000')!.noiseLow).toBeCloseTo(-0.06, 10);
    expect(regression(doc(cur), doc(down55)).regressions).toBe(0);
    // bench --baseline: the same verdicts, exit code 1 on a regression
    const curPath = write('cur.json', cur);
    const r7 = await bench(['--input', curPath, '--baseline', write('down7.json', down7)]);
    expect(r7.code).toBe(1);
    expect(r7.out.match(/REGRESSION core:adam:/g)?.length).toBe(adamCore);
    expect(r7.out).toMatch(/REGRESSION core:adam:float64:10000: −7\.0% \(noise band −6\.0% … \+6\.0%\)/);
    const r55 = await bench(['--input', curPath, '--baseline', write('down55.json', down55)]);
    expect(r55.code).toBe(0);
    expect(r55.out).toMatch(/0 regression\(s\), 0 improvement\(s\)/);
    // and a report's results.json of several runs is a baseline for bench --baseline too
    const merged = mergeResults([doc(down7), doc(down7)]);
    const rm = await bench(['--input', curPath, '--baseline', write('merged.json', merged)]);
    expect(rm.out).toMatch(/\(2 runs\)/);
  });

  it('a baseline from another machine gets no verdicts, one sentence why, and the first screen says so', async () => {
    const cur = doc(benchDoc());
    const other = doc(
      benchDoc({ adam: 1.3 }, OPTS, ['stream', 'core', 'peer'], { env: { cpuModel: 'Intel(R) Xeon(R) Processor' } }),
    );
    const g = regression(cur, other);
    expect(g.judged).toBe(false);
    expect(g.tasks).toEqual([]);
    expect(g.regressions).toBe(0);
    expect(g.why).toBe(
      'No verdicts: the baseline was measured on another machine (Intel(R) Xeon(R) Processor, 2 cores, Node v20 (V8 11); this run: test cpu, 2 cores, Node v20 (V8 11)), and figures from different machines are not comparable; make a baseline on this machine (docs/benchmarking.md) or pass --baseline-any-machine to compare anyway.',
    );
    // Node (and so V8) is part of the machine
    expect(regression(cur, doc(benchDoc({}, OPTS, ['stream', 'core'], { env: { node: 'v22' } }))).why).toMatch(
      /another machine .*Node v22/,
    );
    // forced: judged, and labelled
    const forced = regression(cur, other, { anyMachine: true });
    expect(forced.judged).toBe(true);
    expect(forced.acrossMachines).toMatch(/^Compared across machines because --baseline-any-machine was given/);
    expect(forced.tasks.filter((x) => x.verdict === 'regression').every((x) => x.name === 'adam')).toBe(true);
    // the report: verdicts first (before any section), the speed chart there, the sentence as the regression verdict
    const full = mergeResults([doc(verifyDoc(['B1'])), doc(accuracyDoc()), cur]);
    const files = (
      await renderReport(full, { host: HOST, baseline: other, baselineLabel: 'reports/baseline/results.json' })
    ).files;
    const html = files.get('index.html')!;
    const first = html.slice(0, html.indexOf('<section>'));
    expect(first).toMatch(/class="verdicts"/);
    expect(first).toContain('aria-label="Speed at n = 1e6"');
    expect(first).toContain('No verdicts: the baseline was measured on another machine');
    expect(html).not.toMatch(/REGRESSION/);
    expect(html).not.toMatch(/id="regression-view"/);
    const md = files.get('report.md')!;
    expect(md.slice(0, md.indexOf('## '))).toMatch(
      /\*\*Regressions\*\*: No verdicts: the baseline was measured on another machine/,
    );
    expect(md.slice(0, md.indexOf('## '))).toContain('![Speed at n = 1e6](speedup.svg)');
  });

  it('a baseline measured with other settings (time per task, sizes) gets no verdicts', () => {
    const cur = doc(benchDoc());
    const short = doc(
      benchDoc({ adam: 1.3 }, OPTS, ['stream', 'core'], { settings: { tinybench: { time: 20, warmupTime: 7 } } }),
    );
    expect(regression(cur, short).why).toMatch(
      /^No verdicts: the baseline was measured with other settings \(20 ms per task \(warmup 7 ms\), sizes 1e4, 1e6, 4e6; this run: 250 ms per task \(warmup 83 ms\), sizes 1e4, 1e6, 4e6\)/,
    );
    expect(regression(cur, doc(benchDoc({}, OPTS, ['stream', 'core'], { settings: { sizes: [1e4] } }))).judged).toBe(
      false,
    );
    // not even when forced across machines: other settings measure other things
    expect(regression(cur, short, { anyMachine: true }).judged).toBe(false);
  });

  it('a busy or unstable run is marked unreliable and judged by nobody; a quiet one at the threshold is judged', async () => {
    const base = doc(benchDoc({ adam: 1.3 }));
    const busy = doc(
      benchDoc({}, OPTS, ['stream', 'core', 'peer'], {
        env: { loadAverageStart: [9.1, 5, 3], loadAverageEnd: [8, 6, 3] },
      }),
    );
    const g = regression(busy, base);
    expect(g.judged).toBe(false);
    expect(g.why).toBe(
      // a run of 1 s: too short for the load average to tell it from what came before, the higher sample counts
      "No verdicts: this run's throughput figures are unreliable, because the machine was busy (other work ran 8.1 threads on average beside the benchmark's 1.0, on 2 cores: 1-minute load average 9.1 over the run); measure again on a quiet machine.",
    );
    // at the threshold (src/util/loadavg.ts; test/loadavg.test.ts has the load average's model): other work 0.75 on 2 cores is quiet enough
    expect(runHealth({ cores: 2, loadAverageStart: [1.75] }, {}, []).reliable).toBe(true);
    expect(runHealth({ cores: 2, loadAverageStart: [1.76] }, {}, []).reliable).toBe(false);
    // a triad whose margin is above the threshold
    const wobbly = JSON.parse(JSON.stringify(benchDoc())) as { tasks: { id: string; rme: number }[] };
    wobbly.tasks.find((x) => x.id === 'stream:triad:float32:1000000')!.rme = 104;
    expect(regression(doc(wobbly), base).why).toMatch(
      /the STREAM triad varied by ±104% within the run \(float32, n = 1e6; a quiet run stays below ±5%\)/,
    );
    wobbly.tasks.find((x) => x.id === 'stream:triad:float32:1000000')!.rme = UNSTABLE_TRIAD_RME;
    expect(regression(doc(wobbly), base).judged).toBe(true);
    // an unreliable baseline is not judged against either
    expect(regression(doc(benchDoc()), busy).why).toMatch(
      /^No verdicts: the baseline's runs are unreliable, because the machine was busy/,
    );
    // the report marks the figures: a warning in the throughput section, the speed verdict, the chart title
    const files = (await renderReport(busy, { host: HOST, baseline: base })).files;
    const html = files.get('index.html')!;
    expect(html).toMatch(/<p class="warning">These throughput figures are unreliable, because the machine was busy/);
    expect(html).toMatch(
      /<span class="topic">Speed<\/span><span class="text">unreliable figures, because the machine was busy/,
    );
    expect(html).toContain('aria-label="Speed at n = 1e6 (unreliable: see the note)"');
    expect(html).not.toMatch(/REGRESSION/);
  });
});

describe('the triad measured through its group (remeasured)', () => {
  type Triad = { id: string; elementsPerSec: number; remeasured?: number[] };
  /** A bench document whose float32 n = 1e6 triad was measured `times` (× its figure), its own task first. */
  function measured(times: number[]): ResultsDoc {
    const d = JSON.parse(JSON.stringify(benchDoc())) as { tasks: Triad[] };
    const t = d.tasks.find((x) => x.id === 'stream:triad:float32:1000000')!;
    const eps = t.elementsPerSec;
    t.remeasured = times.map((x) => x * eps);
    t.elementsPerSec = t.remeasured[0]!;
    return doc(d);
  }
  const level = (k: number): number[] => Array.from({ length: k }, () => 1);

  it('two measurements more than 15% from their median mark the run unreliable; one, or any number within 15%, do not', () => {
    const base = doc(benchDoc());
    expect([UNSTABLE_TRIAD_OFF, UNSTABLE_TRIAD_COUNT]).toEqual([0.15, 2]);
    // the float32 triad of benchDoc: 1e10 bytes/s over 3 streams of 4 bytes = 833.3 M elements/s; median 1 (of 14)
    expect(regression(measured([1, 0.6, 0.5, ...level(10), 1.2]), base).why).toBe(
      "No verdicts: this run's throughput figures are unreliable, because the STREAM triad ran more than 15% away from its median in 3 of its 14 measurements through the run (float32, n = 1e6: 417 to 1000 M elements/s, median 833; a quiet run has at most 1); measure again on a quiet machine.",
    );
    // one far off (a hiccup beside one task) is judged
    expect(regression(measured([1, 0.3, ...level(12)]), base).judged).toBe(true);
    // any number within 15% is judged; two just beyond it are not
    expect(regression(measured([1, 0.86, 1.14, 0.9, 1.1, ...level(9)]), base).judged).toBe(true);
    expect(regression(measured([1, 0.84, 1.16, ...level(11)]), base).judged).toBe(false);
  });

  it('ratios divide by the median of the measurements, not by the first: a triad that sagged once changes no verdict', () => {
    const base = doc(benchDoc());
    // the triad's own figure 8% low, its measurements through the group at the baseline's level
    const g = regression(measured([0.92, ...level(12), 1.02]), base);
    expect(g.judged).toBe(true);
    const core = g.tasks.filter((t) => t.kind === 'core' && t.dtype === 'float32' && t.n === 1e6);
    expect(core.length).toBe(OPTS.length);
    for (const t of core) {
      expect(t.normalised).toBe(true);
      expect(t.change).toBeCloseTo(0, 12);
      expect(t.verdict).toBe('within noise');
    }
    // the same run without its measurements through the group: its one figure is the level, every task is
    // +8.7% (1/0.92), and only the band's widening by the triad's move (the next test) keeps that within noise
    const once = JSON.parse(JSON.stringify(benchDoc())) as { tasks: Triad[] };
    once.tasks.find((x) => x.id === 'stream:triad:float32:1000000')!.elementsPerSec *= 0.92;
    const h = regression(doc(once), base);
    for (const t of h.tasks.filter((x) => x.kind === 'core' && x.dtype === 'float32' && x.n === 1e6)) {
      expect(t.change).toBeCloseTo(1 / 0.92 - 1, 12);
      expect(t.noiseHigh).toBeCloseTo(1.05 / 0.92 - 1, 12);
    }
  });

  it("widens the band on the side the triad's level moved: an unchanged step limited by arithmetic is within noise, a slower one still a regression", () => {
    const base = doc(benchDoc());
    // every float32 n = 1e6 measurement of the triad at 2/3 of the baseline's: the memory was slower for the whole group
    const cur = JSON.parse(JSON.stringify(benchDoc())) as {
      tasks: { id: string; elementsPerSec: number; remeasured?: number[] }[];
    };
    const triad = cur.tasks.find((x) => x.id === 'stream:triad:float32:1000000')!;
    triad.elementsPerSec *= 2 / 3;
    triad.remeasured = Array.from({ length: 14 }, () => triad.elementsPerSec);
    // sgd followed the memory (2/3 of its speed), adam kept its speed (arithmetic), nadam fell to half
    const speed = (id: string, x: number): void => {
      cur.tasks.find((t) => t.id === id)!.elementsPerSec *= x;
    };
    speed('core:sgd:float32:1000000', 2 / 3);
    speed('core:nadam:float32:1000000', 1 / 2);
    const g = regression(doc(cur), base);
    expect(g.judged).toBe(true);
    const row = (name: string) => g.tasks.find((t) => t.id === `core:${name}:float32:1000000`)!;
    // the band: rme 1.5% in each of four figures, h = 3% < the 5% floor; high widened by ln(3/2): 1.05 × 1.5 − 1
    for (const name of ['sgd', 'adam', 'nadam']) {
      expect(row(name).noiseLow).toBe(-0.05);
      expect(row(name).noiseHigh).toBeCloseTo(0.575, 12);
    }
    expect(row('sgd').change).toBeCloseTo(0, 12);
    expect(row('sgd').verdict).toBe('within noise');
    expect(row('adam').change).toBeCloseTo(0.5, 12);
    expect(row('adam').verdict).toBe('within noise');
    // half the speed against a triad at 2/3: a ratio 3/4 of the baseline's, −25%
    expect(row('nadam').change).toBeCloseTo(-0.25, 12);
    expect(row('nadam').verdict).toBe('regression');
    // a group whose triad did not move keeps the band it had
    expect(g.tasks.find((t) => t.id === 'core:adam:float64:1000000')!.noiseHigh).toBe(0.05);
  });
});

describe('report layout and figures', () => {
  it('the speed chart is taken where the peers ran when 1e6 was not measured, and never says TF.js lacks an optimizer it did not measure', async () => {
    type T = { n: number; kind: string };
    const only = (keep: (t: T) => boolean, sizes: number[]): unknown => {
      const d = benchDoc({}, OPTS, ['stream', 'core', 'peer'], { settings: { sizes } }) as { tasks: T[] };
      return { ...d, tasks: d.tasks.filter(keep) };
    };
    // a --quick run's shape: peers at the smallest size only, no 1e6: the chart is at the size with peers
    const quickish = doc(only((t) => (t.n !== 1e6 && t.n !== 4e6 ? t.kind !== 'peer' || t.n === 1e4 : false), [1e4]));
    expect(headline(quickish)).toMatchObject({ n: 1e4, peersRan: true });
    // 1e6 measured but no peer there: the chart stays at 1e6 and says the peers were not measured
    const noPeers = doc(only((t) => t.kind !== 'peer' || t.n === 1e4, [1e4, 1e6, 4e6]));
    expect(headline(noPeers)).toMatchObject({ n: 1e6, peersRan: false });
    const html = (await renderReport(noPeers, { host: HOST })).files.get('index.html')!;
    const speed = html.slice(
      html.indexOf('aria-label="Speed at n = 1e6"'),
      html.indexOf('</figure>', html.indexOf('aria-label="Speed at n = 1e6"')),
    );
    expect(speed).toContain('The TensorFlow.js peers were not measured at this n.');
    expect(speed).toContain('peers not measured at this n');
    expect(speed).not.toContain('no TF.js peer');
  });

  it("the speed chart has the wasm engine's bars, with the Speed sentence's figures; every label inside its panel and clear of the line at 1", () => {
    // DejaVu Sans advance widths (em), the font Debian's Chromium draws system-ui with
    const EM: Record<string, number> = {
      '.': 0.318,
      ' ': 0.318,
      '×': 0.838,
      '-': 0.361,
      t: 0.392,
      f: 0.352,
      j: 0.278,
      s: 0.521,
      w: 0.818,
      a: 0.613,
      m: 0.974,
      c: 0.55,
      p: 0.635,
      u: 0.634,
      n: 0.634,
      o: 0.612,
      e: 0.615,
      r: 0.411,
      T: 0.611,
      F: 0.575,
      d: 0.635,
      i: 0.278,
      h: 0.634,
      l: 0.278,
    };
    const width = (text: string, size: number): number =>
      [...text].reduce((w, c) => w + (/[0-9]/.test(c) ? 0.636 : (EM[c] ?? 1)), 0) * size;
    type Layer = {
      data: { values: Record<string, unknown>[] };
      mark: { type: string; align?: string; dx?: number; fontSize?: number };
      encoding: { x?: { field: string; scale?: { type?: string; domain: number[] } }; text?: { field: string } };
    };
    type Panel = { width: number; layer: Layer[] };
    /** Each text label's extent in pixels, and the line at 1, in each panel of the speed chart. */
    const geometry = (d: ResultsDoc) => {
      const spec = charts(d).find((c) => c.file === 'speedup.svg')!.spec as unknown as { hconcat: Panel[] };
      return spec.hconcat.map((p) => {
        const sc = p.layer[0]!.encoding.x!.scale!;
        const [lo, hi] = sc.domain as [number, number];
        const px =
          sc.type === 'log'
            ? (v: number): number => (Math.log(v / lo) / Math.log(hi / lo)) * p.width
            : (v: number): number => ((v - lo) / (hi - lo)) * p.width;
        const labels = p.layer
          .filter((l) => l.mark.type === 'text')
          .flatMap((l) =>
            l.data.values.map((v) => {
              const x = px(v[l.encoding.x!.field] as number) + (l.mark.dx ?? 0);
              const w = width(String(v[l.encoding.text!.field]), l.mark.fontSize ?? 11);
              return {
                text: String(v[l.encoding.text!.field]),
                from: l.mark.align === 'right' ? x - w : x,
                to: l.mark.align === 'right' ? x : x + w,
              };
            }),
          );
        const bars = p.layer[0]!.data.values;
        return { width: p.width, one: px(1), labels, bars };
      });
    };
    const check = (d: ResultsDoc): void => {
      for (const panel of geometry(d)) {
        expect(panel.labels.length).toBeGreaterThan(0);
        for (const l of panel.labels) {
          expect(l.from, l.text).toBeGreaterThanOrEqual(0);
          expect(l.to, l.text).toBeLessThanOrEqual(panel.width);
          // clear of the dashed line at 1 by 2 px
          expect(l.to <= panel.one - 2 || l.from >= panel.one + 2, `${l.text} touches the line at 1`).toBe(true);
        }
      }
    };
    // core ÷ peer: sgd 0.75× (left of 1), adam 8×, nadam 7×; to the triad 0.9, 0.8, 0.7 (near the line)
    const near = doc(benchDoc({}, OPTS, ['stream', 'core', 'peer', 'wasm']));
    check(near);
    // adam 112× its peer, its wasm engine 336×: the labels run far right
    const far = doc(benchDoc({ adam: 14, 'wasm/adam': 14 }, OPTS, ['stream', 'core', 'peer', 'wasm']));
    check(far);
    expect(geometry(far)[0]!.labels.map((l) => l.text)).toEqual(
      expect.arrayContaining(['110× tfjs-cpu', '340×', '0.75× tfjs-cpu', '2.3×']),
    );
    // the wasm engine's bars: its speed-up over the same peer (float32) and its share of the triad
    // (both dtypes), the figures of the Speed sentence
    const [speed, triad] = geometry(near);
    const series = (bars: Record<string, unknown>[], s: string, f: string): number[] =>
      bars.filter((b) => b.series === s).map((b) => b[f] as number);
    expect(series(speed!.bars, 'wasm engine, float32', 'speedup').map((v) => +v.toFixed(6))).toEqual([2.25, 24, 21]);
    expect(series(speed!.bars, 'JS core, float32', 'speedup').map((v) => +v.toFixed(6))).toEqual([0.75, 8, 7]);
    expect(series(speed!.bars, 'wasm engine, float64', 'speedup')).toEqual([]); // TF.js has no float64
    for (const d of ['float64', 'float32'])
      expect(series(triad!.bars, `wasm engine, ${d}`, 'ratio').map((v) => +v.toFixed(6))).toEqual([2.7, 2.4, 2.1]);
    const sentence = verdicts(near, undefined, undefined).find((v) => v.topic === 'Speed')!.text;
    expect(sentence).toContain('wasm engine float32 3× the JS core, 2.3×–24× the fastest peer');
    // without the wasm engine: two bars per optimizer, and no purple in the legend
    const jsOnly = charts(doc(benchDoc())).find((c) => c.file === 'speedup.svg')!;
    expect(JSON.stringify(jsOnly.spec)).not.toContain('wasm engine');
  });

  it('the throughput chart writes sizes in one notation, as the tables do (1e3, 1e4, never 1000 beside 1e4)', async () => {
    const d = benchDoc({}, OPTS, ['stream', 'core']) as {
      settings: { sizes: number[] };
      tasks: { id: string; n: number }[];
    };
    d.settings.sizes = [1e3, 1e6, 4e6];
    d.tasks = d.tasks.map((t) => (t.n === 1e4 ? { ...t, n: 1e3, id: t.id.replace(':10000', ':1000') } : t));
    const svg = (await renderReport(doc(d), { host: HOST })).files.get('throughput.svg')!;
    const ticks = [...svg.matchAll(/<text[^>]*>(1000|1e3|1e6|4e6|1000000|4000000)<\/text>/g)].map((m) => m[1]);
    expect(new Set(ticks)).toEqual(new Set(['1e3', '1e6', '4e6']));
    expect(formatSize(1000)).toBe('1e3');
    expect(formatSize(1024)).toBe('1024');
  });

  it('numbers take the prefix of their rounded value: 999.6e6 is 1.00 G/s, never 1.00e+3 M/s', () => {
    expect(fmtSi(999.6e6, '/s')).toBe('1.00 G/s');
    expect(fmtSi(999.4e6, '/s')).toBe('999 M/s');
    expect(fmtSi(999.7, '/s')).toBe('1.00 k/s');
    expect(fmtSi(1.5e12, 'B/s')).toBe('1.50 TB/s');
  });

  it('"report built" is when the report was written, not when its run started', async () => {
    const before = new Date().toISOString();
    const r = mergeResults([doc(benchDoc())]);
    const text = (await renderReport(r, { host: { ...HOST, date: '2020-01-01T00:00:00.000Z' } })).files;
    const built = (JSON.parse(text.get('results.json')!) as { report: { builtAt: string } }).report.builtAt;
    expect(built >= before).toBe(true);
    expect(text.get('index.html')).toContain(`<td>report built</td><td>${built}</td>`);
  });

  it('nothing is wider than the page: charts within the main column, long text in cells that wrap', async () => {
    const r = mergeResults([
      doc(verifyDoc(['A1', 'B1', 'C1', 'G3'])),
      doc(accuracyDoc()),
      doc(benchDoc()),
      doc(convergenceDoc()),
    ]);
    r.accuracy!.rows[0]!.worstCase = `params[5]: core -37.122065144134545, reference -37.12206514413453823259065, scale a 37.1221, K 1.710; case ${'{"hyper":[1,2,3]}'.repeat(20)}`;
    const { files, charts } = await renderReport(r, { host: HOST });
    // every chart fits the 1216 px column (1280 − 2 × 32 padding) at its natural size
    for (const c of charts) {
      const w = Number(/^(?:<\?xml[^>]*>\s*)?<svg[^>]*\bwidth="([\d.]+)"/.exec(c.svg)?.[1]);
      expect(w, c.file).toBeLessThanOrEqual(1216);
    }
    // text cells: any run of more than 40 characters without a space wraps (class "long"), so no
    // cell forces its table wider than the page
    const html = files.get('index.html')!;
    for (const m of html.matchAll(/<td(?: class="([^"]*)")?[^>]*>([^<]*)<\/td>/g)) {
      if (/\S{41,}/.test(m[2]!)) expect(m[1], m[2]).toBe('long');
    }
    // the worst case is shown whole up to its case (no number cut in half), the case is in results.json
    expect(html).toContain(
      'params[5]: core -37.122065144134545, reference -37.12206514413453823259065, scale a 37.1221, K 1.710</td>',
    );
  });

  it.runIf(chromium !== null)(
    'in headless Chromium, no element of index.html is wider than the page body',
    async () => {
      const r = mergeResults([
        doc(verifyDoc(['A1', 'B1', 'C1', 'G3'])),
        doc(accuracyDoc()),
        doc(benchDoc()),
        doc(convergenceDoc()),
      ]);
      const out = join(tmp(), 'report');
      const files = await writeReport(r, { outDir: out, host: HOST });
      const wide = wideElements(chromium!, files.html);
      expect(wide).toEqual([]);
    },
    60_000,
  );
});
