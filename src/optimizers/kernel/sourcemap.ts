/**
 * Source maps (revision 3) for the generated kernel modules: each segment maps a generated line and
 * column to a line and column of the one source file, the optimizer file the kernels are written in.
 */
import type { Segment } from './emit-js.js';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** One base-64 VLQ number (the sign in the lowest bit, five bits a digit, lowest first). */
export function vlq(value: number): string {
  let x = value < 0 ? (-value << 1) | 1 : value << 1;
  let out = '';
  do {
    let digit = x & 31;
    x >>>= 5;
    if (x > 0) digit |= 32;
    out += BASE64[digit];
  } while (x > 0);
  return out;
}

export interface SourceMap {
  version: 3;
  file: string;
  sources: string[];
  names: string[];
  mappings: string;
}

/** The map of a generated file whose segments all point into `source`. */
export function sourceMap(file: string, source: string, segments: readonly Segment[]): SourceMap {
  const sorted = [...segments].sort((a, b) => a.line - b.line || a.column - b.column);
  const lines: string[][] = [];
  let srcLine = 0;
  let srcColumn = 0;
  let column = 0; // the previous segment's generated column on this line
  for (let k = 0; k < sorted.length; k++) {
    const s = sorted[k]!;
    const prev = sorted[k - 1];
    if (prev && prev.line === s.line && prev.column === s.column) continue; // one segment a place: the first
    while (lines.length <= s.line) lines.push([]);
    const line = lines[s.line]!;
    if (line.length === 0) column = 0;
    line.push(vlq(s.column - column) + vlq(0) + vlq(s.srcLine - srcLine) + vlq(s.srcColumn - srcColumn));
    column = s.column;
    srcLine = s.srcLine;
    srcColumn = s.srcColumn;
  }
  return { version: 3, file, sources: [source], names: [], mappings: lines.map((l) => l.join(',')).join(';') };
}
