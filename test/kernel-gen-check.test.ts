/**
 * The kernel checker (src/optimizers/kernel/check.ts) in detail: its messages in full, the tree it
 * returns (kinds, places, groups, hooks), the instrumented form a mutation run feeds it (Stryker's
 * hook calls, `a, b`, assignments of p[i] in expressions, literals), the declarations of the hooks,
 * and kernels checked at run time from their text (places within that text, native functions).
 * Each check runs the checker inside its test (see reports/mutation/README.md).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkKernel, hookDeclarations, KernelError, kernelsInFile } from '../src/optimizers/kernel/check.js';
import type { KernelTree } from '../src/optimizers/kernel/tree.js';
import { checkedMessage } from './kernel-gen-helpers.js';

const HEAD = "import type { Elements, Limits } from './kernel.js';\n";
const FILE = 'src/optimizers/x.ts';
const PARAMS =
  "i: number, { p, g, m }: Elements<'m'>, { lr, b }: { lr: number; b: number }, { $on }: { $on: boolean }, { max }: Limits";

/** A kernel `xKernel(params) { body }` in a file (its body from line 3), checked. */
function check(body: string, params = PARAMS, hooks: string[] = []): KernelTree {
  return kernelsInFile(FILE, `${HEAD}export function xKernel(${params}): void {\n${body}\n}\n`, { hooks })[0]!;
}
/** The checker's verdict: the whole message of its KernelError, or 'ok'. */
function verdict(body: string, params = PARAMS, hooks: string[] = []): string {
  try {
    check(body, params, hooks);
    return 'ok';
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    return e.message;
  }
}
/** The message after `file:line:column: kernel xKernel: `, or 'ok'. */
function said(body: string, params = PARAMS, hooks: string[] = []): string {
  return verdict(body, params, hooks).replace(/^src\/optimizers\/x\.ts:\d+:\d+: kernel xKernel: /, '');
}
/** A tree or part of one without its places (`at`, `site`). */
function unplaced(x: unknown): unknown {
  return JSON.parse(JSON.stringify(x, (k, v: unknown) => (k === 'at' || k === 'site' ? undefined : v)));
}

const MATH = 'Math.sqrt, Math.abs, Math.sign, Math.max, Math.min';
const OPERATOR_HERE =
  'is not allowed here (allowed: + - * /, comparisons and && || in a test; stores and updates are statements)';

describe('KernelError', () => {
  it('is named KernelError, its message the place, the kernel and what is wrong', () => {
    let error: unknown;
    try {
      check('p[i]! -= q;');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KernelError);
    const e = error as KernelError;
    expect(e.name).toBe('KernelError');
    // q: line 3 of the file, character 9 (0-based), column 10 in the message.
    expect([e.kernel, e.file, e.line, e.column]).toEqual(['xKernel', FILE, 3, 9]);
    expect(String(e)).toMatch(/^KernelError: src\/optimizers\/x\.ts:3:10: kernel xKernel: reads 'q', which is/);
  });
});

