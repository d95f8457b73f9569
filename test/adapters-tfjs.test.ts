/**
 * The TensorFlow.js adapter (src/adapters/tfjs, reference/tfjs.ts, properties/tfjs.ts):
 * - a step through the adapter (state written into TF.js's variables, applyGradients, read back)
 *   equals TF.js keeping its own state across steps, bit for bit, read through TF.js's public
 *   getWeights where it has one;
 * - no tensor outlives a step; a missing TF.js is a clear error naming what to install;
 * - the float32 model of TF.js's Adam that finding T3 uses is TF.js's evaluation bit for bit;
 * - the findings, measured again, have the values docs/adapters.md states;
 * - the law suite on TF.js: every case passes or fails with a finding that explains it.
 *
 * TF.js's cpu backend costs ~0.4 ms a step here, so the law suite runs 10 runs per case, F2 one
 * run (3000 steps) and B2, B3 two runs (24-step trajectories against the decimal reference):
 * about 10 s of the suite.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTfjsCpu, tfjsOptimizers, AdapterUnavailableError } from '../src/adapters/tfjs/index.js';
import { importTfjs } from '../src/adapters/tfjs/load.js';
import { runningPower } from '../src/adapters/tfjs/optimizers.js';
import { restoreState, serializeState, type Hyper, type OptimizerEntry } from '../src/index.js';
import { UserError } from '../src/util/errors.js';
import { cases, runCase, type Law } from '../properties/framework.js';
import { allLaws } from '../properties/laws/index.js';
import {
  adamModel,
  explainTable,
  findingOf,
  loadTfjsSuite,
  measureFindings,
  tfjsDocument,
  TFJS_FINDINGS,
  type TfjsSuite,
} from '../properties/tfjs.js';
import { runSuite } from '../properties/suite.js';
import { fromDocument, mergeResults, renderReport } from '../src/report/index.js';
import { tfjsDoc, validate } from '../src/schema/index.js';

type Tf = Awaited<ReturnType<typeof loadTfjsCpu>>;
let tf: Tf;
let suite: TfjsSuite;
beforeAll(async () => {
  tf = await loadTfjsCpu();
  suite = await loadTfjsSuite();
});

const entry = (name: string): OptimizerEntry => suite.entries.find((e) => e.name === name)!;

/** A case: float32 hyperparameters from the entry's specs, θ and a few gradients. */
function drawCases(e: OptimizerEntry, n: number, seed: number): { hyper: Hyper; theta: number[]; grads: number[][] }[] {
  const size = 3;
  const num = fc.double({ min: -10, max: 10, noNaN: true }).map(Math.fround);
  const hyper = fc.record(
    Object.fromEntries(
      Object.entries(e.hyper).map(([k, s]) => [
        k,
        s.kind === 'number'
          ? fc.constantFrom(
              s.default,
              ...(s.specials ?? []).filter((x) => x !== 0),
              Math.fround((s.sample[0] + s.sample[1]) / 2),
            )
          : fc.constant(s.default),
      ]),
    ),
  );
  return fc.sample(
    fc.record({
      hyper,
      theta: fc.array(num, { minLength: size, maxLength: size }),
      grads: fc.array(fc.array(num, { minLength: size, maxLength: size }), { minLength: 1, maxLength: 6 }),
    }),
    { seed, numRuns: n },
  ) as never;
}

/** TF.js on its own: one optimizer object across the steps, θ and the public getWeights after each. */
async function native(
  name: string,
  hyper: Hyper,
  theta: number[],
  grads: number[][],
): Promise<{ params: number[]; weights: Record<string, number[]> | undefined }[]> {
  const spec = tfjsOptimizers.find((s) => s.name === name)!;
  const opt = spec.make(tf, hyper);
  const v = tf.tidy(() => tf.variable(tf.tensor1d(theta), true, `native_${name}_${Math.random()}`));
  const out: { params: number[]; weights: Record<string, number[]> | undefined }[] = [];
  for (const g of grads) {
    const gt = tf.tensor1d(g);
    opt.applyGradients({ [v.name]: gt } as never);
    gt.dispose();
    let weights: Record<string, number[]> | undefined;
    try {
      const w = await opt.getWeights();
      weights = Object.fromEntries(
        w.slice(1).map((x) => [x.name.slice(x.name.lastIndexOf('/') + 1), Array.from(x.tensor.dataSync())]),
      );
    } catch {
      weights = undefined;
    } // AdaMax has no getWeights (finding T7)
    out.push({ params: Array.from(v.dataSync()), weights });
  }
  v.dispose();
  opt.dispose();
  return out;
}

