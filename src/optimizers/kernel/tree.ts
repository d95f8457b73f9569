/**
 * The checked tree of a kernel, and its specialisation for one switch setting and dtype.
 *
 * A kernel (the step of one element, written in an optimizer file: docs/kernels.md has the format)
 * is parsed and checked by check.ts into a `KernelTree`. `specialise` turns a tree into a `Step`:
 * the switches fixed (every `if` and `?:` on switches folded away), the dtype's constants bound, and
 * the parts every optimizer shares put around the kernel's own statements:
 *
 *   preamble   const p$ = p[i];  const g$ = s·g[i] + λ·p$      (s = −1 when maximize; λ = weightDecay)
 *   body       the kernel's statements, its g[i] reading g$ and its p[i] reading p$
 *   epilogue   θ' = κ·p$ (κ = keep, decoupled decay), then each `p[i] -= x` as θ' = θ' − x; p[i] = θ'
 *
 * Every backend (emit-js.ts; the WebAssembly engine) translates Steps: docs/kernels.md, "For another
 * backend". Switch k of a setting `bits` is bit k, in the order SHARED_SWITCHES, then the kernel's
 * own switches.
 */

export type Dtype = 'float64' | 'float32';

/** A place in the kernel's source file: 1-based lines, 0-based columns. */
export interface Span {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/** Every expression may carry where it is written (`at`) and, chosen by a folded select, where that stood (`site`). */
interface Placed {
  readonly at?: Span;
  readonly site?: Span;
}

export type Expr = Placed &
  (
    | { readonly kind: 'number'; readonly value: number }
    | { readonly kind: 'scalar'; readonly name: string }
    | { readonly kind: 'limit'; readonly name: string }
    | { readonly kind: 'local'; readonly name: string }
    | { readonly kind: 'switch'; readonly name: string }
    | { readonly kind: 'load'; readonly array: string }
    | { readonly kind: 'unary'; readonly op: '-' | '+' | '!'; readonly arg: Expr }
    | { readonly kind: 'binary'; readonly op: '+' | '-' | '*' | '/'; readonly left: Expr; readonly right: Expr }
    | { readonly kind: 'compare'; readonly op: CompareOp; readonly left: Expr; readonly right: Expr }
    | { readonly kind: 'logical'; readonly op: '&&' | '||'; readonly left: Expr; readonly right: Expr }
    | { readonly kind: 'select'; readonly test: Expr; readonly then: Expr; readonly else: Expr }
    | { readonly kind: 'math'; readonly fn: MathFn; readonly args: readonly Expr[] }
    // Instrumented builds only (mutation testing, see build.ts): hook calls, `a, b`, θ' assignments, literals.
    | { readonly kind: 'boolean'; readonly value: boolean }
    | { readonly kind: 'hook'; readonly name: string; readonly args: readonly string[] }
    | { readonly kind: 'sequence'; readonly exprs: readonly Expr[] }
    | { readonly kind: 'assign'; readonly op: '-' | '+' | '*' | '/' | '='; readonly value: Expr }
  );

export type Stmt =
  | { readonly kind: 'const'; readonly name: string; readonly value: Expr; readonly at?: Span }
  | { readonly kind: 'store'; readonly array: string; readonly value: Expr; readonly at?: Span }
  | { readonly kind: 'update'; readonly op: '-' | '+'; readonly value: Expr; readonly at?: Span }
  | {
      readonly kind: 'if';
      readonly test: Expr;
      readonly then: readonly Stmt[];
      readonly else: readonly Stmt[];
      readonly at?: Span;
    }
  // In a Step: the branch a folded `if` selected, its statements in a scope of their own; `label`
  // names it (the switch test and the branch), `at` is the `if` it came from.
  | { readonly kind: 'block'; readonly label: string; readonly body: readonly Stmt[]; readonly at?: Span }
  // Instrumented builds only: an expression evaluated for its effects (hook calls, θ' assignments).
  | { readonly kind: 'expr'; readonly expr: Expr; readonly at?: Span };

export type CompareOp = '<' | '<=' | '>' | '>=' | '===' | '!==';
export type MathFn = 'sqrt' | 'abs' | 'sign' | 'max' | 'min';

/** The Math functions a kernel may call, with their number of arguments. */
export const MATH_FUNCTIONS: Readonly<Record<MathFn, number>> = { sqrt: 1, abs: 1, sign: 1, max: 2, min: 2 };

/** The dtype constants a kernel may bind (its fifth parameter). */
export const LIMITS: Readonly<Record<string, Readonly<Record<Dtype, number>>>> = {
  /** The largest finite value: saturating an accumulator here keeps 0·∞ = NaN out of the next step. */
  max: { float64: 1.7976931348623157e308, float32: 3.4028234663852886e38 },
};

/** The switches of the shared preamble and epilogue: maximize, weightDecay ≠ 0, decoupledWeightDecay ≠ 0. */
export const SHARED_SWITCHES = ['$neg', '$decay', '$keep'] as const;

/** The scalars of the shared preamble and epilogue (λ and κ), written by defineOptimizer. */
export const SHARED_SCALARS = ['weightDecay', 'keep'] as const;

/** What names a kernel and what it takes: shared by the tree and the compiled copies (kernel.ts). */
export interface KernelSignature {
  /** The kernel function's name: 'adamFamilyKernel'. */
  readonly name: string;
  /** Where it is written: 'src/optimizers/adam-family.ts'; 'optimizer:<name>' for a kernel checked at run time. */
  readonly file: string;
  /** 'p', 'g', then the state buffers, in the kernel's order. */
  readonly arrays: readonly string[];
  /** The kernel's own per-step scalars, in its order. */
  readonly scalars: readonly string[];
}

export interface KernelTree extends KernelSignature {
  /** The element index's name (i). */
  readonly index: string;
  /** The kernel's own switches, in its order (names start with `$`). */
  readonly switches: readonly string[];
  /** The dtype constants it binds (keys of LIMITS). */
  readonly limits: readonly string[];
  readonly body: readonly Stmt[];
  /** The function's name and its body (braces included) in `file`. */
  readonly nameAt?: Span;
  readonly bodyAt?: Span;
  /** Names of instrumentation hooks the tree may call (mutation testing only; empty otherwise). */
  readonly hooks: readonly string[];
}

export interface Step {
  readonly kernel: string;
  readonly file: string;
  readonly dtype: Dtype;
  readonly bits: number;
  /** Every switch's value, the shared ones included. */
  readonly setting: Readonly<Record<string, boolean>>;
  /** The arrays the step reads or writes ('p' always). */
  readonly arrays: readonly string[];
  /** The scalars it reads: the kernel's, 'weightDecay' and 'keep' where their switches are on. */
  readonly scalars: readonly string[];
  /** θ' starts here: p$, or keep·p$. */
  readonly base: Expr;
  /** Preamble consts, then the kernel's consts and stores, then its updates (always last). */
  readonly body: readonly Stmt[];
  /** The kernel function's name and body in `file`. */
  readonly nameAt?: Span;
  readonly bodyAt?: Span;
  readonly hooks: readonly string[];
}

/** The preamble's names: the parameter before the step and the preprocessed gradient. */
export const THETA = 'p$';
export const GRAD = 'g$';

/** Every switch of a tree, in bit order. */
export function allSwitches(tree: KernelTree): readonly string[] {
  return [...SHARED_SWITCHES, ...tree.switches];
}

/** Every setting of a tree's switches: 0 … 2^(3 + own switches) − 1. */
export function settingsOf(tree: KernelTree): number[] {
  return Array.from({ length: 2 ** allSwitches(tree).length }, (_, bits) => bits);
}

/** A switch setting as a record. */
export function settingOf(tree: KernelTree, bits: number): Record<string, boolean> {
  return Object.fromEntries(allSwitches(tree).map((s, k) => [s, ((bits >> k) & 1) === 1]));
}

/** The tree's statements for this setting and dtype, with the shared preamble and epilogue (see the header). */
export function specialise(tree: KernelTree, bits: number, dtype: Dtype): Step {
  const n = allSwitches(tree).length;
  if (!Number.isInteger(bits) || bits < 0 || bits >= 2 ** n)
    throw new RangeError(`specialise ${tree.name}: bits = ${bits}; allowed: 0 … ${2 ** n - 1}`);
  const setting = settingOf(tree, bits);
  const expr = (e: Expr): Expr => {
    switch (e.kind) {
      case 'switch': {
        const v = setting[e.name];
        if (v === undefined) throw new Error(`specialise ${tree.name}: unknown switch ${e.name}`);
        return { kind: 'boolean', value: v };
      }
      case 'limit':
        return { kind: 'number', value: LIMITS[e.name]![dtype], ...(e.at ? { at: e.at } : {}) };
      case 'load':
        if (e.array === 'p') return { kind: 'local', name: THETA, ...(e.at ? { at: e.at } : {}) };
        if (e.array === 'g') return { kind: 'local', name: GRAD, ...(e.at ? { at: e.at } : {}) };
        return e;
      case 'unary': {
        const arg = expr(e.arg);
        if (e.op === '!' && arg.kind === 'boolean') return { kind: 'boolean', value: !arg.value };
        return { ...e, arg };
      }
      case 'binary':
      case 'compare':
        return { ...e, left: expr(e.left), right: expr(e.right) };
      case 'logical': {
        const left = expr(e.left);
        const right = expr(e.right);
        if (left.kind === 'boolean') return e.op === '&&' ? (left.value ? right : left) : left.value ? left : right;
        // Equivalent mutant: `true` for `right.kind === 'boolean'` (only a boolean node's `value` is a boolean: a
        // number's is a number, an assign's an Expr; so `right.value === (e.op === '&&')` holds for booleans alone).
        if (right.kind === 'boolean' && right.value === (e.op === '&&')) return left; // a && true, a || false
        return { ...e, left, right };
      }
      case 'select': {
        const test = expr(e.test);
        if (test.kind === 'boolean') return { ...expr(test.value ? e.then : e.else), ...(e.at ? { site: e.at } : {}) };
        return { ...e, test, then: expr(e.then), else: expr(e.else) };
      }
      case 'math':
        return { ...e, args: e.args.map(expr) };
      case 'sequence':
        return { ...e, exprs: e.exprs.map(expr) };
      case 'assign':
        return { ...e, value: expr(e.value) };
      default:
        return e;
    }
  };
  const stmts = (list: readonly Stmt[]): Stmt[] =>
    list.flatMap((s): Stmt[] => {
      switch (s.kind) {
        case 'if': {
          const test = expr(s.test);
          if (test.kind !== 'boolean') return [{ ...s, test, then: stmts(s.then), else: stmts(s.else) }];
          const body = stmts(test.value ? s.then : s.else);
          return body.length
            ? [{ kind: 'block', label: branchLabel(s.test, test.value), body, ...(s.at ? { at: s.at } : {}) }]
            : [];
        }
        case 'block':
          return [{ ...s, body: stmts(s.body) }];
        case 'const':
        case 'store':
        case 'update':
          return [{ ...s, value: expr(s.value) }];
        case 'expr':
          return [{ ...s, expr: expr(s.expr) }];
      }
    });
  // A test that does not fold (an instrumented one: hooks decide it at run time) keeps the switches'
  // values as literals.
  const kernelBody = stmts(tree.body);
  const theta: Expr = { kind: 'local', name: THETA };
  const preamble: Stmt[] = [{ kind: 'const', name: THETA, value: { kind: 'load', array: 'p' } }];
  if (readsLocal(kernelBody, GRAD)) {
    let grad: Expr = { kind: 'load', array: 'g' };
    if (setting.$neg) grad = { kind: 'unary', op: '-', arg: grad };
    if (setting.$decay)
      grad = {
        kind: 'binary',
        op: '+',
        left: grad,
        right: { kind: 'binary', op: '*', left: { kind: 'scalar', name: 'weightDecay' }, right: theta },
      };
    preamble.push({ kind: 'const', name: GRAD, value: grad });
  }
  const base: Expr = setting.$keep
    ? { kind: 'binary', op: '*', left: { kind: 'scalar', name: 'keep' }, right: theta }
    : theta;
  const body = [...preamble, ...kernelBody];
  // Equivalent mutants: `[]` and `[""]` ('p' is added anyway: the preamble's `const p$ = p[i]` is always in
  // body; '' is no array's name, and only names in tree.arrays are kept below).
  const arrays = new Set<string>(['p']);
  const scalars = new Set<string>();
  const see = (e: Expr): void => {
    if (e.kind === 'load') arrays.add(e.array);
    else if (e.kind === 'scalar') scalars.add(e.name);
  };
  visitStmts(body, see, (s) => {
    // Equivalent mutant: `true` (only a store has an `array`: for another statement undefined is added, which
    // is no name in tree.arrays, the list filtered below).
    if (s.kind === 'store') arrays.add(s.array);
  });
  visitExpr(base, see);
  return {
    kernel: tree.name,
    file: tree.file,
    dtype,
    bits,
    setting,
    arrays: tree.arrays.filter((a) => arrays.has(a)),
    scalars: [...SHARED_SCALARS, ...tree.scalars].filter((s) => scalars.has(s)),
    base,
    body,
    ...(tree.nameAt ? { nameAt: tree.nameAt } : {}),
    ...(tree.bodyAt ? { bodyAt: tree.bodyAt } : {}),
    hooks: tree.hooks,
  };
}

/**
 * The label of an `if`'s branch in the copy's text: `$amsgrad` for the first branch of `if ($amsgrad)` and
 * `not$amsgrad` for the other (the two swapped for `if (!$amsgrad)`); `then$` and `else$` for any other test.
 */
function branchLabel(test: Expr, taken: boolean): string {
  if (test.kind === 'switch') return taken ? test.name : `not${test.name}`;
  // Equivalent mutants: `true` for the kind test (only a unary node has the op "not"); `true` for the op test,
  // and `test.kind === 'unary' || test.op === '!'` (they differ only for a unary minus or plus on a switch,
  // which never folds to a boolean: specialise folds a unary "not" only, so branchLabel is not called with
  // such a test).
  if (test.kind === 'unary' && test.op === '!' && test.arg.kind === 'switch')
    return taken ? `not${test.arg.name}` : test.arg.name;
  return taken ? 'then$' : 'else$';
}

function readsLocal(list: readonly Stmt[], name: string): boolean {
  let found = false;
  visitStmts(list, (e) => {
    if (e.kind === 'local' && e.name === name) found = true;
  });
  return found;
}

/** Calls `f` on every expression node under `e` (pre-order). */
export function visitExpr(e: Expr, f: (e: Expr) => void): void {
  f(e);
  switch (e.kind) {
    case 'unary':
      visitExpr(e.arg, f);
      break;
    case 'binary':
    case 'compare':
    case 'logical':
      visitExpr(e.left, f);
      visitExpr(e.right, f);
      break;
    case 'select':
      visitExpr(e.test, f);
      visitExpr(e.then, f);
      visitExpr(e.else, f);
      break;
    case 'math':
      for (const a of e.args) visitExpr(a, f);
      break;
    case 'sequence':
      for (const a of e.exprs) visitExpr(a, f);
      break;
    case 'assign':
      visitExpr(e.value, f);
      break;
    // Equivalent mutant: `default:` without its `break` (the last clause: falling out of the switch is the same).
    default:
      break;
  }
}

function visitExprs(s: Stmt, f: (e: Expr) => void): void {
  if (s.kind === 'if') visitExpr(s.test, f);
  else if (s.kind !== 'block') visitExpr(s.kind === 'expr' ? s.expr : s.value, f);
}

/** Calls `f` on every expression and `g` on every statement of `list`, branches included. */
export function visitStmts(list: readonly Stmt[], f: (e: Expr) => void, g?: (s: Stmt) => void): void {
  for (const s of list) {
    g?.(s);
    visitExprs(s, f);
    if (s.kind === 'if') {
      visitStmts(s.then, f, g);
      visitStmts(s.else, f, g);
    }
    if (s.kind === 'block') visitStmts(s.body, f, g);
  }
}
