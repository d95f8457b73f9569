/**
 * Issue 13, acceptance 6: a maintainer's package this repository has never seen. A package is made
 * outside the repository (test/fixtures/outside-package copied to a temporary folder: its own
 * package.json and tsconfig; Yogi written with defineOptimizer and Lion as a plain loop wrapped with
 * defineStepOptimizer, each with its decimal reference, against the public exports `optimlab`,
 * `optimlab/laws` and `optimlab/reference` only), with node_modules/optimlab a link to this repository as npm links a
 * `file:` dependency, and node_modules/.bin/optimlab as npm installs the bin. Then what the
 * maintainer does: type-check and compile it with its own tsconfig (NodeNext resolution through the
 * "exports" map, skipLibCheck off, no ambient types), run the kit from its code, and run
 * `optimlab verify --module` on it from its folder; a seeded bug fails with a replay line that works
 * when pasted. npm test builds dist/ before vitest, so the links resolve to the built package.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = mkdtempSync(join(tmpdir(), 'optimlab-outside-'));
afterAll(() => rmSync(pkg, { recursive: true, force: true }));

/** Runs a command in the outside package; returns its exit code and output (stdout + stderr). */
function run(file: string, args: string[]): { code: number; out: string } {
  try {
    const out = execFileSync(process.execPath, [file, ...args], {
      cwd: pkg,
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
const optimlab = (args: string[]) => run(join(pkg, 'node_modules/.bin/optimlab'), args);

beforeAll(() => {
  cpSync(join(root, 'test/fixtures/outside-package'), pkg, { recursive: true });
  mkdirSync(join(pkg, 'node_modules/.bin'), { recursive: true });
  symlinkSync(root, join(pkg, 'node_modules/optimlab'), 'dir');
  symlinkSync('../optimlab/bin/optimlab.js', join(pkg, 'node_modules/.bin/optimlab'));
});

describe('a package outside the repository', () => {
  it('every path of optimlab\'s "exports" map and bin is shipped (in "files") and built', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      exports: Record<string, string | Record<string, string>>;
      files: string[];
      bin: Record<string, string>;
    };
    const paths = [
      ...Object.values(manifest.exports).flatMap((e) => (typeof e === 'string' ? [e] : Object.values(e))),
      ...Object.values(manifest.bin),
    ];
    expect(Object.keys(manifest.exports)).toEqual(expect.arrayContaining(['.', './laws', './reference', './bench']));
    for (const p of paths) {
      expect(existsSync(join(root, p)), p).toBe(true);
      expect(
        manifest.files.some((f) => p.replace(/^\.\//, '').startsWith(`${f}/`)) || p === './package.json',
        `${p} in "files"`,
      ).toBe(true);
    }
  });

  it(
    'type-checks and compiles against the public exports alone (its own tsconfig: NodeNext, skipLibCheck off)',
    { timeout: 120_000 },
    () => {
      const tsc = run(join(root, 'node_modules/typescript/bin/tsc'), ['-p', 'tsconfig.json']);
      expect(tsc.code, tsc.out).toBe(0);
      for (const f of ['index.js', 'yogi.js', 'reference.js', 'plain-lion.js', 'check.js', 'yogi.d.ts'])
        expect(existsSync(join(pkg, 'dist', f)), f).toBe(true);
      const sources = ['yogi.ts', 'reference.ts', 'plain-lion.ts', 'check.ts', 'index.ts']
        .map((f) => readFileSync(join(pkg, 'src', f), 'utf8'))
        .join('\n');
      expect([...new Set([...sources.matchAll(/from '([^.][^']*)'/g)].map((m) => m[1]))].sort()).toEqual([
        'optimlab',
        'optimlab/laws',
        'optimlab/reference',
      ]);
    },
  );

  it('runs the kit from its own code through optimlab/laws: every selected law passes, none is skipped', () => {
    const out = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const { check } = await import('./dist/check.js'); console.log(JSON.stringify(check(5)));",
      ],
      { cwd: pkg, encoding: 'utf8' },
    );
    const summary = JSON.parse(out) as { failed: number; passed: number; notRun: number; table: string };
    expect(summary.failed, summary.table).toBe(0);
    expect(summary.notRun).toBe(0);
    expect(summary.passed).toBeGreaterThanOrEqual(20);
    expect(summary.table).toMatch(/^B1 +pass/m);
  });

  it(
    'optimlab verify --module from its folder exits 0 with the reference laws run; a seeded bug exits 1 with a replay line that works when pasted',
    { timeout: 240_000 },
    () => {
      const ok = optimlab(['verify', '--module', 'dist/index.js', '--runs', '5', '--quiet']);
      expect(ok.code, ok.out).toBe(0);
      expect(ok.out).toMatch(/^law +yogi +plain-lion/m);
      for (const law of ['B1', 'B2', 'B3', 'G7', 'X1', 'E3'])
        expect(ok.out).toMatch(new RegExp(`^${law} +(pass|n\\/a|-) +pass`, 'm'));
      expect(ok.out).toMatch(/^B1 +pass +pass/m);
      expect(ok.out).toMatch(/, 0 failed/);
      // The seeded bug: ε inside the square root, √(v + ε) where Yogi has √v + ε (same sign, a size off by little).
      const file = join(pkg, 'dist/yogi.js');
      const good = readFileSync(file, 'utf8');
      expect(good).toContain('(Math.sqrt(vi) + eps)');
      writeFileSync(file, good.replace('(Math.sqrt(vi) + eps)', 'Math.sqrt(vi + eps)'));
      const bad = optimlab(['verify', '--module', 'dist/index.js', '--law', 'B1', '--quiet']);
      expect(bad.code, bad.out).toBe(1);
      expect(bad.out).toMatch(/law B1 yogi float64 failed/);
      expect(bad.out).toMatch(/error: K = [\d.e+]+ > 11 \(float64\)/);
      const line = /replay: npx optimlab (verify --module dist\/index\.js --replay '(B1 yogi [^']+)')/.exec(bad.out);
      expect(line, bad.out).not.toBeNull();
      // Pasted in the package's folder (npx optimlab runs node_modules/.bin/optimlab): the case fails again, alone.
      const again = optimlab(['verify', '--module', 'dist/index.js', '--replay', line![2]!, '--quiet']);
      expect(again.code, again.out).toBe(1);
      expect(again.out).toContain('1 cases, 0 passed, 1 failed');
      expect(again.out).toContain('counterexample (shrunk): [{"hyper":');
    },
  );
});
