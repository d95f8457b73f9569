/**
 * How a size (an element count) is written wherever optimlab prints one: the CLI's lines, the
 * summary table, the report's titles and axes. One notation for the sizes a run measures.
 */

/** 1000 → '1e3', 1000000 → '1e6', 4000000 → '4e6', 1500 → '1500', 1024 → '1024', 100 → '100'. */
export function formatSize(n: number): string {
  if (n < 1000) return String(n);
  const k = Math.floor(Math.log10(n));
  const a = n / 10 ** k;
  return Number.isInteger(a) ? `${a}e${k}` : String(n);
}
