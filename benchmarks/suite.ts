/**
 * The tasks of a run that optimlab steps itself: for each dtype and size, the roofline (triad,
 * copy), the hand-written loops, and every selected optimizer of the registry on each engine (the
 * JS kernels, then the wasm engine's right after), in that order, so that each optimizer is
 * measured minutes at most after the triad it is divided by, and its two engines seconds apart.
 *
 * Each task gets its arrays from the group's arena (below), filled from seeded data (seedrandom),
 * one `step` per iteration (or a block of steps at small n), and reads one output element per call
 * into a sink so no work can be optimised away. After the task, a sample of outputs is checked finite.
 *
 * Why an arena. Where the arrays of a step lie relative to each other changes its speed once they
 * no longer fit in cache, and arrays allocated with `new` get whichever
 * placement glibc's malloc gives, which depends on what earlier tasks freed: a task's speed then
 * depended on the tasks before it (docs/benchmarking.md, "Memory placement", has the measurements).
 * The arena makes the placement the same for every task and every run: one block per group, arrays
 * at page-multiple distances (the placement of arrays allocated fresh in a new process), reused by
 * each task in turn, so nothing is allocated or freed between tasks either. The wasm engine's tasks
 * take their arrays from a second arena of the same layout whose block lies in the engine's memory
 * (`engine.alloc`): step finds every array there and runs the wasm kernel on them in place, with
 * nothing copied (docs/wasm.md).
 */
import seedrandom from 'seedrandom';
import { getOptimizer } from '../src/optimizers/registry.js';
import { kernelsOf, type OptimizerEntry } from '../src/optimizers/define.js';
import type { Dtype, Vec } from '../src/optimizers/types.js';
import type { WasmEngine } from '../src/engine/wasm.js';
import {
  COPY_STREAMS,
  HAND_ADAM_STREAMS,
  HAND_SGD_STREAMS,
  TRIAD_STREAMS,
  copy32,
  copy64,
  handAdam32,
  handAdam64,
  handSgd32,
  handSgd64,
  triad32,
  triad64,
} from './loops.js';
import { blockFor } from './measure.js';
import type { CoreEngine, TaskKind, TaskResult } from './schema.js';

export const BYTES: Record<Dtype, number> = { float64: 8, float32: 4 };
const CTOR = { float64: Float64Array, float32: Float32Array } as const;

/** Streams per element of a registry optimizer: params read+written, grad read, each buffer read+written. */
export function optimizerStreams(bufferCount: number): number {
  return 2 + 1 + 2 * bufferCount;
}

/** A task ready to prepare: what it is (the identity fields of its result) and how to build its timed function. */
export interface PlannedTask extends Pick<
  TaskResult,
  'id' | 'kind' | 'name' | 'engine' | 'dtype' | 'n' | 'block' | 'streams'
> {
  /** Allocates the task's arrays and returns the function to time plus a finiteness check. */
  prepare(data: GroupData): Prepared;
}

export interface Prepared {
  fn: () => void;
  /** Throws when the outputs went non-finite (the measurement would be meaningless). */
  check(): void;
  /** Releases what prepare made (tensors, for peers); returns the tensors leaked, if it counts them. */
  dispose?(): number | void;
  /**
   * Streams: copies the group's inputs into the arrays again, for `fn` to run once more after other
   * tasks have used the arena (the triad is measured again after each task, with the same `fn`).
   */
  reload?(): void;
}

/** Page size the arena aligns to (x86-64 and arm64 Linux, macOS x86-64). */
export const PAGE = 4096;
/** Arrays a task may take at once: a paired core/hand measurement of adam takes 4 + 4. */
export const ARENA_SLOTS = 8;

/**
 * One block of memory per (dtype, n) group, handed out as arrays of n elements at page-multiple
 * distances from each other (see the module comment). `reset` makes every slot free again; the
 * next task takes them from the start. Allocated on the first `take`: an ArrayBuffer, or with
 * `engine` a block of the engine's memory (page-aligned by its allocator), given back by `dispose`.
 */
export class Arena {
  private block: Vec | undefined;
  private next = 0;
  readonly stride: number;
  constructor(
    readonly dtype: Dtype,
    readonly n: number,
    readonly slots = ARENA_SLOTS,
    readonly engine?: WasmEngine,
  ) {
    this.stride = Math.max(PAGE, Math.ceil((n * BYTES[dtype]) / PAGE) * PAGE);
  }
  /** The next slot, zeroed; with `from`, a copy of it. */
  take(from?: Vec): Vec {
    if (this.next >= this.slots)
      throw new RangeError(
        `benchmark arena (${this.dtype}, n = ${this.n}): a task took more than ${this.slots} arrays`,
      );
    const bytes = this.stride * this.slots;
    this.block ??= this.engine
      ? this.engine.alloc(bytes / BYTES[this.dtype], this.dtype)
      : new CTOR[this.dtype](new ArrayBuffer(bytes));
    const v = new CTOR[this.dtype](
      this.block.buffer as ArrayBuffer,
      this.block.byteOffset + this.stride * this.next++,
      this.n,
    );
    if (from) v.set(from);
    else v.fill(0);
    return v;
  }
  reset(): void {
    this.next = 0;
  }
  /** Gives an engine's block back (the arrays taken must not be used afterwards). */
  dispose(): void {
    if (this.engine && this.block) this.engine.free(this.block);
    this.block = undefined;
    this.next = 0;
  }
}

