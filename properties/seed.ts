/**
 * Seeds: one run seed, and from it a seed per case (so each case replays alone). Apart from
 * framework.ts so that modules the framework uses (accuracy.ts) can derive seeds too.
 */

/** The default run seed: CI and test names are stable. */
export const DEFAULT_SEED = 20261124;

/** FNV-1a over the case id, mixed with the run seed: a per-case seed (32-bit signed). */
export function caseSeed(runSeed: number, id: string): number {
  let h = 0x811c9dc5 ^ (runSeed >>> 0);
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}
