/**
 * `optimlab bench`: throughput of every optimizer of the registry, on the JS kernels and the wasm
 * engine, against the machine's limit (a STREAM triad), hand-written loops and TensorFlow.js peers; one results JSON per run
 * (benchmarks/SCHEMA.md), a summary table, and `--baseline` to judge it against earlier runs.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_SIZES_TEXT, DEFAULT_TIME, QUICK_SIZES_TEXT, QUICK_TIME } from '../../benchmarks/presets.js';
import type { Command } from '../cli.js';
import { aliasesFor, benchValues, listValue, minChangeValue, parseOptions, shared } from './options.js';
import type { CoreEngine } from '../schema/bench.js';
import { checkOutputFile, jsonOutput, writeOutputOrRescue } from '../util/fs.js';

const USAGE = [
  'usage: optimlab bench [options]',
  '',
  'Measures one optimizer step per iteration (a block of steps at small n) with tinybench, on the JS',
  'kernels and on the wasm engine (arrays in its memory), beside a STREAM-style triad and copy (the',
  'memory-bandwidth roofline of a JS loop), hand-written sgd and adam loops, and the TensorFlow.js',
  'optimizers on the cpu and wasm backends. Writes one results JSON.',
  'The defaults are those of optimlab run (npm start), so the two are compared with each other.',
  '',
  '  --optimizer NAME[,…]  only these optimizers (default: all, and those of --module)',
  '  --module PATH         an optimizer of your own (a JS module exporting a defineOptimizer entry as',
  "                        'optimizer'; TypeScript with tsx installed), measured beside the built-ins in",
  '                        the same run, the same way; repeat for several (docs/adding-an-optimizer.md)',
  `  --sizes LIST          element counts (default: ${DEFAULT_SIZES_TEXT}; --quick: ${QUICK_SIZES_TEXT})`,
  '  --dtypes LIST         float64,float32 (default: both)',
  "  --engines LIST        the core's engines: js,wasm (default: both; docs/wasm.md)",
  `  --time MS             time per task in milliseconds (default: ${DEFAULT_TIME}; --quick: ${QUICK_TIME})`,
  '  --warmup MS           warmup per task in milliseconds (default: a third of --time)',
  '  --peers, --no-peers   measure the TensorFlow.js peers or not (default: on; skipped with a line if not installed)',
  '  --json PATH           the results JSON (default: reports/bench.json; --quick: reports/bench-quick.json);',
  '                        written to a temporary file and renamed, so a failed run leaves the old file intact',
  '  --quick               a smoke run of a few seconds: checks that every task runs; its figures are not judged',
  "  --baseline PATH       judge this run against PATH (a bench JSON, or a report's results.json of several",
  "                        runs) with the regression view's rule; exit code 1 on a regression. Judged only",
  '                        when both ran on the same machine with the same settings, and both runs were quiet',
  '  --baseline-any-machine',
  '                        with --baseline: judge against a baseline from another machine anyway (labelled)',
  '  --min-change PCT      smallest change --baseline judges, in percent (default: 5)',
  '  --input RUN           do not measure: read RUN (a results JSON) and print its summary / judge it',
  '  --law-report PATH     a vitest JSON report (vitest run --reporter=json --outputFile=PATH): law suite wall time',
  '  --seed TEXT           seed of the input data (default: optimlab-bench-1)',
  '  --all-sizes           print the summary for every size (default: the two largest)',
  '  --quiet               no progress lines',
  '',
  'Old spellings that still work: --optimizers (--optimizer), --out (--json), --compare (--baseline),',
  '--noise-floor (--min-change).',
].join('\n');

const OPTIONS = {
  ...shared(
    'optimizer',
    'module',
    'sizes',
    'time',
    'warmup',
    'peers',
    'no-peers',
    'json',
    'quick',
    'baseline',
    'baseline-any-machine',
    'min-change',
    'seed',
    'quiet',
  ),
  dtypes: { type: 'string' },
  engines: { type: 'string' },
  input: { type: 'string' },
  'law-report': { type: 'string' },
  'all-sizes': { type: 'boolean' },
} as const;

const ALIASES = aliasesFor(OPTIONS, { out: 'json' });

function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

export const command: Command = {
  usage: USAGE,
  options: OPTIONS,
  aliases: ALIASES,
  async run(args) {
    const { values } = parseOptions('bench', args, OPTIONS, { aliases: ALIASES });
    if (values.peers && values['no-peers']) throw new RangeError('--peers and --no-peers: give one of them, not both');
    const minChange = minChangeValue(values['min-change']);
    if (values.seed !== undefined && values.seed.length === 0)
      throw new RangeError("--seed: '' is not allowed; allowed: any non-empty text");

    const { loadModules, fromModules, provenanceOf } = await import('./modules.js');
    const mods = await loadModules(values.module);
    if (mods.length && values.input !== undefined)
      throw new RangeError(
        '--module with --input: --input reads a finished run and measures nothing; give one of them',
      );
    const bench = await import('../../benchmarks/index.js');
    const report = await import('../report/index.js');
    const readResults = (path: string, option: string) => {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (e) {
        throw new RangeError(
          `--${option}: cannot read '${path}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); allowed: a results JSON written by optimlab bench`,
        );
      }
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch (e) {
        throw new TypeError(`--${option}: '${path}' is not JSON (${(e as Error).message})`);
      }
      return bench.asResults(doc, `--${option} ${path}`);
    };
    // Read the baseline first: a bad baseline should fail before minutes of measuring. Any results
    // document: one bench run, or a report's results.json (several runs merged, judged by their spread).
    let baseline: ReturnType<typeof report.loadResults> | undefined;
    if (values.baseline !== undefined) {
      try {
        baseline = report.loadResults(values.baseline);
      } catch (e) {
        throw new RangeError(
          `--baseline: ${(e as Error).message}; allowed: a results JSON written by optimlab bench, or a report's results.json`,
        );
      }
      if (!baseline.bench)
        throw new RangeError(
          `--baseline: '${values.baseline}' holds no benchmark results; allowed: a results JSON written by optimlab bench, or a report's results.json`,
        );
    }

    let results;
    if (values.input !== undefined) {
      results = readResults(values.input, 'input');
    } else {
      const settings = bench.resolveSettings({
        ...benchValues(values),
        engines: listValue('engines', values.engines) as CoreEngine[] | undefined,
        peers: !values['no-peers'],
        quick: values.quick ?? false,
        seed: values.seed,
        entries: fromModules(mods).entries,
      });
      const out = resolve(values.json ?? (settings.quick ? 'reports/bench-quick.json' : 'reports/bench.json'));
      // the output first: a path that cannot be written is refused before minutes of measuring
      const outFile = jsonOutput('--json', out);
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
        onProgress: quiet
          ? undefined
          : (p) => {
              const head = `[${String(p.done + (p.task ? 1 : 0)).padStart(String(p.total).length)}/${p.total}, ${p.total - p.done} left, ${clock(p.elapsedMs)}]`;
              const line = p.task ? `${head} ${p.task}` : `${head} done`;
              if (tty) process.stderr.write(`\r\x1b[K${line}${p.task ? '' : '\n'}`);
              else process.stderr.write(`${line}\n`);
            },
      });
      writeOutputOrRescue(outFile, `${JSON.stringify(results, null, 2)}\n`);
      console.log(
        `results: ${out} (${bench.measuredText(results)}; ${results.environment.durationSec.toFixed(0)} s; schema: benchmarks/SCHEMA.md)`,
      );
    }

    // A quick run prints its largest size only: it checks that everything runs, not how fast.
    const shown = values['all-sizes'] ? undefined : results.settings.sizes.slice(results.settings.quick ? -1 : -2);
    const health = report.runHealth(
      results.environment,
      results.settings as unknown as Record<string, unknown>,
      results.tasks,
    );
    console.log('');
    console.log(
      `summary${shown ? ` (n = ${shown.map(bench.formatSize).join(', ')}; --all-sizes for every n)` : ''}: ${results.environment.cpuModel}, ${results.environment.cores} cores, Node ${results.environment.node}, ${results.settings.tinybench.time} ms per task`,
    );
    if (!health.reliable) console.log(`figures unreliable, so no verdicts: ${health.reasons.join(', and ')}`);
    for (const l of bench.summaryTable(results, shown)) console.log(l);
    for (const l of bench.checkLines(results, health.reliable)) console.log(l);
    const failed = results.tasks.filter((t) => t.status !== 'ok');
    if (failed.length)
      console.log(
        `${failed.length} task(s) failed: ${failed
          .slice(0, 3)
          .map((t) => `${t.id}: ${t.error}`)
          .join('; ')}`,
      );

    if (baseline) {
      const current = report.fromDocument(results, { file: values.input ?? 'this run' });
      const g = report.regression(current, baseline, {
        minChange,
        anyMachine: values['baseline-any-machine'] ?? false,
      });
      console.log('');
      for (const l of report.formatRegression(g, values.baseline!)) console.log(l);
      if (g.regressions > 0) return 1;
    }
    return failed.length ? 1 : 0;
  },
};
