/**
 * Helpers for tests that run the CLI in-process through main() (not a test file itself):
 *  - captureConsole(): `const io = captureConsole();` at the top of a file, then io.out and io.err
 *    (one string per console.log / console.error call) in each test;
 *  - tempDirs(prefix): a function that makes a fresh temporary folder, all removed after the file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, vi } from 'vitest';

export interface Captured {
  out: string[];
  err: string[];
}

export function captureConsole(): Captured {
  const io: Captured = { out: [], err: [] };
  beforeEach(() => {
    io.out = [];
    io.err = [];
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
      io.out.push(a.join(' '));
    });
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => {
      io.err.push(a.join(' '));
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  return io;
}

export function tempDirs(prefix: string): () => string {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  return () => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
}
