/**
 * The command line speaks one vocabulary: every command's options are listed here and checked
 * against src/commands/options.ts (an option that two commands take is the shared one, spelled and
 * typed once; no command uses an old or rival spelling), every option is in its command's help,
 * the help says η, the tables say n/a for what does not apply, every unknown name is answered with
 * the valid ones, and the old spellings still work with a notice.
 */
import { describe, expect, it } from 'vitest';
import { commandNames, loadCommand, main, type Command } from '../src/cli.js';
import { DEPRECATED, parseOptions, SHARED } from '../src/commands/options.js';
import { NOT_APPLICABLE } from '../src/util/marks.js';
import { captureConsole } from './cli-helpers.js';

const io = captureConsole();

/** Spellings no command may take as its own option: the old ones, and rivals of the vocabulary's. */
const RIVALS: Record<string, string> = {
  ...DEPRECATED,
  output: 'json or out',
  'out-file': 'json',
  outdir: 'out',
  'json-out': 'json',
  noise: 'min-change',
  threshold: 'min-change',
  'min-delta': 'min-change',
  silent: 'quiet',
  size: 'sizes',
  'time-ms': 'time',
  'warmup-time': 'warmup',
  opt: 'optimizer',
  modules: 'module',
  'any-machine': 'baseline-any-machine',
  base: 'baseline',
};

async function commands(): Promise<[string, Command][]> {
  return Promise.all(commandNames().map(async (n) => [n, (await loadCommand(n))!] as [string, Command]));
}

describe('one vocabulary across the commands', () => {
  it("lists every command's options; an option two commands take is the shared one, with the same type", async () => {
    const all = await commands();
    expect(all.map(([n]) => n)).toEqual(['list', 'demo', 'bench', 'verify', 'report', 'run']);
    const users = new Map<string, string[]>();
    for (const [name, c] of all) {
      for (const [opt, spec] of Object.entries(c.options)) {
        users.set(opt, [...(users.get(opt) ?? []), name]);
        if (opt in SHARED)
          expect({ command: name, opt, spec }).toEqual({
            command: name,
            opt,
            spec: SHARED[opt as keyof typeof SHARED],
          });
      }
    }
    const sharedByUse = [...users].filter(([, cs]) => cs.length > 1).map(([o]) => o);
    expect(sharedByUse.filter((o) => !(o in SHARED))).toEqual([]);
    // what the shared options are for, by command (the table a reader of this test can check)
    expect(Object.fromEntries([...users].filter(([o]) => o in SHARED).sort())).toEqual({
      baseline: ['bench', 'report', 'run'],
      'baseline-any-machine': ['bench', 'report', 'run'],
      json: ['list', 'bench', 'verify'],
      'min-change': ['bench', 'report', 'run'],
      module: ['list', 'bench', 'verify', 'report', 'run'],
      'no-peers': ['bench', 'run'],
      optimizer: ['demo', 'bench', 'verify'],
      out: ['report', 'run'],
      peers: ['bench', 'run'],
      quick: ['bench', 'run'],
      quiet: ['bench', 'verify'],
      seed: ['demo', 'bench', 'verify', 'run'],
      sizes: ['bench', 'run'],
      time: ['bench', 'run'],
      warmup: ['bench', 'run'],
    });
  });

  it('no command takes an old or rival spelling as its own option; the old ones are only aliases', async () => {
    for (const [name, c] of await commands()) {
      expect(
        Object.keys(c.options)
          .filter((o) => o in RIVALS)
          .map((o) => `${name} --${o} (say --${RIVALS[o]})`),
      ).toEqual([]);
      for (const [old, now] of Object.entries(c.aliases ?? {})) {
        expect(c.options, `${name}: alias --${old} → --${now}`).toHaveProperty([now]);
        expect(c.options).not.toHaveProperty([old]);
      }
    }
  });

  it("every option is in its command's help, and the help says η for the learning rate", async () => {
    for (const [name, c] of await commands()) {
      for (const opt of Object.keys(c.options))
        expect(c.usage, `optimlab ${name} --help lacks --${opt}`).toContain(`--${opt}`);
      expect(c.usage, `optimlab ${name} --help`).not.toMatch(/α/);
    }
    expect((await loadCommand('demo'))!.usage).toMatch(/--lr η +learning rate η/);
  });

  it('old spellings still work, each with a one-line notice', () => {
    const bench = {
      json: { type: 'string' },
      optimizer: { type: 'string' },
      baseline: { type: 'string' },
      'min-change': { type: 'string' },
    } as const;
    const { values } = parseOptions(
      'bench',
      ['--out', 'r.json', '--optimizers=sgd', '--compare', 'b.json', '--noise-floor', '7'],
      bench,
      { aliases: { ...DEPRECATED, out: 'json' } },
    );
    expect(values).toEqual({ json: 'r.json', optimizer: 'sgd', baseline: 'b.json', 'min-change': '7' });
    expect(io.err).toEqual([
      'optimlab bench: --out is now --json; the old spelling will go away',
      'optimlab bench: --optimizers is now --optimizer; the old spelling will go away',
      'optimlab bench: --compare is now --baseline; the old spelling will go away',
      'optimlab bench: --noise-floor is now --min-change; the old spelling will go away',
    ]);
  });
});

describe('unknown names are answered with the valid ones', () => {
  it.each([
    [['bench', '--optimizer', 'adamw'], /--optimizer: unknown optimizer 'adamw'; allowed: sgd, momentum, .*amsgrad/],
    [
      ['verify', '--accuracy', '--optimizer', 'adamw'],
      /'adamw' is neither a built-in optimizer nor one of --module; known: sgd, .*amsgrad/,
    ],
    [
      ['verify', '--law', 'Q9'],
      /no law case matches --law Q9; laws: .*B1.*\(or a family: A, B, .*\); optimizers and subjects: sgd, .*/,
    ],
    [
      ['verify', '--optimizer', 'adamw', '--law', 'C1'],
      /no law case matches --law C1 --optimizer adamw; .*optimizers and subjects: sgd, momentum, nesterov/,
    ],
    [['demo', 'blobs', '--optimizer', 'adamw'], /unknown optimizer "adamw"; known: sgd, .*amsgrad/],
    [['demo', 'spirals'], /unknown demo 'spirals'; demos: blobs/],
    [['list', '--profile', 'torch'], /profile = "torch"; allowed: 'pytorch', 'keras', 'tfjs', 'optax'/],
    [['bench', '--dtypes', 'float16'], /--dtypes: unknown dtype 'float16'; allowed: float64, float32/],
    [
      ['report', '--frobnicate'],
      /Unknown option '--frobnicate'; options of optimlab report: --out, --baseline, .*--title/,
    ],
    [['frobnicate'], /unknown command 'frobnicate'; commands: list, demo, bench, verify, report, run/],
  ])('%j', async (args, message) => {
    expect(await main(args as string[])).toBe(2);
    expect(io.err.join('\n')).toMatch(message);
  });
});

describe('one mark for what does not apply', () => {
  it(`the law table says ${NOT_APPLICABLE} where a law does not apply, and its legend says so`, async () => {
    expect(await main(['verify', '--law', 'C1,D1', '--runs', '1', '--quiet'])).toBe(0);
    const table = io.out.join('\n');
    // D1 (momentum's velocity) does not apply to sgd, which has none
    expect(table).toMatch(/^D1 +n\/a +pass +pass/m);
    expect(table).toContain('n/a: does not apply');
  });
});
