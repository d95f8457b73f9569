/**
 * The JavaScript emitter (src/optimizers/kernel/emit-js.ts) and the source maps
 * (src/optimizers/kernel/sourcemap.ts), each worked out by hand from the format (docs/kernels.md, the
 * emitter's header): the whole source map of a small kernel, position by position; the text of
 * folded switch branches (their labels, the one update folded into `p[i] = θ − x`); the literals a
 * Step may hold, signs included; instrumented kernels (mutation testing: hook calls, `if` on a hook,
 * expression statements, θ' assignments kept in the local q$). The generator runs inside each test.
 */
import { describe, expect, it } from 'vitest';
import { kernelsInFile } from '../src/optimizers/kernel/check.js';
import { emitFunction, variantName } from '../src/optimizers/kernel/emit-js.js';
import { compileAtRunTime, variantOf } from '../src/optimizers/kernel.js';
import { sourceMap } from '../src/optimizers/kernel/sourcemap.js';
import { specialise, type Expr, type KernelTree, type Step } from '../src/optimizers/kernel/tree.js';
import { decodeMappings } from './kernel-gen-helpers.js';

const HEAD = "import type { Elements } from './kernel.js';\n";
const FILE = 'src/optimizers/x.ts';

/** The one kernel of `text` (after HEAD). */
function tree(text: string, hooks: readonly string[] = []): KernelTree {
  return kernelsInFile(FILE, HEAD + text, { hooks })[0]!;
}

/** The emitted function of one setting (float64). */
function emitted(t: KernelTree, bits: number): { name: string; code: string; segments: readonly unknown[] } {
  return emitFunction(specialise(t, bits, 'float64'), t.index);
}

/**
 * The frame of every emitted function (emit-js.ts header): the arrays and scalars read once, four
 * lanes, then the remainder loop; `lane(pad)` gives one lane's lines at that indent.
 */
function frame(name: string, head: readonly string[], lane: (pad: string) => string[]): string {
  return [
    `function ${name}(p, g, b$, s$) {`,
    ...head.map((l) => `  ${l}`),
    '  let i$u = 0;',
    '  for (; i$u <= p.length - 4; i$u += 4) {',
    ...[0, 1, 2, 3].flatMap((k) => ['    {', `      const i = i$u${k ? ` + ${k}` : ''};`, ...lane('      '), '    }']),
    '  }',
    '  for (let i = i$u; i < p.length; i++) {',
    ...lane('    '),
    '  }',
    '}',
  ].join('\n');
}

/** Text with «name» markers: the text without them, and each marker's 0-based line and column, in order. */
function marked(text: string): {
  text: string;
  marks: [string, number, number][];
} {
  const marks: [string, number, number][] = [];
  const lines = text.split('\n').map((line, n) => {
    let out = '';
    let rest = line;
    for (let m = /«([^»]*)»/.exec(rest); m; m = /«([^»]*)»/.exec(rest)) {
      out += rest.slice(0, m.index);
      marks.push([m[1]!, n, out.length]);
      rest = rest.slice(m.index + m[0].length);
    }
    return out + rest;
  });
  return { text: lines.join('\n'), marks };
}

/**
 * A map's `mappings` decoded by the format's definition (apart from sourcemap.ts):
 * [line, column, source line, source column].
 */
function decode(mappings: string): [number, number, number, number][] {
  return decodeMappings(mappings).map(([genLine, genColumn, source, srcLine, srcColumn]) => {
    expect(source, 'one source').toBe(0);
    return [genLine, genColumn, srcLine, srcColumn];
  });
}

