/**
 * The wasm engine (src/engine): its build, its memory, dispatch in step, and the bit identity of
 * every generated kernel with the JS kernel it comes from. The fast-check form of the last is law
 * W1 (properties/laws/engine.ts); here every kernel variant is compared exhaustively on fixed
 * seeded inputs full of special values.
 */
import { describe, expect, it } from 'vitest';
import {
  cloneState,
  createOptimizer,
  defineStepOptimizer,
  registry,
  restoreState,
  serializeState,
  wasmEngine,
  type Dtype,
  type Hyper,
  type HyperValue,
  type OptimizerEntry,
  type Vec,
} from '../src/index.js';
import { inputHash } from '../src/engine/build.js';
import { Heap } from '../src/engine/heap.js';
import { emitStep, EmitError, newModule } from '../src/engine/emit.js';
import type { Step } from '../src/optimizers/kernel/tree.js';
import { LANES, SOURCE_HASH } from '../src/engine/kernels.generated.js';
import { engineOf, sameMemory } from '../src/engine/wasm.js';
import { defineOptimizer, kernelsOf } from '../src/optimizers/define.js';
import type { Compiled, Elements } from '../src/optimizers/kernel.js';
import { prng } from './helpers.js';

const engine = await wasmEngine();

/** Values that exercise every IEEE corner the kernels meet: ±0, subnormals, overflow, ±∞, NaN. */
const SPECIAL: Record<Dtype, number[]> = {
  float64: [0, -0, 5e-324, -2.2e-308, 1e-300, 1e300, -1.7976931348623157e308, Infinity, -Infinity, NaN, 1, -1],
  float32: [0, -0, 1.4e-45, -1.1e-38, 1e-30, 1e30, -3.4028234663852886e38, Infinity, -Infinity, NaN, 1, -1],
};

function drawer(seed: number, dtype: Dtype): () => number {
  const rnd = prng(seed);
  const special = SPECIAL[dtype];
  return () =>
    rnd() < 0.15 ? special[Math.floor(rnd() * special.length)]! : (rnd() * 2 - 1) * 10 ** Math.floor(rnd() * 10 - 5);
}

/** Runs `f`, recording every wasm kernel variant step asks the engine for (the answers unchanged). */
function wasmCalls(f: () => void): string[] {
  const calls: string[] = [];
  const original = engine.step.bind(engine);
  Object.defineProperty(engine, 'step', {
    configurable: true,
    value: (k: { name: string; file: string }, d: Dtype, b: number) => {
      const v = original(k, d, b);
      calls.push(v ? `${k.name}.${d}.${b}` : `missing ${k.name}.${d}.${b}`);
      return v;
    },
  });
  try {
    f();
  } finally {
    delete (engine as unknown as Record<string, unknown>).step;
  }
  return calls;
}

/** Index of the first element whose bits differ (a NaN matches any NaN; see docs/wasm.md), or −1. */
function firstDifference(a: Vec, b: Vec): number {
  for (let i = 0; i < a.length; i++) {
    if (Object.is(a[i], b[i])) continue; // NaN is NaN; +0 and −0 differ
    return i;
  }
  return -1;
}

describe('build', () => {
  it('the wasm was built from the current kernel sources (else: npm run build)', () => {
    expect(SOURCE_HASH, 'src/engine/kernels.generated.ts is stale: run `npm run build`').toBe(inputHash());
  });

  it('the emitter names the kernel, file, dtype and setting of a tree it cannot translate', () => {
    const step: Step = {
      kernel: 'demoKernel',
      file: 'src/optimizers/demo.ts',
      dtype: 'float32',
      bits: 5,
      setting: {},
      arrays: ['p'],
      scalars: [],
      base: { kind: 'local', name: 'p$' },
      hooks: ['h'],
      body: [
        { kind: 'const', name: 'p$', value: { kind: 'load', array: 'p' } },
        { kind: 'expr', expr: { kind: 'hook', name: 'h', args: [] } },
      ],
    };
    const mod = newModule();
    try {
      expect(() => emitStep(mod, step)).toThrow(EmitError);
      expect(() => emitStep(mod, step)).toThrow(
        /demoKernel \(src\/optimizers\/demo\.ts\) float32 setting 5: the wasm backend cannot translate a statement of kind 'expr'/,
      );
    } finally {
      mod.dispose();
    }
  });
});

