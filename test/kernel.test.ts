/**
 * The kernel generator's test (src/optimizers/kernel/; the format: docs/kernels.md). Each kernel runs
 * as copies generated from it: one function per dtype (so V8 keeps monomorphic type feedback for
 * each) and switch setting (the switches folded away), its element loop unrolled by four. Checked
 * here: the copies exist and are distinct; unrolled, they compute exactly what one element at a time
 * computes; they compute exactly what the kernel as written computes; an exception inside one names
 * the kernel's file and line; an outside optimizer's kernel goes through the same checker and
 * generator at definition time.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineOptimizer, registry, sgd, type Dtype, type Hyper, type OptimizerEntry, type Vec } from '../src/index.js';
import { commonSpecs, crossCommon, type CommonHyper } from '../src/optimizers/common.js';
import { kernelsOf } from '../src/optimizers/define.js';
import { lr } from '../src/optimizers/hyper.js';
import { UNROLL, variantOf, type Compiled, type Elements } from '../src/optimizers/kernel.js';
import { kernelsInFile } from '../src/optimizers/kernel/check.js';
import { prng, vec } from './helpers.js';
import { copiesComputeAsWritten } from './kernel-harness.js';

/** Stryker's sandbox: the kernels were built with its hooks (test/setup/kernels.ts). */
const HOOKS = process.env.OPTIMLAB_KERNEL_HOOKS?.split(',').filter(Boolean) ?? [];
const INSTRUMENTED = HOOKS.length > 0;

describe('kernel copies', () => {
  for (const e of registry) {
    it(`${e.name}: float32 and float64 kernels are distinct copies; the shared options are switches`, () => {
      // Generated at build time (src/optimizers/generated): one function per dtype and setting.
      const c = kernelsOf(e)!;
      expect(c.switches.slice(0, 3)).toEqual(['$neg', '$decay', '$keep']);
      for (const dtype of ['float64', 'float32'] as const) {
        expect(c[dtype]).toHaveLength(2 ** c.switches.length);
        const copies = Array.from(c[dtype], (_, bits) => variantOf(c, dtype, bits));
        copies.forEach((f, bits) => {
          // Named by kernel, dtype and the switches on, but for those the setting makes irrelevant
          // (the same code: one function), which are at most the setting's own.
          const on = c.switches.filter((_, k) => (bits >> k) & 1).map((s) => s.slice(1));
          const [kernel, dt, ...named] = f.name.split('_');
          expect([kernel, dt]).toEqual([c.name, dtype]);
          expect(on).toEqual(expect.arrayContaining(named));
          expect(f.toString()).toContain(`i$u += ${UNROLL})`);
        });
        // The shared options are always relevant: each setting of them is a function of its own.
        expect(new Set(copies.slice(0, 8)).size).toBe(8);
      }
      // The dtypes never share a function (V8 keeps type feedback per function).
      expect(c.float64.filter((f) => c.float32.includes(f))).toEqual([]);
      expect(c.float64.filter((f) => f !== undefined)).toHaveLength(2 ** c.switches.length);
    });
  }
});

/**
 * The unrolled kernels compute what the loop as written computes, bit for bit: every optimizer is
 * elementwise, so stepping a vector of n elements must give, element by element, exactly what
 * stepping each element alone gives (a vector of one runs only the remainder loop, i.e. the body
 * as written). n = 11 runs two unrolled iterations and a remainder of 3, n = 8 no remainder, n = 3
 * only the remainder. Each optimizer runs at its defaults, with every shared option on, with ε = 0,
 * and with each convention option set away from its default, for 3 steps, in both dtypes.
 */
