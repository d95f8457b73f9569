/**
 * G: laws every optimizer obeys (docs/laws.md, G).
 */
import fc from 'fast-check';
import type { OptimizerEntry } from '../../src/optimizers/define.js';
import { cloneState, restoreState, serializeState } from '../../src/optimizers/state.js';
import type { Dtype, Optimizer, OptimizerState, Vec } from '../../src/optimizers/types.js';
import { CTOR, hyperArb, replayHistory, stepCase, vec, type StepCase } from '../arbitraries.js';
import { must, mustBeSameBits, selects, type Law } from '../framework.js';

/** G3: the same inputs give the same bits, every time. */
export const G3: Law = {
  id: 'G3',
  title: 'determinism: the same hyperparameters, state, params and gradient give bit-identical results',
  tolerance: 'bit for bit: the same operations on the same inputs',
  runs: 50,
  property: (entry, dtype) =>
    fc.property(stepCase(entry, dtype), (c) => {
      const a = replayHistory(entry, dtype, c);
      const b = replayHistory(entry, dtype, c);
      const pa = c.params.slice();
      const pb = c.params.slice();
      const sb = cloneState(b.state);
      a.opt.step(pa, c.grad, a.state);
      b.opt.step(pb, c.grad, sb);
      mustBeSameBits('params', pa, pb);
      for (const k of entry.buffers) mustBeSameBits(`state.${k}`, a.state.buffers[k]!, sb.buffers[k]!);
      return true;
    }),
};

/** Runs `c` (history, then the final gradient) on `params` from a fresh state; returns params and state. */
function run(
  entry: OptimizerEntry,
  dtype: Dtype,
  c: StepCase,
  map: (v: Vec) => Vec = (v) => v,
): { params: Vec; state: OptimizerState } {
  const opt = entry.create(c.hyper);
  const params = map(c.params.slice());
  const state = opt.init(params.length, dtype);
  for (const g of [...c.history, c.grad]) opt.step(params, map(g.slice()), state);
  return { params, state };
}

const permuted = (v: Vec, perm: readonly number[]): Vec => {
  const out = new (v.constructor as Float64ArrayConstructor)(v.length);
  perm.forEach((j, i) => {
    out[i] = v[j]!;
  });
  return out;
};

/**
 * G1: for elementwise optimizers, permuting the coordinates of params and every gradient permutes
 * params and state the same way, and stepping [a; b] equals stepping a and b apart — bit for bit
 * (coordinate i's arithmetic sees only coordinate i's numbers, in the same order).
 */
export const G1: Law = {
  id: 'G1',
  title:
    'elementwise optimizers: coordinate permutation equivariance and concatenation ([a; b] stepped = a and b stepped apart), bit for bit',
  tolerance: "bit for bit: coordinate i's arithmetic sees only coordinate i's numbers, in the same order",
  appliesTo: selects('traits.elementwise', (e) => e.traits.elementwise),
  runs: 50,
  property: (entry, dtype) =>
    fc.property(
      stepCase(entry, dtype, { length: { min: 2, max: 8 } }).chain((c) =>
        fc.record({
          c: fc.constant(c),
          perm: fc.shuffledSubarray([...c.params.keys()], { minLength: c.params.length, maxLength: c.params.length }),
          cut: fc.integer({ min: 1, max: c.params.length - 1 }),
        }),
      ),
      ({ c, perm, cut }) => {
        const whole = run(entry, dtype, c);
        const p = run(entry, dtype, c, (v) => permuted(v, perm));
        mustBeSameBits('permuted params', p.params, permuted(whole.params, perm));
        for (const b of entry.buffers)
          mustBeSameBits(`permuted state.${b}`, p.state.buffers[b]!, permuted(whole.state.buffers[b]!, perm));
        const head = run(entry, dtype, c, (v) => v.slice(0, cut));
        const tail = run(entry, dtype, c, (v) => v.slice(cut));
        const joined = new CTOR[dtype](c.params.length);
        joined.set(head.params, 0);
        joined.set(tail.params, cut);
        mustBeSameBits(`params of a (0..${cut}) and b (${cut}..) stepped apart vs [a; b]`, joined, whole.params);
        for (const b of entry.buffers) {
          const jb = new CTOR[dtype](c.params.length);
          jb.set(head.state.buffers[b]!, 0);
          jb.set(tail.state.buffers[b]!, cut);
          mustBeSameBits(`state.${b} of a and b apart vs [a; b]`, jb, whole.state.buffers[b]!);
        }
        return true;
      },
    ),
};

