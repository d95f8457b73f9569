/**
 * specialise (src/optimizers/kernel/tree.ts) as docs/kernels.md ("For another backend") defines a
 * Step: no switches and no `if` left (a branch the setting took is a block, labelled by its switch
 * test), the kernel's reads of p[i] and g[i] reading the preamble's p$ and g$ (g$ only where g[i] is
 * read), the dtype's constants bound, the arrays and scalars the Step reads; and the places it keeps,
 * which the emitted source map carries back to the kernel. The generator runs inside each test.
 */
import { describe, expect, it } from 'vitest';
import { kernelsInFile } from '../src/optimizers/kernel/check.js';
import { emitFunction } from '../src/optimizers/kernel/emit-js.js';
import { sourceMap } from '../src/optimizers/kernel/sourcemap.js';
import { specialise, type KernelTree, type Step, type Stmt } from '../src/optimizers/kernel/tree.js';
import { decodeMappings } from './kernel-gen-helpers.js';

const FILE = 'src/optimizers/x.ts';
const HEAD = "import type { Elements, Limits } from './kernel.js';";

/** The tree of `export function xKernel(<params>) { <body> }` in FILE after HEAD (params: a list, or its text). */
function tree(params: string | readonly string[], body: readonly string[], hooks?: readonly string[]): KernelTree {
  const list = typeof params === 'string' ? params : params.join(', ');
  const text = [HEAD, `export function xKernel(${list}): void {`, ...body, '}', ''].join('\n');
  return kernelsInFile(FILE, text, hooks ? { hooks } : {})[0]!;
}

/** The emitted lane of the remainder loop (the element step as written), without its indentation. */
function lane(step: Step): string[] {
  const code = emitFunction(step, 'i').code;
  const head = '  for (let i = i$u; i < p.length; i++) {\n';
  const at = code.indexOf(head);
  return code
    .slice(at + head.length, code.lastIndexOf('\n  }\n}'))
    .split('\n')
    .map((l) => l.slice(4));
}

/** The lines of the emitted function before its first loop (the arrays and scalars read once). */
function reads(step: Step): string[] {
  const code = emitFunction(step, 'i').code;
  return code.slice(0, code.indexOf('\n  let i$u = 0;')).split('\n').slice(1);
}

/** A Step's statements in short: `const x`, `store m`, `update`, `<label>: …` for a block. */
function shape(list: readonly Stmt[]): string[] {
  return list.flatMap((s) =>
    s.kind === 'const'
      ? [`const ${s.name}`]
      : s.kind === 'store'
        ? [`store ${s.array}`]
        : s.kind === 'block'
          ? [`${s.label}: ${shape(s.body).join(', ')}`]
          : [s.kind],
  );
}

// Bits: $neg, $decay, $keep, then the kernel's switches ($s = bit 3, $t = bit 4).
const S = 8;
const T = 16;

