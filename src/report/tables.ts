/**
 * The report's tables as data: one model, rendered by both the Markdown and the HTML writer, so
 * the two show the same contents. Every string here is raw text; the writers escape it.
 */
import { NOT_APPLICABLE, NO_VALUE } from '../util/marks.js';
import { slug } from './escape.js';
import { compareIds, fmtNum, fmtPct, fmtSi } from './format.js';
import { formatSize } from '../util/size.js';
import type { Regression, TaskChange } from './regression.js';
import type { BenchTask, CaseResult, Cell, ResultsDoc, Source } from './types.js';

/** 'long': free text that wraps anywhere (file names, settings, cases) instead of widening the table. */
export type CellKind = 'pass' | 'fail' | 'na' | 'notrun' | 'warn' | 'good' | 'num' | 'text' | 'muted' | 'long';

export interface TCell {
  text: string;
  kind?: CellKind;
  /** In-document anchor ('#failure-1-…') or a relative file. */
  href?: string;
  /** Hover text (HTML only). */
  title?: string;
}

export interface Table {
  id: string;
  title: string;
  /** Paragraph under the title: what the columns mean. */
  note?: string;
  columns: string[];
  rows: TCell[][];
  /** HTML: the table folds under this summary line (a long table that few readers need). */
  collapsed?: string;
}

const t = (text: string, kind?: CellKind, extra: Partial<TCell> = {}): TCell => ({
  text,
  ...(kind ? { kind } : {}),
  ...extra,
});
const num = (text: string, extra: Partial<TCell> = {}): TCell => t(text, 'num', extra);

// --- laws ----------------------------------------------------------------------------------------

export interface Failure {
  anchor: string;
  heading: string;
  c: CaseResult & { source: string };
  source: string;
  /** The lines that replay it, where the default ones do not (TensorFlow.js: verify --tfjs). */
  replay?: string[];
  /** A line under it (TensorFlow.js: the finding that explains it). */
  note?: string;
}

/** Every failing case, numbered, with its anchor (the law table links to these). */
export function failures(r: ResultsDoc): Failure[] {
  const fs = (r.verify?.cases ?? []).filter((c) => c.status === 'fail');
  fs.sort((a, b) => compareIds(a.lawId, b.lawId) || a.id.localeCompare(b.id));
  return fs.map((c, i) => {
    const heading = `failure ${i + 1}: ${c.id}`;
    return { anchor: slug(heading), heading, c, source: sourceLabel(r, c.source) };
  });
}

export function lawCell(r: ResultsDoc, law: string, subject: string): Cell {
  const lawCases = r.verify?.cases.filter((c) => c.lawId === law) ?? [];
  const cs = lawCases.filter((c) => c.subject === subject);
  if (cs.length > 0)
    return cs.some((c) => c.status === 'fail') ? 'fail' : cs.every((c) => c.status === 'not run') ? 'not run' : 'pass';
  if (r.verify?.notApplicable.some(([l, s]) => l === law && s === subject)) return 'n/a';
  // A shard that ran this law may not have known this subject (a law-family shard lists only the
  // subjects of its laws). The kinds settle it: a standalone law (cases without a dtype) applies
  // only to its own subjects, an optimizer law never to a standalone subject (objectives, training).
  if (lawCases.length > 0) {
    const lawStandalone = lawCases.every((c) => c.dtype === undefined);
    const subjectCases = r.verify?.cases.filter((c) => c.subject === subject) ?? [];
    const subjectStandalone = subjectCases.length > 0 && subjectCases.every((c) => c.dtype === undefined);
    if (lawStandalone || subjectStandalone) return 'n/a';
  }
  return 'not run';
}

/** Subjects that are optimizers (their cases carry a dtype) and the standalone ones (objectives, training). */
export function subjectGroups(r: ResultsDoc): { optimizers: string[]; standalone: string[] } {
  const v = r.verify;
  if (!v) return { optimizers: [], standalone: [] };
  const standalone = v.subjects.filter((s) => {
    const cs = v.cases.filter((c) => c.subject === s);
    return cs.length > 0 && cs.every((c) => c.dtype === undefined);
  });
  return { optimizers: v.subjects.filter((s) => !standalone.includes(s)), standalone };
}