describe('unrolled kernels: bit-identical to the loop as written', () => {
  function settings(e: OptimizerEntry): { hyper: Partial<Hyper>; conventions: Partial<Hyper> }[] {
    const out: { hyper: Partial<Hyper>; conventions: Partial<Hyper> }[] = [
      { hyper: {}, conventions: {} },
      { hyper: { maximize: true, weightDecay: 0.1, decoupledWeightDecay: 0.01 }, conventions: {} },
    ];
    const eps = e.hyper.eps;
    if (eps?.kind === 'number' && eps.min === 0 && !eps.minOpen) out.push({ hyper: { eps: 0 }, conventions: {} }); // the $guard copies
    for (const [k, spec] of Object.entries(e.conventions)) {
      if (spec.kind === 'boolean') out.push({ hyper: {}, conventions: { [k]: !spec.default } });
      else if (spec.kind === 'choice')
        for (const c of spec.choices) {
          if (c !== spec.default) out.push({ hyper: {}, conventions: { [k]: c } });
        }
      else
        out.push({
          hyper: {},
          conventions: { [k]: spec.sample[1] === spec.default ? spec.sample[0] : spec.sample[1] },
        });
    }
    return out;
  }
  const bits = (x: number) => (Number.isNaN(x) ? 'NaN' : Object.is(x, -0) ? '-0' : String(x));
  for (const e of registry as readonly OptimizerEntry[]) {
    for (const dtype of ['float64', 'float32'] as Dtype[]) {
      it(`${e.name} ${dtype}`, () => {
        for (const s of settings(e)) {
          for (const n of [11, 8, 3]) {
            const rnd = prng(1000 + n);
            const draw = (): number => (rnd() < 0.1 ? 0 : (rnd() * 2 - 1) * 4);
            const opt = e.create(s.hyper, s.conventions);
            const p = vec(dtype, Array.from({ length: n }, draw));
            const singles = Array.from(p, (x) => vec(dtype, [x]));
            const state = opt.init(n, dtype);
            const states = singles.map(() => opt.init(1, dtype));
            for (let t = 0; t < 3; t++) {
              const g = vec(dtype, Array.from({ length: n }, draw));
              opt.step(p, g, state);
              singles.forEach((q, i) => opt.step(q, vec(dtype, [g[i]!]), states[i]!));
            }
            const what = `${e.name} ${dtype} n = ${n} hyper ${JSON.stringify(s.hyper)} conventions ${JSON.stringify(s.conventions)}`;
            expect(Array.from(p, bits), what).toEqual(singles.map((q) => bits(q[0]!)));
            for (const [b, buf] of Object.entries(state.buffers)) {
              expect(Array.from(buf, bits), `${what}: buffer ${b}`).toEqual(
                states.map((st) => bits(st.buffers[b]![0]!)),
              );
            }
          }
        }
      });
    }
  }
});

/**
 * The generator's copies compute what the kernel as written computes (test/kernel-harness.ts): here
 * the copies the build wrote, which the optimizers run.
 */
describe('generated copies: bit-identical to the kernel as written', () => {
  const compiledKernels = new Map<string, Compiled>(registry.map((e) => [kernelsOf(e)!.name, kernelsOf(e)!]));
  for (const c of compiledKernels.values()) {
    it(`${c.name} (${c.file}): every setting, both dtypes`, async () => {
      const source = (await import(`../${c.file.replace(/\.ts$/, '.js')}`))[c.name] as (...a: unknown[]) => void;
      const tree = kernelsInFile(c.file, readFileSync(c.file, 'utf8'), { hooks: HOOKS }).find(
        (t) => t.name === c.name,
      )!;
      copiesComputeAsWritten(c, source, tree);
    });
  }
});

/**
 * Acceptance 1 (issue 14): an exception inside a kernel names the optimizer's file and line. (Not
 * under mutation testing, whose build compiles instrumented copies from text, without source maps:
 * kernel/build.ts.)
 */
describe.skipIf(INSTRUMENTED)('stack traces name the kernel', () => {
  const file = 'src/optimizers/momentum.ts';
  const line =
    readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes('const vi = mom * v[i]!')) + 1;
  // The copy for float64 with every switch off, called without its buffer v: v[i] throws.
  const call =
    'compiled.momentumKernel.float64[0](new Float64Array(5), new Float64Array(5), {}, { a: 1, mom: 1, c: 1, weightDecay: 0, keep: 1 })';

  it('in a test: momentum.ts at the line of the failing read', async () => {
    const compiled = await import('../src/optimizers/generated/momentum.js');
    let stack = '';
    try {
      compiled.momentumKernel.float64[0]!(
        new Float64Array(5),
        new Float64Array(5),
        {},
        { a: 1, mom: 1, c: 1, weightDecay: 0, keep: 1 },
      );
    } catch (e) {
      stack = (e as Error).stack ?? '';
    }
    expect(line).toBeGreaterThan(0);
    expect(stack).toMatch(/TypeError: Cannot read properties of undefined/);
    expect(stack.split('\n')[1]).toMatch(
      new RegExp(`at .*momentumKernel_float64 \\(.*${file.replace(/\./g, '\\.')}:${line}:\\d+\\)`),
    );
  });

  it('in plain Node: the generated function names kernel and dtype; with --enable-source-maps, the file and line', () => {
    const script = `import(${JSON.stringify(resolve('src/optimizers/generated/momentum.js'))}).then((compiled) => { try { ${call}; } catch (e) { console.log(e.stack.split('\\n')[1]); } });`;
    const plain = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(plain.stdout).toMatch(/at .*momentumKernel_float64 \(.*src\/optimizers\/generated\/momentum\.js:\d+:\d+\)/);
    const mapped = spawnSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(mapped.stdout).toMatch(
      new RegExp(`at .*momentumKernel_float64 \\(.*${file.replace(/\./g, '\\.')}:${line}:\\d+\\)`),
    );
  });
});

