/**
 * The rest of the system's cost: what a law costs (the decimal reference per element-step), how
 * fast the objectives' gradients and the training loops run, and the law suite's wall time.
 *
 * The reference (reference/), the objectives (src/objectives) and the training loops (src/train)
 * are optional here: a part whose module is not there yet is reported 'not-available' with the
 * reason, never silently left out.
 */
import { existsSync, readFileSync } from 'node:fs';
import seedrandom from 'seedrandom';
import { getOptimizer } from '../src/optimizers/registry.js';
import { measure, type Measured, type Timing } from './measure.js';
import type { LawSuiteCost, NotAvailable, SystemCostEntry, SystemPart } from './schema.js';

/** Imports a module that may not exist yet (a variable specifier keeps the type checker out of it). */
async function optionalImport(spec: string): Promise<Record<string, unknown> | string> {
  try {
    return (await import(spec)) as Record<string, unknown>;
  } catch (e) {
    const err = e as { code?: string; message?: string };
    if (err.code === 'ERR_MODULE_NOT_FOUND' || /Cannot find|Failed to load|does not exist/i.test(err.message ?? '')) {
      return `${spec} does not exist yet`;
    }
    return `${spec} failed to load: ${err.message ?? String(e)}`;
  }
}

const notAvailable = (reason: string): NotAvailable => ({ status: 'not-available', reason });

/** Local views of the modules measured here (imported by path at run time, so a change there shows up as an 'error' entry, not a broken build). */
interface RefModule {
  getReference(name: string): {
    step(h: unknown, p: unknown[], g: unknown[], s: unknown): { params: unknown[]; state: unknown };
  };
  initRef(opt: unknown, size: number): unknown;
}
interface ScaledModule {
  leaf(x: number): unknown;
}
interface ObjectiveLike {
  name: string;
  dim: number;
  domain: { lo: number; hi: number };
  grad(x: Float64Array, g: Float64Array): number;
}
interface ObjectivesModule {
  objectiveCatalogue: readonly { name: string; make(seed: number): ObjectiveLike }[];
  sigmoidSquaredError(d: unknown): unknown;
}
interface DataModule {
  makeBlobs(o: Record<string, unknown>): { X: Float64Array; y: Float64Array };
  addBias(X: Float64Array, features: number): Float64Array;
  trainTestSplit(n: number, frac: number, seed: number): { train: number[] | Int32Array; test: number[] | Int32Array };
  gatherRows(d: unknown, rows: unknown): { X: Float64Array; y: Float64Array };
}
interface TrainModule {
  train(obj: unknown, opt: unknown, init: Float64Array, o: Record<string, unknown>): { params: Float64Array };
}

/** Time budget of one system-cost measurement. */
export interface SystemTiming {
  timing: Timing;
  seed: string;
}

const entryOf = (name: string, unit: string, perUnitCount: number, m: Measured, detail?: string): SystemCostEntry => {
  const secondsPerUnit = m.latency.mean / 1000 / perUnitCount;
  return {
    name,
    unit,
    perSec: 1 / secondsPerUnit,
    secondsPerUnit,
    rme: m.rme,
    samples: m.samples,
    ...(detail ? { detail } : {}),
  };
};

async function guarded(f: () => Promise<SystemPart>): Promise<SystemPart> {
  try {
    return await f();
  } catch (e) {
    return { status: 'error', error: (e as Error).message };
  }
}

/** The decimal reference's cost per element-step: one reference step of each optimizer on 16 elements. */
export async function referenceStepCost(optimizers: readonly string[], st: SystemTiming): Promise<SystemPart> {
  const ref = await optionalImport('../reference/index.js');
  if (typeof ref === 'string')
    return notAvailable(`the decimal reference: ${ref} (reference/ has no optimizer export yet)`);
  const sc = await optionalImport('../reference/scaled.js');
  if (typeof sc === 'string') return notAvailable(`the decimal reference: ${sc}`);
  return guarded(async () => {
    const { getReference, initRef } = ref as unknown as RefModule;
    const { leaf } = sc as unknown as ScaledModule;
    const n = 16;
    const rng = seedrandom.alea(`${st.seed}:reference`);
    const entries: SystemCostEntry[] = [];
    for (const name of optimizers) {
      const r = getReference(name);
      const hyper = getOptimizer(name).defaults;
      const grad = Array.from({ length: n }, () => leaf(rng() < 0.5 ? -(0.05 + rng()) : 0.05 + rng()));
      let params = Array.from({ length: n }, () => leaf(2 * rng() - 1));
      let state = initRef(r, n);
      const m = measure(
        `reference:${name}`,
        () => {
          const out = r.step(hyper, params, grad, state);
          params = out.params;
          state = out.state;
        },
        1,
        st.timing,
      );
      entries.push(
        entryOf(name, 'element-step', n, m, `decimal.js reference, ${n} elements per step, default hyperparameters`),
      );
    }
    return { status: 'ok', entries };
  });
}

