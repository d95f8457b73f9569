/**
 * The kernel build (src/optimizers/kernel/build.ts) beyond the frame of a module: the instrumented
 * modules of a mutation run (hooks kept; each copy compiled for the mutant switched on), `npm run
 * kernels` and its environment, the files it reads, writes and removes, and the file run as a command
 * against the file imported. Every test builds in a fresh temporary folder of its own, inside the test.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { INSTRUMENTER_CONSTANTS } from '@stryker-mutator/api/core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { buildKernels, findKernels, generateModule, main } from '../src/optimizers/kernel/build.js';
import { kernelsInFile } from '../src/optimizers/kernel/check.js';
import { variantOf, type Compiled } from '../src/optimizers/kernel.js';

const HEAD = "import type { Elements } from './kernel.js';\n";
const kernel = (name: string, update: string): string =>
  `export function ${name}(i: number, { p, g }: Elements, { lr }: { lr: number }): void {\n  p[i]! -= ${update};\n}\n`;

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
  delete (globalThis as Record<string, unknown>)[NS];
  delete (globalThis as Record<string, unknown>)[LOG];
});
/** A fresh scratch repository with the given optimizer files (src/optimizers/<name>). */
function scratch(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'optimlab-kernel-gen-build-'));
  roots.push(root);
  mkdirSync(join(root, 'src/optimizers'), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, 'src/optimizers', name), text);
  return root;
}

/**
 * An instrumented optimizer file as a mutation tool leaves it: a mutant switch (true only for the
 * mutant switched on, read from `<NS>.active`) and a coverage counter, both logging their calls, and
 * a kernel whose update is mutant 1 (no step), mutant 2 (twice the step) or, with neither, lr·g.
 * The hook names end in `$`, which a pattern must escape.
 */
const NS = '__kernelGenBuildTest__';
const LOG = '__kernelGenBuildTestLog__';
const HOOKS = ['mut$', 'cov$'];
const INSTRUMENTED =
  HEAD +
  `function mut$(id) { globalThis.${LOG}.push('mut ' + id); return globalThis.${NS}?.active === id; }\n` +
  `function cov$(...ids) { globalThis.${LOG}.push('cov ' + ids.join(' ')); }\n` +
  `export function hookKernel(i: number, { p, g }: Elements, { lr }: { lr: number }): void {\n` +
  `  cov$("1", "2");\n` +
  `  p[i]! -= mut$("1") ? 0 : mut$("2") ? 2 * lr * g[i]! : lr * g[i]!;\n` +
  `}\n`;
const g = globalThis as unknown as Record<string, { active?: string } | string[] | undefined>;

/** Switches mutant `id` on (undefined: none; 'no namespace': not even the namespace object exists). */
function activate(id: string | undefined | 'no namespace'): void {
  if (id === 'no namespace') delete g[NS];
  else g[NS] = id === undefined ? {} : { active: id };
}

/**
 * Makes the copy of setting 0 under mutant `id` (as a test of the mutation run would, first use) and
 * runs it on p = 1 … 5, g = 1, lr = 0.5 (one unrolled iteration and a remainder of one), with `id`
 * still switched on. Returns p and the hooks' calls.
 */
function run(c: Compiled, dtype: 'float64' | 'float32', id: string | undefined | 'no namespace'): unknown {
  activate(id);
  const copy = c.make!(dtype, 0);
  const log: string[] = (g[LOG] = []);
  const Arr = dtype === 'float64' ? Float64Array : Float32Array;
  const p = Arr.from([1, 2, 3, 4, 5]);
  copy(p, Arr.from([1, 1, 1, 1, 1]), {}, { lr: 0.5, weightDecay: 0, keep: 1 });
  return { p: Array.from(p), log };
}

/** Per element, what the kernel calls with every hook kept: the counter, then the switches in order. */
const everyHook = (...switches: string[]): string[] =>
  Array.from({ length: 5 }, () => ['cov 1 2', ...switches.map((s) => `mut ${s}`)]).flat();

