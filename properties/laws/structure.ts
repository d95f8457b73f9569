/**
 * G: laws every optimizer obeys (DESIGN.md, "The laws", G).
 */
import fc from 'fast-check';
import { cloneState } from '../../src/optimizers/state.js';
import { replayHistory, stepCase } from '../arbitraries.js';
import { mustBeSameBits, type Law } from '../framework.js';

/** G3: the same inputs give the same bits, every time. */
export const G3: Law = {
  id: 'G3',
  title: 'determinism: the same hyperparameters, state, params and gradient give bit-identical results',
  runs: 50,
  property: (entry, dtype) =>
    fc.property(stepCase(entry, dtype), (c) => {
      const a = replayHistory(entry, dtype, c);
      const b = replayHistory(entry, dtype, c);
      const pa = c.params.slice();
      const pb = c.params.slice();
      const sb = cloneState(b.state);
      a.opt.step(pa, c.grad, a.state);
      b.opt.step(pb, c.grad, sb);
      mustBeSameBits('params', pa, pb);
      for (const k of entry.buffers) mustBeSameBits(`state.${k}`, a.state.buffers[k]!, sb.buffers[k]!);
      return true;
    }),
};

export const structureLaws: Law[] = [G3];
