// Part 3 of the law suite under the wasm engine (properties/engines.ts, properties/vitest.ts).
import { registerLawTests } from './vitest.js';

registerLawTests(3, 'wasm');
