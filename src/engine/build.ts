/**
 * Builds the wasm kernels: every kernel of src/optimizers, every switch setting, both dtypes, one
 * module. Run by `npm run build` (and so by `npm ci`, through `prepare`, and by `npm test`):
 *
 *   tsx src/engine/build.ts            writes src/engine/kernels.generated.ts (unless up to date)
 *
 * The kernels come from the kernel build's checker (src/optimizers/kernel: `findKernels`, each
 * kernel's checked tree, `specialise` per switch setting and dtype: the same Steps the JS copies
 * are generated from). emit.ts turns each Step into a wasm function: there is no second parser.
 *
 * The output is a TypeScript module (the binary as base64; for each variant, the adapter that calls
 * it with the JS copy's signature (p, g, state.buffers, scalars)), so that vitest, tsc and bundlers
 * take it like any other source. It records a hash of its inputs (the optimizer files, the kernel
 * build, this backend, the binaryen version): the build skips the work when the hash is unchanged,
 * and test/engine.test.ts fails when the sources moved on without a rebuild.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync, renameSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findKernels as findTrees, DTYPES } from '../optimizers/kernel/build.js';
import { settingsOf, specialise, type Step } from '../optimizers/kernel/tree.js';
import { emitStep, finish, newModule, LANES } from './emit.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
export const OUTPUT = join(root, 'src', 'engine', 'kernels.generated.ts');

/** Hash of everything the output depends on. */
export function inputHash(): string {
  const h = createHash('sha256');
  const files = (dir: string): string[] =>
    readdirSync(join(root, dir))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
      .sort()
      .map((f) => join(dir, f));
  for (const f of [
    ...files('src/optimizers'),
    ...files('src/optimizers/kernel'),
    ...['emit.ts', 'build.ts'].map((f) => join('src/engine', f)),
  ]) {
    h.update(f)
      .update('\0')
      .update(readFileSync(join(root, f)))
      .update('\0');
  }
  h.update(JSON.parse(readFileSync(join(root, 'node_modules', 'binaryen', 'package.json'), 'utf8')).version as string);
  return h.digest('hex');
}

export interface Built {
  binary: Uint8Array;
  /** Element-step variants: export name → the Step's arrays and scalars (the wasm function's parameters). */
  steps: Record<string, { arrays: readonly string[]; scalars: readonly string[] }>;
  /** Each kernel's file: the engine serves a kernel object only when its name and file both match. */
  files: Record<string, string>;
  functions: number;
}

export function buildModule(): Built {
  const mod = newModule();
  const steps: Built['steps'] = {};
  const files: Built['files'] = {};
  let functions = 0;
  try {
    for (const tree of findTrees({ root })) {
      files[tree.name] = tree.file;
      for (const dtype of DTYPES) {
        for (const bits of settingsOf(tree)) {
          const step: Step = specialise(tree, bits, dtype);
          steps[emitStep(mod, step)] = { arrays: step.arrays, scalars: step.scalars };
          functions++;
        }
      }
    }
    return { binary: finish(mod), steps, files, functions };
  } finally {
    mod.dispose();
  }
}

/**
 * The adapters of the element-step variants, as TypeScript: one per distinct (arrays, scalars)
 * signature, `(f) => (p, g, b, s) => f(p.byteOffset, …, p.length, s.x, …)`, and per export the index
 * of its adapter. A step through an adapter reads each array's offset and each scalar by name once,
 * as the JS copy does, and allocates nothing.
 */
function adapterSource(steps: Built['steps']): string[] {
  const signatures: string[] = [];
  const index: Record<string, number> = {};
  for (const [name, s] of Object.entries(steps)) {
    const args = [
      ...s.arrays.map((a) => (a === 'p' || a === 'g' ? `${a}.byteOffset` : `b[${JSON.stringify(a)}]!.byteOffset`)),
      'p.length',
      ...s.scalars.map((x) => `s[${JSON.stringify(x)}]!`),
    ].join(', ');
    const src = `(f) => (p, g, b, s) => f(${args})`;
    let k = signatures.indexOf(src);
    if (k < 0) k = signatures.push(src) - 1;
    index[name] = k;
  }
  return [
    'type F = (...args: number[]) => void;',
    'type A = { readonly byteOffset: number; readonly length: number };',
    'export type StepFunction = (p: A, g: A, b: Readonly<Record<string, A>>, s: Readonly<Record<string, number>>) => void;',
    `export const ADAPTERS: readonly ((f: F) => StepFunction)[] = [\n${signatures.map((x) => `  ${x},`).join('\n')}\n];`,
    `export const STEPS: Readonly<Record<string, number>> = ${JSON.stringify(index)};`,
  ];
}

function main(): void {
  const t0 = performance.now();
  const hash = inputHash();
  if (
    existsSync(OUTPUT) &&
    readFileSync(OUTPUT, 'utf8').includes(`export const SOURCE_HASH = '${hash}';`) &&
    !process.argv.includes('--force')
  ) {
    console.log(`wasm kernels: up to date (${relative(root, OUTPUT)})`);
    return;
  }
  const { binary, steps, files, functions } = buildModule();
  const text = [
    '// Generated by src/engine/build.ts (`npm run build`): do not edit. The wasm kernels of every',
    '// optimizer, switch setting and dtype, and how step calls them.',
    `export const SOURCE_HASH = '${hash}';`,
    `export const LANES = ${LANES};`,
    ...adapterSource(steps),
    `export const KERNEL_FILES: Readonly<Record<string, string>> = ${JSON.stringify(files)};`,
    `export const WASM_BASE64 = '${Buffer.from(binary).toString('base64')}';`,
    '',
  ].join('\n');
  const tmp = `${OUTPUT}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, OUTPUT);
  console.log(
    `wasm kernels: ${functions} functions, ${binary.length} bytes in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${relative(root, OUTPUT)}`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
