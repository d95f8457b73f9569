/**
 * The statistical laws can fail: each test battery of R1, R2 and H8 rejects, at the laws' α,
 * generators with the defects it is aimed at, while still permutations, still seeded, still
 * different each epoch. (The broken generators live here only, as inputs to the batteries.)
 */
import { describe, expect, it } from 'vitest';
import { epochShuffle, fisherYates } from '../src/data/datasets.js';
import { makeRng } from '../src/data/random.js';
import { ALPHA, normalTests, shuffleTests } from '../properties/laws/randomness.js';
import { noiseTests } from '../properties/laws/training.js';
import { rejected } from '../properties/stats.js';

const identity = (n: number): Uint32Array => Uint32Array.from({ length: n }, (_, i) => i);
/** A seeded shuffle with a broken swap index j(i, u). */
const brokenFY =
  (j: (i: number, u: number, n: number) => number, last = 1) =>
  (n: number, seed: number, epoch: number): Uint32Array => {
    const a = identity(n);
    const rng = makeRng(seed, `epoch:${epoch}`);
    for (let i = n - 1; i >= last; i--) {
      const k = j(i, rng.uniform(), n);
      const t = a[i]!;
      a[i] = a[k]!;
      a[k] = t;
    }
    return a;
  };

const SHUFFLES: Record<string, (n: number, seed: number, epoch: number) => ArrayLike<number>> = {
  "Sattolo's algorithm (j < i: only cyclic orders)": brokenFY((i, u) => Math.floor(u * i)),
  'naive swap (j uniform over all n)': brokenFY((_i, u, n) => Math.floor(u * n)),
  'the last swap skipped (i > 1)': brokenFY((i, u) => Math.floor(u * (i + 1)), 2),
  'rounded index (Math.round(u·i))': brokenFY((i, u) => Math.round(u * i)),
  'odd epochs reverse the even ones (each uniform, never equal)': (n, s, e) =>
    e % 2 ? Array.from(epochShuffle(n, s, e - 1)).reverse() : epochShuffle(n, s, e),
  'the epoch taken modulo 64': (n, s, e) => epochShuffle(n, s, e % 64),
};

/** Box–Muller from a seeded uniform, with the pair (first, second) from (r, θ, u1, u2, u3). */
const boxMuller =
  (
    second: (r: number, th: number, u1: number, u2: number, u3: number) => number,
    radius = (u: number) => Math.sqrt(-2 * Math.log(u)),
  ) =>
  () => {
    const rng = makeRng(7, 'broken');
    let spare: number | undefined;
    return () => {
      if (spare !== undefined) {
        const s = spare;
        spare = undefined;
        return s;
      }
      const u1 = 1 - rng.uniform();
      const u2 = rng.uniform();
      const r = radius(u1);
      spare = second(r, 2 * Math.PI * u2, u1, u2, rng.uniform());
      return r * Math.cos(2 * Math.PI * u2);
    };
  };

const NORMALS: Record<string, () => () => number> = {
  'second = first (cos twice)': boxMuller((r, th) => r * Math.cos(th)),
  'second from half the angle (sin(πu2) ≥ 0)': boxMuller((r, _th, _u1, u2) => r * Math.sin(Math.PI * u2)),
  'second without its radius': boxMuller((_r, th) => Math.sin(th)),
  'second with the same radius and its own angle': boxMuller((r, _th, _u1, _u2, u3) => r * Math.sin(2 * Math.PI * u3)),
  'radius √(−ln u) (variance 1/2)': boxMuller(
    (r, th) => r * Math.sin(th),
    (u) => Math.sqrt(-Math.log(u)),
  ),
};

/** Noise as train would add it with a broken σ_t or draw: gradients g[t][j] for T = 64, D = 2048 (as H8). */
function noise(
  sigma: (t: number) => number,
  draw: (rng: ReturnType<typeof makeRng>, t: number, j: number) => number,
): Float64Array[] {
  const rng = makeRng(3, 'gradient-noise');
  return Array.from({ length: 64 }, (_, t) =>
    Float64Array.from({ length: 2048 }, (_, j) => sigma(t) * draw(rng, t, j)),
  );
}
const fresh = (rng: ReturnType<typeof makeRng>): number => rng.normal();
let shared = 0;
const perStep = (rng: ReturnType<typeof makeRng>, _t: number, j: number): number =>
  j === 0 ? (shared = rng.normal()) : shared;
let frozen: number[] = [];
const once = (rng: ReturnType<typeof makeRng>, t: number, j: number): number =>
  t === 0 ? (frozen[j] = rng.normal()) : frozen[j]!;

describe('the statistical laws reject the defects they are aimed at (α = 1e-6 per test)', () => {
  it('R1 passes the real shuffle', () => {
    expect(
      rejected(
        shuffleTests((n, s, e) => epochShuffle(n, s, e), 11),
        ALPHA,
      ),
    ).toEqual([]);
    expect(fisherYates(identity(3), () => 0.5)).toEqual(Uint32Array.of(0, 2, 1));
  });
  for (const [defect, shuffle] of Object.entries(SHUFFLES)) {
    it(`R1 rejects a shuffle with ${defect}`, () => {
      expect(rejected(shuffleTests(shuffle, 11), ALPHA).length).toBeGreaterThan(0);
    });
  }
  it('R2 passes the real normal generator', () => {
    const rng = makeRng(7, 'ok');
    expect(
      rejected(
        normalTests(() => rng.normal()),
        ALPHA,
      ),
    ).toEqual([]);
  });
  for (const [defect, gen] of Object.entries(NORMALS)) {
    it(`R2 rejects a normal generator whose ${defect}`, () => {
      expect(rejected(normalTests(gen()), ALPHA).length).toBeGreaterThan(0);
    });
  }
  const eta = 0.3;
  const gamma = 0.55;
  const sd = (t: number): number => Math.sqrt(eta / (1 + t) ** gamma);
  it('H8 passes noise of variance η/(1 + t)^γ', () => {
    expect(rejected(noiseTests(noise(sd, fresh), eta, gamma), ALPHA)).toEqual([]);
  });
  const NOISE: Record<string, Float64Array[]> = {
    'variance used as the standard deviation': noise((t) => eta / (1 + t) ** gamma, fresh),
    'a step count off by one (t from 1)': noise((t) => sd(t + 1), fresh),
    'γ = 1 instead of 0.55': noise((t) => Math.sqrt(eta / (1 + t)), fresh),
    'one draw shared by every coordinate of a step': noise(sd, perStep),
    'the draws of the first step reused': noise(sd, once),
  };
  for (const [defect, g] of Object.entries(NOISE)) {
    it(`H8 rejects gradient noise with ${defect}`, () => {
      expect(rejected(noiseTests(g, eta, gamma), ALPHA).length).toBeGreaterThan(0);
    });
  }
});
