/**
 * Captures console.log / console.error for tests that run the CLI in-process through main():
 * `const io = captureConsole();` at the top of a file, then io.out and io.err (one string per
 * call) in each test. Not a test file itself.
 */
import { afterEach, beforeEach, vi } from 'vitest';

export interface Captured {
  out: string[];
  err: string[];
}

export function captureConsole(): Captured {
  const io: Captured = { out: [], err: [] };
  beforeEach(() => {
    io.out = [];
    io.err = [];
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { io.out.push(a.join(' ')); });
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => { io.err.push(a.join(' ')); });
  });
  afterEach(() => { vi.restoreAllMocks(); });
  return io;
}
