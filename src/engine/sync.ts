/**
 * A wasm engine made synchronously, for code that cannot wait (the law suite builds its cases
 * synchronously). It loads the generated kernels when this module is imported; everything else
 * should use `await wasmEngine()` (src/engine/wasm.ts), which loads them on first use.
 */
import * as generated from './kernels.generated.js';
import { createEngine, type WasmEngine, type WasmEngineOptions } from './wasm.js';

export function wasmEngineSync(options: WasmEngineOptions = {}): WasmEngine {
  return createEngine(generated, options);
}
