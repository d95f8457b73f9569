/**
 * The law suite under vitest, split into PARTS files (properties/laws.<k>.test.ts) so that
 * `vitest --shard=i/n` spreads the laws over CI machines (vitest shards by file). Every
 * (law, optimizer, dtype) case lands in exactly one part, round-robin in catalogue order, so the
 * parts stay balanced and no case can be left out; test names are the stable case ids
 * ('G3 adam float64'). Seeds, runs and replay come from OPTIMLAB_SEED / OPTIMLAB_RUNS /
 * OPTIMLAB_REPLAY, and OPTIMLAB_LAWS selects laws (see properties/framework.ts); a failure prints
 * the shrunk counterexample and the line that replays it.
 */
import { describe, it } from 'vitest';
import { formatFailure, optionsFromEnv, runCase } from './framework.js';
import { selectCases } from './suite.js';
import { lawSuiteTitle } from './vitest-title.js';

export const PARTS = 4;

export function registerLawTests(part: number): void {
  const opts = optionsFromEnv();
  const all = selectCases({ ...(opts.laws ? { laws: opts.laws } : {}) });
  if (opts.replayId && !all.some((c) => c.id === opts.replayId)) {
    throw new RangeError(`OPTIMLAB_REPLAY names no case: '${opts.replayId}'`);
  }
  const mine = all.filter((c, i) => i % PARTS === part - 1 && (!opts.replayId || c.id === opts.replayId));
  describe(lawSuiteTitle(part, PARTS), () => {
    if (mine.length === 0) it.skip(`replaying ${opts.replayId ?? ''}: in another part`, () => {});
    for (const c of mine) {
      it(c.id, () => {
        const r = runCase(c, opts);
        if (r.status === 'fail') throw new Error(formatFailure(r));
      });
    }
  });
}
