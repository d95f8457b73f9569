/**
 * `optimlab run` (what `npm start` runs): the law suite and the accuracy table, a benchmark sized
 * to take a few minutes, the convergence runs, then the report; prints where the report is.
 */
import { existsSync } from 'node:fs';
import { DEFAULT_SIZES_TEXT, DEFAULT_TIME, QUICK_SIZES_TEXT, QUICK_TIME } from '../../benchmarks/presets.js';
import type { Command } from '../cli.js';
import { benchValues, intValue, minChangeValue, parseOptions, shared } from './options.js';
import { UserError } from '../util/errors.js';
import { rescue } from '../util/fs.js';
import { join } from 'node:path';

const USAGE = `usage: optimlab run [options]

The main job: verification (every law at its default runs, and the accuracy table), a benchmark
with progress (a few minutes; the same defaults as optimlab bench, so their runs compare), the
convergence runs, and the report folder (optimlab report). Prints the paths of index.html and
report.md.

  --out DIR          report folder (default reports/latest)
  --baseline PATH    results.json for the regression view (default reports/baseline/results.json
                     when it exists; --baseline none to skip); judged only against runs of the same
                     machine and settings, and only when both runs are quiet
  --baseline-any-machine
                     judge against a baseline from another machine anyway (labelled as such)
  --min-change PCT   smallest change the regression view judges, in percent (default 5)
  --sizes LIST       benchmark sizes (default ${DEFAULT_SIZES_TEXT})
  --time MS          benchmark time per task (default ${DEFAULT_TIME})
  --warmup MS        benchmark warmup per task (default a third of --time)
  --peers, --no-peers
                     measure the TensorFlow.js peers or not (default: on)
  --no-tfjs          skip TensorFlow.js's optimizers under the laws (otherwise run when TF.js is
                     installed, at most 30 runs per case: optimlab verify --tfjs runs every default)
  --no-bench         skip the benchmark
  --quick            a smoke run: 10 runs per law, 50 accuracy cases, and bench --quick (sizes
                     ${QUICK_SIZES_TEXT} for ${QUICK_TIME} ms); checks that everything runs, judges no figure
  --seed N           law and accuracy seed (default: the suite's)
  --module PATH      an optimizer of your own (a JS module exporting 'optimizer', and its 'reference';
                     repeat for several): verified, measured and run beside the built-ins, with its
                     path and content hash in the results (docs/adding-an-optimizer.md)`;

/**
 * Runs per case of TensorFlow.js's law suite in `run` (at most; fewer where a law's own default is
 * lower): a TF.js step costs ~0.4 ms, and the suite at every default takes minutes (verify --tfjs).
 */
const TFJS_MAX_RUNS = 30;

const OPTIONS = {
  ...shared(
    'out',
    'baseline',
    'baseline-any-machine',
    'min-change',
    'sizes',
    'time',
    'warmup',
    'peers',
    'no-peers',
    'quick',
    'seed',
    'module',
  ),
  'no-bench': { type: 'boolean' },
  'no-tfjs': { type: 'boolean' },
} as const;

function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