/** Gradient evaluations per second for each objective of the catalogue (its small seeded instance). */
export async function gradientCost(st: SystemTiming): Promise<SystemPart> {
  const mod = await optionalImport('../src/objectives/index.js');
  if (typeof mod === 'string') return notAvailable(`the objectives: ${mod} (src/objectives is not written yet)`);
  return guarded(async () => {
    const { objectiveCatalogue } = mod as unknown as ObjectivesModule;
    const rng = seedrandom.alea(`${st.seed}:objectives`);
    const entries: SystemCostEntry[] = [];
    const block = 1000;
    for (const e of objectiveCatalogue) {
      const obj = e.make(1);
      const { lo, hi } = obj.domain;
      const x = Float64Array.from({ length: obj.dim }, () => lo + (hi - lo) * rng());
      const g = new Float64Array(obj.dim);
      let sum = 0;
      const m = measure(
        `gradient:${e.name}`,
        () => {
          for (let j = 0; j < block; j++) sum += obj.grad(x, g);
        },
        block,
        st.timing,
      );
      if (!Number.isFinite(sum)) throw new Error(`gradient of ${e.name}: non-finite value`);
      entries.push(entryOf(e.name, 'gradient evaluation', 1, m, `catalogue instance (seed 1), dim ${obj.dim}`));
    }
    return { status: 'ok', entries };
  });
}

/**
 * Training epochs per second on the blobs demo (`optimlab demo blobs`: 1,000 2-D points in 2 blobs,
 * std 1.5, seed 2, bias trick, 50/50 split, sigmoid + squared error summed, sgd lr 0.01), for
 * batch GD, mini-batch 32 and stochastic GD (batch 1).
 */
export async function trainingCost(st: SystemTiming): Promise<SystemPart> {
  const mods = await Promise.all(
    ['../src/train/index.js', '../src/data/datasets.js', '../src/objectives/index.js'].map(optionalImport),
  );
  const missing = mods.find((m): m is string => typeof m === 'string');
  if (missing !== undefined) return notAvailable(`the training loops: ${missing}`);
  return guarded(async () => {
    const [{ train }, data, { sigmoidSquaredError }] = mods as unknown as [TrainModule, DataModule, ObjectivesModule];
    const seed = 2;
    const blobs = data.makeBlobs({ samples: 1000, features: 2, centers: 2, std: 1.5, seed });
    const all = { X: data.addBias(blobs.X, 2), y: blobs.y, features: 3 };
    const split = data.trainTestSplit(1000, 0.5, seed);
    const tr = data.gatherRows(all, split.train);
    const objective = sigmoidSquaredError({ X: tr.X, y: tr.y, features: 3, reduction: 'sum' });
    const rng = seedrandom.alea(`${st.seed}:train`);
    const W0 = Float64Array.from({ length: 3 }, () => rng() - 0.5);
    const entries: SystemCostEntry[] = [];
    for (const [label, batchSize] of [
      ['batch GD', 500],
      ['mini-batch 32', 32],
      ['SGD (batch 1)', 1],
    ] as const) {
      const epochs = 5;
      const optimizer = getOptimizer('sgd').create({ lr: 0.01 });
      const m = measure(
        `train:${label}`,
        () => {
          train(objective, optimizer, W0, { epochs, batchSize, seed });
        },
        1,
        st.timing,
      );
      entries.push(
        entryOf(label, 'epoch', epochs, m, `blobs demo, 500 training points, sgd lr 0.01, batch size ${batchSize}`),
      );
    }
    return { status: 'ok', entries };
  });
}

interface VitestJsonReport {
  numTotalTests?: number;
  numPassedTests?: number;
  numFailedTests?: number;
  startTime?: number;
  testResults?: { startTime?: number; endTime?: number }[];
}

/**
 * The law suite's wall time, read from a vitest JSON report
 * (`npx vitest run --reporter=json --outputFile=PATH`): from the run's start to the end of its
 * last test file. The benchmark does not run the suite itself (it would load the machine it measures).
 */
export function lawSuiteCost(
  path: string | undefined,
): NotAvailable | LawSuiteCost | { status: 'error'; error: string } {
  if (path === undefined)
    return notAvailable(
      'no vitest JSON report given (--law-report PATH; make one with `npx vitest run --reporter=json --outputFile=PATH`)',
    );
  if (!existsSync(path)) return { status: 'error', error: `--law-report ${path}: no such file` };
  let r: VitestJsonReport;
  try {
    r = JSON.parse(readFileSync(path, 'utf8')) as VitestJsonReport;
  } catch (e) {
    return { status: 'error', error: `--law-report ${path}: not JSON (${(e as Error).message})` };
  }
  const ends = (r.testResults ?? []).map((t) => t.endTime).filter((x): x is number => typeof x === 'number');
  if (typeof r.startTime !== 'number' || ends.length === 0) {
    return {
      status: 'error',
      error: `--law-report ${path}: not a vitest JSON report (needs startTime and testResults[].endTime)`,
    };
  }
  return {
    status: 'ok',
    wallTimeMs: Math.max(...ends) - r.startTime,
    tests: r.numTotalTests ?? 0,
    passed: r.numPassedTests ?? 0,
    failed: r.numFailedTests ?? 0,
    source: path,
  };
}
