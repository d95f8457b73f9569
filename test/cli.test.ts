/**
 * The command line, run in-process through main() from src/cli.ts with console output captured:
 * `optimlab list` prints all ten optimizers with their defaults (written out by hand from
 * the source documents in each file header of src/optimizers/), `--help`, and an unknown command exits 2 with a clear message.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ACCURACY_CASES,
  beyondBound,
  formatAccuracy,
  type AccuracyReport,
  type AccuracyRow,
} from '../properties/accuracy.js';
import { main } from '../src/cli.js';
import { registry } from '../src/index.js';

let out: string[];
let err: string[];
beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    out.push(a.join(' '));
  });
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => {
    err.push(a.join(' '));
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

const COMMON = 'weightDecay=0, decoupledWeightDecay=0, maximize=false';
/** The defaults of the source documents (each file header of src/optimizers/), by hand. */
const DEFAULTS: Record<string, string> = {
  sgd: `lr=0.01, ${COMMON}`,
  momentum: `lr=0.01, momentum=0.9, ${COMMON}`,
  nesterov: `lr=0.01, momentum=0.9, ${COMMON}`,
  adagrad: `lr=0.01, eps=1e-8, ${COMMON}`,
  adadelta: `lr=1, rho=0.9, eps=0.000001, ${COMMON}`,
  rmsprop: `lr=0.001, rho=0.9, eps=1e-8, ${COMMON}`,
  adam: `lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8, ${COMMON}`,
  adamax: `lr=0.002, beta1=0.9, beta2=0.999, eps=0, ${COMMON}`,
  nadam: `lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8, ${COMMON}`,
  amsgrad: `lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8, ${COMMON}`,
};

describe('optimlab list', () => {
  it('prints all ten optimizers, each with its defaults and update rule, and exits 0', async () => {
    expect(await main(['list'])).toBe(0);
    const text = out.join('\n');
    expect(Object.keys(DEFAULTS)).toEqual(registry.map((e) => e.name));
    for (const [name, defaults] of Object.entries(DEFAULTS)) {
      const at = text.search(new RegExp(`^${name}  \\(`, 'm'));
      expect(at, `${name} missing`).toBeGreaterThanOrEqual(0);
      const block = text.slice(at).split('\n\n')[0]!;
      expect(block).toContain(`    defaults: ${defaults}`);
    }
    expect(text).toContain('    m_t = β1 m_{t−1} + (1 − β1) g_t'); // adam's rule
    expect(text).toContain('θ ← θ − η g'); // sgd's
    expect(text).toContain('10 optimizers.');
    expect(err).toEqual([]);
  });
  it('--json gives the registry with the same defaults', async () => {
    expect(await main(['list', '--json'])).toBe(0);
    const data = JSON.parse(out.join('\n')) as { name: string; defaults: Record<string, unknown> }[];
    expect(data.map((d) => d.name)).toEqual(Object.keys(DEFAULTS));
    expect(data.find((d) => d.name === 'adam')!.defaults).toEqual({
      lr: 0.001,
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-8,
      weightDecay: 0,
      decoupledWeightDecay: 0,
      maximize: false,
    });
  });
  it('--verbose adds the ranges', async () => {
    expect(await main(['list', '--verbose'])).toBe(0);
    expect(out.join('\n')).toContain('0 ≤ beta1 < 1');
  });
  it('list --help prints its usage', async () => {
    expect(await main(['list', '--help'])).toBe(0);
    expect(out.join('\n')).toContain('usage: optimlab list');
  });
  it('an unknown option is a usage error: exit 2, one line on stderr', async () => {
    expect(await main(['list', '--bogus'])).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^optimlab list: .*--bogus/);
  });
});

describe('optimlab --help and unknown commands', () => {
  it('--help lists the commands and exits 0', async () => {
    expect(await main(['--help'])).toBe(0);
    const text = out.join('\n');
    expect(text).toContain('usage: optimlab <command>');
    expect(text).toMatch(/^ {2}list {7}list every optimizer/m);
  });
  it('no command prints the help and exits 2', async () => {
    expect(await main([])).toBe(2);
    expect(out.join('\n')).toContain('usage: optimlab <command>');
  });
  it('an unknown command exits 2 naming it and the known commands', async () => {
    expect(await main(['frobnicate'])).toBe(2);
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0]).toContain("optimlab: unknown command 'frobnicate'");
    expect(err[0]).toContain('list');
    expect(err[0]).toContain('optimlab --help');
  });
});

describe('optimlab verify --accuracy', () => {
  it("a verdict per optimizer and dtype, a summary line, the report's number of cases, exit 0 when every bound holds", async () => {
    expect(await main(['verify', '--accuracy', '--optimizer', 'sgd,adam', '--cases', '20', '--quiet'])).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/\| optimizer \| dtype \| worst K \| bound \| verdict \| naive K \|/);
    expect(text.match(/\| (sgd|adam) \| float(64|32) \| [^|]+ \| [^|]+ \| within \|/g)).toHaveLength(4);
    expect(text).toMatch(/all 4 optimizer × dtype rows measured within their bound \(closest: /);
    expect(ACCURACY_CASES).toBe(200); // the report's `optimlab run` uses the same default (runAccuracy's)
  });

  it('a worst K beyond its bound is BEYOND in its row and named in the summary (verify then exits 1)', () => {
    const row = (optimizer: string, worstK: number): AccuracyRow => ({
      optimizer,
      dtype: 'float64',
      cases: 5,
      worstK,
      paramsK: worstK,
      buffersK: {},
      bound: 4,
      naiveK: worstK,
    });
    const r: AccuracyReport = {
      schema: 'optimlab.accuracy/1',
      seed: 1,
      cases: 5,
      rows: [row('sgd', 1.5), row('adam', 4.5)],
    };
    expect(beyondBound(r).map((x) => x.optimizer)).toEqual(['adam']);
    const text = formatAccuracy(r);
    expect(text).toContain('| adam | float64 | 4.50 | 4 | BEYOND |');
    expect(text).toContain('| sgd | float64 | 1.50 | 4 | within |');
    expect(text).toMatch(/1 of 2 rows measured BEYOND their bound: adam float64 K = 4\.50 > 4$/);
  });
});
