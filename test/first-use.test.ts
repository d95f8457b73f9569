/**
 * First use against the committed baseline (issue 16, acceptance 1 and 2), through the command
 * line as a new user meets it: `optimlab report RUN --baseline reports/baseline/results.json`.
 *
 * The run is a real one: the third benchmark run of reports/baseline/results.json (source s11,
 * made by `optimlab run` on the baseline's machine), cut out as the bench document it was. Left as
 * it is, it is judged against the baseline (same machine, same settings, a quiet run): the control
 * that shows the judge is not simply off. Then it is changed in one thing at a time, as the issue
 * met it: another CPU model (AMD EPYC against the baseline's Intel Xeon), a load above the core
 * count, a triad whose margin is above the threshold. Each must give no verdicts, say why in one
 * sentence where the verdicts would be, and keep the verdict block and the speed chart first.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { UNSTABLE_TRIAD_RME } from '../src/report/index.js';
import { captureConsole, tempDirs } from './cli-helpers.js';

const io = captureConsole();
const tmp = tempDirs('optimlab-first-use-');
const BASELINE = 'reports/baseline/results.json';

interface Task {
  id: string;
  source?: string;
  rme?: number;
}
interface Source {
  id: string;
  kind: string;
  settings: Record<string, unknown>;
  environment: Record<string, unknown>;
}

/** The bench document of the baseline's source `id`, as `optimlab bench --json` wrote it. */
function benchRun(
  id: string,
): { environment: Record<string, unknown>; settings: Record<string, unknown>; tasks: Task[] } & Record<
  string,
  unknown
> {
  const merged = JSON.parse(readFileSync(BASELINE, 'utf8')) as { sources: Source[]; bench: { tasks: Task[] } };
  const src = merged.sources.find((s) => s.id === id && s.kind === 'bench')!;
  const { schemaVersion: _, ...settings } = src.settings;
  return {
    format: 'optimlab.bench',
    version: 1,
    environment: src.environment,
    settings,
    tasks: merged.bench.tasks.filter((t) => t.source === id).map(({ source: _s, ...t }) => t),
    checks: { abstraction: [], peers: [] },
    peerEngines: [],
    skipped: [],
    system: Object.fromEntries(
      ['referenceStep', 'gradientEvaluations', 'trainingEpochs', 'lawSuite'].map((k) => [
        k,
        { status: 'not-available', reason: 'not in the baseline' },
      ]),
    ),
  };
}

/** `optimlab report RUN --baseline BASELINE`: its exit code, the first screen of index.html, report.md's, and the page. */
async function report(run: unknown): Promise<{ code: number; first: string; firstMd: string; html: string }> {
  const dir = tmp();
  const file = join(dir, 'bench.json');
  writeFileSync(file, JSON.stringify(run));
  const out = join(dir, 'report');
  const code = await main(['report', file, '--baseline', BASELINE, '--no-convergence', '--out', out]);
  const html = readFileSync(join(out, 'index.html'), 'utf8');
  const md = readFileSync(join(out, 'report.md'), 'utf8');
  return { code, first: html.slice(0, html.indexOf('<section>')), firstMd: md.slice(0, md.indexOf('\n## ')), html };
}

