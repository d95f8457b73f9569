/**
 * The marks every table prints (terminal, Markdown, HTML) where a cell holds no figure, one
 * spelling each: a law that does not apply to an optimizer, a TensorFlow.js peer that does not
 * exist (no float64, no such optimizer), a comparison that cannot be made.
 */

/** The cell does not apply (and never could). */
export const NOT_APPLICABLE = 'n/a';

/** The cell could apply but has no value (not measured, not reached, not recorded). */
export const NO_VALUE = '—';