describe('memory', () => {
  it('heap: first fit, alignment, merging on free, growth on demand', () => {
    let end = 8192;
    const h = new Heap(end, (min) => (end += Math.max(min, 8192)));
    const a = h.alloc(10);
    const b = h.alloc(100);
    expect([a, b]).toEqual([0, 64]);
    const big = h.alloc(5000); // a page or more: page-aligned
    expect(big % 4096).toBe(0);
    h.dealloc(a);
    h.dealloc(b);
    expect(h.alloc(128)).toBe(0); // a and b merged back into one range
    const huge = h.alloc(20000); // does not fit: grows
    expect(huge % 4096).toBe(0);
    expect(h.stats().memoryBytes).toBeGreaterThanOrEqual(huge + 20000);
    expect(() => h.dealloc(12345)).toThrow(/no live block starts at byte 12345/);
  });

  it('alloc gives zeroed views of the memory; views survive growth; free checks what it is given', () => {
    const e = engine;
    const v = e.alloc(5, 'float32');
    expect(v).toBeInstanceOf(Float32Array);
    expect(Array.from(v)).toEqual([0, 0, 0, 0, 0]);
    v.set([1, 2, 3, 4, 5]);
    const before = e.stats().memoryBytes;
    const large = e.alloc(before / 4, 'float64'); // twice the memory: it grows
    expect(e.stats().memoryBytes).toBeGreaterThan(before);
    expect(Array.from(v)).toEqual([1, 2, 3, 4, 5]); // not detached: the memory is shared
    expect(e.owns(v) && e.owns(large)).toBe(true);
    expect(v.buffer).not.toBe(large.buffer); // one SharedArrayBuffer object per growth…
    expect(sameMemory(v.buffer, large.buffer)).toBe(true); // …over the same bytes
    expect(engineOf(large)).toBe(e);
    expect(e.owns(new Float32Array(5))).toBe(false);
    expect(() => e.free(v.subarray(1))).toThrow(/no allocation starts at byte/);
    e.free(v);
    expect(() => e.free(v)).toThrow(/freed already/);
    expect(() => e.free(new Float64Array(3))).toThrow(/not in this engine's memory/);
    e.free(large);
    expect(() => e.alloc(-1)).toThrow(/engine\.alloc: n = -1; allowed: an integer ≥ 0/);
    expect(() => e.alloc(3, 'int8' as Dtype)).toThrow(/dtype = "int8"/);
    expect(e.alloc(0, 'float64').length).toBe(0);
  });

  it("a growth of another shared memory renews this memory's buffer object (V8): views before and after are still this engine's", async () => {
    const other = await wasmEngine({ initialBytes: 65536 });
    const before = engine.alloc(3);
    const b0 = engine.memory.buffer;
    other.alloc(4 * 65536); // grows the other engine's memory
    expect(engine.memory.buffer).not.toBe(b0); // what V8 does: the reason for the test
    const mine = new Float64Array(engine.memory.buffer as SharedArrayBuffer, before.byteOffset, 3); // a view the user made
    const after = engine.alloc(3);
    expect([engine.owns(before), engine.owns(mine), engine.owns(after), other.owns(after)]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    const opt = createOptimizer('sgd', { lr: 0.5 }, { engine });
    const s = opt.init(3, 'float64');
    expect(() => opt.step(before, mine, s)).toThrow(/grad shares memory with params/);
    before.set([1, 2, 3]);
    after.set([2, 2, 2]);
    expect(wasmCalls(() => opt.step(before, after, s))).toEqual(['sgdKernel.float64.0']);
    expect(Array.from(before)).toEqual([0, 1, 2]);
    engine.free(before);
    engine.free(after);
  });

  it('wasmEngine rejects memory sizes it cannot have', async () => {
    await expect(wasmEngine({ maximumBytes: -1 })).rejects.toThrow(/maximumBytes = -1/);
    await expect(wasmEngine({ initialBytes: 2 ** 21, maximumBytes: 2 ** 20 })).rejects.toThrow(/exceeds maximumBytes/);
    const small = await wasmEngine({ initialBytes: 65536, maximumBytes: 2 * 65536 });
    expect(() => small.alloc((65536 / 8) * 3)).toThrow(/holds at most 131072/);
    small.alloc(65536 / 8);
    expect(() => small.alloc(65536 / 8 + 1)).toThrow(/out of memory/);
  });
});

describe('dispatch', () => {
  it('step runs the wasm kernel exactly when every array is in the engine, and gives the JS bits', () => {
    const calls = wasmCalls(() => {
      const opt = createOptimizer('adam', { lr: 0.1 }, { engine });
      const js = createOptimizer('adam', { lr: 0.1 });
      const s = opt.init(6, 'float32');
      expect(engine.owns(s.buffers.m) && engine.owns(s.buffers.v)).toBe(true);
      expect(opt.engine).toBe(engine);
      const p = engine.from(Float32Array.of(1, -2, 3, 0, 5e-40, -7));
      const g = engine.from(Float32Array.of(0.5, 0.25, -1, 0, 1e-30, 3));
      const pj = p.slice();
      const sj = js.init(6, 'float32');
      opt.step(p, g, s);
      js.step(pj, g.slice(), sj);
      expect(firstDifference(p, pj)).toBe(-1);
      // grad outside the engine: the JS kernel runs, on the same arrays, with the same bits.
      opt.step(p, g.slice(), s);
      js.step(pj, g.slice(), sj);
      expect(firstDifference(p, pj)).toBe(-1);
    });
    expect(calls).toEqual(['adamFamilyKernel.float32.0']);
  });

  it("overlap is found across the memory's growths, and a rejected step changes nothing", () => {
    const e = engine;
    const opt = createOptimizer('momentum', {}, { engine: e });
    const p = e.alloc(4);
    const s = opt.init(4, 'float64');
    e.alloc(e.stats().memoryBytes / 8); // grow: later views use another SharedArrayBuffer object
    const alias = new Float64Array(e.memory.buffer as SharedArrayBuffer, p.byteOffset, 4);
    expect(alias.buffer).not.toBe(p.buffer);
    p.set([1, 2, 3, 4]);
    expect(() => opt.step(p, alias, s)).toThrow(/grad shares memory with params/);
    const bad = { ...s, buffers: { v: alias } };
    expect(() => opt.step(p, e.from(Float64Array.of(1, 1, 1, 1)), bad)).toThrow(
      /state buffer 'v' shares memory with params/,
    );
    expect(Array.from(p)).toEqual([1, 2, 3, 4]);
    expect(s.t).toBe(0);
  });

  it('staging: plain arrays, the wasm kernel on copies, bit-exact copies back, nothing left allocated', () => {
    const staged = registry[6].create({}, {}, { engine, stage: true }); // adam
    const js = registry[6].create({}, {});
    const s = staged.init(7, 'float64');
    expect(engine.owns(s.buffers.m)).toBe(false);
    const p = Float64Array.of(1, -2, 0, -0, 5e-324, 1e300, 3);
    const pj = p.slice();
    const sj = js.init(7, 'float64');
    const before = engine.stats();
    const calls = wasmCalls(() => {
      for (let t = 0; t < 3; t++) {
        const g = Float64Array.of(0.5, NaN, -0, 1e-310, Infinity, -1, 2 ** -30 * t);
        staged.step(p, g, s);
        js.step(pj, g.slice(), sj);
      }
    });
    expect(calls).toEqual(['adamFamilyKernel.float64.0', 'adamFamilyKernel.float64.0', 'adamFamilyKernel.float64.0']);
    expect(firstDifference(p, pj)).toBe(-1);
    expect(firstDifference(s.buffers.v!, sj.buffers.v!)).toBe(-1);
    expect(engine.stats().bytesInUse).toBe(before.bytesInUse);
    // A rejected step is rejected before anything is copied.
    expect(() => staged.step(p, p.subarray(0), s)).toThrow(/grad shares memory with params/);
    expect(() => registry[0].create({}, {}, { stage: true } as never)).toThrow(
      /stage = true; allowed: true or false, and true only with an engine/,
    );
  });

  it('an outside kernel named like a built-in one runs its own JS copy on the engine, never the built-in wasm', () => {
    // The same name as sgd's kernel, another formula (θ − 2ηg): the engine must not serve it.
    function sgdKernel(i: number, { p, g }: Elements, { lr }: { lr: number }): void {
      p[i]! -= 2 * lr * g[i]!;
    }
    const twice = defineOptimizer<
      { lr: number; weightDecay: number; decoupledWeightDecay: number; maximize: boolean },
      typeof sgdKernel
    >({
      name: 'twice',
      title: 'Twice',
      source: 'a test',
      rule: ['θ ← θ − 2η g'],
      hyper: { ...registry[0].hyper } as never,
      buffers: [],
      traits: {
        elementwise: true,
        gradScaleInvariantWhenEpsZero: false,
        monotoneBuffers: [],
        biasCorrected: false,
        displacementBound: () => 0,
      },
      kernel: sgdKernel,
      scalars(s, h) {
        s.lr = h.lr;
      },
    });
    expect(engine.serves(kernelsOf(twice)!)).toBe(false);
    expect(engine.serves(kernelsOf(registry[0])!)).toBe(true);
    const opt = twice.create({ lr: 0.5 }, {}, { engine });
    const p = engine.from(Float64Array.of(1, 2, 3, 4, 5));
    const s = opt.init(5, 'float64');
    const calls = wasmCalls(() => opt.step(p, engine.from(Float64Array.of(1, 1, 1, 1, 1)), s));
    expect(calls).toEqual(['missing sgdKernel.float64.0']);
    expect(Array.from(p)).toEqual([0, 1, 2, 3, 4]);
  });

  it('a frozen or read-only state is refused on the wasm path too, with nothing changed (D1: t advances before the kernel)', () => {
    const opt = createOptimizer('adam', {}, { engine });
    const p = engine.from(Float64Array.of(1, 2, 3));
    const g = engine.from(Float64Array.of(0.5, -0.5, 1));
    const s = opt.init(3, 'float64');
    const frozen = Object.freeze({ ...s });
    expect(() => opt.step(p, g, frozen)).toThrow(/state\.t cannot be written/);
    const fixed = { ...s };
    Object.defineProperty(fixed, 't', { value: 0, writable: false, enumerable: true });
    const calls = wasmCalls(() => expect(() => opt.step(p, g, fixed)).toThrow(/state\.t cannot be written/));
    expect(calls).toEqual([]); // refused before the engine was asked for a kernel
    expect(Array.from(p)).toEqual([1, 2, 3]);
    expect(Array.from(s.buffers.m!)).toEqual([0, 0, 0]);
    opt.step(p, g, s);
    expect(s.t).toBe(1);
  });

  it('init with an engine that cannot hold the buffers gives back what it took, and says so', async () => {
    const small = await wasmEngine({ initialBytes: 65536, maximumBytes: 4 * 65536 });
    const opt = createOptimizer('amsgrad', {}, { engine: small }); // 3 buffers: two fit, the third does not
    const n = 12_000; // 96,000 bytes a buffer, 262,144 at most
    expect(() => opt.init(n, 'float64')).toThrow(
      /amsgrad\.init: cannot allocate 3 state buffer\(s\) of 12000 float64 values .*out of memory/,
    );
    expect(small.stats().bytesInUse).toBe(0);
  });

  it("an optimizer made with defineStepOptimizer refuses an engine (its step is the user's function)", () => {
    const plain = defineStepOptimizer({
      name: 'plain',
      hyper: { lr: { default: 0.1, min: 0, max: 1 } } as never,
      buffers: [],
      traits: registry[0].traits,
      create: (h: Hyper) => (p: Vec, g: Vec) => {
        for (let i = 0; i < p.length; i++) p[i]! -= (h.lr as number) * g[i]!;
      },
    } as never);
    expect(() => plain.create({}, {}, { engine })).toThrow(
      /plain: an engine was given; an optimizer made with defineStepOptimizer has no wasm kernels/,
    );
  });

  it('createOptimizer checks the engine option', () => {
    expect(() => createOptimizer('sgd', {}, { engine: {} as never })).toThrow(
      /engine must come from `await wasmEngine\(\)`/,
    );
    expect(() => registry[0].create({}, {}, { engine, other: 1 } as never)).toThrow(/unknown placement option 'other'/);
  });

  it('serializeState, restoreState and cloneState keep an engine state in the engine, bit for bit', () => {
    const opt = createOptimizer('amsgrad', {}, { engine, conventions: { form: 'rawMax' } });
    const s = opt.init(5, 'float64');
    const p = engine.from(Float64Array.of(1, 2, 3, 4, 5));
    const g = engine.from(Float64Array.of(-1, 0.5, 0, 2, -3));
    opt.step(p, g, s);
    const r = restoreState(JSON.stringify(serializeState(s, opt)), opt);
    const c = cloneState(s);
    for (const k of ['m', 'v', 'vhat']) {
      expect(engine.owns(r.buffers[k]) && engine.owns(c.buffers[k])).toBe(true);
      expect(firstDifference(r.buffers[k]!, s.buffers[k]!)).toBe(-1);
      expect(firstDifference(c.buffers[k]!, s.buffers[k]!)).toBe(-1);
    }
    expect(restoreState(serializeState(s)).buffers.m).not.toSatisfy((v: Vec) => engine.owns(v));
    engine.freeState(c);
    expect(() => engine.freeState(c)).toThrow(/freed already/);
  });
});

/** Every setting of every convention and of the options behind the shared switches. */
function settings(e: OptimizerEntry): { hyper: Hyper; conventions: Hyper }[] {
  const conv: Hyper[] = [{}];
  for (const [k, spec] of Object.entries(e.conventions)) {
    const values =
      spec.kind === 'choice' ? spec.choices : spec.kind === 'boolean' ? [false, true] : [spec.default, spec.sample[1]];
    for (const c of [...conv])
      for (const v of values as HyperValue[]) if (v !== (c[k] ?? spec.default)) conv.push({ ...c, [k]: v });
  }
  const hyper: Hyper[] = [
    {},
    { maximize: true },
    { weightDecay: 0.1 },
    { decoupledWeightDecay: 0.01 },
    { maximize: true, weightDecay: 0.1, decoupledWeightDecay: 0.01 },
  ];
  if (e.hyper.eps?.kind === 'number' && !e.hyper.eps.minOpen)
    hyper.push({ eps: 0 }, { eps: 0, maximize: true, weightDecay: 0.1 });
  for (const d of ['beta2', 'rho'])
    if (e.hyper[d]) hyper.push({ [d]: 0, eps: 1e-3 }, { [d]: 0, eps: 1e-3, decoupledWeightDecay: 0.01 });
  const out = [];
  for (const c of conv)
    for (const h of hyper) {
      try {
        e.create(h, c);
        out.push({ hyper: h, conventions: c });
      } catch {
        /* a combination the optimizer rejects */
      }
    }
  return out;
}

/**
 * Element counts: every remainder of the vector loops (LANES = 8 elements per iteration, or 4) with
 * no vector iteration before it, one and two iterations with a remainder, and a long run.
 */
const SIZES = [...Array.from({ length: LANES + 2 }, (_, n) => n), 2 * LANES - 1, 2 * LANES + 1, 103];

describe('wasm kernels = JS kernels, bit for bit (a NaN matches any NaN)', () => {
  for (const entry of registry as readonly OptimizerEntry[]) {
    it(`${entry.name}: every copy of its kernel (switch setting, dtype), special values, n = ${SIZES.join(', ')}; every convention through step`, () => {
      // The kernel itself, every switch setting (reachable by options or not).
      // Every copy of the kernel, (p, g, buffers, scalars), in both engines.
      const c = kernelsOf(entry) as Compiled;
      let compared = 0;
      for (const dtype of ['float64', 'float32'] as Dtype[]) {
        c[dtype].forEach((js, bits) => {
          const wasm = engine.step(c, dtype, bits);
          expect(wasm, `no wasm copy of ${c.name} ${dtype} ${bits}`).toBeDefined();
          for (const n of SIZES) {
            const draw = drawer(bits * 1000 + n, dtype);
            const fill = (v: Vec): Vec => {
              for (let i = 0; i < n; i++) v[i] = draw();
              return v;
            };
            const s: Record<string, number> = { weightDecay: draw(), keep: draw() };
            for (const x of c.scalars) s[x] = draw();
            const pw = fill(engine.alloc(n, dtype));
            const gw = fill(engine.alloc(n, dtype));
            const bw: Record<string, Vec> = {};
            for (const a of c.arrays.slice(2)) bw[a] = fill(engine.alloc(n, dtype));
            const pj = pw.slice();
            const bj = Object.fromEntries(Object.entries(bw).map(([a, v]) => [a, v.slice()]));
            js(pj, gw.slice(), bj, s);
            wasm!(pw, gw, bw, s);
            for (const [a, x, y] of [['p', pj, pw], ...Object.keys(bw).map((a) => [a, bj[a]!, bw[a]!])] as [
              string,
              Vec,
              Vec,
            ][]) {
              const i = firstDifference(x, y);
              expect(i, `${c.name} ${dtype} setting ${bits} n = ${n}: ${a}[${i}]: JS ${x[i]}, wasm ${y[i]}`).toBe(-1);
              compared += n;
            }
            for (const v of [pw, gw, ...Object.values(bw)]) engine.free(v);
          }
        });
      }
      expect(compared).toBeGreaterThan(0);

      // Through step: every convention setting (other kernels too: Adadelta's 'previous', RMSprop's
      // centred/momentum kernel) with the shared options, 4 steps of special values.
      for (const s of settings(entry)) {
        for (const dtype of ['float64', 'float32'] as Dtype[]) {
          const draw = drawer(7, dtype);
          const oj = entry.create(s.hyper as never, s.conventions as never);
          const ow = entry.create(s.hyper as never, s.conventions as never, { engine });
          const n = 11;
          const pw = engine.alloc(n, dtype);
          for (let i = 0; i < n; i++) pw[i] = draw();
          const pj = pw.slice();
          const sj = oj.init(n, dtype);
          const sw = ow.init(n, dtype);
          const gw = engine.alloc(n, dtype);
          const what = `${entry.name} ${dtype} ${JSON.stringify(s)}`;
          const calls = wasmCalls(() => {
            for (let t = 0; t < 4; t++) {
              for (let i = 0; i < n; i++) gw[i] = draw();
              oj.step(pj, gw.slice(), sj);
              ow.step(pw, gw, sw);
            }
          });
          expect(
            calls.filter((c) => c.startsWith('missing')),
            what,
          ).toEqual([]);
          expect(calls, what).toHaveLength(4);
          expect(firstDifference(pj, pw), `${what}: params`).toBe(-1);
          for (const b of Object.keys(sj.buffers))
            expect(firstDifference(sj.buffers[b]!, sw.buffers[b]!), `${what}: ${b}`).toBe(-1);
          engine.free(pw);
          engine.free(gw);
          engine.freeState(sw);
        }
      }
    });
  }
});
