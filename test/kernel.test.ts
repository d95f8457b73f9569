/**
 * The kernel copies (src/optimizers/kernel.ts): each optimizer's float32 path must run a distinct
 * function compiled from the same source, so V8 keeps separate (monomorphic) type feedback per
 * dtype, and each switch setting must be its own copy with the switches fixed as constants.
 * `specialize` falls back to the one generic function when the source is instrumented (coverage,
 * mutation testing) or carries a transform's helpers (__vite_ssr, __name); this test fails if
 * vitest's own transform triggers that fallback. (Checked with vitest 4.1 and its default
 * transform: the kernels' source arrives untouched. Under istanbul-style coverage the fallback is
 * expected and this test would fail: run it without coverage.)
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registry, type Dtype, type Hyper, type OptimizerEntry, type Vec } from '../src/index.js';
import { kernelsOf } from '../src/optimizers/define.js';
import { parameterNames, specialize, UNROLL, unrollLoops, type Compiled, type KernelPair } from '../src/optimizers/kernel.js';
import { kernelsInFile } from '../src/optimizers/kernel/check.js';
import { visitStmts } from '../src/optimizers/kernel/tree.js';
import { prng, vec } from './helpers.js';

describe('kernel copies', () => {
  for (const e of registry) {
    it(`${e.name}: float32 and float64 kernels are distinct copies; the shared options are switches`, () => {
      const k = kernelsOf(e);
      expect(k, 'defineOptimizer did not record the kernels').toBeDefined();
      if (k !== undefined && 'float64' in k && Array.isArray(k.float64)) {
        // Generated at build time (src/optimizers/generated): one function per dtype and setting.
        const c = k as Compiled;
        expect(c.switches.slice(0, 3)).toEqual(['$neg', '$decay', '$keep']);
        expect(c.float64).toHaveLength(2 ** c.switches.length);
        expect(c.float32).toHaveLength(2 ** c.switches.length);
        expect(new Set([...c.float64, ...c.float32]).size).toBe(2 ** (c.switches.length + 1));
        expect(c.float64[0]!.name).toBe(`${c.name}_float64`);
        expect(c.float32[1]!.name).toBe(`${c.name}_float32_neg`);
        expect(c.float64[0]!.toString()).toContain(`i$u += ${UNROLL})`);
        return;
      }
      const v = k as KernelPair<(...args: never[]) => void>;
      const f64 = v.float64.pick();
      const f32 = v.float32.pick();
      expect(f32, `fell back to one shared kernel; its source as vitest delivered it:\n${f64.toString()}`).not.toBe(f64);
      expect(f32.toString()).toBe(f64.toString());
      // Every kernel takes the shared options as switches, in this order (common.ts's pick).
      expect(v.float64.switches.slice(0, 3)).toEqual(['$neg', '$decay', '$keep']);
      // The default variant has the switches pinned at the top of its body.
      expect(f64.toString()).toMatch(/\{\s*\$neg = false; \$decay = false; \$keep = false;/);
      // The element loop runs unrolled (kernel.ts, unrollLoops).
      expect(f64.toString()).toContain(`i$u += ${UNROLL})`);
      // Variants are cached: the same setting gives the same function; another gives another.
      expect(v.float64.pick()).toBe(f64);
      expect(v.float64.pick(true)).not.toBe(f64);
    });
  }

  it('a pinned switch selects its branch; the generic kernel and the copies compute the same', () => {
    function kernel(p: Float64Array, n: number, c: number, $double: boolean): void {
      for (let i = 0; i < n; i++) p[i] = $double ? 2 * p[i]! + c : p[i]! + c;
    }
    const v = specialize(kernel);
    expect(v.float64.switches).toEqual(['$double']);
    for (const on of [false, true]) {
      const a = Float64Array.of(1, 2, 3);
      const b = Float64Array.of(1, 2, 3);
      // The copy ignores the switch argument: its value is fixed in its body.
      (v.float64.pick(on) as typeof kernel)(a, 3, 0.5, !on);
      kernel(b, 3, 0.5, on);
      expect(Array.from(a)).toEqual(Array.from(b));
    }
  });

  it('an instrumented kernel falls back to itself for every dtype and setting', () => {
    // the instrumentation markers kernel.ts looks for
    const instrumented = new Function('p', 'n', '$x', 'cov_1a2b3c().s[0]++; for (let i = 0; i < n; i++) p[i] = 0;') as (p: Float64Array, n: number, $x: boolean) => void;
    const b = specialize(instrumented);
    expect(b.float32.pick(true)).toBe(instrumented);
    expect(b.float64.pick(false)).toBe(instrumented);
  });

  it('reads parameter names from compiled sources', () => {
    expect(parameterNames('function k(p, g,\n  n, $a, $b) {\n}')).toEqual(['p', 'g', 'n', '$a', '$b']);
  });

  it('unrollLoops: four elements per iteration, then the rest; minified headers too', () => {
    const plain = 'function k(p, n) { for (let i = 0; i < n; i++) { p[i] = p[i] + 1; } }';
    const u = unrollLoops(plain);
    expect(u).toContain('for (; i$u <= n - 4; i$u += 4)');
    expect(u.match(/const i = i\$u/g)).toHaveLength(4);
    expect(u).toContain('for (let i = i$u; i < n; i++)');
    // A minifier's spacing and names (kernels may be bundled).
    expect(unrollLoops('function k(e,t){for(let r=0;r<t;r++){e[r]=e[r]+1}}')).toContain('for (; r$u <= t - 4; r$u += 4)');
    // Two loops in one kernel: both unrolled, each in a block of its own (no clash of r$u).
    const two = unrollLoops('function k(p, n) { for (let i = 0; i < n; i++) { p[i] += 1; } for (let i = 0; i < n; i++) { p[i] *= 2; } }');
    expect(two.match(/i\$u \+= 4/g)).toHaveLength(2);
    const f = new Function(`return (${two});`)() as (p: Float64Array, n: number) => void;
    const p = Float64Array.from({ length: 7 }, (_, i) => i);
    f(p, 7);
    expect(Array.from(p)).toEqual([2, 4, 6, 8, 10, 12, 14]);
  });

  it('unrollLoops leaves alone a loop that may leave an element early or moves i, and skips braces in comments and strings', () => {
    for (const src of [
      'function k(p, n) { for (let i = 0; i < n; i++) { if (p[i] < 0) continue; p[i] = 1; } }',
      'function k(p, n) { for (let i = 0; i < n; i++) { if (p[i] < 0) break; p[i] = 1; } }',
      'function k(p, n) { for (let i = 0; i < n; i++) { if (p[i] < 0) return; p[i] = 1; } }',
      'function k(p, n) { for (let i = 0; i < n; i++) { p[i] = 1; i += 1; } }',
      'function k(p, n) { for (let i = 0; i < n; i++) { p[i++] = 1; } }',
      'function k(p, n) { for (let j = 0; j < n; j += 2) { p[j] = 1; } }',
    ]) expect(unrollLoops(src)).toBe(src);
    // `pi = …` and `i === …` are not assignments to i.
    expect(unrollLoops('function k(p, n) { for (let i = 0; i < n; i++) { let pi = p[i]; pi = pi + (i === 0 ? 1 : 0); p[i] = pi; } }')).toContain('i$u += 4');
    const tricky = "function k(p, n) { for (let i = 0; i < n; i++) { // a } in a comment\n const s = '}'; /* { */ p[i] = p[i] + s.length; } }";
    const f = new Function(`return (${unrollLoops(tricky)});`)() as (p: Float64Array, n: number) => void;
    for (let n = 0; n <= 9; n++) {
      const p = new Float64Array(n + 1).fill(5);
      f(p, n);
      expect(Array.from(p)).toEqual([...new Array<number>(n).fill(6), 5]);
    }
  });
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
      else if (spec.kind === 'choice') for (const c of spec.choices) { if (c !== spec.default) out.push({ hyper: {}, conventions: { [k]: c } }); }
      else out.push({ hyper: {}, conventions: { [k]: spec.sample[1] === spec.default ? spec.sample[0] : spec.sample[1] } });
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
              expect(Array.from(buf, bits), `${what}: buffer ${b}`).toEqual(states.map((st) => bits(st.buffers[b]![0]!)));
            }
          }
        }
      });
    }
  }
});