describe('specialise: what a Step reads', () => {
  it("the kernel's p[i] and g[i] read p$ and g$, also inside a comparison; a limit is the dtype's number", () => {
    const t = tree('i: number, { p, g }: Elements, { a }: { a: number }, { $s }: { $s: boolean }, { max }: Limits', [
      '  const t = p[i]!;',
      '  const u = g[i]! > 0 ? max : -max;',
      '  p[i]! -= t * u * a;',
    ]);
    const st = specialise(t, 0, 'float32');
    // float32's max: (2 − 2^−23)·2^127 = 3.4028234663852886e38.
    expect(lane(st)).toEqual([
      'const p$ = p[i];',
      'const g$ = g[i];',
      'const t = p$;',
      'const u = g$ > 0 ? 3.4028234663852886e+38 : -3.4028234663852886e+38;',
      'p[i] = p$ - t * u * a;',
    ]);
    expect([st.arrays, st.scalars]).toEqual([['p', 'g'], ['a']]);
  });

  it('no g$ where g[i] is not read; the arrays and scalars of the branch taken, a buffer only read included', () => {
    const t = tree(
      "i: number, { p, g, m, v }: Elements<'m' | 'v'>, { a, b }: { a: number; b: number }, { $s }: { $s: boolean }",
      ['  const x = v[i]! * a;', '  if ($s) {', '    m[i] = x;', '  }', '  p[i]! -= x;'],
    );
    const off = specialise(t, 0, 'float64');
    expect(shape(off.body)).toEqual(['const p$', 'const x', 'update']);
    expect([off.arrays, off.scalars]).toEqual([['p', 'v'], ['a']]);
    expect(reads(off)).toEqual(['  const v = b$.v;', '  const a = s$.a;']);
    expect(lane(off)).toEqual(['const p$ = p[i];', 'const x = v[i] * a;', 'p[i] = p$ - x;']);
    const on = specialise(t, S, 'float64');
    expect([on.arrays, on.scalars]).toEqual([['p', 'm', 'v'], ['a']]);
    expect(reads(on)).toEqual(['  const m = b$.m, v = b$.v;', '  const a = s$.a;']);
    expect(lane(on)).toEqual([
      'const p$ = p[i];',
      'const x = v[i] * a;',
      '$s: {',
      '  m[i] = x;',
      '}',
      'p[i] = p$ - x;',
    ]);
  });

  it('the scalars read only in the tests of selects, under && and comparisons', () => {
    const t = tree(
      [
        'i: number',
        '{ p, g }: Elements',
        '{ a, b, c, d }: { a: number; b: number; c: number; d: number }',
        '{ $s }: { $s: boolean }',
      ],
      ['  const y = a < b && $s ? a : b;', '  const w = c < 1 && d < 1 ? 1 : 2;', '  p[i]! -= y * w;'],
    );
    expect(specialise(t, 0, 'float64').scalars).toEqual(['a', 'b', 'c', 'd']);
    expect(reads(specialise(t, 0, 'float64'))).toEqual(['  const a = s$.a, b = s$.b, c = s$.c, d = s$.d;']);
  });
});

describe('specialise: switches folded', () => {
  it('an if on $s, !$s, $s && $t, !($s || $t): the branch taken, a block named $s, not$s, then$ or else$', () => {
    const branch = (test: string, array: string): string[] => [
      `  if (${test}) {`,
      `    ${array}[i] = a;`,
      '  } else {',
      `    ${array}[i] = b;`,
      '  }',
    ];
    const t = tree(
      [
        'i: number',
        "{ p, g, m, v, w, z }: Elements<'m' | 'v' | 'w' | 'z'>",
        '{ a, b }: { a: number; b: number }',
        '{ $s, $t }: { $s: boolean; $t: boolean }',
      ],
      [
        ...branch('$s', 'm'),
        ...branch('!$s', 'v'),
        ...branch('$s && $t', 'w'),
        ...branch('!($s || $t)', 'z'),
        '  p[i]! -= a;',
      ],
    );
    const blocks = (bits: number): string[] => shape(specialise(t, bits, 'float64').body).slice(1, -1);
    // `if ($s)`: $s for its first branch, not$s for the other; `if (!$s)`: not$s for the first, $s
    // for the other; any other test: then$ and else$.
    expect(blocks(0)).toEqual(['not$s: store m', 'not$s: store v', 'else$: store w', 'then$: store z']);
    expect(blocks(S)).toEqual(['$s: store m', '$s: store v', 'else$: store w', 'else$: store z']);
    expect(blocks(T)).toEqual(['not$s: store m', 'not$s: store v', 'else$: store w', 'else$: store z']);
    expect(blocks(S | T)).toEqual(['$s: store m', '$s: store v', 'then$: store w', 'else$: store z']);
    expect(lane(specialise(t, S, 'float64')).slice(1, 4)).toEqual(['$s: {', '  m[i] = a;', '}']);
  });

  it('a test on values and a switch: a && true is a, a || false is a; a && false and a || true stay', () => {
    const t = tree('i: number, { p, g }: Elements, { a, b }: { a: number; b: number }, { $s }: { $s: boolean }', [
      '  const y = a < b && $s ? a : b;',
      '  const z = a < b || $s ? a : b;',
      '  p[i]! -= y * z;',
    ]);
    expect(lane(specialise(t, 0, 'float64'))).toEqual([
      'const p$ = p[i];',
      'const y = a < b && false ? a : b;',
      'const z = a < b ? a : b;',
      'p[i] = p$ - y * z;',
    ]);
    expect(lane(specialise(t, S, 'float64'))).toEqual([
      'const p$ = p[i];',
      'const y = a < b ? a : b;',
      'const z = a < b || true ? a : b;',
      'p[i] = p$ - y * z;',
    ]);
  });
});

