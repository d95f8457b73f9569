/**
 * defineObjective: wraps an objective's bare mathematics (`f`, `fg`) with the input checks, so a
 * wrong x or g is rejected before anything is written.
 */
import { checkPoint } from './check.js';
import type { Objective } from './types.js';

export type ObjectiveSpec = Omit<Objective, 'value' | 'grad'> & {
  /** f(x), x already checked. */
  f(x: Float64Array): number;
  /** Writes ∇f(x) into g and returns f(x); x and g already checked. */
  fg(x: Float64Array, g: Float64Array): number;
};

export function defineObjective(spec: ObjectiveSpec): Objective {
  const { f, fg, ...rest } = spec;
  const where = `${spec.name}`;
  const dim = spec.dim;
  return Object.freeze({
    ...rest,
    value(x: Float64Array): number {
      checkPoint(`${where}.value`, x, dim);
      return f(x);
    },
    grad(x: Float64Array, g: Float64Array): number {
      checkPoint(`${where}.grad`, x, dim, g);
      return fg(x, g);
    },
  });
}
