/**
 * The report's first screen: one verdict per question a reader opens it with. Do the laws hold?
 * How accurate is each optimizer against its bound? How fast is it against the peers and the
 * machine's limit? Did anything get slower than the baseline (or why that cannot be said)?
 */
import { fmtNum, fmtPct } from './format.js';
import { formatSize } from '../util/size.js';
import type { Regression } from './regression.js';
import { headline, span } from './speed.js';
import { accuracyRows, failures } from './tables.js';
import type { ResultsDoc } from './types.js';

export interface VerdictLine {
  topic: string;
  /** pass: the answer is good; fail: something broke; warn: a figure to distrust; na: no answer. */
  status: 'pass' | 'fail' | 'warn' | 'na';
  text: string;
  /** Links that follow the text (failures, sections). */
  links?: { text: string; href: string }[];
}

const list = (xs: readonly string[], max = 5): string =>
  xs.length <= max ? xs.join(', ') : `${xs.slice(0, max).join(', ')} and ${xs.length - max} more`;

function lawsVerdict(r: ResultsDoc): VerdictLine {
  const v = r.verify;
  if (!v || v.cases.length === 0)
    return { topic: 'Laws', status: 'na', text: 'not run (no verification results in the inputs).' };
  const fs = failures(r);
  const dtyped = v.cases.some((c) => c.dtype);
  const what = `${v.cases.length} cases: ${v.laws.length} laws over ${v.subjects.length} subjects${dtyped ? ', float64 and float32' : ''}`;
  if (fs.length === 0) return { topic: 'Laws', status: 'pass', text: `all held (${what}).` };
  return {
    topic: 'Laws',
    status: 'fail',
    text: `${fs.length} of ${what} FAILED:`,
    links: [
      ...fs.slice(0, 6).map((f) => ({ text: f.c.id, href: `#${f.anchor}` })),
      ...(fs.length > 6 ? [{ text: `${fs.length - 6} more`, href: '#laws' }] : []),
    ],
  };
}

function accuracyVerdict(r: ResultsDoc): VerdictLine {
  const rows = accuracyRows(r);
  if (rows.length === 0)
    return { topic: 'Accuracy', status: 'na', text: 'not measured (no accuracy results in the inputs).' };
  const over = rows.filter((a) => a.worstK > a.bound);
  const k = (a: (typeof rows)[number]): string =>
    `${a.optimizer} ${a.dtype} K = ${fmtNum(a.worstK, 3)} u against ${fmtNum(a.bound, 3)}`;
  const cases = [...new Set(rows.map((a) => a.cases))];
  const per = `${rows.length} optimizer × dtype rows, ${cases.length === 1 ? `${cases[0]} random single steps each` : `${span(cases, String)} random single steps each`}`;
  if (over.length > 0)
    return {
      topic: 'Accuracy',
      status: 'fail',
      text: `${over.length} beyond their bound: ${list(over.map(k))} (${per}).`,
      links: [{ text: 'table', href: '#accuracy' }],
    };
  const closest = ['float64', 'float32'].flatMap((d) => {
    const ds = rows.filter((a) => a.dtype === d && a.bound > 0);
    if (ds.length === 0) return [];
    const w = ds.reduce((a, b) => (b.worstK / b.bound > a.worstK / a.bound ? b : a));
    return [`${k(w)} (${fmtPct(w.worstK / w.bound, false)} of it)`];
  });
  return {
    topic: 'Accuracy',
    status: 'pass',
    text: `every optimizer within its bound (${per}); the closest: ${closest.join('; ')}.`,
  };
}