/**
 * Instrumented trees (mutation testing: CheckOptions.hooks; build.ts) carry any JavaScript the
 * checker accepts there: hook calls, tests that are not switches, `a, b`. What does not fold stays as
 * written, the switches in it by their values.
 */
describe('specialise: an instrumented tree', () => {
  it('an if on a hook stays an if; a hook statement stays; a comparison of switches and −$s stay as values', () => {
    const t = tree(
      [
        'i: number',
        "{ p, g, m }: Elements<'m'>",
        '{ a, b, c }: { a: number; b: number; c: number }',
        '{ $s, $t }: { $s: boolean; $t: boolean }',
      ],
      [
        "  if (h('1')) {",
        '    m[i] = a;',
        '  } else {',
        '    m[i] = b;',
        '  }',
        "  h('2');",
        '  const y = $s === $t ? a : b;',
        '  const z = -$s;',
        "  p[i]! -= (h('3'), c * g[i]!) + y * z;",
      ],
      ['h'],
    );
    const st = specialise(t, S, 'float64');
    // g[i] and c are read inside the sequence only.
    expect([st.arrays, st.scalars]).toEqual([
      ['p', 'g', 'm'],
      ['a', 'b', 'c'],
    ]);
    // Not one update folded into p[i] = θ − x: θ' accumulates in q$ (emit-js.ts).
    expect(lane(st)).toEqual([
      'const p$ = p[i];',
      'const g$ = g[i];',
      'let q$ = p$;',
      'if (h("1")) {',
      '  m[i] = a;',
      '} else {',
      '  m[i] = b;',
      '}',
      'h("2");',
      'const y = true === false ? a : b;',
      'const z = -true;',
      'q$ -= (h("3"), c * g$) + y * z;',
      'p[i] = q$;',
    ]);
  });

  it('a hook call is not a read: a hook named like a scalar, or like the preamble g$, reads neither', () => {
    const t = tree(
      'i: number, { p, g }: Elements, { a }: { a: number }',
      ["  a('1');", "  g$('2');", '  p[i]! -= 1;'],
      ['a', 'g$'],
    );
    const st = specialise(t, 0, 'float64');
    expect([st.arrays, st.scalars]).toEqual([['p'], []]);
    expect(lane(st)).toEqual(['const p$ = p[i];', 'let q$ = p$;', 'a("1");', 'g$("2");', 'q$ -= 1;', 'p[i] = q$;']);
  });
});

