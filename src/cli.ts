/**
 * The `optimlab` command line: the one face that wires the core, the laws, the benchmarks and the
 * reports together. Each command lives in src/commands/<name>.ts and is loaded only when used.
 */
import { UserError } from './util/errors.js';

export interface Command {
  /** One line for `optimlab --help`. */
  summary: string;
  /** Full usage text for `optimlab <command> --help`. */
  usage: string;
  /** Runs the command; resolves to the process exit code. */
  run(args: string[]): Promise<number>;
}

/** Command name → module (lazy, so `optimlab list` does not load the benchmark harness). */
const COMMANDS: Record<string, () => Promise<{ command: Command }>> = {
  list: () => import('./commands/list.js'),
  demo: () => import('./commands/demo.js'),
  bench: () => import('./commands/bench.js'),
  verify: () => import('./commands/verify.js'),
  report: () => import('./commands/report.js'),
  run: () => import('./commands/run.js'),
};

export function registerCommand(name: string, load: () => Promise<{ command: Command }>): void {
  COMMANDS[name] = load;
}

async function help(): Promise<string> {
  const lines = [
    'optimlab: property-based verification and benchmarks for gradient-descent optimizers',
    '',
    'usage: optimlab <command> [options]      optimlab <command> --help for its options',
    '',
    'commands:',
  ];
  for (const [name, load] of Object.entries(COMMANDS)) {
    const { command } = await load();
    lines.push(`  ${name.padEnd(10)} ${command.summary}`);
  }
  return lines.join('\n');
}

/** Runs the CLI with `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(await help());
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
  const load = COMMANDS[name];
  if (!load) {
    console.error(`optimlab: unknown command '${name}'; commands: ${Object.keys(COMMANDS).join(', ')} (optimlab --help)`);
    return 2;
  }
  const { command } = await load();
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