/**
 * The seeded inputs shared by the tasks of one (dtype, n) group, and the arenas the tasks copy them
 * into: `arena` for JS, `wasm` (in the engine's memory) when the run measures the wasm engine.
 */
export interface GroupData {
  params: Vec;
  grad: Vec;
  arena: Arena;
  wasm?: Arena;
}

/** Everything read from outputs lands here, so the work that produced it cannot be dropped. */
let sink = 0;
export function sinkValue(): number {
  return sink;
}

const STRIDE = 7919; // a prime: successive reads visit scattered elements

/**
 * Seeded inputs: params uniform in [−1, 1]; gradients ±[0.05, 1] with a random sign, never 0, so
 * every optimizer does its full arithmetic and no denominator is a guarded zero.
 */
export function makeGroupData(dtype: Dtype, n: number, seed: string, engine?: WasmEngine): GroupData {
  const rng = seedrandom.alea(`${seed}:${dtype}:${n}`);
  const params = new CTOR[dtype](n);
  const grad = new CTOR[dtype](n);
  for (let i = 0; i < n; i++) {
    params[i] = 2 * rng() - 1;
    const mag = 0.05 + 0.95 * rng();
    grad[i] = rng() < 0.5 ? -mag : mag;
  }
  return {
    params,
    grad,
    arena: new Arena(dtype, n),
    ...(engine ? { wasm: new Arena(dtype, n, ARENA_SLOTS, engine) } : {}),
  };
}

function checkFinite(id: string, v: Vec): void {
  const step = Math.max(1, Math.floor(v.length / 64));
  for (let i = 0; i < v.length; i += step) {
    if (!Number.isFinite(v[i]!))
      throw new Error(`${id}: output element ${i} is ${v[i]} after the run; the measurement is discarded`);
  }
}

export const taskId = (kind: TaskKind, name: string, dtype: Dtype, n: number): string =>
  `${kind}:${name}:${dtype}:${n}`;

function streamTask(name: 'triad' | 'copy', dtype: Dtype, n: number, minBlock: number): PlannedTask {
  const id = taskId('stream', name, dtype, n);
  const block = blockFor(n, minBlock);
  return {
    id,
    kind: 'stream',
    name,
    engine: 'js',
    dtype,
    n,
    block,
    streams: name === 'triad' ? TRIAD_STREAMS : COPY_STREAMS,
    prepare(data) {
      const b = data.arena.take(data.params);
      const c = data.arena.take(data.grad);
      const a = data.arena.take();
      let k = 0;
      let fn: () => void;
      if (dtype === 'float64') {
        const [a64, b64, c64] = [a as Float64Array, b as Float64Array, c as Float64Array];
        fn =
          name === 'triad'
            ? () => {
                for (let j = 0; j < block; j++) triad64(a64, b64, c64, 0.5);
                k = (k + STRIDE) % n;
                sink += a64[k]!;
              }
            : () => {
                for (let j = 0; j < block; j++) copy64(a64, b64);
                k = (k + STRIDE) % n;
                sink += a64[k]!;
              };
      } else {
        const [a32, b32, c32] = [a as Float32Array, b as Float32Array, c as Float32Array];
        fn =
          name === 'triad'
            ? () => {
                for (let j = 0; j < block; j++) triad32(a32, b32, c32, 0.5);
                k = (k + STRIDE) % n;
                sink += a32[k]!;
              }
            : () => {
                for (let j = 0; j < block; j++) copy32(a32, b32);
                k = (k + STRIDE) % n;
                sink += a32[k]!;
              };
      }
      return {
        fn,
        check: () => checkFinite(id, a),
        reload: () => {
          b.set(data.params);
          c.set(data.grad);
        },
      };
    },
  };
}

