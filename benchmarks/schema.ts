/**
 * The results document of one `optimlab bench` run: its types and version live in the schema
 * module (src/schema/bench.ts, with the validator readers apply); SCHEMA.md beside this file
 * documents every field. Re-exported here under the names the benchmark code uses.
 */
import { RESULTS_FORMAT, RESULTS_VERSION, benchResults, type BenchResults } from '../src/schema/bench.js';
import { validate } from '../src/schema/check.js';

export {
  RESULTS_FORMAT,
  RESULTS_VERSION,
  type AbstractionCheck,
  type BenchEnvironment as Environment,
  type BenchResults,
  type LawSuiteCost,
  type Latency,
  type NotAvailable,
  type CoreEngine,
  type EngineCheck,
  type PairedRatio,
  type PeerCheck,
  type Settings,
  type SystemCostEntry,
  type SystemPart,
  type TaskKind,
  type TaskResult,
  triadLevel,
} from '../src/schema/bench.js';

/** Checks that `doc` is a results document this version reads, field by field; a TypeError naming `where` (and the field) otherwise. */
export function asResults(doc: unknown, where: string): BenchResults {
  const d = doc as Partial<BenchResults> | null;
  if (d === null || typeof d !== 'object' || d.format !== RESULTS_FORMAT) {
    throw new TypeError(`${where}: not an optimlab benchmark results document (format must be '${RESULTS_FORMAT}')`);
  }
  if (d.version !== RESULTS_VERSION) {
    throw new RangeError(
      `${where}: results version ${String(d.version)}; this optimlab reads version ${RESULTS_VERSION}`,
    );
  }
  // every field, checked against the one schema (src/schema/bench.ts): the error names the field
  return validate(benchResults, doc, where);
}
