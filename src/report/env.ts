/** The machine and software the report is built on (os, node, git, installed package versions). */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import type { Environment } from './types.js';
import { optimlabRoot, optimlabVersion } from '../util/package.js';

const PACKAGES = [
  'vega',
  'vega-lite',
  'tinybench',
  'decimal.js',
  'fast-check',
  'seedrandom',
  'typescript',
  'vitest',
  '@tensorflow/tfjs-core',
];

function version(root: string, name: string): string | null {
  for (let dir = root; ; dir = dirname(dir)) {
    const pj = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(pj)) {
      try {
        return (JSON.parse(readFileSync(pj, 'utf8')) as { version?: string }).version ?? null;
      } catch {
        return null;
      }
    }
    if (dirname(dir) === dir) return null;
  }
}

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

/** `root`: the package root (for git and node_modules); default the working directory. */
export function hostEnvironment(root = process.cwd()): Environment {
  const packages: Record<string, string | null> = {};
  // optimlab's own version, wherever it is installed; not the host package's (a maintainer's project).
  packages.optimlab = optimlabVersion();
  for (const p of PACKAGES) packages[p] = version(optimlabRoot(), p) ?? version(root, p);
  const commit = git(root, ['rev-parse', 'HEAD']);
  const status = commit === null ? null : git(root, ['status', '--porcelain', '--untracked-files=no']);
  return {
    node: process.version,
    v8: process.versions.v8,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    os: `${os.type()} ${os.release()}`,
    arch: os.arch(),
    totalMemoryBytes: os.totalmem(),
    loadAverageStart: os.loadavg(),
    packages,
    git: { commit, dirty: status === null ? null : status.length > 0 },
    date: new Date().toISOString(),
  };
}
