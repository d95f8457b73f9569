/**
 * The command line's vocabulary: every option that more than one command takes is spelled, typed
 * and explained here once, with the parsers of option values (a list, a number, a percentage) and
 * the old spellings that still work for a while. Commands build their options from these plus
 * their own; test/cli-words.test.ts lists every command's options and checks them against this
 * file. Ranges are checked where the values are used (benchmarks/index.ts resolveSettings for the
 * benchmark's sizes, times and dtypes), so that the API and the CLI share one check.
 */
import { parseArgs } from 'node:util';
import type { Dtype } from '../optimizers/types.js';
import { UserError } from '../util/errors.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
}

/** The options more than one command takes: one spelling, one type, one meaning each. */
export const SHARED = {
  /** Only these optimizers (registry names, and those of --module). */
  optimizer: { type: 'string' },
  /** An optimizer of the user's own (a module exporting a defineOptimizer entry); repeatable. */
  module: { type: 'string', multiple: true },
  /** Write the command's results as JSON to this path. */
  json: { type: 'string' },
  /** The report folder. */
  out: { type: 'string' },
  /** The seed of the command's random choices. */
  seed: { type: 'string' },
  /** The smoke-run preset: everything runs, briefly; no figure is judged. */
  quick: { type: 'boolean' },
  /** No progress lines. */
  quiet: { type: 'boolean' },
  /** Benchmark sizes (element counts). */
  sizes: { type: 'string' },
  /** Benchmark time per task, ms. */
  time: { type: 'string' },
  /** Benchmark warmup per task, ms. */
  warmup: { type: 'string' },
  /** Measure the TensorFlow.js peers, or not. */
  peers: { type: 'boolean' },
  'no-peers': { type: 'boolean' },
  /** The results to judge this run's benchmark against. */
  baseline: { type: 'string' },
  /** Judge against a baseline from another machine anyway (labelled). */
  'baseline-any-machine': { type: 'boolean' },
  /** The smallest change the judge reports, in percent. */
  'min-change': { type: 'string' },
} as const satisfies Record<string, OptionSpec>;

export type SharedName = keyof typeof SHARED;

/** Old spellings → the vocabulary's (a one-line notice when used). */
export const DEPRECATED: Readonly<Record<string, string>> = {
  optimizers: 'optimizer',
  'noise-floor': 'min-change',
  compare: 'baseline',
};

/** A command's old spellings: those of DEPRECATED that name one of its options, and its own. */
export function aliasesFor(
  options: Readonly<Record<string, OptionSpec>>,
  own: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return { ...Object.fromEntries(Object.entries(DEPRECATED).filter(([, now]) => now in options)), ...own };
}

/** Picks shared options by name, for a command's option table. */
export function shared<K extends SharedName>(...names: K[]): { [P in K]: (typeof SHARED)[P] } {
  return Object.fromEntries(names.map((n) => [n, SHARED[n]])) as { [P in K]: (typeof SHARED)[P] };
}

export interface ParseOptions {
  allowPositionals?: boolean;
  /** Old spellings of this command's options → their names now (default: aliasesFor(options)). */
  aliases?: Readonly<Record<string, string>>;
  /**
   * String options whose value may be left out (`list --json` prints to standard output): given
   * without a value, they get this one.
   */
  optionalValue?: Readonly<Record<string, string>>;
}

/**
 * parseArgs with the vocabulary's rules: old spellings rewritten with a one-line notice on
 * standard error, optional values filled in, and an unknown option answered with the command's
 * options.
 */
export type Parsed<O extends Record<string, OptionSpec>> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: true }>
>;

export function parseOptions<O extends Record<string, OptionSpec>>(
  command: string,
  args: readonly string[],
  options: O,
  opts: ParseOptions = {},
): Parsed<O> {
  const aliases = opts.aliases ?? aliasesFor(options);
  const rewritten: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      rewritten.push(...args.slice(i));
      break;
    }
    const m = /^--([^=]+)(=.*)?$/.exec(a);
    const name = m?.[1];
    if (name !== undefined && aliases[name] !== undefined && !(name in options)) {
      const now = aliases[name]!;
      console.error(`optimlab ${command}: --${name} is now --${now}; the old spelling will go away`);
      rewritten.push(`--${now}${m![2] ?? ''}`);
      continue;
    }
    rewritten.push(a);
    const fill = name !== undefined && m![2] === undefined ? opts.optionalValue?.[name] : undefined;
    if (fill !== undefined && (i + 1 >= args.length || args[i + 1]!.startsWith('--'))) rewritten.push(fill);
  }
  try {
    return parseArgs({
      args: rewritten,
      options,
      strict: true,
      allowPositionals: opts.allowPositionals ?? false,
    }) as Parsed<O>;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const known = Object.keys(options)
        .map((n) => `--${n}`)
        .join(', ');
      throw new UserError(
        `${(e as Error).message.split('. ')[0]}; options of optimlab ${command}: ${known} (optimlab ${command} --help)`,
      );
    }
    throw e;
  }
}

/** A comma-separated list, or undefined when the option was not given. */
export function listValue(option: string, value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (items.length === 0) throw new RangeError(`--${option}: '${value}' is an empty list`);
  return items;
}

/** A finite number (its range is checked where it is used), or undefined. */
export function numberValue(option: string, value: string | undefined, allowed: string): number | undefined {
  if (value === undefined) return undefined;
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x))
    throw new RangeError(`--${option}: '${value}' is not a number; allowed: ${allowed}`);
  return x;
}

/** A list of numbers (--sizes 1e4,1e6), or undefined. */
export function numbersValue(option: string, value: string | undefined, allowed: string): number[] | undefined {
  return listValue(option, value)?.map((s) => numberValue(option, s, allowed)!);
}

/** An integer ≥ min, or undefined. */
export function intValue(option: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(Number(value)) || Number(value) < min) {
    throw new RangeError(`--${option}: '${value}' is not allowed; allowed: an integer ≥ ${min}`);
  }
  return Number(value);
}

/** --min-change PCT as a fraction (5 → 0.05), default 5%. */
export function minChangeValue(value: string | undefined): number {
  const pct = numberValue('min-change', value, 'a percentage from 0 to 100') ?? 5;
  if (pct < 0 || pct > 100)
    throw new RangeError(`--min-change: ${pct} is not allowed; allowed: a percentage from 0 to 100`);
  return pct / 100;
}

/** The benchmark's options as `bench` and `run` take them, parsed; resolveSettings checks the ranges. */
export function benchValues(v: {
  optimizer?: string | undefined;
  sizes?: string | undefined;
  dtypes?: string | undefined;
  time?: string | undefined;
  warmup?: string | undefined;
}) {
  return {
    optimizers: listValue('optimizer', v.optimizer),
    sizes: numbersValue('sizes', v.sizes, 'integers from 1 to 1e8, such as 1e4,1e6'),
    dtypes: listValue('dtypes', v.dtypes) as Dtype[] | undefined,
    time: numberValue('time', v.time, '0 < time ≤ 600000 (milliseconds per task)'),
    warmupTime: numberValue('warmup', v.warmup, '0 ≤ warmup ≤ 600000 (milliseconds per task)'),
  };
}
