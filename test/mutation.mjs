#!/usr/bin/env node
/**
 * `npm run mutation [-- <folder> …] [--concurrency N]`: mutation testing of the folders in
 * stryker.config.mjs (all of them, or the ones named), one Stryker run per folder, each with only
 * the tests that state that folder's laws. Writes reports/mutation/summary.md and summary.json
 * (committed: the score per folder, every surviving mutant, every mutant ignored as equivalent with
 * its reason) and, not committed, Stryker's HTML and JSON reports under reports/mutation/html and
 * reports/mutation/json. Exits 1 when a folder scores below BREAK.
 *
 * The summary is rewritten for the folders run and keeps the other folders' rows from the last
 * run, so one folder can be re-run alone.
 *
 * `--explain` re-reads the survivors' "Equivalent mutant" comments from the source as it is now,
 * from the folder's last Stryker report (reports/mutation/json), without running it again. It is
 * refused unless every file of the folder differs from the source that run measured by whole-line
 * comments and blank lines alone; the row keeps the commit it was measured at and says where the
 * comments were read.
 *
 * `--summary` runs nothing: it adds up each sharded row again from its shard records and writes
 * summary.md from summary.json (for rows run in another clone of the repository and copied here).
 */
import { readFileSync, readdirSync, writeFileSync, mkdirSync, existsSync, copyFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { dirname, resolve } from 'node:path';
import { Stryker } from '@stryker-mutator/core';
import { FOLDERS, strykerOptions } from '../stryker.config.mjs';
import {
  expandTests,
  fingerprints,
  freshness,
  mergeShards,
  parseShard,
  recordPath,
  rowFiles,
  shardsOf,
} from './mutation-shards.mjs';

/** The score every folder must reach (issue 17). */
const BREAK = 85;
const OUT = 'reports/mutation';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    concurrency: { type: 'string' },
    explain: { type: 'boolean' },
    shard: { type: 'string' },
    status: { type: 'boolean' },
    incremental: { type: 'boolean' },
    summary: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(
    [
      'usage: npm run mutation [-- <folder> …] [--concurrency N] [--incremental | --explain]',
      '       npm run mutation -- <folder> --shard k/N|next [--concurrency N]   (one shard of a sharded row)',
      '       npm run mutation -- --status                                     (the shards: fresh, stale, not run)',
      '       npm run mutation -- --summary                                    (rewrite the summary from what is recorded)',
      `folders: ${FOLDERS.map((r) => r.folder + (r.shards ? ` (${r.shards.length} shards)` : '')).join(', ')}`,
    ].join('\n'),
  );
  process.exit(0);
}
const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
if (concurrency !== undefined && !(Number.isSafeInteger(concurrency) && concurrency >= 1)) {
  console.error(`mutation: --concurrency = ${values.concurrency}; allowed: an integer ≥ 1`);
  process.exit(2);
}
const wanted = positionals.map((p) => p.replace(/\/+$/, ''));
for (const w of wanted) {
  if (!FOLDERS.some((r) => r.folder === w)) {
    console.error(
      `mutation: unknown folder '${w}'; allowed: ${FOLDERS.map((r) => r.folder).join(', ')} (add a row to FOLDERS in stryker.config.mjs)`,
    );
    process.exit(2);
  }
}
// In the order named (the smallest first lands its row soonest), else FOLDERS' order.
const rows = wanted.length ? [...new Set(wanted)].map((w) => FOLDERS.find((r) => r.folder === w)) : FOLDERS;

/** The files a row mutates, its shards, and each shard's fingerprints now (test/mutation-shards.mjs). */
function shardPlan(row) {
  const files = rowFiles(
    row.folder,
    FOLDERS.map((r) => r.folder).filter((f) => f.startsWith(`${row.folder}/`)),
  );
  const shards = shardsOf(row, files);
  const options = strykerOptions(row);
  // The test files, and the run's configuration and set-up (named by path there, not imported).
  const roots = [
    ...expandTests(row.tests),
    options.vitest.configFile,
    'vitest.config.ts',
    ...readdirSync('test/setup').map((f) => `test/setup/${f}`),
  ];
  // What decides the run besides the files: Stryker's options for the row (but what it mutates and
  // where it reports), the law selection, the kernel build's hooks.
  const { mutate, reporters, htmlReporter, jsonReporter, concurrency: _, ...rest } = options;
  const settings = JSON.stringify({
    options: rest,
    laws: row.laws,
    hooks: process.env.OPTIMLAB_KERNEL_HOOKS,
    mutant: process.env.OPTIMLAB_KERNEL_MUTANT,
  });
  const now = (mutated, from = roots) => fingerprints(mutated, from, settings);
  return { shards, now, roots, states: () => freshness(row.folder, shards, now, '.', roots) };
}

