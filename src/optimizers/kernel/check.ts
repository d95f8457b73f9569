/**
 * The kernel checker: parses a kernel (with the TypeScript compiler's parser) and returns its checked
 * tree (tree.ts), or throws a KernelError naming the kernel, the place and what is wrong.
 *
 * One checker serves both paths: the build (build.ts, over the optimizer files' TypeScript) and
 * defineOptimizer at run time (a kernel passed as a function, from its `toString()`: an outside
 * optimizer's kernel). The format it accepts is documented in docs/kernels.md; in short, a kernel is
 * the step of one element,
 *
 *   export function sgdKernel(i: number, { p, g }: Elements, { lr }: SgdScalars): void {
 *     p[i] -= lr * g[i]!;
 *   }
 *
 * and may read only its parameters and `Math`: each of its copies (per dtype and switch setting) is
 * compiled apart from the module it is written in, so a module constant it read would not be there.
 *
 * `typescript` is loaded when first needed (synchronously: defineOptimizer is synchronous), so a
 * program that uses only optimlab's own, prebuilt kernels never loads it.
 */
import { createRequire } from 'node:module';
import type * as TS from 'typescript';
import {
  LIMITS,
  MATH_FUNCTIONS,
  SHARED_SCALARS,
  type CompareOp,
  type Expr,
  type KernelTree,
  type MathFn,
  type Span,
  type Stmt,
} from './tree.js';

let tsModule: typeof TS | undefined;
function typescript(): typeof TS {
  tsModule ??= createRequire(import.meta.url)('typescript') as typeof TS;
  return tsModule;
}

