/**
 * optimlab's own package: its root folder and version, from wherever this file runs (src/, dist/,
 * or node_modules/optimlab in a maintainer's package). Results record this version, never the host
 * package's (a maintainer's project has a package.json of its own).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The folder of optimlab's package.json (walking up from this module), or the working directory if none is found. */
export function optimlabRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === 'optimlab') return (root = dir);
      } catch {
        /* not ours; keep looking */
      }
    }
    const up = dirname(dir);
    if (up === dir) return (root = process.cwd());
    dir = up;
  }
}

/** optimlab's version (its package.json), or null if it cannot be read. */
export function optimlabVersion(): string | null {
  try {
    return (
      (JSON.parse(readFileSync(join(optimlabRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? null
    );
  } catch {
    return null;
  }
}
