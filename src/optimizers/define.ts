/**
 * defineOptimizer: turns an optimizer file's description (hyperparameters, state buffers, traits,
 * kernel) into a registry entry whose `create` builds validated optimizers.
 *
 * Everything that every optimizer must do the same way lives here, once: hyperparameter
 * validation, `set` between steps, state creation, and the checks that make a rejected step
 * change nothing. An optimizer file supplies only its mathematics: the per-step scalars (`run`,
 * called once per step) and the fused element loop (`kernel`, specialised per dtype).
 */
import { anyEngine, residentEngine, sameMemory, WasmEngine } from '../engine/wasm.js';
import { sharedOptions } from './common.js';
import { resolveHyper } from './hyper.js';
import { describeValue, showValue } from './show.js';
import {
  compileAtRunTime,
  variantOf,
  type Compiled,
  type KernelFunction,
  type ScalarsOf,
  type SwitchesOf,
} from './kernel.js';
import type { Dtype, Hyper, HyperSpec, Optimizer, OptimizerState, Traits, Vec } from './types.js';

export interface OptimizerDefinition<H extends Hyper, K extends KernelFunction, C extends Hyper = Hyper> {
  /** Registry name (lower case): 'adam'. */
  name: string;
  /** Display name: 'Adam'. */
  title: string;
  /** Where the update rule comes from. */
  source: string;
  /** The exact update rule, one line per equation, as `optimlab list` prints it. */
  rule: readonly string[];
  hyper: { readonly [P in keyof H]: HyperSpec };
  /** Constraints between hyperparameters: a message when violated. */
  cross?: (h: H) => string | undefined;
  /** Names of the state buffers, each of the parameters' size and dtype, zero at init. */
  buffers: readonly string[];
  /**
   * Convention options (docs/conventions.md): switches that select another framework's formula
   * (ε placement, rate inside/outside momentum, ...). Validated like hyperparameters, fixed when the
   * optimizer is built. Traits, laws' hyperparameter draws and `buffers` describe the defaults.
   */
  conventions?: { readonly [P in keyof C]: HyperSpec };
  /** Constraints between hyperparameters and conventions: a message when violated. */
  conventionCross?: (h: H & C) => string | undefined;
  /** State buffers some conventions add (RMSprop centred: 'mg'), after `buffers`. */
  extraBuffers?: (c: Readonly<C>) => readonly string[];
  traits: Traits;
  /**
   * The kernel: the step of one element (docs/kernels.md). optimlab's own optimizers pass the copies
   * the build generated from it (`compiled.sgdKernel`, from ./generated/sgd.js); an outside optimizer
   * passes the function itself, which defineOptimizer checks and compiles (compileAtRunTime).
   */
  kernel: K | Compiled<K>;
  /**
   * The kernel's own switches for these hyperparameters and conventions, once when the optimizer is
   * built and on each `set` (the shared $neg, $decay, $keep come from maximize, weightDecay and
   * decoupledWeightDecay: common.ts).
   */
  switches?: (h: H & C) => SwitchesOf<K>;
  /**
   * The per-step scalars, written by name into `s` (one record per optimizer, reused) once per step,
   * t being the step taken. Must not allocate.
   */
  scalars: (s: ScalarsOf<K>, h: H & C, t: number) => void;
}

function isCompiled<K extends KernelFunction>(k: K | Compiled<K>): k is Compiled<K> {
  return typeof k === 'object' && k !== null && Array.isArray(k.float64);
}

/** The setting `bits` of a kernel's copies (kernel/tree.ts): the shared switches', then the kernel's own. */
function settingBits(
  c: Compiled,
  shared: number,
  own: Readonly<Record<string, unknown>> | undefined,
  optimizer: string,
): number {
  let bits = shared;
  for (const [k, v] of Object.entries(own ?? {})) {
    const j = c.switches.indexOf(k);
    if (j < 3)
      throw new TypeError(
        `${optimizer}: switches() returned '${k}', which is not a switch of kernel ${c.name} (its switches: ${c.switches.slice(3).join(', ') || 'none'})`,
      );
    if (typeof v !== 'boolean')
      throw new TypeError(`${optimizer}: switches() returned ${k} = ${String(v)}; a switch is true or false`);
    if (v) bits |= 1 << j;
  }
  return bits;
}