describe('the checker, message by message', () => {
  it('parameters: p or g in another group, a limit named like a shared scalar', () => {
    expect(said('m[i] = lr;', "i: number, { g, m }: Elements<'m'>, { lr, p }: { lr: number; p: number }")).toBe(
      "'p' names an array (parameter 2)",
    );
    expect(
      said('p[i]! -= lr;', 'i: number, { p }: Elements, { lr }: { lr: number }, {}: object, { keep }: Limits'),
    ).toBe("unknown limit 'keep'; the limits are max");
  });

  it('an array may not take the name of a shared scalar (its copies would bind both)', () => {
    // Accepted before, the copies with $keep (or $decay) on failed to compile: keep declared twice.
    const reserved = (name: string): string =>
      `array '${name}' is reserved for the shared options (decay and keep factor are applied by the generator)`;
    expect(said('p[i]! -= lr;', 'i: number, { p, keep }: Elements, { lr }: { lr: number }')).toBe(reserved('keep'));
    expect(said('p[i]! -= lr;', 'i: number, { p, weightDecay }: Elements, { lr }: { lr: number }')).toBe(
      reserved('weightDecay'),
    );
  });

  it('a literal is finite as a double: the largest double is accepted, one past it refused', () => {
    // 1.7976931348623157e308 is the largest finite double; 2e308 and 1e999 round to Infinity.
    expect(said('p[i]! -= 1.7976931348623157e308 * lr;')).toBe('ok');
    expect(said('p[i]! -= 2e308 * lr;')).toBe('the literal 2e308 is not finite as a double (literals are finite)');
    expect(verdict('p[i]! -= lr * 1e999;')).toBe(
      'src/optimizers/x.ts:3:15: kernel xKernel: the literal 1e999 is not finite as a double (literals are finite)',
    );
  });

  it('elements: only x[i], read from an array; another name indexed', () => {
    expect(said('p[i]! -= g[lr]!;')).toBe('g[lr]: a kernel reads and writes element i only (g[i])');
    expect(said('p[i]! -= q[i]!;')).toBe(
      "reads 'q', which is neither one of its parameters nor Math: the kernel is compiled apart from its module, per dtype and switch setting, so it may read only its parameters and Math (pass a value as a scalar, a dtype constant as a limit)",
    );
    expect(said('const a = lr;\np[i]! -= a[i]!;')).toBe("a[i]: only the arrays' elements x[i] can be read");
  });

  it('p[i] may be read before the first update of p', () => {
    expect(verdict('const a = p[i]! * lr;\nm[i] = p[i]!;\np[i]! -= a;')).toBe('ok');
  });

  it('statements: an assignment to a name, an assignment inside an expression', () => {
    expect(said('lr = b;')).toBe('lr = b;: a statement of a kernel is const …, buf[i] = …, p[i] -= … or if (switch) …');
    expect(said('m[i] = (p[i]! -= lr);\np[i]! -= lr;')).toBe(`operator -= ${OPERATOR_HERE}`);
    expect(said('m[i]! **= lr;')).toBe('m[i] is written with = (write m[i] = m[i] ** …)');
    expect(said('m[i]! += lr;')).toBe('m[i] is written with = (write m[i] = m[i] + …)');
  });

  it('Math: the functions allowed listed; Math hidden by a scalar of that name', () => {
    expect(said('p[i]! -= Math.exp(lr);')).toBe(`Math.exp is not a kernel function (allowed: ${MATH})`);
    expect(
      said('p[i]! -= Math.sqrt(lr);', 'i: number, { p }: Elements, { lr, Math }: { lr: number; Math: number }'),
    ).toBe(`calls Math.sqrt: a kernel calls only ${MATH}`);
  });

  it('locals: the reserved names listed; a name declared twice in one block', () => {
    expect(said('const lr = b;\np[i]! -= lr;')).toBe(
      "local 'lr' hides a parameter or a name the generator uses (p, g, Math, weightDecay, keep)",
    );
    expect(said('const Math = b;\np[i]! -= lr;')).toMatch(/^local 'Math' hides a parameter/);
    expect(said('const a = lr;\nconst a = b;\np[i]! -= a;')).toBe("'a' is declared twice");
  });

  it('if tests switches: !, && and || of switches, nothing else', () => {
    expect(said('if (-$on) { p[i]! -= lr; }')).toBe(
      'if tests switches only ($a, !$a, $a && $b …); for values write c ? a : b',
    );
  });

  it('a test is not a number anywhere in a value: under -, +, a comparison, a Math function', () => {
    const test = (v: string): string => `${v} is a test where a number is expected (write c ? a : b)`;
    expect(said('p[i]! -= -$on;')).toBe(test('-$on'));
    expect(said('p[i]! -= lr + $on;')).toBe(test('lr + $on'));
    expect(said('p[i]! -= $on < lr ? lr : 0;')).toBe(test('$on < lr ? lr : 0'));
    expect(said('p[i]! -= Math.abs($on);')).toBe(test('Math.abs($on)'));
  });

  it('updates of p come last; an if that updates p in one branch is the last statement of its block', () => {
    // The store is on line 4 of the file, indented by two: column 3.
    expect(verdict('p[i]! -= lr;\n  m[i] = lr;')).toBe(
      'src/optimizers/x.ts:4:3: kernel xKernel: p[i] -= … statements come last: nothing but updates of p may follow them',
    );
    expect(verdict('p[i]! -= lr;\nif ($on) { p[i]! -= b; }')).toBe('ok');
    expect(verdict('m[i] = lr;\n  if ($on) { m[i] = b; p[i]! -= lr; }\nconst a = lr;\nm[i] = a;')).toBe(
      'src/optimizers/x.ts:4:3: kernel xKernel: a branch that updates p must be the last statement of its block',
    );
  });
});