describe('the source map of a kernel, position by position', () => {
  // «x» marks a place the map must lead to; «x;» and «x}» the last character of a statement.
  const source = marked(`export function «name»xKernel(
  i: number,
  { p, g, m }: Elements<'m'>,
  { a }: { a: number },
  { $s }: { $s: boolean },
): void «body»{
  «c»const d = «sel»$s ? a : «mul»a * «math»Math.abs(«load»m[i]!);
  «st»m[i] = d«st;»;
  «if»if ($s) {
    «u1»p[i]! -= a«u1;»;
  } else {
    «u0»p[i]! -= g[i]!«u0;»;
  «if}»}
«body}»}
`);
  const at = (name: string): [number, number] => {
    const m = source.marks.find(([n]) => n === name)!;
    // The kernel's lines in the file come after HEAD's one line.
    return [m[1] + 1, m[2]];
  };
  /**
   * Where the map leads, as the emitter's header says: the function's name and body, each
   * statement's start (a folded `if`'s branch: the `if`), a const's value (a select folded by its
   * switch: the select), each load of a buffer and each Math call, and the last character of each
   * store, update, branch and body. Not the preamble (θ, g̃), nor names, locals and operators.
   */
  function expected(name: string, lane: string[]): { text: string; map: [number, number, number, number][] } {
    const g = marked(
      frame(name, ['const m = b$.m;', 'const a = s$.a;'], (pad) => lane.map((l) => pad + l))
        .replace(`function ${name}(p, g, b$, s$) {`, `function «name»${name}(p, g, b$, s$) «body»{`)
        .replace(/\n}$/, '\n«body}»}'),
    );
    return {
      text: g.text,
      map: g.marks.map(([n, line, column]) => [line, column, ...at(n)]),
    };
  }

  it('every switch off: each segment, and no other', () => {
    const t = tree(source.text);
    const fn = emitted(t, 0);
    const want = expected('xKernel_float64', [
      'const p$ = p[i];',
      'const g$ = g[i];',
      '«c»const d = «sel»a * «math»Math.abs(«load»m[i]);',
      '«st»m[i] = d«st;»;',
      '«if»not$s: {',
      '  «u0»p[i] = p$ - g$«u0;»;',
      '«if}»}',
    ]);
    expect(fn.code).toBe(want.text);
    const map = sourceMap('x.js', '../x.ts', fn.segments as never);
    expect(decode(map.mappings)).toEqual(want.map);
  });

  it('$s on: the select folded to a, the other branch', () => {
    const t = tree(source.text);
    const fn = emitted(t, 8);
    const want = expected('xKernel_float64_s', [
      'const p$ = p[i];',
      '«c»const d = «sel»a;',
      '«st»m[i] = d«st;»;',
      '«if»$s: {',
      '  «u1»p[i] = p$ - a«u1;»;',
      '«if}»}',
    ]);
    expect(fn.code).toBe(want.text);
    expect(decode(sourceMap('x.js', '../x.ts', fn.segments as never).mappings)).toEqual(want.map);
  });

  it('sourceMap keeps segments at the same column of consecutive lines', () => {
    const map = sourceMap('x.js', '../x.ts', [
      { line: 0, column: 4, srcLine: 1, srcColumn: 2 },
      { line: 1, column: 4, srcLine: 2, srcColumn: 2 },
      { line: 1, column: 4, srcLine: 7, srcColumn: 0 },
    ]);
    expect(decode(map.mappings)).toEqual([
      [0, 4, 1, 2],
      [1, 4, 2, 2],
    ]);
  });
});