/** The scalar record of one optimizer: the shared scalars, then the kernel's (NaN until `scalars` writes them). */
function scalarRecord(c: Compiled): Record<string, number> {
  const s: Record<string, number> = { weightDecay: 0, keep: 1 };
  for (const name of c.scalars) s[name] = Number.NaN;
  return Object.seal(s);
}

/** Where an optimizer's `init` places its state (createOptimizer's `engine` option). */
export interface Placement {
  /** A wasm engine (src/engine/wasm.ts): state buffers live in its memory. Default: plain typed arrays. */
  engine?: WasmEngine;
  /**
   * With `engine`: a testing mode. State buffers are plain typed arrays, and every step runs the
   * engine's kernels on copies, in its memory, of the arrays that are not in it, copied back bit for
   * bit afterwards (two copies per array and step). The law suite runs under the wasm engine this
   * way, on the arrays the laws make (docs/wasm.md).
   */
  stage?: boolean;
}

/** A registry entry: the description plus `create`. */
export interface OptimizerEntry<H extends Hyper = Hyper> {
  readonly name: string;
  readonly title: string;
  readonly source: string;
  readonly rule: readonly string[];
  readonly hyper: { readonly [P in keyof H]: HyperSpec };
  readonly defaults: Readonly<H>;
  readonly buffers: readonly string[];
  /** Convention options and their defaults (empty where the optimizer has none). */
  readonly conventions: Readonly<Record<string, HyperSpec>>;
  readonly conventionDefaults: Readonly<Hyper>;
  readonly traits: Traits;
  /**
   * The dtypes its step handles; absent: both. Laws run only these, and `init` refuses the others
   * (an entry from defineStepOptimizer wrapping float32-only code, such as TensorFlow.js's optimizers).
   */
  readonly dtypes?: readonly Dtype[];
  /**
   * A factor on the time budgets of its law cases (properties/budget.ts), where one step costs far
   * more than a built-in kernel's (TensorFlow.js's optimizers through the adapter: ~0.4 ms a step,
   * about 100 times a core step at the laws' sizes). Absent: 1.
   */
  readonly budgetScale?: number;
  /**
   * Builds an optimizer; throws a RangeError / TypeError naming any invalid hyperparameter or
   * convention option.
   */
  create(hyper?: Partial<H>, conventions?: Partial<Hyper>, placement?: Placement): Optimizer<H>;
  /** Validates convention options (defaults filled in) without building anything. */
  validateConventions(conventions?: Partial<Hyper>): Readonly<Hyper>;
  /** Validates a full hyperparameter set without building anything (throws like create). */
  validate(hyper?: Partial<H>): Readonly<H>;
}

export const CTOR = { float64: Float64Array, float32: Float32Array } as const;

/** Each entry's kernel copies, kept aside so tests (and other engines) can reach them (see kernelsOf). */
const KERNELS = new WeakMap<object, Compiled>();

/**
 * The kernel copies `defineOptimizer` took or made for a registry entry. Not exported from the
 * package root: test/kernel.test.ts checks them (a distinct function per dtype and setting).
 */
export function kernelsOf(entry: object): Compiled | undefined {
  return KERNELS.get(entry);
}

export function dtypeOf(v: unknown): Dtype | undefined {
  // Equivalent mutant (`false`): the tag test below gives 'float64' for the same arrays; this is the fast path.
  if (v instanceof Float64Array) return 'float64';
  // Equivalent mutant (`false`): the tag test below gives 'float32' for the same arrays; this is the fast path.
  if (v instanceof Float32Array) return 'float32';
  // a typed array of another realm (a vm context, a worker's transfer, a test runner's sandbox)
  // fails instanceof; its tag is still the constructor's name (checked only off the fast path)
  // Equivalent mutant (`true`): the tag of anything but a view is not a typed array's, so undefined follows.
  if (ArrayBuffer.isView(v)) {
    const tag = Object.prototype.toString.call(v);
    if (tag === '[object Float64Array]') return 'float64';
    if (tag === '[object Float32Array]') return 'float32';
  }
  return undefined;
}

/**
 * Checks that params, grad and state fit together. Throws before anything is touched.
 * Cost: O(number of buffers²), independent of n.
 */
