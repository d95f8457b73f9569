/**
 * The environment a run is measured in, and results I/O: the package root, package versions,
 * git commit, and an atomic write that never leaves a half-written or lost results file.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import type { Environment } from './schema.js';
import { optimlabRoot, optimlabVersion } from '../src/util/package.js';

/** The optimlab package root (the folder of its package.json), from src, dist or an install. */
export const packageRoot = optimlabRoot;

/** Installed version of a package (walking node_modules up from the package root), or null. */
export function packageVersion(name: string, root = packageRoot()): string | null {
  let dir = root;
  for (;;) {
    const pj = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(pj)) {
      try {
        return (JSON.parse(readFileSync(pj, 'utf8')) as { version?: string }).version ?? null;
      } catch {
        return null;
      }
    }
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

export const REPORTED_PACKAGES = [
  'tinybench',
  'decimal.js',
  'fast-check',
  'seedrandom',
  'typescript',
  'vitest',
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-backend-cpu',
  '@tensorflow/tfjs-backend-wasm',
] as const;

function git(root: string, args: string[]): string | null {
  try {
    return execFileSync('git', args, {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    }).trim();
  } catch {
    return null;
  }
}

/** Everything about the machine and the software that a figure depends on (durationSec and loadAverageEnd are filled in at the end). */
export function collectEnvironment(start: Date): Environment {
  const root = packageRoot();
  const cpus = os.cpus();
  const packages: Record<string, string | null> = { optimlab: optimlabVersion() };
  for (const p of REPORTED_PACKAGES) packages[p] = packageVersion(p, root);
  const commit = git(root, ['rev-parse', 'HEAD']);
  const status = commit === null ? null : git(root, ['status', '--porcelain', '--untracked-files=no']);
  return {
    node: process.version,
    v8: process.versions.v8,
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    os: `${os.type()} ${os.release()}`,
    arch: os.arch(),
    totalMemoryBytes: os.totalmem(),
    loadAverageStart: os.loadavg(),
    loadAverageEnd: [],
    packages,
    git: { commit, dirty: status === null ? null : status.length > 0 },
    date: start.toISOString(),
    durationSec: 0,
  };
}

/**
 * Writes `text` to `path` atomically: first to a temporary file beside it, then a rename over the
 * target. A failure at any point (or an interrupted process) leaves an earlier file at `path`
 * exactly as it was; the temporary file is removed on failure.
 */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = join(dirname(path), `.${process.pid}.${Date.now()}.tmp-${path.split(/[\\/]/).pop()}`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      /* never written */
    }
    throw e;
  }
}