describe('folded switch branches: labelled blocks, the one update folded', () => {
  const text = `export function xKernel(
  i: number,
  { p, g, m }: Elements<'m'>,
  { a, b }: { a: number; b: number },
  { $s, $t }: { $s: boolean; $t: boolean },
): void {
  if ($s && $t) {
    m[i] = !!(a < b) ? a : b;
    if ($s || $t) {
      m[i] = b;
      if ($t && $s) {
        p[i]! -= a;
      }
    }
  }
}
`;
  it('$s and $t on: three nested branches, each label new inside the others; the update is p[i] = θ − a', () => {
    // Bits: $neg 1, $decay 2, $keep 4, $s 8, $t 16. A test that is not one switch labels its branch then$.
    const fn = emitted(tree(text), 24);
    expect(fn.code).toBe(
      frame('xKernel_float64_s_t', ['const m = b$.m;', 'const a = s$.a, b = s$.b;'], (pad) =>
        [
          'const p$ = p[i];',
          'then$: {',
          '  m[i] = !!(a < b) ? a : b;',
          '  then$$2: {',
          '    m[i] = b;',
          '    then$$3: {',
          '      p[i] = p$ - a;',
          '    }',
          '  }',
          '}',
        ].map((l) => pad + l),
      ),
    );
  });
  it("$s alone: no branch taken, no statement of the kernel; no scalar read; θ' is θ", () => {
    const fn = emitted(tree(text), 8);
    expect(fn.code).toBe(
      frame('xKernel_float64_s', [], (pad) => ['const p$ = p[i];', 'let q$ = p$;', 'p[i] = q$;'].map((l) => pad + l)),
    );
    // And it runs: θ unchanged.
    const f = new Function(`"use strict"; return ${fn.code};`)() as (...a: unknown[]) => void;
    const p = new Float64Array([1.5, -2, 3, 4, 5]);
    f(p, new Float64Array(5), {}, {});
    expect(Array.from(p)).toEqual([1.5, -2, 3, 4, 5]);
  });
});

describe('the literals a Step may hold', () => {
  const lit = (value: number): Expr => ({ kind: 'number', value });
  const neg = (arg: Expr): Expr => ({ kind: 'unary', op: '-', arg });
  /** A Step written by hand (docs/kernels.md, "For another backend"), without places: no source map. */
  const step = (body: Step['body'], arrays: string[]): Step => ({
    kernel: 'litKernel',
    file: 'optimizer:lit',
    dtype: 'float64',
    bits: 0,
    setting: { $neg: false, $decay: false, $keep: false },
    arrays,
    scalars: [],
    base: { kind: 'local', name: 'p$' },
    body: [{ kind: 'const', name: 'p$', value: { kind: 'load', array: 'p' } }, ...body],
    hooks: [],
  });

  it('negative literals and −0: read back as the same numbers, parenthesised under a minus', () => {
    const s = step(
      [
        {
          kind: 'store',
          array: 'm',
          value: {
            kind: 'binary',
            op: '*',
            left: neg(lit(-2)),
            right: lit(-0),
          },
        },
        {
          kind: 'store',
          array: 'n',
          value: { kind: 'binary', op: '/', left: lit(1), right: neg(lit(-0)) },
        },
        { kind: 'update', op: '-', value: lit(-2) },
      ],
      ['p', 'm', 'n'],
    );
    const fn = emitFunction(s, 'i');
    expect(fn.code).toBe(
      frame('litKernel_float64', ['const m = b$.m, n = b$.n;'], (pad) =>
        ['const p$ = p[i];', 'm[i] = -(-2) * -0;', 'n[i] = 1 / -(-0);', 'p[i] = p$ - -2;'].map((l) => pad + l),
      ),
    );
    expect(fn.segments).toEqual([]);
    // m = −(−2)·(−0) = −0, n = 1/−(−0) = +∞, θ' = θ − (−2).
    const f = new Function(`"use strict"; return ${fn.code};`)() as (...a: unknown[]) => void;
    const p = new Float64Array([1, 2, 3, 4, 5]);
    const m = new Float64Array(5);
    const n = new Float64Array(5);
    f(p, new Float64Array(5), { m, n }, {});
    expect(Array.from(p)).toEqual([3, 4, 5, 6, 7]);
    expect(Array.from(m, (x) => Object.is(x, -0))).toEqual([true, true, true, true, true]);
    expect(Array.from(n)).toEqual([Infinity, Infinity, Infinity, Infinity, Infinity]);
  });

  it('a literal that is not finite is refused (the format: finite number literals)', () => {
    // The checker refuses one in a kernel's text (test/kernel-gen-check.test.ts); a Step made by hand
    // still meets this guard.
    for (const value of [Infinity, -Infinity, NaN])
      expect(() =>
        emitFunction(step([{ kind: 'update', op: '-', value: { kind: 'number', value } }], ['p']), 'i'),
      ).toThrow(new RangeError(`kernel literal ${value}: literals are finite`));
  });

  it('a switch left in a Step (specialise folds them) is an error', () => {
    for (const [value, what] of [[{ kind: 'switch', name: '$s' }, 'switch $s']] as [Expr, string][])
      expect(() => emitFunction(step([{ kind: 'update', op: '-', value }], ['p']), 'i')).toThrow(
        new Error(`emit: ${what} left in a Step`),
      );
  });
});