/**
 * G2: mirror symmetry: negating θ and every gradient negates params and every odd state buffer and
 * leaves the even ones, bit for bit up to the sign of an exact zero. Every update is an odd function
 * of (θ, g) and round-to-nearest is symmetric; only x − x = +0 (never −0) breaks the symmetry, and
 * only in the sign of a zero. The state is compared through the next step instead of buffer by
 * buffer (which buffers are odd is not a trait): one more step on (θ, g) and on (−θ, −g) must again
 * give mirrored params.
 */
export const G2: Law = {
  id: 'G2',
  title: 'mirror symmetry: negating θ and g negates the trajectory (bit for bit; +0 and −0 count equal)',
  tolerance:
    'bit for bit, +0 and −0 counted equal: every update is odd in (θ, g) and rounding to nearest is symmetric; only x − x = +0 breaks the sign of an exact zero',
  runs: 100,
  property: (entry, dtype) =>
    fc.property(stepCase(entry, dtype), vec(dtype, 8), (c, extra) => {
      const neg = (v: Vec): Vec => v.map((x) => -x);
      const more = { ...c, history: [...c.history, c.grad], grad: extra.slice(0, c.params.length) };
      const a = run(entry, dtype, more);
      const b = run(entry, dtype, more, neg);
      mustBeSameBits('params of the mirrored run vs −params', b.params, neg(a.params), { signedZeros: 'equal' });
      return true;
    }),
};

/**
 * G4: a zero gradient from a fresh state changes nothing (no weight decay of either kind): the
 * parameters, and every buffer but those the optimizer declares to drift at rest
 * (traits.zeroGradientDrift: AdaBelief's s_t = β2·s + (1 − β2)(g − m)² + ε gains ε at every step).
 */
export const G4: Law = {
  id: 'G4',
  title:
    'a zero gradient from a fresh state leaves params and every state buffer unchanged (without weight decay; buffers in traits.zeroGradientDrift excepted)',
  tolerance: 'bit for bit: with g = 0 and m = 0 every term is an exact zero',
  runs: 100,
  property: (entry, dtype) =>
    fc.property(
      fc.record({
        hyper: hyperArb(entry, { weightDecay: 0, decoupledWeightDecay: 0 }),
        params: vec(dtype, { min: 1, max: 8 }),
        k: fc.integer({ min: 1, max: 5 }),
      }),
      ({ hyper, params, k }) => {
        const opt = entry.create(hyper);
        const p = params.slice();
        const state = opt.init(p.length, dtype);
        const fresh = opt.init(p.length, dtype);
        for (let i = 1; i <= k; i++) {
          opt.step(p, new CTOR[dtype](p.length), state);
          mustBeSameBits(`after ${i} zero gradient(s): params`, p, params);
          for (const b of entry.buffers) {
            if (entry.traits.zeroGradientDrift?.includes(b)) continue;
            mustBeSameBits(`after ${i} zero gradient(s): state.${b}`, state.buffers[b]!, fresh.buffers[b]!);
          }
        }
        return true;
      },
    ),
};

/**
 * G5: checkpoint and resume: serializeState → JSON text → restoreState into a freshly built
 * optimizer, then the remaining steps, equals the uninterrupted run bit for bit (params, every
 * buffer, t).
 */
export const G5: Law = {
  id: 'G5',
  title: 'checkpoint/resume through JSON text equals an uninterrupted run, bit for bit',
  tolerance: 'bit for bit: JSON numbers round-trip every double exactly',
  runs: 50,
  property: (entry, dtype) =>
    fc.property(
      fc.integer({ min: 1, max: 6 }).chain((n) =>
        fc.record({
          hyper: hyperArb(entry),
          params: vec(dtype, n),
          gs: fc.array(vec(dtype, n), { minLength: 1, maxLength: 10 }),
          cutAt: fc.integer({ min: 0, max: 10 }),
        }),
      ),
      ({ hyper, params, gs, cutAt }) => {
        const cut = Math.min(gs.length, cutAt);
        const a = entry.create(hyper);
        const sa = a.init(params.length, dtype);
        const pa = params.slice();
        for (const g of gs) a.step(pa, g, sa);
        const b = entry.create(hyper);
        let sb = b.init(params.length, dtype);
        const pb = params.slice();
        gs.slice(0, cut).forEach((g) => b.step(pb, g, sb));
        const text = JSON.stringify(serializeState(sb, b));
        const c: Optimizer = entry.create(hyper);
        sb = restoreState(text, c);
        gs.slice(cut).forEach((g) => c.step(pb, g, sb));
        mustBeSameBits(`params (checkpoint after step ${cut} of ${gs.length})`, pb, pa);
        for (const k of entry.buffers)
          mustBeSameBits(`state.${k} (checkpoint after step ${cut})`, sb.buffers[k]!, sa.buffers[k]!);
        must(sb.t === sa.t, () => `state.t = ${sb.t} after resume, ${sa.t} uninterrupted`);
        return true;
      },
    ),
};

