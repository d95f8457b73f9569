/**
 * `--module` on the command line, run as a maintainer runs it: `node bin/optimlab.js …` on the built
 * package (npm test builds dist/ before vitest), with modules written against the public names only
 * (examples/, test/fixtures/). Acceptance 1 (no reference: the reference laws are not run, exit 0),
 * a seeded bug's replay line that works when pasted, bench and report with an outside optimizer,
 * and provenance (optimlab's version, each module's path and content hash).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
const tmp = mkdtempSync(join(tmpdir(), 'optimlab-kit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs the CLI; returns its exit code and output (stdout + stderr). */
function cli(args: string[]): { code: number; out: string } {
  try {
    const out = execFileSync(process.execPath, ['bin/optimlab.js', ...args], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
    return { code: 0, out };
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    return { code: err.status, out: `${err.stdout}${err.stderr}` };
  }
}

// A module that exports Lion without its reference (the correct optimizer, no `reference`).
const noReference = join(tmp, 'lion-no-reference.mjs');
writeFileSync(
  noReference,
  `export { lion as optimizer } from ${JSON.stringify(join(root, 'dist/examples/lion/optimizer.js'))};\n`,
);

describe('optimlab verify --module', () => {
  it('a correct outside optimizer without a reference exits 0, the reference laws shown as not run', () => {
    const r = cli(['verify', '--module', noReference, '--runs', '3', '--quiet']);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/^B1 +n\/r/m);
    expect(r.out).toContain('not run on lion: B1, B2, B3, G7: no reference supplied');
    expect(r.out).not.toMatch(/^[A-Z]\d+[a-z]? +FAIL/m);
    expect(r.out).toContain(', 0 failed, 7 not run');
  });
  it('with its reference, B1 B2 B3 G7 run and pass; --json records provenance', () => {
    const json = join(tmp, 'verify.json');
    const r = cli([
      'verify',
      '--module',
      'dist/examples/lion/index.js',
      '--law',
      'B,G7',
      '--runs',
      '5',
      '--quiet',
      '--json',
      json,
    ]);
    expect(r.code, r.out).toBe(0);
    for (const law of ['B1', 'B2', 'B3', 'G7']) expect(r.out).toMatch(new RegExp(`^${law} +pass`, 'm'));
    const doc = JSON.parse(readFileSync(json, 'utf8')) as {
      provenance: {
        optimlab: string;
        modules: { path: string; sha256: string; files: number; optimizers: string[]; references: string[] }[];
      };
    };
    expect(doc.provenance.optimlab).toBe(version);
    expect(doc.provenance.modules).toHaveLength(1);
    const m = doc.provenance.modules[0]!;
    expect(m).toMatchObject({ path: 'dist/examples/lion/index.js', optimizers: ['lion'], references: ['lion'] });
    expect(m.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(m.files).toBe(3); // index.js, optimizer.js, reference.js
  });
  it('a seeded bug (Lion: the sign of m_t, not of c_t) fails with a readable counterexample and a replay line that works when pasted', () => {
    const r = cli(['verify', '--module', 'test/fixtures/lion-sign-of-momentum.mjs', '--law', 'G7', '--quiet']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('law G7 lion float32 failed');
    expect(r.out).toContain('counterexample (shrunk): [{"hyper":');
    const line =
      /replay: (npx optimlab verify --module test\/fixtures\/lion-sign-of-momentum\.mjs --replay '([^']+)')/.exec(
        r.out,
      );
    expect(line, r.out).not.toBeNull();
    // Pasted (npx optimlab → node bin/optimlab.js here): the same case fails again, alone.
    const again = cli([
      'verify',
      '--module',
      'test/fixtures/lion-sign-of-momentum.mjs',
      '--replay',
      line![2]!,
      '--quiet',
    ]);
    expect(again.code).toBe(1);
    expect(again.out).toContain('1 cases, 0 passed, 1 failed');
    expect(again.out).toContain(line![2]!);
  });
  it('an exclude form of --law, several modules, and a built-in beside them', () => {
    const r = cli([
      'verify',
      '--module',
      'dist/examples/lion/index.js',
      '--module',
      'dist/examples/radam/index.js',
      '--optimizer',
      'adam',
      '--law',
      'G,F2,!G6,!G7',
      '--runs',
      '2',
      '--quiet',
    ]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/^law +adam +lion +radam/m);
    expect(r.out).not.toMatch(/^G6 /m);
    expect(r.out).toMatch(/^F2 +pass +n\/a +n\/a /m);
  });
  it('mistakes are one clear line each, exit 2', () => {
    const same = cli(['verify', '--module', 'dist/examples/lion/index.js', '--module', noReference, '--quiet']);
    expect(same.code).toBe(2);
    expect(same.out.trim()).toBe(
      `optimlab verify: --module ${noReference}: optimizer 'lion' is also defined by --module dist/examples/lion/index.js; names must be unique`,
    );
    const builtinName = join(tmp, 'adam.mjs');
    writeFileSync(
      builtinName,
      `import { lion } from ${JSON.stringify(join(root, 'dist/examples/lion/optimizer.js'))};\nexport const optimizer = { ...lion, name: 'adam' };\n`,
    );
    expect(cli(['verify', '--module', builtinName]).out.trim()).toBe(
      `optimlab verify: --module ${builtinName}: optimizer 'adam' has the name of a built-in optimizer; give it another name (results and tables key by name)`,
    );
    const notAnOptimizer = cli(['verify', '--module', 'dist/examples/lion/reference.js']);
    expect(notAnOptimizer.out.trim()).toMatch(
      /^optimlab verify: --module dist\/examples\/lion\/reference.js: export the result of defineOptimizer\(...\) as default or as 'optimizer'; found exports: reference$/,
    );
  });
});

describe('list, bench and report --module', () => {
  it("list shows the module's optimizer beside the built-ins, with the laws that apply", () => {
    const r = cli(['list', '--module', 'dist/examples/radam/index.js']);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('radam  (RAdam; Liu et al. 2020');
    expect(r.out).toMatch(/radam: \d+ laws apply: G1 /);
    expect(r.out).toContain('10 optimizers built in, 1 from --module.');
  });
  it('bench measures it in the same run as the built-ins, against the same triad, and the report draws it', () => {
    const json = join(tmp, 'bench.json');
    const b = cli([
      'bench',
      '--quick',
      '--no-peers',
      '--module',
      'dist/examples/lion/index.js',
      '--optimizer',
      'sgd,lion',
      '--sizes',
      '1e3',
      '--dtypes',
      'float32',
      '--time',
      '5',
      '--warmup',
      '1',
      '--json',
      json,
      '--quiet',
    ]);
    expect(b.code, b.out).toBe(0);
    const doc = JSON.parse(readFileSync(json, 'utf8')) as {
      tasks: { kind: string; name: string; status: string; ratioToTriad?: number }[];
      modules: { path: string; sha256: string }[];
      environment: { packages: Record<string, string> };
    };
    const lion = doc.tasks.find((t) => t.kind === 'core' && t.name === 'lion');
    expect(lion?.status).toBe('ok');
    expect(lion?.ratioToTriad).toBeGreaterThan(0);
    expect(doc.modules[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(doc.environment.packages.optimlab).toBe(version);
    const out = join(tmp, 'report');
    const rep = cli(['report', json, '--no-convergence', '--out', out]);
    expect(rep.code, rep.out).toBe(0);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toMatch(/\| lion \| float32 \|/);
    expect(md).toContain('--module dist/examples/lion/index.js (lion; sha256 ');
    expect(readFileSync(join(out, 'throughput.svg'), 'utf8')).toContain('lion');
  });
});
