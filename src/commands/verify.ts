/**
 * `optimlab verify`: the law suite from the command line, and the accuracy table.
 */
import { parseArgs } from 'node:util';
import type { Command } from '../cli.js';
import { checkOutputFile, jsonOutput, writeOutputOrRescue, type OutputFile } from '../util/fs.js';
import { UserError } from '../util/errors.js';
import { loadUserModule } from './user-module.js';

const USAGE = `usage: optimlab verify [options]

Runs every law (DESIGN.md's catalogue) for every optimizer it applies to, in float64 and float32,
prints a law × optimizer table and exits 1 if any law fails (each failure prints its shrunk
counterexample and the line that replays it).

  --law ID[,ID]         only these laws (an ID, or a letter for a family: --law E)
  --optimizer NAME[,…]  only these optimizers (or objectives / 'training' for the A and H laws)
  --runs N              runs per case (default: each law's own; env OPTIMLAB_RUNS)
  --seed N|random       run seed (default 20261124; env OPTIMLAB_SEED)
  --replay CASE@SEED:PATH
                        replay one failure exactly as printed
  --module PATH         verify your own optimizer: a JS module whose default export (or export
                        named 'optimizer') is a defineOptimizer(...) entry; every law that its
                        traits select runs on it. Export its decimal reference as 'reference'
                        (defineReference from 'optimlab/reference') and B1, B2, B3, G7 and
                        --accuracy run against it; without one they are not run
  --tfjs                verify TensorFlow.js's own optimizers (tf.train.sgd, momentum, adagrad,
                        adadelta, rmsprop, adam, adamax on the cpu backend, float32) against optimlab's
                        tfjs-profile reference (docs/adapters.md); needs @tensorflow/tfjs-core and
                        @tensorflow/tfjs-backend-cpu installed. Each failure is matched to the
                        finding that explains it, and the findings are measured again
  --json PATH           also write the results as JSON (schema optimlab.verify/1)
  --junit PATH          also write the results as JUnit XML (one test case per law case; CI systems read it)
  --accuracy            instead: the accuracy table, optimizer × dtype → worst K in units of u
  --cases N             with --accuracy: random single-step cases per optimizer and dtype (default 200,
                        as in the report); exits 1 when a worst K is beyond its bound
  --quiet               no progress line`;

function list(v: string | undefined): string[] | undefined {
  return v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter(Boolean);
}

function intOption(name: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v) || Number(v) < min) throw new RangeError(`--${name} = '${v}'; allowed: an integer ≥ ${min}`);
  return Number(v);
}