describe('the tree', () => {
  it('groups the parameters by their place; no limits, switches or hooks when none are given', () => {
    const t = check(
      'p[j]! -= lr * g[j]!;',
      "j: number, { p, g, m }: Elements<'m'>, { lr, b }: { lr: number; b: number }",
    );
    expect([t.index, t.arrays, t.scalars, t.switches, t.limits, t.hooks]).toEqual([
      'j',
      ['p', 'g', 'm'],
      ['lr', 'b'],
      [],
      [],
      [],
    ]);
    const u = check('p[i]! -= lr;');
    expect([u.switches, u.limits]).toEqual([['$on'], ['max']]);
  });
});

describe('instrumented kernels (mutation testing: CheckOptions.hooks)', () => {
  const H = ['h'];
  it("keeps the hooks' calls, `a, b`, p[i] assigned in expressions, unary +, true and false", () => {
    const t = check(
      [
        "if (h('1')) {",
        '} else {',
        "  h('2');",
        "  const a = h('3') ? true : false;",
        "  (h('4'), p[i]! -= +lr * g[i]!);",
        '  p[i] = b;',
        '  p[i]! -= a ? lr : b;',
        '  m[i] = lr;',
        '}',
      ].join('\n'),
      PARAMS,
      H,
    );
    const hook = (n: string) => ({ kind: 'hook', name: 'h', args: [n] });
    const scalar = (name: string) => ({ kind: 'scalar', name });
    expect(t.hooks).toEqual(['h']);
    expect(unplaced(t.body)).toEqual([
      {
        kind: 'if',
        test: hook('1'),
        then: [],
        else: [
          { kind: 'expr', expr: hook('2') },
          {
            kind: 'const',
            name: 'a',
            value: {
              kind: 'select',
              test: hook('3'),
              then: { kind: 'boolean', value: true },
              else: { kind: 'boolean', value: false },
            },
          },
          {
            kind: 'expr',
            expr: {
              kind: 'sequence',
              exprs: [
                hook('4'),
                {
                  kind: 'assign',
                  op: '-',
                  value: {
                    kind: 'binary',
                    op: '*',
                    left: { kind: 'unary', op: '+', arg: scalar('lr') },
                    right: { kind: 'load', array: 'g' },
                  },
                },
              ],
            },
          },
          { kind: 'expr', expr: { kind: 'assign', op: '=', value: scalar('b') } },
          {
            kind: 'update',
            op: '-',
            value: { kind: 'select', test: { kind: 'local', name: 'a' }, then: scalar('lr'), else: scalar('b') },
          },
          { kind: 'store', array: 'm', value: scalar('lr') },
        ],
      },
    ]);
  });

  it('rejects what is no instrumented form: ~, other operators on p[i], a store in an expression, a hook given a number', () => {
    expect(said('p[i]! -= ~lr;', PARAMS, H)).toBe(
      'operator ~ is not allowed in a kernel (allowed: unary -, and ! in tests)',
    );
    expect(said("(h('1'), p[i]! % lr);", PARAMS, H)).toBe(`operator % ${OPERATOR_HERE}`);
    expect(said("(h('1'), m[i] = lr);", PARAMS, H)).toBe(`operator = ${OPERATOR_HERE}`);
    expect(said('m[i]! += lr;', PARAMS, H)).toBe(`operator += ${OPERATOR_HERE}`);
    expect(said('p[i]! -= h(1) ? lr : b;', PARAMS, H)).toBe('hook h takes string arguments');
  });
});

