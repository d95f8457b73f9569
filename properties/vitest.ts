/**
 * The law suite under vitest, split into PARTS files (properties/laws.<k>.test.ts) so that
 * `vitest --shard=i/n` spreads the laws over CI machines (vitest shards by file). Every
 * (law, optimizer, dtype) case lands in exactly one part, round-robin in catalogue order, so the
 * parts stay balanced and no case can be left out; test names are the stable case ids
 * ('G3 adam float64'). Seeds, runs and replay come from OPTIMLAB_SEED / OPTIMLAB_RUNS /
 * OPTIMLAB_REPLAY, and OPTIMLAB_LAWS selects laws (see properties/framework.ts); a failure prints
 * the shrunk counterexample and the line that replays it.
 *
 * The suite runs once per engine (properties/engines.ts): laws.<k>.test.ts under the JS engine,
 * laws.wasm.<k>.test.ts under the wasm engine, with the same case ids and seeds; OPTIMLAB_ENGINE
 * selects one.
 */
import { describe, it } from 'vitest';
import { enginesFromEnv, placementOn, type EngineName } from './engines.js';
import { formatFailure, optionsFromEnv, runCase } from './framework.js';
import { selectCases } from './suite.js';
import { lawSuiteTitle } from './vitest-title.js';

export const PARTS = 4;

export function registerLawTests(part: number, engine: EngineName = 'js'): void {
  const opts = optionsFromEnv();
  const title = lawSuiteTitle(part, PARTS, engine);
  if (!enginesFromEnv().includes(engine)) {
    describe.skip(title, () => {
      it(`OPTIMLAB_ENGINE = ${process.env.OPTIMLAB_ENGINE}`, () => {});
    });
    return;
  }
  const all = selectCases({ ...(opts.laws ? { laws: opts.laws } : {}), placement: placementOn(engine) });
  if (opts.replayId && !all.some((c) => c.id === opts.replayId)) {
    throw new RangeError(`OPTIMLAB_REPLAY names no case: '${opts.replayId}'`);
  }
  const mine = all.filter((c, i) => i % PARTS === part - 1 && (!opts.replayId || c.id === opts.replayId));
  describe(title, () => {
    if (mine.length === 0) it.skip(`replaying ${opts.replayId ?? ''}: in another part`, () => {});
    for (const c of mine) {
      it(c.id, () => {
        const r = runCase(c, opts);
        if (r.status === 'fail') {
          throw new Error(
            engine === 'js'
              ? formatFailure(r)
              : `on the ${engine} engine (replay with OPTIMLAB_ENGINE=${engine}): ${formatFailure(r)}`,
          );
        }
      });
    }
  });
}
