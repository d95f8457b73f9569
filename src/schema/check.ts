/**
 * The building blocks of the document schemas: a schema both validates a parsed JSON value and
 * gives its TypeScript type (`Infer<typeof s>`), so each document's shape is written once.
 *
 * A failed check throws a SchemaError that names the field by its path ('cases[3].lawId'), the
 * value found (with its type, where the text alone would mislead: '"5" (a string)'), and what is
 * allowed. Every string, array and record has a size limit (a crafted file must not make the
 * report run for minutes): the defaults below, or tighter ones where a schema says so.
 *
 * Depends on nothing: the producers (properties/, benchmarks/) and the report import it alike.
 */

/** A value that does not fit its schema; `field` is its path in the document ('' for the document). */
export class SchemaError extends TypeError {
  override name = 'SchemaError';
  constructor(
    readonly field: string,
    readonly found: string,
    readonly expected: string,
  ) {
    super(`${field === '' ? 'the document' : `field '${field}'`} is ${found}; expected ${expected}`);
  }
}

export interface Schema<T> {
  /** What a valid value is, for messages: 'a string', 'an integer from 0 to 1000'. */
  readonly expected: string;
  /** Returns `v` as a T, or throws a SchemaError naming `at`. */
  parse(v: unknown, at: string): T;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

/** Default limits: characters in a string, items in an array, keys in a record. */
export const LIMITS = { string: 1_000_000, array: 1_000_000, keys: 100_000 } as const;

/** A value as an error message shows it: short, with its type where the text alone would mislead. */
export function describe(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (typeof v === 'string')
    return v.length > 60
      ? `${JSON.stringify(`${v.slice(0, 60)}…`)} (a string of ${v.length} characters)`
      : `${JSON.stringify(v)} (a string)`;
  if (typeof v === 'number' || typeof v === 'boolean') return `${String(v)} (a ${typeof v})`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

const fail = (at: string, v: unknown, expected: string): never => {
  throw new SchemaError(at, describe(v), expected);
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** A string of at most `max` characters, matching `pattern` if given (`what` says what it must look like). */
export function str(opts: { max?: number; pattern?: RegExp; what?: string } = {}): Schema<string> {
  const max = opts.max ?? LIMITS.string;
  const expected = opts.what ?? `a string of at most ${max} characters`;
  return {
    expected,
    parse(v, at) {
      if (typeof v !== 'string' || v.length > max || (opts.pattern && !opts.pattern.test(v))) fail(at, v, expected);
      return v as string;
    },
  };
}

/** A finite number; `int` for integers; `min`, `max` inclusive. */
export function num(opts: { int?: boolean; min?: number; max?: number } = {}): Schema<number> {
  const kind = opts.int ? 'an integer' : 'a number';
  const range =
    opts.min !== undefined && opts.max !== undefined
      ? ` from ${opts.min} to ${opts.max}`
      : opts.min !== undefined
        ? ` ≥ ${opts.min}`
        : opts.max !== undefined
          ? ` ≤ ${opts.max}`
          : '';
  const expected = `${kind}${range}`;
  return {
    expected,
    parse(v, at) {
      if (
        typeof v !== 'number' ||
        !Number.isFinite(v) ||
        (opts.int && !Number.isSafeInteger(v)) ||
        (opts.min !== undefined && v < opts.min) ||
        (opts.max !== undefined && v > opts.max)
      )
        fail(at, v, expected);
      return v as number;
    },
  };
}

export const bool: Schema<boolean> = {
  expected: 'true or false',
  parse(v, at) {
    if (typeof v !== 'boolean') fail(at, v, 'true or false');
    return v as boolean;
  },
};

/** Any JSON value, unchecked (free-form settings). Nested sizes were bounded by the parser's input. */
export const anything: Schema<unknown> = { expected: 'any value', parse: (v) => v };

/** One of the given literal values. */
export function oneOf<const L extends readonly (string | number | boolean)[]>(...values: L): Schema<L[number]> {
  const expected =
    values.length === 1 ? JSON.stringify(values[0]) : `one of ${values.map((x) => JSON.stringify(x)).join(', ')}`;
  return {
    expected,
    parse(v, at) {
      if (!values.includes(v as L[number])) fail(at, v, expected);
      return v as L[number];
    },
  };
}

export function nullable<T>(s: Schema<T>): Schema<T | null> {
  return { expected: `${s.expected}, or null`, parse: (v, at) => (v === null ? null : s.parse(v, at)) };
}

/** Either schema (the first that fits); the message lists both. */
export function either<A, B>(a: Schema<A>, b: Schema<B>): Schema<A | B> {
  const expected = `${a.expected}, or ${b.expected}`;
  return {
    expected,
    parse(v, at) {
      try {
        return a.parse(v, at);
      } catch (e) {
        if (!(e instanceof SchemaError)) throw e;
        try {
          return b.parse(v, at);
        } catch (e2) {
          if (!(e2 instanceof SchemaError)) throw e2;
          // the deeper failure says more ('runs[2].lr is …' rather than 'expected A or B')
          throw e.field.length >= e2.field.length && e.field !== at
            ? e
            : e2.field !== at
              ? e2
              : new SchemaError(at, describe(v), expected);
        }
      }
    },
  };
}

/** An array of at most `max` items, each checked. */
export function arr<T>(item: Schema<T>, opts: { max?: number; min?: number } = {}): Schema<T[]> {
  const max = opts.max ?? LIMITS.array;
  const min = opts.min ?? 0;
  const expected = `an array of ${min > 0 ? `${min} to ` : 'at most '}${max} items, each ${item.expected}`;
  return {
    expected,
    parse(v, at) {
      if (!Array.isArray(v) || v.length > max || v.length < min) fail(at, v, expected);
      const a = v as unknown[];
      for (let i = 0; i < a.length; i++) item.parse(a[i], `${at}[${i}]`);
      return a as T[];
    },
  };
}

/** A fixed-length array. */
export function tuple<const S extends readonly Schema<unknown>[]>(
  items: S,
): Schema<{ -readonly [K in keyof S]: Infer<S[K]> }> {
  const expected = `an array of ${items.length}: [${items.map((s) => s.expected).join(', ')}]`;
  return {
    expected,
    parse(v, at) {
      if (!Array.isArray(v) || v.length !== items.length) fail(at, v, expected);
      items.forEach((s, i) => s.parse((v as unknown[])[i], `${at}[${i}]`));
      return v as { -readonly [K in keyof S]: Infer<S[K]> };
    },
  };
}

/** An object used as a map: at most `maxKeys` keys (matching `key`), each value checked. */
export function record<T>(
  value: Schema<T>,
  opts: { maxKeys?: number; key?: Schema<string> } = {},
): Schema<Record<string, T>> {
  const maxKeys = opts.maxKeys ?? LIMITS.keys;
  const expected = `an object of at most ${maxKeys} entries, each ${value.expected}`;
  return {
    expected,
    parse(v, at) {
      if (!isObject(v)) fail(at, v, expected);
      const keys = Object.keys(v as object);
      if (keys.length > maxKeys) fail(at, v, expected);
      for (const k of keys) {
        opts.key?.parse(k, `${at} key`);
        value.parse((v as Record<string, unknown>)[k], `${at}.${k}`);
      }
      return v as Record<string, T>;
    },
  };
}

/** Marks an object field optional: it may be absent (not null: use nullable for that). */
export interface Optional<T> extends Schema<T> {
  readonly optional: true;
}
export function optional<T>(s: Schema<T>): Optional<T> {
  return { expected: s.expected, optional: true, parse: (v, at) => s.parse(v, at) };
}

/**
 * A field added to a document after files were written without it: checked like `s` when present;
 * when absent, the parsed object gets `fallback` (the meaning those older files had), so readers
 * always see the field.
 */
export interface Defaulted<T> extends Schema<T> {
  readonly fallback: T;
}
export function withDefault<T>(s: Schema<T>, fallback: T): Defaulted<T> {
  return { expected: s.expected, fallback, parse: (v, at) => s.parse(v, at) };
}

type Shape = Record<string, Schema<unknown>>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
type ObjectOf<S extends Shape> = Simplify<
  { [K in keyof S as S[K] extends Optional<unknown> ? never : K]: Infer<S[K]> } & {
    [K in keyof S as S[K] extends Optional<unknown> ? K : never]?: Infer<S[K]>;
  }
>;

export interface ObjectSchema<S extends Shape> extends Schema<ObjectOf<S>> {
  readonly shape: S;
}

/**
 * An object with these fields (each checked; an optional one may be absent). Other fields are
 * kept and not checked (a newer producer's additions). `refine` checks the object as a whole
 * (sizes that add up, ids that refer to something) and returns a message, or undefined when fine.
 */
export function obj<S extends Shape>(
  shape: S,
  refine?: (o: ObjectOf<S>, at: string) => { field: string; found: string; expected: string } | undefined,
): ObjectSchema<S> {
  const expected = 'an object';
  return {
    shape,
    expected,
    parse(v, at) {
      if (!isObject(v)) fail(at, v, `an object with fields ${Object.keys(shape).join(', ')}`);
      const o = v as Record<string, unknown>;
      for (const [k, s] of Object.entries(shape)) {
        const field = at === '' ? k : `${at}.${k}`;
        if (!own(o, k) || o[k] === undefined) {
          if ((s as Partial<Optional<unknown>>).optional) continue;
          if (own(s, 'fallback')) {
            o[k] = structuredClone((s as Defaulted<unknown>).fallback);
            continue;
          }
          fail(field, undefined, s.expected);
        }
        s.parse(o[k], field);
      }
      const bad = refine?.(o as ObjectOf<S>, at);
      if (bad) throw new SchemaError(bad.field, bad.found, bad.expected);
      return o as ObjectOf<S>;
    },
  };
}

/** An object whose field `tag` selects its schema (blobs: { status: 'ok', … } or { status: 'not-available', … }). */
export function tagged<K extends string, M extends Record<string, Schema<unknown>>>(
  tag: K,
  cases: M,
): Schema<Infer<M[keyof M]>> {
  const names = Object.keys(cases);
  const expected = `an object whose '${tag}' is ${names.map((n) => JSON.stringify(n)).join(' or ')}`;
  return {
    expected,
    parse(v, at) {
      if (!isObject(v)) fail(at, v, expected);
      const t = (v as Record<string, unknown>)[tag];
      if (typeof t !== 'string' || !own(cases, t))
        fail(at === '' ? tag : `${at}.${tag}`, t, names.map((n) => JSON.stringify(n)).join(' or '));
      return cases[t as string]!.parse(v, at) as Infer<M[keyof M]>;
    },
  };
}

/** Checks `doc` against `schema`; on failure a SchemaError whose message starts with `file`. */
export function validate<T>(schema: Schema<T>, doc: unknown, file: string): T {
  try {
    return schema.parse(doc, '');
  } catch (e) {
    if (e instanceof SchemaError) {
      const err = new SchemaError(e.field, e.found, e.expected);
      err.message = `${file}: ${e.message}`;
      throw err;
    }
    throw e;
  }
}
