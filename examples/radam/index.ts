/** The module `optimlab verify --module` / `bench --module` load: the optimizer and its reference. */
export { radam as optimizer } from './optimizer.js';
export { reference } from './reference.js';
