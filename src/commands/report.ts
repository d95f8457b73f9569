/**
 * `optimlab report`: the results JSON of verify, accuracy, bench and the convergence runs (or
 * earlier reports' results.json, or vitest JSON reports of the law suite) → a report folder with
 * report.md, index.html, results.json and SVG charts (src/report).
 */
import { parseArgs } from 'node:util';
import type { Command } from '../cli.js';

const USAGE = `usage: optimlab report [options]

Builds a report folder from results JSON: report.md (GitHub Markdown, charts as SVG files beside
it), index.html (self-contained: inline SVG and CSS, no network), results.json (all inputs merged,
with provenance) and the SVG charts. The folder is replaced only when the whole report is written.

  --verify PATH        optimlab verify --json output (or a vitest JSON report of the law suite)
  --accuracy PATH      optimlab verify --accuracy --json output
  --bench PATH         optimlab bench results
  --convergence PATH   convergence runs (benchmarks/convergence.ts; default: run them now)
  --no-convergence     do not run the convergence runs when --convergence is not given
  --module PATH        an optimizer of your own (a JS module exporting 'optimizer'; repeat for
                       several): the convergence runs made here include it beside the built-ins
  --merge PATH…        results to combine (any of the above, or earlier results.json files): CI
                       shards or machines; repeat the option or list the files after it
  --baseline PATH      a results.json (or bench JSON) to compare against (regression view): judged only
                       when measured on the same machine with the same settings, and both runs are quiet
  --baseline-any-machine
                       judge against a baseline from another machine anyway (labelled as such)
  --min-change PCT     regression view: also require |change| ≥ PCT percent (default 5, as
                       optimlab bench --noise-floor)
  --out DIR            report folder (default reports/latest)
  --title TEXT         report title`;

export const command: Command = {
  usage: USAGE,
  async run(args) {
    const { values, positionals } = parseArgs({
      args, strict: true, allowPositionals: true,
      options: {
        verify: { type: 'string' }, accuracy: { type: 'string' }, bench: { type: 'string' }, convergence: { type: 'string' },
        'no-convergence': { type: 'boolean' }, merge: { type: 'string', multiple: true }, baseline: { type: 'string' },
        'min-change': { type: 'string' }, out: { type: 'string' }, title: { type: 'string' }, 'baseline-any-machine': { type: 'boolean' },
        module: { type: 'string', multiple: true },
      },
    });
    // `--merge a.json b.json c.json`: the files after --merge arrive as positionals.
    const mergeFiles = [...(values.merge ?? []), ...positionals];
    if (positionals.length > 0 && !values.merge) throw new RangeError(`unexpected argument '${positionals[0]}'; input files follow --verify, --accuracy, --bench, --convergence or --merge`);
    const minChange = values['min-change'] === undefined ? 0.05 : Number(values['min-change']) / 100;
    if (!(minChange >= 0 && minChange < 10)) throw new RangeError(`--min-change = '${values['min-change']}'; allowed: a percentage ≥ 0`);
    const { loadResults, mergeResults, writeReport, fromDocument, checkReportFolder, formatRegression } = await import('../report/index.js');
    const out = values.out ?? 'reports/latest';
    const { loadModules, fromModules } = await import('./modules.js');
    const outside = fromModules(await loadModules(values.module)).entries;
    // The output folder first: a folder we may not replace is refused before any work.
    for (const n of checkReportFolder(out)) console.error(`note: ${n}`);
    const docs = [];
    for (const [kind, path] of [['verify', values.verify], ['accuracy', values.accuracy], ['bench', values.bench], ['convergence', values.convergence]] as const) {
      if (path === undefined) continue;
      const d = loadResults(path);
      const got = d.sources[0]?.kind;
      if (kind === 'verify' ? got !== 'verify' && got !== 'vitest' : got !== kind) throw new TypeError(`--${kind} ${path}: this is a ${got ?? 'merged results'} document`);
      docs.push(d);
    }
    for (const f of mergeFiles) docs.push(loadResults(f));
    if (docs.length === 0) throw new RangeError('no inputs: give --verify, --accuracy, --bench, --convergence or --merge files (optimlab run makes them all)');
    let merged = mergeResults(docs);
    if (!merged.convergence && values.convergence === undefined && !values['no-convergence'] && mergeFiles.length === 0) {
      const { runConvergence } = await import('../../benchmarks/convergence.js');
      const { hostEnvironment } = await import('../report/index.js');
      console.error('running the convergence runs (benchmarks/convergence.ts) …');
      merged = mergeResults([merged, fromDocument(runConvergence({ entries: outside }), { file: 'benchmarks/convergence.ts (this run)', environment: hostEnvironment() })]);
    }
    const baseline = values.baseline === undefined ? undefined : loadResults(values.baseline);
    const files = await writeReport(merged, {
      outDir: out, minChange, anyMachine: values['baseline-any-machine'] ?? false,
      ...(baseline ? { baseline, baselineLabel: values.baseline } : {}),
      ...(values.title ? { title: values.title } : {}),
    });
    for (const n of files.notes) console.error(`note: ${n}`);
    console.log(`report: ${files.html}\n        ${files.markdown}`);
    if (files.regression) for (const l of formatRegression(files.regression, values.baseline!)) console.log(l);
    return 0;
  },
};