/**
 * The generator's copies compute what the kernel as written computes: each kernel function, called
 * as plain JavaScript element by element (with the shared preamble and epilogue applied around it
 * by hand, in double precision as the copies do), against its generated copy, for every switch
 * setting and both dtypes, bit for bit.
 */
describe('generated copies: bit-identical to the kernel as written', () => {
  const bits = (x: number): string => (Number.isNaN(x) ? 'NaN' : Object.is(x, -0) ? '-0' : String(x));
  const compiledKernels = new Map<string, Compiled>();
  for (const e of registry) {
    const k = kernelsOf(e);
    if (k !== undefined && Array.isArray((k as Compiled).float64)) compiledKernels.set((k as Compiled).name, k as Compiled);
  }
  for (const c of compiledKernels.values()) {
    it(`${c.name} (${c.file}): every setting, both dtypes`, async () => {
      const source = (await import(`../${c.file.replace(/\.ts$/, '.js')}`))[c.name] as (...a: unknown[]) => void;
      const tree = kernelsInFile(c.file, readFileSync(c.file, 'utf8')).find((t) => t.name === c.name)!;
      let readsP = false;
      visitStmts(tree.body, (x) => { if (x.kind === 'load' && x.array === 'p') readsP = true; });
      expect(readsP, 'this harness sets p[i] to κθ before calling the kernel: extend it for kernels that read p[i]').toBe(false);
      for (const dtype of ['float64', 'float32'] as Dtype[]) {
        for (let setting = 0; setting < 2 ** c.switches.length; setting++) {
          const rnd = prng(7 + setting);
          const n = 9;
          const on = (s: string): boolean => ((setting >> c.switches.indexOf(s)) & 1) === 1;
          const scalars: Record<string, number> = { weightDecay: 0.25, keep: 0.875 };
          for (const s of c.scalars) scalars[s] = 0.1 + rnd() * 1.4;
          const draw = (): number => (rnd() < 0.1 ? 0 : (rnd() * 2 - 1) * 3);
          const draws = (f: () => number): Vec => vec(dtype, Array.from({ length: n }, f));
          const buffers = Object.fromEntries(c.arrays.filter((a) => a !== 'p' && a !== 'g').map((a) => [a, draws(() => Math.abs(draw()))]));
          const p = draws(draw);
          const g = draws(draw);
          const mine = { p: p.slice(), buffers: Object.fromEntries(Object.entries(buffers).map(([k, v]) => [k, v.slice()])) };
          c[dtype][setting]!(p, g, buffers, scalars);
          // The kernel as written: g[i] is g̃, p[i] starts at κθ and accumulates in double precision.
          const own = Object.fromEntries(c.switches.slice(3).map((s) => [s, on(s)]));
          const pd = new Float64Array(n);
          const gd = new Float64Array(n);
          for (let i = 0; i < n; i++) {
            const theta = mine.p[i]!;
            const gr = on('$neg') ? -g[i]! : g[i]!;
            gd[i] = on('$decay') ? gr + scalars.weightDecay! * theta : gr;
            pd[i] = on('$keep') ? scalars.keep! * theta : theta;
            source(i, { p: pd, g: gd, ...mine.buffers }, scalars, own, { max: dtype === 'float64' ? 1.7976931348623157e308 : 3.4028234663852886e38 });
            mine.p[i] = pd[i]!;
          }
          const what = `${c.name} ${dtype} setting ${c.switches.filter(on).join(' ') || '(none)'}`;
          expect(Array.from(p, bits), what).toEqual(Array.from(mine.p, bits));
          for (const [b, v] of Object.entries(buffers)) expect(Array.from(v, bits), `${what}: ${b}`).toEqual(Array.from(mine.buffers[b]!, bits));
        }
      }
    });
  }
});

