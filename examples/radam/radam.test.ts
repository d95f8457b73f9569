/** RAdam under the kit, in the maintainer's own vitest: every law its traits select, with its reference. */
import { describe, it } from 'vitest';
import { lawTests } from 'optimlab/laws';
import { radam } from './optimizer.js';
import { reference } from './reference.js';

lawTests(radam, { describe, it }, { reference });
