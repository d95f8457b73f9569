/**
 * State serialisation: plain JSON, exact round trip (every bit of every buffer, NaN payloads and
 * −0 included, the step counter and the dtype). Buffers are stored as base64 of their
 * little-endian bytes, whatever the platform's byte order.
 */
import { engineOf } from '../engine/wasm.js';
import { CTOR, dtypeOf } from './define.js';
import { showValue } from './show.js';
import type { Dtype, Optimizer, OptimizerState, Vec } from './types.js';

export const STATE_FORMAT = 'optimlab.state' as const;
export const STATE_VERSION = 1 as const;

export interface SerializedState {
  format: typeof STATE_FORMAT;
  version: typeof STATE_VERSION;
  optimizer: string;
  dtype: Dtype;
  size: number;
  t: number;
  /** The optimizer's hyperparameters when serialised (provenance; restoreState does not apply them). */
  hyper?: Record<string, number | boolean | string>;
  /**
   * The convention options in force when serialised (given the optimizer; docs/conventions.md).
   * They decide what the buffers mean (AMSGrad's vhat raw or bias-corrected, momentum's v with or
   * without η, Adagrad's G without G_0), so restoreState checks them against the optimizer it is
   * given. Optional: absent when serializeState had no optimizer, and in states written before
   * conventions were recorded (still version 1: readers that do not know the field ignore it).
   */
  conventions?: Record<string, number | boolean | string>;
  buffers: Record<string, string>;
}

const BYTES = { float64: 8, float32: 4 } as const;

/** The platform stores numbers little-endian (the format's byte order): bytes are copied, not converted. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The buffer's little-endian bytes in base64. `littleEndian`: the platform's byte order (a parameter
 * so that the tests run the big-endian path too, on any machine).
 */
export function encode(v: Vec, littleEndian = LITTLE_ENDIAN): string {
  // Equivalent mutants (`true`, `false`) on a little-endian machine: the copy and the
  // DataView path below give the same bytes there (test/state-input.test.ts runs both); on a
  // big-endian machine `true` would write the bytes in the wrong order.
  if (littleEndian) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
  const bytes = new Uint8Array(v.length * v.BYTES_PER_ELEMENT);
  const dv = new DataView(bytes.buffer);
  if (dtypeOf(v) === 'float64') for (let i = 0; i < v.length; i++) dv.setFloat64(i * 8, v[i]!, true);
  else for (let i = 0; i < v.length; i++) dv.setFloat32(i * 4, v[i]!, true);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Index of the first character that makes `s` not canonical padded base64, or -1. A loop, not a regex: any length fits. */
function base64Error(s: string): number {
  if (s.length % 4 !== 0) return s.length;
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const end = s.length - pad;
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    // A–Z a–z 0–9 + /
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47)) return i;
  }
  return -1;
}

/** The buffer `where` from base64 of little-endian bytes (`littleEndian`: as for encode). */
export function decode(s: string, dtype: Dtype, size: number, where: string, littleEndian = LITTLE_ENDIAN): Vec {
  // Node's decoder skips characters outside the alphabet; a corrupted buffer must not slip through.
  // (A regex over the whole string overflowed the stack from about 419k float64 values: issue 12, S4.)
  // Canonical iff re-encoding gives the text back (native, and faster than a loop in JS); the
  // loop only finds the first bad character for the message.
  const buf = Buffer.from(s, 'base64');
  if (buf.toString('base64') !== s) {
    const bad = base64Error(s);
    throw new TypeError(
      `restoreState: buffer '${where}' is not valid base64 (${bad === s.length ? `its length ${s.length} is not a multiple of 4` : bad >= 0 ? `character ${bad} is ${JSON.stringify(s[bad])}` : 'not in canonical form'})`,
    );
  }
  if (buf.length !== size * BYTES[dtype]) {
    throw new RangeError(
      `restoreState: buffer '${where}' holds ${buf.length} bytes; ${size} ${dtype} values need ${size * BYTES[dtype]}`,
    );
  }
  const out = new CTOR[dtype](size);
  // Equivalent mutants (`true`, `false`, `{}`) on a little-endian machine: the copy and the
  // DataView path below give the same values there (test/state-input.test.ts runs both); on a
  // big-endian machine `true` or `{}` would read the bytes in the wrong order.
  if (littleEndian) {
    new Uint8Array(out.buffer).set(buf);
    return out;
  }
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (dtype === 'float64') for (let i = 0; i < size; i++) out[i] = dv.getFloat64(i * 8, true);
  else for (let i = 0; i < size; i++) out[i] = dv.getFloat32(i * 4, true);
  return out;
}

/** Plain-JSON snapshot of `state` (pass the optimizer to record its hyperparameters and conventions too). */
export function serializeState(state: OptimizerState, optimizer?: Optimizer): SerializedState {
  const buffers: Record<string, string> = {};
  for (const [k, v] of Object.entries(state.buffers)) buffers[k] = encode(v);
  return {
    format: STATE_FORMAT,
    version: STATE_VERSION,
    optimizer: state.optimizer,
    dtype: state.dtype,
    size: state.size,
    t: state.t,
    ...(optimizer ? { hyper: { ...optimizer.hyper }, conventions: { ...optimizer.conventions } } : {}),
    buffers,
  };
}

/**
 * Rebuilds a state from `serializeState`'s output (an object or its JSON text). With `optimizer`,
 * also checks that the state belongs to it, has exactly its buffers and, where the state recorded
 * them, was made under the same convention options (a TypeError names the first that differs), and
 * places the buffers where the optimizer's `init` would (a wasm engine's memory, for { engine }).
 */
