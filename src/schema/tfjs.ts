/**
 * 'optimlab.tfjs/1': what `optimlab verify --tfjs --json` writes (properties/tfjs.ts tfjsDocument)
 * and the report reads: the law suite on TensorFlow.js's optimizers (a verify document of the
 * tf.train entries), and the findings that explain its failures, each measured again with exact
 * values (docs/adapters.md).
 */
import { arr, nullable, num, obj, oneOf, optional, str, type Infer } from './check.js';
import { name, verifyDoc } from './verify.js';

export const TFJS_SCHEMA = 'optimlab.tfjs/1' as const;

const text = (max = 20_000): ReturnType<typeof str> => str({ max });

/** One finding: what TF.js does differently, why, its measurement, and the law cells it explains. */
export const findingShape = {
  /** 'T1', 'T2', … */
  id: name(20),
  title: text(2000),
  kind: oneOf('TF.js bug', 'TF.js behaviour', 'optimlab profile'),
  explanation: text(),
  /** The condition a failing case's counterexample satisfies when this finding explains it. */
  condition: text(2000),
  /** Case ids ('B1 tfjs-adam float32') of this run that it explains. */
  cells: arr(name(), { max: 10_000 }),
  /** Measured now: the call, the inputs, TF.js's numbers and the reference's exact ones. */
  example: nullable(
    obj({
      call: text(2000),
      inputs: text(2000),
      tfjs: text(),
      reference: text(),
      /** K against the reference (units of u32) and the bound it is judged by; null where K is infinite (a NaN). */
      k: optional(nullable(num({ min: 0 }))),
      bound: optional(num({ min: 0 })),
      note: optional(text()),
    }),
  ),
};
export const finding = obj(findingShape);
export type Finding = Infer<typeof finding>;

export const tfjsDoc = obj({
  schema: oneOf(TFJS_SCHEMA),
  createdAt: str({ max: 100 }),
  /** tfjs-core's version and the backend the optimizers ran on. */
  tfjs: name(),
  backend: oneOf('cpu'),
  /** The law suite on the tf.train entries (and any --module entries run with them). */
  verify: verifyDoc,
  findings: arr(finding, { max: 1000 }),
  /** Failing case ids no finding explains (to investigate). */
  unexplained: arr(name(), { max: 10_000 }),
});
export type TfjsDoc = Infer<typeof tfjsDoc>;
