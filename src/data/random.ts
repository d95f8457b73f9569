/**
 * Seeded randomness: every random choice in optimlab comes from a seed through seedrandom's
 * default generator (ARC4; `rng()` fills all 53 bits of the double's mantissa).
 */
import seedrandom from 'seedrandom';

/** A uniform generator on [0, 1) plus standard normal draws, both from one seeded stream. */
export interface Rng {
  /** Uniform on [0, 1). */
  uniform(): number;
  /** Standard normal N(0, 1) (Box–Muller, both values of each pair used). */
  normal(): number;
  /** Uniform integer in [0, n) (n ≤ 2^32). */
  int(n: number): number;
}

/** Checks a seed: a safe integer or a non-empty string. */
export function checkSeed(where: string, seed: unknown): asserts seed is number | string {
  // Number.isSafeInteger is false for every non-number (ECMA-262 §21.1.2.5), so it tests the type as well.
  const ok = Number.isSafeInteger(seed) || (typeof seed === 'string' && seed.length > 0);
  if (!ok) throw new TypeError(`${where}: seed = ${String(seed)}; allowed: a safe integer or a non-empty string`);
}

/**
 * A seeded Rng. `stream` separates independent streams from one seed (e.g. 'shuffle:3' for the
 * shuffle of epoch 3), so adding a use of randomness never shifts the numbers of another.
 */
export function makeRng(seed: number | string, stream = ''): Rng {
  checkSeed('makeRng', seed);
  const prng = seedrandom(`${String(seed)}${stream ? `/${stream}` : ''}`);
  let spare = 0;
  let hasSpare = false;
  return {
    uniform: () => prng(),
    int: (n: number) => Math.floor(prng() * n),
    normal: () => {
      if (hasSpare) {
        hasSpare = false;
        return spare;
      }
      // Box–Muller (1958): r = √(−2 ln u1), θ = 2π u2; 1 − u1 ∈ (0, 1] keeps the log finite.
      const u1 = 1 - prng();
      const u2 = prng();
      const r = Math.sqrt(-2 * Math.log(u1));
      spare = r * Math.sin(2 * Math.PI * u2);
      hasSpare = true;
      return r * Math.cos(2 * Math.PI * u2);
    },
  };
}
