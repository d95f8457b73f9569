/**
 * The wasm engine's allocator: byte ranges of one linear memory, handed out and taken back.
 *
 * First fit over an address-ordered free list, with neighbours merged on free. Blocks are aligned
 * to 64 bytes (a cache line; the kernels' 16-byte vectors never straddle one), blocks of a page or
 * more to 4096 bytes, as the system allocator places large typed arrays (the benchmarks' arrays
 * sit at page-multiple distances, which changed a step's speed by up to 1.7×: benchmarks/suite.ts).
 * When nothing fits, `grow` is asked for more memory (the engine grows its WebAssembly.Memory) and
 * the new bytes join the free list. All bookkeeping is in JavaScript: the memory holds data only.
 */

export const SMALL_ALIGN = 64;
export const PAGE_ALIGN = 4096;

const alignUp = (x: number, a: number): number => Math.ceil(x / a) * a;

export class Heap {
  /** Free ranges, sorted by start, never adjacent (merged). */
  private readonly free: { start: number; size: number }[] = [];
  /** Live blocks: start → size. */
  private readonly live = new Map<number, number>();
  private inUse = 0;

  /** `grow(minBytes)` adds at least minBytes at the end of the memory and returns the new end, or throws. */
  constructor(
    private end: number,
    private readonly grow: (minBytes: number) => number,
  ) {
    if (end > 0) this.free.push({ start: 0, size: end });
  }

  /** The start of a new block of `bytes` (> 0) bytes. */
  alloc(bytes: number): number {
    const size = alignUp(bytes, SMALL_ALIGN);
    const align = size >= PAGE_ALIGN ? PAGE_ALIGN : SMALL_ALIGN;
    for (let k = 0; k < this.free.length; k++) {
      const f = this.free[k]!;
      const start = alignUp(f.start, align);
      if (start + size <= f.start + f.size) return this.take(k, start, size);
    }
    // Nothing fits: grow by enough for the block after the last free range (or the end).
    const last = this.free[this.free.length - 1];
    const tail = last && last.start + last.size === this.end ? last.start : this.end;
    const need = alignUp(tail, align) + size - this.end;
    const newEnd = this.grow(need);
    this.release(this.end, newEnd - this.end);
    this.end = newEnd;
    return this.alloc(bytes);
  }

  private take(k: number, start: number, size: number): number {
    const f = this.free[k]!;
    const before = { start: f.start, size: start - f.start };
    const after = { start: start + size, size: f.start + f.size - (start + size) };
    this.free.splice(k, 1, ...[before, after].filter((r) => r.size > 0));
    this.live.set(start, size);
    this.inUse += size;
    return start;
  }

  /** Size of the live block starting at `start`, or undefined. */
  sizeOf(start: number): number | undefined {
    return this.live.get(start);
  }

  /** Returns the block starting at `start` (a start `alloc` returned and not freed since). */
  dealloc(start: number): void {
    const size = this.live.get(start);
    if (size === undefined) throw new RangeError(`no live block starts at byte ${start}`);
    this.live.delete(start);
    this.inUse -= size;
    this.release(start, size);
  }

  private release(start: number, size: number): void {
    let k = 0;
    while (k < this.free.length && this.free[k]!.start < start) k++;
    this.free.splice(k, 0, { start, size });
    // Merge with the next range, then with the previous one.
    const cur = this.free[k]!;
    const next = this.free[k + 1];
    if (next && cur.start + cur.size === next.start) {
      cur.size += next.size;
      this.free.splice(k + 1, 1);
    }
    const prev = this.free[k - 1];
    if (prev && prev.start + prev.size === cur.start) {
      prev.size += cur.size;
      this.free.splice(k, 1);
    }
  }

  stats(): { blocks: number; bytesInUse: number; bytesFree: number; memoryBytes: number } {
    return {
      blocks: this.live.size,
      bytesInUse: this.inUse,
      bytesFree: this.free.reduce((s, f) => s + f.size, 0),
      memoryBytes: this.end,
    };
  }
}
