/**
 * defineStepOptimizer: brings an optimizer that is not written with defineOptimizer (a plain step
 * function over typed arrays, or a wrapper around another library) under the laws, the benchmarks
 * and the report, as a registry entry like any other (docs/adapters.md).
 *
 * What the maintainer supplies is what only they know: the hyperparameters with their valid and
 * sampled ranges, the state buffers (names, initial values), the traits that select the laws, and
 * the step itself:
 *
 *   step(params, grad, state)     in place: params and state.buffers[...]; state.t is the number of
 *                                 steps taken before this one (so this is step state.t + 1)
 *
 * What optimlab guarantees for the built-in optimizers, the wrapper provides here, once:
 * - hyperparameters validated against their specs when built and on every `set` (an error names
 *   the optimizer, the parameter, its value and the allowed range; nothing changes on error);
 * - every input checked before the step function runs (dtype, sizes, aliasing between params, grad
 *   and buffers, a state of another optimizer, a bad step counter): a rejected step changes no byte;
 * - the step counter: the wrapper advances state.t after the step function returns;
 * - checkpoint and restore: the state is optimlab's plain data (typed arrays and t), so
 *   serializeState / restoreState round-trip it exactly.
 * What it cannot provide is stated where it matters: the step function itself is the maintainer's
 * code, so an exception it throws half-way leaves whatever it had written (the wrapper names the
 * optimizer in that error and does not advance t); state other than typed arrays of the parameters'
 * size and the step counter cannot be checkpointed (derive such scalars from t, as the TF.js adapter
 * does for Adam's β^t); and the kernel rules of defineOptimizer (recompiled loops) do not apply.
 */
import { resolveHyper } from '../optimizers/hyper.js';
import { CTOR, advance, checkInit, checkStep, type OptimizerEntry, type Placement } from '../optimizers/define.js';
import type { Dtype, Hyper, HyperSpec, Optimizer, OptimizerState, Traits, Vec } from '../optimizers/types.js';

/** The maintainer's step: in place over params and state.buffers; must not touch state.t. */
export type StepFunction = (params: Vec, grad: Vec, state: OptimizerState) => void;

export interface StepOptimizerDefinition<H extends Hyper = Hyper> {
  /** Registry name: the column in the law table, the row in the benchmark ('my-lion'). */
  name: string;
  /** Display name (default: the name). */
  title?: string;
  /** Where the update rule comes from (a paper, a library and version). */
  source?: string;
  /** The update rule, one line per equation, as `optimlab list` prints it. */
  rule?: readonly string[];
  /** Hyperparameters in optimlab's vocabulary (lr, momentum, rho, beta1, beta2, eps, ...): default, valid range, sampled range. */
  hyper: { readonly [P in keyof H]: HyperSpec };
  /** Constraints between hyperparameters: a message when violated. */
  cross?: (h: H) => string | undefined;
  /** Names of the state buffers, each with the parameters' size and dtype. */
  buffers: readonly string[];
  /** What the laws need to know (optimlab's Traits): laws select by these, never by name. */
  traits: Traits;
  /** The dtypes the step function handles (default both). Laws run only these; init refuses the others. */
  dtypes?: readonly Dtype[];
  /**
   * A factor (≥ 1) on the laws' time budgets, for a step far slower than optimlab's kernels (a
   * wrapper around another library): each law case may then use that many times the default time.
   */
  budgetScale?: number;
  /**
   * Initial buffer values (default: every buffer zero). Called with the freshly allocated, zeroed
   * buffers of a new state; writes into them (Adagrad's accumulator starting at 0.1, say).
   */
  init?: (buffers: Readonly<Record<string, Vec>>, hyper: Readonly<H>, dtype: Dtype) => void;
  /**
   * Builds the step function for one validated hyperparameter set: called when an optimizer is
   * created and again on each `set` (a schedule moving lr). Code that takes the hyperparameters as
   * an argument wraps in one line: `create: (h) => (p, g, s) => myStep(p, g, s, h)`.
   */
  create: (hyper: Readonly<H>) => StepFunction;
}

