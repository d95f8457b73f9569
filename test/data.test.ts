/**
 * src/data from its definitions: makeBlobs (make_blobs' description: centres uniform in the box,
 * ⌊N/k⌋ points per centre with the remainder one each to the first centres, centre + std·N(0, I),
 * then an optional shuffle of whole rows), the bias column, the split's sizes, gatherRows, and the
 * seeded generator (seedrandom's ARC4 keyed by `seed` or `seed/stream`; Box–Muller pairs). Every
 * bad input is named with its value and what is allowed. (The distributions themselves are the
 * statistical laws R1, R2 and H8.)
 */
import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import {
  addBias,
  epochShuffle,
  fisherYates,
  gatherRows,
  makeBlobs,
  permutation,
  trainTestSplit,
} from '../src/data/datasets.js';
import { checkSeed, makeRng } from '../src/data/random.js';

const rows = (X: Float64Array, d: number): number[][] =>
  Array.from({ length: X.length / d }, (_, i) => Array.from(X.subarray(i * d, (i + 1) * d)));

describe('makeBlobs', () => {
  const centers = [
    [1, 2],
    [-3, 4],
    [5, -6],
  ];
  it('std = 0 and no shuffle: blob by blob, ⌊N/k⌋ + (c < N mod k) rows of each centre, each row its centre', () => {
    const b = makeBlobs({ samples: 11, centers, std: 0, shuffle: false, seed: 3 });
    expect(b.samples).toBe(11);
    expect(b.features).toBe(2);
    expect(Array.from(b.y)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2]);
    expect(rows(b.X, 2)).toEqual(Array.from(b.y, (c) => centers[c]));
    expect(Array.from(b.centers)).toEqual(centers.flat());
    // Every remainder N mod k = 0, 1, 2: the first N mod k centres get one row more.
    for (const [N, counts] of [
      [9, [3, 3, 3]],
      [10, [4, 3, 3]],
      [12, [4, 4, 4]],
      [14, [5, 5, 4]],
    ] as const) {
      const y = Array.from(makeBlobs({ samples: N, centers, std: 0, shuffle: false, seed: 3 }).y);
      expect(y, `N = ${N}`).toEqual(counts.flatMap((n, c) => Array.from({ length: n }, () => c)));
    }
  });
  it('the shuffle (default on) permutes whole rows of the unshuffled set, labels with them', () => {
    const plain = makeBlobs({ samples: 40, centers, std: 0.5, shuffle: false, seed: 9 });
    const mixed = makeBlobs({ samples: 40, centers, std: 0.5, seed: 9 });
    const key = (b: typeof plain): string[] => rows(b.X, 2).map((r, i) => `${b.y[i]}:${r.join(',')}`);
    expect(key(mixed)).not.toEqual(key(plain));
    expect([...key(mixed)].sort()).toEqual([...key(plain)].sort());
    expect(makeBlobs({ samples: 40, centers, std: 0.5, shuffle: true, seed: 9 }).X).toEqual(mixed.X);
  });
  it('each blob is centre + std·N(0, I): per-coordinate mean and spread within 6 standard errors (N = 4000)', () => {
    for (const std of [0.25, 3]) {
      const b = makeBlobs({ samples: 4000, centers: [[10, -10]], std, shuffle: false, seed: 21 });
      for (let j = 0; j < 2; j++) {
        const dev = rows(b.X, 2).map((r) => (r[j]! - [10, -10][j]!) / std);
        const mean = dev.reduce((a, v) => a + v, 0) / dev.length;
        const sd = Math.sqrt(dev.reduce((a, v) => a + (v - mean) ** 2, 0) / (dev.length - 1));
        // standard errors: mean 1/√N = 0.016, sd 1/√(2N) = 0.011 (normal data).
        expect(Math.abs(mean)).toBeLessThan(6 / Math.sqrt(4000));
        expect(Math.abs(sd - 1)).toBeLessThan(6 / Math.sqrt(8000));
      }
    }
    // std defaults to 1: the same set as std = 1.
    expect(makeBlobs({ samples: 30, seed: 4 }).X).toEqual(makeBlobs({ samples: 30, std: 1, seed: 4 }).X);
  });
  it('random centres are uniform in centerBox (default [−10, 10]); features and centres default to 2', () => {
    const b = makeBlobs({ samples: 400, centers: 200, features: 1, centerBox: [5, 6], seed: 2 });
    const c = Array.from(b.centers);
    expect(c.length).toBe(200);
    expect(Math.min(...c)).toBeGreaterThanOrEqual(5);
    expect(Math.max(...c)).toBeLessThan(6);
    // 200 uniform draws: the extremes lie within 0.05 of the ends except with probability 2·0.95^200 < 1e-4.
    expect(Math.min(...c)).toBeLessThan(5.05);
    expect(Math.max(...c)).toBeGreaterThan(5.95);
    const mean = c.reduce((a, v) => a + v, 0) / c.length;
    expect(Math.abs(mean - 5.5)).toBeLessThan(6 * Math.sqrt(1 / 12 / 200));
    const neg = makeBlobs({
      samples: 50,
      centers: 6,
      features: 3,
      centerBox: [-7, -6],
      std: 0,
      shuffle: false,
      seed: 1,
    });
    expect(neg.centers.length).toBe(18);
    expect(Array.from(neg.centers).every((v) => v >= -7 && v < -6)).toBe(true);
    const dflt = makeBlobs({ samples: 10, seed: 8 });
    expect(dflt.features).toBe(2);
    expect(dflt.centers.length).toBe(4);
    expect(Array.from(dflt.centers).every((v) => v >= -10 && v < 10)).toBe(true);
    expect(new Set(dflt.y)).toEqual(new Set([0, 1]));
  });
  it('rejects bad options, naming the parameter, its value and what is allowed', () => {
    const bad: [unknown, RegExp][] = [
      [null, /^makeBlobs: options must be an object/],
      [7, /^makeBlobs: options must be an object/],
      [{ samples: 0, seed: 1 }, /^makeBlobs: samples = 0; allowed: an integer ≥ 1$/],
      [{ samples: 5, seed: '' }, /^makeBlobs: seed = ; allowed: a safe integer or a non-empty string$/],
      [{ samples: 5, seed: 1, std: -1 }, /^makeBlobs: std = -1; allowed: 0 ≤ std ≤ 1e\+150, finite$/],
      [
        { samples: 5, seed: 1, centerBox: [NaN, 1] },
        /^makeBlobs: centerBox\[0\] = NaN; allowed: -1e\+150 ≤ centerBox\[0\] ≤ 1e\+150/,
      ],
      [
        { samples: 5, seed: 1, centerBox: [2, 1] },
        /^makeBlobs: centerBox\[1\] = 1; allowed: 2 ≤ centerBox\[1\] ≤ 1e\+150/,
      ],
      [{ samples: 5, seed: 1, centers: [] }, /^makeBlobs: centers.length = 0; allowed: an integer ≥ 1$/],
      [{ samples: 5, seed: 1, centers: [[]] }, /^makeBlobs: centers\[0\].length = 0; allowed: an integer ≥ 1$/],
      [
        { samples: 5, seed: 1, centers: [[1, 2]], features: 3 },
        /^makeBlobs: features = 3 but the centres have 2 coordinates$/,
      ],
      [{ samples: 5, seed: 1, centers: [[1, 2], [3]] }, /^makeBlobs: centers\[1\].length = 1; allowed: 2$/],
      [
        {
          samples: 5,
          seed: 1,
          centers: [
            [1, 2],
            [3, Infinity],
          ],
        },
        /^makeBlobs: centers\[1\]\[1\] = Infinity; allowed: -1e\+150 ≤ centers\[1\]\[1\] ≤ 1e\+150/,
      ],
      [{ samples: 5, seed: 1, centers: 0 }, /^makeBlobs: centers = 0; allowed: an integer ≥ 1 and ≤ 5$/],
      [{ samples: 5, seed: 1, centers: 6 }, /^makeBlobs: centers = 6; allowed: an integer ≥ 1 and ≤ 5$/],
      [{ samples: 5, seed: 1, features: 0 }, /^makeBlobs: features = 0; allowed: an integer ≥ 1$/],
    ];
    for (const [o, msg] of bad)
      expect(() => makeBlobs(o as Parameters<typeof makeBlobs>[0]), JSON.stringify(o)).toThrow(msg);
    // The ends of the allowed ranges are allowed.
    expect(makeBlobs({ samples: 5, centers: 5, centerBox: [-1e150, 1e150], std: 0, seed: 1 }).samples).toBe(5);
    // Given centres, features may be stated when it is their number of coordinates.
    const stated = makeBlobs({
      samples: 4,
      centers: [
        [1, 2],
        [3, 4],
      ],
      features: 2,
      std: 0,
      shuffle: false,
      seed: 1,
    });
    expect([stated.features, Array.from(stated.X)]).toEqual([2, [1, 2, 1, 2, 3, 4, 3, 4]]);
  });
});

