/**
 * The `optimlab` command line: the one face that wires the core, the laws, the benchmarks and the
 * reports together. Each command lives in src/commands/<name>.ts and is loaded only when used.
 */
import { UserError, errnoCode, fsError } from './util/errors.js';

export interface Command {
  /** Full usage text for `optimlab <command> --help`. */
  usage: string;
  /** Its options (parseArgs form): the shared ones from src/commands/options.ts, spelled the same everywhere. */
  options: Readonly<Record<string, import('./commands/options.js').OptionSpec>>;
  /** Old spellings it still accepts, with a notice: old → new. */
  aliases?: Readonly<Record<string, string>>;
  /** Runs the command; resolves to the process exit code. */
  run(args: string[]): Promise<number>;
}

export interface CommandEntry {
  /** One line for `optimlab --help`, here so that the help loads no command module. */
  summary: string;
  load: () => Promise<{ command: Command }>;
}

/** Command name → summary and module (lazy, so `optimlab list` does not load the benchmark harness). */
const COMMANDS: Record<string, CommandEntry> = {
  list: {
    summary: 'list every optimizer with its update rule, defaults and source',
    load: () => import('./commands/list.js'),
  },
  demo: {
    summary: 'train a classifier on two Gaussian blobs with any optimizer (optimlab demo blobs)',
    load: () => import('./commands/demo.js'),
  },
  bench: {
    summary: 'measure optimizer throughput against the JS-loop roofline, hand-written loops and TF.js',
    load: () => import('./commands/bench.js'),
  },
  verify: {
    summary: 'run the law suite (law × optimizer table), or --accuracy for the worst error in ulps',
    load: () => import('./commands/verify.js'),
  },
  report: {
    summary: 'build the report folder (Markdown, HTML, SVG charts, merged results.json) from results JSON',
    load: () => import('./commands/report.js'),
  },
  run: {
    summary: 'the main job: verify, accuracy, a few-minute benchmark, convergence runs and the report',
    load: () => import('./commands/run.js'),
  },
};

export function registerCommand(name: string, entry: CommandEntry): void {
  COMMANDS[name] = entry;
}

/** The command names, in help order. */
export function commandNames(): string[] {
  return Object.keys(COMMANDS);
}

/** Loads a command's module (for its usage text and options). */
export async function loadCommand(name: string): Promise<Command | undefined> {
  return Object.prototype.hasOwnProperty.call(COMMANDS, name) ? (await COMMANDS[name]!.load()).command : undefined;
}

function help(): string {
  const lines = [
    'optimlab: property-based verification and benchmarks for gradient-descent optimizers',
    '',
    'usage: optimlab <command> [options]      optimlab <command> --help for its options',
    '',
    'commands:',
  ];
  for (const [name, { summary }] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(10)} ${summary}`);
  return lines.join('\n');
}

/** Runs the CLI with `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    const { optimlabVersion } = await import('./util/package.js');
    console.log(optimlabVersion() ?? 'unknown');
    return 0;
  }
  const entry = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    console.error(
      `optimlab: unknown command '${name}'; commands: ${Object.keys(COMMANDS).join(', ')} (optimlab --help)`,
    );
    return 2;
  }
  const nul = rest.findIndex((a) => a.includes('\0'));
  if (nul >= 0) {
    console.error(
      `optimlab ${name}: argument ${nul + 1} (${JSON.stringify(rest[nul])}) contains a NUL character; no option takes one`,
    );
    return EXIT.usage;
  }
  try {
    const { command } = await entry.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      console.log(command.usage);
      return 0;
    }
    return await command.run(rest);
  } catch (e) {
    return failure(name, e);
  }
}

/** Exit codes: 0 done; 1 a law failed, a bound or a regression was exceeded; 2 the user's input; 70 a bug in optimlab. */
export const EXIT = { ok: 0, failed: 1, usage: 2, internal: 70 } as const;

/** Messages of errors the JavaScript engine raises on a bug (never optimlab's own validation). */
const ENGINE =
  /^(Maximum call stack size exceeded|Invalid array length|Invalid string length|Array buffer allocation failed|Cannot read properties of|Cannot set properties of|.* is not a function|.* is not iterable|.* is not defined|.* is not a constructor)/;

/**
 * What a command's error becomes. The user's mistakes (UserError; the RangeError and TypeError of
 * validation, SchemaError included; bad options; a file-system error, with its path and what to
 * do) are one line on stderr and exit 2, never a stack trace. Anything else is a bug in optimlab:
 * it says so, with the stack, and exits 70.
 */
export function failure(command: string, e: unknown): number {
  const err = e instanceof Error ? e : new Error(String(e));
  const code = errnoCode(err);
  if (
    err instanceof UserError ||
    code?.startsWith('ERR_PARSE_ARGS') ||
    ((err instanceof RangeError || err instanceof TypeError) && !ENGINE.test(err.message) && code === undefined)
  ) {
    // node's parseArgs explains some mistakes over several lines: one line, as every other message
    console.error(
      `optimlab ${command}: ${code?.startsWith('ERR_PARSE_ARGS') ? err.message.replace(/\s*\n\s*/g, ' ') : err.message}`,
    );
    return EXIT.usage;
  }
  const path = (err as { path?: unknown }).path;
  if (code !== undefined && typeof path === 'string') {
    const syscall = (err as { syscall?: unknown }).syscall;
    const f = fsError(err, typeof syscall === 'string' ? `${syscall}` : 'use', path);
    if (f instanceof UserError) {
      console.error(`optimlab ${command}: ${f.message}`);
      return EXIT.usage;
    }
  }
  console.error(
    `optimlab ${command}: internal error (a bug in optimlab: please report it with the command line and what follows)\n${err.stack ?? err.message}`,
  );
  return EXIT.internal;
}