describe('hookDeclarations', () => {
  it('the functions named as hooks and those they call, as written, one a line; classes and others left out', () => {
    const text = [
      'class h2 {}',
      'interface h3 { n: number }',
      'function h(id) { return a$b(id); }',
      'function a$b(id) { return id; }',
      'function other() { return 0; }',
    ].join('\n');
    expect(hookDeclarations('x.ts', text, ['h', 'h2', 'h3', 'absent'])).toBe(
      'function h(id) { return a$b(id); }\nfunction a$b(id) { return id; }',
    );
  });
  it('a name is found whole: one ending in $ is found, and a name is not found inside a longer one', () => {
    const text = [
      'function h(id) { return a$(id) + a$b(id); }',
      'function a$(id) { return id; }',
      'function a$b(id) { return id; }',
      'function a(id) { return id; }',
      'function b(id) { return id; }',
    ].join('\n');
    // `a` and `b` stand inside `a$` and `a$b` only, touching a `$`: they are not called.
    expect(hookDeclarations('x.ts', text, ['h'])).toBe(
      'function h(id) { return a$(id) + a$b(id); }\nfunction a$(id) { return id; }\nfunction a$b(id) { return id; }',
    );
  });
});

describe('kernels checked at run time: places in the function text', () => {
  it('the body and the statements, on the first line counted from the text start, on later lines as written', () => {
    // Made with new Function so that the text is as written.
    const one = new Function('return (i, { p }, { lr }) => { p[i] -= lr; }')() as unknown;
    // `(i, { p }, { lr }) => ` is 22 characters; `{ p[i] -= lr; }` 15.
    expect(checkKernel(one, 'x').bodyAt).toEqual({ line: 1, column: 22, endLine: 1, endColumn: 37 });
    const three = new Function('return (i, { p }, { lr }) => {\n  p[i] -= lr;\n}')() as unknown;
    const t = checkKernel(three, 'x');
    expect(t.bodyAt).toEqual({ line: 1, column: 22, endLine: 3, endColumn: 1 });
    expect(t.body[0]!.at).toEqual({ line: 2, column: 2, endLine: 2, endColumn: 13 });
    const named = new Function('return function k(i, { p }, { lr }) { p[i] -= lr; }')() as unknown;
    // `function ` is 9 characters.
    expect(checkKernel(named, 'x').nameAt).toEqual({ line: 1, column: 9, endLine: 1, endColumn: 10 });
  });
});

describe('kernels checked at run time: methods', () => {
  it('a method named async is a method (its text in parentheses reads as an async arrow missing =>)', () => {
    const holder = new Function('return { async(i, { p }, { lr }) { p[i] -= lr; } }')() as Record<string, unknown>;
    const t = checkKernel(holder.async, 'x');
    expect([t.name, t.arrays, t.scalars]).toEqual(['async', ['p'], ['lr']]);
  });
});

describe('kernels checked at run time: native functions', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });
  const NATIVE = 'its source is not available (a bound or native function); pass the kernel function itself';
  const message = checkedMessage;

  it('a bound function (V8: `{ [native code] }`) is refused as such', () => {
    const k = (i: number, { p }: { p: Float64Array }, { a }: { a: number }) => {
      p[i]! -= a;
    };
    expect(message(k.bind(null))).toBe(`optimizer:x:1:1: kernel bound k: ${NATIVE}`);
    expect(message(Math.max)).toBe(`optimizer:x:1:1: kernel max: ${NATIVE}`);
  });

  it('so is a native text as other engines print it, whatever the whitespace around [native code]', () => {
    const toString = Function.prototype.toString;
    const texts = new Map<unknown, string>();
    vi.spyOn(Function.prototype, 'toString').mockImplementation(function (this: unknown) {
      return texts.get(this) ?? toString.call(this as () => void);
    });
    const forms = [
      // SpiderMonkey, JavaScriptCore.
      'function bound() {\n    [native code]\n}',
      'function f() {[native code]}',
      'function f() {  [native code]  }\n',
    ];
    for (const form of forms) {
      const fn = (): void => undefined;
      texts.set(fn, form);
      expect(message(fn), JSON.stringify(form)).toBe(`optimizer:x:1:1: kernel fn: ${NATIVE}`);
    }
  });

  it('a kernel that mentions `{ [native code] }` in a comment is checked as written', () => {
    const k = new Function('return (i, { p }, { lr }) => { /* not { [native code] } */ p[i] -= lr; }')() as unknown;
    expect(message(k)).toBe('ok');
  });
});
