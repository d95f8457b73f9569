/**
 * `optimlab bench`: throughput of every optimizer of the registry against the machine's limit (a
 * STREAM triad), hand-written loops and TensorFlow.js peers; one results JSON per run
 * (benchmarks/SCHEMA.md), a summary table, and `--compare` against a baseline.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../cli.js';
import type { Dtype } from '../optimizers/types.js';
import { checkOutputFile, jsonOutput, writeOutputOrRescue } from '../util/fs.js';

const USAGE = [
  'usage: optimlab bench [options]',
  '',
  'Measures one optimizer step per iteration (a block of steps at small n) with tinybench, beside a',
  'STREAM-style triad and copy (the memory-bandwidth roofline of a JS loop), hand-written sgd and adam',
  'loops, and the TensorFlow.js optimizers on the cpu and wasm backends. Writes one results JSON.',
  '',
  '  --optimizers LIST   comma-separated optimizer names (default: all, and those of --module)',
  '  --module PATH       an optimizer of your own (a JS module exporting a defineOptimizer entry as',
  '                      \'optimizer\'; TypeScript with tsx installed), measured beside the built-ins in',
  '                      the same run, the same way; repeat for several (docs/adding-an-optimizer.md)',
  '  --sizes LIST        element counts (default: 1e3,1e4,1e5,1e6,4e6)',
  '  --dtypes LIST       float64,float32 (default: both)',
  '  --time MS           time per task in milliseconds (default: 400; --quick: 15)',
  '  --warmup MS         warmup per task in milliseconds (default: 100; --quick: 5)',
  '  --peers, --no-peers measure the TensorFlow.js peers or not (default: on; skipped with a line if not installed)',
  '  --out PATH          results JSON (default: optimlab-bench.json; --quick: optimlab-bench-quick.json);',
  '                      written to a temporary file and renamed, so a failed run leaves the old file intact',
  '  --quick             a smoke run of a few seconds (sizes 1e3,1e4; peers at 1e3)',
  '  --compare BASE      judge this run against BASE (a bench JSON, or a report\'s results.json of several runs)',
  '                      with the regression view\'s rule; exit code 1 on a regression. Judged only when',
  '                      both ran on the same machine with the same settings, and both runs were quiet',
  '  --baseline-any-machine',
  '                      with --compare: judge against a baseline from another machine anyway (labelled)',
  '  --noise-floor PCT   smallest change --compare judges, in percent (default: 5)',
  '  --input RUN         do not measure: read RUN (a results JSON) and print its summary / compare it',
  '  --law-report PATH   a vitest JSON report (vitest run --reporter=json --outputFile=PATH): law suite wall time',
  '  --seed TEXT         seed of the input data (default: optimlab-bench-1)',
  '  --all-sizes         print the summary for every size (default: the two largest)',
  '  --quiet             no progress lines',
].join('\n');

function list(option: string, value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (items.length === 0) throw new RangeError(`--${option}: '${value}' is an empty list`);
  return items;
}

function numberOption(option: string, value: string | undefined, allowed: string): number | undefined {
  if (value === undefined) return undefined;
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x)) throw new RangeError(`--${option}: '${value}' is not a number; allowed: ${allowed}`);
  return x;
}

function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

export const command: Command = {
  usage: USAGE,
  async run(args) {
    const { values } = parseArgs({
      args,
      strict: true,
      options: {
        optimizers: { type: 'string' }, sizes: { type: 'string' }, dtypes: { type: 'string' },
        time: { type: 'string' }, warmup: { type: 'string' },
        peers: { type: 'boolean' }, 'no-peers': { type: 'boolean' },
        out: { type: 'string' }, quick: { type: 'boolean' },
        compare: { type: 'string' }, 'noise-floor': { type: 'string' }, input: { type: 'string' },
        'law-report': { type: 'string' }, seed: { type: 'string' },
        'all-sizes': { type: 'boolean' }, quiet: { type: 'boolean' }, 'baseline-any-machine': { type: 'boolean' },
        module: { type: 'string', multiple: true },
      },
    });
    if (values.peers && values['no-peers']) throw new RangeError('--peers and --no-peers: give one of them, not both');
    const sizes = list('sizes', values.sizes)?.map((s) => {
      const n = Number(s);
      if (!Number.isSafeInteger(n) || n < 1 || n > 1e8) throw new RangeError(`--sizes: '${s}' is not allowed; allowed: integers from 1 to 1e8, such as 1e3,1e6,4e6`);
      return n;
    });
    const floor = numberOption('noise-floor', values['noise-floor'], 'a percentage from 0 to 100') ?? 5;
    if (floor < 0 || floor > 100) throw new RangeError(`--noise-floor: ${floor} is not allowed; allowed: a percentage from 0 to 100`);
    if (values.seed !== undefined && values.seed.length === 0) throw new RangeError("--seed: '' is not allowed; allowed: any non-empty text");

    const { loadModules, fromModules, provenanceOf } = await import('./modules.js');
    const mods = await loadModules(values.module);
    if (mods.length && values.input !== undefined) throw new RangeError('--module with --input: --input reads a finished run and measures nothing; give one of them');
    const bench = await import('../../benchmarks/index.js');
    const report = await import('../report/index.js');
    const readResults = (path: string, option: string) => {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (e) {
        throw new RangeError(`--${option}: cannot read '${path}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); allowed: a results JSON written by optimlab bench`);
      }
      let doc: unknown;
      try { doc = JSON.parse(text); } catch (e) { throw new TypeError(`--${option}: '${path}' is not JSON (${(e as Error).message})`); }
      return bench.asResults(doc, `--${option} ${path}`);
    };
    // Read the baseline first: a bad baseline should fail before minutes of measuring. Any results
    // document: one bench run, or a report's results.json (several runs merged, judged by their spread).
    let baseline: ReturnType<typeof report.loadResults> | undefined;
    if (values.compare !== undefined) {
      try {
        baseline = report.loadResults(values.compare);
      } catch (e) {
        throw new RangeError(`--compare: ${(e as Error).message}; allowed: a results JSON written by optimlab bench, or a report's results.json`);
      }
      if (!baseline.bench) throw new RangeError(`--compare: '${values.compare}' holds no benchmark results; allowed: a results JSON written by optimlab bench, or a report's results.json`);
    }

    let results;
    if (values.input !== undefined) {
      results = readResults(values.input, 'input');
    } else {
      const settings = bench.resolveSettings({
        optimizers: list('optimizers', values.optimizers),
        sizes,
        dtypes: list('dtypes', values.dtypes) as Dtype[] | undefined,
        time: numberOption('time', values.time, '0 < time ≤ 600000 (milliseconds per task)'),
        warmupTime: numberOption('warmup', values.warmup, '0 ≤ warmup ≤ 600000 (milliseconds per task)'),
        peers: !values['no-peers'],
        quick: values.quick ?? false,
        seed: values.seed,
        entries: fromModules(mods).entries,
      });
      const out = resolve(values.out ?? (settings.quick ? 'optimlab-bench-quick.json' : 'optimlab-bench.json'));
      // the output first: a path that cannot be written is refused before minutes of measuring
      const outFile = jsonOutput('--out', out);
      checkOutputFile(outFile);
      const quiet = values.quiet ?? false;
      const tty = process.stderr.isTTY === true;
      results = await bench.runBench({
        ...settings,
        entries: fromModules(mods).entries,
        modules: mods.map(provenanceOf),
        warmupTime: settings.tinybench.warmupTime,
        time: settings.tinybench.time,
        lawReport: values['law-report'],
        onProgress: quiet ? undefined : (p) => {
          const head = `[${String(p.done + (p.task ? 1 : 0)).padStart(String(p.total).length)}/${p.total}, ${p.total - p.done} left, ${clock(p.elapsedMs)}]`;
          const line = p.task ? `${head} ${p.task}` : `${head} done`;
          if (tty) process.stderr.write(`\r\x1b[K${line}${p.task ? '' : '\n'}`);
          else process.stderr.write(`${line}\n`);
        },
      });
      writeOutputOrRescue(outFile, `${JSON.stringify(results, null, 2)}\n`);
      console.log(`results: ${out} (${bench.measuredText(results)}; ${results.environment.durationSec.toFixed(0)} s; schema: benchmarks/SCHEMA.md)`);
    }

    // A quick run prints its largest size only: it checks that everything runs, not how fast.
    const shown = values['all-sizes'] ? undefined : results.settings.sizes.slice(results.settings.quick ? -1 : -2);
    const health = report.runHealth(results.environment, results.settings as unknown as Record<string, unknown>, results.tasks);
    console.log('');
    console.log(`summary${shown ? ` (n = ${shown.map(bench.formatSize).join(', ')}; --all-sizes for every n)` : ''}: ${results.environment.cpuModel}, ${results.environment.cores} cores, Node ${results.environment.node}, ${results.settings.tinybench.time} ms per task`);
    if (!health.reliable) console.log(`figures unreliable, so no verdicts: ${health.reasons.join(', and ')}`);
    for (const l of bench.summaryTable(results, shown)) console.log(l);
    for (const l of bench.checkLines(results, health.reliable)) console.log(l);
    const failed = results.tasks.filter((t) => t.status !== 'ok');
    if (failed.length) console.log(`${failed.length} task(s) failed: ${failed.slice(0, 3).map((t) => `${t.id}: ${t.error}`).join('; ')}`);

    if (baseline) {
      const current = report.fromDocument(results, { file: values.input ?? 'this run' });
      const g = report.regression(current, baseline, { minChange: floor / 100, anyMachine: values['baseline-any-machine'] ?? false });
      console.log('');
      for (const l of report.formatRegression(g, values.compare!)) console.log(l);
      if (g.regressions > 0) return 1;
    }
    return failed.length ? 1 : 0;
  },
};
