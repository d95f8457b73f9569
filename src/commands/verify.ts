/**
 * `optimlab verify`: the law suite from the command line, and the accuracy table.
 */
import type { Command } from '../cli.js';
import { intValue, listValue, parseOptions, shared } from './options.js';
import { checkOutputFile, jsonOutput, writeOutputOrRescue, type OutputFile } from '../util/fs.js';
import { UserError } from '../util/errors.js';

const USAGE = `usage: optimlab verify [options]

Runs every law of the catalogue (docs/laws.md; optimlab list --laws) for every optimizer it applies
to, in float64 and float32, prints a law × optimizer table and exits 1 if any law fails (each
failure prints its shrunk counterexample and the line that replays it).

  --law ID[,ID]         only these laws (an ID, or a letter for a family: --law E); '!ID' leaves a
                        law or family out (--law '!E5', --law 'G,!G6'; quote it in a shell)
  --optimizer NAME[,…]  only these optimizers (or objectives / 'training' for the A and H laws)
  --runs N              runs per case (default: each law's own; env OPTIMLAB_RUNS)
  --seed N|random       run seed (default 20261124; env OPTIMLAB_SEED)
  --replay CASE@SEED:PATH
                        replay one failure exactly as printed
  --module PATH         verify your own optimizer (repeat for several modules): a JS module (or
                        TypeScript, with tsx installed) exporting a defineOptimizer(...) entry as
                        'optimizer' (or default; several: 'optimizers'); every law its traits select
                        runs on it, beside the built-ins named by --optimizer. Export its decimal
                        reference as 'reference' (defineReference from 'optimlab/reference') and
                        B1, B2, B3, G7 and --accuracy run against it; without one they are not run.
                        docs/adding-an-optimizer.md
  --tfjs                verify TensorFlow.js's own optimizers (tf.train.sgd, momentum, adagrad,
                        adadelta, rmsprop, adam, adamax on the cpu backend, float32) against optimlab's
                        tfjs-profile reference (docs/adapters.md); needs @tensorflow/tfjs-core and
                        @tensorflow/tfjs-backend-cpu installed. Each failure is matched to the
                        finding that explains it, and the findings are measured again
  --json PATH           also write the results as JSON (schema optimlab.verify/1; with --tfjs
                        optimlab.tfjs/1, the table and the findings, which optimlab report shows)
  --junit PATH          also write the results as JUnit XML (one test case per law case; CI systems read it)
  --accuracy            instead: the accuracy table, optimizer × dtype → worst K in units of u
  --cases N             with --accuracy: random single-step cases per optimizer and dtype (default 200,
                        as in the report); exits 1 when a worst K is beyond its bound
  --quiet               no progress line`;

const OPTIONS = {
  ...shared('optimizer', 'module', 'seed', 'json', 'quiet'),
  law: { type: 'string' },
  runs: { type: 'string' },
  replay: { type: 'string' },
  junit: { type: 'string' },
  accuracy: { type: 'boolean' },
  cases: { type: 'string' },
  tfjs: { type: 'boolean' },
} as const;

