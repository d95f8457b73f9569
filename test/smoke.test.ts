import { describe, expect, it } from 'vitest';
import { createOptimizer, registry } from '../src/index.js';

describe('registry', () => {
  it('lists the ten built-in optimizers', () => {
    expect(registry.map((e) => e.name)).toEqual([
      'sgd',
      'momentum',
      'nesterov',
      'adagrad',
      'adadelta',
      'rmsprop',
      'adam',
      'adamax',
      'nadam',
      'amsgrad',
    ]);
  });
  it('builds every optimizer with its defaults', () => {
    for (const e of registry) expect(createOptimizer(e.name).hyper).toEqual(e.defaults);
  });
});
