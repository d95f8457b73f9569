/**
 * The JavaScript backend: one function per Step (a kernel for one dtype and switch setting).
 *
 *   function adamFamilyKernel_float32_guard(p, g, b$, s$) {
 *     const m = b$.m, v = b$.v;                   // the arrays, from state.buffers
 *     const b1 = s$.b1, …;                          // the scalars, read by name once per call
 *     let i$u = 0;
 *     for (; i$u <= p.length - 4; i$u += 4) {       // four elements per iteration, in index order
 *       { const i = i$u; …the element's step… }
 *       { const i = i$u + 1; … } …
 *     }
 *     for (let i = i$u; i < p.length; i++) { … }    // the remaining n mod 4
 *   }
 *
 * Why unrolled, why one function per dtype and setting: see kernel.ts. The loop heads read
 * `p.length` rather than a local copy of it: with the copy, TurboFan kept one more value live
 * through the loop and the float64 SGD copy ran about 8 % slower than the run-time kernels it
 * replaced (docs/benchmarking.md, "Speed against the kernels made at run time"). Each lane is the Step's
 * statements as written (same operations, same order), so the copies compute exactly what the
 * kernel says, element by element. Every statement, load and call carries a source-map segment to
 * its place in the kernel's file, so stack traces, breakpoints and coverage land on the kernel.
 */
import { type Expr, type Span, type Step, type Stmt } from './tree.js';

/** Elements per iteration of the unrolled element loop. */
export const UNROLL = 4;

/** A source-map segment: generated (0-based line, column) → source (0-based line, column). */
export interface Segment {
  readonly line: number;
  readonly column: number;
  readonly srcLine: number;
  readonly srcColumn: number;
}

export interface EmittedFunction {
  readonly name: string;
  /** The function declaration's text. */
  readonly code: string;
  /** Its source-map segments, lines relative to the first line of `code`. */
  readonly segments: readonly Segment[];
}

/**
 * `adamFamilyKernel_float32_neg_guard`: the kernel, the dtype, the switches that are on. A kernel checked
 * at run time may have a name that is no identifier (`'(anonymous kernel)'`, a method `'my-kernel'`):
 * each character an identifier may not hold there becomes `_` (`_anonymous_kernel__float64`).
 */
export function variantName(step: Pick<Step, 'kernel' | 'dtype' | 'setting'>): string {
  const on = Object.entries(step.setting)
    .filter(([, v]) => v)
    .map(([k]) => k.slice(1));
  const kernel = step.kernel.replace(/[^\p{ID_Continue}$]/gu, '_').replace(/^[^\p{ID_Start}$_]/u, '_$&');
  return [kernel, step.dtype, ...on].join('_');
}

class Out {
  readonly lines: string[] = [''];
  readonly segments: Segment[] = [];
  write(text: string): void {
    const parts = text.split('\n');
    this.lines[this.lines.length - 1] += parts[0]!;
    for (let k = 1; k < parts.length; k++) this.lines.push(parts[k]!);
  }
  /** A segment here → the start of `at`. */
  mark(at: Span | undefined): void {
    if (at) this.segment(at.line, at.column);
  }
  /** Writes the last character of a construct, with a segment → the last character of `at`. */
  last(text: string, at: Span | undefined): void {
    if (at) this.segment(at.endLine, at.endColumn - 1);
    this.write(text);
  }
  private segment(line: number, column: number): void {
    this.segments.push({
      line: this.lines.length - 1,
      column: this.lines[this.lines.length - 1]!.length,
      srcLine: line - 1,
      srcColumn: column,
    });
  }
}

const PREC = {
  sequence: 1,
  assign: 2,
  select: 3,
  '||': 4,
  '&&': 5,
  '===': 9,
  '!==': 9,
  '<': 10,
  '<=': 10,
  '>': 10,
  '>=': 10,
  '+': 12,
  '-': 12,
  '*': 13,
  '/': 13,
  unary: 15,
  primary: 18,
} as const;

function precedence(e: Expr): number {
  switch (e.kind) {
    case 'sequence':
      return PREC.sequence;
    // Equivalent mutant: `case 'assign':` with its return removed (it falls to the select's precedence, 3): no operand
    // is emitted with min = 3 (the mins are 0, PREC.assign, PREC['||'] and above), so 2 < min and 3 < min agree.
    case 'assign':
      return PREC.assign;
    case 'select':
      return PREC.select;
    case 'logical':
    case 'binary':
    case 'compare':
      return PREC[e.op];
    case 'unary':
      return PREC.unary;
    case 'number':
      // Equivalent mutants: `true` and `e.value <= 0` (a literal ≥ 0 at unary precedence): only an operand of a
      // minus marked signed is emitted with min above PREC.unary, and a literal ≥ 0 is never marked signed (below).
      return Object.is(e.value, -0) || e.value < 0 ? PREC.unary : PREC.primary;
    // Equivalent mutant: `default:` with its return removed (undefined < min is false, as PREC.primary < min is:
    // no operand is emitted with min above PREC.primary).
    default:
      return PREC.primary;
  }
}

