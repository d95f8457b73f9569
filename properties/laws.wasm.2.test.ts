// Part 2 of the law suite under the wasm engine (properties/engines.ts, properties/vitest.ts).
import { registerLawTests } from './vitest.js';

registerLawTests(2, 'wasm');
