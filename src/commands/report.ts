/**
 * `optimlab report`: results files of verify, accuracy, bench and the convergence runs (or earlier
 * reports' results.json, or vitest JSON reports of the law suite) → a report folder with
 * report.md, index.html, results.json and SVG charts (src/report).
 */
import type { Command } from '../cli.js';
import { aliasesFor, minChangeValue, parseOptions, shared } from './options.js';

const USAGE = `usage: optimlab report [options] [FILE…]

Builds a report folder from results files: report.md (GitHub Markdown, charts as SVG files beside
it), index.html (self-contained: inline SVG and CSS, no network), results.json (all inputs merged,
with provenance) and the SVG charts. The folder is replaced only when the whole report is written.

  FILE…, --merge FILE…  the results to report: any of optimlab verify --json, verify --accuracy --json
                       and bench --json, vitest JSON reports of the law suite, the convergence runs,
                       and earlier reports' results.json (CI shards, machines, runs), each kind
                       recognised by its contents; a law cell fails if any input failed it
  --no-convergence     without convergence runs among the inputs, do not run them now (a few seconds)
  --module PATH        an optimizer of your own (a JS module exporting 'optimizer'; repeat for
                       several): the convergence runs made here include it beside the built-ins
  --baseline PATH      a results.json (or bench JSON) to compare against (regression view): judged only
                       when measured on the same machine with the same settings, and both runs are quiet
  --baseline-any-machine
                       judge against a baseline from another machine anyway (labelled as such)
  --min-change PCT     smallest change the regression view judges, in percent (default 5)
  --out DIR            report folder (default reports/latest)
  --title TEXT         report title

Old spellings that still work: --verify, --accuracy, --bench, --convergence PATH (= --merge PATH).`;

const OPTIONS = {
  ...shared('out', 'baseline', 'baseline-any-machine', 'min-change', 'module'),
  merge: { type: 'string', multiple: true },
  'no-convergence': { type: 'boolean' },
  title: { type: 'string' },
} as const;

const ALIASES = aliasesFor(OPTIONS, { verify: 'merge', accuracy: 'merge', bench: 'merge', convergence: 'merge' });

export const command: Command = {
  usage: USAGE,
  options: OPTIONS,
  aliases: ALIASES,
  async run(args) {
    const { values, positionals } = parseOptions('report', args, OPTIONS, { allowPositionals: true, aliases: ALIASES });
    const inputs = [...(values.merge ?? []), ...positionals];
    const minChange = minChangeValue(values['min-change']);
    const { loadResults, mergeResults, writeReport, fromDocument, checkReportFolder, formatRegression } =
      await import('../report/index.js');
    const out = values.out ?? 'reports/latest';
    const { loadModules, fromModules } = await import('./modules.js');
    const outside = fromModules(await loadModules(values.module)).entries;
    // The output folder first: a folder we may not replace is refused before any work.
    for (const n of checkReportFolder(out)) console.error(`note: ${n}`);
    if (inputs.length === 0)
      throw new RangeError('no inputs: give the results files to report (optimlab run makes them all, and its report)');
    const docs = inputs.map((f) => loadResults(f));
    let merged = mergeResults(docs);
    if (!merged.convergence && !values['no-convergence']) {
      const { runConvergence } = await import('../../benchmarks/convergence.js');
      const { hostEnvironment } = await import('../report/index.js');
      console.error('running the convergence runs (benchmarks/convergence.ts; --no-convergence to leave them out) …');
      merged = mergeResults([
        merged,
        fromDocument(runConvergence({ entries: outside }), {
          file: 'benchmarks/convergence.ts (this run)',
          environment: hostEnvironment(),
        }),
      ]);
    }
    const baseline = values.baseline === undefined ? undefined : loadResults(values.baseline);
    const files = await writeReport(merged, {
      outDir: out,
      minChange,
      anyMachine: values['baseline-any-machine'] ?? false,
      ...(baseline ? { baseline, baselineLabel: values.baseline } : {}),
      ...(values.title ? { title: values.title } : {}),
    });
    for (const n of files.notes) console.error(`note: ${n}`);
    console.log(`report: ${files.html}\n        ${files.markdown}`);
    if (files.regression) for (const l of formatRegression(files.regression, values.baseline!)) console.log(l);
    return 0;
  },
};
