/**
 * `optimlab demo blobs`: the blobs experiment end to end (the set-up is src/demo/blobs.ts), then
 * gradient descent on the sigmoid/squared-error loss summed over the examples (as the seed),
 * printing the loss at epoch 1 and every 5 epochs like the seed, and a classification report on
 * the test half.
 *
 * One difference from the seed, on purpose: the seed's gradient lacks the factor 2 of d(e²)/de;
 * ours is the true gradient (src/objectives/linear.ts), so at the same η each step is twice the
 * seed's.
 */
import type { Command } from '../cli.js';
import { intValue, numberValue, parseOptions, shared } from './options.js';
import { BLOBS_DEMO, blobsPredict, blobsSetup } from '../demo/blobs.js';
import { createOptimizer, getOptimizer } from '../optimizers/registry.js';
import { DivergenceError, train } from '../train/index.js';

export interface ClassReport {
  label: number;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Precision, recall, F1 and support per class (scikit-learn's definitions; 0 where undefined). */
export function classificationReport(
  truth: Float64Array,
  pred: Float64Array,
  classes: readonly number[],
): { rows: ClassReport[]; accuracy: number } {
  if (truth.length !== pred.length)
    throw new RangeError(`classificationReport: ${truth.length} labels but ${pred.length} predictions`);
  let correct = 0;
  for (let i = 0; i < truth.length; i++) if (truth[i] === pred[i]) correct++;
  const rows = classes.map((c) => {
    let tp = 0,
      fp = 0,
      fn = 0;
    for (let i = 0; i < truth.length; i++) {
      if (pred[i] === c && truth[i] === c) tp++;
      else if (pred[i] === c) fp++;
      else if (truth[i] === c) fn++;
    }
    const precision = tp + fp ? tp / (tp + fp) : 0;
    const recall = tp + fn ? tp / (tp + fn) : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label: c, precision, recall, f1, support: tp + fn };
  });
  return { rows, accuracy: truth.length ? correct / truth.length : 0 };
}

export function formatReport(r: { rows: ClassReport[]; accuracy: number }): string {
  const n = r.rows.reduce((s, x) => s + x.support, 0);
  const f = (x: number): string => x.toFixed(2).padStart(10);
  const lines = [
    `${''.padStart(12)}${'precision'.padStart(10)}${'recall'.padStart(10)}${'f1-score'.padStart(10)}${'support'.padStart(10)}`,
    '',
  ];
  for (const x of r.rows)
    lines.push(
      `${String(x.label).padStart(12)}${f(x.precision)}${f(x.recall)}${f(x.f1)}${String(x.support).padStart(10)}`,
    );
  const avg = (k: 'precision' | 'recall' | 'f1'): number => r.rows.reduce((s, x) => s + x[k], 0) / r.rows.length;
  lines.push('', `${'accuracy'.padStart(12)}${''.padStart(30)}${f(r.accuracy)}${String(n).padStart(10)}`);
  lines.push(
    `${'macro avg'.padStart(12)}${f(avg('precision'))}${f(avg('recall'))}${f(avg('f1'))}${String(n).padStart(10)}`,
  );
  return lines.join('\n');
}

const OPTIONS = {
  ...shared('optimizer', 'seed'),
  'batch-size': { type: 'string' },
  epochs: { type: 'string' },
  lr: { type: 'string' },
} as const;

export const command: Command = {
  options: OPTIONS,
  usage: [
    'usage: optimlab demo blobs [--optimizer NAME] [--batch-size S] [--epochs E] [--lr η] [--seed K]',
    '',
    '  1,000 2-D points in 2 blobs (std 1.5), bias trick, 50/50 split, sigmoid + squared error summed',
    '  over the examples; prints the loss at epoch 1 and every 5 epochs, then a classification report.',
    '',
    '  --optimizer NAME   any registry optimizer (default sgd; optimlab list)',
    '  --batch-size S     examples per step (default: the whole training set = batch gradient descent)',
    '  --epochs E         epochs (default 100)',
    '  --lr η             learning rate η (default 0.01)',
    '  --seed K           seed of the data, split, initial weights and shuffles (default 2: well-separated blobs)',
  ].join('\n'),
  async run(args) {
    const { values, positionals } = parseOptions('demo', args, OPTIONS, { allowPositionals: true });
    const which = positionals[0] ?? 'blobs';
    if (which !== 'blobs' || positionals.length > 1)
      throw new RangeError(`unknown demo '${positionals.join(' ')}'; demos: blobs`);
    const name = values.optimizer ?? BLOBS_DEMO.optimizer;
    const entry = getOptimizer(name);
    const epochs = intValue('epochs', values.epochs, 1) ?? BLOBS_DEMO.epochs;
    const seed = intValue('seed', values.seed, 0) ?? BLOBS_DEMO.seed;
    const hasLr = 'lr' in entry.defaults;
    let lr: number | undefined;
    if (values.lr !== undefined) {
      lr = numberValue('lr', values.lr, 'a finite number > 0 (the learning rate η)');
      if (!(lr! > 0))
        throw new RangeError(`--lr: '${values.lr}' is not allowed; allowed: a finite number > 0 (the learning rate η)`);
      if (!hasLr) throw new RangeError(`--lr: ${name} has no learning rate; drop --lr or choose another optimizer`);
    } else if (hasLr) lr = BLOBS_DEMO.lr;
    const optimizer = createOptimizer(name, lr === undefined ? {} : { lr });

    const { objective, test: te, W0 } = blobsSetup(seed);
    const batchSize = intValue('batch-size', values['batch-size'], 1) ?? objective.examples;
    if (batchSize > objective.examples)
      throw new RangeError(`--batch-size = ${batchSize}; allowed: 1 … ${objective.examples} (the training set)`);

    console.log(
      `[INFO] ${objective.examples} training / ${te.y.length} test points; ${name}${lr === undefined ? '' : ` η = ${lr}`}, batch size ${batchSize}, ${epochs} epochs, seed ${seed}`,
    );
    console.log('[INFO] training...');
    let W: Float64Array;
    try {
      const res = train(objective, optimizer, W0, {
        epochs,
        batchSize,
        seed,
        onEpoch: (e, loss) => {
          if (e === 1 || e % 5 === 0) console.log(`[INFO] epoch=${e}, loss=${loss.toFixed(7)}`);
        },
      });
      W = res.params;
    } catch (e) {
      if (e instanceof DivergenceError) {
        console.error(`[ERROR] ${e.message}`);
        console.error(`[INFO] last finite W = [${Array.from(e.result.params).join(', ')}]`);
        return 1;
      }
      throw e;
    }
    console.log('[INFO] evaluating...');
    console.log(formatReport(classificationReport(te.y, blobsPredict(W, te.X), [0, 1])));
    return 0;
  },
};
