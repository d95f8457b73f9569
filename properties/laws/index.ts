/**
 * Every law module, in catalogue order. A new law file adds one line here; the registry supplies
 * the optimizers (properties/framework.ts crosses them).
 */
import type { Law, StandaloneLaw } from '../framework.js';
import { structureLaws } from './structure.js';
import { objectiveLaws } from './objectives.js';
import { trainingLaws } from './training.js';

export const allLaws: readonly (Law | StandaloneLaw)[] = [
  ...structureLaws,
  ...objectiveLaws,
  ...trainingLaws,
];
