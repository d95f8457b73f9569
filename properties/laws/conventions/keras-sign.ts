/**
 * V2: Keras's sign form of momentum (m = −v).
 * A family of the laws of convention (docs/conventions.md); the helpers they share are in
 * properties/laws/internal.ts.
 */
import fc from 'fast-check';
import { CTOR } from '../../arbitraries.js';
import { must, selects, type Law } from '../../framework.js';
import { run, bitsEqual, trajectoryArb, hyperConv } from '../internal.js';

/**
 * V2. Keras SGD(momentum): m = γm − ηg, θ ← θ + m (nesterov: θ ← θ + γm − ηg), written out here,
 * evaluated like the core (double, stored to the dtype). Rounding to nearest is symmetric
 * (fl(−x) = −fl(x)), so m_t = −v_t and θ agree bit for bit (+0 and −0 count equal: 0 − 0 = +0).
 */
const V2: Law = {
  id: 'V2',
  title:
    "Keras's sign form m = γm − ηg, θ ← θ + m (nesterov θ ← θ + γm − ηg) equals lrPlacement 'inside' bit for bit with the buffer negated (m = −v)",
  tolerance: 'bit for bit, +0 and −0 equal: rounding to nearest is symmetric (fl(−x) = −fl(x))',
  appliesTo: selects(
    "convention option 'lrPlacement' and a hyperparameter 'momentum'",
    (e) => 'lrPlacement' in e.conventions && 'momentum' in e.hyper,
  ),
  runs: 40,
  property: (entry, dtype) =>
    fc.property(
      hyperConv(
        entry,
        { weightDecay: 0, decoupledWeightDecay: 0, maximize: false },
        { lrPlacement: 'inside', ...('dampening' in entry.conventions ? { dampening: 0 } : {}) },
      ),
      trajectoryArb(dtype),
      ({ hyper, conventions }, c) => {
        const core = run(entry, hyper, conventions, dtype, c.p, c.grads);
        const round = dtype === 'float32' ? Math.fround : (x: number) => x;
        const lr = hyper.lr as number;
        const gamma = hyper.momentum as number;
        const nesterovForm = entry.traits.velocity?.form === 'storedLookAhead';
        const th = c.p.slice();
        const m = new CTOR[dtype](th.length);
        for (const g of c.grads) {
          for (let i = 0; i < th.length; i++) {
            const mi = gamma * m[i]! - lr * g[i]!;
            m[i] = mi;
            th[i] = round(nesterovForm ? th[i]! + gamma * mi - lr * g[i]! : th[i]! + mi);
          }
        }
        must(bitsEqual(core.p, th), () => `θ: core ${Array.from(core.p)}, Keras form ${Array.from(th)}`);
        const v = core.state.buffers.v!;
        must(
          bitsEqual(
            v,
            m.map((x) => -x),
          ),
          () => `buffer: core v ${Array.from(v)}, Keras −m ${Array.from(m.map((x) => -x))}`,
        );
        return true;
      },
    ),
};

export const kerasSignLaws: Law[] = [V2];