export function restoreState(
  data: SerializedState | string,
  optimizer?: Optimizer & { init: Optimizer['init'] },
): OptimizerState {
  let d: Partial<SerializedState>;
  try {
    d = (typeof data === 'string' ? JSON.parse(data) : data) as Partial<SerializedState>;
  } catch (e) {
    throw new TypeError(`restoreState: the text is not JSON (${(e as Error).message})`);
  }
  // Equivalent mutant (`false` for the typeof test): a primitive has no format, so the last
  // test refuses it with the same message.
  if (d === null || typeof d !== 'object' || d.format !== STATE_FORMAT) {
    throw new TypeError(`restoreState: not an optimlab state (format must be '${STATE_FORMAT}')`);
  }
  if (d.version !== STATE_VERSION)
    throw new RangeError(`restoreState: version ${String(d.version)}; this optimlab reads version ${STATE_VERSION}`);
  if (d.dtype !== 'float64' && d.dtype !== 'float32')
    throw new TypeError(
      `restoreState: dtype = ${typeof d.dtype === 'string' ? d.dtype : showValue(d.dtype)}; allowed: 'float64' or 'float32'`,
    );
  const typed = (v: unknown): string => `${showValue(v)}${typeof v === 'string' ? ' (a string)' : ''}`;
  if (!Number.isSafeInteger(d.size) || (d.size as number) < 0)
    throw new RangeError(`restoreState: size = ${typed(d.size)}; allowed: an integer ≥ 0 (a number)`);
  if (!Number.isSafeInteger(d.t) || (d.t as number) < 0)
    throw new RangeError(`restoreState: t = ${typed(d.t)}; allowed: an integer ≥ 0 (a number)`);
  if (typeof d.optimizer !== 'string')
    throw new TypeError(`restoreState: optimizer name missing or not a string (optimizer = ${showValue(d.optimizer)})`);
  if (typeof d.buffers !== 'object' || d.buffers === null || Array.isArray(d.buffers))
    throw new TypeError(
      `restoreState: buffers missing or not an object of base64 strings (buffers = ${showValue(d.buffers)})`,
    );
  const size = d.size as number;
  const buffers: Record<string, Vec> = {};
  for (const [k, s] of Object.entries(d.buffers)) {
    // a name from the file becomes a key: never one that objects inherit ('__proto__' would set the record's prototype)
    if (!/^[A-Za-z_$][\w$]{0,63}$/.test(k) || k in Object.prototype)
      throw new TypeError(
        `restoreState: buffer name ${JSON.stringify(k)} is not allowed; allowed: an identifier such as 'm' that objects do not inherit`,
      );
    if (typeof s !== 'string')
      throw new TypeError(`restoreState: buffer '${k}' is not a base64 string (it is ${showValue(s)})`);
    buffers[k] = decode(s, d.dtype, size, k);
  }
  const recorded = d.conventions;
  if (recorded !== undefined) {
    if (recorded === null || typeof recorded !== 'object' || Array.isArray(recorded)) {
      throw new TypeError(
        `restoreState: conventions = ${showValue(recorded)}; allowed: an object of convention options such as { "epsMode": "hat" }`,
      );
    }
    for (const [k, v] of Object.entries(recorded)) {
      if (typeof v !== 'number' && typeof v !== 'boolean' && typeof v !== 'string') {
        throw new TypeError(`restoreState: convention '${k}' = ${showValue(v)}; allowed: a number, boolean or string`);
      }
    }
  }
  const state: OptimizerState = { optimizer: d.optimizer, dtype: d.dtype, size, t: d.t as number, buffers };
  if (optimizer) {
    if (recorded !== undefined && optimizer.name === state.optimizer) {
      const have = optimizer.conventions ?? {};
      const show = (v: unknown): string => (v === undefined ? '(not set)' : JSON.stringify(v));
      // own properties only: a recorded 'constructor' is a name like any other (D2)
      const get = (o: object, k: string): unknown =>
        Object.prototype.hasOwnProperty.call(o, k) ? (o as Record<string, unknown>)[k] : undefined;
      for (const k of [...new Set([...Object.keys(recorded), ...Object.keys(have)])]) {
        if (!Object.is(get(recorded, k), get(have, k))) {
          throw new TypeError(
            `restoreState: the state was made with convention ${k} = ${show(get(recorded, k))}, the optimizer has ${k} = ${show(get(have, k))}; the state's buffers mean something else under other conventions: build the optimizer with conventions ${JSON.stringify(recorded)}`,
          );
        }
      }
    }
    if (optimizer.name !== state.optimizer) {
      throw new TypeError(`restoreState: the state belongs to '${state.optimizer}', not '${optimizer.name}'`);
    }
    const want = Object.keys(optimizer.init(0, state.dtype).buffers).sort().join(',');
    const have = Object.keys(buffers).sort().join(',');
    if (want !== have)
      throw new TypeError(`restoreState: buffers [${have}] do not match ${optimizer.name}'s [${want}]`);
    // An optimizer with a wasm engine gets its state in the engine's memory (after every check:
    // a rejected restore takes nothing from it).
    const engine = optimizer.engine;
    if (engine) {
      const placed: Record<string, Vec> = {};
      try {
        for (const k of Object.keys(buffers)) placed[k] = engine.from(buffers[k]!);
      } catch (e) {
        for (const v of Object.values(placed)) engine.free(v);
        throw e;
      }
      Object.assign(buffers, placed);
    }
  }
  return state;
}

/** A deep copy of a state (for checkpoints in memory); buffers in a wasm engine's memory are copied within it. */
export function cloneState(state: OptimizerState): OptimizerState {
  const buffers: Record<string, Vec> = {};
  for (const [k, v] of Object.entries(state.buffers)) buffers[k] = engineOf(v)?.from(v) ?? v.slice();
  return { ...state, buffers };
}