export function checkStep(
  name: string,
  bufferNames: readonly string[],
  params: unknown,
  grad: unknown,
  state: OptimizerState,
): void {
  if (typeof state !== 'object' || state === null || typeof state.buffers !== 'object' || state.buffers === null) {
    throw new TypeError(
      `${name}.step: state must come from ${name}.init(size, dtype) or restoreState; got ${describeValue(state)}`,
    );
  }
  if (state.optimizer !== name) {
    throw new TypeError(`${name}.step: state belongs to optimizer '${String(state.optimizer)}', not '${name}'`);
  }
  const dtype = state.dtype;
  if (dtype !== 'float64' && dtype !== 'float32') {
    throw new TypeError(`${name}.step: state.dtype = ${String(dtype)}; allowed: 'float64' or 'float32'`);
  }
  if (!Number.isSafeInteger(state.t) || state.t < 0) {
    throw new RangeError(
      `${name}.step: state.t = ${showValue(state.t)}${typeof state.t === 'string' ? ' (a string)' : ''}; allowed: an integer ≥ 0 (steps taken)`,
    );
  }
  const n = state.size;
  const pt = dtypeOf(params);
  if (pt !== dtype) {
    throw new TypeError(
      `${name}.step: params is ${describeValue(params)}; the state is ${dtype}, so params must be a ${CTOR[dtype].name}`,
    );
  }
  const gt = dtypeOf(grad);
  if (gt !== dtype) {
    throw new TypeError(
      `${name}.step: grad is ${describeValue(grad)}; the state is ${dtype}, so grad must be a ${CTOR[dtype].name}`,
    );
  }
  const p = params as Vec;
  const g = grad as Vec;
  if (p.length !== n) throw new RangeError(`${name}.step: params.length = ${p.length}; the state has size ${n}`);
  if (g.length !== n) throw new RangeError(`${name}.step: grad.length = ${g.length}; the state has size ${n}`);
  // Aliasing. Every array here has n elements of one dtype, so two views of one ArrayBuffer share
  // bytes exactly when their byte offsets differ by less than n × bytes. Each array's .buffer is
  // read once and its byteOffset only when it shares a buffer: in V8 these accessors are calls, and
  // reading them per pair made most of a step's fixed cost (docs/benchmarking.md, "Kernels").
  const span = n * CTOR[dtype].BYTES_PER_ELEMENT;
  const pb = p.buffer;
  const gb = g.buffer;
  let po = -1; // byte offsets, read when first needed
  let go = -1;
  if (sameMemory(pb, gb)) {
    po = p.byteOffset;
    go = g.byteOffset;
    if (Math.abs(po - go) < span)
      throw new TypeError(`${name}.step: grad shares memory with params; pass a separate gradient array`);
  }
  const buffers = state.buffers;
  for (let i = 0; i < bufferNames.length; i++) {
    const b = bufferNames[i]!;
    const buf = buffers[b];
    if (dtypeOf(buf) !== dtype || (buf as Vec).length !== n) {
      throw new TypeError(
        `${name}.step: state buffer '${b}' is ${describeValue(buf)}; expected a ${CTOR[dtype].name} of length ${n}`,
      );
    }
    const v = buf as Vec;
    const vb = v.buffer;
    let vo = -1;
    const withP = sameMemory(vb, pb);
    const withG = sameMemory(vb, gb);
    // Equivalent mutant (`true`): the offsets are then read for nothing; each test below needs withP or withG.
    if (withP || withG) {
      vo = v.byteOffset;
      // Equivalent mutants (`true`, `withP || po < 0`, `po <= 0`): they read p.byteOffset again or when
      // not needed, always the same value; only `po < 0` keeps it to one read.
      if (withP && po < 0) po = p.byteOffset;
      // Equivalent mutants (`true`, `withG || go < 0`, `go <= 0`): as for po above.
      if (withG && go < 0) go = g.byteOffset;
      if ((withP && Math.abs(vo - po) < span) || (withG && Math.abs(vo - go) < span)) {
        throw new TypeError(`${name}.step: state buffer '${b}' shares memory with params or grad`);
      }
    }
    // Buffers that alias each other (a corrupted or hand-built state) would have one statistic
    // overwrite another mid-loop. O(buffers²), at most three here.
    for (let j = 0; j < i; j++) {
      const a = bufferNames[j]!;
      const w = buffers[a]!;
      if (!sameMemory(w.buffer, vb)) continue;
      // Equivalent mutants (`true`, `vo <= 0`): they read v.byteOffset again, the same value.
      if (vo < 0) vo = v.byteOffset;
      if (Math.abs(w.byteOffset - vo) < span) {
        throw new TypeError(
          `${name}.step: state buffers '${a}' and '${b}' share memory; each buffer needs its own array`,
        );
      }
    }
  }
}