export const command: Command = {
  usage: USAGE,
  options: OPTIONS,
  async run(args) {
    const { values } = parseOptions('run', args, OPTIONS);
    if (values.peers && values['no-peers']) throw new RangeError('--peers and --no-peers: give one of them, not both');
    const minChange = minChangeValue(values['min-change']);
    const { loadModules, fromModules, provenanceOf } = await import('./modules.js');
    const mods = await loadModules(values.module);
    const outside = fromModules(mods);
    const modules = mods.map(provenanceOf);
    const { registry } = await import('../optimizers/registry.js');
    const everyone = [
      ...(registry as unknown as import('../optimizers/define.js').OptimizerEntry[]),
      ...outside.entries,
    ];
    const moduleArgs = mods.map((m) => `--module ${/^[\w./@+-]+$/.test(m.path) ? m.path : `'${m.path}'`}`).join(' ');
    const quick = values.quick ?? false;
    // The benchmark's settings, checked now: a bad size should fail before minutes of laws.
    const bench = await import('../../benchmarks/index.js');
    const settings = bench.resolveSettings({
      ...benchValues(values),
      quick,
      peers: !values['no-peers'],
      entries: outside.entries,
    });
    const seed = intValue('seed', values.seed, Number.MIN_SAFE_INTEGER);
    const out = values.out ?? 'reports/latest';
    const baselinePath =
      values.baseline === 'none'
        ? undefined
        : (values.baseline ??
          (existsSync('reports/baseline/results.json') ? 'reports/baseline/results.json' : undefined));

    const report = await import('../report/index.js');
    // The output folder and the baseline first: a folder we may not replace, or a baseline that is
    // a folder, missing or not a results file, is refused before minutes of work (D8).
    for (const n of report.checkReportFolder(out)) console.error(`note: ${n}`);
    const baseline = baselinePath ? report.loadResults(baselinePath) : undefined;
    const host = report.hostEnvironment();
    const t0 = Date.now();
    const tty = process.stderr.isTTY === true;
    const say = (line: string, final = true): void => {
      if (tty) process.stderr.write(`\r\x1b[K${line}${final ? '\n' : ''}`);
      else if (final) process.stderr.write(`${line}\n`);
    };
    const docs: ReturnType<typeof report.fromDocument>[] = [];
    const unavailable: { part: string; reason: string }[] = [];
    const inputs = new Map<string, string>();
    const keep = (name: string, doc: unknown, kind: string): void => {
      inputs.set(`inputs/${name}`, `${JSON.stringify(doc, null, 1)}\n`);
      docs.push(
        report.fromDocument(doc, { file: `inputs/${name}`, label: `${kind} (optimlab run)`, environment: host }),
      );
    };

    // 1. the law suite
    say('[1/6] verify: the law suite at default runs');
    const { runSuite } = await import('../../properties/suite.js');
    const v = runSuite({
      ...(quick ? { runs: 10 } : {}),
      ...(seed !== undefined ? { seed } : {}),
      ...(mods.length ? { entries: everyone, references: outside.references, replayArgs: moduleArgs, modules } : {}),
      onCase: (c, i, total) => say(`      [${i + 1}/${total}] ${c.id}  (${clock(Date.now() - t0)})`, false),
    });
    say(`      ${v.summary.cases} cases, ${v.summary.failed} failed, ${clock(v.summary.ms)}`);
    keep('verify.json', v, 'verify');

    // 2. accuracy
    say('[2/6] accuracy: worst K against the decimal reference');
    try {
      const { runAccuracy } = await import('../../properties/accuracy.js');
      const t1 = Date.now();
      const a = runAccuracy({
        ...(quick ? { cases: 50 } : {}),
        ...(seed !== undefined ? { seed } : {}),
        ...(mods.length ? { entries: everyone, references: outside.references, modules } : {}),
      });
      const over = a.rows.filter((x) => x.worstK > x.bound).length;
      say(
        `      ${a.rows.length} optimizer × dtype rows of ${a.cases} random single steps, ${over === 0 ? 'all within their bound' : `${over} BEYOND their bound`}, ${clock(Date.now() - t1)}`,
      );
      keep('accuracy.json', a, 'accuracy');
    } catch (e) {
      say(`      not available: ${(e as Error).message}`);
      unavailable.push({ part: 'accuracy', reason: (e as Error).message });
    }

    // 3. TensorFlow.js's own optimizers under the laws, with the findings (docs/adapters.md)
    if (values['no-tfjs']) {
      say('[3/6] TensorFlow.js under the laws: skipped (--no-tfjs)');
      unavailable.push({ part: 'tfjs', reason: 'skipped with --no-tfjs' });
    } else {
      const cap = quick ? 5 : TFJS_MAX_RUNS;
      say(`[3/6] TensorFlow.js under the laws: tf.train on the cpu backend, at most ${cap} runs per case`);
      try {
        const tf = await import('../../properties/tfjs.js');
        const suite = await tf.loadTfjsSuite();
        const lawSet = (await import('../../properties/laws/index.js')).allLaws.filter((l) => !('subject' in l));
        const t2 = Date.now();
        const tv = runSuite({
          entries: suite.entries,
          references: suite.references,
          lawSet,
          maxRuns: cap,
          replayArgs: '--tfjs',
          ...(seed !== undefined ? { seed } : {}),
          onCase: (c, i, total) => say(`      [${i + 1}/${total}] ${c.id}  (${clock(Date.now() - t0)})`, false),
        });
        const doc = tf.tfjsDocument(suite, tv, await tf.measureFindings(suite));
        say(
          `      TensorFlow.js ${suite.version}: ${tv.summary.cases} cases, ${tv.summary.failed} failed, ${doc.unexplained.length ? `${doc.unexplained.length} NOT explained by a finding` : 'each explained by a finding'}, ${clock(Date.now() - t2)}`,
        );
        keep('tfjs.json', doc, 'tfjs');
      } catch (e) {
        say(`      not available: ${(e as Error).message}`);
        unavailable.push({ part: 'tfjs', reason: (e as Error).message });
      }
    }

    // 4. benchmark
    if (values['no-bench']) {
      say('[4/6] bench: skipped (--no-bench)');
      unavailable.push({ part: 'bench', reason: 'skipped with --no-bench' });
    } else {
      say(
        `[4/6] bench: sizes ${settings.sizes.map(bench.formatSize).join(', ')}, ${settings.tinybench.time} ms per task${settings.peers ? '' : ', no peers'}${quick ? ' (--quick: a smoke run)' : ''}`,
      );
      try {
        const b = await bench.runBench({
          ...settings,
          time: settings.tinybench.time,
          warmupTime: settings.tinybench.warmupTime,
          entries: outside.entries,
          modules,
          onProgress: (p) => {
            if (p.task)
              say(`      [${p.done + 1}/${p.total}, ${clock(p.elapsedMs)}] ${p.task}`, !tty && p.done % 10 === 0);
          },
        });
        say(`      ${bench.measuredText(b)}, ${b.environment.durationSec.toFixed(0)} s`);
        keep('bench.json', b, 'bench');
      } catch (e) {
        say(`      failed: ${(e as Error).message}`);
        unavailable.push({ part: 'bench', reason: `the benchmark failed: ${(e as Error).message}` });
      }
    }

    // 5. convergence
    say('[5/6] convergence runs');
    const { runConvergence } = await import('../../benchmarks/convergence.js');
    const c = runConvergence({ entries: outside.entries, onProgress: (w) => say(`      ${w}`, false) });
    say(`      ${c.objectives.length} objectives, ${c.trajectories.length} trajectory sets, ${clock(c.ms)}`);
    keep('convergence.json', c, 'convergence');

    // 6. report
    say('[6/6] report');
    const merged = report.mergeResults(docs);
    if (unavailable.length) merged.unavailable = unavailable;
    let files: Awaited<ReturnType<typeof report.writeReport>>;
    try {
      files = await report.writeReport(merged, {
        outDir: out,
        host,
        extraFiles: inputs,
        anyMachine: values['baseline-any-machine'] ?? false,
        minChange,
        ...(baseline ? { baseline, baselineLabel: baselinePath } : {}),
      });
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      // minutes of work must not be lost to a full disk or a folder that changed meanwhile
      const dir = rescue(new Map([['results.json', `${JSON.stringify(merged, null, 1)}\n`], ...inputs]));
      throw new UserError(
        `${e.message}. The results of this run are saved in ${dir}: make the report from them with optimlab report --merge ${join(dir, 'results.json')} --out DIR`,
      );
    }
    for (const n of files.notes) console.error(`note: ${n}`);
    console.log(
      `\ndone in ${clock(Date.now() - t0)}: ${v.summary.failed === 0 ? 'every law held' : `${v.summary.failed} law case(s) FAILED`}`,
    );
    if (files.regression) for (const l of report.formatRegression(files.regression, baselinePath!)) console.log(l);
    console.log(`report: ${files.html}`);
    console.log(`        ${files.markdown}`);
    return v.summary.failed === 0 ? 0 : 1;
  },
};