/**
 * Instrumented kernels (mutation testing: build.ts compiles them with the file's hooks, here h, the
 * mutant switch, and c, the coverage counter). Their trees keep `if` on a hook, expression statements
 * and θ' assignments (p[i] -= x inside an expression): θ' then lives in the local q$, declared after
 * the preamble, and p[i] is stored from it at the end.
 */
describe('instrumented kernels', () => {
  const HOOKS = ['h', 'c'];
  /** The emitted copy, compiled with h switching on mutant `on` and c a no-op. */
  function run(fn: { code: string }, on: string): (...a: unknown[]) => void {
    const h = (id: string): boolean => id === on;
    const c = (): undefined => undefined;
    return new Function('h', 'c', `"use strict"; return ${fn.code};`)(h, c) as (...a: unknown[]) => void;
  }

  it("the text: if on a hook, expression statements, hook calls, θ' assignments, the parentheses they need", () => {
    const t = tree(
      `export function yKernel(i: number, { p, g, m }: Elements<'m'>, { a, b }: { a: number; b: number }): void {
  const d = (h("1") ? false : (c("1", "2"), a < b)) ? a : b;
  if (h("3")) {
    m[i] = a;
  } else {
    c("3");
    m[i] = 2 * (p[i] = d);
  }
  h("4") ? (p[i]! += d) : (c("4"), p[i]! -= d);
  p[i]! -= b;
}
`,
      HOOKS,
    );
    const fn = emitted(t, 0);
    expect(fn.code).toBe(
      frame('yKernel_float64', ['const m = b$.m;', 'const a = s$.a, b = s$.b;'], (pad) =>
        [
          'const p$ = p[i];',
          'let q$ = p$;',
          'const d = (h("1") ? false : (c("1", "2"), a < b)) ? a : b;',
          'if (h("3")) {',
          '  m[i] = a;',
          '} else {',
          '  c("3");',
          '  m[i] = 2 * (q$ = d);',
          '}',
          'h("4") ? q$ += d : (c("4"), q$ -= d);',
          'q$ -= b;',
          'p[i] = q$;',
        ].map((l) => pad + l),
      ),
    );
    // A call carries a segment to its place (emit-js.ts header), hooks too: c("1", "2") on the const's
    // line (line 10 of the function, the first lane's fourth statement; the kernel's line 3 in the file).
    const before = 'const d = (h("1") ? false : (';
    expect(fn.segments).toContainEqual({
      line: 9,
      column: 6 + before.length,
      srcLine: 2,
      srcColumn: 2 + before.length,
    });
    // Run: with no mutant on, d = min(a, b), θ' = d, m = 2d, then θ' − d − b; with 4 on, θ' + d − b.
    const p = new Float64Array([10, 20, 30, 40, 50]);
    const m = new Float64Array(5);
    run(fn, '')(p, new Float64Array(5), { m }, { a: 3, b: 5 });
    expect([Array.from(p), Array.from(m)]).toEqual([
      [-5, -5, -5, -5, -5],
      [6, 6, 6, 6, 6],
    ]);
    run(fn, '4')(p, new Float64Array(5), { m }, { a: 3, b: 5 });
    expect(Array.from(p)).toEqual([1, 1, 1, 1, 1]);
  });

  it("one update, last, after an if or an expression statement that assigns θ': θ' still accumulates in q$", () => {
    // Only an if (no expression statement at the top): θ' = a when mutant 1 is on, then θ' − b.
    const onlyIf = tree(
      `export function zKernel(i: number, { p }: Elements, { a, b }: { a: number; b: number }): void {
  if (h("1")) {
    p[i] = a;
  }
  p[i]! -= b;
}
`,
      HOOKS,
    );
    // Only expression statements: θ' = a with mutant 2 on, else b; then θ' − g.
    const onlyExpr = tree(
      `export function wKernel(i: number, { p, g }: Elements, { a, b }: { a: number; b: number }): void {
  c("1");
  h("2") ? (p[i] = a) : (c("2"), p[i] = b);
  p[i]! -= g[i]!;
}
`,
      HOOKS,
    );
    const scalars = { a: 3, b: 5 };
    const g = new Float64Array([1, 2, 3, 4, 5]);
    const stepped = (t: KernelTree, on: string): number[] => {
      const p = new Float64Array([10, 20, 30, 40, 50]);
      run(emitted(t, 0), on)(p, g, {}, scalars);
      return Array.from(p);
    };
    expect(stepped(onlyIf, '1')).toEqual([-2, -2, -2, -2, -2]);
    expect(stepped(onlyIf, '')).toEqual([5, 15, 25, 35, 45]);
    expect(stepped(onlyExpr, '2')).toEqual([2, 1, 0, -1, -2]);
    expect(stepped(onlyExpr, '')).toEqual([4, 3, 2, 1, 0]);
  });

  it('an update before another statement (instrumented trees): p[i] stored after the last statement', () => {
    // A Step's meaning: θ' accumulates, then p[i] = θ' after the body. Here the store to m throws (no
    // buffer m given) after the update: p[0] must still hold θ.
    const t = tree(
      `export function vKernel(i: number, { p, m }: Elements<'m'>, { a }: { a: number }): void {
  p[i]! -= a;
  m[i] = a;
}
`,
      HOOKS,
    );
    const p = new Float64Array([10, 20, 30, 40, 50]);
    expect(() => run(emitted(t, 0), '')(p, new Float64Array(5), {}, { a: 3 })).toThrow(TypeError);
    expect(Array.from(p)).toEqual([10, 20, 30, 40, 50]);
  });
});

