/**
 * How error messages show the value they refuse: one home for the wording, used by every check in
 * src (the optimizers' hyperparameters, steps and states, the objectives, the numeric gradient).
 */

/** `word` with its indefinite article: an Array, an Int32Array, an object, a Float64Array, a Map. */
export function withArticle(word: string): string {
  return `${/^[AEIO]/i.test(word) ? 'an' : 'a'} ${word}`;
}

/**
 * A value as an error message shows it, so that its type is plain: '10' (quoted: a string), 5n
 * (a bigint), -0, a Float64Array of length 3, short objects and arrays as JSON, long, cyclic or
 * deeply nested ones by their size (never a stack overflow while building the message).
 */
export function showValue(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return `'${v.length > 80 ? `${v.slice(0, 80)}…` : v}'`;
    case 'number':
      return Object.is(v, -0) ? '-0' : String(v);
    case 'bigint':
      return `${v}n (a bigint)`;
    // Equivalent mutant (`''`): a boolean then reaches JSON.stringify below, which gives the same
    // 'true' or 'false'.
    case 'boolean':
    case 'undefined':
      return String(v);
    case 'symbol':
      return `${String(v)} (a symbol)`;
    case 'function':
      return `a function${v.name ? ` (${v.name})` : ''}`;
  }
  // Equivalent mutant (`false`): JSON.stringify(null) below gives the same 'null'.
  if (v === null) return 'null';
  if (ArrayBuffer.isView(v)) {
    const tag = Object.prototype.toString.call(v).slice(8, -1);
    return `${withArticle(tag)}${'length' in v ? ` of length ${String((v as { length: unknown }).length)}` : ''}`;
  }
  try {
    const j = JSON.stringify(v);
    // Equivalent mutant (`true`): where j is undefined (a toJSON that returns undefined), j.length
    // throws inside this try, and the catch goes on to the same summary below.
    if (j !== undefined && j.length <= 80) return j;
  } catch {
    /* cyclic, or nested deeper than the stack */
  }
  if (Array.isArray(v)) return `an array of ${v.length}`;
  const keys = Object.keys(v as object);
  return `an object with ${keys.length ? `keys ${keys.slice(0, 5).join(', ')}${keys.length > 5 ? ', …' : ''}` : 'no keys'}`;
}

/**
 * What a value is, where a message names a value of the wrong type ("x is …; allowed: …"): null,
 * undefined, '3' (a string), 3 (a number), a function (f), a Float32Array of length 3, an Array,
 * an object (no prototype).
 */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'function') return showValue(v);
  if (typeof v !== 'object') return `${showValue(v)} (a ${typeof v})`;
  if (ArrayBuffer.isView(v)) return showValue(v);
  const kind = (v as object).constructor?.name ?? 'object';
  return withArticle(kind);
}
