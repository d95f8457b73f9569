/**
 * The JSON documents optimlab writes and reads, in one place: their TypeScript types and the
 * validators that check a parsed document field by field (check.ts). The producers (properties/,
 * benchmarks/) build these types; the report and every command that reads a document validate
 * it with `validate(schema, doc, file)`, whose error names the file and the field.
 *
 *   optimlab.verify/1        verify.ts       optimlab verify --json
 *   optimlab.accuracy/1      accuracy.ts     optimlab verify --accuracy --json
 *   optimlab.bench (v1)      bench.ts        optimlab bench (benchmarks/SCHEMA.md)
 *   optimlab.convergence/1   convergence.ts  the convergence runs (benchmarks/CONVERGENCE.md)
 *   optimlab.tfjs/1          tfjs.ts         optimlab verify --tfjs --json (TensorFlow.js's optimizers and the findings)
 *   optimlab.results/1       results.ts      a report folder's results.json (merged)
 *   vitest JSON report       vitest.ts       npx vitest run properties --reporter=json
 *
 * Depends on nothing in optimlab (the data flows into the report as JSON only).
 */
export { SchemaError, LIMITS, describe, validate, type Infer, type Schema } from './check.js';
export {
  VERIFY_SCHEMA,
  REPLAY,
  verifyDoc,
  caseResult,
  provenance,
  moduleProvenance,
  type CaseResult,
  type Cell,
  type Dtype,
  type VerifyDoc,
  type Provenance,
  type ModuleProvenance,
} from './verify.js';
export { ACCURACY_SCHEMA, accuracyDoc, accuracyRow, type AccuracyDoc, type AccuracyRow } from './accuracy.js';
export {
  RESULTS_FORMAT,
  RESULTS_VERSION,
  benchResults,
  taskResult,
  type AbstractionCheck,
  type BenchEnvironment,
  type BenchResults,
  type CoreEngine,
  type EngineCheck,
  type LawSuiteCost,
  type Latency,
  type NotAvailable,
  type PairedRatio,
  type PeerCheck,
  type Settings,
  type SystemCostEntry,
  type SystemPart,
  type TaskKind,
  type TaskResult,
} from './bench.js';
export {
  CONVERGENCE_SCHEMA,
  CELLS_MAX,
  GRID_MAX,
  POINTS_MAX,
  convergenceDoc,
  grid,
  type BlobsResult,
  type ConvergenceDoc,
  type Grid,
  type ObjectiveResult,
  type OptimizerCurve,
  type TrajectoryResult,
} from './convergence.js';
export {
  RESULTS_SCHEMA,
  resultsDoc,
  environment,
  source,
  type Environment,
  type MergedCase,
  type ResultsDoc,
  type Source,
  type SourceKind,
} from './results.js';
export { vitestReport, type VitestReport } from './vitest.js';
export { TFJS_SCHEMA, tfjsDoc, finding, type Finding, type TfjsDoc } from './tfjs.js';
