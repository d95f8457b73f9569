/**
 * The report folder: report.md (GitHub Markdown; charts as SVG files beside it), index.html (one
 * self-contained page: inline CSS and SVG, no scripts, no network), results.json (the merged
 * results) and the SVG files. Both documents render the same table models (tables.ts).
 */
import { escapeHtml, escapeMd, mdCode, slug } from './escape.js';
import type { RenderedChart } from './charts.js';
import { benchRuns, healthOf, otherLoad, type Regression } from './regression.js';
import { verdicts, type VerdictLine } from './verdicts.js';
import {
  accuracyTable,
  convergenceSettingsTable,
  convergenceTable,
  failures,
  lawLegend,
  lawTables,
  regressionTables,
  sourcesTable,
  throughputTables,
  type Failure,
  type Table,
} from './tables.js';
import type { Environment, ResultsDoc } from './types.js';
import { prefixIds } from './charts.js';
import { tfjsFailures, tfjsTables, tfjsText } from './tfjs.js';
import { shellQuote } from '../util/shell.js';

export interface Section {
  id: string;
  title: string;
  /** Paragraphs (raw text). */
  text: string[];
  /** Paragraphs to distrust the section's figures by (shown highlighted). */
  warnings?: string[];
  tables: Table[];
  charts: RenderedChart[];
  /** Law failures (the laws section only). */
  failures?: Failure[];
  legend?: { id: string; title: string }[];
}

export interface ReportModel {
  title: string;
  /** One line under the title: when, from which commit, on which machine. */
  subtitle: string;
  /** The first screen: one verdict per question (verdicts.ts). */
  verdicts: VerdictLine[];
  /** The chart under the verdicts (speed-up over the peers and share of the machine's limit). */
  headline: RenderedChart[];
  facts: [string, string][];
  sections: Section[];
}

function machineText(e: Environment): string {
  return `${e.cpuModel ?? '?'} × ${e.cores ?? '?'} cores, ${e.totalMemoryBytes ? `${(e.totalMemoryBytes / 2 ** 30).toFixed(1)} GiB, ` : ''}${e.os ?? '?'} ${e.arch ?? ''}`.trim();
}

export interface ModelOptions {
  regression?: Regression | undefined;
  baselineLabel?: string | undefined;
  title?: string | undefined;
  /** When the report was built (default: now). */
  builtAt?: string | undefined;
}

