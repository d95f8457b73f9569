/**
 * `npx vitest run --coverage`: V8's coverage (@vitest/coverage-v8), with one correction for the
 * kernels' generated copies (src/optimizers/generated, see src/optimizers/kernel/build.ts).
 *
 * Each statement of a kernel stands many times in its generated module: four unrolled lanes and the
 * remainder loop, in every dtype and switch setting. Their source maps lead each copy back to the
 * kernel's statement, and V8 counts every copy apart. The converter (ast-v8-to-istanbul) adds up the
 * counts of functions and branches that map to one place but keeps only the last of a statement's
 * counts within one script, which is a copy that may never run (the remainder loop when n is a
 * multiple of 4, a setting nobody used). So for a generated module this provider converts each copy
 * apart (the module's text with everything but that copy blanked, so that every offset stays) and
 * adds the results: a kernel's statement counts every element that any copy of it executed. Copies
 * that never ran are left out: the kernel's own module already reports its statements, with 0.
 * Every other file is converted as @vitest/coverage-v8 does.
 */
import v8 from '@vitest/coverage-v8';
import { V8CoverageProvider } from '@vitest/coverage-v8/dist/provider.js';
import { parseAstAsync } from 'vitest/node';

interface FunctionCoverage {
  ranges: { startOffset: number; endOffset: number; count: number }[];
}
interface Sources {
  code: string;
  map?: unknown;
}
interface CoverageMap {
  merge(other: unknown): void;
}
/** The provider's methods used here (remapCoverage is private in its types, a method at run time). */
interface Remapping {
  remapCoverage(
    filename: string,
    wrapperLength: number,
    result: Sources,
    functions: FunctionCoverage[],
  ): Promise<unknown>;
  createCoverageMap(): CoverageMap;
}
const Base = V8CoverageProvider as unknown as new () => Remapping;
interface Node {
  type: string;
  start: number;
  end: number;
  body?: Node | Node[];
}

const GENERATED = '/src/optimizers/generated/';

/** `code` with every character outside [from, to) ranges blanked (newlines kept). */
function keep(code: string, ranges: readonly (readonly [number, number])[]): string {
  const out = code.split('');
  let k = 0;
  for (let i = 0; i < out.length; i++) {
    while (k < ranges.length && i >= ranges[k]![1]) k++;
    const inside = k < ranges.length && i >= ranges[k]![0];
    if (!inside && out[i] !== '\n') out[i] = ' ';
  }
  return out.join('');
}

/** The lanes of a generated copy: the four blocks of its unrolled loop, and its remainder loop's body. */
function lanes(fn: Node): Node[] {
  const body = (fn.body as Node).body as Node[];
  const loops = body.filter((s) => s.type === 'ForStatement');
  if (loops.length !== 2)
    throw new Error(
      `coverage: a generated kernel has ${loops.length} loops where 2 are expected (kernel/emit-js.ts changed?)`,
    );
  const unrolled = ((loops[0]!.body as Node).body as Node[]).filter((s) => s.type === 'BlockStatement');
  return [...unrolled, loops[1]!.body as Node];
}

class KernelCopiesProvider extends Base {
  override async remapCoverage(
    filename: string,
    wrapperLength: number,
    result: Sources,
    functions: FunctionCoverage[],
  ): Promise<unknown> {
    if (!filename.includes(GENERATED) || !filename.endsWith('.js'))
      return super.remapCoverage(filename, wrapperLength, result, functions);
    const program = (await parseAstAsync(result.code)) as unknown as Node;
    const ran = new Set(
      functions
        .filter((f) => f.ranges[0] !== undefined && f.ranges[0].count > 0)
        .map((f) => f.ranges[0]!.startOffset - wrapperLength),
    );
    const total = this.createCoverageMap();
    for (const fn of program.body as Node[]) {
      if (fn.type !== 'FunctionDeclaration' || !ran.has(fn.start)) continue;
      const rest = lanes(fn).slice(1);
      // The function with its first lane (and its call count; the other lanes' braces kept, their
      // insides blanked), then each other lane alone.
      const cuts = [fn.start, ...rest.flatMap((l) => [l.start + 1, l.end - 1]), fn.end];
      const pieces: (readonly [number, number])[][] = [
        Array.from({ length: cuts.length / 2 }, (_, k) => [cuts[2 * k]!, cuts[2 * k + 1]!] as const),
        ...rest.map((lane) => [[lane.start, lane.end] as const]),
      ];
      for (const ranges of pieces) {
        const piece = keep(result.code, ranges);
        total.merge(await super.remapCoverage(filename, wrapperLength, { ...result, code: piece }, functions));
      }
    }
    return total;
  }
}

export default {
  ...v8,
  getProvider: (): KernelCopiesProvider => new KernelCopiesProvider(),
};
