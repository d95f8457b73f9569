/**
 * The report folder: report.md (GitHub Markdown; charts as SVG files beside it), index.html (one
 * self-contained page: inline CSS and SVG, no scripts, no network), results.json (the merged
 * results) and the SVG files. Both documents render the same table models (tables.ts).
 */
import { escapeHtml, escapeMd, mdCode, slug } from './escape.js';
import type { RenderedChart } from './charts.js';
import type { Regression } from './regression.js';
import { accuracyTable, convergenceSettingsTable, convergenceTable, failures, lawLegend, lawTables, regressionTables, sourcesTable, throughputTables, type Failure, type Table } from './tables.js';
import type { Environment, ResultsDoc } from './types.js';
import { prefixIds } from './charts.js';

export interface Section {
  id: string;
  title: string;
  /** Paragraphs (raw text). */
  text: string[];
  tables: Table[];
  charts: RenderedChart[];
  /** Law failures (the laws section only). */
  failures?: Failure[];
  legend?: { id: string; title: string }[];
}

export interface ReportModel {
  title: string;
  summary: string[];
  facts: [string, string][];
  sections: Section[];
}

function machineText(e: Environment): string {
  return `${e.cpuModel ?? '?'} × ${e.cores ?? '?'} cores, ${e.totalMemoryBytes ? `${(e.totalMemoryBytes / 2 ** 30).toFixed(1)} GiB, ` : ''}${e.os ?? '?'} ${e.arch ?? ''}`.trim();
}