describe('first use against the committed baseline', () => {
  const run = benchRun('s11');

  it("the control: the baseline's own machine, settings and a quiet run are judged", async () => {
    expect(run.tasks.length).toBeGreaterThan(100);
    const r = await report(run);
    expect(r.code).toBe(0);
    expect(r.first).toMatch(/class="verdicts"/);
    expect(r.first).toContain('aria-label="Speed at n = 1e6"');
    expect(r.first).not.toContain('No verdicts');
    expect(r.firstMd).toMatch(
      /\*\*Regressions\*\*: none against reports\/baseline\/results.json \(3 runs of the same machine and settings\); \d+ improvement\(s\)/,
    );
    expect(r.html).toMatch(/id="regression-view"/);
  });

  it("another machine (AMD EPYC against the baseline's Intel Xeon): not judged, and the first screen says so", async () => {
    const amd = { ...run, environment: { ...run.environment, cpuModel: 'AMD EPYC 7B13' } };
    const r = await report(amd);
    expect(r.code).toBe(0);
    expect(r.first).toMatch(/class="verdicts"/);
    expect(r.first).toContain('aria-label="Speed at n = 1e6"');
    expect(r.first).toContain(
      'No verdicts: the baseline was measured on another machine (Intel(R) Xeon(R) Processor, 2 cores, Node v20.20.2',
    );
    expect(r.first).toContain('this run: AMD EPYC 7B13, 2 cores');
    expect(r.firstMd).toMatch(/\*\*Regressions\*\*: No verdicts: the baseline was measured on another machine/);
    expect(r.html).not.toMatch(/REGRESSION|IMPROVEMENT/);
    expect(r.html).not.toMatch(/id="regression-view"/);
    // the machine was busy too: both are said, the machine first (it decides alone)
    const busy = await report({
      ...amd,
      environment: { ...amd.environment, loadAverageStart: [9.1, 6, 3], loadAverageEnd: [8.6, 6, 3] },
    });
    // over its 125 s, from 9.1 to 8.6: (8.6 − e^(−130/60)·9.1) / (1 − e^(−130/60)) = 8.54 threads, 1 of them the bench
    expect(busy.first).toMatch(
      /No verdicts: the baseline was measured on another machine \(.*anyway\. This run&#39;s own figures are unreliable besides \(the machine was busy \(other work ran 7\.5 threads on average beside the benchmark&#39;s 1\.0, on 2 cores: 1-minute load average 8\.5 over the run\)\)\./,
    );
    expect(busy.first).toMatch(
      /<span class="topic">Speed<\/span><span class="text">unreliable figures, because the machine was busy/,
    );
  });

  it('other work beside the run (its load from the load average at both ends): throughput marked unreliable, no verdicts, one sentence why', async () => {
    const loaded = {
      ...run,
      environment: { ...run.environment, loadAverageStart: [4.2, 3.1, 2.0], loadAverageEnd: [4.6, 3.5, 2.2] },
    };
    const r = await report(loaded);
    // over its 125 s, from 4.2 to 4.6: (4.6 − e^(−120/60)·4.2) / (1 − e^(−120/60)) = 4.66 threads, 1 of them the bench
    const why =
      'the machine was busy (other work ran 3.7 threads on average beside the benchmark&#39;s 1.0, on 2 cores: 1-minute load average 4.7 over the run)';
    expect(r.first).toContain(`<span class="topic">Speed</span><span class="text">unreliable figures, because ${why}`);
    expect(r.first).toContain(`No verdicts: this run&#39;s throughput figures are unreliable, because ${why}`);
    // the provenance names the figures the judgement came from
    expect(r.html).toContain(
      'load 4.20/3.10/2.00 → 4.60/3.50/2.20 (1-minute, over the run 4.66, the benchmark&#39;s own 1 (not recorded))',
    );
    expect(r.first).toContain('aria-label="Speed at n = 1e6 (unreliable: see the note)"');
    expect(r.html).toMatch(/<p class="warning">These throughput figures are unreliable, because the machine was busy/);
    expect(r.html).not.toMatch(/REGRESSION|IMPROVEMENT/);
  });

  it(`a triad whose margin is above ±${UNSTABLE_TRIAD_RME}%: throughput marked unreliable, no verdicts`, async () => {
    const wobbly = {
      ...run,
      tasks: run.tasks.map((t) => (t.id === 'stream:triad:float32:1000000' ? { ...t, rme: 104 } : t)),
    };
    const r = await report(wobbly);
    expect(r.first).toMatch(
      /No verdicts: this run&#39;s throughput figures are unreliable, because the STREAM triad varied by ±104% within the run \(float32, n = 1e6/,
    );
    expect(r.html).toMatch(/<p class="warning">These throughput figures are unreliable/);
    expect(r.html).not.toMatch(/REGRESSION|IMPROVEMENT/);
  });
});
