/**
 * Learning-rate schedules (CS231n, "Neural networks 3", annealing the learning rate; Ruder 2016 §3):
 *   constant      η_t = η0
 *   step decay    η_t = η0 · drop^⌊t / every⌋
 *   exponential   η_t = η0 · e^(−k t)
 *   1/t           η_t = η0 / (1 + k t)
 * t counts epochs (default) or steps from 0, as `per` says.
 */
import { checkInt, checkNumber } from '../objectives/check.js';

export type Schedule =
  | { kind: 'constant' }
  | { kind: 'step'; drop: number; every: number; per?: 'epoch' | 'step' }
  | { kind: 'exponential'; k: number; per?: 'epoch' | 'step' }
  | { kind: 'inverse'; k: number; per?: 'epoch' | 'step' };

/** Validates a schedule; throws a RangeError/TypeError naming the bad field. */
export function checkSchedule(s: unknown): asserts s is Schedule {
  const where = 'schedule';
  if (typeof s !== 'object' || s === null)
    throw new TypeError(`${where} must be an object such as { kind: 'step', drop: 0.5, every: 10 }`);
  const o = s as Record<string, unknown>;
  if (o.per !== undefined && o.per !== 'epoch' && o.per !== 'step')
    throw new RangeError(`${where}.per = ${String(o.per)}; allowed: 'epoch' or 'step'`);
  switch (o.kind) {
    case 'constant':
      return;
    case 'step':
      checkNumber(where, 'drop', o.drop, 0, 1, false);
      if (o.drop === 0) throw new RangeError(`${where}.drop = 0; allowed: 0 < drop ≤ 1`);
      checkInt(where, 'every', o.every, 1);
      return;
    case 'exponential':
    case 'inverse':
      checkNumber(where, 'k', o.k, 0, 1e300);
      return;
    default:
      throw new RangeError(`${where}.kind = ${String(o.kind)}; allowed: 'constant', 'step', 'exponential', 'inverse'`);
  }
}

/** η at time t (epochs or steps from 0) for initial rate lr0. */
export function scheduledRate(s: Schedule, lr0: number, t: number): number {
  switch (s.kind) {
    case 'constant':
      return lr0;
    case 'step':
      return lr0 * s.drop ** Math.floor(t / s.every);
    case 'exponential':
      return lr0 * Math.exp(-s.k * t);
    case 'inverse':
      return lr0 / (1 + s.k * t);
  }
}
