/**
 * The law suite under vitest: one test per (law, optimizer, dtype) case, named by its stable id
 * ('G3 adam float64'). Seeds, runs and replay come from OPTIMLAB_SEED / OPTIMLAB_RUNS /
 * OPTIMLAB_REPLAY (see properties/framework.ts); a failure prints the shrunk counterexample and the
 * line that replays it.
 */
import { describe, it } from 'vitest';
import { cases, formatFailure, optionsFromEnv, runCase } from './framework.js';
import { allLaws } from './laws/index.js';

const opts = optionsFromEnv();
const all = cases(allLaws);
const selected = opts.replayId ? all.filter((c) => c.id === opts.replayId) : all;
if (opts.replayId && selected.length === 0) throw new RangeError(`OPTIMLAB_REPLAY names no case: '${opts.replayId}'`);

describe('laws', () => {
  for (const c of selected) {
    it(c.id, () => {
      const r = runCase(c, opts);
      if (r.status === 'fail') throw new Error(formatFailure(r));
    });
  }
});
