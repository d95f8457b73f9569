/**
 * The kernel checker (src/optimizers/kernel/check.ts) and the build's errors: a kernel that breaks
 * the format (docs/kernels.md) fails the build, or defineOptimizer for a kernel passed as a function,
 * with a message that names the file, line, kernel and what is wrong.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { buildKernels, findKernels, generateModule, main } from '../src/optimizers/kernel/build.js';
import { checkKernel, KernelError, kernelsInFile } from '../src/optimizers/kernel/check.js';
import { sourceMap, vlq } from '../src/optimizers/kernel/sourcemap.js';
import { specialise, type Stmt } from '../src/optimizers/kernel/tree.js';
import { compileAtRunTime, type Compiled, type Elements, type Limits } from '../src/optimizers/kernel.js';
import { copiesComputeAsWritten } from './kernel-harness.js';
import { checkedMessage, decodeMappings, decodeSegment } from './kernel-gen-helpers.js';

const HEAD = "import type { Elements, Limits } from './kernel.js';\n";

/** The checker's verdict on one kernel written in a file: its message, or 'ok'. */
function verdict(
  body: string,
  params = "i: number, { p, g, m }: Elements<'m'>, { lr, b }: { lr: number; b: number }, { $on }: { $on: boolean }, { max }: Limits",
): string {
  try {
    kernelsInFile('src/optimizers/x.ts', `${HEAD}export function xKernel(${params}): void {\n${body}\n}\n`);
    return 'ok';
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    return e.message;
  }
}

