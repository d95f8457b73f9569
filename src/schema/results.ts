/**
 * 'optimlab.results/1': the merged results a report folder's results.json holds (src/report
 * merges any mix of verify, vitest, accuracy, bench and convergence documents into one), read back
 * by `report --merge` and `--baseline`. Every part keeps the id of the source it came from.
 */
import { accuracyRowShape } from './accuracy.js';
import { taskShape } from './bench.js';
import {
  anything,
  arr,
  bool,
  either,
  nullable,
  num,
  obj,
  oneOf,
  optional,
  record,
  str,
  tuple,
  type Infer,
} from './check.js';
import { convergenceShape, convergenceSize } from './convergence.js';
import { caseResultShape, name, provenance } from './verify.js';
import { findingShape } from './tfjs.js';

export const RESULTS_SCHEMA = 'optimlab.results/1' as const;

const sourceId = str({ max: 20, pattern: /^s\d{1,7}$/, what: "a source id such as 's1'" });

/** Machine and software a run came from (as far as it was recorded: every field may be absent). */
export const environment = obj({
  node: optional(name()),
  v8: optional(name()),
  cpuModel: optional(name()),
  cores: optional(num({ int: true, min: 1 })),
  os: optional(name()),
  arch: optional(name()),
  totalMemoryBytes: optional(num({ min: 0 })),
  loadAverageStart: optional(arr(num({ min: 0 }), { max: 3 })),
  loadAverageEnd: optional(arr(num({ min: 0 }), { max: 3 })),
  /** A bench run's own CPU use in cores, weighted as the load average weighs the run (src/schema/bench.ts). */
  ownLoad: optional(num({ min: 0 })),
  packages: optional(record(nullable(name()), { maxKeys: 1000 })),
  git: optional(obj({ commit: nullable(name()), dirty: nullable(bool) })),
  date: optional(name()),
  durationSec: optional(num({ min: 0 })),
});
export type Environment = Infer<typeof environment>;

export const sourceKind = oneOf('verify', 'vitest', 'accuracy', 'bench', 'convergence', 'tfjs');
export type SourceKind = Infer<typeof sourceKind>;

/** Where a part of the results came from (provenance). */
export const source = obj({
  /** 's1', 's2', … unique within a results document. */
  id: sourceId,
  kind: sourceKind,
  /** The file it was read from (as given), or 'in-process' for results made in this process. */
  file: str({ max: 10_000 }),
  /** Free label (a shard or machine name); defaults to the file name. */
  label: str({ max: 10_000 }),
  createdAt: nullable(name()),
  /** An integer (laws, accuracy, convergence) or a text (bench). */
  seed: nullable(either(num({ int: true }), str({ max: 1000 }))),
  /** Settings the run used (runs per case, cases, tinybench options …), as recorded. */
  settings: record(anything, { maxKeys: 1000 }),
  /** The machine, when the file records it (bench does) or the producer was this process. */
  environment: nullable(environment),
  /** optimlab's version and the --module files, where the document records them. */
  provenance: optional(provenance),
});
export type Source = Infer<typeof source>;

/** A law case in merged results: runs, seed and ms are absent for cases read from a vitest report. */
export const mergedCase = obj({
  ...caseResultShape,
  runs: optional(caseResultShape.runs),
  seed: optional(caseResultShape.seed),
  ms: optional(caseResultShape.ms),
  source: sourceId,
});
export type MergedCase = Infer<typeof mergedCase>;

export const resultsDoc = obj(
  {
    schema: oneOf(RESULTS_SCHEMA),
    createdAt: name(),
    sources: arr(source, { max: 10_000 }),
    verify: nullable(
      obj({
        laws: arr(obj({ id: name(), title: str({ max: 2000 }) }), { max: 10_000 }),
        subjects: arr(name(), { max: 10_000 }),
        cases: arr(mergedCase, { max: 1_000_000 }),
        /** Cells the producers marked not applicable: [law ID, subject]. */
        notApplicable: arr(tuple([name(), name()]), { max: 1_000_000 }),
      }),
    ),
    accuracy: nullable(obj({ rows: arr(obj({ ...accuracyRowShape, source: sourceId }), { max: 100_000 }) })),
    bench: nullable(
      obj({
        tasks: arr(obj({ ...taskShape, source: sourceId }), { max: 1_000_000 }),
        skipped: arr(obj({ what: str({ max: 1000 }), reason: str({ max: 10_000 }), source: sourceId }), {
          max: 10_000,
        }),
      }),
    ),
    convergence: nullable(obj({ ...convergenceShape, source: sourceId }, convergenceSize)),
    /** TensorFlow.js's optimizers under the laws, with the findings (optimlab.tfjs/1); absent in older documents. */
    tfjs: optional(
      nullable(
        obj({
          source: sourceId,
          /** tfjs-core's version, and the backend. */
          version: name(),
          backend: name(),
          laws: arr(obj({ id: name(), title: str({ max: 2000 }) }), { max: 10_000 }),
          subjects: arr(name(), { max: 10_000 }),
          cases: arr(mergedCase, { max: 1_000_000 }),
          notApplicable: arr(tuple([name(), name()]), { max: 1_000_000 }),
          findings: arr(obj(findingShape), { max: 1000 }),
          unexplained: arr(name(), { max: 10_000 }),
        }),
      ),
    ),
    /** Parts a run could not produce, and why (shown in the report instead of silence). */
    unavailable: optional(arr(obj({ part: name(), reason: str({ max: 10_000 }) }), { max: 1000 })),
    /** When and where the report was built (results.json of a report folder). */
    report: optional(anything),
  },
  (d) => {
    const ids = new Set<string>();
    for (const [i, s] of d.sources.entries()) {
      if (ids.has(s.id))
        return { field: `sources[${i}].id`, found: JSON.stringify(s.id), expected: 'an id no other source has' };
      ids.add(s.id);
    }
    const refs: [string, string][] = [
      ...(d.verify?.cases ?? []).map((c, i) => [`verify.cases[${i}].source`, c.source] as [string, string]),
      ...(d.accuracy?.rows ?? []).map((r, i) => [`accuracy.rows[${i}].source`, r.source] as [string, string]),
      ...(d.bench?.tasks ?? []).map((t, i) => [`bench.tasks[${i}].source`, t.source] as [string, string]),
      ...(d.bench?.skipped ?? []).map((t, i) => [`bench.skipped[${i}].source`, t.source] as [string, string]),
      ...(d.convergence ? [['convergence.source', d.convergence.source] as [string, string]] : []),
      ...(d.tfjs ? [['tfjs.source', d.tfjs.source] as [string, string]] : []),
      ...(d.tfjs?.cases ?? []).map((c, i) => [`tfjs.cases[${i}].source`, c.source] as [string, string]),
    ];
    for (const [field, id] of refs)
      if (!ids.has(id))
        return {
          field,
          found: JSON.stringify(id),
          expected: `the id of one of the sources (${[...ids].join(', ') || 'none'})`,
        };
    return undefined;
  },
);
export type ResultsDoc = Infer<typeof resultsDoc>;