/** Acceptance 1 (issue 14): an exception inside a kernel names the optimizer's file and line. */
describe('stack traces name the kernel', () => {
  const file = 'src/optimizers/momentum.ts';
  const line = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes('const vi = mom * v[i]!')) + 1;
  // The copy for float64 with every switch off, called without its buffer v: v[i] throws.
  const call = 'compiled.momentumKernel.float64[0](new Float64Array(5), new Float64Array(5), {}, { a: 1, mom: 1, c: 1, weightDecay: 0, keep: 1 })';

  it('in a test: momentum.ts at the line of the failing read', async () => {
    const compiled = await import('../src/optimizers/generated/momentum.js');
    let stack = '';
    try {
      compiled.momentumKernel.float64[0]!(new Float64Array(5), new Float64Array(5), {}, { a: 1, mom: 1, c: 1, weightDecay: 0, keep: 1 });
    } catch (e) {
      stack = (e as Error).stack ?? '';
    }
    expect(line).toBeGreaterThan(0);
    expect(stack).toMatch(/TypeError: Cannot read properties of undefined/);
    expect(stack.split('\n')[1]).toMatch(new RegExp(`at .*momentumKernel_float64 \\(.*${file.replace(/\./g, '\\.')}:${line}:\\d+\\)`));
  });

  it('in plain Node: the generated function names kernel and dtype; with --enable-source-maps, the file and line', () => {
    const script = `import(${JSON.stringify(resolve('src/optimizers/generated/momentum.js'))}).then((compiled) => { try { ${call}; } catch (e) { console.log(e.stack.split('\\n')[1]); } });`;
    const plain = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(plain.stdout).toMatch(/at .*momentumKernel_float64 \(.*src\/optimizers\/generated\/momentum\.js:\d+:\d+\)/);
    const mapped = spawnSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(mapped.stdout).toMatch(new RegExp(`at .*momentumKernel_float64 \\(.*${file.replace(/\./g, '\\.')}:${line}:\\d+\\)`));
  });
});
