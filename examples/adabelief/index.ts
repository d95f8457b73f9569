/** The module `optimlab verify --module` / `bench --module` load: the optimizer and its reference. */
export { adabelief as optimizer } from './optimizer.js';
export { reference } from './reference.js';