describe('addBias, gatherRows, trainTestSplit', () => {
  it('addBias appends a column of ones; rejects what is not N × features', () => {
    expect(addBias(Float64Array.of(1, 2, 3, 4, 5, 6), 3)).toEqual(Float64Array.of(1, 2, 3, 1, 4, 5, 6, 1));
    expect(addBias(new Float64Array(0), 2)).toEqual(new Float64Array(0));
    expect(() => addBias(Float64Array.of(1, 2, 3), 0)).toThrow(/^addBias: features = 0; allowed: an integer ≥ 1$/);
    expect(() => addBias(Float64Array.of(1, 2, 3), 2)).toThrow(
      /^addBias: X must be a Float64Array whose length is a multiple of features = 2$/,
    );
    expect(() => addBias([1, 2] as unknown as Float64Array, 2)).toThrow(/^addBias: X must be a Float64Array/);
  });
  it('gatherRows takes the rows idx in that order; an index past the end is named', () => {
    const data = { X: Float64Array.of(1, 2, 3, 4, 5, 6), y: Float64Array.of(10, 20, 30), features: 2 };
    const g = gatherRows(data, Uint32Array.of(2, 0, 2));
    expect(Array.from(g.X)).toEqual([5, 6, 1, 2, 5, 6]);
    expect(Array.from(g.y)).toEqual([30, 10, 30]);
    expect(() => gatherRows(data, Uint32Array.of(1, 3))).toThrow(/^gatherRows: idx\[1\] = 3; allowed: 0 ≤ index < 3$/);
  });
  it('trainTestSplit: ⌈n·f⌉ test rows, both parts non-empty, a partition', () => {
    for (const [n, f, nTest] of [
      [10, 0.25, 3],
      [10, 0.01, 1],
      [10, 0.99, 9],
      [2, 0.5, 1],
      [7, 0.5, 4],
    ] as const) {
      const s = trainTestSplit(n, f, 5);
      expect([s.test.length, s.train.length]).toEqual([nTest, n - nTest]);
      expect([...s.test, ...s.train].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    }
    expect(() => trainTestSplit(1, 0.5, 1)).toThrow(/^trainTestSplit: n = 1; allowed: an integer ≥ 2$/);
    expect(() => trainTestSplit(10, 0, 1)).toThrow(
      /^trainTestSplit: testFraction = 0; allowed: 0 < testFraction < 1, finite$/,
    );
    expect(() => trainTestSplit(10, 0.5, 0.5)).toThrow(/^permutation: seed = 0.5/);
  });
});

describe('permutation and the epoch shuffle', () => {
  it('fisherYates: with u = 0 every position swaps with the first, with u → 1 nothing moves', () => {
    expect(Array.from(fisherYates(Uint32Array.of(0, 1, 2, 3), () => 0))).toEqual([1, 2, 3, 0]);
    expect(Array.from(fisherYates(Uint32Array.of(0, 1, 2, 3), () => 1 - 2 ** -53))).toEqual([0, 1, 2, 3]);
    // Algorithm P draws once for each of the positions n − 1 … 1 (n − 1 draws; none for n ≤ 1).
    for (const n of [0, 1, 2, 6]) {
      let draws = 0;
      fisherYates(new Uint32Array(n), () => (draws++, 0.5));
      expect(draws).toBe(Math.max(0, n - 1));
    }
  });
  it('is the Fisher–Yates shuffle of 0 … n − 1 driven by the (seed, stream) generator; writes into out', () => {
    const rng = makeRng(4, 'x');
    const expected = fisherYates(
      Uint32Array.from({ length: 9 }, (_, i) => i),
      rng.uniform,
    );
    const out = new Uint32Array(9).fill(77);
    expect(permutation(9, 4, 'x', out)).toBe(out);
    expect(out).toEqual(expected);
    expect(epochShuffle(9, 4, 3)).toEqual(permutation(9, 4, 'epoch:3'));
    expect(permutation(0, 1)).toEqual(new Uint32Array(0));
    // No stream named: the seed's own generator, makeRng(seed) (the stream '').
    const own = makeRng(4);
    expect(permutation(9, 4)).toEqual(
      fisherYates(
        Uint32Array.from({ length: 9 }, (_, i) => i),
        own.uniform,
      ),
    );
  });
  it('rejects a bad n, seed, out or epoch', () => {
    expect(() => permutation(-1, 1)).toThrow(/^permutation: n = -1; allowed: an integer ≥ 0 and ≤ 4294967295$/);
    expect(() => permutation(2 ** 33, 1)).toThrow(
      /^permutation: n = 8589934592; allowed: an integer ≥ 0 and ≤ 4294967295$/,
    );
    expect(() => permutation(3, 1, '', new Uint32Array(4))).toThrow(
      /^permutation: out must be a Uint32Array of length n = 3$/,
    );
    expect(() => permutation(3, 1, '', new Float64Array(3) as unknown as Uint32Array)).toThrow(
      /^permutation: out must be a Uint32Array of length n = 3$/,
    );
    expect(() => epochShuffle(3, 1, -1)).toThrow(/^epochShuffle: epoch = -1; allowed: an integer ≥ 0$/);
  });
});

describe('makeRng', () => {
  it('is seedrandom keyed by `seed` (no stream) or `seed/stream`; int(n) = ⌊u·n⌋', () => {
    for (const [seed, stream, key] of [
      [42, '', '42'],
      ['abc', 'epoch:2', 'abc/epoch:2'],
      [0, 's', '0/s'],
    ] as const) {
      const ours = makeRng(seed, stream);
      const theirs = seedrandom(key);
      for (let i = 0; i < 5; i++) expect(ours.uniform()).toBe(theirs());
      const u = seedrandom(key);
      for (let i = 0; i < 5; i++) u();
      for (const n of [1, 7, 2 ** 32]) expect(ours.int(n)).toBe(Math.floor(u() * n));
    }
    expect(makeRng(42).uniform()).toBe(seedrandom('42')());
  });
  it('normal() is Box–Muller on consecutive uniforms: r = √(−2 ln(1 − u1)), θ = 2πu2, r·cos θ then r·sin θ', () => {
    for (const seed of [1, 2, 'z']) {
      const rng = makeRng(seed, 'n');
      const u = seedrandom(`${seed}/n`);
      for (let pair = 0; pair < 20; pair++) {
        const r = Math.sqrt(-2 * Math.log(1 - u()));
        const th = 2 * Math.PI * u();
        expect(rng.normal()).toBe(r * Math.cos(th));
        expect(rng.normal()).toBe(r * Math.sin(th));
      }
    }
  });
  it('checkSeed: a safe integer or a non-empty string', () => {
    for (const s of [0, -5, 2 ** 53 - 1, 'a']) expect(() => checkSeed('w', s)).not.toThrow();
    for (const [s, shown] of [
      [1.5, '1.5'],
      [2 ** 53, '9007199254740992'],
      [NaN, 'NaN'],
      ['', ''],
      [null, 'null'],
      [undefined, 'undefined'],
      [[1], '1'],
    ] as const) {
      expect(() => checkSeed('w', s), String(s)).toThrow(
        new TypeError(`w: seed = ${shown}; allowed: a safe integer or a non-empty string`),
      );
    }
    expect(() => makeRng(1.5)).toThrow(/^makeRng: seed = 1.5/);
  });
});
