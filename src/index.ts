/**
 * optimlab: the public API.
 */
export type { Dtype, Vec, Hyper, HyperValue, OptimizerState, Optimizer, HyperSpec, NumberSpec, BooleanSpec, ChoiceSpec, Traits } from './optimizers/types.js';
export { defineOptimizer, type OptimizerDefinition, type OptimizerEntry } from './optimizers/define.js';
export { registry, optimizerNames, getOptimizer, createOptimizer, type OptimizerName } from './optimizers/registry.js';
export { serializeState, restoreState, cloneState, type SerializedState } from './optimizers/state.js';
export { oneMinusPow } from './optimizers/bias.js';
export { sgd } from './optimizers/sgd.js';
export { momentum } from './optimizers/momentum.js';
export { nesterov } from './optimizers/nesterov.js';
export { adagrad } from './optimizers/adagrad.js';
export { adadelta } from './optimizers/adadelta.js';
export { rmsprop } from './optimizers/rmsprop.js';
export { adam } from './optimizers/adam.js';
export { adamax } from './optimizers/adamax.js';
export { nadam } from './optimizers/nadam.js';
export { amsgrad } from './optimizers/amsgrad.js';
