/**
 * `--module PATH`: optimizers optimlab does not ship, for every command (verify, bench, list,
 * report, run). A module is a JavaScript ES module (or TypeScript, where tsx is installed) that
 * exports (src/commands/user-module.ts loads it, and says in one line what is wrong)
 *
 *   optimizer  (or default)   a defineOptimizer(...) entry        — or optimizers: an array of them
 *   reference  (optional)     its defineReference(...) reference   — or references: an array of them
 *
 * Several modules: repeat the option. Each module's path and the content hash of the files it is
 * made of (the module and, recursively, the relative files it imports) go into the results, with
 * optimlab's own version (provenance).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { OptimizerEntry } from '../optimizers/define.js';
import { optimizerNames } from '../optimizers/registry.js';
import type { Reference } from '../../reference/define.js';
import { UserError } from '../util/errors.js';
import { loadUserModule } from './user-module.js';

/** One loaded module: what it exports and where it came from. */
export interface LoadedModule {
  /** The path as given on the command line. */
  path: string;
  /** SHA-256 (hex) of the module's files: the module and the relative files it imports, recursively. */
  sha256: string;
  /** How many files the hash covers. */
  files: number;
  entries: OptimizerEntry[];
  references: Reference[];
}

/** What the results record of a module (provenance). */
export interface ModuleProvenance {
  path: string;
  sha256: string;
  files: number;
  optimizers: string[];
  references: string[];
}

export const provenanceOf = (m: LoadedModule): ModuleProvenance => ({
  path: m.path,
  sha256: m.sha256,
  files: m.files,
  optimizers: m.entries.map((e) => e.name),
  references: m.references.map((r) => r.name),
});

const RELATIVE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

/** The module file and the relative files it imports, recursively (compiled .js, or .ts beside a .js specifier). */
function moduleFiles(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return;
    }
    for (const m of text.matchAll(RELATIVE_IMPORT)) {
      const spec = resolve(dirname(file), m[1]!);
      const candidates = [spec, spec.replace(/\.js$/, '.ts'), spec.replace(/\.mjs$/, '.mts')];
      const found = candidates.find((c) => existsSync(c) && statSync(c).isFile());
      if (found) visit(found);
    }
  };
  visit(entry);
  return [...seen].sort();
}

/** SHA-256 over each file's path (relative to the module's folder) and bytes. */
function hashFiles(files: readonly string[], base: string): string {
  const h = createHash('sha256');
  for (const f of files) {
    h.update(relative(base, f));
    h.update('\0');
    h.update(readFileSync(f));
    h.update('\0');
  }
  return h.digest('hex');
}

/** Loads one module (src/commands/user-module.ts: every mistake a one-line UserError) and hashes its files. */
export async function loadModule(path: string): Promise<LoadedModule> {
  const { entries, references } = await loadUserModule(path);
  const abs = resolve(path);
  const files = moduleFiles(abs);
  return { path, sha256: hashFiles(files, dirname(abs)), files: files.length, entries, references };
}

/**
 * Loads every module, in order. Optimizer names must be unique across the modules and must not be
 * a built-in's name (results and tables key by name).
 */
export async function loadModules(paths: readonly string[] | undefined): Promise<LoadedModule[]> {
  const out: LoadedModule[] = [];
  const owner = new Map<string, string>();
  for (const p of paths ?? []) {
    const m = await loadModule(p);
    for (const e of m.entries) {
      if (optimizerNames.includes(e.name))
        throw new UserError(
          `--module ${p}: optimizer '${e.name}' has the name of a built-in optimizer; give it another name (results and tables key by name)`,
        );
      const other = owner.get(e.name);
      if (other !== undefined)
        throw new UserError(
          `--module ${p}: optimizer '${e.name}' is also defined by --module ${other}; names must be unique`,
        );
      owner.set(e.name, p);
    }
    out.push(m);
  }
  return out;
}

/** Every entry and reference of the loaded modules. */
export function fromModules(mods: readonly LoadedModule[]): { entries: OptimizerEntry[]; references: Reference[] } {
  return { entries: mods.flatMap((m) => m.entries), references: mods.flatMap((m) => m.references) };
}
