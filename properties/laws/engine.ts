/**
 * W1: the differential law of the engines (docs/wasm.md). The wasm engine computes what the JS
 * engine computes, bit for bit: every step's params and every state buffer, for every
 * optimizer, every convention and option (hyperparameters and conventions drawn from the
 * registry's ranges, specials included), both dtypes, on params and gradients drawn from the
 * arbitraries the other laws use (realistic magnitudes with exact zeros; X1's extreme values:
 * ±0, subnormals, tiny and huge; and non-finite gradient elements ±∞ and NaN, which step accepts).
 *
 * The wasm side runs on arrays in the engine's memory (the zero-copy path users take); the JS side
 * on plain typed arrays. Element counts 1 … 2·LANES + 1 (17) cover every remainder of the wasm
 * loops' 4 or 8 elements per iteration, with no, one and two vector iterations before it. The only tolerance: a NaN equals any NaN (neither engine fixes the bits
 * of a NaN an operation produces; on V8/x86-64 they differ in its sign bit), and +0 ≠ −0.
 */
import fc from 'fast-check';
import { kernelsOf, type OptimizerEntry } from '../../src/optimizers/define.js';
import type { Dtype, Vec } from '../../src/optimizers/types.js';
import { hyperConventionArb, magnitude, REALISTIC, vec } from '../arbitraries.js';
import { lawEngine } from '../engines.js';
import { LANES } from '../../src/engine/kernels.generated.js';
import { LawViolation, selects, show, type Law } from '../framework.js';
import { extremeGradients } from './extreme.js';

/** Gradients with ±∞ and NaN among realistic values (about one element in four). */
const nonFinite = (dtype: Dtype, n: number): fc.Arbitrary<Vec> =>
  fc
    .array(
      fc.oneof(
        { arbitrary: magnitude(REALISTIC, dtype), weight: 3 },
        { arbitrary: fc.constantFrom(Infinity, -Infinity, NaN), weight: 1 },
      ),
      { minLength: n, maxLength: n },
    )
    .map((xs) => (dtype === 'float32' ? Float32Array.from(xs) : Float64Array.from(xs)));

/** A trajectory: params and 1 … 6 gradients, each from one of the sources. */
const trajectory = (dtype: Dtype): fc.Arbitrary<{ p: Vec; grads: Vec[] }> =>
  fc.integer({ min: 1, max: 2 * LANES + 1 }).chain((n) =>
    fc.record({
      p: fc.oneof(
        vec(dtype, n),
        extremeGradients(dtype, n, 1).map((g) => g[0]!),
      ),
      grads: fc.array(
        fc.oneof(
          vec(dtype, n),
          extremeGradients(dtype, n, 1).map((g) => g[0]!),
          nonFinite(dtype, n),
        ),
        { minLength: 1, maxLength: 6 },
      ),
    }),
  );

/** The first index where a and b differ (a NaN matches any NaN; +0 and −0 differ), or −1. */
function firstDifference(a: Vec, b: Vec): number {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

export const W1: Law = {
  id: 'W1',
  title:
    "the wasm engine gives the JS engine's bits: every step, params and state, every convention, special and non-finite values (any NaN equals any NaN)",
  // Optimizers whose kernels the engine was built with (an optimizer defined outside optimlab runs
  // its JS kernel on either engine: nothing to compare).
  appliesTo: selects('a kernel the wasm engine was built with', (e: OptimizerEntry) => {
    const k = kernelsOf(e);
    return k !== undefined && lawEngine().serves(k);
  }),
  tolerance:
    "bit for bit: both engines compute every operation in double, in the kernel's order, and round once per stored value (no FMA, no reassociation); the one exception is a NaN's bits (any NaN equals any NaN: the platform may pick another NaN for an operation's result); +0 and −0 differ",
  runs: 100,
  property: (entry, dtype) =>
    fc.property(hyperConventionArb(entry), trajectory(dtype), ({ hyper, conventions }, { p, grads }) => {
      const engine = lawEngine();
      const n = p.length;
      const js = entry.create(hyper, conventions, {});
      const wasm = entry.create(hyper, conventions, { engine });
      const pj = p.slice();
      const sj = js.init(n, dtype);
      const pw = engine.from(p);
      const gw = engine.alloc(n, dtype);
      const sw = wasm.init(n, dtype);
      try {
        const calls = engine.stats().kernelCalls;
        grads.forEach((g, k) => {
          gw.set(g);
          js.step(pj, g, sj);
          wasm.step(pw, gw, sw);
          for (const [name, a, b] of [
            ['params', pj, pw],
            ...Object.keys(sj.buffers).map((b) => [`state.${b}`, sj.buffers[b]!, sw.buffers[b]!]),
          ] as [string, Vec, Vec][]) {
            const i = firstDifference(a, b);
            if (i >= 0) {
              throw new LawViolation(
                `step ${k + 1}: ${name}[${i}]: JS ${show(a[i])}, wasm ${show(b[i])}; gradient so far at ${i}: [${grads
                  .slice(0, k + 1)
                  .map((x) => show(x[i]))
                  .join(', ')}], θ₀ = ${show(p[i])}`,
              );
            }
          }
        });
        // Not vacuous: every step ran a wasm kernel.
        const ran = engine.stats().kernelCalls - calls;
        if (ran !== grads.length)
          throw new LawViolation(`${grads.length} steps ran ${ran} wasm kernel(s): the step did not run on the engine`);
      } finally {
        engine.free(pw);
        engine.free(gw);
        engine.freeState(sw);
      }
      return true;
    }),
};

export const engineLaws: Law[] = [W1];
