/**
 * Every law module, in catalogue order. A new law file adds one line here; the registry supplies
 * the optimizers (properties/framework.ts crosses them).
 */
import type { Law, StandaloneLaw } from '../framework.js';
import { structureLaws } from './structure.js';
import { objectiveLaws } from './objectives.js';
import { trainingLaws } from './training.js';
import { referenceLaws } from './reference.js';

export const allLaws: readonly (Law | StandaloneLaw)[] = [
  ...structureLaws,
  ...referenceLaws,
  ...objectiveLaws,
  ...trainingLaws,
];