function numberText(v: number): string {
  if (!Number.isFinite(v)) throw new RangeError(`kernel literal ${v}: literals are finite`);
  return Object.is(v, -0) ? '-0' : String(v);
}

function expr(out: Out, e: Expr, index: string, min: number): void {
  const wrap = precedence(e) < min;
  if (wrap) out.write('(');
  // A select's chosen branch starts where the select stood (coverage counts it as that expression).
  out.mark(e.site);
  if (e.kind === 'load' || e.kind === 'math' || e.kind === 'hook') out.mark(e.at);
  switch (e.kind) {
    case 'number':
      out.write(numberText(e.value));
      break;
    case 'boolean':
      out.write(String(e.value));
      break;
    case 'scalar':
    case 'local':
    // Equivalent mutant: `""` for 'limit' (no Step holds a limit: specialise, in tree.ts, replaces each with its
    // number for the dtype, so this case is never met).
    case 'limit':
      out.write(e.name);
      break;
    case 'switch':
      throw new Error(`emit: switch ${e.name} left in a Step`);
    case 'load':
      out.write(`${e.array}[${index}]`);
      break;
    case 'unary': {
      out.write(e.op);
      // `- -x` would read as a decrement: parenthesise a signed operand.
      const signed =
        // Equivalent mutant: `true` for `e.arg.kind === 'unary'` (then binary, compare and logical operands are marked
        // signed too: they are wrapped under a minus either way, their precedence being below PREC.unary).
        (e.arg.kind === 'unary' && e.arg.op !== '!') ||
        // Equivalent mutants: `true` for `e.arg.kind === 'number'` (no other kind has a number value, so the sign test
        // is false for them); `e.arg.kind === 'number' || e.arg.value < 0 || Object.is(e.arg.value, -0)`, and `true`
        // or `e.arg.value <= 0` for the sign test (a literal ≥ 0 marked signed is still not wrapped: its precedence
        // is PREC.primary, the highest min).
        (e.arg.kind === 'number' && (e.arg.value < 0 || Object.is(e.arg.value, -0)));
      expr(out, e.arg, index, signed ? PREC.primary : PREC.unary);
      break;
    }
    case 'binary':
    case 'compare':
    case 'logical': {
      const p = PREC[e.op];
      expr(out, e.left, index, p);
      out.write(` ${e.op} `);
      expr(out, e.right, index, p + 1);
      break;
    }
    case 'select':
      expr(out, e.test, index, PREC['||']);
      out.write(' ? ');
      expr(out, e.then, index, PREC.assign);
      out.write(' : ');
      expr(out, e.else, index, PREC.assign);
      break;
    case 'math':
      out.write(`Math.${e.fn}(`);
      e.args.forEach((a, k) => {
        if (k) out.write(', ');
        expr(out, a, index, PREC.assign);
      });
      out.write(')');
      break;
    case 'hook':
      out.write(`${e.name}(${e.args.map((a) => JSON.stringify(a)).join(', ')})`);
      break;
    case 'sequence':
      e.exprs.forEach((a, k) => {
        if (k) out.write(', ');
        expr(out, a, index, PREC.assign);
      });
      break;
    case 'assign':
      out.write(`${NEW_THETA} ${e.op === '=' ? '' : e.op}= `);
      expr(out, e.value, index, PREC.assign);
      break;
  }
  if (wrap) out.write(')');
}

/** The new parameter θ' where it is accumulated in a local (several updates, instrumented trees). */
const NEW_THETA = 'q$';

/**
 * `base` given: the one update is folded into `p[i] = base − x`; else updates accumulate in q$.
 * `labels`: the labels of the enclosing blocks (a label may not repeat inside itself).
 */