describe('the name of a copy', () => {
  it('the kernel, the dtype and the switches on; a name that is no identifier made one', () => {
    const name = (kernel: string, setting: Record<string, boolean> = {}): string =>
      variantName({ kernel, dtype: 'float64', setting });
    expect(name('adamFamilyKernel', { $neg: true, $guard: false, $amsgrad: true })).toBe(
      'adamFamilyKernel_float64_neg_amsgrad',
    );
    expect(variantName({ kernel: 'sgdKernel', dtype: 'float32', setting: {} })).toBe('sgdKernel_float32');
    expect(name('(anonymous kernel)')).toBe('_anonymous_kernel__float64');
    expect(name('my-kernel')).toBe('my_kernel_float64');
    expect(name('1')).toBe('_1_float64');
    expect(name('adam2-β')).toBe('adam2_β_float64');
    expect(name('$ünï')).toBe('$ünï_float64');
  });

  it('kernels checked at run time whose function name is no identifier compile and step', () => {
    const kernels = [
      // An arrow function made apart from any name: fn.name is ''.
      new Function('return (i, { p, g }, { lr }) => { p[i] -= lr * g[i]; }')() as (...a: never[]) => void,
      {
        'my-kernel'(i: number, { p, g }: { p: number[]; g: number[] }, { lr }: { lr: number }) {
          p[i]! -= lr * g[i]!;
        },
      }['my-kernel'],
    ];
    for (const kernel of kernels) {
      const step = variantOf(compileAtRunTime(kernel as never, 'outside'), 'float64', 0);
      const p = new Float64Array([1, 2, 3, 4, 5]);
      step(p, new Float64Array([1, 1, 1, 1, -2]), {}, { lr: 0.5, keep: 1, weightDecay: 0 });
      expect([...p]).toEqual([0.5, 1.5, 2.5, 3.5, 6]);
    }
  });
});
