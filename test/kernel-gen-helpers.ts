/**
 * Helpers of the generator's tests (kernel-check and kernel-gen-*), written from the definitions they
 * check, apart from the generator's code: a source map's `mappings` decoded by Source Map Revision 3,
 * and the checker's verdict on a function.
 */
import { checkKernel } from '../src/optimizers/kernel/check.js';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** One `mappings` segment's numbers (each a base-64 VLQ: 5 bits a digit, low first; sign in bit 0). */
export function decodeSegment(segment: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of segment) {
    const d = BASE64.indexOf(ch);
    value += (d & 31) * 2 ** shift;
    if (d & 32) shift += 5;
    else {
      out.push(value % 2 ? -(value - 1) / 2 : value / 2);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

/**
 * Every segment of `mappings` as [generated line (0-based), generated column, source index, source
 * line (0-based), source column]: the generated column is relative to the line's previous segment,
 * the other three to the previous segment of the whole map.
 */
export function decodeMappings(mappings: string): [number, number, number, number, number][] {
  const out: [number, number, number, number, number][] = [];
  let source = 0;
  let srcLine = 0;
  let srcColumn = 0;
  mappings.split(';').forEach((line, genLine) => {
    let genColumn = 0;
    for (const seg of line ? line.split(',') : []) {
      const [dc, ds, dl, dsc] = decodeSegment(seg);
      genColumn += dc!;
      source += ds!;
      srcLine += dl!;
      srcColumn += dsc!;
      out.push([genLine, genColumn, source, srcLine, srcColumn]);
    }
  });
  return out;
}

/** The checker's verdict on a kernel given as a function: 'ok', or its error's message. */
export function checkedMessage(fn: unknown): string {
  try {
    checkKernel(fn, 'x');
    return 'ok';
  } catch (e) {
    return (e as Error).message;
  }
}