/**
 * Sets state.t to `t` before the kernel touches anything: a frozen state, a read-only or
 * accessor `t` makes the step throw here, with params and buffers unchanged (a rejected step
 * changes nothing). The caller undoes it if the kernel throws.
 */
export function advance(name: string, state: OptimizerState, t: number): void {
  try {
    state.t = t;
  } catch {
    throw new TypeError(
      `${name}.step: state.t cannot be written (a frozen or read-only state); nothing was changed: pass a state from init or restoreState`,
    );
  }
  if (state.t !== t)
    throw new TypeError(
      `${name}.step: state.t did not take the value ${t} (an accessor?); pass a state from init or restoreState`,
    );
}

function checkPlacement(name: string, placement: unknown): WasmEngine | undefined {
  if (typeof placement !== 'object' || placement === null)
    throw new TypeError(`${name}: placement must be an object such as { engine }; got ${describeValue(placement)}`);
  for (const k of Object.keys(placement))
    if (k !== 'engine' && k !== 'stage')
      throw new RangeError(`${name}: unknown placement option '${k}'; allowed: engine, stage`);
  const { engine, stage } = placement as Placement;
  if (engine !== undefined && !(engine instanceof WasmEngine)) {
    throw new TypeError(`${name}: engine must come from \`await wasmEngine()\`; got ${describeValue(engine)}`);
  }
  if (stage !== undefined && (typeof stage !== 'boolean' || (stage && engine === undefined))) {
    throw new TypeError(`${name}: stage = ${String(stage)}; allowed: true or false, and true only with an engine`);
  }
  return engine;
}

export function checkInit(name: string, size: unknown, dtype: unknown): asserts dtype is Dtype {
  // Equivalent mutant (`false` for the typeof test): Number.isSafeInteger is false for anything
  // but a number; the typeof test is there for TypeScript.
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw new RangeError(
      `${name}.init: size = ${showValue(size)}${typeof size === 'string' ? ' (a string)' : ''}; allowed: an integer ≥ 0 (a number)`,
    );
  }
  if (dtype !== 'float64' && dtype !== 'float32') {
    throw new TypeError(`${name}.init: dtype = ${JSON.stringify(dtype)}; allowed: 'float64' or 'float32'`);
  }
}

