/**
 * The benchmark harness never rots: a --quick smoke run through the API (a few seconds), the
 * results document's shape, --baseline, the atomic write, the hand-written loops' arithmetic and
 * the CLI's errors. Nothing here judges speed: performance lives in the benchmarks.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  RESULTS_FORMAT,
  RESULTS_VERSION,
  asResults,
  checkLines,
  resolveSettings,
  runBench,
  summaryTable,
  triadLevel,
  writeFileAtomic,
  type BenchResults,
} from '../benchmarks/index.js';
import { UNROLL } from '../src/optimizers/kernel.js';
import { copy32, copy64, handAdam32, handAdam64, handSgd32, handSgd64, triad32, triad64 } from '../benchmarks/loops.js';
import { Arena, makeGroupData, planGroup } from '../benchmarks/suite.js';
import { lion } from '../examples/lion/optimizer.js';
import { main } from '../src/cli.js';
import { createOptimizer, registry, wasmEngine } from '../src/index.js';
import { fromDocument, regression } from '../src/report/index.js';

const dir = mkdtempSync(join(os.tmpdir(), 'optimlab-bench-test-'));

describe('optimlab bench --quick (smoke run)', () => {
  let r: BenchResults;
  beforeAll(async () => {
    r = await runBench({ quick: true });
  }, 60_000);

  it('writes a document that fits its schema after a JSON round trip (what --baseline, --input and the report check)', () => {
    expect(asResults(JSON.parse(JSON.stringify(r)), 'this run').tasks.length).toBe(r.tasks.length);
  });

  it("records the load of the run: the load average at both ends and the process's own CPU use (src/util/loadavg.ts)", () => {
    const e = r.environment;
    expect(e.loadAverageStart).toHaveLength(3);
    expect(e.loadAverageEnd).toHaveLength(3);
    // one thread timing at a time, and V8's helpers: at least a little, at most every core
    expect(e.ownLoad).toBeGreaterThan(0.2);
    expect(e.ownLoad).toBeLessThanOrEqual(e.cores);
  });

  it('measures every registry optimizer, both dtypes, beside the triad, copy and hand-written loops', () => {
    expect(r.format).toBe(RESULTS_FORMAT);
    expect(r.version).toBe(RESULTS_VERSION);
    for (const dtype of ['float64', 'float32'] as const) {
      for (const n of r.settings.sizes) {
        for (const e of registry)
          expect(r.tasks.find((t) => t.id === `core:${e.name}:${dtype}:${n}`)?.status).toBe('ok');
        for (const s of ['stream:triad', 'stream:copy', 'hand:sgd', 'hand:adam'])
          expect(r.tasks.find((t) => t.id === `${s}:${dtype}:${n}`)?.status).toBe('ok');
      }
    }
    for (const t of r.tasks.filter((x) => x.status === 'ok')) {
      expect(t.elementsPerSec).toBeGreaterThan(0);
      expect(t.bytesPerSec).toBeCloseTo(t.elementsPerSec! * t.streams * t.bytesPerElement, -3);
      expect(t.ratioToTriad).toBeGreaterThan(0);
      expect(t.latency!.p50).toBeLessThanOrEqual(t.latency!.p99);
    }
    expect(r.checks.abstraction.length).toBe(2 * 2 * r.settings.sizes.length);
    for (const a of r.checks.abstraction) {
      expect(a.paired!.min).toBeLessThanOrEqual(a.paired!.median);
      expect(a.paired!.median).toBeLessThanOrEqual(a.paired!.max);
    }
  });

  it('measures the triad again after every other task of its group, and divides every ratio by the median of its measurements', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      for (const n of r.settings.sizes) {
        const triad = r.tasks.find((t) => t.id === `stream:triad:${dtype}:${n}`)!;
        // the group: the triad, copy, hand-written loops and the core on both engines (peers run after every group)
        const group = r.tasks.filter((t) => t.dtype === dtype && t.n === n && t.kind !== 'peer');
        const v = triad.remeasured!;
        // its own figure first, then one after each other task of the group
        expect(v.length).toBe(group.length);
        expect(v[0]).toBe(triad.elementsPerSec);
        const sorted = [...v].sort((a, b) => a - b);
        // a median of an even count is the mean of the two middle values
        const median = v.length % 2 ? sorted[v.length >> 1]! : (sorted[v.length / 2 - 1]! + sorted[v.length / 2]!) / 2;
        expect(triadLevel(triad)).toBe(median);
        const levelBytes = median * triad.streams * triad.bytesPerElement;
        for (const t of r.tasks.filter((x) => x.dtype === dtype && x.n === n && x.status === 'ok'))
          expect(t.ratioToTriad).toBeCloseTo(t.bytesPerSec! / levelBytes, 12);
      }
    }
    expect(summaryTable(r).join('\n')).toMatch(
      /^float64 {2}n = \S+ {3}triad [\d.]+ GB\/s \(median of \d+ measurements through the group, [\d.]+–[\d.]+\); ratio = bytes\/s ÷ triad bytes\/s$/m,
    );
  });

  it("measures every registry optimizer on the wasm engine too: engine 'wasm' in each task, every step on the engine, wasm ÷ js per optimizer, dtype and n", () => {
    expect(r.settings.engines).toEqual(['js', 'wasm']);
    for (const dtype of ['float64', 'float32'] as const) {
      for (const n of r.settings.sizes) {
        for (const e of registry) {
          const js = r.tasks.find((t) => t.id === `core:${e.name}:${dtype}:${n}`)!;
          const w = r.tasks.find((t) => t.id === `core:wasm/${e.name}:${dtype}:${n}`);
          expect(js.engine).toBe('js');
          // status 'ok' includes the task's own check that every step ran a wasm kernel (suite.ts)
          expect(w).toMatchObject({
            kind: 'core',
            name: e.name,
            engine: 'wasm',
            dtype,
            n,
            status: 'ok',
            streams: js.streams,
          });
          // run order: the wasm task right after the JS task of the same optimizer
          expect(r.tasks.indexOf(w!)).toBe(r.tasks.indexOf(js) + 1);
          const c = r.checks.engines.find((x) => x.optimizer === e.name && x.dtype === dtype && x.n === n)!;
          expect(c.wasmOverJs).toBeCloseTo(w!.elementsPerSec! / js.elementsPerSec!, 12);
        }
      }
    }
    for (const t of r.tasks)
      expect(t.engine).toBe(
        t.kind === 'peer' ? t.engine : t.kind === 'core' && t.id.startsWith('core:wasm/') ? 'wasm' : 'js',
      );
    const table = summaryTable(r).join('\n');
    expect(table).toMatch(/wasm÷js/);
    expect(table).toMatch(/^ {2}adam \(wasm\) +\d/m);
    expect(checkLines(r).join('\n')).toMatch(/^wasm ÷ js float64: /m);
    const peers = r.checks.peers.filter((p) => p.coreEngine === 'wasm');
    if (r.tasks.some((t) => t.kind === 'peer'))
      expect(peers.length).toBe(r.checks.peers.filter((p) => p.coreEngine === 'js').length);
  });

  it("the wasm tasks step arrays that live in the engine's memory, in an arena of the JS layout, given back after the group", async () => {
    const engine = await wasmEngine();
    const data = makeGroupData('float64', 1000, 'seed', engine);
    const [task] = planGroup('float64', 1000, ['adam'], 1e5, undefined, ['adam']).filter((t) => t.engine === 'wasm');
    expect(task!.id).toBe('core:wasm/adam:float64:1000');
    const before = engine.stats();
    const p = task!.prepare(data);
    const taken = [data.wasm!.take(), data.wasm!.take()];
    expect(taken.every((v) => engine.owns(v))).toBe(true);
    expect(taken[1]!.byteOffset - taken[0]!.byteOffset).toBe(data.wasm!.stride);
    p.fn();
    p.check();
    expect(engine.stats().kernelCalls - before.kernelCalls).toBe(100); // block = 1e5 / 1000 steps, all on the engine
    data.wasm!.dispose();
    expect(engine.stats().bytesInUse).toBe(before.bytesInUse);
    // an optimizer of one's own has no wasm kernels: measured on JS only, and the run says so
    const own = await runBench({
      quick: true,
      optimizers: ['sgd', 'lion'],
      entries: [lion as never],
      sizes: [100],
      dtypes: ['float64'],
      peers: false,
      engines: ['wasm', 'js'],
    });
    expect(own.tasks.filter((t) => t.kind === 'core').map((t) => `${t.id} ${t.status}`)).toEqual([
      'core:sgd:float64:100 ok',
      'core:wasm/sgd:float64:100 ok',
      'core:lion:float64:100 ok',
    ]);
    expect(own.skipped).toContainEqual({
      what: 'wasm engine for lion',
      reason: expect.stringMatching(/no wasm kernels .*measured on JS only/),
    });
    expect(() => resolveSettings({ engines: ['gpu' as never] })).toThrow(
      /--engines: unknown engine 'gpu'; allowed: js, wasm/,
    );
    const jsOnly = await runBench({
      quick: true,
      optimizers: ['sgd'],
      sizes: [100],
      dtypes: ['float32'],
      peers: false,
      engines: ['js'],
    });
    expect(jsOnly.tasks.some((t) => t.engine === 'wasm')).toBe(false);
    expect(jsOnly.checks.engines).toEqual([]);
  }, 60_000);

  it('a results file written before the wasm engine (no engine, engines, coreEngine or checks.engines) loads as JS only', () => {
    const old = JSON.parse(JSON.stringify(r)) as Record<string, unknown> & {
      tasks: Record<string, unknown>[];
      settings: Record<string, unknown>;
      checks: Record<string, unknown> & { peers: Record<string, unknown>[] };
    };
    old.tasks = old.tasks.filter((t) => t.engine !== 'wasm');
    for (const t of old.tasks) if (t.kind !== 'peer') delete t.engine;
    delete old.settings.engines;
    delete old.checks.engines;
    old.checks.peers = old.checks.peers.filter((p) => p.coreEngine === 'js');
    for (const p of old.checks.peers) delete p.coreEngine;
    const back = asResults(old, 'old.json');
    expect(back.tasks.filter((t) => t.kind !== 'peer').every((t) => t.engine === 'js')).toBe(true);
    expect(back.settings.engines).toEqual(['js']);
    expect(back.checks.engines).toEqual([]);
    expect(back.checks.peers.every((p) => p.coreEngine === 'js')).toBe(true);
    expect(summaryTable(back).join('\n')).not.toMatch(/wasm÷js/);
    // and engine, when present, is checked like any field
    const bad = JSON.parse(JSON.stringify(r));
    bad.tasks[0].engine = 7;
    expect(() => asResults(bad, 'bad.json')).toThrow(/bad\.json: field 'tasks\[0\]\.engine' is 7 \(a number\)/);
  });

  it('derives stream counts from the registry buffers', () => {
    const adam = r.tasks.find((t) => t.id === 'core:adam:float64:1000')!;
    expect(adam.streams).toBe(7); // params r+w, grad r, m r+w, v r+w
    expect(r.tasks.find((t) => t.id === 'core:amsgrad:float32:1000')!.streams).toBe(9);
    expect(r.tasks.find((t) => t.id === 'core:sgd:float32:1000')!.bytesPerElement).toBe(4);
  });

  it('runs the TF.js peers (installed as devDependencies) without leaking tensors, or says why not', () => {
    const peers = r.tasks.filter((t) => t.kind === 'peer');
    if (peers.length === 0) {
      expect(r.skipped.some((s) => /TensorFlow/.test(s.what))).toBe(true);
      return;
    }
    expect(new Set(peers.map((p) => p.engine))).toEqual(new Set(['tfjs-cpu', 'tfjs-wasm']));
    // every tf.train optimizer with a registry counterpart: sgd, momentum (and with useNesterov, nesterov),
    // adagrad, adadelta, rmsprop, adam, adamax; TF.js has no Nadam or AMSGrad
    const both = ['sgd', 'momentum', 'nesterov', 'adagrad', 'adadelta', 'rmsprop', 'adam', 'adamax'];
    expect(new Set(peers.map((p) => p.name))).toEqual(new Set(both));
    for (const p of peers) {
      expect(p.status).toBe('ok');
      expect(p.tensorsLeaked).toBe(0);
    }
  });

  it('reports the parts of the system it cannot measure yet instead of leaving them out', () => {
    for (const part of [
      r.system.referenceStep,
      r.system.gradientEvaluations,
      r.system.trainingEpochs,
      r.system.lawSuite,
    ]) {
      expect(['ok', 'not-available', 'error']).toContain(part.status);
    }
    expect(summaryTable(r).join('\n')).toContain('triad');
  });

  it('--baseline goes through the one judge, which gives a --quick run no verdicts and says why', () => {
    const g = regression(fromDocument(r), fromDocument(r));
    expect(g.judged).toBe(false);
    expect(g.tasks).toEqual([]);
    expect(g.why).toMatch(
      /^No verdicts: this run's throughput figures are unreliable, because it is a --quick smoke run/,
    );
    // and the summary prints the core ÷ hand figures without the within-10% verdict
    expect(checkLines(r, false).join('\n')).not.toMatch(/within 10%/);
    expect(checkLines(r, true).join('\n')).toMatch(/within 10%/);
  });
});

describe('arena', () => {
  it('hands out zeroed or copied arrays at page-multiple distances, and refuses a slot too many', () => {
    const a = new Arena('float32', 1500, 3);
    expect(a.stride).toBe(8192); // 6000 bytes, rounded up to pages
    const src = Float32Array.from({ length: 1500 }, (_, i) => i);
    const x = a.take(src) as Float32Array;
    const y = a.take() as Float32Array;
    expect(Array.from(x)).toEqual(Array.from(src));
    expect(y.every((v) => v === 0)).toBe(true);
    expect(y.buffer).toBe(x.buffer);
    expect(y.byteOffset - x.byteOffset).toBe(8192);
    a.take();
    expect(() => a.take()).toThrow(/arena \(float32, n = 1500\): a task took more than 3 arrays/);
    y.fill(7);
    a.reset();
    a.take();
    expect(Array.from(a.take() as Float32Array).every((v) => v === 0)).toBe(true); // reused, zeroed again
  });
});

describe('results files', () => {
  it('a failed write leaves the earlier file intact and no temporary file behind', () => {
    const path = join(dir, 'results.json');
    writeFileAtomic(path, '{"old":true}\n');
    expect(() => writeFileAtomic(join(dir, 'missing-dir', 'x.json'), 'x')).toThrow();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => writeFileAtomic(path, JSON.stringify(circular))).toThrow();
    expect(readFileSync(path, 'utf8')).toBe('{"old":true}\n');
    writeFileAtomic(path, '{"new":true}\n');
    expect(readFileSync(path, 'utf8')).toBe('{"new":true}\n');
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('rejects a document that is not a results document, naming it', () => {
    expect(() => asResults({ format: 'x' }, 'base.json')).toThrow(/base\.json.*optimlab.bench/);
    expect(() => asResults({ format: RESULTS_FORMAT, version: 99, tasks: [] }, 'b.json')).toThrow(/version 99/);
  });
});

describe('hand-written loops', () => {
  // They must do the core's default arithmetic, or the core ÷ hand ratio would compare different work.
  for (const dtype of ['float64', 'float32'] as const) {
    it(`sgd and adam agree with the core (${dtype}) over 3 steps`, () => {
      // 7 elements: one unrolled iteration of 4 lanes, then a remainder of 3.
      const C = dtype === 'float64' ? Float64Array : Float32Array;
      const p0 = C.from([0.5, -1, 2, 0.25, 3, -0.125, 1.5]);
      const g = C.from([0.1, -0.3, 0.7, -2, 0.05, 1.25, -0.6]);
      const sgd = createOptimizer('sgd');
      const ps = p0.slice();
      const hs = p0.slice();
      const ss = sgd.init(7, dtype);
      for (let t = 1; t <= 3; t++) {
        sgd.step(ps, g, ss);
        if (dtype === 'float64') handSgd64(hs as Float64Array, g as Float64Array, 0.01);
        else handSgd32(hs as Float32Array, g as Float32Array, 0.01);
      }
      expect(Array.from(hs)).toEqual(Array.from(ps));
      const adam = createOptimizer('adam');
      const pa = p0.slice();
      const ha = p0.slice();
      const [m, v] = [new C(7), new C(7)];
      const sa = adam.init(7, dtype);
      for (let t = 1; t <= 3; t++) {
        adam.step(pa, g, sa);
        if (dtype === 'float64')
          handAdam64(
            ha as Float64Array,
            g as Float64Array,
            m as Float64Array,
            v as Float64Array,
            t,
            0.001,
            0.9,
            0.999,
            1e-8,
          );
        else
          handAdam32(
            ha as Float32Array,
            g as Float32Array,
            m as Float32Array,
            v as Float32Array,
            t,
            0.001,
            0.9,
            0.999,
            1e-8,
          );
      }
      const tol = dtype === 'float64' ? 1e-14 : 1e-6;
      for (let i = 0; i < 7; i++) expect(Math.abs(ha[i]! - pa[i]!)).toBeLessThanOrEqual(tol * Math.abs(pa[i]!));
    });
  }

  it('are unrolled as the core is (loops.ts writes its four lanes by hand; settings.unroll records it)', () => {
    expect(UNROLL).toBe(4);
    expect(handSgd64.toString()).toMatch(/i <= n - 4; i \+= 4/);
    expect(triad32.toString()).toMatch(/i <= n - 4; i \+= 4/);
  });

  it('triad and copy write every element, unrolled part and remainder (n = 0 … 9)', () => {
    for (let n = 0; n <= 9; n++) {
      const b = Float64Array.from({ length: n }, (_, i) => i + 1);
      const c = Float64Array.from({ length: n }, (_, i) => 2 * i);
      const want = Array.from(b, (x, i) => x + 0.5 * c[i]!);
      const [a64, a32, k64, k32] = [new Float64Array(n), new Float32Array(n), new Float64Array(n), new Float32Array(n)];
      triad64(a64, b, c, 0.5);
      triad32(a32, Float32Array.from(b), Float32Array.from(c), 0.5);
      copy64(k64, b);
      copy32(k32, Float32Array.from(b));
      expect(Array.from(a64)).toEqual(want);
      expect(Array.from(a32)).toEqual(want);
      expect(Array.from(k64)).toEqual(Array.from(b));
      expect(Array.from(k32)).toEqual(Array.from(b));
    }
  });
});

describe('optimlab bench: bad input', () => {
  const errors: string[] = [];
  const run = async (args: string[]): Promise<number> => {
    const orig = console.error;
    console.error = (...a: unknown[]) => {
      errors.push(a.join(' '));
    };
    try {
      return await main(['bench', ...args]);
    } finally {
      console.error = orig;
    }
  };
  it.each([
    [['--optimizer', 'sgd,adamw'], /--optimizer: unknown optimizer 'adamw'; allowed: sgd, momentum/],
    [['--sizes', '1e3,abc'], /--sizes: 'abc' is not a number; allowed: integers/],
    [['--sizes', '0.5'], /--sizes: '0.5'/],
    [['--dtypes', 'float16'], /--dtypes: unknown dtype 'float16'; allowed: float64, float32/],
    [['--time=-3'], /--time: -3 ms is not allowed; allowed: 0 < time/],
    [['--time', 'fast'], /--time: 'fast' is not a number/],
    [['--peers', '--no-peers'], /--peers and --no-peers/],
    [['--baseline', join(dir, 'nope.json')], /--baseline: cannot read/],
    [['--bogus'], /bogus/],
  ])('%j', async (args, message) => {
    errors.length = 0;
    expect(await run(args as string[])).toBe(2);
    expect(errors.join('\n')).toMatch(message);
  });

  it('a baseline that is not a results document is refused before anything is measured', async () => {
    const path = join(dir, 'not-results.json');
    writeFileSync(path, '{"hello":1}');
    errors.length = 0;
    expect(await run(['--baseline', path])).toBe(2);
    expect(errors.join('\n')).toMatch(/--baseline: .*not a results document I know/);
  });

  it('resolveSettings picks quick timings and sorts sizes', () => {
    const s = resolveSettings({ quick: true, sizes: [1e4, 1e3, 1e4] });
    expect(s.sizes).toEqual([1e3, 1e4]);
    expect(s.tinybench.time).toBeLessThan(50);
  });
});
