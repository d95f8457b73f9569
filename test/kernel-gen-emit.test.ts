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
import { emitFunction } from '../src/optimizers/kernel/emit-js.js';
import { sourceMap } from '../src/optimizers/kernel/sourcemap.js';
import { specialise, type Expr, type KernelTree, type Step } from '../src/optimizers/kernel/tree.js';

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
function marked(text: string): { text: string; marks: [string, number, number][] } {
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

/** A map's `mappings` decoded by the format's definition (apart from sourcemap.ts): [line, column, source line, source column]. */
function decode(mappings: string): [number, number, number, number][] {
  const digits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const out: [number, number, number, number][] = [];
  let srcLine = 0;
  let srcColumn = 0;
  mappings.split(';').forEach((line, genLine) => {
    let genColumn = 0;
    for (const seg of line ? line.split(',') : []) {
      const nums: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of seg) {
        const d = digits.indexOf(ch);
        value += (d & 31) * 2 ** shift;
        if (d & 32) shift += 5;
        else {
          nums.push(value % 2 ? -(value - 1) / 2 : value / 2);
          value = 0;
          shift = 0;
        }
      }
      expect(nums[1], 'one source').toBe(0);
      genColumn += nums[0]!;
      srcLine += nums[2]!;
      srcColumn += nums[3]!;
      out.push([genLine, genColumn, srcLine, srcColumn]);
    }
  });
  return out;
}

describe('the source map of a kernel, position by position', () => {
  // «x» marks a place the map must lead to; «x;» and «x}» the last character of a statement.
  const source =
    marked(`export function «name»xKernel(i: number, { p, g, m }: Elements<'m'>, { a }: { a: number }, { $s }: { $s: boolean }): void «body»{
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
    return { text: g.text, map: g.marks.map(([n, line, column]) => [line, column, ...at(n)]) };
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

  it('negative literals and −0: written so that they read back as the same numbers, parenthesised under a minus', () => {
    const s = step(
      [
        { kind: 'store', array: 'm', value: { kind: 'binary', op: '*', left: neg(lit(-2)), right: lit(-0) } },
        { kind: 'store', array: 'n', value: { kind: 'binary', op: '/', left: lit(1), right: neg(lit(-0)) } },
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
    const t = tree(`export function xKernel(i: number, { p, g }: Elements, { a }: { a: number }): void {
  p[i]! -= 1e999 * a;
}
`);
    expect(() => emitted(t, 0)).toThrow(new RangeError('kernel literal Infinity: literals are finite'));
  });

  it('a switch left in a Step (specialise folds them) is an error', () => {
    for (const [value, what] of [[{ kind: 'switch', name: '$s' }, 'switch $s']] as [Expr, string][])
      expect(() => emitFunction(step([{ kind: 'update', op: '-', value }], ['p']), 'i')).toThrow(
        new Error(`emit: ${what} left in a Step`),
      );
  });
});