function lawGrid(r: ResultsDoc, subjects: readonly string[], fails: Failure[]): TCell[][] {
  const v = r.verify!;
  const laws = [...v.laws]
    .sort((a, b) => compareIds(a.id, b.id))
    .filter((l) => subjects.some((s) => lawCell(r, l.id, s) !== 'n/a'));
  return laws.map((l) => [
    t(l.id, 'text', l.title ? { title: l.title } : {}),
    ...subjects.map((s): TCell => {
      const c = lawCell(r, l.id, s);
      if (c === 'fail') {
        const f = fails.find((x) => x.c.lawId === l.id && x.c.subject === s)!;
        return t('FAIL', 'fail', { href: `#${f.anchor}`, title: f.c.error ?? 'failed' });
      }
      if (c === 'not run') {
        const why = v.cases.find((x) => x.lawId === l.id && x.subject === s && x.reason)?.reason;
        if (why) return t('not run', 'notrun', { title: why });
      }
      return c === 'pass' ? t('pass', 'pass') : c === 'n/a' ? t(NOT_APPLICABLE, 'na') : t('·', 'notrun');
    }),
  ]);
}

/** The law tables: laws × optimizers, and the objective / training laws × their subjects. */
export function lawTables(r: ResultsDoc): Table[] {
  const v = r.verify;
  if (!v) return [];
  const fails = failures(r);
  const { optimizers, standalone } = subjectGroups(r);
  const cases = v.cases.length;
  const failed = v.cases.filter((c) => c.status === 'fail').length;
  const legend =
    'pass: held in every case run (float64 and float32); FAIL: a counterexample was found (the link leads to it and to the line that replays it); n/a: the law does not apply; not run: it applies but could not run (hover for why: no reference supplied); ·: not run.';
  const out: Table[] = [
    {
      id: 'laws-optimizers',
      title: 'Laws × optimizers',
      note: `${cases} cases (law × subject × dtype), ${cases - failed} passed, ${failed} failed. ${legend}`,
      columns: ['law', ...optimizers],
      rows: lawGrid(r, optimizers, fails),
    },
  ];
  if (standalone.length > 0) {
    // Transposed (subjects as rows): many objectives, few laws.
    const grid = lawGrid(r, standalone, fails);
    const laws = grid.map((row) => row[0]!);
    out.push({
      id: 'laws-objectives',
      title: 'Objective and training laws',
      note: legend,
      columns: ['subject', ...laws.map((l) => l.text)],
      rows: standalone.map((s, i) => [t(s), ...grid.map((row) => row[i + 1]!)]),
    });
  }
  return out;
}

/** The first law table (laws × optimizers), or null without verification results. */
export function lawTable(r: ResultsDoc): Table | null {
  return lawTables(r)[0] ?? null;
}

/** The law legend: ID → statement. */
export function lawLegend(r: ResultsDoc): { id: string; title: string }[] {
  return [...(r.verify?.laws ?? [])].filter((l) => l.title).sort((a, b) => compareIds(a.id, b.id));
}

// --- accuracy --------------------------------------------------------------------------------------

export interface AccuracyAgg {
  optimizer: string;
  dtype: string;
  cases: number;
  worstK: number;
  paramsK: number | null;
  bound: number;
  worstCase: string | null;
  /** 'not run': no decimal reference for the optimizer (reason). */
  status?: 'not run';
  reason?: string;
}

export function accuracyRows(r: ResultsDoc): AccuracyAgg[] {
  const out: AccuracyAgg[] = [];
  for (const row of r.accuracy?.rows ?? []) {
    const have = out.find((a) => a.optimizer === row.optimizer && a.dtype === row.dtype);
    if (!have) {
      out.push({
        optimizer: row.optimizer,
        dtype: row.dtype,
        cases: row.cases ?? 0,
        worstK: row.worstK,
        paramsK: row.paramsK ?? null,
        bound: row.bound,
        worstCase: row.worstCase ?? null,
        ...(row.status === 'not run' ? { status: row.status, reason: row.reason ?? '' } : {}),
      });
      continue;
    }
    have.cases += row.cases ?? 0;
    if (row.worstK > have.worstK) {
      have.worstK = row.worstK;
      have.worstCase = row.worstCase ?? null;
    }
    if (row.paramsK !== undefined) have.paramsK = Math.max(have.paramsK ?? 0, row.paramsK);
    have.bound = Math.max(have.bound, row.bound);
  }
  return out;
}

/** The first clause of a worst case ('params[5]: core …, reference …, scale …, K …'), without the case that follows it. */
function where(worstCase: string | null): string {
  return (worstCase ?? '').split('; case ')[0]!;
}

