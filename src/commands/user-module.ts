/**
 * Loading a user's module (`--module PATH`): the one place that imports code a maintainer hands
 * to optimlab, and turns every way that can go wrong into one line naming the path and what to
 * do (a UserError: exit 2, no stack trace). The path must be a JavaScript file (or TypeScript, where
 * tsx is installed) that exports a defineOptimizer(...) entry as default or as 'optimizer' (several:
 * an array as 'optimizers'), and optionally its decimal reference as 'reference' (several:
 * 'references'; defineReference from 'optimlab/reference'). src/commands/modules.ts builds the
 * commands' --module (several modules, provenance) on it.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Reference } from '../../reference/define.js';
import type { OptimizerEntry } from '../optimizers/define.js';
import { UserError, errnoCode } from '../util/errors.js';

export interface UserModule {
  /** Its optimizers: 'optimizer' (or default), then those of 'optimizers'. */
  entries: OptimizerEntry[];
  /** Their decimal references, where it exports them ([] otherwise). */
  references: Reference[];
}

const isEntry = (x: unknown): x is OptimizerEntry => {
  const e = x as { name?: unknown; create?: unknown; traits?: unknown } | undefined | null;
  return (
    !!e &&
    typeof e === 'object' &&
    typeof e.name === 'string' &&
    typeof e.create === 'function' &&
    typeof e.traits === 'object' &&
    e.traits !== null
  );
};
const isReference = (x: unknown): x is Reference => {
  const r = x as { name?: unknown; step?: unknown; bound?: unknown } | undefined | null;
  return (
    !!r &&
    typeof r === 'object' &&
    typeof r.name === 'string' &&
    typeof r.step === 'function' &&
    typeof r.bound === 'object'
  );
};

/** The first line of an error, and where in the user's file it arose when the stack says so. */
function explain(e: unknown, file: string): string {
  if (!(e instanceof Error)) return `threw ${typeof e === 'string' ? JSON.stringify(e) : String(e)}`;
  const first = `${e.name}: ${e.message.split('\n')[0]}`;
  const url = pathToFileURL(file).href;
  const at = (e.stack ?? '').split('\n').find((l) => l.includes(url) || l.includes(file));
  const where = at ? /((?:file:\/\/)?\/[^\s()]+:\d+:\d+)/.exec(at)?.[1] : undefined;
  return where ? `${first} (at ${where.replace(/^file:\/\//, '')})` : first;
}

/**
 * Imports `path` and returns its optimizer entry and reference. `option` names the flag in
 * messages ('--module'). Every failure is a UserError: no such file, a folder, a TypeScript file,
 * a syntax error, a module that throws while loading or whose imports are missing, an export
 * that is not a defineOptimizer entry or throws when read.
 */
export async function loadUserModule(path: string, option = '--module'): Promise<UserModule> {
  const where = `${option} ${path}`;
  if (path.trim() === '')
    throw new UserError(`${option} '': an empty path; give the JavaScript file that exports your optimizer`);
  const abs = resolve(path);
  let isDir: boolean;
  try {
    isDir = statSync(abs).isDirectory();
  } catch (e) {
    const code = errnoCode(e);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new UserError(`${where}: no such file`);
    throw new UserError(`${where}: cannot read it (${code ?? (e as Error).message})`);
  }
  if (isDir)
    throw new UserError(
      `${where}: a folder; give the module's JavaScript file (for a package, its entry file such as ${resolve(abs, 'index.js')})`,
    );
  // TypeScript: through tsx's loader where tsx is installed (it is resolved from optimlab's folder up).
  let tsImport: ((specifier: string, parent: string) => Promise<unknown>) | undefined;
  if (/\.[cm]?ts$/.test(abs)) {
    try {
      tsImport = ((await import('tsx/esm/api' as string)) as { tsImport: typeof tsImport }).tsImport;
    } catch {
      throw new UserError(
        `${where}: a TypeScript file, and tsx is not installed to load it; compile it to JavaScript first (tsc) and pass the .js file, or npm install -D tsx`,
      );
    }
  }
  let mod: Record<string, unknown>;
  try {
    const url = pathToFileURL(abs).href;
    mod = (await (tsImport ? tsImport(url, import.meta.url) : import(url))) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof SyntaxError) throw new UserError(`${where}: not valid JavaScript: ${explain(e, abs)}`);
    const code = (e as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_UNSUPPORTED_DIR_IMPORT')
      throw new UserError(`${where}: one of its imports cannot be found: ${(e as Error).message.split('\n')[0]}`);
    if (code === 'ERR_UNKNOWN_FILE_EXTENSION' || code === 'ERR_UNKNOWN_MODULE_FORMAT')
      throw new UserError(`${where}: not a JavaScript module (${(e as Error).message.split('\n')[0]})`);
    throw new UserError(`${where}: the module threw while it was loading: ${explain(e, abs)}`);
  }
  // Reading the exports runs the user's code too (getters, proxies): any throw is theirs.
  try {
    const one = mod.optimizer ?? mod.default;
    const many = mod.optimizers;
    if (many !== undefined && (!Array.isArray(many) || many.length === 0 || !many.every(isEntry))) {
      throw new UserError(`${where}: 'optimizers' must be a non-empty array of defineOptimizer(...) entries`);
    }
    const entries = [...(isEntry(one) ? [one] : []), ...((many as OptimizerEntry[] | undefined) ?? [])];
    if (entries.length === 0) {
      throw new UserError(
        `${where}: export the result of defineOptimizer(...) as default or as 'optimizer'; found exports: ${Object.keys(mod).join(', ') || 'none'}`,
      );
    }
    const refs: unknown[] = [
      ...(mod.reference !== undefined ? [mod.reference] : []),
      ...(mod.references === undefined ? [] : Array.isArray(mod.references) ? mod.references : [mod.references]),
    ];
    for (const ref of refs) {
      if (!isReference(ref))
        throw new UserError(
          `${where}: 'reference' must be the result of defineReference(optimizer, { … }) from 'optimlab/reference'`,
        );
      if (!entries.some((e) => e.name === ref.name)) {
        throw new UserError(
          `${where}: 'reference' is the reference of '${ref.name}', but the optimizer${entries.length > 1 ? 's are' : ' is'} ${entries.map((e) => `'${e.name}'`).join(', ')}`,
        );
      }
    }
    return { entries, references: refs as Reference[] };
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${where}: reading its exports threw: ${explain(e, abs)}`);
  }
}
