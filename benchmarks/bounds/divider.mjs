// The divide unit's bound for the wasm engine's Adam-family kernels (docs/wasm.md, "Speed: where the
// time goes"). A loop that does only one square root and one division per element,
// y[i] = c / (√x[i] + ε), as a JS loop (unrolled by four, as the core's copies are) and as an f64x2
// wasm loop (four vectors per iteration; built here with Binaryen from the text below), measured in
// one process beside the JS core's and the wasm engine's steps of the optimizers named: float64, the
// rounds interleaved, CPU time, medians. Prints M elements/s and wasm ÷ JS. Not part of npm test.
//   npm run build && node benchmarks/bounds/divider.mjs [n = 1e4] [optimizers = adam,nadam,amsgrad,rmsprop,adagrad,adamax]
import binaryen from 'binaryen';
import { createOptimizer, optimizerNames, wasmEngine } from '../../dist/src/index.js';

const n = Number(process.argv[2] ?? 1e4);
const names = (process.argv[3] ?? 'adam,nadam,amsgrad,rmsprop,adagrad,adamax').split(',');
const ROUNDS = 15;
const unknown = names.filter((x) => !optimizerNames.includes(x));
if (unknown.length) {
  console.error(`divider.mjs: optimizers = ${unknown.join(', ')}; allowed: ${optimizerNames.join(', ')}`);
  process.exit(2);
}
if (!(Number.isSafeInteger(n) && n >= 8 && n % 8 === 0)) {
  console.error(`divider.mjs: n = ${process.argv[2]}; allowed: a multiple of 8, at least 8`);
  process.exit(2);
}

const lane = (offset) =>
  `(v128.store offset=${offset} (i32.add (local.get $q) (local.get $i))
     (f64x2.div (local.get $cv) (f64x2.add (f64x2.sqrt (v128.load offset=${offset} (i32.add (local.get $p) (local.get $i)))) (local.get $ev))))`;
// $p, $q: byte offsets of x and y; $n: elements (a multiple of 8).
const wat = `(module
  (memory (export "memory") ${Math.ceil((16 * n) / 65536) + 1})
  (func (export "sqrtDiv") (param $p i32) (param $q i32) (param $n i32) (param $c f64) (param $e f64)
    (local $i i32) (local $end i32) (local $cv v128) (local $ev v128)
    (local.set $cv (f64x2.splat (local.get $c)))
    (local.set $ev (f64x2.splat (local.get $e)))
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
      ${[0, 16, 32, 48].map(lane).join('\n      ')}
      (local.set $i (i32.add (local.get $i) (i32.const 64)))
      (br $next)))))`;
const module = binaryen.parseText(wat);
module.setFeatures(binaryen.Features.All);
if (!module.validate()) throw new Error('divider.mjs: the wasm text does not validate');
const { instance } = await WebAssembly.instantiate(module.emitBinary());
const { sqrtDiv, memory } = instance.exports;

const x = new Float64Array(memory.buffer, 0, n);
const xs = new Float64Array(n);
const ys = new Float64Array(n);
for (let i = 0; i < n; i++) xs[i] = x[i] = 1e-6 * (1 + (i % 97));
function sqrtDivJs(p, q, c, e) {
  let i = 0;
  for (; i <= p.length - 4; i += 4) {
    q[i] = c / (Math.sqrt(p[i]) + e);
    q[i + 1] = c / (Math.sqrt(p[i + 1]) + e);
    q[i + 2] = c / (Math.sqrt(p[i + 2]) + e);
    q[i + 3] = c / (Math.sqrt(p[i + 3]) + e);
  }
  for (; i < p.length; i++) q[i] = c / (Math.sqrt(p[i]) + e);
}

/** name → [the JS step, the wasm step] */
const cases = new Map([
  ['√ and ÷ only', [() => sqrtDivJs(xs, ys, 1e-3, 1e-8), () => sqrtDiv(0, n * 8, n, 1e-3, 1e-8)]],
]);
const engine = await wasmEngine({ initialBytes: 64 * n * 8 + (16 << 20) });
for (const name of names) {
  const onWasm = createOptimizer(name, {}, { engine });
  const onJs = createOptimizer(name, {});
  const [pw, gw, sw] = [engine.alloc(n, 'float64'), engine.alloc(n, 'float64'), onWasm.init(n, 'float64')];
  const [pj, gj, sj] = [new Float64Array(n), new Float64Array(n), onJs.init(n, 'float64')];
  for (let i = 0; i < n; i++) {
    pj[i] = pw[i] = Math.sin(i);
    gj[i] = gw[i] = 1e-3 * Math.cos(1.3 * i);
  }
  cases.set(name, [() => onJs.step(pj, gj, sj), () => onWasm.step(pw, gw, sw)]);
}

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const reps = Math.max(4, Math.round(4e6 / n));
const seconds = (f) => {
  const t = cpu();
  for (let r = 0; r < reps; r++) f();
  return (cpu() - t) / reps;
};
const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
for (const [js, wasm] of cases.values()) for (let w = 0; w < 50; w++) (js(), wasm());
const times = new Map([...cases.keys()].map((k) => [k, { js: [], wasm: [], ratio: [] }]));
for (let r = 0; r < ROUNDS; r++)
  for (const [k, [js, wasm]] of cases) {
    const [a, b] = [seconds(js), seconds(wasm)];
    const t = times.get(k);
    t.js.push(a);
    t.wasm.push(b);
    t.ratio.push(a / b);
  }
console.log(`n = ${n}, float64, ${ROUNDS} interleaved rounds, CPU time, medians (M elements/s)`);
for (const [k, t] of times)
  console.log(
    `${k.padEnd(14)} JS ${(n / median(t.js) / 1e6).toFixed(0).padStart(5)}   wasm ${(n / median(t.wasm) / 1e6)
      .toFixed(0)
      .padStart(
        5,
      )}   wasm ÷ JS ${median(t.ratio).toFixed(2)} (${Math.min(...t.ratio).toFixed(2)}–${Math.max(...t.ratio).toFixed(2)})`,
  );