/** Builds the document model: sections in order, with their tables and charts. */
export function reportModel(r: ResultsDoc, chartList: RenderedChart[], host: Environment, opts: { regression?: Regression | undefined; baselineLabel?: string | undefined; title?: string | undefined } = {}): ReportModel {
  const chart = (file: string): RenderedChart[] => chartList.filter((c) => c.file === file);
  const chartsPrefix = (p: string): RenderedChart[] => chartList.filter((c) => c.file.startsWith(p));
  const unavailable = (part: string): string[] => (r.unavailable ?? []).filter((u) => u.part === part).map((u) => `Not available: ${u.reason}`);
  const sections: Section[] = [];

  if (opts.regression) {
    sections.push({ id: 'regression', title: 'Regression view', text: [], tables: regressionTables(opts.regression, opts.baselineLabel ?? 'baseline'), charts: [] });
  }

  const lt = lawTables(r);
  sections.push({
    id: 'laws', title: 'Laws',
    text: lt.length ? [] : ['No verification results in the inputs.', ...unavailable('verify')],
    tables: lt, charts: [], failures: failures(r), legend: lawLegend(r),
  });

  const at = accuracyTable(r);
  sections.push({ id: 'accuracy', title: 'Accuracy', text: at ? [] : ['No accuracy results in the inputs.', ...unavailable('accuracy')], tables: at ? [at] : [], charts: chart('accuracy.svg') });

  const tt = throughputTables(r);
  const skipped = (r.bench?.skipped ?? []).map((s) => `Skipped: ${s.what}: ${s.reason}`);
  const errors = (r.bench?.tasks ?? []).filter((x) => x.status !== 'ok').length;
  sections.push({
    id: 'throughput', title: 'Throughput',
    text: r.bench ? [...skipped, ...(errors ? [`${errors} task(s) failed to run; they are listed with their error.`] : [])] : ['No benchmark results in the inputs.', ...unavailable('bench')],
    tables: tt, charts: chart('throughput.svg'),
  });

  const ct = convergenceTable(r);
  const cs = convergenceSettingsTable(r);
  sections.push({
    id: 'convergence', title: 'Convergence',
    text: r.convergence ? [`Seed ${r.convergence.seed}, ${r.convergence.settings.dtype}. Rates are tuned: for each optimizer and objective, the rate from the grid that reaches the target in the fewest steps (staying there), else the lowest final f − f*; rates that diverge are excluded.`] : ['No convergence runs in the inputs.', ...unavailable('convergence')],
    tables: [...(cs ? [cs] : []), ...(ct ? [ct] : [])], charts: chartsPrefix('convergence-'),
  });
  if (r.convergence) {
    sections.push({ id: 'trajectories', title: 'Trajectories', text: ['The static counterpart of the animations in Ruder\'s overview of gradient descent optimization algorithms (2016): every optimizer\'s path over the contour lines of the function.'], tables: [], charts: chartsPrefix('trajectory-') });
    const b = r.convergence.blobs;
    sections.push({ id: 'blobs', title: 'Blobs demo', text: b.status === 'ok' ? [] : [`Not available: ${b.reason}`], tables: [], charts: chartsPrefix('blobs-') });
  }
  sections.push({ id: 'provenance', title: 'Provenance', text: [], tables: [sourcesTable(r)], charts: [] });

  const v = r.verify;
  const failed = v ? v.cases.filter((c) => c.status === 'fail').length : 0;
  const accOver = (at?.rows ?? []).filter((row) => row[6]?.kind === 'fail').length;
  const summary: string[] = [];
  summary.push(v ? `Laws: ${v.cases.length} cases over ${v.laws.length} laws, ${failed === 0 ? 'all passed' : `${failed} FAILED`}.` : 'Laws: not run.');
  summary.push(at ? `Accuracy: ${at.rows.length} optimizer × dtype rows, ${accOver === 0 ? 'all within their bounds' : `${accOver} beyond their bound`}.` : 'Accuracy: not available.');
  summary.push(r.bench ? `Throughput: ${r.bench.tasks.length} tasks${errors ? `, ${errors} failed` : ''}.` : 'Throughput: not measured.');
  summary.push(r.convergence ? `Convergence: ${r.convergence.objectives.length} objectives × ${r.convergence.settings.optimizers.length} optimizers, ${r.convergence.trajectories.length} trajectory plots.` : 'Convergence: not run.');
  if (opts.regression) summary.push(`Against the baseline: ${opts.regression.regressions} regression(s), ${opts.regression.improvements} improvement(s).`);

  const benchEnv = r.sources.find((s) => s.kind === 'bench' && s.environment)?.environment;
  const pk = host.packages ?? {};
  const facts: [string, string][] = [
    ['report built', host.date ?? ''],
    ['built on', machineText(host)],
    ['node', `${host.node ?? '?'} (V8 ${host.v8 ?? '?'})`],
    ['commit', host.git?.commit ? `${host.git.commit}${host.git.dirty ? ' (with uncommitted changes)' : ''}` : 'unknown (not a git checkout)'],
    ['packages', Object.entries(pk).filter(([, v]) => v).map(([k, v]) => `${k} ${v}`).join(', ')],
    ['seeds', r.sources.filter((s) => s.seed !== null).map((s) => `${s.kind} ${s.seed}`).join(', ') || '—'],
  ];
  if (benchEnv) facts.push(['benchmark machine', `${machineText(benchEnv)}; node ${benchEnv.node ?? '?'}; load ${(benchEnv.loadAverageStart ?? []).map((x) => x.toFixed(2)).join('/')} → ${(benchEnv.loadAverageEnd ?? []).map((x) => x.toFixed(2)).join('/')}; commit ${benchEnv.git?.commit?.slice(0, 10) ?? '?'}${benchEnv.git?.dirty ? ' (dirty)' : ''}`]);
  return { title: opts.title ?? 'optimlab report', summary, facts, sections };
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

export function renderMarkdown(m: ReportModel): string {
  const out: string[] = [`# ${escapeMd(m.title)}`, ''];
  for (const s of m.summary) out.push(`- ${escapeMd(s)}`);
  out.push('', '| run | |', '| --- | --- |', ...m.facts.map(([k, v]) => `| ${escapeMd(k)} | ${escapeMd(v)} |`), '');
  out.push(`Contents: ${m.sections.map((s) => `[${escapeMd(s.title)}](#${slug(s.title)})`).join(' · ')}`, '');
  for (const s of m.sections) {
    out.push(`## ${escapeMd(s.title)}`, '');
    for (const p of s.text) out.push(escapeMd(p), '');
    for (const c of s.charts) {
      out.push(`**${escapeMd(c.title)}**`, '', `![${escapeMd(c.title)}](${encodeURI(c.file)})`, '', `*${escapeMd(c.caption)}*`, '');
    }
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
    ...(c.replay ? [`replay: OPTIMLAB_REPLAY='${c.replay}' npx vitest run properties -t '${c.id}'`, `    or: npx optimlab verify --replay '${c.replay}'`] : []),
  ].join('\n');
}

// --- HTML ----------------------------------------------------------------------------------------

const CSS = `
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --pass: #1a7f37; --pass-bg: #dafbe1; --fail: #cf222e; --fail-bg: #ffebe9; --warn: #9a6700; --warn-bg: #fff8c5; --na: #818b98; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #fff; }
main { max-width: 1280px; margin: 0 auto; padding: 24px 32px 64px; }
h1 { font-size: 26px; margin: 0 0 8px; }
h2 { font-size: 20px; margin: 40px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 24px 0 6px; }
p, li { max-width: 100ch; }
.note { color: var(--muted); margin: 0 0 8px; }
nav { position: sticky; top: 0; background: #fff; border-bottom: 1px solid var(--line); padding: 8px 32px; z-index: 1; }
nav a { margin-right: 14px; color: #0969da; text-decoration: none; white-space: nowrap; }
.summary li { margin: 2px 0; }
table { border-collapse: collapse; margin: 6px 0 14px; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.pass { color: var(--pass); background: var(--pass-bg); text-align: center; }
td.fail { color: var(--fail); background: var(--fail-bg); font-weight: 600; text-align: center; }
td.warn { color: var(--warn); background: var(--warn-bg); font-weight: 600; }
td.good { color: var(--pass); font-weight: 600; }
td.na, td.notrun { color: var(--na); text-align: center; }
td.muted { color: var(--muted); font-style: italic; }
td a { color: inherit; }
table.facts td:first-child { font-weight: 600; white-space: nowrap; }
.scroll { overflow-x: auto; max-width: 100%; }
figure { margin: 16px 0 24px; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: var(--muted); max-width: 100ch; font-size: 13px; }
.charts { display: flex; flex-wrap: wrap; gap: 8px 32px; }
pre { background: #f6f8fa; border: 1px solid var(--line); padding: 10px 12px; overflow-x: auto; font-size: 12.5px; white-space: pre-wrap; word-break: break-word; }
.failure:target { outline: 3px solid var(--fail); }
dl.legend { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; font-size: 13px; }
dl.legend dt { font-weight: 600; }
dl.legend dd { margin: 0; }
@media print { nav { position: static; } }
`;

function htmlTable(tb: Table): string {
  const head = `<tr>${tb.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`;
  const body = tb.rows.map((r) => `<tr>${r.map((c) => {
    const cls = c.kind && c.kind !== 'text' ? ` class="${c.kind}"` : '';
    const title = c.title ? ` title="${escapeHtml(c.title)}"` : '';
    const inner = c.href ? `<a href="${escapeHtml(c.href)}">${escapeHtml(c.text)}</a>` : escapeHtml(c.text);
    return `<td${cls}${title}>${inner}</td>`;
  }).join('')}</tr>`).join('\n');
  return `<h3 id="${escapeHtml(tb.id)}">${escapeHtml(tb.title)}</h3>\n${tb.note ? `<p class="note">${escapeHtml(tb.note)}</p>\n` : ''}<div class="scroll"><table>\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody></table></div>`;
}

/** An SVG from vega for inlining: no XML prolog, ids made unique, a title for screen readers. */
function inlineSvg(c: RenderedChart, i: number): string {
  const svg = prefixIds(c.svg.replace(/^<\?xml[^>]*>\s*/, ''), `c${i}-`);
  return svg.replace(/^<svg\b/, `<svg role="img" aria-label="${escapeHtml(c.title)}"`);
}

export function renderHtml(m: ReportModel): string {
  let k = 0;
  const parts: string[] = [
    '<!doctype html>', '<html lang="en">', '<head>', '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${escapeHtml(m.title)}</title>`, `<style>${CSS}</style>`, '</head>', '<body>',
    `<nav>${m.sections.map((s) => `<a href="#${escapeHtml(slug(s.title))}">${escapeHtml(s.title)}</a>`).join('')}</nav>`,
    '<main>', `<h1>${escapeHtml(m.title)}</h1>`,
    `<ul class="summary">${m.summary.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>`,
    `<table class="facts"><tbody>${m.facts.map(([a, b]) => `<tr><td>${escapeHtml(a)}</td><td>${escapeHtml(b)}</td></tr>`).join('')}</tbody></table>`,
  ];
  for (const s of m.sections) {
    parts.push(`<section><h2 id="${escapeHtml(slug(s.title))}">${escapeHtml(s.title)}</h2>`);
    for (const p of s.text) parts.push(`<p>${escapeHtml(p)}</p>`);
    if (s.charts.length) {
      parts.push('<div class="charts">');
      for (const c of s.charts) parts.push(`<figure>${inlineSvg(c, k++)}<figcaption><strong>${escapeHtml(c.title)}.</strong> ${escapeHtml(c.caption)} (<a href="${escapeHtml(encodeURI(c.file))}">${escapeHtml(c.file)}</a>)</figcaption></figure>`);
      parts.push('</div>');
    }
    for (const tb of s.tables) parts.push(htmlTable(tb));
    if (s.legend?.length) parts.push(`<dl class="legend">${s.legend.map((l) => `<dt>${escapeHtml(l.id)}</dt><dd>${escapeHtml(l.title)}</dd>`).join('')}</dl>`);
    for (const f of s.failures ?? []) {
      parts.push(`<div class="failure" id="${escapeHtml(f.anchor)}"><h3>${escapeHtml(f.heading)}</h3><pre>${escapeHtml(failureText(f))}</pre></div>`);
    }
    parts.push('</section>');
  }
  parts.push('</main>', '</body>', '</html>', '');
  return parts.join('\n');
}