describe('specialise: every statement kind, and its errors', () => {
  const hand = (body: Stmt[]): KernelTree => ({
    name: 'handKernel',
    file: 'hand.ts',
    index: 'i',
    arrays: ['p', 'g'],
    scalars: ['a'],
    switches: ['$s'],
    limits: [],
    body,
    hooks: [],
  });
  it('a block (a branch already taken, as in a Step) is kept, its statements specialised', () => {
    const step = specialise(
      hand([
        {
          kind: 'block',
          label: 'mine',
          body: [
            {
              kind: 'update',
              op: '-',
              value: {
                kind: 'select',
                test: { kind: 'switch', name: '$s' },
                then: { kind: 'scalar', name: 'a' },
                else: { kind: 'number', value: 2 },
              },
            },
          ],
        },
      ]),
      S,
      'float64',
    );
    expect(step.body).toEqual([
      { kind: 'const', name: 'p$', value: { kind: 'load', array: 'p' } },
      { kind: 'block', label: 'mine', body: [{ kind: 'update', op: '-', value: { kind: 'scalar', name: 'a' } }] },
    ]);
  });
  it('a switch the tree does not declare: an error naming the kernel and the switch', () => {
    expect(() =>
      specialise(
        hand([
          {
            kind: 'update',
            op: '-',
            value: {
              kind: 'select',
              test: { kind: 'switch', name: '$x' },
              then: { kind: 'number', value: 1 },
              else: { kind: 'number', value: 2 },
            },
          },
        ]),
        0,
        'float64',
      ),
    ).toThrow(new Error('specialise handKernel: unknown switch $x'));
  });
});

/**
 * The places a Step keeps, seen in the source map of its emitted function (Source Map Revision 3,
 * decoded here by the format's definition): each segment as the generated text from its column ←
 * the kernel's line (1-based) and column (0-based).
 */
describe('specialise: the places kept, through the source map', () => {
  function mapped(step: Step): string[] {
    const fn = emitFunction(step, 'i');
    const gen = fn.code.split('\n');
    const out: string[] = [];
    for (const [genLine, genColumn, , srcLine, srcColumn] of decodeMappings(
      sourceMap('x.js', 'x.ts', fn.segments).mappings,
    ))
      out.push(`${gen[genLine]!.slice(genColumn)} ← ${srcLine + 1}:${srcColumn}`);
    return out;
  }

  it('name and body, each statement, p[i], g[i], a limit, the select a switch chose, the if a block came from', () => {
    const t = tree(
      // One parameter a line, as prettier writes them: `(\n  i: number,\n  …\n  { max }: Limits,\n)`.
      ['i: number', "{ p, g, m }: Elements<'m'>", '{ a }: { a: number }', '{ $s }: { $s: boolean }', '{ max }: Limits']
        .map((x) => `\n  ${x},`)
        .join('')
        .concat('\n'),
      [
        '  const t = p[i]!;',
        '  const u = g[i]!;',
        '  const w = max;',
        '  const y = $s ? a : t;',
        '  if (!$s) {',
        '    m[i] = u;',
        '  }',
        '  p[i]! -= w * y + t;',
      ],
    );
    // The file: 1 HEAD; 2 `export function xKernel(` (the name at column 16); 3–7 the parameters;
    // 8 `): void {` (the body's brace at column 8); 9–16 the statements, each at column 2 (m[i] at
    // 4), values at column 12; 17 `}`.
    const element = [
      'const t = p$; ← 9:2',
      'p$; ← 9:12',
      'const u = g$; ← 10:2',
      'g$; ← 10:12',
      'const w = 1.7976931348623157e+308; ← 11:2',
      '1.7976931348623157e+308; ← 11:12',
      // The select `$s ? a : t` (column 12), not its branch t (column 21).
      'const y = t; ← 12:2',
      't; ← 12:12',
      // The block from `if (!$s) {` (line 13, column 2) to its `}` (line 15, column 2); the store
      // from its start to its `;` (line 14, column 12).
      'not$s: { ← 13:2',
      'm[i] = u; ← 14:4',
      '; ← 14:12',
      '} ← 15:2',
      // The update, start and `;` (`p[i]! -= w * y + t;` from column 2: the `;` at 20).
      'p[i] = p$ - (w * y + t); ← 16:2',
      '; ← 16:20',
    ];
    expect(mapped(specialise(t, 0, 'float64'))).toEqual([
      'xKernel_float64(p, g, b$, s$) { ← 2:16',
      '{ ← 8:8',
      ...element,
      ...element,
      ...element,
      ...element,
      ...element,
      '} ← 17:0',
    ]);
  });
});
