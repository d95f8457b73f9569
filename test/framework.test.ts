/**
 * The law framework itself: a failing law reports its shrunk counterexample, its seed and path,
 * and the printed replay line reproduces exactly that failure.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  caseSeed,
  cases,
  formatFailure,
  optionsFromEnv,
  runCase,
  type StandaloneLaw,
} from '../properties/framework.js';
import { selectCases } from '../properties/suite.js';

// A law that is false for x ≥ 1000: fast-check must find and shrink to exactly 1000.
const broken: StandaloneLaw = {
  id: 'T1',
  title: 'every integer is below 1000',
  subject: 'integers',
  runs: 200,
  property: () => fc.property(fc.integer({ min: 0, max: 1_000_000 }), (x) => x < 1000),
};

describe('law framework', () => {
  it('reports a failure with its shrunk counterexample and a replay line', () => {
    const [c] = cases([broken]);
    const r = runCase(c!, { seed: 7 });
    expect(r.status).toBe('fail');
    expect(r.counterexample).toBe('[1000]');
    expect(r.replay).toBe(`T1 integers@${caseSeed(7, 'T1 integers')}:${r.path}`);
    const msg = formatFailure(r);
    expect(msg).toContain('counterexample (shrunk): [1000]');
    expect(msg).toContain(`OPTIMLAB_REPLAY='${r.replay}'`);
  });

  it('replays a printed failure exactly, from the environment variable alone', () => {
    const [c] = cases([broken]);
    const first = runCase(c!, { seed: 12345 });
    const env = optionsFromEnv({ OPTIMLAB_REPLAY: first.replay! });
    expect(env.replayId).toBe('T1 integers');
    const again = runCase(c!, env);
    expect(again.status).toBe('fail');
    expect(again.counterexample).toBe(first.counterexample);
    expect(again.runs).toBe(1); // the path leads straight to the shrunk case
  });

  it('gives each case its own seed, stable for a run seed', () => {
    expect(caseSeed(1, 'B1 adam float64')).toBe(caseSeed(1, 'B1 adam float64'));
    expect(caseSeed(1, 'B1 adam float64')).not.toBe(caseSeed(1, 'B1 adam float32'));
    expect(caseSeed(1, 'B1 adam float64')).not.toBe(caseSeed(2, 'B1 adam float64'));
  });

  it('rejects malformed environment settings with the variable and the allowed values', () => {
    expect(() => optionsFromEnv({ OPTIMLAB_SEED: 'abc' })).toThrow(
      /OPTIMLAB_SEED = 'abc'; allowed: an integer or 'random'/,
    );
    expect(() => optionsFromEnv({ OPTIMLAB_RUNS: '0' })).toThrow(/OPTIMLAB_RUNS = '0'; allowed: an integer ≥ 1/);
    expect(() => optionsFromEnv({ OPTIMLAB_REPLAY: 'nope' })).toThrow(/OPTIMLAB_REPLAY = 'nope'/);
    expect(() => optionsFromEnv({ OPTIMLAB_LAWS: 'H;A' })).toThrow(
      /OPTIMLAB_LAWS = 'H;A'; allowed: comma-separated law IDs/,
    );
  });

  it('OPTIMLAB_LAWS selects laws by ID or family, as verify --laws does', () => {
    expect(optionsFromEnv({ OPTIMLAB_LAWS: 'H, A1,V4a' }).laws).toEqual(['H', 'A1', 'V4a']);
    const ids = selectCases({ laws: optionsFromEnv({ OPTIMLAB_LAWS: 'H,A1' }).laws! }).map((c) => c.law.id);
    expect(new Set(ids)).toEqual(new Set([...ids.filter((id) => id.startsWith('H')), 'A1']));
    expect(ids).toContain('H1');
    expect(ids).not.toContain('A2');
  });
});