describe('the kernel checker', () => {
  it('accepts the format: consts, stores, updates, switch branches, selects on values, Math', () => {
    expect(
      verdict(
        'const a = m[i]! * lr;\nm[i] = $on ? Math.min(a, max) : a;\nif (!$on) {\n  const c = a > 0 ? Math.sqrt(a) : -a;\n  p[i]! -= c;\n} else {\n  const c = b;\n  p[i]! += c * g[i]!;\n}',
      ),
    ).toBe('ok');
  });

  it('a kernel reading a module constant or a helper is rejected, naming the kernel and the identifier', () => {
    expect(verdict('p[i]! -= Math.min(lr * g[i]!, VMAX);')).toBe(
      "src/optimizers/x.ts:3:31: kernel xKernel: reads 'VMAX', which is neither one of its parameters nor Math: the kernel is compiled apart from its module, per dtype and switch setting, so it may read only its parameters and Math (pass a value as a scalar, a dtype constant as a limit)",
    );
    expect(verdict('p[i]! -= clip(g[i]!);')).toMatch(/kernel xKernel: reads 'clip', which is neither/);
    expect(verdict('p[i]! -= globalThis.x;')).toMatch(/kernel xKernel: reads 'globalThis'/);
    expect(verdict('p[i]! -= Infinity;')).toMatch(/reads 'Infinity'/);
  });

  const rejected: [string, string, RegExp][] = [
    ['another element', 'p[i]! -= g[i + 1]!;', /g\[i \+ 1\]: a kernel reads and writes element i only/],
    ['the index as a value', 'p[i]! -= i * lr;', /the index i is used only to read and write elements/],
    ['an array as a value', 'p[i]! -= lr * m.length;', /a kernel reads no properties/],
    ['let', 'let a = lr;\np[i]! -= a;', /locals are const/],
    ['a loop', 'for (const x of [1]) p[i]! -= x;', /ForOfStatement is not allowed in a kernel/],
    ['p written with =', 'p[i] = lr;', /p\[i\] is written by p\[i\] -= step/],
    ['g written', 'g[i] = lr;', /g is read only/],
    ['a compound store to a buffer', 'm[i]! += lr;', /m\[i\] is written with =/],
    [
      'a store after an update',
      'p[i]! -= lr;\nm[i] = lr;',
      /statements come last: nothing but updates of p may follow them/,
    ],
    ['p read after an update', 'p[i]! -= lr;\np[i]! -= p[i]! * b;', /p\[i\] is read after an update of p/],
    ['an unknown Math function', 'p[i]! -= Math.exp(lr);', /Math\.exp is not a kernel function/],
    ['Math.max of three', 'p[i]! -= Math.max(lr, b, 0);', /Math\.max takes 2 argument\(s\) in a kernel; got 3/],
    ['if on a value', 'if (lr > 0) { p[i]! -= lr; }', /if tests switches only/],
    ['a switch as a number', 'p[i]! -= $on;', /is a test where a number is expected/],
    ['a number as a test', 'p[i]! -= lr ? b : 0;', /is a number where a test is expected/],
    ['a name declared twice', 'const a = lr;\nconst a = b;\np[i]! -= a;', /'a' is declared twice/],
    [
      'a branch name declared again after the branch',
      'if ($on) { const a = lr; m[i] = a; } else { const a = b; m[i] = a; }\nconst a = b;\np[i]! -= a;',
      /'a' is declared twice with every switch off \(the branches taken are spliced/,
    ],
    ['a local hiding a scalar', 'const lr = b;\np[i]! -= lr;', /local 'lr' hides a parameter/],
    [
      'a local named like the generator',
      'const keep = b;\np[i]! -= keep;',
      /local 'keep' hides a parameter or a name the generator uses/,
    ],
    ['a local with $', 'const a$ = b;\np[i]! -= a$;', /names with \$ belong to switches/],
    ['a nested function', 'const f = () => lr;\np[i]! -= lr;', /ArrowFunction `\(\) => lr` is not allowed/],
    [
      'a branch that updates p followed by a statement',
      'if ($on) { p[i]! -= lr; }\nm[i] = lr;',
      /come last|must be the last statement/,
    ],
  ];
  for (const [what, body, message] of rejected) {
    it(`rejects ${what}`, () => expect(verdict(body)).toMatch(message));
  }

  it('checks the parameters: index, object patterns, $ switches, known limits, p present', () => {
    expect(verdict('p[i]! -= lr;', '{ i }: { i: number }, { p }: Elements, { lr }: { lr: number }')).toMatch(
      /the first parameter is the element index/,
    );
    expect(verdict('p[i]! -= lr;', 'i: number, e: Elements, { lr }: { lr: number }')).toMatch(
      /parameter 2 \(arrays\) must be an object pattern/,
    );
    expect(
      verdict('p[i]! -= lr;', 'i: number, { p }: Elements, { lr }: { lr: number }, { on }: { on: boolean }'),
    ).toMatch(/switch 'on' must start with \$/);
    expect(
      verdict(
        'p[i]! -= lr;',
        'i: number, { p }: Elements, { lr }: { lr: number }, {}: object, { eps }: { eps: number }',
      ),
    ).toMatch(/unknown limit 'eps'; the limits are max/);
    expect(verdict('m[i] = lr;', "i: number, { g, m }: Elements<'m'>, { lr }: { lr: number }")).toMatch(
      /the arrays must include p/,
    );
    expect(verdict('p[i]! -= lr;', 'i: number, { p }: Elements, { lr, keep }: { lr: number; keep: number }')).toMatch(
      /scalar 'keep' is reserved/,
    );
    expect(verdict('p[i]! -= lr;', 'i: number, { p }: Elements, { lr: rate }: { lr: number }')).toMatch(
      /listed by their names only/,
    );
    expect(verdict('p[i]! -= lr;', 'i: number, { p }: Elements')).toMatch(/takes 2 parameter\(s\)/);
  });

  /** The message of a kernel that breaks the format, after its place and name (`file:line:col: kernel x: `). */
  const MATH = 'Math.sqrt, Math.abs, Math.sign, Math.max, Math.min';
  const STATEMENTS = 'statements: const, buf[i] = …, p[i] -= …, if on switches';
  const whole: [string, string, string, string?][] = [
    ['an array as a value', 'p[i]! -= m;', "array 'm' is read as m[i]"],
    [
      'a name of another branch',
      'if ($on) { const a = lr; m[i] = a; }\np[i]! -= a;',
      "'a' is not declared here (declared in another branch)",
    ],
    ['Math as a value', 'p[i]! -= Math;', `Math is used only to call ${MATH}`],
    ['a scalar indexed', 'p[i]! -= lr[i];', "lr[i]: only the arrays' elements x[i] can be read"],
    ['unary +', 'p[i]! -= +lr;', 'operator + is not allowed in a kernel (allowed: unary -, and ! in tests)'],
    ['unary ~', 'p[i]! -= ~lr;', 'operator ~ is not allowed in a kernel (allowed: unary -, and ! in tests)'],
    [
      'a remainder',
      'p[i]! -= lr % b;',
      'operator % is not allowed here (allowed: + - * /, comparisons and && || in a test; stores and updates are statements)',
    ],
    ['a method of an array', 'p[i]! -= m.at(0)!;', `calls m.at: a kernel calls only ${MATH}`],
    [
      'a property of Math',
      'p[i]! -= Math.PI;',
      'Math.PI: a kernel reads no properties (its parameters are destructured; Math is only called)',
    ],
    ['var', 'var a = lr;\np[i]! -= a;', 'locals are const (a kernel has no let or var)'],
    ['a destructuring const', 'const [a] = [lr];\np[i]! -= a;', 'a const declares one plain name (no destructuring)'],
    ['a const without a value', 'const a;\np[i]! -= lr;', 'const a needs a value'],
    ['a bare expression', 'lr;', `lr;: a statement of a kernel is const …, buf[i] = …, p[i] -= … or if (switch) …`],
    ['a return', 'p[i]! -= lr;\nreturn;', `ReturnStatement is not allowed in a kernel (${STATEMENTS})`],
    [
      'a test as a number',
      'p[i]! -= lr < b ? lr : b < lr;',
      'lr < b ? lr : b < lr is a test where a number is expected (write c ? a : b)',
    ],
    ['a number in a test', 'p[i]! -= (lr && b) ? lr : b;', '(lr && b) ? lr : b is a number where a test is expected'],
    ['true', 'p[i]! -= true ? lr : b;', 'true and false are not kernel values (a switch is a boolean: test it)'],
    [
      'a branch that updates p, then a statement',
      'if ($on) { m[i] = lr; p[i]! -= lr; } else { p[i]! -= b; }\nconst a = lr;',
      'a branch that updates p must be the last statement of its block',
    ],
    [
      'a hook call without hooks',
      'p[i]! -= h("1") ? lr : b;',
      "reads 'h', which is neither one of its parameters nor Math: the kernel is compiled apart from its module, per dtype and switch setting, so it may read only its parameters and Math (pass a value as a scalar, a dtype constant as a limit)",
    ],
    [
      'a switch named twice in a parameter',
      'p[i]! -= lr;',
      "'lr' is declared twice",
      'i: number, { p }: Elements, { lr, lr }: { lr: number }',
    ],
    [
      'a $ in a scalar',
      'p[i]! -= lr;',
      "'a$': only switches have a $ in their name",
      'i: number, { p }: Elements, { lr, a$ }: { lr: number; a$: number }',
    ],
    [
      'g among the scalars',
      'p[i]! -= lr;',
      "'g' names an array (parameter 2)",
      "i: number, { p, m }: Elements<'m'>, { lr, g }: { lr: number; g: number }",
    ],
    [
      'p among the switches',
      'p[i]! -= lr;',
      "switch 'p' must start with $ (parameter 4 holds the switches)",
      "i: number, { m }: Elements<'m'>, { lr }: { lr: number }, { p }: { p: boolean }",
    ],
    [
      'six parameters',
      'p[i]! -= lr;',
      'takes 6 parameter(s); a kernel takes (i, { p, g, …buffers }, { …scalars }, { …$switches }?, { …limits }?)',
      'i: number, { p }: Elements, { lr }: { lr: number }, {}: object, {}: object, {}: object',
    ],
    [
      'scalars not a pattern',
      'p[i]! -= 1;',
      'parameter 3 (scalars) must be an object pattern such as { lr }',
      'i: number, { p }: Elements, s: { lr: number }',
    ],
    [
      'switches not a pattern',
      'p[i]! -= lr;',
      'parameter 4 (switches) must be an object pattern such as { $on }',
      'i: number, { p }: Elements, { lr }: { lr: number }, s: object',
    ],
    [
      'limits not a pattern',
      'p[i]! -= lr;',
      'parameter 5 (limits) must be an object pattern such as { max }',
      'i: number, { p }: Elements, { lr }: { lr: number }, {}: object, l: object',
    ],
    [
      'arrays not a pattern',
      'p[i]! -= lr;',
      'parameter 2 (arrays) must be an object pattern such as { p, g }',
      'i: number, e: Elements, { lr }: { lr: number }',
    ],
    [
      'the limits listed',
      'p[i]! -= lr;',
      "unknown limit 'eps'; the limits are max",
      'i: number, { p }: Elements, { lr }: { lr: number }, {}: object, { eps }: { eps: number }',
    ],
  ];
  for (const [what, body, message, params] of whole) {
    it(`rejects ${what}, saying so in full`, () =>
      expect(verdict(body, params)).toMatch(
        new RegExp(
          `^src/optimizers/x\\.ts:\\d+:\\d+: kernel xKernel: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`,
        ),
      ));
  }

  it('rejects an async or generator kernel, and a declaration without a body', () => {
    const file = (head: string, body = ' { p[i]! -= lr; }'): string =>
      `${HEAD}${head} xKernel(i: number, { p }: Elements, { lr }: { lr: number }): void${body}\n`;
    const message = (text: string): string => {
      try {
        kernelsInFile('src/optimizers/x.ts', text);
        return 'ok';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(message(file('export async function'))).toBe(
      'src/optimizers/x.ts:2:1: kernel xKernel: a kernel is a plain function (not async, not a generator)',
    );
    expect(message(file('export function*'))).toBe(
      'src/optimizers/x.ts:2:1: kernel xKernel: a kernel is a plain function (not async, not a generator)',
    );
    expect(message(file('export function', ';'))).toBe(
      'src/optimizers/x.ts:2:1: kernel xKernel: a kernel needs a body',
    );
  });

  it('a name is declared once in every setting: the branches each setting takes, by !, && and ||', () => {
    const two =
      "i: number, { p, g, m }: Elements<'m'>, { lr, b }: { lr: number; b: number }, { $s, $t }: { $s: boolean; $t: boolean }";
    const twice = (first: string, second: string): string =>
      verdict(
        `if (${first}) {\n  const a = lr;\n  m[i] = a;\n}\nif (${second}) {\n  const a = b;\n  m[i] = a;\n}\np[i]! -= lr;`,
        two,
      );
    const said = (on: string): RegExp =>
      new RegExp(
        `: kernel xKernel: 'a' is declared twice with ${on} on \\(the branches taken are spliced into one block\\)$`,
      );
    // Bits: $s is 1, $t is 2; the first setting (in that order) that takes both branches is named.
    expect(twice('$s && $t', '$s || $t')).toMatch(said('\\$s, \\$t'));
    expect(twice('!$s && $t', '$t')).toMatch(said('\\$t'));
    expect(twice('$s || $t', '$s')).toMatch(said('\\$s'));
    expect(twice('$s && !$t', '!$t')).toMatch(said('\\$s'));
    expect(twice('$s && $t', '!$s || !$t')).toBe('ok');
    expect(twice('!($s || $t)', '$s')).toBe('ok');
  });

  it('finds the kernels of a file by their export and name only', () => {
    const body = '(i: number, { p }: Elements, { a }: { a: number }): void { p[i]! -= a; }';
    const text = `${HEAD}export class NotAKernel {}\nexport function oneKernelHelper(): void {}\nasync function twoKernel${body}\nexport function threeKernel${body}\n`;
    expect(kernelsInFile('src/optimizers/x.ts', text).map((k) => k.name)).toEqual(['threeKernel']);
  });

  it('run-time kernels: a place on the first line of the function text is counted from its start', () => {
    // Made with new Function so that the text is as written (a transpiled test function is reformatted).
    const arrow = new Function('return (i, { p }, { lr }) => { p[i] -= q; }')() as unknown;
    const method = new Function('return { k(i, { p }, { lr }) { p[i] -= q; } }.k')() as unknown;
    const tail = "reads 'q', which is neither one of its parameters nor Math";
    // q is character 33 of `(i, { p }, { lr }) => { p[i] -= q; }` and 31 of `k(i, { p }, { lr }) { p[i] -= q; }`.
    expect(() => checkKernel(arrow, 'x')).toThrow(`optimizer:x:1:33: kernel (anonymous kernel): ${tail}`);
    expect(() => checkKernel(method, 'x')).toThrow(`optimizer:x:1:31: kernel k: ${tail}`);
  });

  it('finds only exported …Kernel functions', () => {
    const text = `${HEAD}function helperKernel(i: number, { p }: Elements, { a }: { a: number }): void { p[i]! -= a; }\nexport function sgdLike(): void {}\nexport function oneKernel(i: number, { p }: Elements, { a }: { a: number }): void { p[i]! -= a; }\n`;
    expect(kernelsInFile('src/optimizers/x.ts', text).map((k) => k.name)).toEqual(['oneKernel']);
  });
});

describe('the tree: the shared preamble and epilogue per setting', () => {
  const tree = kernelsInFile(
    'src/optimizers/x.ts',
    `${HEAD}export function xKernel(i: number, { p, g, m }: Elements<'m'>, { lr }: { lr: number }, { $on }: { $on: boolean }): void {\n  m[i] = g[i]!;\n  if ($on) { p[i]! -= lr * m[i]!; } else { p[i]! -= lr; p[i]! -= lr; }\n}\n`,
  )[0]!;
  const shape = (s: readonly Stmt[]): string[] =>
    s.flatMap((x) =>
      x.kind === 'const'
        ? [`const ${x.name}`]
        : x.kind === 'store'
          ? [`store ${x.array}`]
          : x.kind === 'block'
            ? [`${x.label}:`, ...shape(x.body)]
            : [x.kind],
    );
  it('all off: θ, g read once, the kernel, the updates of the branch the switch selects', () => {
    const st = specialise(tree, 0, 'float64');
    expect(shape(st.body)).toEqual(['const p$', 'const g$', 'store m', 'not$on:', 'update', 'update']);
    expect(st.base).toEqual({ kind: 'local', name: 'p$' });
    expect(st.scalars).toEqual(['lr']);
    expect(st.body[1]).toMatchObject({ value: { kind: 'load', array: 'g' } });
  });
  it('maximize, coupled and decoupled decay: −g + λθ and κθ, bits in the order $neg $decay $keep $on', () => {
    const st = specialise(tree, 0b1111, 'float32');
    expect(st.setting).toEqual({ $neg: true, $decay: true, $keep: true, $on: true });
    expect(shape(st.body)).toEqual(['const p$', 'const g$', 'store m', '$on:', 'update']);
    expect(st.body[1]).toMatchObject({
      value: {
        kind: 'binary',
        op: '+',
        left: { kind: 'unary', op: '-', arg: { kind: 'load', array: 'g' } },
        right: {
          kind: 'binary',
          op: '*',
          left: { kind: 'scalar', name: 'weightDecay' },
          right: { kind: 'local', name: 'p$' },
        },
      },
    });
    expect(st.base).toEqual({
      kind: 'binary',
      op: '*',
      left: { kind: 'scalar', name: 'keep' },
      right: { kind: 'local', name: 'p$' },
    });
    expect(st.scalars).toEqual(['weightDecay', 'keep', 'lr']);
    expect(() => specialise(tree, 16, 'float64')).toThrow(/bits = 16; allowed: 0 … 15/);
    expect(() => specialise(tree, -1, 'float64')).toThrow(/bits = -1; allowed: 0 … 15/);
    expect(() => specialise(tree, 1.5, 'float64')).toThrow(/bits = 1.5; allowed: 0 … 15/);
  });
});

describe('kernels checked at run time (outside optimizers)', () => {
  it('the same checker from the function text: declarations, expressions, arrows, methods', () => {
    function fnKernel(i: number, { p, g }: { p: Float64Array; g: Float64Array }, { lr }: { lr: number }): void {
      p[i]! -= lr * g[i]!;
    }
    const arrow = (i: number, { p, g }: { p: Float64Array; g: Float64Array }, { lr }: { lr: number }): void => {
      p[i]! -= lr * g[i]!;
    };
    const holder = {
      kernel(i: number, { p }: { p: Float64Array }, { lr }: { lr: number }): void {
        p[i]! -= lr;
      },
    };
    for (const k of [fnKernel, arrow, holder.kernel]) expect(checkKernel(k, 'mine').arrays[0]).toBe('p');
    expect(checkKernel(fnKernel, 'mine').file).toBe('optimizer:mine');
  });
  it('a closure variable is a free identifier: rejected, named', () => {
    const VMAX = 3.4e38;
    const bad = (i: number, { p }: { p: Float64Array }, { lr }: { lr: number }): void => {
      p[i]! -= Math.min(lr, VMAX);
    };
    expect(() => checkKernel(bad, 'lion')).toThrow(
      /optimizer:lion:\d+:\d+: kernel bad: reads 'VMAX', which is neither one of its parameters nor Math/,
    );
    expect(() =>
      checkKernel(
        ((i: number, { p }: { p: Float64Array }, { a }: { a: number }) => {
          p[i]! -= a;
        }).bind(null),
        'lion',
      ),
    ).toThrow(/not available \(a bound or native function\)/);
    expect(() => checkKernel(42, 'lion')).toThrow(/the kernel must be a function; got number/);
  });
});

describe('kernels checked at run time: what does not parse as a kernel', () => {
  const message = checkedMessage;
  it('an arrow without braces, unnamed; a class; null', () => {
    expect(message((i: number, { p }: { p: Float64Array }, { lr }: { lr: number }) => (p[i]! -= lr))).toMatch(
      /^optimizer:x:1:\d+: kernel \(anonymous kernel\): write the body in braces: \(i, \{ p, g \}, \{ lr \}\) => \{ p\[i\] -= lr \* g\[i\]; \}$/,
    );
    expect(message(class A {})).toBe('optimizer:x:1:1: kernel A: its source text does not parse as a function');
    expect(message(null)).toBe('optimizer:x:1:1: kernel (kernel): the kernel must be a function; got null');
  });
});

describe('the build', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  /** A scratch repository with one optimizer file. */
  function scratch(text: string): string {
    const root = mkdtempSync(join(tmpdir(), 'optimlab-kernels-'));
    dirs.push(root);
    mkdirSync(join(root, 'src/optimizers'), { recursive: true });
    writeFileSync(join(root, 'src/optimizers/bad.ts'), text);
    return root;
  }
  const BAD = `${HEAD}/** The dtype's largest finite value, pasted. */\nconst VMAX = 3.4028234663852886e38;\n\nexport function badKernel(i: number, { p, g }: Elements, { lr }: { lr: number }): void {\n  p[i]! -= Math.min(lr * g[i]!, VMAX);\n}\n`;

  it('a kernel reading a module constant fails the build: KernelError naming file, line, kernel and identifier', () => {
    const root = scratch(BAD);
    expect(() => buildKernels({ root, out: ['gen'] })).toThrow(
      /^src\/optimizers\/bad\.ts:6:33: kernel badKernel: reads 'VMAX', which is neither one of its parameters nor Math/,
    );
  });

  it('npm run kernels exits 1 with that message (the command prepare, build and test run)', () => {
    const root = scratch(BAD);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const logs = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(main(root, {})).toBe(1);
      expect(errors).toHaveBeenCalledWith(
        expect.stringMatching(/^kernels: src\/optimizers\/bad\.ts:6:33: kernel badKernel: reads 'VMAX'/),
      );
      writeFileSync(join(root, 'src/optimizers/bad.ts'), BAD.replace('Math.min(lr * g[i]!, VMAX)', 'lr * g[i]!'));
      expect(main(root, { OPTIMLAB_KERNEL_HOOKS: '' })).toBe(0);
      expect(logs).toHaveBeenCalledWith('kernels: 1 checked, 6 file(s) written');
    } finally {
      errors.mockRestore();
      logs.mockRestore();
    }
    // The command itself, as npm runs it.
    writeFileSync(join(root, 'src/optimizers/bad.ts'), BAD);
    const tsx = resolve('node_modules/.bin/tsx');
    const r = spawnSync(tsx, [resolve('src/optimizers/kernel/build.ts')], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      "kernels: src/optimizers/bad.ts:6:33: kernel badKernel: reads 'VMAX', which is neither one of its parameters nor Math",
    );
  });

  it("the module's frame: header, the record of each kernel, the source map's name; the .d.ts; copies shared", () => {
    // A kernel with a switch whose two branches are the same code: its settings share one function.
    const text = `${HEAD}export function twinKernel(i: number, { p, g }: Elements, { lr }: { lr: number }, { $s }: { $s: boolean }): void {\n  p[i]! -= $s ? lr * g[i]! : lr * g[i]!;\n}\n`;
    const file = 'src/optimizers/twin.ts';
    const m = generateModule(file, kernelsInFile(file, text), 'gen');
    const lines = m.js.split('\n');
    // Written by hand from the format (build.ts): four comment lines and a blank one first.
    expect(lines.slice(0, 5)).toEqual([
      '// Generated by `npm run kernels` (src/optimizers/kernel/build.ts) from src/optimizers/twin.ts: edit the kernels there.',
      '// Per kernel, one function per dtype and switch setting: index = bits, switch k on when bit k is set',
      '// (switches in the order of `switches`); settings whose code is the same share one function. Each',
      '// runs its element loop four elements per iteration.',
      '',
    ]);
    // Bits 0–7 set $neg, $decay, $keep; bit 3 ($s) changes nothing: settings 8–15 are 0–7 again.
    const eight = (dtype: string): string[] =>
      ['', '_neg', '_decay', '_neg_decay', '_keep', '_neg_keep', '_decay_keep', '_neg_decay_keep'].map(
        (on) => `twinKernel_${dtype}${on}`,
      );
    const names = (dtype: string): string => [...eight(dtype), ...eight(dtype)].join(', ');
    expect(m.js.slice(m.js.indexOf('export const twinKernel'))).toBe(
      [
        'export const twinKernel = Object.freeze({',
        "  name: 'twinKernel',",
        "  file: 'src/optimizers/twin.ts',",
        "  arrays: Object.freeze(['p', 'g']),",
        "  scalars: Object.freeze(['lr']),",
        "  switches: Object.freeze(['$neg', '$decay', '$keep', '$s']),",
        `  float64: Object.freeze([${names('float64')}]),`,
        `  float32: Object.freeze([${names('float32')}]),`,
        '});',
        '',
        '//# sourceMappingURL=twin.js.map',
        '',
      ].join('\n'),
    );
    expect(m.js.match(/^function /gm)).toHaveLength(16);
    expect(JSON.parse(m.map)).toMatchObject({ version: 3, file: 'twin.js', sources: ['../src/optimizers/twin.ts'] });
    expect(m.dts).toBe(
      [
        '// Generated by `npm run kernels` (src/optimizers/kernel/build.ts) from src/optimizers/twin.ts: edit the kernels there.',
        "import type { Compiled } from '../kernel.js';",
        "import type { twinKernel as twinKernel$source } from '../twin.js';",
        'export declare const twinKernel: Compiled<typeof twinKernel$source>;',
        '',
      ].join('\n'),
    );
  });

  it('reads the .ts files of the folder only (not .d.ts, not others); findKernels gives their checked kernels', () => {
    const root = scratch(
      `${HEAD}export function goodKernel(i: number, { p, g }: Elements, { lr }: { lr: number }): void {\n  p[i]! -= lr * g[i]!;\n}\n`,
    );
    // Files the build must not read: each would fail it.
    writeFileSync(join(root, 'src/optimizers/types.d.ts'), BAD);
    writeFileSync(join(root, 'src/optimizers/notes.txt'), BAD);
    writeFileSync(join(root, 'src/optimizers/old.ts.bak'), BAD);
    expect(findKernels({ root }).map((k) => [k.file, k.name])).toEqual([['src/optimizers/bad.ts', 'goodKernel']]);
    expect(buildKernels({ root, out: ['gen'] }).kernels).toBe(1);
    // A file in the output folder that only looks like the build's own is kept.
    writeFileSync(join(root, 'gen/keep.js.txt'), 'not ours');
    buildKernels({ root, out: ['gen'] });
    expect(readdirSync(join(root, 'gen')).sort()).toEqual(['bad.d.ts', 'bad.js', 'bad.js.map', 'keep.js.txt']);
  });

  it('npm run kernels with hooks says so; an error that is not a kernel error is not swallowed', () => {
    const root = scratch(
      `${HEAD}export function goodKernel(i: number, { p, g }: Elements, { lr }: { lr: number }): void {\n  p[i]! -= lr * g[i]!;\n}\n`,
    );
    const logs = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(main(root, { OPTIMLAB_KERNEL_HOOKS: 'h1,,h2', OPTIMLAB_KERNEL_MUTANT: '' })).toBe(0);
      expect(logs).toHaveBeenCalledWith('kernels: 1 checked, 6 file(s) written (instrumented: h1, h2)');
    } finally {
      logs.mockRestore();
    }
    expect(() => main(join(root, 'missing'), {})).toThrow(/ENOENT/);
  });

  it('writes one module per optimizer file, its map and types; rewrites nothing unchanged; removes stale files', () => {
    const root = scratch(
      `${HEAD}export function goodKernel(i: number, { p, g }: Elements, { lr }: { lr: number }): void {\n  p[i]! -= lr * g[i]!;\n}\n`,
    );
    writeFileSync(join(root, 'src/optimizers/kernel.ts'), '// no kernels here\n');
    expect(buildKernels({ root, out: ['gen'] })).toEqual({
      written: ['gen/bad.js', 'gen/bad.js.map', 'gen/bad.d.ts'],
      kernels: 1,
    });
    expect(buildKernels({ root, out: ['gen'] }).written).toEqual([]);
    writeFileSync(join(root, 'src/optimizers/bad.ts'), '// kernels moved away\n');
    writeFileSync(join(root, 'gen/notes.txt'), 'not ours');
    expect(buildKernels({ root, out: ['gen'] })).toEqual({ written: [], kernels: 0 });
    expect(spawnSync('ls', [join(root, 'gen')], { encoding: 'utf8' }).stdout.trim()).toBe('notes.txt');
  });
});