if (values.status) {
  for (const row of rows.filter((r) => r.shards)) {
    const plan = shardPlan(row);
    console.log(`${row.folder}: ${plan.shards.length} shards`);
    for (const s of plan.states())
      console.log(
        `  ${s.k + 1}/${plan.shards.length} ${s.state}${s.why?.length ? ` (${s.why.join('; ')})` : ''}${s.added ? ` (test files added since, a lower bound: ${s.added.join(', ')})` : ''}${s.record ? `, run ${s.record.results.date} at ${s.record.results.commit}, ${s.record.results.minutes} min` : ''}: ${s.files.map((f) => f.slice(row.folder.length + 1)).join(', ')}`,
      );
  }
  process.exit(0);
}
if (values.shard !== undefined && (rows.length !== 1 || !rows[0].shards || !wanted.length || values.explain)) {
  console.error(
    `mutation: --shard needs one folder with shards (and no --explain); those with shards: ${FOLDERS.filter(
      (r) => r.shards,
    )
      .map((r) => r.folder)
      .join(', ')}`,
  );
  process.exit(2);
}
if (values.explain && rows.some((r) => r.shards)) {
  console.error(
    `mutation: --explain reads one Stryker report per folder; a sharded row (${rows
      .filter((r) => r.shards)
      .map((r) => r.folder)
      .join(', ')}) is explained by running its stale shards again (--shard next)`,
  );
  process.exit(2);
}

/** Stryker's status → the summary's columns. Score = (killed + timeout) / (killed + timeout + survived + no coverage). */
function tally(results) {
  const n = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, Ignored: 0, RuntimeError: 0, CompileError: 0 };
  for (const r of results) n[r.status] = (n[r.status] ?? 0) + 1;
  const detected = n.Killed + n.Timeout;
  const valid = detected + n.Survived + n.NoCoverage;
  return { ...n, total: results.length, score: valid ? (100 * detected) / valid : 100 };
}

const lineCache = new Map();
function sourceLine(file, line) {
  if (!lineCache.has(file)) lineCache.set(file, readFileSync(file, 'utf8').split('\n'));
  return (lineCache.get(file)[line - 1] ?? '').trim();
}

/** A mutant's text without the whole-line comments it starts with (its node's, kept by Stryker). */
const withoutComments = (text) => text.replace(/^(?:\s*\/\/[^\n]*\n)+\s*/, '');

/**
 * The line a mutant's code is on. Stryker's place of a mutant whose node has comments before it (a
 * `case` or `default:` clause, removed whole) starts at the first of those comments: the code is on
 * the first line after them that is not a whole-line comment.
 */