function speedVerdict(r: ResultsDoc): VerdictLine {
  const h = headline(r);
  if (!h) return { topic: 'Speed', status: 'na', text: 'not measured (no benchmark of the core in the inputs).' };
  const parts: string[] = [];
  const x = (v: number): string => `${fmtNum(v, 2)}×`;
  for (const d of ['float32', 'float64']) {
    const peered = h.rows.filter((row) => row.dtype === d && row.bestPeer);
    if (peered.length === 0) continue;
    const none = h.rows.filter((row) => row.dtype === d && !row.bestPeer).map((row) => row.optimizer);
    parts.push(
      `${d} ${span(
        peered.map((row) => row.bestPeer!.speedup),
        x,
      )} the fastest TensorFlow.js peer${none.length ? ` (${list(none)}: no peer)` : ''}`,
    );
  }
  if (parts.length === 0) parts.push('no peer measured');
  for (const d of ['float32', 'float64']) {
    const w = h.rows.filter((row) => row.dtype === d && row.wasm);
    if (w.length === 0) continue;
    const peered = w.filter((row) => row.wasm!.overBestPeer !== null);
    parts.push(
      `wasm engine ${d} ${span(
        w.map((row) => row.wasm!.overJs),
        x,
      )} the JS core${
        peered.length
          ? `, ${span(
              peered.map((row) => row.wasm!.overBestPeer!),
              x,
            )} the fastest peer`
          : ''
      }`,
    );
  }
  const triad = ['float64', 'float32'].flatMap((d) => {
    const rs = h.rows.filter((row) => row.dtype === d && row.ratioToTriad !== null).map((row) => row.ratioToTriad!);
    return rs.length ? [`${span(rs, (v) => fmtNum(v, 2))} in ${d}`] : [];
  });
  const text = `at n = ${formatSize(h.n)}: ${parts.join('; ')}; ${triad.length ? `${triad.join(', ')} of the STREAM triad (the limit of a plain JS loop here)` : 'no triad measured'}.`;
  if (!h.health.reliable)
    return {
      topic: 'Speed',
      status: 'warn',
      text: `unreliable figures, because ${h.health.reasons.join(', and ')}. As measured: ${text}`,
      links: [{ text: 'throughput', href: '#throughput' }],
    };
  return { topic: 'Speed', status: 'pass', text, links: [{ text: 'throughput', href: '#throughput' }] };
}

function regressionVerdict(g: Regression | undefined, label: string | undefined): VerdictLine {
  if (!g)
    return {
      topic: 'Regressions',
      status: 'na',
      text: 'no baseline to compare against (reports/baseline/results.json, or --baseline PATH).',
    };
  const lawFails = g.laws.filter((l) => l.current === 'fail');
  const lawText = lawFails.length
    ? ` Law cells that held in the baseline and fail now: ${list(lawFails.map((l) => `${l.law} ${l.subject}`))}.`
    : '';
  if (!g.judged) return { topic: 'Regressions', status: lawFails.length ? 'fail' : 'na', text: `${g.why}${lawText}` };
  const regs = g.tasks.filter((t) => t.verdict === 'regression');
  const across = g.acrossMachines ? ` ${g.acrossMachines}` : '';
  const against = `against ${label ?? 'the baseline'} (${g.baselineRuns} run${g.baselineRuns === 1 ? '' : 's'} of the same machine and settings)`;
  if (regs.length === 0 && lawFails.length === 0) {
    return {
      topic: 'Regressions',
      status: g.acrossMachines ? 'warn' : 'pass',
      text: `none ${against}; ${g.improvements} improvement(s).${across}`,
      links: [{ text: 'details', href: '#regression-view' }],
    };
  }
  return {
    topic: 'Regressions',
    status: 'fail',
    text: `${regs.length} task(s) slower beyond the noise ${against}${regs.length ? `: ${list(regs.map((t) => `${t.id} ${fmtPct(t.change!)}`))}` : ''}; ${g.improvements} improvement(s).${lawText}${across}`,
    links: [{ text: 'details', href: '#regression-view' }],
  };
}

/** The verdict block, in the order a reader asks. */
export function verdicts(r: ResultsDoc, g: Regression | undefined, baselineLabel: string | undefined): VerdictLine[] {
  return [lawsVerdict(r), accuracyVerdict(r), speedVerdict(r), regressionVerdict(g, baselineLabel)];
}
