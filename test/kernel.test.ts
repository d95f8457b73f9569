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
import { describe, expect, it } from 'vitest';
import { registry, type Dtype, type Hyper, type OptimizerEntry } from '../src/index.js';
import { kernelsOf } from '../src/optimizers/define.js';
import { parameterNames, specialize, UNROLL, unrollLoops } from '../src/optimizers/kernel.js';
import { prng, vec } from './helpers.js';

describe('kernel copies', () => {
  for (const e of registry) {
    it(`${e.name}: float32 and float64 kernels are distinct copies; the shared options are switches`, () => {
      const k = kernelsOf(e);
      expect(k, 'defineOptimizer did not record the kernels').toBeDefined();
      const f64 = k!.float64.pick();
      const f32 = k!.float32.pick();
      expect(f32, `fell back to one shared kernel; its source as vitest delivered it:\n${f64.toString()}`).not.toBe(f64);
      expect(f32.toString()).toBe(f64.toString());
      // Every kernel takes the shared options as switches, in this order (common.ts's pick).
      expect(k!.float64.switches.slice(0, 3)).toEqual(['$neg', '$decay', '$keep']);
      // The default variant has the switches pinned at the top of its body.
      expect(f64.toString()).toMatch(/\{\s*\$neg = false; \$decay = false; \$keep = false;/);
      // The element loop runs unrolled (kernel.ts, unrollLoops).
      expect(f64.toString()).toContain(`i$u += ${UNROLL})`);
      // Variants are cached: the same setting gives the same function; another gives another.
      expect(k!.float64.pick()).toBe(f64);
      expect(k!.float64.pick(true)).not.toBe(f64);
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