function codeLine(file, line) {
  let at = line;
  while (/^\/\//.test(sourceLine(file, at)) && at < lineCache.get(file).length) at++;
  return at;
}

/** Text compared for the mutant's form: no spaces, no `!` or backquotes; ·, − and " as *, - and '. */
const form = (s) =>
  s
    .replace(/[\s!`ˋ]/g, '')
    .replace(/·/g, '*')
    .replace(/−/g, '-')
    .replace(/"/g, "'");

/**
 * The explanation of a survivor: the comment block above its line, from "Equivalent mutant", when it
 * names the mutant's form (`replacement`); a comment about another mutant of the line does not count.
 */
function equivalence(file, line, replacement) {
  line = codeLine(file, line);
  replacement = withoutComments(replacement);
  const lines = lineCache.get(file);
  const block = [];
  for (let i = line - 2; i >= 0 && /^\s*\/\//.test(lines[i]); i--)
    block.unshift(lines[i].trim().replace(/^\/\/\s?/, ''));
  const text = block.join(' ');
  const at = text.search(/Equivalent mutant/i);
  return at < 0 || !form(text).includes(form(replacement)) ? undefined : text.slice(at);
}

function isStatic(r) {
  return r.status === 'Ignored' && /static/i.test(r.statusReason ?? '');
}

function mutantRow(r) {
  const file = r.fileName.replace(`${process.cwd()}/`, '');
  const { line, column } = r.location.start;
  const why = r.status === 'Survived' ? equivalence(r.fileName, line, r.replacement ?? '') : undefined;
  return {
    where: `${file}:${line}:${column}`,
    mutator: r.mutatorName,
    line: sourceLine(r.fileName, codeLine(r.fileName, line)),
    replacement: withoutComments(r.replacement ?? ''),
    ...(r.statusReason ? { reason: r.statusReason } : {}),
    ...(why ? { equivalent: why } : {}),
  };
}

/**
 * The commit a row was measured at: HEAD, with "+changes" when the row's folder, its tests or the
 * mutation set-up differ from it in the working tree (such a row does not describe any commit).
 */
function measuredAt(row) {
  const git = (...args) => execFileSync('git', args, { encoding: 'utf8' }).trim();
  try {
    const head = git('rev-parse', '--short', 'HEAD');
    const paths = [row.folder, ...row.tests, 'stryker.config.mjs', 'test/mutation.mjs', 'test/setup'];
    return git('status', '--porcelain', '--', ...paths) ? `${head}+changes` : head;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

const pct = (x) => `${x.toFixed(1)} %`;
const esc = (s) => String(s).replace(/\|/g, '\\|').replace(/`/g, 'ˋ');
/** The code lines of a source with their line numbers: whole-line `//` comments and blank lines left out. */
function codeLines(text) {
  return text
    .split('\n')
    .map((l, i) => [l.trim(), i + 1])
    .filter(([t]) => t !== '' && !t.startsWith('//'));
}

/**
 * The results of the folder's last Stryker run (its JSON report), placed on the lines of the
 * source as it is now; exits 2 when the code itself differs from what was measured.
 */
function lastResults(row) {
  const report = JSON.parse(readFileSync(`${OUT}/json/${row.folder.replace(/[^A-Za-z0-9]+/g, '-')}.json`, 'utf8'));
  const results = [];
  for (const [file, { source, mutants }] of Object.entries(report.files)) {
    const then = codeLines(source);
    const now = codeLines(readFileSync(file, 'utf8'));
    if (then.length !== now.length || then.some(([t], i) => t !== now[i][0])) {
      console.error(
        `mutation: ${file} differs from the source measured in more than comments; run ${row.folder} again`,
      );
      process.exit(2);
    }
    const lineNow = new Map(then.map(([, line], i) => [line, now[i][1]]));
    // A place that starts at comments before the code (codeLine): the code's line, measured.
    const measured = source.split('\n');
    const codeAt = (line) => (/^\s*\/\//.test(measured[line - 1] ?? '') ? codeAt(line + 1) : line);
    for (const m of mutants) {
      const start = { ...m.location.start, line: lineNow.get(codeAt(m.location.start.line)) };
      results.push({ ...m, fileName: resolve(file), location: { ...m.location, start } });
    }
  }
  return results;
}

const summaryPath = `${OUT}/summary.json`;
const summary = existsSync(summaryPath) ? JSON.parse(readFileSync(summaryPath, 'utf8')) : { folders: {} };
mkdirSync(OUT, { recursive: true });
if (values.summary) {
  // No run: the sharded rows added up again from their records, the summary written from the rows.
  for (const row of FOLDERS.filter((r) => r.shards && summary.folders[r.folder]))
    summary.folders[row.folder] = mergeShards(shardPlan(row).states());
  writeSummary();
  process.exit(0);
}

for (const row of rows) {
  console.log(
    `\n=== mutation: ${row.folder} (tests: ${row.tests.join(', ')}; laws: ${row.laws.join(', ') || 'all'}) ===`,
  );
  // The law suite reads OPTIMLAB_LAWS; Stryker's test-runner processes inherit the environment.
  if (row.laws.length) process.env.OPTIMLAB_LAWS = row.laws.join(',');
  else delete process.env.OPTIMLAB_LAWS;
  // The row's test files, read by the mutation run's vitest configuration (stryker.config.mjs says why).
  process.env.OPTIMLAB_MUTATION_TESTS = row.tests.join(',');
  const before = summary.folders[row.folder];
  if (values.explain && !before) {
    console.error(`mutation: ${row.folder} has no row yet; run it first`);
    process.exit(2);
  }
  const commit = measuredAt(row);
  const plan = row.shards ? shardPlan(row) : undefined;
  // One shard of a sharded row (--shard), else every file of the row in one run.
  const only = plan && values.shard !== undefined ? parseShard(values.shard, plan.shards.length, plan.states()) : -1;
  if (plan && only >= 0) console.log(`shard ${only + 1}/${plan.shards.length}: ${plan.shards[only].join(', ')}`);
  const t0 = Date.now();
  const name = row.folder.replace(/[^A-Za-z0-9]+/g, '-');
  if (values.incremental) {
    if (!before || plan || !existsSync(`${OUT}/json/${name}.json`)) {
      console.error(`mutation: ${row.folder} has no report to build on (or is sharded); run it without --incremental`);
      process.exit(2);
    }
    copyFileSync(`${OUT}/json/${name}.json`, `${OUT}/json/${name}.incremental.json`);
  }
  const results = values.explain
    ? lastResults(row)
    : await new Stryker(
        strykerOptions(row, {
          ...(concurrency === undefined ? {} : { concurrency }),
          ...(only >= 0 ? { mutate: plan.shards[only] } : {}),
          incremental: values.incremental ?? false,
        }),
      ).runMutationTest();
  const minutes = Math.round((Date.now() - t0) / 6000) / 10;
  const entry = (rs, min) => ({
    ...tally(rs),
    minutes: values.explain ? before.minutes : min,
    date: values.explain ? before.date : new Date().toISOString().slice(0, 10),
    commit: values.explain ? before.commit : commit,
    ...(values.explain ? { explainedAt: commit } : {}),
    ...(values.incremental ? { incrementalOn: before.commit } : {}),
    ...(values.explain && before.incrementalOn ? { incrementalOn: before.incrementalOn } : {}),
    survived: rs
      .filter((r) => r.status === 'Survived' || r.status === 'NoCoverage')
      .map((r) => ({ status: r.status, ...mutantRow(r) })),
    ignored: rs.filter((r) => r.status === 'Ignored' && !isStatic(r)).map(mutantRow),
    // Rows with ignoreStatic (stryker.config.mjs): mutants of module initialisation, not run.
    static: rs.filter(isStatic).length,
    // Mutants of module initialisation that did run (rows without ignoreStatic), among the counts above.
    staticRun: rs.filter((r) => r.static && !isStatic(r)).length,
  });
  if (!plan) summary.folders[row.folder] = entry(results, minutes);
  else {
    // A sharded row: each shard run keeps its record (reports/mutation/shards), the row adds up the fresh ones.
    for (const k of only >= 0 ? [only] : plan.shards.map((_, k) => k)) {
      const files = new Set(plan.shards[k].map((f) => resolve(f)));
      const mine = results.filter((r) => files.has(resolve(r.fileName)));
      const record = {
        shard: k + 1,
        shards: plan.shards.length,
        files: plan.shards[k],
        fingerprints: plan.now(plan.shards[k]),
        // The files the `tests` fingerprint starts from: a test file added later leaves the record standing.
        roots: plan.roots,
        // A whole-row run's time is shared out by mutants.
        results: entry(mine, only >= 0 ? minutes : Math.round((minutes * mine.length * 10) / results.length) / 10),
      };
      mkdirSync(dirname(recordPath(row.folder, k)), { recursive: true });
      writeFileSync(recordPath(row.folder, k), `${JSON.stringify(record, null, 1)}\n`);
    }
    summary.folders[row.folder] = mergeShards(plan.states());
  }
  // Written after every folder, so that the rows finished so far are kept if a later one is stopped.
  writeSummary();
}

/** A sharded row's shards: which count, which are stale (and why), which have not run. */
function shardText(s) {
  return [
    `shards ${s.fresh.length ? s.fresh.join(', ') : 'none'} of ${s.count} fresh`,
    ...(s.testsAdded?.length
      ? [
          `test files added since (a lower bound: more tests only kill more): ${s.testsAdded.map((x) => `shard ${x.shard} (${x.files.join(', ')})`).join(', ')}`,
        ]
      : []),
    ...(s.stale.length
      ? [`stale (not counted): ${s.stale.map((x) => `${x.shard} (${x.why.join('; ')})`).join(', ')}`]
      : []),
    ...(s.missing.length ? [`not run: ${s.missing.join(', ')}`] : []),
  ].join('; ');
}
/** Sharded rows some of whose shards are stale or not run: counted over their fresh shards, not judged. */
// A function declaration: writeSummary, which runs after each folder (inside the loop above), calls it.
function partialRows() {
  return FOLDERS.map((r) => r.folder).filter((f) => summary.folders[f]?.shards && !summary.folders[f].complete);
}

function writeSummary() {
  const names = FOLDERS.map((r) => r.folder).filter((f) => summary.folders[f]);
  const partial = partialRows();
  const all = names.map((f) => summary.folders[f]);
  const sum = (k) => all.reduce((a, f) => a + f[k], 0);
  const totalScore =
    (100 * (sum('Killed') + sum('Timeout'))) / (sum('Killed') + sum('Timeout') + sum('Survived') + sum('NoCoverage'));
  const md = [
    '# Mutation testing: summary',
    '',
    'Written by `npm run mutation` (test/mutation.mjs; what each column means: reports/mutation/README.md).',
    `Score = (killed + timeout) / (killed + timeout + survived + no coverage); every folder must reach ${BREAK} %.`,
    '',
    '| folder | mutants | killed | timeout | survived | no coverage | ignored (equivalent) | static (not run) | errors | score | run |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ...names.map((f) => {
      const r = summary.folders[f];
      return `| ${f} | ${r.total} | ${r.Killed} | ${r.Timeout} | ${r.Survived} | ${r.NoCoverage} | ${r.Ignored - (r.static ?? 0)} | ${r.static ?? 0} | ${r.RuntimeError + r.CompileError} | ${pct(r.score)}${r.shards && !r.complete ? ' (partial)' : ''} | ${r.date}, ${r.minutes} min, at ${r.commit ?? 'unrecorded'}${r.incrementalOn ? ` (incremental: results of unchanged mutants reused from the run at ${r.incrementalOn})` : ''}${r.explainedAt ? ` (comments read at ${r.explainedAt})` : ''}${r.shards ? `; ${shardText(r.shards)}` : ''} |`;
    }),
    `| **all** | ${sum('total')} | ${sum('Killed')} | ${sum('Timeout')} | ${sum('Survived')} | ${sum('NoCoverage')} | ${sum('Ignored') - all.reduce((a, f) => a + (f.static ?? 0), 0)} | ${all.reduce((a, f) => a + (f.static ?? 0), 0)} | ${sum('RuntimeError') + sum('CompileError')} | **${pct(totalScore)}** | |`,
    ...(partial.length
      ? [
          '',
          'A *partial* row counts only its fresh shards (reports/mutation/README.md, "Shards"): its score is not judged until every shard is fresh.',
        ]
      : []),
    '',
    '## Surviving mutants',
    '',
    'Each is explained as equivalent by the comment above its line (quoted), or is a gap the gate has yet to close (marked **unexplained**).',
    '',
    ...(all.some((f) => f.survived.length)
      ? [
          '| where | mutator | line | mutated to | why it survives |',
          '|---|---|---|---|---|',
          ...names.flatMap((f) =>
            summary.folders[f].survived.map(
              (m) =>
                `| ${m.where}${m.status === 'NoCoverage' ? ' (no coverage)' : ''} | ${m.mutator} | \`${esc(m.line)}\` | \`${esc(m.replacement)}\` | ${m.equivalent ? esc(m.equivalent) : '**unexplained**'} |`,
            ),
          ),
        ]
      : ['None.']),
    '',
    '## Ignored as equivalent (the reason is the `Stryker disable` comment at the spot)',
    '',
    ...(all.some((f) => f.ignored.length)
      ? [
          '| where | mutator | reason |',
          '|---|---|---|',
          ...names.flatMap((f) =>
            summary.folders[f].ignored.map((m) => `| ${m.where} | ${m.mutator} | ${esc(m.reason ?? '')} |`),
          ),
        ]
      : ['None.']),
    '',
  ];
  writeFileSync(summaryPath, `${JSON.stringify(summary, null, 1)}\n`);
  writeFileSync(`${OUT}/summary.md`, md.join('\n'));
  console.log(`\n${md.slice(5, 8 + names.length).join('\n')}\n\nsummary: ${OUT}/summary.md`);
}
for (const f of partialRows().filter((f) => rows.some((r) => r.folder === f)))
  console.log(`mutation: ${f} is partial (${shardText(summary.folders[f].shards)}): not judged yet`);
const low = rows.filter((r) => !partialRows().includes(r.folder) && summary.folders[r.folder].score < BREAK);
if (low.length) {
  console.error(
    `mutation: below ${BREAK} %: ${low.map((r) => `${r.folder} ${pct(summary.folders[r.folder].score)}`).join(', ')}`,
  );
  process.exit(1);
}