const DTYPES: readonly Dtype[] = ['float64', 'float32'];

function checkDefinition(def: StepOptimizerDefinition<Hyper>): void {
  const where = `defineStepOptimizer(${JSON.stringify(def?.name)})`;
  if (typeof def !== 'object' || def === null)
    throw new TypeError(`defineStepOptimizer: the definition must be an object; got ${String(def)}`);
  if (typeof def.name !== 'string' || !/^[A-Za-z][\w.-]*$/.test(def.name)) {
    throw new TypeError(`${where}: name must be a string of letters, digits, '_', '-' or '.', starting with a letter`);
  }
  if (typeof def.hyper !== 'object' || def.hyper === null)
    throw new TypeError(`${where}: hyper must be an object of hyperparameter specs`);
  if (!Array.isArray(def.buffers) || !def.buffers.every((b) => typeof b === 'string' && b !== '')) {
    throw new TypeError(`${where}: buffers must be an array of buffer names (possibly empty)`);
  }
  if (new Set(def.buffers).size !== def.buffers.length)
    throw new TypeError(`${where}: buffers lists a name twice: ${def.buffers.join(', ')}`);
  if (typeof def.traits !== 'object' || def.traits === null)
    throw new TypeError(`${where}: traits must be an object (optimlab's Traits)`);
  if (typeof def.create !== 'function')
    throw new TypeError(`${where}: create must be a function (hyper) => step function`);
  if (def.init !== undefined && typeof def.init !== 'function')
    throw new TypeError(`${where}: init must be a function (buffers, hyper, dtype) => void`);
  if (
    def.budgetScale !== undefined &&
    !(
      typeof def.budgetScale === 'number' &&
      Number.isFinite(def.budgetScale) &&
      def.budgetScale >= 1 &&
      def.budgetScale <= 1000
    )
  ) {
    throw new RangeError(
      `${where}: budgetScale = ${String(def.budgetScale)}; allowed: a number from 1 to 1000 (a factor on the laws' time budgets)`,
    );
  }
  const dtypes = def.dtypes ?? DTYPES;
  if (!Array.isArray(dtypes) || dtypes.length === 0 || !dtypes.every((d) => d === 'float64' || d === 'float32')) {
    throw new TypeError(
      `${where}: dtypes = ${JSON.stringify(def.dtypes)}; allowed: a non-empty list of 'float64', 'float32'`,
    );
  }
}

/**
 * Turns a step-function definition into a registry entry: `verify --module`, `lawTests`,
 * `verifyOptimizer` and the benchmarks take it like a defineOptimizer entry.
 */