type Fault =
  | 'grad length'
  | 'params length'
  | 'grad dtype'
  | 'params dtype'
  | 'grad aliases params'
  | 'buffer aliases params'
  | 'foreign state'
  | 'buffer length'
  | 'bad t';
const FAULTS: readonly Fault[] = [
  'grad length',
  'params length',
  'grad dtype',
  'params dtype',
  'grad aliases params',
  'buffer aliases params',
  'foreign state',
  'buffer length',
  'bad t',
];
/** The word the error must name for each fault. */
const NAMES: Record<Fault, RegExp> = {
  'grad length': /\bgrad\b/,
  'params length': /\bparams\b/,
  'grad dtype': /\bgrad\b/,
  'params dtype': /\bparams\b/,
  'grad aliases params': /\bgrad\b/,
  'buffer aliases params': /state buffer '/,
  'foreign state': /\bstate\b/,
  'buffer length': /state buffer '/,
  'bad t': /state\.t\b/,
};
const bytes = (v: Vec): Uint8Array => new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * G6: a rejected step changes nothing: for each kind of bad input, step throws a TypeError or
 * RangeError whose message names the offending parameter, and every byte of params, grad, every
 * state buffer and state.t is as before.
 */
export const G6: Law = {
  id: 'G6',
  title:
    'a rejected step (wrong length, wrong dtype, aliasing, mismatched state) throws an error naming the parameter and changes no byte',
  tolerance: 'byte for byte: a rejected step must not write at all',
  runs: 150,
  property: (entry, dtype) =>
    fc.property(stepCase(entry, dtype, { length: { min: 2, max: 8 } }), fc.constantFrom(...FAULTS), (c, fault) => {
      const { opt, state, params } = replayHistory(entry, dtype, c);
      const other = dtype === 'float64' ? 'float32' : 'float64';
      let p: Vec = params;
      let g: Vec = c.grad.slice();
      let st: OptimizerState = state;
      const n = params.length;
      const first = entry.buffers[0];
      switch (fault) {
        case 'grad length':
          g = c.grad.slice(1);
          break;
        case 'params length':
          p = params.subarray(1);
          break;
        case 'grad dtype':
          g = CTOR[other].from(c.grad);
          break;
        case 'params dtype':
          p = CTOR[other].from(params);
          break;
        case 'grad aliases params':
          g = params.subarray(0);
          break;
        case 'buffer aliases params':
          if (first === undefined) return true; // no buffers: nothing can alias
          st = { ...state, buffers: { ...state.buffers, [first]: params.subarray(0) } };
          break;
        case 'foreign state':
          st = { ...state, optimizer: entry.name === 'sgd' ? 'adam' : 'sgd' };
          break;
        case 'buffer length':
          if (first === undefined) return true;
          st = { ...state, buffers: { ...state.buffers, [first]: new CTOR[dtype](n + 1) } };
          break;
        case 'bad t':
          st = { ...state, t: -1 };
          break;
      }
      const before = {
        p: bytes(params),
        g: bytes(g),
        bufs: Object.fromEntries(Object.entries(st.buffers).map(([k, v]) => [k, bytes(v)])),
        t: st.t,
      };
      let err: unknown;
      try {
        opt.step(p, g, st);
      } catch (e) {
        err = e;
      }
      must(
        err instanceof TypeError || err instanceof RangeError,
        () => `${fault}: step did not throw a TypeError/RangeError (got ${String(err)})`,
      );
      const msg = (err as Error).message;
      must(NAMES[fault].test(msg), () => `${fault}: the error does not name the parameter (${NAMES[fault]}): "${msg}"`);
      must(sameBytes(bytes(params), before.p), () => `${fault}: params changed by a rejected step ("${msg}")`);
      must(sameBytes(bytes(g), before.g), () => `${fault}: grad changed by a rejected step`);
      for (const [k, v] of Object.entries(st.buffers))
        must(
          sameBytes(bytes(v), before.bufs[k]!),
          () => `${fault}: state buffer ${k} changed by a rejected step ("${msg}")`,
        );
      must(st.t === before.t && state.t === c.history.length, () => `${fault}: state.t changed by a rejected step`);
      return true;
    }),
};

export const structureLaws: Law[] = [G1, G2, G3, G4, G5, G6];