export const command: Command = {
  usage: USAGE,
  async run(args) {
    const { values } = parseArgs({
      args,
      strict: true,
      options: {
        law: { type: 'string' }, optimizer: { type: 'string' }, runs: { type: 'string' }, seed: { type: 'string' },
        replay: { type: 'string' }, json: { type: 'string' }, junit: { type: 'string' }, accuracy: { type: 'boolean' }, cases: { type: 'string' },
        quiet: { type: 'boolean' }, module: { type: 'string' }, tfjs: { type: 'boolean' },
      },
    });
    if (values.replay !== undefined && values.replay.trim() === '') throw new UserError(`--replay '${values.replay}': empty; allowed: '<case id>@<seed>:<path>' as a failure prints it (without --replay every case runs)`);
    // Outputs first: a path that cannot be written is refused before the laws run.
    const jsonOut = values.json === undefined ? undefined : jsonOutput('--json', values.json);
    const junitOut: OutputFile | undefined = values.junit === undefined ? undefined : {
      option: '--junit', path: values.junit, what: 'a JUnit file optimlab wrote',
      ours: (text) => text.startsWith('<?xml') && text.includes('<testsuites name="optimlab laws"'),
    };
    if (jsonOut) checkOutputFile(jsonOut);
    if (junitOut) checkOutputFile(junitOut);
    intOption('runs', values.runs, 1);
    if (values.seed !== undefined && values.seed !== 'random') intOption('seed', values.seed, -(2 ** 31));
    const { optionsFromEnv } = await import('../../properties/framework.js');
    const env = optionsFromEnv({
      ...process.env,
      ...(values.seed !== undefined ? { OPTIMLAB_SEED: values.seed } : {}),
      ...(values.runs !== undefined ? { OPTIMLAB_RUNS: values.runs } : {}),
      ...(values.replay !== undefined ? { OPTIMLAB_REPLAY: values.replay } : {}),
    });
    const optimizers = list(values.optimizer);
    const module = values.module !== undefined ? await loadUserModule(values.module) : undefined;
    // TensorFlow.js's optimizers come in the same form as a module's: entries with their references.
    const tfjs = values.tfjs ? await (await import('../../properties/tfjs.js')).loadTfjsSuite() : undefined;
    const loaded = module || tfjs ? {
      entries: [...(module ? [module.entry] : []), ...(tfjs?.entries ?? [])],
      references: [...(module?.references ?? []), ...(tfjs?.references ?? [])],
    } : undefined;
    const outside = [values.module !== undefined ? `--module ${values.module}` : '', values.tfjs ? '--tfjs' : ''].filter(Boolean).join(' ');

    if (values.accuracy) {
      const { runAccuracy, formatAccuracy, beyondBound, ACCURACY_CASES } = await import('../../properties/accuracy.js');
      const { registry } = await import('../optimizers/registry.js');
      const known = loaded ? loaded.entries : (registry as unknown as import('../optimizers/define.js').OptimizerEntry[]);
      for (const o of optimizers ?? []) {
        if (!known.some((e) => e.name === o)) throw new RangeError(`--optimizer '${o}' is not ${loaded ? `among ${outside}` : 'in the registry'}; known: ${known.map((e) => e.name).join(', ')}`);
      }
      const n = intOption('cases', values.cases, 1) ?? ACCURACY_CASES;
      const progress = process.stderr.isTTY && !values.quiet;
      const t0 = Date.now();
      const report = runAccuracy({
        ...(optimizers ? { optimizers } : {}), cases: n, ...(env.seed !== undefined ? { seed: env.seed } : {}),
        ...(loaded ? { entries: loaded.entries, references: loaded.references } : {}),
        onRow: (o, d, i, total) => {
          if (progress) process.stderr.write(`\r\x1b[K[${i + 1}/${total}] ${o} ${d}: ${n} random single steps against the decimal reference  (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
        },
      });
      if (progress) process.stderr.write('\r\x1b[K');
      console.log(formatAccuracy(report));
      if (jsonOut) {
        writeOutputOrRescue(jsonOut, `${JSON.stringify(report, null, 2)}\n`);
        console.log(`\nwrote ${values.json}`);
      }
      return beyondBound(report).length === 0 ? 0 : 1;
    }

    const { runSuite, formatTable, selectCases } = await import('../../properties/suite.js');
    const { formatFailure } = await import('../../properties/framework.js');
    const { findingOf, formatFindings, measureFindings } = await import('../../properties/tfjs.js');
    /** A TF.js case's failure: replayed with --tfjs, and the finding that explains it (or that none does). */
    const tfjsFailure = (r: import('../../properties/framework.js').CaseResult): string => {
      const f = findingOf(r);
      const lines = formatFailure(r).split('\n').filter((l) => !l.includes('npx vitest run properties'))
        .map((l) => l.replace(/^ {6}or: npx optimlab verify --replay/, `  replay: npx optimlab verify ${outside} --replay`));
      return [...lines, f ? `  explained by ${f.id} (${f.kind}): ${f.title}` : '  NOT explained by a known finding: investigate'].join('\n');
    };
    const entries = loaded ? loaded.entries : undefined;
    const opts = {
      ...env,
      ...(entries ? { entries, references: loaded!.references, lawSet: (await import('../../properties/laws/index.js')).allLaws.filter((l) => !('subject' in l)) } : {}),
      ...(list(values.law) ? { laws: list(values.law)! } : {}),
      ...(optimizers ? { subjects: optimizers } : {}),
      ...(env.replayId ? { caseId: env.replayId } : {}),
    };
    const selected = selectCases(opts);
    if (selected.length === 0) {
      throw new RangeError(`no law case matches${values.law ? ` --law ${values.law}` : ''}${values.optimizer ? ` --optimizer ${values.optimizer}` : ''}${env.replayId ? ` --replay ${env.replayId}` : ''}; see optimlab list and DESIGN.md's law IDs`);
    }
    const tty = process.stderr.isTTY && !values.quiet;
    const t0 = Date.now();
    const suite = (): ReturnType<typeof runSuite> => runSuite({
      ...opts,
      onCase: (c, i, total) => {
        if (tty) process.stderr.write(`\r\x1b[K[${i + 1}/${total}] ${c.id}  (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
      },
      onResult: (r) => {
        if (r.status === 'fail') {
          if (tty) process.stderr.write('\r\x1b[K');
          console.error(`${tfjs ? tfjsFailure(r) : formatFailure(r)}\n`);
        }
      },
    });
    let report: ReturnType<typeof runSuite>;
    try {
      report = suite();
    } catch (e) {
      // fast-check refuses a path that leads nowhere in this case's shrink tree (a replay line from
      // another version of optimlab or of the law, or a path edited by hand)
      if (!env.replay || !/Unable to replay/.test((e as Error).message)) throw e;
      if (tty) process.stderr.write('\r\x1b[K');
      throw new UserError(`--replay ${values.replay}: the path ${env.replay.path} leads to no counterexample of ${env.replayId} in this version of optimlab (was it printed by another version, or edited?); run the case afresh: optimlab verify --law ${env.replayId?.split(' ')[0]} --optimizer ${env.replayId?.split(' ')[1]}`);
    }
    if (tty) process.stderr.write('\r\x1b[K');
    console.log(formatTable(report));
    if (tfjs) console.log(`\n${formatFindings(tfjs, report, await measureFindings(tfjs))}`);
    if (jsonOut) {
      writeOutputOrRescue(jsonOut, `${JSON.stringify(report, null, 2)}\n`);
      console.log(`wrote ${values.json}`);
    }
    if (junitOut) {
      const { junitXml } = await import('../../properties/junit.js');
      writeOutputOrRescue(junitOut, junitXml(report));
      console.log(`wrote ${values.junit}`);
    }
    return report.summary.failed === 0 ? 0 : 1;
  },
};
