// Part 4 of the law suite (see properties/vitest.ts: the parts let `vitest --shard` split the laws).
import { registerLawTests } from './vitest.js';

registerLawTests(4);