export function defineStepOptimizer<H extends Hyper>(def: StepOptimizerDefinition<H>): OptimizerEntry<H> {
  checkDefinition(def as unknown as StepOptimizerDefinition<Hyper>);
  const name = def.name;
  const specs = def.hyper as Readonly<Record<string, HyperSpec>>;
  const validate = (changes?: Partial<H>, base?: Readonly<H>): H =>
    resolveHyper<H>(name, specs, base, changes, def.cross);
  const defaults = validate();
  const bufferNames = [...def.buffers];
  const dtypes: readonly Dtype[] = Object.freeze([...(def.dtypes ?? DTYPES)]);

  const build = (h: H): StepFunction => {
    const fn = def.create(h);
    if (typeof fn !== 'function')
      throw new TypeError(
        `${name}: create(hyper) returned ${typeof fn}; it must return the step function (params, grad, state) => void`,
      );
    return fn;
  };

  const create = (initial?: Partial<H>, conventions?: Partial<Hyper>, placement?: Placement): Optimizer<H> => {
    if (placement?.engine !== undefined) {
      throw new RangeError(
        `${name}: an engine was given; an optimizer made with defineStepOptimizer has no wasm kernels (its step is your function): create it without an engine`,
      );
    }
    if (conventions !== undefined && Object.keys(conventions).length > 0) {
      throw new RangeError(
        `${name}: convention options ${Object.keys(conventions).join(', ')} given; an optimizer made with defineStepOptimizer has none (make each variant its own hyperparameter or entry)`,
      );
    }
    let h = validate(initial);
    let fn = build(h);
    // The buffers as they were before the step: the step must write in place, not replace them.
    const held: (Vec | undefined)[] = new Array(bufferNames.length);
    const opt: Optimizer<H> = {
      name,
      get hyper() {
        return h;
      },
      conventions: Object.freeze({}),
      set(changes: Partial<H>) {
        const next = validate(changes, h);
        const nextFn = build(next);
        h = next;
        fn = nextFn;
        return this;
      },
      init(size: number, dtype: Dtype = dtypes[0]!): OptimizerState {
        checkInit(name, size, dtype);
        if (!dtypes.includes(dtype))
          throw new TypeError(
            `${name}.init: dtype = '${dtype}'; ${name} handles ${dtypes.map((d) => `'${d}'`).join(' and ')} only`,
          );
        const buffers: Record<string, Vec> = {};
        for (const b of bufferNames) buffers[b] = new CTOR[dtype](size);
        def.init?.(buffers, h, dtype);
        return { optimizer: name, dtype, size, t: 0, buffers };
      },
      step(params: Vec, grad: Vec, state: OptimizerState): void {
        checkStep(name, bufferNames, params, grad, state);
        if (!dtypes.includes(state.dtype))
          throw new TypeError(
            `${name}.step: state.dtype = '${state.dtype}'; ${name} handles ${dtypes.map((d) => `'${d}'`).join(' and ')} only`,
          );
        const t = state.t;
        advance(name, state, t); // a frozen or read-only state is refused before the step runs (issue 12, D1)
        for (let i = 0; i < bufferNames.length; i++) held[i] = state.buffers[bufferNames[i]!];
        try {
          fn(params, grad, state);
        } catch (e) {
          const msg = `${name}: the step function threw at step ${t + 1} (state.t not advanced; params and buffers may be partly written): ${e instanceof Error ? e.message : String(e)}`;
          throw e instanceof RangeError
            ? new RangeError(msg, { cause: e })
            : e instanceof TypeError
              ? new TypeError(msg, { cause: e })
              : new Error(msg, { cause: e });
        }
        if (state.t !== t)
          throw new TypeError(
            `${name}: the step function changed state.t from ${t} to ${String(state.t)}; optimlab advances it after the step (read state.t + 1 as this step's number)`,
          );
        for (let i = 0; i < bufferNames.length; i++) {
          if (state.buffers[bufferNames[i]!] !== held[i]) {
            throw new TypeError(
              `${name}: the step function replaced state buffer '${bufferNames[i]}' with another array; write into it in place`,
            );
          }
          held[i] = undefined;
        }
        state.t = t + 1;
      },
    };
    return opt;
  };

  return Object.freeze({
    name,
    title: def.title ?? name,
    source: def.source ?? '(not stated)',
    rule: def.rule ?? [],
    hyper: def.hyper,
    defaults,
    buffers: Object.freeze(bufferNames),
    conventions: Object.freeze({}),
    conventionDefaults: Object.freeze({}),
    traits: def.traits,
    dtypes,
    ...(def.budgetScale !== undefined ? { budgetScale: def.budgetScale } : {}),
    create,
    validateConventions: (c?: Partial<Hyper>) => {
      if (c !== undefined && Object.keys(c).length > 0)
        throw new RangeError(`${name}: has no convention options; got ${Object.keys(c).join(', ')}`);
      return Object.freeze({});
    },
    validate: (hyper?: Partial<H>) => validate(hyper),
  });
}