/** A kernel that breaks the format; the message starts with `file:line:column: kernel <name>`. */
export class KernelError extends Error {
  constructor(
    message: string,
    readonly kernel: string,
    readonly file: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${file}:${line}:${column + 1}: kernel ${kernel}: ${message}`);
    this.name = 'KernelError';
  }
}

export interface CheckOptions {
  /**
   * Names of instrumentation hooks the kernel may call (mutation testing: Stryker's `stryMutAct_…`,
   * `stryCov_…`). They are kept as calls in every copy. Empty (the default) everywhere else.
   */
  readonly hooks?: readonly string[];
}

/** Every exported `…Kernel` function of a TypeScript source file, checked. */
export function kernelsInFile(file: string, text: string, options: CheckOptions = {}): KernelTree[] {
  const ts = typescript();
  // Equivalent mutant: `false` for setParentNodes (the checker reads no node's parent: getStart, getText and the
  // line map are given the source file).
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const out: KernelTree[] = [];
  for (const st of sf.statements) {
    if (!ts.isFunctionDeclaration(st) || !st.name || !/Kernel$/.test(st.name.text)) continue;
    if (!st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    // Equivalent mutant: `{}` (shift.line undefined matches no line, so every column is the character, as it is with
    // a shift of column 0).
    out.push(checkFunction(ts, sf, st, st.name.text, file, { line: 0, column: 0 }, options));
  }
  return out;
}

/**
 * The declarations of instrumentation hooks in a source file (mutation testing): the top-level
 * functions named in `hooks` and those they call, as written, for the generated module to define
 * them too (each copy calls them where the kernel does). A name is found where it stands whole: no letter,
 * digit, `_` or `$` touches it (`$` is part of a JavaScript name, so `\b` would not do).
 */
export function hookDeclarations(file: string, text: string, hooks: readonly string[]): string {
  const ts = typescript();
  // Equivalent mutant: `false` for setParentNodes (getText is given the source file; no parent is read).
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const functions = new Map<string, string>();
  for (const st of sf.statements)
    if (ts.isFunctionDeclaration(st) && st.name) functions.set(st.name.text, st.getText(sf));
  const wanted = new Set(hooks.filter((h) => functions.has(h)));
  for (const name of wanted) {
    for (const [other] of functions)
      if (
        !wanted.has(other) &&
        new RegExp(`(?<![\\w$])${other.replace(/\$/g, '\\$')}(?![\\w$])`).test(functions.get(name)!)
      )
        wanted.add(other);
  }
  return [...wanted].map((name) => functions.get(name)!).join('\n');
}

/**
 * A kernel given as a function (an outside optimizer's), checked from its source text. `label` names
 * it in messages and in the tree's `file` ('optimizer:<label>').
 */
export function checkKernel(fn: unknown, label: string, options: CheckOptions = {}): KernelTree {
  const file = `optimizer:${label}`;
  if (typeof fn !== 'function')
    throw new KernelError(
      `the kernel must be a function; got ${fn === null ? 'null' : typeof fn}`,
      '(kernel)',
      file,
      1,
      0,
    );
  const text = Function.prototype.toString.call(fn);
  const name = fn.name || '(anonymous kernel)';
  if (/\{\s*\[native code\]\s*\}\s*$/.test(text))
    throw new KernelError(
      'its source is not available (a bound or native function); pass the kernel function itself',
      name,
      file,
      1,
      0,
    );
  const ts = typescript();
  // A function declaration or expression, an arrow function, or a method (`kernel(i, …) { … }`).
  for (const [before, after] of [
    ['(', ')'],
    ['({ ', ' })'],
  ] as const) {
    const sf = ts.createSourceFile(
      // Equivalent mutant: `""` (the script kind is given, JS; the name is not a .d.ts and names only diagnostics,
      // which are counted, not read).
      'kernel.js',
      `${before}${text}${after}`,
      ts.ScriptTarget.ES2022,
      // Equivalent mutant: `false` for setParentNodes (the checker reads no node's parent).
      true,
      ts.ScriptKind.JS,
    );
    if ((sf as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics.length > 0) continue;
    const st = sf.statements[0];
    // Equivalent mutant: `false`, and `!st && !ts.isExpressionStatement(st)` (a text that parses without errors and
    // starts with `(` is one expression statement first: the test is there for TypeScript).
    if (!st || !ts.isExpressionStatement(st)) continue;
    let e: TS.Node = st.expression;
    while (ts.isParenthesizedExpression(e)) e = e.expression;
    // Equivalent mutant: `true` for the length test (an object literal is met only as `({ T })`, T one function's
    // text, parsed without errors: a function's text has no comma outside brackets, so T is exactly one property).
    if (ts.isObjectLiteralExpression(e) && e.properties.length === 1) e = e.properties[0]!;
    if (ts.isFunctionExpression(e) || ts.isArrowFunction(e) || ts.isMethodDeclaration(e)) {
      return checkFunction(ts, sf, e, name, file, { line: 0, column: before.length }, options);
    }
  }
  throw new KernelError('its source text does not parse as a function', name, file, 1, 0);
}

type FunctionNode = TS.FunctionDeclaration | TS.FunctionExpression | TS.ArrowFunction | TS.MethodDeclaration;

type Role = 'index' | 'array' | 'scalar' | 'switch' | 'limit' | 'local';

function checkFunction(
  ts: typeof TS,
  sf: TS.SourceFile,
  fn: FunctionNode,
  name: string,
  file: string,
  shift: { line: number; column: number },
  options: CheckOptions,
): KernelTree {
  const hooks = new Set(options.hooks ?? []);
  const instrumented = hooks.size > 0;
  const span = (node: TS.Node): Span => {
    const a = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    const b = sf.getLineAndCharacterOfPosition(node.getEnd());
    return {
      line: a.line + 1,
      column: a.line === shift.line ? a.character - shift.column : a.character,
      endLine: b.line + 1,
      endColumn: b.line === shift.line ? b.character - shift.column : b.character,
    };
  };
  const fail = (node: TS.Node, message: string): never => {
    const at = span(node);
    throw new KernelError(message, name, file, at.line, at.column);
  };
  if (fn.asteriskToken || fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword))
    fail(fn, 'a kernel is a plain function (not async, not a generator)');
  if (!fn.body) fail(fn, 'a kernel needs a body');

  // Parameters: (i, { p, g, …arrays }, { …scalars }, { …$switches }?, { …limits }?).
  const roles = new Map<string, Role>();
  const params = fn.parameters;
  if (params.length < 3 || params.length > 5) {
    fail(
      params.length ? params[0]! : fn,
      `takes ${params.length} parameter(s); a kernel takes (i, { p, g, …buffers }, { …scalars }, { …$switches }?, { …limits }?)`,
    );
  }
  const first = params[0]!;
  if (!ts.isIdentifier(first.name) || first.initializer || first.dotDotDotToken)
    fail(first, 'the first parameter is the element index, a plain name (i)');
  const index = (first.name as TS.Identifier).text;
  roles.set(index, 'index');
  const what = ['', 'arrays', 'scalars', 'switches', 'limits'] as const;
  // Equivalent mutant: `["Stryker was here"]` for groups[0] (the index's place: it is never read; the index is
  // `first`).
  const groups: string[][] = [[], [], [], [], []];
  for (let k = 1; k < params.length; k++) {
    const prm = params[k]!;
    if (!ts.isObjectBindingPattern(prm.name) || prm.initializer || prm.dotDotDotToken) {
      fail(
        prm,
        `parameter ${k + 1} (${what[k]}) must be an object pattern such as { ${k === 1 ? 'p, g' : k === 3 ? '$on' : k === 4 ? 'max' : 'lr'} }`,
      );
    }
    for (const el of (prm.name as TS.ObjectBindingPattern).elements) {
      if (el.propertyName || el.initializer || el.dotDotDotToken || !ts.isIdentifier(el.name))
        fail(el, `${what[k]} are listed by their names only ({ a, b }: no renaming, defaults or rest)`);
      const id = (el.name as TS.Identifier).text;
      if (roles.has(id)) fail(el, `'${id}' is declared twice`);
      if (k === 3 && !id.startsWith('$')) fail(el, `switch '${id}' must start with $ (parameter 4 holds the switches)`);
      if (k !== 3 && id.includes('$')) fail(el, `'${id}': only switches have a $ in their name`);
      // An array too: each copy binds the arrays and the scalars it reads as consts of one scope.
      if ((k === 1 || k === 2) && (SHARED_SCALARS as readonly string[]).includes(id))
        fail(
          el,
          `${k === 1 ? 'array' : 'scalar'} '${id}' is reserved for the shared options (decay and keep factor are applied by the generator)`,
        );
      if (k !== 1 && (id === 'p' || id === 'g')) fail(el, `'${id}' names an array (parameter 2)`);
      if (k === 4 && !(id in LIMITS))
        // Equivalent mutant: `""` for the separator (LIMITS has one key: the list has no separator to write).
        fail(el, `unknown limit '${id}'; the limits are ${Object.keys(LIMITS).join(', ')}`);
      roles.set(id, (['index', 'array', 'scalar', 'switch', 'limit'] as const)[k]!);
      groups[k]!.push(id);
    }
  }
  const arrays = groups[1]!;
  if (!arrays.includes('p')) fail(params[1]!, 'the arrays must include p (the parameters), updated by p[i] -= …');

  // The body.
  const declared = new Set<string>();
  let updated = false; // an update of p was seen: no p[i] read may follow
  const scopes: Set<string>[] = [];
  const local = (id: string): boolean => scopes.some((s) => s.has(id));

  const isIndex = (node: TS.Expression): boolean =>
    ts.isIdentifier(strip(node)) && (strip(node) as TS.Identifier).text === index;
  function strip(node: TS.Expression): TS.Expression {
    let e = node;
    for (;;) {
      if (
        ts.isParenthesizedExpression(e) ||
        ts.isNonNullExpression(e) ||
        ts.isAsExpression(e) ||
        ts.isSatisfiesExpression(e) ||
        ts.isTypeAssertionExpression(e)
      )
        e = e.expression;
      else return e;
    }
  }
  const elementOf = (node: TS.Expression): string | undefined => {
    const e = strip(node);
    if (!ts.isElementAccessExpression(e)) return undefined;
    const target = strip(e.expression);
    if (!ts.isIdentifier(target) || roles.get(target.text) !== 'array') return undefined;
    if (!isIndex(e.argumentExpression))
      fail(
        e,
        `${target.text}[${e.argumentExpression.getText(sf)}]: a kernel reads and writes element ${index} only (${target.text}[${index}])`,
      );
    return target.text;
  };

  const free = (node: TS.Node, id: string): never =>
    fail(
      node,
      `reads '${id}', which is neither one of its parameters nor Math: the kernel is compiled apart from its module, per dtype and switch setting, so it may read only its parameters and Math (pass a value as a scalar, a dtype constant as a limit)`,
    );

  const expr = (node: TS.Expression): Expr => {
    const at = span(node);
    const e = strip(node);
    if (ts.isNumericLiteral(e)) {
      const value = Number(e.text);
      if (!Number.isFinite(value))
        fail(e, `the literal ${e.getText(sf)} is not finite as a double (literals are finite)`);
      return { kind: 'number', value, at };
    }
    if (e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword) {
      if (!instrumented) fail(e, 'true and false are not kernel values (a switch is a boolean: test it)');
      return { kind: 'boolean', value: e.kind === ts.SyntaxKind.TrueKeyword, at };
    }
    if (ts.isIdentifier(e)) {
      const id = e.text;
      if (local(id)) return { kind: 'local', name: id, at };
      const role = roles.get(id);
      if (role === 'scalar') return { kind: 'scalar', name: id, at };
      if (role === 'switch') return { kind: 'switch', name: id, at };
      if (role === 'limit') return { kind: 'limit', name: id, at };
      if (role === 'array') fail(e, `array '${id}' is read as ${id}[${index}]`);
      if (role === 'index') fail(e, `the index ${index} is used only to read and write elements (x[${index}])`);
      if (declared.has(id)) fail(e, `'${id}' is not declared here (declared in another branch)`);
      if (id === 'Math')
        fail(
          e,
          `Math is used only to call ${Object.keys(MATH_FUNCTIONS)
            .map((f) => `Math.${f}`)
            .join(', ')}`,
        );
      return free(e, id);
    }
    if (ts.isElementAccessExpression(e)) {
      const array = elementOf(e);
      if (array === undefined) {
        const target = strip(e.expression);
        return ts.isIdentifier(target) && !roles.has(target.text) && !local(target.text)
          ? free(target, target.text)
          : fail(e, `${e.getText(sf)}: only the arrays' elements x[${index}] can be read`);
      }
      if (array === 'p' && updated && !instrumented)
        fail(
          e,
          `p[${index}] is read after an update of p (p[${index}] reads θ before the step; read it before the first p[${index}] -= …)`,
        );
      return { kind: 'load', array, at };
    }
    if (ts.isPrefixUnaryExpression(e)) {
      const op =
        e.operator === ts.SyntaxKind.MinusToken
          ? '-'
          : e.operator === ts.SyntaxKind.ExclamationToken
            ? '!'
            : e.operator === ts.SyntaxKind.PlusToken && instrumented
              ? '+'
              : undefined;
      if (!op)
        fail(
          e,
          `operator ${ts.tokenToString(e.operator)} is not allowed in a kernel (allowed: unary -, and ! in tests)`,
        );
      return { kind: 'unary', op: op!, arg: expr(e.operand), at };
    }
    if (ts.isBinaryExpression(e)) {
      const k = e.operatorToken.kind;
      const S = ts.SyntaxKind;
      const arith = (
        { [S.PlusToken]: '+', [S.MinusToken]: '-', [S.AsteriskToken]: '*', [S.SlashToken]: '/' } as Partial<
          Record<TS.SyntaxKind, '+' | '-' | '*' | '/'>
        >
      )[k];
      if (arith) return { kind: 'binary', op: arith, left: expr(e.left), right: expr(e.right), at };
      const cmp = (
        {
          [S.LessThanToken]: '<',
          [S.LessThanEqualsToken]: '<=',
          [S.GreaterThanToken]: '>',
          [S.GreaterThanEqualsToken]: '>=',
          [S.EqualsEqualsEqualsToken]: '===',
          [S.ExclamationEqualsEqualsToken]: '!==',
        } as Partial<Record<TS.SyntaxKind, CompareOp>>
      )[k];
      if (cmp) return { kind: 'compare', op: cmp, left: expr(e.left), right: expr(e.right), at };
      if (k === S.AmpersandAmpersandToken || k === S.BarBarToken)
        return {
          kind: 'logical',
          op: k === S.AmpersandAmpersandToken ? '&&' : '||',
          left: expr(e.left),
          right: expr(e.right),
          at,
        };
      if (instrumented && k === S.CommaToken) {
        const exprs: Expr[] = [];
        const flat = (x: TS.Expression): void => {
          const y = strip(x);
          if (ts.isBinaryExpression(y) && y.operatorToken.kind === S.CommaToken) {
            flat(y.left);
            flat(y.right);
          } else exprs.push(expr(y));
        };
        flat(e);
        return { kind: 'sequence', exprs, at };
      }
      if (instrumented && elementOf(e.left) === 'p') {
        const op = (
          {
            [S.MinusEqualsToken]: '-',
            [S.PlusEqualsToken]: '+',
            [S.AsteriskEqualsToken]: '*',
            [S.SlashEqualsToken]: '/',
            [S.EqualsToken]: '=',
          } as Partial<Record<TS.SyntaxKind, '-' | '+' | '*' | '/' | '='>>
        )[k];
        if (op) {
          // Equivalent mutant: `false` (only instrumented checks come here, and `updated` is read only in others).
          updated = true;
          return { kind: 'assign', op, value: expr(e.right), at };
        }
      }
      return fail(
        e,
        `operator ${e.operatorToken.getText(sf)} is not allowed here (allowed: + - * /, comparisons and && || in a test; stores and updates are statements)`,
      );
    }
    if (ts.isConditionalExpression(e))
      return { kind: 'select', test: expr(e.condition), then: expr(e.whenTrue), else: expr(e.whenFalse), at };
    if (ts.isCallExpression(e)) {
      const callee = strip(e.expression);
      if (
        ts.isPropertyAccessExpression(callee) &&
        ts.isIdentifier(callee.expression) &&
        callee.expression.text === 'Math' &&
        !roles.has('Math') &&
        // Equivalent mutant: `""` for the name (no local is named Math, which RESERVED refuses, nor '': local() is
        // false for both).
        !local('Math')
      ) {
        const f = callee.name.text;
        const arity = (MATH_FUNCTIONS as Record<string, number>)[f];
        if (arity === undefined)
          fail(
            callee,
            `Math.${f} is not a kernel function (allowed: ${Object.keys(MATH_FUNCTIONS)
              .map((x) => `Math.${x}`)
              .join(', ')})`,
          );
        if (e.arguments.length !== arity)
          fail(e, `Math.${f} takes ${arity} argument(s) in a kernel; got ${e.arguments.length}`);
        return { kind: 'math', fn: f as MathFn, args: e.arguments.map(expr), at };
      }
      if (ts.isIdentifier(callee) && hooks.has(callee.text)) {
        const args = e.arguments.map((a) =>
          ts.isStringLiteral(a) ? a.text : fail(a, `hook ${callee.text} takes string arguments`),
        );
        return { kind: 'hook', name: callee.text, args, at };
      }
      if (ts.isIdentifier(callee) && !roles.has(callee.text) && !local(callee.text)) return free(callee, callee.text);
      return fail(
        e,
        `calls ${callee.getText(sf)}: a kernel calls only ${Object.keys(MATH_FUNCTIONS)
          .map((x) => `Math.${x}`)
          .join(', ')}`,
      );
    }
    if (ts.isPropertyAccessExpression(e)) {
      const target = strip(e.expression);
      if (ts.isIdentifier(target) && !roles.has(target.text) && !local(target.text) && target.text !== 'Math')
        return free(target, target.text);
      return fail(
        e,
        `${e.getText(sf)}: a kernel reads no properties (its parameters are destructured; Math is only called)`,
      );
    }
    return fail(e, `${ts.SyntaxKind[e.kind]} \`${e.getText(sf)}\` is not allowed in a kernel (see docs/kernels.md)`);
  };

  const isBool = (x: Expr): boolean =>
    x.kind === 'switch' ||
    x.kind === 'compare' ||
    x.kind === 'logical' ||
    // Equivalent mutant: `false`, and `""` for the kind (only instrumented trees hold booleans, true and false are
    // refused elsewhere, and typed, which calls isBool, returns at once for them).
    x.kind === 'boolean' ||
    // Equivalent mutant: `true` for the kind test (op '!' belongs to unary expressions only: the other kinds' ops
    // are + - * /, comparisons, && || and assignments).
    (x.kind === 'unary' && x.op === '!');
  const switchesOnly = (x: Expr): boolean =>
    x.kind === 'switch' ||
    // Equivalent mutant: `true` for the kind test (op '!' belongs to unary expressions only).
    (x.kind === 'unary' && x.op === '!' && switchesOnly(x.arg)) ||
    (x.kind === 'logical' && switchesOnly(x.left) && switchesOnly(x.right));
  /** Numbers where numbers belong, tests where tests belong (not in instrumented trees). */
  const typed = (x: Expr, node: TS.Node, wantBool: boolean): void => {
    if (instrumented) return;
    if (isBool(x) !== wantBool)
      fail(
        node,
        wantBool
          ? `${node.getText(sf)} is a number where a test is expected`
          : `${node.getText(sf)} is a test where a number is expected (write c ? a : b)`,
      );
    switch (x.kind) {
      case 'unary':
        typed(x.arg, node, x.op === '!');
        break;
      // Equivalent mutant: `case 'binary':` without its body (it falls through to case 'compare', whose body is the
      // same).
      case 'binary':
        typed(x.left, node, false);
        typed(x.right, node, false);
        break;
      case 'compare':
        typed(x.left, node, false);
        typed(x.right, node, false);
        break;
      case 'logical':
        typed(x.left, node, true);
        typed(x.right, node, true);
        break;
      case 'select':
        typed(x.test, node, true);
        typed(x.then, node, false);
        typed(x.else, node, false);
        break;
      case 'math':
        for (const a of x.args) typed(a, node, false);
        break;
      // Equivalent mutant: `default:` without its break (the last clause: nothing follows to fall into).
      default:
        break;
    }
  };
  const value = (node: TS.Expression): Expr => {
    const x = expr(node);
    typed(x, node, false);
    return x;
  };

  const failAt = (at: Span | undefined, message: string): never => {
    // Equivalent mutant: `at.line` and `at.column` (failAt is given a statement's place, which the checker always
    // records: span(st)).
    throw new KernelError(message, name, file, at?.line ?? 1, at?.column ?? 0);
  };
  const block = (list: readonly TS.Statement[]): Stmt[] => {
    scopes.push(new Set());
    const out: Stmt[] = [];
    for (const st of list) out.push(...statement(st));
    scopes.pop();
    if (!instrumented) {
      // Updates of p come last: in this block, and a branch holding updates is its block's last statement.
      let tail = false;
      out.forEach((s, k) => {
        // Equivalent mutant: `true` for the if test (hasUpdate of a statement other than an if is true only for an
        // update, counted already).
        const updates = s.kind === 'update' || (s.kind === 'if' && hasUpdate(s));
        if (tail && !updates)
          failAt(s.at, `p[${index}] -= … statements come last: nothing but updates of p may follow them`);
        if (updates) tail = true;
        if (s.kind === 'if' && hasUpdate(s) && k !== out.length - 1)
          failAt(s.at, 'a branch that updates p must be the last statement of its block');
      });
    }
    return out;
  };
  const branch = (st: TS.Statement | undefined): Stmt[] =>
    st === undefined ? [] : block(ts.isBlock(st) ? st.statements : [st]);

  const statement = (st: TS.Statement): Stmt[] => {
    const at = span(st);
    if (ts.isEmptyStatement(st)) return [];
    if (ts.isBlock(st)) return block(st.statements);
    if (ts.isVariableStatement(st)) {
      const list = st.declarationList;
      if (!(list.flags & ts.NodeFlags.Const)) fail(st, 'locals are const (a kernel has no let or var)');
      return list.declarations.map((d): Stmt => {
        if (!ts.isIdentifier(d.name)) fail(d, 'a const declares one plain name (no destructuring)');
        const id = (d.name as TS.Identifier).text;
        if (!d.initializer) fail(d, `const ${id} needs a value`);
        if (id.includes('$')) fail(d, `local '${id}': names with $ belong to switches and to the generator`);
        if (roles.has(id) || RESERVED.has(id))
          fail(d, `local '${id}' hides a parameter or a name the generator uses (${[...RESERVED].join(', ')})`);
        if (local(id)) fail(d, `'${id}' is declared twice`);
        const v = value(d.initializer!);
        declared.add(id);
        scopes[scopes.length - 1]!.add(id);
        return { kind: 'const', name: id, value: v, at };
      });
    }
    if (ts.isIfStatement(st)) {
      const test = expr(st.expression);
      if (!instrumented && !switchesOnly(test))
        fail(st.expression, `if tests switches only ($a, !$a, $a && $b …); for values write c ? a : b`);
      return [{ kind: 'if', test, then: branch(st.thenStatement), else: branch(st.elseStatement), at }];
    }
    if (ts.isExpressionStatement(st)) {
      const e = strip(st.expression);
      if (ts.isBinaryExpression(e)) {
        const k = e.operatorToken.kind;
        const array = elementOf(e.left);
        if (array !== undefined) {
          if (array === 'p') {
            if (k === ts.SyntaxKind.MinusEqualsToken || k === ts.SyntaxKind.PlusEqualsToken) {
              const v = value(e.right);
              updated = true;
              return [{ kind: 'update', op: k === ts.SyntaxKind.MinusEqualsToken ? '-' : '+', value: v, at }];
            }
            if (!instrumented)
              fail(
                st,
                `p[${index}] is written by p[${index}] -= step (or +=): the generator applies the decoupled decay to θ and stores p once`,
              );
          } else if (array === 'g') {
            fail(st, `g is read only (g[${index}] is the preprocessed gradient)`);
          } else if (k === ts.SyntaxKind.EqualsToken) {
            return [{ kind: 'store', array, value: value(e.right), at }];
          } else if (!instrumented) {
            fail(
              st,
              `${array}[${index}] is written with = (write ${array}[${index}] = ${array}[${index}] ${e.operatorToken.getText(sf).slice(0, -1)} …)`,
            );
          }
        }
      }
      if (instrumented) return [{ kind: 'expr', expr: expr(st.expression), at }];
      return fail(
        st,
        `${st.getText(sf)}: a statement of a kernel is const …, buf[${index}] = …, p[${index}] -= … or if (switch) …`,
      );
    }
    return fail(
      st,
      `${ts.SyntaxKind[st.kind]} is not allowed in a kernel (statements: const, buf[${index}] = …, p[${index}] -= …, if on switches)`,
    );
  };

  const body = fn.body!;
  if (!ts.isBlock(body)) fail(body, 'write the body in braces: (i, { p, g }, { lr }) => { p[i] -= lr * g[i]; }');
  const stmts = block((body as TS.Block).statements);
  if (!instrumented) {
    // Folding splices the chosen branches into one block: in every setting, each name once.
    const own = groups[3]!;
    // Equivalent mutant: `bits <= 2 ** own.length` (bits 2^n turns every own switch off, as bits 0, walked first).
    for (let bits = 0; bits < 2 ** own.length; bits++) {
      const on = (x: Expr): boolean => evaluate(x, (sw) => ((bits >> own.indexOf(sw)) & 1) === 1);
      const seen = new Set<string>();
      const walk = (list: readonly Stmt[]): void => {
        for (const s of list) {
          if (s.kind === 'if') walk(on(s.test) ? s.then : s.else);
          else if (s.kind === 'const') {
            const onNow = own.filter((_, k) => (bits >> k) & 1);
            if (seen.has(s.name))
              failAt(
                s.at,
                `'${s.name}' is declared twice ${onNow.length ? `with ${onNow.join(', ')} on` : 'with every switch off'} (the branches taken are spliced into one block)`,
              );
            seen.add(s.name);
          }
        }
      };
      walk(stmts);
    }
  }
  return {
    name,
    file,
    index,
    arrays,
    scalars: groups[2]!,
    switches: groups[3]!,
    limits: groups[4]!,
    body: stmts,
    ...(fn.name ? { nameAt: span(fn.name) } : {}),
    bodyAt: span(body),
    hooks: [...hooks],
  };
}

/** Names a kernel's locals may not take: the generator's (with the arrays p, g, and the shared scalars). */
const RESERVED = new Set(['p', 'g', 'Math', ...SHARED_SCALARS]);

/** The value of a switch test. */
function evaluate(x: Expr, on: (name: string) => boolean): boolean {
  if (x.kind === 'switch') return on(x.name);
  if (x.kind === 'unary') return !evaluate(x.arg, on);
  // Equivalent mutant: `true` (evaluate is given only tests that switchesOnly accepted: a switch, a unary
  // not, or a logical && or ||; past the first two lines every test is logical, and the throw below is
  // never reached: it states that rule, should a new kind of test ever be let through).
  if (x.kind === 'logical')
    return x.op === '&&'
      ? evaluate(x.left, on) && evaluate(x.right, on)
      : evaluate(x.left, on) || evaluate(x.right, on);
  throw new Error(`not a switch test: ${x.kind}`);
}

function hasUpdate(s: Stmt): boolean {
  if (s.kind === 'update') return true;
  if (s.kind === 'if') return s.then.some(hasUpdate) || s.else.some(hasUpdate);
  return false;
}