/** Hand-written sgd / adam with the defaults of the registry entry of the same name. */
function handTask(name: 'sgd' | 'adam', dtype: Dtype, n: number, minBlock: number): PlannedTask {
  const id = taskId('hand', name, dtype, n);
  const block = blockFor(n, minBlock);
  const d = getOptimizer(name).defaults as Record<string, number>;
  const lr = d.lr!;
  return {
    id,
    kind: 'hand',
    name,
    engine: 'js',
    dtype,
    n,
    block,
    streams: name === 'sgd' ? HAND_SGD_STREAMS : HAND_ADAM_STREAMS,
    prepare(data) {
      const p = data.arena.take(data.params);
      const g = data.arena.take(data.grad);
      const m = name === 'adam' ? data.arena.take() : new CTOR[dtype](0);
      const v = name === 'adam' ? data.arena.take() : new CTOR[dtype](0);
      let k = 0;
      let t = 0;
      let fn: () => void;
      const [b1, b2, eps] = [d.beta1!, d.beta2!, d.eps!];
      if (dtype === 'float64') {
        const [p64, g64, m64, v64] = [p as Float64Array, g as Float64Array, m as Float64Array, v as Float64Array];
        fn =
          name === 'sgd'
            ? () => {
                for (let j = 0; j < block; j++) handSgd64(p64, g64, lr);
                k = (k + STRIDE) % n;
                sink += p64[k]!;
              }
            : () => {
                for (let j = 0; j < block; j++) handAdam64(p64, g64, m64, v64, ++t, lr, b1, b2, eps);
                k = (k + STRIDE) % n;
                sink += p64[k]!;
              };
      } else {
        const [p32, g32, m32, v32] = [p as Float32Array, g as Float32Array, m as Float32Array, v as Float32Array];
        fn =
          name === 'sgd'
            ? () => {
                for (let j = 0; j < block; j++) handSgd32(p32, g32, lr);
                k = (k + STRIDE) % n;
                sink += p32[k]!;
              }
            : () => {
                for (let j = 0; j < block; j++) handAdam32(p32, g32, m32, v32, ++t, lr, b1, b2, eps);
                k = (k + STRIDE) % n;
                sink += p32[k]!;
              };
      }
      return { fn, check: () => checkFinite(id, p) };
    },
  };
}

/**
 * The optimizer `name` (built in, or an outside entry) with its defaults, through the public
 * create/init/step path, on `engine`: 'js' steps arrays of the JS arena (the JS kernels), 'wasm'
 * arrays of the arena in the wasm engine's memory (step finds them all there and runs the wasm
 * kernel in place). A wasm task checks that every step ran on the engine.
 */
function coreTask(
  name: string,
  dtype: Dtype,
  n: number,
  minBlock: number,
  lookup: (name: string) => OptimizerEntry,
  engine: CoreEngine = 'js',
): PlannedTask {
  const entry = lookup(name);
  const id = taskId('core', engine === 'js' ? name : `${engine}/${name}`, dtype, n);
  const block = blockFor(n, minBlock);
  return {
    id,
    kind: 'core',
    name,
    engine,
    dtype,
    n,
    block,
    streams: optimizerStreams(entry.buffers.length),
    prepare(data) {
      const arena = engine === 'js' ? data.arena : data.wasm;
      if (!arena?.engine && engine === 'wasm') throw new Error(`${id}: no wasm engine in this run`);
      const opt = entry.create();
      // The state as init makes it (zeroed buffers), with its buffers placed in the arena.
      const state = opt.init(n, dtype);
      for (const b of Object.keys(state.buffers)) state.buffers[b] = arena!.take();
      const p = arena!.take(data.params);
      const g = arena!.take(data.grad);
      const calls = (): number => arena!.engine?.stats().kernelCalls ?? 0;
      const before = calls();
      let steps = 0;
      let k = 0;
      const fn = (): void => {
        for (let j = 0; j < block; j++) opt.step(p, g, state);
        steps += block;
        k = (k + STRIDE) % n;
        sink += p[k]!;
      };
      return {
        fn,
        check: () => {
          checkFinite(id, p);
          if (engine === 'wasm' && calls() - before !== steps)
            throw new Error(
              `${id}: ${calls() - before} of ${steps} steps ran on the wasm engine; the measurement is discarded`,
            );
        },
      };
    },
  };
}

/** Does the wasm engine have `entry`'s kernels (an optimizer of optimlab's, built by `npm run build`)? */
export function wasmServes(engine: WasmEngine, entry: OptimizerEntry): boolean {
  const k = kernelsOf(entry);
  return k !== undefined && engine.serves(k);
}

/** Optimizers that have a hand-written twin in loops.ts. */
export const HAND_WRITTEN = ['sgd', 'adam'] as const;

/**
 * The tasks of one (dtype, n) group, in run order: triad, copy, then each optimizer (its
 * hand-written twin right before it, where there is one), on JS and then, for the optimizers in
 * `wasm` (those the engine has kernels for), on the wasm engine.
 */
export function planGroup(
  dtype: Dtype,
  n: number,
  optimizers: readonly string[],
  minBlock: number,
  lookup: (name: string) => OptimizerEntry = getOptimizer,
  wasm: readonly string[] = [],
): PlannedTask[] {
  const tasks = [streamTask('triad', dtype, n, minBlock), streamTask('copy', dtype, n, minBlock)];
  for (const name of optimizers) {
    if ((HAND_WRITTEN as readonly string[]).includes(name))
      tasks.push(handTask(name as 'sgd' | 'adam', dtype, n, minBlock));
    tasks.push(coreTask(name, dtype, n, minBlock, lookup));
    if (wasm.includes(name)) tasks.push(coreTask(name, dtype, n, minBlock, lookup, 'wasm'));
  }
  return tasks;
}