/** Builds the document model: the verdicts, then the sections in order, with their tables and charts. */
export function reportModel(
  r: ResultsDoc,
  chartList: RenderedChart[],
  host: Environment,
  opts: ModelOptions = {},
): ReportModel {
  const chart = (file: string): RenderedChart[] => chartList.filter((c) => c.file === file);
  const chartsPrefix = (p: string): RenderedChart[] => chartList.filter((c) => c.file.startsWith(p));
  const unavailable = (part: string): string[] =>
    (r.unavailable ?? []).filter((u) => u.part === part).map((u) => `Not available: ${u.reason}`);
  const sections: Section[] = [];

  const lt = lawTables(r);
  sections.push({
    id: 'laws',
    title: 'Laws',
    text: lt.length ? [] : ['No verification results in the inputs.', ...unavailable('verify')],
    tables: lt,
    charts: [],
    failures: failures(r),
    legend: lawLegend(r),
  });

  if (r.tfjs || (r.unavailable ?? []).some((u) => u.part === 'tfjs')) {
    const tx = tfjsText(r);
    sections.push({
      id: 'tfjs',
      title: 'TensorFlow.js',
      text: r.tfjs ? tx.text : ['No TensorFlow.js results in the inputs.', ...unavailable('tfjs')],
      warnings: tx.warnings,
      tables: tfjsTables(r),
      charts: [],
      failures: tfjsFailures(r),
    });
  }

  const at = accuracyTable(r);
  sections.push({
    id: 'accuracy',
    title: 'Accuracy',
    text: at ? [] : ['No accuracy results in the inputs.', ...unavailable('accuracy')],
    tables: at ? [at] : [],
    charts: chart('accuracy.svg'),
  });

  const tt = throughputTables(r);
  const skipped = (r.bench?.skipped ?? []).map((s) => `Skipped: ${s.what}: ${s.reason}`);
  const errors = (r.bench?.tasks ?? []).filter((x) => x.status !== 'ok').length;
  const unreliable = benchRuns(r)
    .map((run) => ({ run, h: healthOf(run) }))
    .filter((x) => !x.h.reliable)
    .map(
      ({ run, h }) =>
        `These throughput figures${benchRuns(r).length > 1 ? ` (${run.source.id} ${run.source.label})` : ''} are unreliable, because ${h.reasons.join(', and ')}: read them as what this run measured, not as the speed of the code.`,
    );
  sections.push({
    id: 'throughput',
    title: 'Throughput',
    text: r.bench
      ? [...skipped, ...(errors ? [`${errors} task(s) failed to run; they are listed with their error.`] : [])]
      : ['No benchmark results in the inputs.', ...unavailable('bench')],
    warnings: unreliable,
    tables: tt,
    charts: chart('throughput.svg'),
  });

  const g = opts.regression;
  if (g && (g.judged || g.laws.length > 0)) {
    sections.push({
      id: 'regression',
      title: 'Regression view',
      text: g.judged ? [] : [g.why ?? ''],
      warnings: g.acrossMachines ? [g.acrossMachines] : [],
      tables: regressionTables(g, opts.baselineLabel ?? 'baseline'),
      charts: [],
    });
  }

  const ct = convergenceTable(r);
  const cs = convergenceSettingsTable(r);
  sections.push({
    id: 'convergence',
    title: 'Convergence',
    text: r.convergence
      ? [
          `Seed ${r.convergence.seed}, ${r.convergence.settings.dtype}. Rates are tuned: for each optimizer and objective, the rate from the grid that reaches the target in the fewest steps (staying there), else the lowest final f − f*; rates that diverge are excluded.`,
        ]
      : ['No convergence runs in the inputs.', ...unavailable('convergence')],
    tables: [...(cs ? [cs] : []), ...(ct ? [ct] : [])],
    charts: chartsPrefix('convergence-'),
  });
  if (r.convergence) {
    sections.push({
      id: 'trajectories',
      title: 'Trajectories',
      text: [
        "The static counterpart of the animations in Ruder's overview of gradient descent optimization algorithms (2016): every optimizer's path over the contour lines of the function.",
      ],
      tables: [],
      charts: chartsPrefix('trajectory-'),
    });
    const b = r.convergence.blobs;
    sections.push({
      id: 'blobs',
      title: 'Blobs demo',
      text: b.status === 'ok' ? [] : [`Not available: ${b.reason}`],
      tables: [],
      charts: chartsPrefix('blobs-'),
    });
  }
  sections.push({ id: 'provenance', title: 'Provenance', text: [], tables: [sourcesTable(r)], charts: [] });

  const benchEnv = r.sources.find((s) => s.kind === 'bench' && s.environment)?.environment;
  const pk = host.packages ?? {};
  const builtAt = opts.builtAt ?? new Date().toISOString();
  const commit = host.git?.commit
    ? `${host.git.commit}${host.git.dirty ? ' (with uncommitted changes)' : ''}`
    : 'unknown (not a git checkout)';
  const facts: [string, string][] = [
    ['report built', builtAt],
    ['built on', machineText(host)],
    ['node', `${host.node ?? '?'} (V8 ${host.v8 ?? '?'})`],
    ['commit', commit],
    [
      'packages',
      Object.entries(pk)
        .filter(([, v]) => v)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    ],
    [
      'seeds',
      r.sources
        .filter((s) => s.seed !== null)
        .map((s) => `${s.kind} ${s.seed}`)
        .join(', ') || '—',
    ],
  ];
  const load = otherLoad(benchEnv);
  if (benchEnv)
    facts.push([
      'benchmark machine',
      `${machineText(benchEnv)}; node ${benchEnv.node ?? '?'}; load ${(benchEnv.loadAverageStart ?? []).map((x) => x.toFixed(2)).join('/')} → ${(benchEnv.loadAverageEnd ?? []).map((x) => x.toFixed(2)).join('/')}${load ? ` (1-minute, over the run ${load.run.toFixed(2)}, the benchmark's own ${benchEnv.ownLoad === undefined ? '1 (not recorded)' : load.own.toFixed(2)})` : ''}; commit ${benchEnv.git?.commit?.slice(0, 10) ?? '?'}${benchEnv.git?.dirty ? ' (dirty)' : ''}`,
    ]);
  const subtitle = `Built ${builtAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')} from commit ${host.git?.commit?.slice(0, 10) ?? 'unknown'}${host.git?.dirty ? ' (with uncommitted changes)' : ''}${benchEnv ? `; benchmark on ${machineText(benchEnv)}, Node ${benchEnv.node ?? '?'}` : ''}. Inputs, versions and seeds: Provenance.`;
  return {
    title: opts.title ?? 'optimlab report',
    subtitle,
    verdicts: verdicts(r, g, opts.baselineLabel),
    headline: chart('speedup.svg'),
    facts,
    sections,
  };
}

// --- Markdown ----------------------------------------------------------------------------------

function mdTable(tb: Table): string {
  const cell = (c: { text: string; href?: string; kind?: string }): string => {
    const txt = escapeMd(c.text) || ' ';
    const strong = c.kind === 'fail' || c.kind === 'warn' ? `**${txt}**` : txt;
    return c.href ? `[${strong}](${c.href})` : strong;
  };
  const lines = [
    `| ${tb.columns.map((c) => escapeMd(c)).join(' | ')} |`,
    `| ${tb.columns.map((_, i) => (tb.rows.some((r) => r[i]?.kind === 'num') ? '---:' : '---')).join(' | ')} |`,
    ...tb.rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
  return lines.join('\n');
}

const MARK: Record<VerdictLine['status'], string> = { pass: '✔', fail: '✘', warn: '⚠', na: '–' };

export function renderMarkdown(m: ReportModel): string {
  const out: string[] = [`# ${escapeMd(m.title)}`, '', escapeMd(m.subtitle), ''];
  for (const v of m.verdicts) {
    const links = (v.links ?? []).map((l) => `[${escapeMd(l.text)}](${l.href})`).join(', ');
    out.push(`- ${MARK[v.status]} **${escapeMd(v.topic)}**: ${escapeMd(v.text)}${links ? ` ${links}` : ''}`);
  }
  out.push('');
  for (const c of m.headline)
    out.push(`![${escapeMd(c.title)}](${encodeURI(c.file)})`, '', `*${escapeMd(c.title)}. ${escapeMd(c.caption)}*`, '');
  out.push(`Contents: ${m.sections.map((s) => `[${escapeMd(s.title)}](#${slug(s.title)})`).join(' · ')}`, '');
  for (const s of m.sections) {
    out.push(`## ${escapeMd(s.title)}`, '');
    for (const w of s.warnings ?? []) out.push(`> **⚠ ${escapeMd(w)}**`, '');
    for (const p of s.text) out.push(escapeMd(p), '');
    for (const c of s.charts) {
      out.push(
        `**${escapeMd(c.title)}**`,
        '',
        `![${escapeMd(c.title)}](${encodeURI(c.file)})`,
        '',
        `*${escapeMd(c.caption)}*`,
        '',
      );
    }
    if (s.id === 'provenance')
      out.push('| run | |', '| --- | --- |', ...m.facts.map(([k, v]) => `| ${escapeMd(k)} | ${escapeMd(v)} |`), '');
    for (const tb of s.tables) {
      out.push(`### ${escapeMd(tb.title)}`, '');
      if (tb.note) out.push(escapeMd(tb.note), '');
      out.push(mdTable(tb), '');
    }
    if (s.legend?.length) {
      out.push('Laws:', '');
      for (const l of s.legend) out.push(`- **${escapeMd(l.id)}** ${escapeMd(l.title)}`);
      out.push('');
    }
    for (const f of s.failures ?? []) {
      out.push(`### ${escapeMd(f.heading)}`, '');
      out.push(mdCode(failureText(f)), '');
    }
  }
  return out.join('\n');
}

function failureText(f: Failure): string {
  const c = f.c;
  return [
    `law ${c.id} failed${c.runs !== undefined ? ` after ${c.runs} run(s)` : ''} (source: ${f.source})`,
    `counterexample (shrunk): ${c.counterexample ?? '(not recorded)'}`,
    `error: ${c.error ?? '(not recorded)'}`,
    `seed ${c.seed ?? '?'}, path ${c.path ?? '?'}`,
    ...(f.replay ??
      (c.replayCommand
        ? [`replay: ${c.replayCommand}`]
        : c.replay
          ? [
              `replay: OPTIMLAB_REPLAY=${shellQuote(c.replay)} npx vitest run properties -t ${shellQuote(c.id)}`,
              `    or: npx optimlab verify --replay ${shellQuote(c.replay)}`,
            ]
          : [])),
    ...(f.note ? [f.note] : []),
  ].join('\n');
}

// --- HTML ----------------------------------------------------------------------------------------

const CSS = `
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --pass: #1a7f37; --pass-bg: #dafbe1; --fail: #cf222e; --fail-bg: #ffebe9; --warn: #9a6700; --warn-bg: #fff8c5; --na: #818b98; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #fff; }
main { max-width: 1280px; margin: 0 auto; padding: 16px 32px 64px; }
h1 { font-size: 24px; margin: 0 0 2px; }
h2 { font-size: 20px; margin: 40px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 24px 0 6px; }
p, li { max-width: 100ch; }
.sub { color: var(--muted); margin: 0 0 10px; font-size: 13px; }
.note { color: var(--muted); margin: 0 0 8px; }
p.warning { color: var(--warn); background: var(--warn-bg); border-left: 4px solid var(--warn); padding: 6px 10px; font-weight: 600; }
nav { position: sticky; top: 0; background: #fff; border-bottom: 1px solid var(--line); padding: 6px 32px; z-index: 1; }
nav a { margin-right: 14px; color: #0969da; text-decoration: none; white-space: nowrap; }
.verdicts { display: grid; grid-template-columns: 1.4em max-content minmax(0, 1fr); gap: 4px 10px; margin: 4px 0 6px; padding: 10px 14px; border: 1px solid var(--line); border-radius: 6px; background: #f6f8fa; }
.verdict { display: contents; }
.verdict .mark { font-weight: 700; text-align: center; }
.verdict .topic { font-weight: 700; }
.verdict .text { max-width: 110ch; }
.verdict.pass .mark { color: var(--pass); }
.verdict.fail .mark, .verdict.fail .topic { color: var(--fail); }
.verdict.warn .mark, .verdict.warn .topic { color: var(--warn); }
.verdict.na .mark { color: var(--na); }
figure.headline { margin: 8px 0 0; }
table { border-collapse: collapse; margin: 6px 0 14px; font-size: 13px; max-width: 100%; }
th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.pass { color: var(--pass); background: var(--pass-bg); text-align: center; }
td.fail { color: var(--fail); background: var(--fail-bg); font-weight: 600; text-align: center; }
td.warn { color: var(--warn); background: var(--warn-bg); font-weight: 600; }
td.good { color: var(--pass); font-weight: 600; }
td.na, td.notrun { color: var(--na); text-align: center; }
td.muted { color: var(--muted); font-style: italic; }
td.long { min-width: 24ch; overflow-wrap: anywhere; font-size: 12px; }
td a { color: inherit; }
table.facts td:first-child { font-weight: 600; white-space: nowrap; }
table.facts td { overflow-wrap: anywhere; }
.scroll { overflow-x: auto; max-width: 100%; }
figure { margin: 16px 0 24px; max-width: 100%; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: var(--muted); max-width: 110ch; font-size: 13px; }
.charts { display: flex; flex-wrap: wrap; gap: 8px 32px; }
details summary { cursor: pointer; color: #0969da; margin: 4px 0; }
pre { background: #f6f8fa; border: 1px solid var(--line); padding: 10px 12px; overflow-x: auto; font-size: 12.5px; white-space: pre-wrap; word-break: break-word; }
.failure:target { outline: 3px solid var(--fail); }
dl.legend { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; font-size: 13px; }
dl.legend dt { font-weight: 600; }
dl.legend dd { margin: 0; }
@media print { nav { position: static; } }
`;

function htmlTable(tb: Table): string {
  const head = `<tr>${tb.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`;
  const body = tb.rows
    .map(
      (r) =>
        `<tr>${r
          .map((c) => {
            const cls = c.kind && c.kind !== 'text' ? ` class="${c.kind}"` : '';
            const title = c.title ? ` title="${escapeHtml(c.title)}"` : '';
            const inner = c.href ? `<a href="${escapeHtml(c.href)}">${escapeHtml(c.text)}</a>` : escapeHtml(c.text);
            return `<td${cls}${title}>${inner}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('\n');
  const table = `<div class="scroll"><table>\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody></table></div>`;
  const note = tb.note ? `<p class="note">${escapeHtml(tb.note)}</p>\n` : '';
  if (tb.collapsed)
    return `<h3 id="${escapeHtml(tb.id)}">${escapeHtml(tb.title)}</h3>\n${note}<details><summary>${escapeHtml(tb.collapsed)}</summary>\n${table}</details>`;
  return `<h3 id="${escapeHtml(tb.id)}">${escapeHtml(tb.title)}</h3>\n${note}${table}`;
}

/** An SVG from vega for inlining: no XML prolog, ids made unique, a title for screen readers. */
function inlineSvg(c: RenderedChart, i: number): string {
  const svg = prefixIds(c.svg.replace(/^<\?xml[^>]*>\s*/, ''), `c${i}-`);
  return svg.replace(/^<svg\b/, `<svg role="img" aria-label="${escapeHtml(c.title)}"`);
}

function figure(c: RenderedChart, i: number, cls = ''): string {
  return `<figure${cls ? ` class="${cls}"` : ''}>${inlineSvg(c, i)}<figcaption><strong>${escapeHtml(c.title)}.</strong> ${escapeHtml(c.caption)} (<a href="${escapeHtml(encodeURI(c.file))}">${escapeHtml(c.file)}</a>)</figcaption></figure>`;
}

export function renderHtml(m: ReportModel): string {
  let k = 0;
  const verdict = (v: VerdictLine): string => {
    const links = (v.links ?? []).map((l) => `<a href="${escapeHtml(l.href)}">${escapeHtml(l.text)}</a>`).join(', ');
    return `<div class="verdict ${v.status}"><span class="mark" aria-hidden="true">${MARK[v.status]}</span><span class="topic">${escapeHtml(v.topic)}</span><span class="text">${escapeHtml(v.text)}${links ? ` ${links}` : ''}</span></div>`;
  };
  const parts: string[] = [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${escapeHtml(m.title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<nav>${m.sections.map((s) => `<a href="#${escapeHtml(slug(s.title))}">${escapeHtml(s.title)}</a>`).join('')}</nav>`,
    '<main>',
    `<header><h1>${escapeHtml(m.title)}</h1><p class="sub">${escapeHtml(m.subtitle)}</p></header>`,
    `<div class="verdicts">${m.verdicts.map(verdict).join('')}</div>`,
    ...m.headline.map((c) => figure(c, k++, 'headline')),
  ];
  for (const s of m.sections) {
    parts.push(`<section><h2 id="${escapeHtml(slug(s.title))}">${escapeHtml(s.title)}</h2>`);
    for (const w of s.warnings ?? []) parts.push(`<p class="warning">${escapeHtml(w)}</p>`);
    for (const p of s.text) parts.push(`<p>${escapeHtml(p)}</p>`);
    if (s.charts.length) {
      parts.push('<div class="charts">');
      for (const c of s.charts) parts.push(figure(c, k++));
      parts.push('</div>');
    }
    if (s.id === 'provenance')
      parts.push(
        `<table class="facts"><tbody>${m.facts.map(([a, b]) => `<tr><td>${escapeHtml(a)}</td><td>${escapeHtml(b)}</td></tr>`).join('')}</tbody></table>`,
      );
    for (const tb of s.tables) parts.push(htmlTable(tb));
    if (s.legend?.length)
      parts.push(
        `<dl class="legend">${s.legend.map((l) => `<dt>${escapeHtml(l.id)}</dt><dd>${escapeHtml(l.title)}</dd>`).join('')}</dl>`,
      );
    for (const f of s.failures ?? []) {
      parts.push(
        `<div class="failure" id="${escapeHtml(f.anchor)}"><h3>${escapeHtml(f.heading)}</h3><pre>${escapeHtml(failureText(f))}</pre></div>`,
      );
    }
    parts.push('</section>');
  }
  parts.push('</main>', '</body>', '</html>', '');
  return parts.join('\n');
}
