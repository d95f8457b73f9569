/**
 * The rest of the system's cost: what a law costs (the decimal reference per element-step), how
 * fast the objectives' gradients and the training loops run, and the law suite's wall time.
 *
 * The reference (reference/), the objectives (src/objectives) and the training loops (src/train)
 * are optional here: a part whose module is not there yet is reported 'not-available' with the
 * reason, never silently left out.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { LawSuiteCost, NotAvailable, SystemPart } from './schema.js';

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

/** The decimal reference's cost per element-step. */
export async function referenceStepCost(): Promise<SystemPart> {
  const mod = await optionalImport('../reference/index.js');
  if (typeof mod === 'string') return notAvailable(`the decimal reference: ${mod} (reference/ has no optimizer export yet)`);
  return notAvailable(`the decimal reference: reference/index.js exports ${Object.keys(mod).join(', ') || 'nothing'}, but no benchmark adapter for it is written yet`);
}

/** Gradient evaluations per second for each objective. */
export async function gradientCost(): Promise<SystemPart> {
  const mod = await optionalImport('../src/objectives/index.js');
  if (typeof mod === 'string') return notAvailable(`the objectives: ${mod} (src/objectives is not written yet)`);
  return notAvailable(`the objectives: src/objectives/index.js exports ${Object.keys(mod).join(', ') || 'nothing'}, but no benchmark adapter for it is written yet`);
}

/** Training epochs per second on the blobs demo. */
export async function trainingCost(): Promise<SystemPart> {
  const mod = await optionalImport('../src/train/index.js');
  if (typeof mod === 'string') return notAvailable(`the training loops: ${mod} (src/train is not written yet)`);
  return notAvailable(`the training loops: src/train/index.js exports ${Object.keys(mod).join(', ') || 'nothing'}, but no benchmark adapter for it is written yet`);
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
export function lawSuiteCost(path: string | undefined): NotAvailable | LawSuiteCost | { status: 'error'; error: string } {
  if (path === undefined) return notAvailable('no vitest JSON report given (--law-report PATH; make one with `npx vitest run --reporter=json --outputFile=PATH`)');
  if (!existsSync(path)) return { status: 'error', error: `--law-report ${path}: no such file` };
  let r: VitestJsonReport;
  try {
    r = JSON.parse(readFileSync(path, 'utf8')) as VitestJsonReport;
  } catch (e) {
    return { status: 'error', error: `--law-report ${path}: not JSON (${(e as Error).message})` };
  }
  const ends = (r.testResults ?? []).map((t) => t.endTime).filter((x): x is number => typeof x === 'number');
  if (typeof r.startTime !== 'number' || ends.length === 0) {
    return { status: 'error', error: `--law-report ${path}: not a vitest JSON report (needs startTime and testResults[].endTime)` };
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