/**
 * A maintainer's optimizer, defined from another package: its kernel (a function) cannot go through
 * the build, so defineOptimizer checks it with the same checker and compiles each copy with the same
 * generator when a dtype and setting is first stepped.
 */
describe('an outside optimizer: its kernel checked and compiled when it is defined', () => {
  const describeIt = { title: 'Mine', source: 'a test', rule: ['θ ← θ − η g'], cross: crossCommon, traits: sgd.traits };
  function mySgdKernel(i: number, { p, g }: Elements, { lr }: { lr: number }): void {
    p[i]! -= lr * g[i]!;
  }
  // Defined inside the tests (not when the file is collected), so that mutation testing can tell
  // which tests run the checker and the generator.
  const defineMine = (): OptimizerEntry =>
    defineOptimizer<CommonHyper, typeof mySgdKernel>({
      ...describeIt,
      name: 'mysgd',
      hyper: { lr: lr(0.01), ...commonSpecs },
      buffers: [],
      kernel: mySgdKernel,
      scalars(s, h) {
        s.lr = h.lr;
      },
    }) as unknown as OptimizerEntry;

  it('steps bit for bit as the built sgd, with every option, in both dtypes; copies made on first use', () => {
    const mine = defineMine();
    const c = kernelsOf(mine)!;
    expect(c.file).toBe('optimizer:mysgd');
    expect(c.float32[3]).toBeUndefined();
    for (const dtype of ['float64', 'float32'] as Dtype[]) {
      for (const hyper of [
        {},
        { maximize: true },
        { weightDecay: 0.1, decoupledWeightDecay: 0.05 },
        { maximize: true, weightDecay: 0.1, decoupledWeightDecay: 0.05 },
      ]) {
        const rnd = prng(3);
        const draws = (): Vec =>
          vec(
            dtype,
            Array.from({ length: 7 }, () => rnd() * 2 - 1),
          );
        const [a, b] = [mine.create({ lr: 0.3, ...hyper }), sgd.create({ lr: 0.3, ...hyper })];
        const p = draws();
        const q = p.slice();
        const [sa, sb] = [a.init(7, dtype), b.init(7, dtype)];
        for (let t = 0; t < 3; t++) {
          const g = draws();
          a.step(p, g, sa);
          b.step(q, g, sb);
        }
        expect(Array.from(p), `${dtype} ${JSON.stringify(hyper)}`).toEqual(Array.from(q));
      }
    }
    expect(c.float32[7]!.name).toBe('mySgdKernel_float32_neg_decay_keep');
    expect(c.float32[7]).not.toBe(c.float64[7]);
    expect(c.float32[3]).toBeUndefined(); // never stepped: never compiled
  });

  it('a kernel reading a module constant is rejected when the optimizer is defined, naming kernel and identifier', () => {
    const VMAX = 3.4028234663852886e38;
    function clippedKernel(i: number, { p, g }: Elements, { lr }: { lr: number }): void {
      p[i]! -= Math.min(lr * g[i]!, VMAX);
    }
    expect(() =>
      defineOptimizer<CommonHyper, typeof clippedKernel>({
        ...describeIt,
        name: 'clipped',
        hyper: { lr: lr(0.01), ...commonSpecs },
        buffers: [],
        kernel: clippedKernel,
        scalars(s, h) {
          s.lr = h.lr;
        },
      }),
    ).toThrow(
      /^optimizer:clipped:\d+:\d+: kernel clippedKernel: reads 'VMAX', which is neither one of its parameters nor Math/,
    );
  });

  it('an exception inside its kernel names the optimizer, kernel, dtype and setting (sourceURL)', () => {
    function forgotKernel(i: number, { p, m }: Elements<'m'>, { lr }: { lr: number }): void {
      p[i]! -= lr * m[i]!;
    }
    const forgot = defineOptimizer<CommonHyper, typeof forgotKernel>({
      ...describeIt,
      name: 'forgot',
      hyper: { lr: lr(0.01), ...commonSpecs },
      buffers: [],
      kernel: forgotKernel, // no buffer 'm'
      scalars(s, h) {
        s.lr = h.lr;
      },
    });
    const o = forgot.create({ maximize: true });
    let stack = '';
    try {
      o.step(new Float32Array(3), new Float32Array(3), o.init(3, 'float32'));
    } catch (e) {
      stack = (e as Error).stack ?? '';
    }
    expect(stack.split('\n')[1]).toMatch(
      /at .*forgotKernel_float32_neg \(optimlab-kernel:\/\/\/forgot\/forgotKernel_float32_neg\.js:\d+:\d+\)/,
    );
  });
});
