/**
 * Lion's decimal reference (Chen et al. 2023, Algorithm 2; the formula in ./optimizer.ts), in the
 * exact arithmetic of 'optimlab/reference': every value is exact (50 digits) and carries the error
 * scale a floating-point implementation is judged against.
 *
 * The bound (units of u, float64), counted for the kernel's evaluation order (optimizer.ts) by the
 * rules of docs/adding-an-optimizer.md: g̃ = s·g + λθ 2 (λθ, +); 1 − β 1; (1 − β1)·g̃ 4; β1·m 1;
 * c = β1·m + (1 − β1)·g̃ 5, and m likewise 5. sign(c) is exact wherever c is farther from 0 than its
 * error (elsewhere the value is not judged: the reference's sign() carries c's relative uncertainty);
 * η·sign(c) is exact (η times ±1); κ = 1 − ηλ 2, κθ 3, κθ − η·sign 4. Worst: m, 5.
 */
import { add, defineReference, exact, leaf, mul, options, sign, sub } from 'optimlab/reference';
import { lion } from './optimizer.js';

export const reference = defineReference(lion, {
  source: 'Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms", Algorithm 2',
  perElement: (h) => {
    const o = options(h);
    const b1 = leaf(h.beta1);
    const b2 = leaf(h.beta2);
    const omb1 = sub(exact(1), b1);
    const omb2 = sub(exact(1), b2);
    return (theta, g, b) => {
      const gt = o.grad(g, theta);
      const c = add(mul(b1, b.m!), mul(omb1, gt));
      const m = add(mul(b2, b.m!), mul(omb2, gt));
      return { theta: o.apply(theta, mul(o.eta, sign(c))), b: { m } };
    };
  },
  bound: {
    float64: 5,
    why: 'g̃ 2; (1 − β)·g̃ 4; c = β1·m + (1 − β1)·g̃ 5 (sign(c) exact where c is decided); m 5; η·sign(c) exact; κθ 3, κθ − η·sign(c) 4',
  },
});
