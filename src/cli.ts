/**
 * The `optimlab` command line: the one face that wires the core, the laws, the benchmarks and the
 * reports together. Each command lives in src/commands/<name>.ts and is loaded only when used.
 */
import { UserError } from './util/errors.js';

export interface Command {
  /** Full usage text for `optimlab <command> --help`. */
  usage: string;
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
  list: { summary: 'list every optimizer with its update rule, defaults and source', load: () => import('./commands/list.js') },
  demo: { summary: 'train a classifier on two Gaussian blobs with any optimizer (optimlab demo blobs)', load: () => import('./commands/demo.js') },
  bench: { summary: 'measure optimizer throughput against the JS-loop roofline, hand-written loops and TF.js', load: () => import('./commands/bench.js') },
  verify: { summary: 'run the law suite (law × optimizer table), or --accuracy for the worst error in ulps', load: () => import('./commands/verify.js') },
  report: { summary: 'build the report folder (Markdown, HTML, SVG charts, merged results.json) from results JSON', load: () => import('./commands/report.js') },
  run: { summary: 'the main job: verify, accuracy, a few-minute benchmark, convergence runs and the report', load: () => import('./commands/run.js') },
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
  return (await COMMANDS[name]?.load())?.command;
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
    // dist/src/cli.js or src/cli.ts: the package root is the nearest folder up with our package.json.
    const { readFileSync, existsSync } = await import('node:fs');
    let dir = new URL('.', import.meta.url);
    while (!existsSync(new URL('package.json', dir)) && dir.pathname !== '/') dir = new URL('..', dir);
    const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { version: string };
    console.log(pkg.version);
    return 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    console.error(`optimlab: unknown command '${name}'; commands: ${Object.keys(COMMANDS).join(', ')} (optimlab --help)`);
    return 2;
  }
  const { command } = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.usage);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    const err = e as Error;
    // Usage and validation errors are for the user: one clear line, no stack trace.
    if (err instanceof UserError || err instanceof RangeError || err instanceof TypeError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`optimlab ${name}: ${err.message}`);
      return 2;
    }
    throw err;
  }
}