export function accuracyTable(r: ResultsDoc): Table | null {
  if (!r.accuracy) return null;
  return {
    id: 'accuracy-table',
    title: 'Accuracy against the decimal reference',
    note: 'Worst K over random single steps (the worst case column names the element and both values; the case itself, with its hyperparameters, inputs and history, is in results.json), where |core − reference| ≤ K·u·(|θ| + |Δ|) (u = 2⁻⁵³ for float64, 2⁻²⁴ for float32), over the parameters and every state buffer; "params K" is the parameter update alone. The bound is the law\'s (B1/G7).',
    columns: ['optimizer', 'dtype', 'cases', 'worst K (u)', 'params K (u)', 'bound (u)', 'within bound', 'worst case'],
    rows: accuracyRows(r).map((a) =>
      a.status === 'not run'
        ? [
            t(a.optimizer),
            t(a.dtype),
            num('0'),
            t(NO_VALUE, 'muted'),
            t(NO_VALUE, 'muted'),
            t(NO_VALUE, 'muted'),
            t('not run', 'notrun'),
            t(`not run: ${a.reason ?? ''}`, 'muted'),
          ]
        : [
            t(a.optimizer),
            t(a.dtype),
            num(String(a.cases)),
            num(fmtNum(a.worstK)),
            num(fmtNum(a.paramsK)),
            num(fmtNum(a.bound)),
            a.worstK <= a.bound ? t('yes', 'pass') : t('NO', 'fail'),
            t(where(a.worstCase), 'long'),
          ],
    ),
  };
}

// --- throughput ----------------------------------------------------------------------------------

export const PEER_ENGINES = ['tfjs-cpu', 'tfjs-wasm'] as const;

function sourceLabel(r: ResultsDoc, id: string): string {
  return r.sources.find((s) => s.id === id)?.label ?? id;
}

/** A machine's identity: tasks from sources on one machine are compared with each other. */
function machineOf(r: ResultsDoc, sourceId: string): string {
  const e = r.sources.find((s) => s.id === sourceId)?.environment;
  return e ? `${e.cpuModel}|${e.cores}|${e.os}|${e.arch}|${e.node}` : `source ${sourceId}`;
}

function benchSources(r: ResultsDoc): Source[] {
  return r.sources.filter((s) => s.kind === 'bench');
}

/** Sizes for the throughput tables: 1e6 and 4e6 where measured, else the two largest sizes. */
export function throughputSizes(r: ResultsDoc): number[] {
  const ns = [...new Set((r.bench?.tasks ?? []).map((x) => x.n))].sort((a, b) => a - b);
  const want = ns.filter((n) => n === 1e6 || n === 4e6);
  return want.length > 0 ? want : ns.slice(-2);
}

