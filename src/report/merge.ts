/**
 * Merging results from several runs, machines or CI shards: sources are renumbered and every item
 * keeps the id of the source it came from (provenance). Law cases, accuracy rows and bench tasks
 * are unions; the tables are computed from the union (a cell fails if any shard's case failed;
 * the worst K is the worst over all shards). Convergence runs and the TensorFlow.js table: the
 * first document that has them.
 */
import { emptyResults } from './load.js';
import type { ResultsDoc } from './types.js';

export function mergeResults(docs: readonly ResultsDoc[]): ResultsDoc {
  const out = emptyResults();
  let next = 1;
  for (const doc of docs) {
    const map = new Map<string, string>();
    for (const s of doc.sources) {
      const id = `s${next++}`;
      map.set(s.id, id);
      out.sources.push({ ...s, id });
    }
    const re = (id: string): string => map.get(id) ?? id;
    if (doc.verify) {
      const v = (out.verify ??= { laws: [], subjects: [], cases: [], notApplicable: [] });
      for (const l of doc.verify.laws) {
        const have = v.laws.find((x) => x.id === l.id);
        if (!have) v.laws.push({ ...l });
        else if (!have.title && l.title) have.title = l.title;
      }
      for (const s of doc.verify.subjects) if (!v.subjects.includes(s)) v.subjects.push(s);
      for (const c of doc.verify.cases) v.cases.push({ ...c, source: re(c.source) });
      const seen = new Set(v.notApplicable.map(([l, s]) => `${l}\u0000${s}`));
      for (const [l, s] of doc.verify.notApplicable) {
        if (!seen.has(`${l}\u0000${s}`)) {
          seen.add(`${l}\u0000${s}`);
          v.notApplicable.push([l, s]);
        }
      }
    }
    if (doc.accuracy) {
      const a = (out.accuracy ??= { rows: [] });
      for (const r of doc.accuracy.rows) a.rows.push({ ...r, source: re(r.source) });
    }
    if (doc.bench) {
      const b = (out.bench ??= { tasks: [], skipped: [] });
      for (const t of doc.bench.tasks) b.tasks.push({ ...t, source: re(t.source) });
      for (const s of doc.bench.skipped) b.skipped.push({ ...s, source: re(s.source) });
    }
    for (const u of doc.unavailable ?? []) (out.unavailable ??= []).push(u);
    if (doc.convergence && !out.convergence)
      out.convergence = { ...doc.convergence, source: re(doc.convergence.source) };
    // TensorFlow.js's table: the first document that has one (a run of another TF.js version is another table).
    if (doc.tfjs && !out.tfjs)
      out.tfjs = {
        ...doc.tfjs,
        source: re(doc.tfjs.source),
        cases: doc.tfjs.cases.map((c) => ({ ...c, source: re(c.source) })),
      };
  }
  return out;
}