describe("the adapter runs TF.js's own step", () => {
  for (const spec of tfjsOptimizers) {
    it(`${spec.name}: every step equals TF.js keeping its own state, bit for bit (params and each state variable)`, async () => {
      const e = entry(spec.name);
      for (const c of drawCases(e, 8, 17)) {
        const want = await native(spec.name, c.hyper, c.theta, c.grads);
        const opt = e.create(c.hyper);
        const p = Float32Array.from(c.theta);
        const s = opt.init(p.length, 'float32');
        c.grads.forEach((g, t) => {
          opt.step(p, Float32Array.from(g), s);
          expect(Array.from(p), `${spec.name} ${JSON.stringify(c.hyper)} step ${t + 1}: params`).toEqual(
            want[t]!.params,
          );
          if (want[t]!.weights) {
            expect(Object.keys(want[t]!.weights!).sort()).toEqual([...e.buffers].sort());
            for (const b of e.buffers)
              expect(Array.from(s.buffers[b]!), `${spec.name} step ${t + 1}: ${b}`).toEqual(want[t]!.weights![b]);
          }
        });
      }
    });
  }

  it('a checkpoint through serializeState resumes exactly where TF.js would have gone (Adam, AdaMax: running products rebuilt from t)', async () => {
    for (const name of ['tfjs-adam', 'tfjs-adamax', 'tfjs-adagrad']) {
      const e = entry(name);
      const grads = [
        [0.3, -1.2],
        [0.7, 2.5],
        [-0.4, 0.9],
        [1.1, -0.2],
        [0.6, -0.8],
      ];
      const want = await native(name, e.defaults, [0.5, -0.25], grads);
      const a = e.create();
      const p = Float32Array.from([0.5, -0.25]);
      const s = a.init(2, 'float32');
      grads.slice(0, 2).forEach((g) => a.step(p, Float32Array.from(g), s));
      const b = e.create();
      const r = restoreState(JSON.stringify(serializeState(s, a)), b);
      grads.slice(2).forEach((g) => b.step(p, Float32Array.from(g), r));
      expect(Array.from(p)).toEqual(want[4]!.params);
    }
  });

  it("runningPower is TF.js's accBeta after t steps (the product of float32 values, rounded once per step)", () => {
    const cache = new Map<string, { t: number; x: number }>();
    for (const beta of [0.9, 0.999, Math.fround(0.9937), 0.5]) {
      let acc = tf.scalar(beta);
      for (let t = 0; t <= 30; t++) {
        expect(runningPower(beta, t, cache, String(beta))).toBe(acc.dataSync()[0]);
        const next = tf.mul(acc, beta) as typeof acc;
        acc.dispose();
        acc = next;
      }
      acc.dispose();
    }
  });

  it('no tensor outlives a step, in any tf.train entry', () => {
    const before = tf.memory().numTensors;
    for (const e of suite.entries) {
      const opt = e.create();
      const p = Float32Array.from([1, 2, 3]);
      const s = opt.init(3, 'float32');
      for (let t = 0; t < 5; t++) opt.step(p, Float32Array.from([0.1, -0.2, 0.3]), s);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('float32 only: init and step refuse float64, naming the dtype', () => {
    const opt = entry('tfjs-adam').create();
    expect(() => opt.init(2, 'float64')).toThrow(
      /tfjs-adam\.init: dtype = 'float64'; tfjs-adam handles 'float32' only/,
    );
  });

  it('a missing TensorFlow.js is a user error (exit 2) that says what to install', async () => {
    const missing = (name: string): Promise<unknown> =>
      Promise.reject(new Error(`Cannot find package '${name}' imported from optimlab`));
    const err = await importTfjs(missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdapterUnavailableError);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe(
      "TensorFlow.js is not installed (Cannot find package '@tensorflow/tfjs-core' imported from optimlab); install it beside optimlab: npm install -D @tensorflow/tfjs-core@4 @tensorflow/tfjs-backend-cpu@4",
    );
  });
});

describe('the findings, measured again', () => {
  it("adamModel (finding T3's float32 model of TF.js's Adam) is TF.js bit for bit", async () => {
    const e = entry('tfjs-adam');
    for (const c of drawCases(e, 40, 5)) {
      const h = c.hyper as { lr: number; beta1: number; beta2: number; eps: number };
      const g = c.grads.map((x) => x[0]!);
      const want = (
        await native(
          'tfjs-adam',
          h,
          [0],
          g.map((x) => [x]),
        )
      ).map((x) => x.params[0]);
      expect(adamModel(h, g, 'tfjs'), JSON.stringify(h)).toEqual(want);
    }
  });

  it('each finding has the values docs/adapters.md states', async () => {
    const m = Object.fromEntries((await measureFindings(suite)).map((x) => [x.id, x]));
    expect(m.T1!.tfjs).toBe('θ = [NaN]');
    expect(m.T1!.reference).toMatch(/^θ = \[-0\.0022941573960564719491\]/);
    expect(m.T2!.tfjs).toBe('θ = [NaN, 0.9990000128746033]');
    expect(m.T3!.tfjs).toMatch(/^step 2 = -0\.00010000005568144843 \(26\.7 u32 from exact\)/);
    expect(m.T3!.note).toMatch(
      /\(bit for bit TF\.js's\); the same with 1 − β\^t correctly rounded: -0\.00009999989561038092 \(0\.17 u32\)$/,
    );
    expect(m.T4!.tfjs).toBe('θ = [-0.0009999932954087853] (110.8 u32 from exact)');
    expect(m.T4!.k).toBeGreaterThan(m.T4!.bound!); // law B1's measure sees T4 (docs/adapters.md: the scale of 1 − β)
    expect(m.T5!.tfjs).toMatch(/^θ after each step: \[-19999999961012896000\], \[NaN\]/);
    expect(m.T6!.tfjs).toBe('θ after each step: [-0.10000000149011612, -0.28999999165534973]');
    expect(m.T7!.tfjs).toBe('θ_12 resumed = 0.45903483033180237, uninterrupted = 0.4590349793434143 (they differ)');
    expect(m.T8!.tfjs).toBe('tensors left alive: momentum 1, sgd 0, adam 0');
    expect(TFJS_FINDINGS.map((f) => f.id)).toEqual(Object.keys(m));
  });
});

/** Runs per case in npm test (see the header). */
const RUNS: Readonly<Record<string, number>> = { F2: 1, B2: 2, B3: 2 };

describe('the laws on TensorFlow.js (10 runs per case; F2 1, B2 and B3 2)', () => {
  const optimizerLaws = allLaws.filter((l) => !('subject' in l)) as Law[];
  const results: ReturnType<typeof runCase>[] = [];
  it('every case passes, or fails with a finding that explains it', () => {
    const all = cases(optimizerLaws, suite.entries, suite.references);
    expect(all.length).toBeGreaterThan(100);
    for (const c of all) results.push(runCase(c, { runs: RUNS[c.law.id] ?? 10 }));
    const unexplained = results.filter((r) => r.status === 'fail' && !findingOf(r)).map((r) => `${r.id}: ${r.error}`);
    expect(unexplained).toEqual([]);
    expect(results.filter((r) => r.status === 'not run')).toEqual([]);
  }, 120_000);

  it('sgd, momentum, nesterov and adagrad hold every law that applies; no law fails on any entry but through the findings', () => {
    const failed = new Set(results.filter((r) => r.status === 'fail').map((r) => r.subject));
    for (const name of ['tfjs-sgd', 'tfjs-momentum', 'tfjs-nesterov', 'tfjs-adagrad'])
      expect(failed.has(name), name).toBe(false);
    // The structure laws hold for every entry (TF.js's arithmetic is deterministic, elementwise and odd).
    for (const r of results.filter((x) => /^G[1235]$|^G6$/.test(x.lawId))) expect(r.status, r.id).toBe('pass');
    const { byFinding } = explainTable(results);
    expect(byFinding.T1!.length).toBeGreaterThan(0); // centred RMSprop's NaN shows in this run
  });
});

describe('the TensorFlow.js table in the report', () => {
  it("verify --tfjs's document validates, loads apart from the built-ins' table, and renders each FAIL with its finding and a --tfjs replay line", async () => {
    const v = runSuite({
      entries: suite.entries,
      references: suite.references,
      lawSet: allLaws.filter((l) => !('subject' in l)),
      laws: ['G4', 'C3'],
      runs: 5,
    });
    const doc = JSON.parse(JSON.stringify(tfjsDocument(suite, v, await measureFindings(suite))));
    expect(validate(tfjsDoc, doc, 'tfjs.json').verify.summary.cases).toBe(v.summary.cases);
    const r = mergeResults([fromDocument(doc, { file: 'tfjs.json' })]);
    expect(r.verify).toBeNull();
    expect(r.tfjs!.subjects).toContain('tfjs-rmsprop-centered');
    const { files } = await renderReport(r, {});
    const md = files.get('report.md')!;
    expect(md).toContain('## TensorFlow.js');
    expect(md).toContain('### Laws × tf.train optimizers');
    expect(md).toMatch(
      /\| G4 \| pass \| .*\[\*\*FAIL T1\*\*\]\(#tensorflowjs-failure-\d+-g4-tfjs-rmsprop-centered-float32\)/,
    );
    expect(md).toContain("replay: npx optimlab verify --tfjs --replay 'G4 tfjs-rmsprop-centered float32@");
    expect(md).toContain('explained by T1 (TF.js bug): centred RMSprop subtracts ε under the root');
    expect(md).toContain('### Findings');
    expect(files.get('index.html')!).toContain('Laws × tf.train optimizers');
  }, 60_000);
});