export const command: Command = {
  usage: USAGE,
  options: OPTIONS,
  async run(args) {
    const { values } = parseOptions('verify', args, OPTIONS);
    if (values.replay !== undefined && values.replay.trim() === '')
      throw new UserError(
        `--replay '${values.replay}': empty; allowed: '<case id>@<seed>:<path>' as a failure prints it (without --replay every case runs)`,
      );
    // Outputs first: a path that cannot be written is refused before the laws run.
    const jsonOut = values.json === undefined ? undefined : jsonOutput('--json', values.json);
    const junitOut: OutputFile | undefined =
      values.junit === undefined
        ? undefined
        : {
            option: '--junit',
            path: values.junit,
            what: 'a JUnit file optimlab wrote',
            ours: (text) => text.startsWith('<?xml') && text.includes('<testsuites name="optimlab laws"'),
          };
    if (jsonOut) checkOutputFile(jsonOut);
    if (junitOut) checkOutputFile(junitOut);
    intValue('runs', values.runs, 1);
    if (values.seed !== undefined && values.seed !== 'random') intValue('seed', values.seed, -(2 ** 31));
    const { optionsFromEnv } = await import('../../properties/framework.js');
    const env = optionsFromEnv({
      ...process.env,
      ...(values.seed !== undefined ? { OPTIMLAB_SEED: values.seed } : {}),
      ...(values.runs !== undefined ? { OPTIMLAB_RUNS: values.runs } : {}),
      ...(values.replay !== undefined ? { OPTIMLAB_REPLAY: values.replay } : {}),
    });
    const optimizers = listValue('optimizer', values.optimizer);
    const { loadModules, fromModules, provenanceOf } = await import('./modules.js');
    const mods = await loadModules(values.module);
    const fromMods = fromModules(mods);
    // TensorFlow.js's optimizers come in the same form as a module's: entries with their references.
    const tfjs = values.tfjs ? await (await import('../../properties/tfjs.js')).loadTfjsSuite() : undefined;
    const loaded =
      mods.length || tfjs
        ? {
            entries: [...fromMods.entries, ...(tfjs?.entries ?? [])],
            references: [...fromMods.references, ...(tfjs?.references ?? [])],
          }
        : undefined;
    // What loads them again: a replay line carries it, so that pasting it replays the case.
    const outside = [
      ...mods.map((m) => `--module ${/^[\w./@+-]+$/.test(m.path) ? m.path : `'${m.path}'`}`),
      ...(values.tfjs ? ['--tfjs'] : []),
    ].join(' ');
    const modules = mods.map(provenanceOf);
    const { registry } = await import('../optimizers/registry.js');
    const builtins = registry as unknown as import('../optimizers/define.js').OptimizerEntry[];
    const laws = listValue('law', values.law)?.filter((l) => !l.startsWith('!'));
    const exclude = listValue('law', values.law)
      ?.filter((l) => l.startsWith('!'))
      .map((l) => l.slice(1));

    if (values.accuracy) {
      const { runAccuracy, formatAccuracy, beyondBound, ACCURACY_CASES } = await import('../../properties/accuracy.js');
      const known = [...builtins, ...(loaded?.entries ?? [])];
      for (const o of optimizers ?? []) {
        if (!known.some((e) => e.name === o))
          throw new RangeError(
            `--optimizer '${o}' is neither a built-in optimizer nor ${loaded ? `among ${outside}` : 'one of --module'}; known: ${known.map((e) => e.name).join(', ')}`,
          );
      }
      const n = intValue('cases', values.cases, 1) ?? ACCURACY_CASES;
      const progress = process.stderr.isTTY && !values.quiet;
      const t0 = Date.now();
      const report = runAccuracy({
        cases: n,
        ...(env.seed !== undefined ? { seed: env.seed } : {}),
        // With --module/--tfjs: those optimizers (and the built-ins --optimizer names), against their references.
        ...(loaded ? { entries: known, references: loaded.references, modules } : {}),
        ...(optimizers || loaded
          ? { optimizers: [...new Set([...(optimizers ?? []), ...(loaded?.entries ?? []).map((e) => e.name)])] }
          : {}),
        onRow: (o, d, i, total) => {
          if (progress)
            process.stderr.write(
              `\r\x1b[K[${i + 1}/${total}] ${o} ${d}: ${n} random single steps against the decimal reference  (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
            );
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
    const { findingOf, formatFindings, measureFindings, tfjsDocument } = await import('../../properties/tfjs.js');
    /** A TF.js case's failure (its replay line carries --tfjs), and the finding that explains it, or that none does. */
    const tfjsFailure = (r: import('../../properties/framework.js').CaseResult): string => {
      const f = findingOf(r);
      return [
        formatFailure(r),
        f ? `  explained by ${f.id} (${f.kind}): ${f.title}` : '  NOT explained by a known finding: investigate',
      ].join('\n');
    };
    // With --module/--tfjs: those optimizers (only the ones --optimizer names, if it names any of
    // them: --tfjs --optimizer tfjs-adam), and the built-ins --optimizer names beside them.
    const named = loaded?.entries.filter((e) => optimizers?.includes(e.name)) ?? [];
    const entries = loaded
      ? [...builtins.filter((e) => optimizers?.includes(e.name)), ...(named.length ? named : loaded.entries)]
      : undefined;
    const opts = {
      ...env,
      ...(entries
        ? {
            entries,
            references: loaded!.references,
            replayArgs: outside,
            modules,
            lawSet: (await import('../../properties/laws/index.js')).allLaws.filter((l) => !('subject' in l)),
          }
        : {}),
      ...(laws?.length ? { laws } : {}),
      ...(exclude?.length ? { exclude } : {}),
      ...(optimizers && !entries ? { subjects: optimizers } : {}),
      ...(env.replayId ? { caseId: env.replayId } : {}),
    };
    const selected = selectCases(opts);
    if (selected.length === 0) {
      // Say what there is: the law IDs (and families) and the subjects these options choose from.
      const every = selectCases({
        ...opts,
        laws: undefined,
        exclude: undefined,
        subjects: undefined,
        caseId: undefined,
      });
      const ids = [...new Set(every.map((c) => c.law.id))];
      const families = [...new Set(ids.map((id) => id.replace(/\d.*$/, '')))].sort();
      const subjects = [...new Set(every.map((c) => c.subject))];
      throw new RangeError(
        `no law case matches${values.law ? ` --law ${values.law}` : ''}${values.optimizer ? ` --optimizer ${values.optimizer}` : ''}${env.replayId ? ` --replay ${env.replayId}` : ''}; laws: ${ids.join(', ')} (or a family: ${families.join(', ')}); optimizers and subjects: ${subjects.join(', ')} (optimlab list --laws, docs/laws.md)`,
      );
    }
    const tty = process.stderr.isTTY && !values.quiet;
    const t0 = Date.now();
    const suite = (): ReturnType<typeof runSuite> =>
      runSuite({
        ...opts,
        onCase: (c, i, total) => {
          if (tty)
            process.stderr.write(`\r\x1b[K[${i + 1}/${total}] ${c.id}  (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
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
      throw new UserError(
        `--replay ${values.replay}: the path ${env.replay.path} leads to no counterexample of ${env.replayId} in this version of optimlab (was it printed by another version, or edited?); run the case afresh: optimlab verify --law ${env.replayId?.split(' ')[0]} --optimizer ${env.replayId?.split(' ')[1]}`,
      );
    }
    if (tty) process.stderr.write('\r\x1b[K');
    console.log(formatTable(report));
    const examples = tfjs ? await measureFindings(tfjs) : [];
    if (tfjs) console.log(`\n${formatFindings(tfjs, report, examples)}`);
    if (jsonOut) {
      // With --tfjs: the TensorFlow.js document (optimlab.tfjs/1: this table and the findings), which the report shows apart.
      writeOutputOrRescue(
        jsonOut,
        `${JSON.stringify(tfjs ? tfjsDocument(tfjs, report, examples) : report, null, 2)}\n`,
      );
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
