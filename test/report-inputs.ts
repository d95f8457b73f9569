/**
 * The smallest report inputs, shared by the tests of report writing (report-folder, fault-injection):
 * a fixed host (so the rendered report does not depend on the machine) and a verify document with one
 * law and one optimizer (a report of it renders in milliseconds).
 */
import type { Environment } from '../src/report/index.js';

export const HOST: Environment = {
  node: 'v20',
  cpuModel: 'test cpu',
  cores: 2,
  os: 'Linux',
  arch: 'x64',
  date: '2026-01-01T00:00:00.000Z',
  git: { commit: 'abc', dirty: false },
  packages: {},
};

export const VERIFY = {
  schema: 'optimlab.verify/1',
  createdAt: '2026-01-01T00:00:00.000Z',
  seed: 1,
  runs: null,
  laws: [{ id: 'B1', title: 'one step' }],
  subjects: ['sgd'],
  cases: [
    { id: 'B1 sgd float64', lawId: 'B1', subject: 'sgd', dtype: 'float64', status: 'pass', runs: 10, seed: 1, ms: 1 },
  ],
  table: { B1: { sgd: 'pass' } },
  summary: { cases: 1, passed: 1, failed: 0, ms: 1 },
};
