/**
 * Loading a user's module (`--module PATH`): the one place that imports code a maintainer hands
 * to optimlab, and turns every way that can go wrong into one line naming the path and what to
 * do (a UserError: exit 2, no stack trace). The path must be a JavaScript file that exports a
 * defineOptimizer(...) entry as default or as 'optimizer', and optionally its decimal reference
 * as 'reference' (defineReference from 'optimlab/reference').
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Reference } from '../../reference/define.js';
import type { OptimizerEntry } from '../optimizers/define.js';
import { UserError, errnoCode } from '../util/errors.js';

export interface UserModule {
  entry: OptimizerEntry;
  /** Its decimal reference, when it exports one ([] otherwise). */
  references: Reference[];
}

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
  if (path.trim() === '') throw new UserError(`${option} '': an empty path; give the JavaScript file that exports your optimizer`);
  const abs = resolve(path);
  let isDir: boolean;
  try {
    isDir = statSync(abs).isDirectory();
  } catch (e) {
    const code = errnoCode(e);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new UserError(`${where}: no such file`);
    throw new UserError(`${where}: cannot read it (${code ?? (e as Error).message})`);
  }
  if (isDir) throw new UserError(`${where}: a folder; give the module's JavaScript file (for a package, its entry file such as ${resolve(abs, 'index.js')})`);
  if (/\.[cm]?ts$/.test(abs)) {
    throw new UserError(`${where}: a TypeScript file; compile it to JavaScript first (tsc), or run through tsx: npx tsx node_modules/optimlab/bin/optimlab.js verify --module ${path}`);
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(abs).href)) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof SyntaxError) throw new UserError(`${where}: not valid JavaScript: ${explain(e, abs)}`);
    const code = (e as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_UNSUPPORTED_DIR_IMPORT') throw new UserError(`${where}: one of its imports cannot be found: ${(e as Error).message.split('\n')[0]}`);
    if (code === 'ERR_UNKNOWN_FILE_EXTENSION' || code === 'ERR_UNKNOWN_MODULE_FORMAT') throw new UserError(`${where}: not a JavaScript module (${(e as Error).message.split('\n')[0]})`);
    throw new UserError(`${where}: the module threw while it was loading: ${explain(e, abs)}`);
  }
  // Reading the exports runs the user's code too (getters, proxies): any throw is theirs.
  try {
    const entry = (mod.optimizer ?? mod.default) as { name?: unknown; create?: unknown; traits?: unknown } | undefined | null;
    if (!entry || typeof entry !== 'object' || typeof entry.name !== 'string' || typeof entry.create !== 'function' || typeof entry.traits !== 'object' || entry.traits === null) {
      throw new UserError(`${where}: export the result of defineOptimizer(...) as default or as 'optimizer'; found exports: ${Object.keys(mod).join(', ') || 'none'}`);
    }
    const ref = mod.reference as { name?: unknown; step?: unknown; bound?: unknown } | undefined | null;
    if (ref !== undefined && (ref === null || typeof ref !== 'object' || typeof ref.name !== 'string' || typeof ref.step !== 'function' || typeof ref.bound !== 'object')) {
      throw new UserError(`${where}: 'reference' must be the result of defineReference(optimizer, { … }) from 'optimlab/reference'`);
    }
    if (ref !== undefined && ref.name !== entry.name) {
      throw new UserError(`${where}: 'reference' is the reference of '${String(ref.name)}', but the optimizer is '${entry.name}'`);
    }
    return { entry: entry as unknown as OptimizerEntry, references: ref ? [ref as unknown as Reference] : [] };
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${where}: reading its exports threw: ${explain(e, abs)}`);
  }
}