export function throughputTables(r: ResultsDoc): Table[] {
  const b = r.bench;
  if (!b) return [];
  // Several machines: a 'source' column, and ratios only between tasks of one machine.
  const multi = new Set(benchSources(r).map((s) => machineOf(r, s.id))).size > 1;
  const out: Table[] = [];
  for (const n of throughputSizes(r)) {
    const at = b.tasks.filter((x) => x.n === n);
    const find = (
      kind: string,
      name: string,
      dtype: string,
      engine: string | null,
      source: string,
    ): BenchTask | undefined =>
      at.find(
        (x) =>
          x.kind === kind &&
          x.name === name &&
          x.dtype === dtype &&
          (engine === null || x.engine === engine) &&
          machineOf(r, x.source) === machineOf(r, source) &&
          x.status === 'ok',
      );
    const rows: TCell[][] = [];
    // The wasm engine's row follows the JS core's of the same optimizer and dtype (run order, kept by
    // the stable sort), with its ratio to it.
    const wasm = at.some((x) => x.kind === 'core' && x.engine === 'wasm');
    const order = ['stream', 'core', 'hand', 'peer'];
    const list = [...at].sort(
      (p, q) => order.indexOf(p.kind) - order.indexOf(q.kind) || (p.dtype < q.dtype ? 1 : p.dtype > q.dtype ? -1 : 0),
    );
    for (const x of list) {
      const label =
        x.kind === 'core'
          ? x.engine === 'js'
            ? x.name
            : `${x.name} (${x.engine} engine)`
          : x.kind === 'hand'
            ? `${x.name} (hand-written loop)`
            : x.kind === 'peer'
              ? `${x.name} (${x.engine})`
              : `${x.name} (stream)`;
      const base = [t(label, x.kind === 'core' ? 'text' : 'muted'), t(x.dtype)];
      if (x.status !== 'ok') {
        rows.push([
          ...base,
          t(`error: ${x.error ?? 'unknown'}`, 'fail'),
          t(''),
          t(''),
          t(''),
          ...(wasm ? [t('')] : []),
          ...PEER_ENGINES.map(() => t('')),
          ...(multi ? [t(sourceLabel(r, x.source))] : []),
        ]);
        continue;
      }
      const js = x.kind === 'core' && x.engine === 'wasm' ? find('core', x.name, x.dtype, 'js', x.source) : undefined;
      const overJs = js?.elementsPerSec && x.elementsPerSec ? x.elementsPerSec / js.elementsPerSec : undefined;
      const triad = find('stream', 'triad', x.dtype, null, x.source);
      const ratioTriad =
        x.ratioToTriad ?? (triad?.bytesPerSec && x.bytesPerSec ? x.bytesPerSec / triad.bytesPerSec : undefined);
      const peers = PEER_ENGINES.map((e): TCell => {
        if (x.kind !== 'core') return t('');
        const p = find('peer', x.name, x.dtype, e, x.source);
        if (!p?.elementsPerSec || !x.elementsPerSec) {
          // n/a where the peer cannot exist: TensorFlow.js computes in float32 only, and has no
          // such optimizer where its engine ran others at this size; else it was not measured
          const ran = at.some(
            (q) =>
              q.kind === 'peer' &&
              q.engine === e &&
              q.dtype === x.dtype &&
              machineOf(r, q.source) === machineOf(r, x.source),
          );
          return x.dtype !== 'float32' || ran
            ? t(NOT_APPLICABLE, 'na', {
                title:
                  x.dtype !== 'float32' ? 'TensorFlow.js computes in float32 only' : `TensorFlow.js has no ${x.name}`,
              })
            : t(NO_VALUE, 'notrun', { title: 'not measured' });
        }
        const s = x.elementsPerSec / p.elementsPerSec;
        return num(`${fmtNum(s)}×`, {
          kind: s < 1 ? 'warn' : 'num',
          title: s < 1 ? `${e} is faster than the core here` : `the core is ${fmtNum(s)}× as fast as ${e}`,
        });
      });
      rows.push([
        ...base,
        num(fmtSi(x.elementsPerSec, '/s')),
        num(fmtSi(x.bytesPerSec, 'B/s')),
        num(x.rme !== undefined ? `±${x.rme.toFixed(1)}%` : NO_VALUE),
        num(ratioTriad !== undefined ? fmtNum(ratioTriad) : NO_VALUE),
        ...(wasm
          ? [
              overJs === undefined
                ? t('')
                : num(`${fmtNum(overJs)}×`, {
                    kind: overJs < 1 ? 'warn' : 'num',
                    title: "the wasm engine's step ÷ the JS core's (same optimizer, n, dtype, run)",
                  }),
            ]
          : []),
        ...peers,
        ...(multi ? [t(sourceLabel(r, x.source))] : []),
      ]);
    }
    out.push({
      id: `throughput-${formatSize(n)}`,
      title: `Throughput at n = ${formatSize(n)}`,
      note: `Element-steps per second (n / mean step latency) and the bytes they move (elements/s × arrays streamed × bytes per element). ÷ triad: bytes/s over the STREAM triad\'s at the same n and dtype (the roofline of a plain JS loop: 1 = moves bytes as fast as the triad does; the triad\'s figure is the median of its measurements through the run\'s group, where it was measured again after each task). vs tfjs-…: the row\'s elements/s over the TensorFlow.js peer\'s (same optimizer, n, dtype); below 1 (marked) the peer is faster; n/a where TensorFlow.js has no such optimizer or dtype (it computes in float32 only). ± is the 95% margin of the mean (rme).${wasm ? " (wasm engine): the same optimizer on the wasm engine, its arrays in the engine's memory (the same bits as the JS core; docs/wasm.md); wasm ÷ js: its elements/s over the JS core's, in the row above." : ''}`,
      columns: [
        'task',
        'dtype',
        'elements/s',
        'bytes/s',
        '±',
        '÷ triad',
        ...(wasm ? ['wasm ÷ js'] : []),
        ...PEER_ENGINES.map((e) => `vs ${e}`),
        ...(multi ? ['source'] : []),
      ],
      rows,
    });
  }
  return out;
}

// --- convergence ---------------------------------------------------------------------------------