/**
 * The source maps of the generated modules (Source Map Revision 3: each segment of a line holds the
 * generated column relative to the line's previous segment, the source index, and the source line and
 * column relative to the previous segment of the whole map, each a base-64 VLQ).
 */
describe('source maps', () => {
  it('vlq: the sign in the lowest bit, then five bits a digit, lowest first, 32 set on all but the last', () => {
    // 16 → 32 = 0b1_00000: digits 0 (continued: 32, 'g') and 1 ('B'); 1000 → 2000: 16+32 'w', 30+32 '+', 1 'B'.
    expect([0, 1, -1, 2, 15, 16, -16, 123, 1000, -1000].map(vlq)).toEqual([
      'A',
      'C',
      'D',
      'E',
      'e',
      'gB',
      'hB',
      '2H',
      'w+B',
      'x+B',
    ]);
    for (const x of [0, 1, -1, 31, -32, 1024, -99999]) expect(decodeSegment(vlq(x))).toEqual([x]);
  });

  it('sourceMap: segments in order of place, the first at each place, columns relative within a line', () => {
    const map = sourceMap('x.js', '../x.ts', [
      { line: 2, column: 4, srcLine: 5, srcColumn: 3 },
      { line: 0, column: 10, srcLine: 4, srcColumn: 11 },
      { line: 0, column: 2, srcLine: 4, srcColumn: 2 },
      { line: 0, column: 10, srcLine: 9, srcColumn: 0 },
    ]);
    // Line 0: (2, 0, 4, 2) → E A I E; (+8, 0, +0, +9) → Q A A S. Line 1: none. Line 2, the column
    // from 0 again: (4, 0, +1, −8) → I A C R. The second segment at line 0, column 10 is left out.
    expect(map).toEqual({ version: 3, file: 'x.js', sources: ['../x.ts'], names: [], mappings: 'EAIE,QAAS;;IACR' });
  });

  it('every segment of every optimizer module points at the source character its code was written from', () => {
    const dir = 'src/optimizers';
    let exact = 0;
    let all = 0;
    const wrong: string[] = [];
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
      const file = `${dir}/${f}`;
      const text = readFileSync(file, 'utf8');
      const trees = kernelsInFile(file, text);
      if (!trees.length) continue;
      const m = generateModule(file, trees, `${dir}/generated`);
      const map = JSON.parse(m.map) as { version: number; file: string; sources: string[]; mappings: string };
      expect([map.version, map.file, map.sources]).toEqual([3, f.replace(/\.ts$/, '.js'), [`../${f}`]]);
      const gen = m.js.split('\n');
      const src = text.split('\n');
      // The lines of the kernel functions (the checker's spans are 1-based).
      const spans = trees.map((t) => [t.nameAt!.line - 1, t.bodyAt!.endLine - 1] as const);
      for (const [genLine, genColumn, source, srcLine, srcColumn] of decodeMappings(map.mappings)) {
        all++;
        const g = gen[genLine]!.slice(genColumn);
        const s = src[srcLine]!.slice(srcColumn);
        const where = `${file}: generated ${genLine + 1}:${genColumn} ${JSON.stringify(g.slice(0, 20))} ← ${srcLine + 1}:${srcColumn} ${JSON.stringify(s.slice(0, 20))}`;
        if (source !== 0 || !spans.some(([a, b]) => srcLine >= a && srcLine <= b)) wrong.push(`outside: ${where}`);
        else if (g[0] === s[0]) exact++;
        // Else the code was made from the construct there: a select or test folded by its switch
        // ($on ? a : b), an expression whose parentheses are not written, a branch of an if (a
        // labelled block), the update of p (written to q$, stored once).
        else if (!(
          s.startsWith('$') ||
          s.startsWith('(') ||
          (s.startsWith('if (') && /^(not)?\$\w+: \{/.test(g)) ||
          (s.startsWith('p[') && g.startsWith('q$'))
        ))
          wrong.push(where);
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    // Measured when written: 61232 of 75952 segments in the eight optimizer files (81 %) exact.
    expect(all).toBeGreaterThan(10_000);
    expect(exact / all).toBeGreaterThan(0.75);
  });
});

/**
 * The generator run here, on every optimizer file, and its module evaluated: each copy computes what
 * the kernel as written computes (test/kernel-harness.ts). test/kernel.test.ts checks the same of the
 * copies the build wrote; this checks the generator that writes them as the test finds it (under
 * mutation testing, with its mutant: the build's copies come from the global set-up, which runs the
 * generator as written).
 */
describe('the generator, run in the test', () => {
  const dir = 'src/optimizers';
  /** The optimizer files that have kernels (a list, not found when the file loads: see the next test). */
  const files = [
    'adadelta.ts',
    'adagrad.ts',
    'adam-family.ts',
    'adamax.ts',
    'momentum.ts',
    'nesterov.ts',
    'rmsprop.ts',
    'sgd.ts',
  ].map((f) => `${dir}/${f}`);

  it('these are the files of src/optimizers with kernels', () => {
    const found = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => `${dir}/${f}`)
      .filter((f) => kernelsInFile(f, readFileSync(f, 'utf8')).length > 0);
    expect(found).toEqual(files);
  });

  for (const file of files) {
    it(`${file}: the module it generates computes, copy by copy, what the kernels as written compute`, async () => {
      const trees = kernelsInFile(file, readFileSync(file, 'utf8'));
      const { js } = generateModule(file, trees, `${dir}/generated`);
      // The module's exports, evaluated as a function body (the module imports nothing).
      const names = [...js.matchAll(/^export const (\w+) = /gm)].map((m) => m[1]!);
      expect(names).toEqual(trees.map((t) => t.name));
      const compiled = new Function(
        `${js.replace(/^export const /gm, 'const ')}\nreturn { ${names.join(', ')} };`,
      )() as Record<string, Compiled>;
      const module = (await import(`../${file.replace(/\.ts$/, '.js')}`)) as Record<string, (...a: unknown[]) => void>;
      for (const tree of trees) copiesComputeAsWritten(compiled[tree.name]!, module[tree.name]!, tree);
    });
  }
});

/**
 * What runs reads as the kernel is written (src/optimizers/kernel/emit-js.ts, docs/kernels.md): the
 * operations in their order, each parenthesis the order needs and no other (a parenthesis of the
 * source that the order does not need is left out), the branch of a switch the setting takes.
 */
describe('the generated text', () => {
  const text = `${HEAD}export function xKernel(
  i: number,
  { p, g, m }: Elements<'m'>,
  { a, b, c }: { a: number; b: number; c: number },
  { $s }: { $s: boolean },
): void {
  const d = a - (b - c) * -g[i]! / (a + -(-b));
  const e = (a < b && b <= c) || !(c > 0) ? -0 : Math.max(d, -1.5);
  m[i] = $s ? d : e;
  p[i]! -= a * (d - e) + (b === c ? 1 : 2);
}
`;
  /** The generated module's text (made in each test: the generator runs inside the tests). */
  const generated = (): string =>
    generateModule('src/optimizers/x.ts', kernelsInFile('src/optimizers/x.ts', text), 'gen').js;
  /** The text of one generated function. */
  const fn = (js: string, name: string): string => {
    const at = js.indexOf(`function ${name}(`);
    return at < 0 ? '' : js.slice(at, js.indexOf('\n}\n', at) + 3);
  };
  // Worked out from the format (emit-js.ts): the arrays and scalars read once, then four lanes and
  // the remainder, each the preamble (θ, g̃) and the kernel's statements with g[i] read as g$.
  const lane = (indent: string, store: string): string =>
    [
      'const p$ = p[i];',
      'const g$ = g[i];',
      'const d = a - (b - c) * -g$ / (a + -(-b));',
      'const e = a < b && b <= c || !(c > 0) ? -0 : Math.max(d, -1.5);',
      `m[i] = ${store};`,
      'p[i] = p$ - (a * (d - e) + (b === c ? 1 : 2));',
    ]
      .map((l) => indent + l)
      .join('\n');
  const expected = (name: string, store: string): string =>
    [
      `function ${name}(p, g, b$, s$) {`,
      '  const m = b$.m;',
      '  const a = s$.a, b = s$.b, c = s$.c;',
      '  let i$u = 0;',
      '  for (; i$u <= p.length - 4; i$u += 4) {',
      ...[0, 1, 2, 3].flatMap((k) => [
        '    {',
        `      const i = i$u${k ? ` + ${k}` : ''};`,
        lane('      ', store),
        '    }',
      ]),
      '  }',
      '  for (let i = i$u; i < p.length; i++) {',
      lane('    ', store),
      '  }',
      '}',
      '',
    ].join('\n');

  it('every switch off: the operations as written, in order, with the parentheses they need', () => {
    expect(fn(generated(), 'xKernel_float64')).toBe(expected('xKernel_float64', 'e'));
  });
  it('$s on: the branch it selects; float32 the same text under its own name', () => {
    // Bits: $neg, $decay, $keep, then the kernel's switches: $s is bit 3.
    const js = generated();
    expect(fn(js, 'xKernel_float64_s')).toBe(expected('xKernel_float64_s', 'd'));
    expect(fn(js, 'xKernel_float32')).toBe(expected('xKernel_float32', 'e'));
    expect(js).toMatch(
      /export const xKernel = Object\.freeze\(\{\n  name: 'xKernel',\n  file: 'src\/optimizers\/x\.ts',\n  arrays: Object\.freeze\(\['p', 'g', 'm'\]\),\n  scalars: Object\.freeze\(\['a', 'b', 'c'\]\),\n  switches: Object\.freeze\(\['\$neg', '\$decay', '\$keep', '\$s'\]\),\n/,
    );
  });
});

/**
 * The parts of the format no optimlab kernel uses (switch tests combined with !, && and ||, selects
 * on values, every Math function, a limit, signed literals), in a kernel compiled at run time as an
 * outside optimizer's is: every copy computes what the kernel as written computes.
 */
describe('the whole format, generated and run', () => {
  function wholeKernel(
    i: number,
    { p, g, m }: Elements<'m'>,
    { a, b }: { a: number; b: number },
    { $s, $t }: { $s: boolean; $t: boolean },
    { max }: Limits,
  ): void {
    const x = -a * g[i]! + -(-b) - -0.5;
    const y = !$s && $t ? Math.sqrt(Math.abs(x)) : $s || !$t ? Math.sign(x) * b : -0;
    const z = x < y && (y <= b || !(a > x)) ? Math.max(x, -1.5) : Math.min(y, max / 4);
    if ($s && !$t) {
      m[i] = Math.min(m[i]! + z, max);
    } else if (!$s || $t) {
      m[i] = m[i]! * a - y;
    }
    if (!($s || $t)) {
      p[i]! -= z / (Math.abs(m[i]!) + 1);
    } else {
      p[i]! += x === y ? a : (z !== 0 ? b : a) - 0;
    }
  }

  it('every setting of $s and $t and of the shared options, both dtypes', () => {
    const c = compileAtRunTime(wholeKernel, 'whole');
    expect(c.switches).toEqual(['$neg', '$decay', '$keep', '$s', '$t']);
    copiesComputeAsWritten(
      c as unknown as Compiled,
      wholeKernel as (...a: unknown[]) => void,
      checkKernel(wholeKernel, 'whole'),
    );
  });
});