function statements(
  out: Out,
  list: readonly Stmt[],
  index: string,
  pad: string,
  base: Expr | undefined,
  // Equivalent mutant: `["Stryker was here"]` (a label is $switch, not$switch, then$ or else$: tree.ts, branchLabel).
  labels: readonly string[] = [],
): void {
  for (const s of list) {
    out.write(`\n${pad}`);
    out.mark(s.at);
    switch (s.kind) {
      case 'const':
        // Coverage counts a declaration by its value: mark where the value (or its select) starts,
        // and nothing after it on the line, so that it spans the same place as in the kernel.
        out.write(`const ${s.name} = `);
        out.mark(s.value.site ?? s.value.at);
        expr(out, s.value, index, PREC.assign);
        out.write(';');
        break;
      case 'store':
        out.write(`${s.array}[${index}] = `);
        expr(out, s.value, index, PREC.assign);
        out.last(';', s.at);
        break;
      case 'update':
        if (base) {
          out.write(`p[${index}] = `);
          expr(out, { kind: 'binary', op: s.op, left: base, right: s.value }, index, PREC.assign);
        } else {
          out.write(`${NEW_THETA} ${s.op}= `);
          expr(out, s.value, index, PREC.assign);
        }
        out.last(';', s.at);
        break;
      case 'block': {
        // The branch a folded `if` took, labelled by the switch (a no-op label: it marks the place).
        let label = s.label;
        for (let k = 2; labels.includes(label); k++) label = `${s.label}$${k}`;
        out.write(`${label}: {`);
        statements(out, s.body, index, `${pad}  `, base, [...labels, label]);
        out.write(`\n${pad}`);
        out.last('}', s.at);
        break;
      }
      case 'if':
        out.write('if (');
        expr(out, s.test, index, 0);
        out.write(') {');
        statements(out, s.then, index, `${pad}  `, undefined, labels);
        out.write(`\n${pad}} else {`);
        statements(out, s.else, index, `${pad}  `, undefined, labels);
        out.write(`\n${pad}`);
        out.last('}', s.at);
        break;
      case 'expr':
        expr(out, s.expr, index, 0);
        out.last(';', s.at);
        break;
    }
  }
}

/** The statements in the order they run, blocks opened. */
function flat(list: readonly Stmt[]): Stmt[] {
  return list.flatMap((s) => (s.kind === 'block' ? flat(s.body) : [s]));
}

/** The element step of one lane: the Step's statements, then the store of θ'. */
function lane(out: Out, step: Step, index: string, pad: string): void {
  const run = flat(step.body);
  const updates = run.filter((s) => s.kind === 'update').length;
  const instrumented = run.some((s) => s.kind === 'if' || s.kind === 'expr');
  // Equivalent mutant: `run[run.length - 1].kind` (read only when updates === 1, so run is not empty).
  if (!instrumented && updates === 1 && run[run.length - 1]?.kind === 'update') {
    statements(out, step.body, index, pad, step.base);
    return;
  }
  // θ' in a local: declared after the preamble (p$, g$), stored after the body.
  const preamble = step.body.findIndex((s) => !(s.kind === 'const' && s.name.endsWith('$')));
  // Equivalent mutant: `preamble <= 0` (body[0] is the preamble's const p$, tree.ts specialise: never 0 here).
  const split = preamble < 0 ? step.body.length : preamble;
  statements(out, step.body.slice(0, split), index, pad, undefined);
  out.write(`\n${pad}let ${NEW_THETA} = `);
  expr(out, step.base, index, PREC.assign);
  out.write(';');
  statements(out, step.body.slice(split), index, pad, undefined);
  out.write(`\n${pad}p[${index}] = ${NEW_THETA};`);
}

/** The function for one Step: its loop unrolled by UNROLL (see the header). */
export function emitFunction(step: Step, index: string): EmittedFunction {
  const name = variantName(step);
  const out = new Out();
  // The function's name and body map to the kernel's, so that coverage counts the copies as the kernel.
  out.write('function ');
  out.mark(step.nameAt);
  out.write(`${name}(p, g, b$, s$) `);
  out.mark(step.bodyAt);
  out.write('{');
  const arrays = step.arrays.filter((a) => a !== 'p' && a !== 'g');
  if (arrays.length) out.write(`\n  const ${arrays.map((a) => `${a} = b$.${a}`).join(', ')};`);
  if (step.scalars.length) out.write(`\n  const ${step.scalars.map((s) => `${s} = s$.${s}`).join(', ')};`);
  out.write('\n  let i$u = 0;');
  out.write(`\n  for (; i$u <= p.length - ${UNROLL}; i$u += ${UNROLL}) {`);
  for (let k = 0; k < UNROLL; k++) {
    out.write(`\n    {\n      const ${index} = i$u${k ? ` + ${k}` : ''};`);
    lane(out, step, index, '      ');
    out.write('\n    }');
  }
  out.write('\n  }');
  out.write(`\n  for (let ${index} = i$u; ${index} < p.length; ${index}++) {`);
  lane(out, step, index, '    ');
  out.write('\n  }\n');
  out.last('}', step.bodyAt);
  return { name, code: out.lines.join('\n'), segments: out.segments };
}