export function convergenceTable(r: ResultsDoc): Table | null {
  const c = r.convergence;
  if (!c) return null;
  const names = [...new Set(c.objectives.flatMap((o) => o.runs.map((x) => x.optimizer)))];
  return {
    id: 'convergence-table',
    title: 'Convergence',
    note: `Steps until f − f* stays ≤ the target (${[...new Set(c.objectives.map((o) => fmtNum(o.target)))].join(', ')}) for the rest of the run, and the final f − f* after the step budget, at the rate η shown: tuned per optimizer and objective over ${c.settings.rateGrid.map((x) => fmtNum(x)).join(', ')} (${c.settings.tuneBy}). "—": not reached within the budget.`,
    columns: [
      'optimizer',
      ...c.objectives.flatMap((o) => [`${o.name}: η`, `${o.name}: steps`, `${o.name}: final f − f*`]),
    ],
    rows: names.map((name) => [
      t(name),
      ...c.objectives.flatMap((o): TCell[] => {
        const run = o.runs.find((x) => x.optimizer === name);
        if (!run) return [t('—', 'notrun'), t('—', 'notrun'), t('—', 'notrun')];
        const steps =
          run.divergedAt !== null
            ? t(`diverged at ${run.divergedAt}`, 'fail')
            : run.stepsToTarget === null
              ? t('—', 'warn', { title: `not within ${o.target} after ${o.steps} steps` })
              : num(String(run.stepsToTarget));
        return [num(`${fmtNum(run.lr)}${run.rate === 'stated' ? ' (stated)' : ''}`), steps, num(fmtNum(run.finalGap))];
      }),
    ]),
  };
}

export function convergenceSettingsTable(r: ResultsDoc): Table | null {
  const c = r.convergence;
  if (!c) return null;
  return {
    id: 'convergence-problems',
    title: 'Convergence problems',
    columns: ['objective', 'dimension', 'start', 'f*', 'target f − f*', 'steps'],
    rows: c.objectives.map((o) => [
      t(o.title),
      num(String(o.dim)),
      t(
        o.start.length > 3
          ? `(${o.start
              .slice(0, 3)
              .map((x) => fmtNum(x))
              .join(', ')}, …)`
          : `(${o.start.map((x) => fmtNum(x)).join(', ')})`,
      ),
      t(`${fmtNum(o.fStar, 8)} (${o.fStarSource})`),
      num(fmtNum(o.target)),
      num(String(o.steps)),
    ]),
  };
}

// --- regression ----------------------------------------------------------------------------------

/** How many runs the baseline holds per task, when more than one. */
function runsNote(g: Regression): string {
  const runs = [...new Set(g.tasks.map((x) => x.baselineRuns).filter((k): k is number => k !== undefined))].sort(
    (a, b) => a - b,
  );
  if (runs.length === 0) return '';
  return `The baseline holds ${runs.join(' or ')} runs of each task: its column is their mean, the change is taken from the geometric mean of their ratios, and the noise band is a 95% prediction interval for one new run from the spread between the runs, pooled over the optimizers of the same dtype and n (Student's t), so it is as wide as this machine's run-to-run noise at that size.`;
}

function changeRow(x: TaskChange): TCell[] {
  const kind: CellKind =
    x.verdict === 'regression'
      ? 'fail'
      : x.verdict === 'improvement'
        ? 'good'
        : x.verdict === 'within noise'
          ? 'pass'
          : 'na';
  const noise = x.noiseLow !== null && x.noiseHigh !== null ? `${fmtPct(x.noiseLow)} … ${fmtPct(x.noiseHigh)}` : '—';
  return [
    t(x.id),
    num(fmtSi(x.base, '/s')),
    num(fmtSi(x.current, '/s')),
    num(x.change === null ? '—' : fmtPct(x.change)),
    num(noise),
    t(x.verdict === 'regression' ? 'REGRESSION' : x.verdict, kind),
  ];
}

