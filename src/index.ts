/**
 * optimlab: the public API.
 */
export type {
  Dtype,
  Vec,
  Hyper,
  HyperValue,
  OptimizerState,
  Optimizer,
  HyperSpec,
  NumberSpec,
  BooleanSpec,
  ChoiceSpec,
  Traits,
} from './optimizers/types.js';
export { defineOptimizer, type OptimizerDefinition, type OptimizerEntry } from './optimizers/define.js';
// For maintainers writing their own optimizer (docs/adding-an-optimizer.md): the hyperparameter
// specs the built-ins use, the options every optimizer shares, and the kernel's parameter types.
export {
  lr,
  decay,
  eps,
  choice,
  nonneg,
  weightDecay,
  decoupledWeightDecay,
  maximize,
  decayedRate,
} from './optimizers/hyper.js';
export { commonSpecs, crossCommon, type CommonHyper } from './optimizers/common.js';
export type { Elements, Limits } from './optimizers/kernel.js';
export { defineStepOptimizer, type StepOptimizerDefinition, type StepFunction } from './adapters/step.js';
export {
  registry,
  optimizerNames,
  getOptimizer,
  createOptimizer,
  resolveCreate,
  type OptimizerName,
  type CreateOptions,
} from './optimizers/registry.js';
export {
  profiles,
  profileNames,
  getProfile,
  profileApi,
  type Profile,
  type ProfileApi,
  type ProfileName,
} from './optimizers/conventions.js';
export { serializeState, restoreState, cloneState, type SerializedState } from './optimizers/state.js';
export { oneMinusPow } from './optimizers/bias.js';
export { wasmEngine, WasmEngine, type WasmEngineOptions } from './engine/wasm.js';
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
export * from './objectives/index.js';
export {
  numericGradient,
  gradientCheck,
  relativeErrors,
  type GradientCheck,
  type GradientCheckOptions,
  type NumericGradientOptions,
  type DiffMethod,
  type ScalarFunction,
} from './gradient/index.js';
export {
  makeBlobs,
  addBias,
  fisherYates,
  permutation,
  epochShuffle,
  trainTestSplit,
  gatherRows,
  type Blobs,
  type BlobsOptions,
  type Split,
} from './data/datasets.js';
export { makeRng, type Rng } from './data/random.js';
export {
  train,
  DivergenceError,
  parallelBatch,
  checkSchedule,
  scheduledRate,
  type Schedule,
  type TrainOptions,
  type TrainResult,
  type StopReason,
} from './train/index.js';
