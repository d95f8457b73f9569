/**
 * The kernels' instrumented build (mutation testing; src/optimizers/kernel/build.ts, foldingLines).
 * In a mutant run each copy is compiled for the mutant switched on: the other mutants' switches are
 * folded to `false` and the coverage calls left out. That must change nothing Stryker can observe.
 * Two optimizer files are instrumented here by Stryker's own instrumenter, built once with every hook
 * kept and once folded, and every copy tested is run from the same inputs under each mutant of the
 * kernel, under a mutant elsewhere and under none (the initial run): the parameters and buffers must
 * agree bit for bit, and so must the hit count (Stryker's limit on the mutant switched on) and, in
 * the initial run, the coverage counts.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Instrumenter } from '@stryker-mutator/instrumenter';
import { afterAll, describe, expect, it } from 'vitest';
import { buildKernels } from '../src/optimizers/kernel/build.js';
import type { Compiled, Variant } from '../src/optimizers/kernel.js';
import { prng } from './helpers.js';

const HOOKS = ['stryMutAct_9fa48', 'stryCov_9fa48'];
/**
 * The instrumented files' namespace, renamed from Stryker's `__stryker__`: this test switches mutants
 * on and off in it, which must not touch a Stryker run this test may itself run under (the row of
 * src/optimizers/kernel runs it).
 */
const NS = '__kernelMutationTest__';
const FILES = ['adagrad', 'adamax'];

type Module = Record<string, Compiled>;
interface Stryker {
  activeMutant?: string;
  hitCount?: number;
  hitLimit?: number;
  mutantCoverage?: { static: Record<string, number>; perTest: Record<string, unknown> };
}
const g = globalThis as unknown as Record<string, Stryker | undefined>;
/** Switches a mutant on as Stryker does: in its one namespace object (the hooks keep a reference to it). */
function activate(id: string | undefined): void {
  const ns = (g[NS] ??= {});
  if (id === undefined) delete ns.activeMutant;
  else ns.activeMutant = id;
}

const roots: string[] = [];
const built: Record<'full' | 'folded', Record<string, Module>> = { full: {}, folded: {} };
/** The mutant ids in each generated module's copies. */
const ids: Record<string, string[]> = {};

/**
 * Instruments the two files and builds them both ways, in a fresh folder. Each test calls it (not a
 * `beforeAll`): the generator then runs inside the tests, so that mutation testing of the generator
 * (the row of src/optimizers/kernel) sees which tests run which of its parts instead of counting
 * every part a set-up runs as run by all of them.
 */
async function build(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'optimlab-kernel-mutation-'));
  roots.push(root);
  mkdirSync(join(root, 'src/optimizers'), { recursive: true });
  const quiet = () => false;
  const logger = { debug() {}, info() {}, warn() {}, error() {}, isDebugEnabled: quiet, isTraceEnabled: quiet };
  const instrumenter = new Instrumenter(logger as never);
  const r = await instrumenter.instrument(
    FILES.map((f) => ({
      name: join(root, `src/optimizers/${f}.ts`),
      mutate: true,
      content: readFileSync(`src/optimizers/${f}.ts`, 'utf8'),
    })),
    { plugins: null, excludedMutations: [], ignorers: [] },
  );
  for (const f of r.files) writeFileSync(f.name, f.content.replaceAll('__stryker__', NS));
  buildKernels({ root, hooks: HOOKS, out: ['full'] });
  buildKernels({ root, hooks: HOOKS, mutant: `${NS}.activeMutant`, out: ['folded'] });
  for (const f of FILES) {
    for (const kind of ['full', 'folded'] as const)
      built[kind][f] = (await import(pathToFileURL(join(root, kind, `${f}.js`)).href)) as Module;
    const text = readFileSync(join(root, 'full', `${f}.js`), 'utf8');
    ids[f] = [...new Set([...text.matchAll(/stryMutAct_9fa48\(\\"(\d+)\\"\)/g)].map((m) => m[1]!))];
  }
}

afterAll(() => {
  delete g[NS];
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** Runs a copy twice from fixed inputs; returns the bytes of p and every buffer, and Stryker's counts. */
function run(c: Compiled, copy: Variant, dtype: 'float64' | 'float32', seed: number): unknown {
  const ns = g[NS]!;
  ns.hitCount = 0;
  // Kept, never replaced: the coverage hook holds on to the object it first found.
  const counts = (ns.mutantCoverage ??= { static: {}, perTest: {} }).static;
  const before = { ...counts };
  const rand = prng(seed);
  const Arr = dtype === 'float64' ? Float64Array : Float32Array;
  const fill = (lo: number, hi: number) => {
    const x = new Arr(7);
    for (let k = 0; k < x.length; k++) x[k] = lo + (hi - lo) * rand();
    return x;
  };
  const p = fill(-2, 2);
  const grad = fill(-1, 1);
  const buffers = Object.fromEntries(c.arrays.filter((a) => a !== 'p' && a !== 'g').map((a) => [a, fill(0, 1)]));
  const scalars = Object.fromEntries([...c.scalars, 'weightDecay', 'keep'].map((s) => [s, 0.05 + 0.9 * rand()]));
  copy(p, grad, buffers, scalars);
  copy(p, grad, buffers, scalars);
  const bytes = (x: Float64Array | Float32Array) => Array.from(new Uint8Array(x.buffer));
  return {
    p: bytes(p),
    buffers: Object.fromEntries(Object.entries(buffers).map(([k, v]) => [k, bytes(v)])),
    hits: ns.hitCount,
    // Counted in the initial run only (no mutant switched on); a mutant run does not read them.
    ...(ns.activeMutant === undefined
      ? { coverage: Object.fromEntries(Object.keys(counts).map((k) => [k, counts[k]! - (before[k] ?? 0)])) }
      : {}),
  };
}

describe('instrumented kernel copies folded for the mutant switched on', { timeout: 60_000 }, () => {
  for (const f of FILES) {
    it(`${f}: every copy tested agrees with the copy that keeps every hook, bit for bit, under each mutant`, async () => {
      await build();
      for (const [name, full] of Object.entries(built.full[f]!)) {
        const folded = built.folded[f]![name]!;
        const size = full.float64.length;
        // Every switch alone, none, the shared ones together, all.
        const settings = [...new Set([0, 7, size - 1, ...full.switches.map((_, k) => 1 << k)])];
        const mutants = [...ids[f]!, 'elsewhere', undefined];
        expect(ids[f]!.length).toBeGreaterThan(5);
        for (const dtype of ['float64', 'float32'] as const) {
          for (const bits of settings) {
            for (const id of mutants) {
              activate(id);
              const a = run(full, full.make!(dtype, bits), dtype, bits + 1);
              const b = run(folded, folded.make!(dtype, bits), dtype, bits + 1);
              expect(b, `${name} ${dtype} setting ${bits}, mutant ${id ?? 'none'}`).toEqual(a);
            }
          }
        }
      }
    });
  }

  it('a folded copy called with another mutant switched on computes that mutant', async () => {
    await build();
    const f = 'adagrad';
    const [name, full] = Object.entries(built.full[f]!)[0]!;
    const folded = built.folded[f]![name]!;
    const [first, second] = ids[f]!;
    activate(first);
    const copy = folded.make!('float64', 0);
    for (const id of [second, first, 'elsewhere']) {
      activate(id);
      expect(run(folded, copy, 'float64', 9)).toEqual(run(full, full.make!('float64', 0), 'float64', 9));
    }
  });
});
