/**
 * The laws of convention, in catalogue order (V1–V12; docs/conventions.md): for each convention
 * switch, when two conventions coincide (bit for bit, or within k·u, with the reason) and a
 * counterexample where they do not. One file per family; B3 (the core against the reference under
 * random conventions) is with B1/B2 in properties/laws/reference.ts.
 *
 * u is the dtype's unit roundoff (2^-53, 2^-24); "a" is the reference's cancellation-aware error
 * scale of a value (reference/scaled.ts). Magnitude ranges are stated where they are drawn.
 */
import type { Law } from '../../framework.js';
import { lrPlacementLaws } from './lr-placement.js';
import { kerasSignLaws } from './keras-sign.js';
import { epsHatLaws } from './eps-hat.js';
import { amsgradFormLaws } from './amsgrad-form.js';
import { epsSqrtLaws } from './eps-sqrt.js';
import { adamaxEpsLaws } from './adamax-eps.js';
import { nadamScheduleLaws } from './nadam-schedule.js';
import { initialAccumulatorLaws } from './initial-accumulator.js';
import { lrDecayLaws } from './lr-decay.js';
import { centeredLaws } from './centered.js';
import { gradAverageLaws } from './grad-average.js';
import { dampeningLaws } from './dampening.js';

export const conventionLaws: Law[] = [
  ...lrPlacementLaws, // V1
  ...kerasSignLaws, // V2
  ...epsHatLaws, // V3
  ...amsgradFormLaws, // V4
  ...epsSqrtLaws, // V5
  ...adamaxEpsLaws, // V6
  ...nadamScheduleLaws, // V7
  ...initialAccumulatorLaws, // V8
  ...lrDecayLaws, // V9
  ...centeredLaws, // V10
  ...gradAverageLaws, // V11
  ...dampeningLaws, // V12
];
