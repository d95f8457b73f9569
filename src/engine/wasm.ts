/**
 * The WebAssembly engine: typed arrays that live in a WebAssembly memory, and the wasm kernels that
 * step them.
 *
 *   const engine = await wasmEngine();
 *   const params = engine.alloc(n, 'float32');          // a Float32Array view of the engine's memory
 *   const grad = engine.alloc(n, 'float32');
 *   const opt = createOptimizer('adam', { lr: 1e-3 }, { engine });
 *   const state = opt.init(n, 'float32');                // its buffers in the engine's memory too
 *   opt.step(params, grad, state);                       // runs the wasm kernel
 *
 * `step` runs the wasm kernel when params, grad and every state buffer are views of one engine's
 * memory, and the JS kernel otherwise. Both give the same bits (docs/wasm.md), so the choice never
 * changes a result, and nothing is ever copied.
 *
 * The memory is a shared WebAssembly.Memory: when it grows, views made earlier stay valid (a
 * non-shared memory would detach them). V8 gives a new SharedArrayBuffer object over the same
 * bytes after each growth of this memory, and also after a growth of ANY shared memory of the
 * process (another engine's, measured on Node 20: `m1.buffer` changes identity when `m2` grows).
 * So the engine remembers every buffer object it has seen (made a view of, or found current when a
 * lookup missed), and `owns`, step's residency test and its overlap test recognise views made
 * before and after any growth; byte offsets all count from the start of the one memory.
 *
 * Memory is managed by hand: `free` returns an array's block (the view must not be used after),
 * `freeState` every buffer of a state. Nothing is freed behind your back: a view that is still
 * reachable, or a subarray of it, keeps pointing into the memory.
 */
import type { Dtype, OptimizerState, Vec } from '../optimizers/types.js';
import { Heap } from './heap.js';

