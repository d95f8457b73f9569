/**
 * `optimlab/reference`: the decimal arithmetic every built-in reference is written in, for the
 * maintainer of an optimizer optimlab does not ship (docs/adding-an-optimizer.md, "The reference").
 *
 *   import { defineReference, options, leaf, exact, add, sub, mul, div, sqrt, sign } from 'optimlab/reference';
 *   export const reference = defineReference(myOptimizer, { source, perElement, bound: { float64, why } });
 *
 * Values are `Sc`: the exact value (decimal.js, 50 significant digits) with its error scale `a`
 * (scaled.ts: the scale a correct floating-point implementation is judged against, cancellation
 * included). The laws B1, B2, B3, G7 and `optimlab verify --accuracy` compare the core with it.
 */
export { D, fromDouble, fromVec, roundTo, toVec, exactString } from './decimal.js';
export { leaf, leaves, known, exact, add, sub, mul, div, sqrt, max, abs, neg, sign, type Sc } from './scaled.js';
export {
  options,
  elementwise,
  oneMinusPow,
  decayedRate,
  initRef,
  type Options,
  type ReferenceOptimizer,
  type RefState,
  type RefResult,
} from './common.js';
export {
  defineReference,
  type Reference,
  type ReferenceBound,
  type ReferenceDefinition,
  type ElementRule,
} from './define.js';
export { references } from './index.js';
