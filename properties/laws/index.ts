/**
 * Every law module, in catalogue order. A new law file adds one line here; the registry supplies
 * the optimizers (properties/framework.ts crosses them).
 */
import type { Law, StandaloneLaw } from '../framework.js';
import { structureLaws } from './structure.js';
import { descentLaws } from './descent.js';
import { momentumLaws } from './momentum.js';
import { adamLaws } from './adam.js';
import { accumulatorLaws } from './accumulators.js';
import { extremeLaws } from './extreme.js';
import { objectiveLaws } from './objectives.js';
import { trainingLaws } from './training.js';
import { randomnessLaws } from './randomness.js';
import { referenceLaws } from './reference.js';
import { conventionLaws } from './conventions/index.js';
import { engineLaws } from './engine.js';

export const allLaws: readonly (Law | StandaloneLaw)[] = [
  ...structureLaws,
  ...descentLaws,
  ...momentumLaws,
  ...adamLaws,
  ...accumulatorLaws,
  ...extremeLaws,
  ...referenceLaws,
  ...conventionLaws,
  ...engineLaws,
  ...objectiveLaws,
  ...trainingLaws,
  ...randomnessLaws,
];