/**
 * The parts of the WebAssembly JS API used here (TypeScript declares them only in its DOM and
 * web-worker libraries, which this Node project does not load).
 */
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}
interface WasmModule {
  readonly __brand?: 'WasmModule';
}
interface WasmApi {
  Memory: new (d: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (m: WasmModule, imports: object) => { exports: object };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const WASM_PAGE = 65536;
const BYTES = { float64: 8, float32: 4 } as const;

/** The generated module (kernels.generated.ts). */
export interface Generated {
  SOURCE_HASH: string;
  LANES: number;
  /** Element-step variants: export name → index of its adapter (build.ts). */
  STEPS: Readonly<Record<string, number>>;
  ADAPTERS: readonly ((f: KernelFn) => StepFunction)[];
  /** Kernel name → the file it was built from. */
  KERNEL_FILES: Readonly<Record<string, string>>;
  WASM_BASE64: string;
}

/** The compiled module of each generated module (one per process in practice). */
const compiled = new WeakMap<Generated, WasmModule>();

/** Which engine each memory buffer belongs to (every SharedArrayBuffer object an engine handed out). */
const OWNER = new WeakMap<ArrayBufferLike, WasmEngine>();
/** Every engine alive, to register their current buffer objects when a lookup misses. */
const LIVE = new Set<WeakRef<WasmEngine>>();
let engines = 0;

/**
 * The engine of a buffer object. A SharedArrayBuffer not seen yet may be an engine memory's current
 * buffer object, renewed by a growth of some shared memory since the engine last looked: every live
 * engine registers its current one, and the lookup is tried again. Plain ArrayBuffers (the JS
 * path's arrays) never take that branch.
 */
function ownerOf(b: ArrayBufferLike): WasmEngine | undefined {
  const e = OWNER.get(b);
  if (e !== undefined || !(b instanceof SharedArrayBuffer)) return e;
  for (const r of LIVE) {
    const x = r.deref();
    if (x === undefined) LIVE.delete(r);
    else OWNER.set(x.memory.buffer, x);
  }
  return OWNER.get(b);
}

/** True once any engine exists in this process (step skips the residency test until then). */
export function anyEngine(): boolean {
  return engines > 0;
}

/** The engine whose memory `v` is a view of, if any. */
export function engineOf(v: ArrayBufferView): WasmEngine | undefined {
  return ownerOf(v.buffer);
}

/**
 * Do two buffers hold the same bytes? The same object, or two SharedArrayBuffer objects of one
 * engine's memory (one per growth): their byte offsets then count from the same origin.
 */
export function sameMemory(a: ArrayBufferLike, b: ArrayBufferLike): boolean {
  if (a === b) return true;
  if (engines === 0) return false;
  const e = ownerOf(a);
  return e !== undefined && ownerOf(b) === e;
}

/** The engine holding params, grad and every named state buffer, or undefined if any lies elsewhere. */
export function residentEngine(
  p: Vec,
  g: Vec,
  buffers: Readonly<Record<string, Vec>>,
  names: readonly string[],
): WasmEngine | undefined {
  // Arrays made between two growths share one buffer object: only a different one is looked up
  // (a WeakMap lookup per array was a quarter of a small step's cost outside the kernel).
  const pb = p.buffer;
  const e = ownerOf(pb);
  if (e === undefined) return undefined;
  const gb = g.buffer;
  if (gb !== pb && ownerOf(gb) !== e) return undefined;
  for (let i = 0; i < names.length; i++) {
    const b = buffers[names[i]!]!.buffer;
    if (b !== pb && ownerOf(b) !== e) return undefined;
  }
  return e;
}

export interface WasmEngineOptions {
  /** Memory reserved at start, in bytes (rounded up to 64 KiB pages; default 16 MiB). It grows on demand. */
  initialBytes?: number;
  /** The most the memory may grow to, in bytes (default and at most 4 GiB, the wasm32 limit). */
  maximumBytes?: number;
}

type KernelFn = (...args: number[]) => void;

/** A kernel variant with the signature of the JS copies (docs/kernels.md): (p, g, state.buffers, scalars). */
export type StepFunction = (
  p: Vec,
  g: Vec,
  b: Readonly<Record<string, Vec>>,
  s: Readonly<Record<string, number>>,
) => void;

export class WasmEngine {
  readonly kind = 'wasm' as const;
  readonly memory: WasmMemory;
  private readonly exports: Record<string, KernelFn>;
  private readonly heap: Heap;
  private readonly maxPages: number;
  private readonly steps = new WeakMap<object, Record<Dtype, (StepFunction | null)[]>>();
  private kernelCalls = 0;

  /** Use `wasmEngine()`. */
  constructor(
    module: WasmModule,
    private readonly generated: Generated,
    options: WasmEngineOptions = {},
  ) {
    const pages = (bytes: number | undefined, def: number, what: string): number => {
      const b = bytes ?? def;
      if (typeof b !== 'number' || !Number.isFinite(b) || b < 0 || b > 2 ** 32)
        throw new RangeError(
          `wasmEngine: ${what} = ${String(bytes)}; allowed: a number of bytes from 0 to 4 GiB (2^32)`,
        );
      return Math.ceil(b / WASM_PAGE);
    };
    const initial = pages(options.initialBytes, 16 * 2 ** 20, 'initialBytes');
    this.maxPages = Math.max(1, pages(options.maximumBytes, 2 ** 32, 'maximumBytes'));
    if (initial > this.maxPages)
      throw new RangeError(
        `wasmEngine: initialBytes (${options.initialBytes}) exceeds maximumBytes (${options.maximumBytes})`,
      );
    this.memory = new WA.Memory({ initial, maximum: this.maxPages, shared: true });
    const instance = new WA.Instance(module, { env: { memory: this.memory } });
    this.exports = instance.exports as unknown as Record<string, KernelFn>;
    OWNER.set(this.memory.buffer, this);
    LIVE.add(new WeakRef(this));
    this.heap = new Heap(initial * WASM_PAGE, (minBytes) => this.grow(minBytes));
    engines++;
  }

  private grow(minBytes: number): number {
    const have = this.memory.buffer.byteLength / WASM_PAGE;
    // Double, at least: growth is rare and each one leaves a SharedArrayBuffer object behind.
    const want = Math.min(this.maxPages, Math.max(have + Math.ceil(minBytes / WASM_PAGE), 2 * have));
    if (want - have < Math.ceil(minBytes / WASM_PAGE)) {
      throw new RangeError(
        `wasm engine: out of memory: ${minBytes} more bytes needed, ${have * WASM_PAGE} in use of at most ${this.maxPages * WASM_PAGE} (wasmEngine's maximumBytes)`,
      );
    }
    this.memory.grow(want - have);
    OWNER.set(this.memory.buffer, this);
    return want * WASM_PAGE;
  }

  /** A zeroed array of n elements of `dtype` in the engine's memory. */
  alloc(n: number, dtype: Dtype = 'float64'): Vec {
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)
      throw new RangeError(`engine.alloc: n = ${String(n)}; allowed: an integer ≥ 0`);
    if (dtype !== 'float64' && dtype !== 'float32')
      throw new TypeError(`engine.alloc: dtype = ${JSON.stringify(dtype)}; allowed: 'float64' or 'float32'`);
    const bytes = n * BYTES[dtype];
    if (bytes > this.maxPages * WASM_PAGE)
      throw new RangeError(
        `engine.alloc: ${n} ${dtype} elements need ${bytes} bytes; the engine's memory holds at most ${this.maxPages * WASM_PAGE}`,
      );
    // A zero-length array takes no block (free accepts it and does nothing).
    if (n === 0) return this.view(dtype, 0, 0);
    const v = this.view(dtype, this.heap.alloc(bytes), n);
    v.fill(0);
    return v;
  }

  private view(dtype: Dtype, start: number, n: number): Vec {
    const buf = this.memory.buffer;
    if (OWNER.get(buf) !== this) OWNER.set(buf, this); // renewed by a growth of another shared memory
    return dtype === 'float64' ? new Float64Array(buf, start, n) : new Float32Array(buf, start, n);
  }

  /** A copy of `src` in the engine's memory (same dtype). */
  from(src: Vec): Vec {
    const dtype: Dtype | undefined =
      src instanceof Float64Array ? 'float64' : src instanceof Float32Array ? 'float32' : undefined;
    if (!dtype) throw new TypeError(`engine.from: expected a Float64Array or Float32Array; got ${describe(src)}`);
    const v = this.alloc(src.length, dtype);
    v.set(src);
    return v;
  }

  /** Is `v` a view of this engine's memory? */
  owns(v: unknown): boolean {
    return ArrayBuffer.isView(v) && ownerOf(v.buffer) === this;
  }

  /**
   * Returns the block of an array `alloc` or `from` made. The array must not be used afterwards
   * (its bytes go to the next allocation). Throws, changing nothing, for anything else.
   */
  free(v: Vec): void {
    if (!this.owns(v)) throw new TypeError(`engine.free: the array is not in this engine's memory (${describe(v)})`);
    if (v.length === 0) return;
    const size = this.heap.sizeOf(v.byteOffset);
    if (size === undefined || v.byteLength > size) {
      throw new RangeError(
        `engine.free: no allocation starts at byte ${v.byteOffset} with this array's length: freed already, or a subarray of one`,
      );
    }
    this.heap.dealloc(v.byteOffset);
  }

  /**
   * Runs `f` with params, grad and the named state buffers, each the array itself when it is in
   * this engine's memory and otherwise a copy in it; then copies params and the buffers back (a
   * TypedArray.set between arrays of one type copies bytes: bit for bit) and frees the copies.
   * The staging mode of an optimizer (placement { engine, stage: true }) steps this way.
   */
  staged(
    p: Vec,
    g: Vec,
    buffers: Readonly<Record<string, Vec>>,
    names: readonly string[],
    f: (p: Vec, g: Vec, buffers: Record<string, Vec>) => void,
  ): void {
    const copies: Vec[] = [];
    const here = (v: Vec): Vec => {
      if (this.owns(v)) return v;
      const c = this.from(v);
      copies.push(c);
      return c;
    };
    try {
      const sp = here(p);
      const sg = here(g);
      const sb: Record<string, Vec> = {};
      for (const k of names) sb[k] = here(buffers[k]!);
      f(sp, sg, sb);
      if (sp !== p) p.set(sp);
      for (const k of names) if (sb[k] !== buffers[k]) buffers[k]!.set(sb[k]!);
    } finally {
      for (const c of copies) this.free(c);
    }
  }

  /** Frees every buffer of an optimizer state whose buffers this engine holds (init with { engine }). */
  freeState(state: OptimizerState): void {
    const bufs = Object.values(state.buffers);
    for (const b of bufs)
      if (!this.owns(b))
        throw new TypeError(
          "engine.freeState: a buffer of the state is not in this engine's memory; nothing was freed",
        );
    for (const b of bufs) this.free(b);
  }

  /** Memory use (live blocks, bytes in them, free bytes, the memory's size) and the kernel calls so far (one per step run on the engine). */
  stats(): { blocks: number; bytesInUse: number; bytesFree: number; memoryBytes: number; kernelCalls: number } {
    return { ...this.heap.stats(), kernelCalls: this.kernelCalls };
  }

  /**
   * The wasm function of a kernel in the element-step form (docs/kernels.md) for one dtype and
   * switch setting, with the JS copy's signature (p, g, state.buffers, scalars), or undefined when
   * the engine has none (then step runs the JS copy).
   */
  step(kernel: { readonly name: string; readonly file: string }, dtype: Dtype, bits: number): StepFunction | undefined {
    // Cached per kernel object (its copies, kernelsOf(entry)): a step builds no key and allocates nothing.
    let table = this.steps.get(kernel);
    if (table === undefined) this.steps.set(kernel, (table = { float64: [], float32: [] }));
    let f = table[dtype][bits];
    if (f === undefined) {
      const key = `${kernel.name}.${dtype}.${bits}`;
      const k = this.generated.STEPS[key];
      const fn = this.exports[key];
      f = k === undefined || fn === undefined || !this.serves(kernel) ? null : this.generated.ADAPTERS[k]!(fn);
      table[dtype][bits] = f;
    }
    if (f === null) return undefined;
    this.kernelCalls++;
    return f;
  }

  /**
   * Was the engine built from this kernel (kernelsOf(entry): its name and file)? A kernel of an
   * optimizer defined outside optimlab (file 'optimizer:<name>') never is, whatever its name: step
   * runs its JS copy on either engine.
   */
  serves(kernel: { readonly name: string; readonly file: string }): boolean {
    return this.generated.KERNEL_FILES[kernel.name] === kernel.file;
  }

  /** The hash of the kernel sources the wasm was built from (src/engine/build.ts). */
  get sourceHash(): string {
    return this.generated.SOURCE_HASH;
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v !== 'object') return typeof v;
  return (v as object).constructor?.name ?? 'object';
}

/** A new engine with its own memory over the kernels of `generated` (compiled once). */
export function createEngine(generated: Generated, options: WasmEngineOptions = {}): WasmEngine {
  let module = compiled.get(generated);
  if (module === undefined) {
    module = new WA.Module(Buffer.from(generated.WASM_BASE64, 'base64'));
    compiled.set(generated, module);
  }
  return new WasmEngine(module, generated, options);
}

/**
 * A new engine with its own memory. The kernels are loaded on the first call (the core never
 * loads them otherwise) and compiled once per process.
 */
export async function wasmEngine(options: WasmEngineOptions = {}): Promise<WasmEngine> {
  let generated: Generated;
  try {
    generated = (await import('./kernels.generated.js')) as Generated;
  } catch (e) {
    throw new Error(
      `the wasm kernels are not built (src/engine/kernels.generated.ts is missing): run \`npm run build\` (${(e as Error).message})`,
    );
  }
  return createEngine(generated, options);
}