async function load(file: string): Promise<Record<string, Compiled>> {
  return (await import(pathToFileURL(file).href)) as Record<string, Compiled>;
}

describe('the build under mutation testing', () => {
  it('folded for the mutant switched on: its switch alone is called, no counter; with none, every hook', async () => {
    const root = scratch({ 'hook.ts': INSTRUMENTED });
    buildKernels({ root, hooks: HOOKS, mutant: `${NS}.active`, out: ['gen'] });
    const c = (await load(join(root, 'gen/hook.js'))).hookKernel!;
    // One copy per setting of the three shared switches, made on first use, for each dtype.
    expect([c.float64.length, c.float32.length]).toEqual([8, 8]);
    // Mutant 2 on: mutant 1's switch is false without a call, the counter is left out.
    expect(run(c, 'float64', '2')).toEqual({ p: [0, 1, 2, 3, 4], log: Array(5).fill('mut 2') });
    expect(run(c, 'float64', '1')).toEqual({ p: [1, 2, 3, 4, 5], log: Array(5).fill('mut 1') });
    // A mutant of another file: no switch of this kernel is on, none is called.
    expect(run(c, 'float64', '7')).toEqual({ p: [0.5, 1.5, 2.5, 3.5, 4.5], log: [] });
    // No mutant on (the run that takes coverage), or no namespace yet: every hook is kept.
    for (const id of [undefined, 'no namespace'] as const)
      expect(run(c, 'float64', id)).toEqual({ p: [0.5, 1.5, 2.5, 3.5, 4.5], log: everyHook('1', '2') });
    // A copy made for mutant 2 and called under mutant 1 computes mutant 1, every hook kept.
    activate('2');
    const copy = variantOf(c, 'float32', 0);
    activate('1');
    const p = Float32Array.from([1, 2, 3, 4, 5]);
    g[LOG] = [];
    copy(p, Float32Array.from([1, 1, 1, 1, 1]), {}, { lr: 0.5 });
    expect({ p: Array.from(p), log: g[LOG] }).toEqual({ p: [1, 2, 3, 4, 5], log: everyHook('1') });
    expect(variantOf(c, 'float32', 0)).toBe(copy);
  });

  it('a mutant switch without a coverage counter: folded the same, its own calls kept as written', async () => {
    // One hook, named as Stryker names its own (ending in a word character).
    const text = INSTRUMENTED.replaceAll('mut$', 'mut9').replace(/^.*cov\$.*\n/gm, '');
    const root = scratch({ 'hook.ts': text });
    buildKernels({ root, hooks: ['mut9'], mutant: `${NS}.active`, out: ['gen'] });
    const c = (await load(join(root, 'gen/hook.js'))).hookKernel!;
    expect(run(c, 'float64', '2')).toEqual({ p: [0, 1, 2, 3, 4], log: Array(5).fill('mut 2') });
    expect(run(c, 'float64', '7')).toEqual({ p: [0.5, 1.5, 2.5, 3.5, 4.5], log: [] });
    expect(run(c, 'float64', undefined)).toEqual({
      p: [0.5, 1.5, 2.5, 3.5, 4.5],
      log: Array.from({ length: 5 }, () => ['mut 1', 'mut 2']).flat(),
    });
  });

  it('npm run kernels: OPTIMLAB_KERNEL_HOOKS keeps hooks, OPTIMLAB_KERNEL_MUTANT folds; without, neither', async () => {
    const logs = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const folded = scratch({ 'hook.ts': INSTRUMENTED });
      expect(main(folded, { OPTIMLAB_KERNEL_HOOKS: HOOKS.join(','), OPTIMLAB_KERNEL_MUTANT: `${NS}.active` })).toBe(0);
      expect(logs).toHaveBeenLastCalledWith('kernels: 1 checked, 6 file(s) written (instrumented: mut$, cov$)');
      const a = (await load(join(folded, 'src/optimizers/generated/hook.js'))).hookKernel!;
      expect(run(a, 'float64', '2')).toEqual({ p: [0, 1, 2, 3, 4], log: Array(5).fill('mut 2') });

      // Hooks without a mutant's name (unset or empty): every hook kept in every copy.
      for (const env of [{}, { OPTIMLAB_KERNEL_MUTANT: '' }]) {
        const full = scratch({ 'hook.ts': INSTRUMENTED });
        expect(main(full, { OPTIMLAB_KERNEL_HOOKS: HOOKS.join(','), ...env })).toBe(0);
        const b = (await load(join(full, 'src/optimizers/generated/hook.js'))).hookKernel!;
        expect(run(b, 'float64', '2')).toEqual({ p: [0, 1, 2, 3, 4], log: everyHook('1', '2') });
      }

      // No hooks named: a plain build, which says nothing of instrumentation.
      const plain = scratch({ 'plain.ts': HEAD + kernel('plainKernel', 'lr * g[i]!') });
      expect(main(plain, {})).toBe(0);
      expect(logs).toHaveBeenLastCalledWith('kernels: 1 checked, 6 file(s) written');
      expect(readFileSync(join(plain, 'dist/src/optimizers/generated/plain.js'), 'utf8')).toMatch(
        /^ {2}float64: Object\.freeze\(\[plainKernel_float64, /m,
      );
    } finally {
      logs.mockRestore();
    }
  });
});

describe('the files the build reads and writes', () => {
  it('the .d.ts imports every kernel of the file, each under its own name', () => {
    const file = 'src/optimizers/two.ts';
    const text = HEAD + kernel('aKernel', 'lr * g[i]!') + kernel('bKernel', '2 * lr * g[i]!');
    expect(generateModule(file, kernelsInFile(file, text), 'gen').dts.split('\n').slice(1, 5)).toEqual([
      "import type { Compiled } from '../kernel.js';",
      "import type { aKernel as aKernel$source, bKernel as bKernel$source } from '../two.js';",
      'export declare const aKernel: Compiled<typeof aKernel$source>;',
      'export declare const bKernel: Compiled<typeof bKernel$source>;',
    ]);
  });

  it('the optimizer files in the order of JavaScript strings, whatever order the file system lists them in', () => {
    // U+1D482 is written with the surrogates D835 DC82, which sort before U+FF5A; in UTF-8 (the order
    // of a listing sorted by bytes, as Node's is on Linux) it comes after.
    const root = scratch({
      '\uFF5A.ts': HEAD + kernel('zKernel', 'lr * g[i]!'),
      '\u{1D482}.ts': HEAD + kernel('aKernel', 'lr * g[i]!'),
    });
    expect(findKernels({ root }).map((k) => [k.file, k.name])).toEqual([
      ['src/optimizers/\u{1D482}.ts', 'aKernel'],
      ['src/optimizers/\uFF5A.ts', 'zKernel'],
    ]);
  });

  it('with no root, the working directory: the folders are relative to it', () => {
    const names = (ks: { file: string; name: string }[]) => ks.map((k) => `${k.file} ${k.name}`);
    expect(names(findKernels())).toEqual(names(findKernels({ root: process.cwd() })));
    expect(findKernels().length).toBeGreaterThan(0);
    // A build from here into a scratch folder, named from here.
    const root = relative(process.cwd(), scratch({ 'x.ts': HEAD + kernel('xKernel', 'lr * g[i]!') }));
    const out = join(root, 'gen');
    expect(buildKernels({ dir: join(root, 'src/optimizers'), out: [out] })).toEqual({
      written: ['x.js', 'x.js.map', 'x.d.ts'].map((f) => join(out, f)),
      kernels: 1,
    });
  });

  it('a changed kernel is written again (the files whose text changed); no output folder made for nothing', () => {
    const root = scratch({ 'x.ts': HEAD + kernel('xKernel', 'lr * g[i]!') });
    expect(buildKernels({ root, out: ['gen'] }).written).toEqual(['gen/x.js', 'gen/x.js.map', 'gen/x.d.ts']);
    writeFileSync(join(root, 'src/optimizers/x.ts'), HEAD + kernel('xKernel', '(lr + lr) * g[i]!'));
    // The kernel's name is the same, so is its .d.ts; its code and where that code is written from change.
    expect(buildKernels({ root, out: ['gen'] })).toEqual({ written: ['gen/x.js', 'gen/x.js.map'], kernels: 1 });
    expect(readFileSync(join(root, 'gen/x.js'), 'utf8')).toContain('(lr + lr) * g$');

    // A folder with no kernels, and an output folder never made: nothing to write or remove.
    const empty = scratch({ 'common.ts': 'export const x = 1;\n' });
    expect(buildKernels({ root: empty, out: ['gen'] })).toEqual({ written: [], kernels: 0 });
    expect(existsSync(join(empty, 'gen'))).toBe(false);
  });
});

describe('build.ts run as a command builds; imported, it does not', () => {
  /**
   * The environment of a command run here: no hooks (a plain build); in a mutation run, the mutant
   * switched on in this test process is passed on (Stryker's instrumented code reads it from there),
   * so that the command runs the code under test as this process does.
   */
  function env(): NodeJS.ProcessEnv {
    const ns = (globalThis as Record<string, { activeMutant?: unknown } | undefined>)[INSTRUMENTER_CONSTANTS.NAMESPACE];
    const active = ns?.[INSTRUMENTER_CONSTANTS.ACTIVE_MUTANT as 'activeMutant'];
    return {
      ...process.env,
      OPTIMLAB_KERNEL_HOOKS: '',
      OPTIMLAB_KERNEL_MUTANT: '',
      ...(active === undefined ? {} : { [INSTRUMENTER_CONSTANTS.ACTIVE_MUTANT_ENV_VARIABLE]: String(active) }),
    };
  }
  const tsx = resolve('node_modules/.bin/tsx');
  const build = resolve('src/optimizers/kernel/build.ts');

  it('tsx src/optimizers/kernel/build.ts builds the working directory (npm run kernels)', () => {
    const root = scratch({ 'x.ts': HEAD + kernel('xKernel', 'lr * g[i]!') });
    const r = spawnSync(tsx, [build], { cwd: root, encoding: 'utf8', env: env() });
    expect({ status: r.status, stdout: r.stdout }).toEqual({
      status: 0,
      stdout: 'kernels: 1 checked, 6 file(s) written\n',
    });
    expect(existsSync(join(root, 'src/optimizers/generated/x.js'))).toBe(true);
  });

  it('a script importing it builds nothing', () => {
    const root = scratch({ 'x.ts': HEAD + kernel('xKernel', 'lr * g[i]!') });
    writeFileSync(join(root, 'uses.mts'), `import ${JSON.stringify(pathToFileURL(build).href)};\n`);
    const r = spawnSync(tsx, ['uses.mts'], { cwd: root, encoding: 'utf8', env: env() });
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(existsSync(join(root, 'src/optimizers/generated'))).toBe(false);
  });

  it('imported in this process: no build, no exit code', async () => {
    const logs = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const code = process.exitCode;
    try {
      // A module of its own (the query), evaluated now: the one this file imported was evaluated earlier.
      const again = '../src/optimizers/kernel/build.ts?imported-again';
      const fresh = (await import(/* @vite-ignore */ again)) as { main?: unknown };
      expect(typeof fresh.main).toBe('function');
      expect(logs).not.toHaveBeenCalled();
      expect(process.exitCode).toBe(code);
    } finally {
      logs.mockRestore();
      process.exitCode = code;
    }
  });
});