export function regressionTables(g: Regression, baselineLabel: string): Table[] {
  const tables: Table[] = [];
  if (g.judged) {
    const columns = ['task', 'baseline', 'current', 'change', 'noise band', 'verdict'];
    const marked = g.tasks.filter((x) => x.verdict === 'regression' || x.verdict === 'improvement');
    const method = `Change: of each task's throughput relative to the STREAM triad of its own run (same n and dtype), so a machine that is busier or slower as a whole cancels out (the triad and tasks without one: raw elements/s). ${runsNote(g) || "Noise band: the 95% margin of the change from both runs' margins in quadrature (√(rme_task² + rme_triad²) per run)."} Where the triad's level moved between the runs, the band is widened by that move on its side (a step limited by arithmetic does not follow the triad). A regression is a change below the band${g.minChange ? ` and at least ${fmtPct(g.minChange, false)}` : ''}, an improvement one above it. Baseline and current columns are raw elements/s; the method is in docs/benchmarking.md.${g.warnings.length ? ` Note: ${g.warnings.join('; ')}.` : ''}`;
    tables.push({
      id: 'regression-marked',
      title: `Beyond the noise against the baseline (${baselineLabel})`,
      note: `${g.tasks.filter((x) => x.verdict === 'regression').length} regression(s), ${g.improvements} improvement(s) among ${g.tasks.filter((x) => x.change !== null && x.verdict !== 'reference').length} tasks compared, against ${g.baselineRuns} baseline run(s) of the same machine and settings. ${method}`,
      columns,
      rows: marked.length
        ? marked.map(changeRow)
        : [[t('none: every compared task is within the noise'), t(''), t(''), t(''), t(''), t('')]],
    });
    tables.push({
      id: 'regression-tasks',
      title: 'Every task against the baseline',
      columns,
      rows: g.tasks.map(changeRow),
      collapsed: `all ${g.tasks.length} tasks (the triad, copy, hand-written loops and peers are references, shown and not judged)`,
    });
  }
  if (g.laws.length > 0) {
    tables.push({
      id: 'regression-laws',
      title: 'Law cells that changed',
      columns: ['law', 'subject', 'baseline', 'current'],
      rows: g.laws.map((l) => [
        t(l.law),
        t(l.subject),
        t(l.base),
        t(l.current, l.current === 'fail' ? 'fail' : 'good'),
      ]),
    });
  }
  return tables;
}

// --- provenance ----------------------------------------------------------------------------------

/** Settings as 'key value' pairs, nested objects flattened ('tinybench.time 250'), lists joined. */
function settingsText(s: Record<string, unknown>, prefix = ''): string {
  return Object.entries(s)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => {
      if (Array.isArray(v))
        return `${prefix}${k} ${v.map((x) => (typeof x === 'number' && x >= 1e4 ? formatSize(x) : String(x))).join(', ')}`;
      if (typeof v === 'object') return settingsText(v as Record<string, unknown>, `${prefix}${k}.`);
      return `${prefix}${k} ${String(v)}`;
    })
    .join('; ');
}

export function sourcesTable(r: ResultsDoc): Table {
  return {
    id: 'sources',
    title: 'Where these results came from',
    note: 'Every input, with the machine, commit, optimlab version, outside modules (--module: path, SHA-256 of its files) and settings it records. "—": not recorded in that file.',
    columns: ['source', 'kind', 'file', 'date', 'seed', 'machine', 'node', 'commit', 'optimlab, modules and settings'],
    rows: r.sources.map((s) => {
      const e = s.environment;
      const machine = e
        ? `${e.cpuModel ?? '?'} × ${e.cores ?? '?'}, ${e.os ?? '?'} ${e.arch ?? ''}${e.totalMemoryBytes ? `, ${(e.totalMemoryBytes / 2 ** 30).toFixed(1)} GiB` : ''}`.trim()
        : '—';
      const commit = e?.git?.commit
        ? `${e.git.commit.slice(0, 10)}${e.git.dirty ? ' (uncommitted changes)' : ''}`
        : '—';
      const version = s.provenance?.optimlab ?? e?.packages?.optimlab ?? '—';
      const mods = s.provenance?.modules.length
        ? s.provenance.modules
            .map(
              (m) =>
                `${m.path} (${m.optimizers.join(', ')}; sha256 ${m.sha256.slice(0, 16)}…, ${m.files} file${m.files === 1 ? '' : 's'})`,
            )
            .join('; ')
        : '—';
      const provenance = `optimlab ${version}${mods === '—' ? '' : `; --module ${mods}`}`;
      return [
        t(`${s.id} ${s.label}`),
        t(s.kind),
        t(s.file, 'long'),
        t(s.createdAt ?? '—'),
        t(s.seed === null ? '—' : String(s.seed)),
        t(machine, 'long'),
        t(e?.node ?? '—'),
        t(commit),
        t(`${provenance}; ${settingsText(s.settings)}`, 'long'),
      ];
    }),
  };
}