export function defineOptimizer<H extends Hyper, K extends KernelFunction, C extends Hyper = Hyper>(
  def: OptimizerDefinition<H, K, C>,
): OptimizerEntry<H> {
  const specs = def.hyper as Readonly<Record<string, HyperSpec>>;
  const conventionSpecs = (def.conventions ?? {}) as Readonly<Record<string, HyperSpec>>;
  const validateConventions = (changes?: Partial<Hyper>): C =>
    resolveHyper<C>(def.name, conventionSpecs, undefined, changes, undefined, 'convention option');
  const conventionDefaults = validateConventions();
  /** Hyperparameters and conventions as the kernel's `run` sees them, checked together. */
  const merge = (h: H, c: C): H & C => {
    const all = Object.freeze({ ...h, ...c }) as H & C;
    const err = def.conventionCross?.(all);
    if (err) throw new RangeError(`${def.name}: ${err}`);
    return all;
  };
  // optimlab's own: the build's copies; an outside optimizer's function: checked now, compiled on use.
  const compiled: Compiled<K> = isCompiled(def.kernel) ? def.kernel : compileAtRunTime(def.kernel, def.name);
  const validate = (changes?: Partial<H>, base?: Readonly<H>): H =>
    resolveHyper<H>(def.name, specs, base, changes, def.cross);
  const defaults = validate();

  const create = (initial?: Partial<H>, conv?: Partial<Hyper>, placement: Placement = {}): Optimizer<H> => {
    const engine = checkPlacement(def.name, placement);
    // Equivalent mutant (`true` for the engine test): checkPlacement has already refused
    // stage: true without an engine.
    const stage = engine !== undefined && placement.stage === true;
    for (const k of Object.keys(initial ?? {})) {
      if (!Object.prototype.hasOwnProperty.call(specs, k) && Object.prototype.hasOwnProperty.call(conventionSpecs, k)) {
        throw new RangeError(
          `${def.name}: '${k}' is a convention option, not a hyperparameter; pass it as create(hyper, { ${k}: ... }) or createOptimizer(name, hyper, { conventions: { ${k}: ... } })`,
        );
      }
    }
    let h = validate(initial);
    const c = validateConventions(conv);
    const name = def.name;
    const bufferNames = [...def.buffers, ...(def.extraBuffers?.(c) ?? [])];
    const scalars = scalarRecord(compiled);
    let bits = 0;
    /** The copies' setting and the shared scalars, for these hyperparameters (when built and on set). */
    const configure = (all: H & C): H & C => {
      const shared = sharedOptions(all);
      bits = settingBits(compiled, shared.bits, def.switches?.(all), name);
      scalars.weightDecay = shared.weightDecay;
      scalars.keep = shared.keep;
      return all;
    };
    let hc = configure(merge(h, c));
    const opt: Optimizer<H> = {
      name,
      get hyper() {
        return h;
      },
      conventions: c,
      engine,
      set(changes: Partial<H>) {
        const next = validate(changes, h);
        hc = configure(merge(next, c));
        h = next;
        return this;
      },
      init(size: number, dtype: Dtype = 'float64'): OptimizerState {
        checkInit(name, size, dtype);
        const buffers: Record<string, Vec> = {};
        try {
          for (const b of bufferNames)
            buffers[b] = engine && !stage ? engine.alloc(size, dtype) : new CTOR[dtype](size);
        } catch (e) {
          // Nothing kept: an engine's blocks of the buffers made before the failure go back.
          if (engine && !stage) for (const b of Object.values(buffers)) engine.free(b);
          if (!(e instanceof RangeError)) throw e;
          const bytes = size * CTOR[dtype].BYTES_PER_ELEMENT;
          throw new RangeError(
            `${name}.init: cannot allocate ${bufferNames.length} state buffer(s) of ${size} ${dtype} values (${bytes} bytes each, ${bytes * bufferNames.length} in all): ${e.message}; allowed: a size whose buffers fit in memory`,
          );
        }
        return { optimizer: name, dtype, size, t: 0, buffers };
      },
      step(params: Vec, grad: Vec, state: OptimizerState): void {
        checkStep(name, bufferNames, params, grad, state);
        const t = state.t + 1;
        def.scalars(scalars as ScalarsOf<K>, hc, t);
        advance(name, state, t);
        try {
          const js = variantOf(compiled, state.dtype, bits);
          // Every array in one engine's memory, or a staging optimizer: the engine's wasm copy of the
          // kernel (the same bits as the JS copy; docs/wasm.md). Otherwise the JS copy.
          const home = anyEngine() ? residentEngine(params, grad, state.buffers, bufferNames) : undefined;
          if (home === undefined && !stage) {
            js(params, grad, state.buffers, scalars);
          } else {
            const on = (home ?? engine)!;
            const fn = on.step(compiled, state.dtype, bits) ?? js;
            if (home !== undefined) fn(params, grad, state.buffers, scalars);
            else on.staged(params, grad, state.buffers, bufferNames, (p, g, b) => fn(p, g, b, scalars));
          }
        } catch (e) {
          state.t = t - 1;
          throw e;
        }
      },
    };
    return opt;
  };

  const entry: OptimizerEntry<H> = Object.freeze({
    name: def.name,
    title: def.title,
    source: def.source,
    rule: def.rule,
    hyper: def.hyper,
    defaults,
    buffers: def.buffers,
    conventions: conventionSpecs,
    conventionDefaults,
    traits: def.traits,
    create,
    validateConventions: (c?: Partial<Hyper>) => validateConventions(c),
    validate: (hyper?: Partial<H>) => validate(hyper),
  });
  KERNELS.set(entry, compiled);
  return entry;
}
