/**
 * `optimlab/bench`: the benchmark harness for a maintainer's own scripts. `runBench` measures the
 * built-in optimizers and yours (`entries`) in one run, against the same triad (the roofline of a
 * plain JS loop), and returns the results document that `optimlab report --bench` draws
 * (benchmarks/SCHEMA.md). It produces data and never logs; `onProgress` reports progress.
 *
 *   import { runBench } from 'optimlab/bench';
 *   const results = await runBench({ entries: [myOptimizer], optimizers: ['adam', 'myopt'], sizes: [1e4, 1e6], quick: true });
 */
export {
  runBench,
  resolveSettings,
  measuredText,
  formatSize,
  asResults,
  type BenchOptions,
  type Progress,
} from './index.js';
export type { BenchResults, TaskResult, Settings } from './schema.js';
