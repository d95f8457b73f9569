/** `optimlab list`: every optimizer with its update rule, defaults and source. */
import type { Command } from '../cli.js';
import { checkOutputFile, writeOutputFile, type OutputFile } from '../util/fs.js';
import { parseOptions, shared } from './options.js';
import { specText } from '../optimizers/hyper.js';
import { registry } from '../optimizers/registry.js';
import type { OptimizerEntry } from '../optimizers/define.js';
import type { HyperSpec } from '../optimizers/types.js';
import { getProfile } from '../optimizers/conventions.js';
import { conventionsMarkdown, profileText } from '../optimizers/conventions-doc.js';

function fmt(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : String(v);
}

const OPTIONS = {
  ...shared('json', 'module'),
  verbose: { type: 'boolean' },
  profile: { type: 'string' },
  markdown: { type: 'boolean' },
  laws: { type: 'boolean' },
} as const;

/** The registry's JSON (an array of optimizers), recognised so that list --json PATH replaces only its own file. */
const registryFile = (path: string): OutputFile => ({
  option: '--json',
  path,
  what: 'a registry written by optimlab list --json',
  ours: (text) => {
    try {
      const d = JSON.parse(text) as unknown;
      return (
        Array.isArray(d) &&
        d.every((x) => typeof x === 'object' && x !== null && 'name' in x && 'rule' in x && 'defaults' in x)
      );
    } catch {
      return false;
    }
  },
});

export const command: Command = {
  options: OPTIONS,
  usage: [
    'usage: optimlab list [--json [PATH]] [--verbose] [--profile pytorch|keras|tfjs|optax] [--markdown] [--laws] [--module PATH]…',
    '',
    '  --json      the registry as JSON (name, rule, defaults, ranges, traits): printed, or written to PATH',
    "  --verbose   also print each hyperparameter's valid range and meaning",
    "  --profile   print a framework's formulas, defaults and convention settings (docs/conventions.md)",
    '  --markdown  print docs/conventions.md (optimizer × framework), generated from the same data',
    '  --module    also list the optimizers of a module of your own (repeat for several), with the',
    '              laws that apply to them and why the others do not (docs/adding-an-optimizer.md)',
    '  --laws      the law catalogue instead: ID, claim, what selects it, tolerance (with --markdown:',
    '              docs/laws.md, generated from the law data)',
  ].join('\n'),
  async run(args) {
    const { values } = parseOptions('list', args, OPTIONS, { optionalValue: { json: '-' } });
    const jsonFile = values.json === undefined || values.json === '-' ? undefined : registryFile(values.json);
    if (jsonFile) checkOutputFile(jsonFile);
    const { loadModules, fromModules } = await import('./modules.js');
    const outside = fromModules(await loadModules(values.module)).entries;
    const entries = [...(registry as unknown as OptimizerEntry[]), ...outside];
    if (values.laws) {
      const { lawsMarkdown, catalogue, selectedBy } = await import('../../properties/laws-doc.js');
      if (values.markdown) console.log(lawsMarkdown().trimEnd());
      else
        for (const { law, subjects } of catalogue())
          console.log(
            `${law.id.padEnd(5)} ${law.title}\n      applies to: ${selectedBy(law, subjects)}\n      tolerance: ${law.tolerance ?? '(not stated)'}`,
          );
      return 0;
    }
    if (values.markdown) {
      console.log(conventionsMarkdown());
      return 0;
    }
    if (values.profile !== undefined) {
      console.log(profileText(getProfile(values.profile)));
      return 0;
    }
    if (values.json) {
      const out = entries.map((e) => ({
        name: e.name,
        title: e.title,
        source: e.source,
        rule: e.rule,
        defaults: e.defaults,
        hyper: e.hyper,
        buffers: e.buffers,
        traits: { ...e.traits, firstStepSignMagnitude: e.traits.firstStepSignMagnitude !== undefined },
      }));
      const text = JSON.stringify(out, null, 2);
      if (jsonFile) {
        writeOutputFile(jsonFile, `${text}\n`);
        console.log(`wrote ${jsonFile.path}`);
      } else console.log(text);
      return 0;
    }
    const lines: string[] = [];
    for (const e of entries) {
      lines.push(`${e.name}  (${e.title}; ${e.source})${outside.includes(e) ? '  [--module]' : ''}`);
      for (const r of e.rule) lines.push(`    ${r}`);
      const specs = e.hyper as Record<string, HyperSpec>;
      lines.push(
        `    defaults: ${Object.entries(e.defaults)
          .map(([k, v]) => `${k}=${fmt(v)}`)
          .join(', ')}`,
      );
      if (values.verbose) {
        for (const [k, s] of Object.entries(specs)) lines.push(`      ${k.padEnd(22)} ${specText(k, s)}`);
      }
      lines.push(`    state: t${e.buffers.length ? `, ${e.buffers.join(', ')}` : ''}`);
      lines.push('');
    }
    if (outside.length) {
      // The laws that apply to the outside optimizers, and why the others do not (declared traits).
      const { allLaws } = await import('../../properties/laws/index.js');
      const { isStandalone, notApplicable } = await import('../../properties/framework.js');
      for (const e of outside) {
        const laws = allLaws.filter((l) => !isStandalone(l));
        const on = [...new Set(laws.filter((l) => notApplicable(l as never, e) === undefined).map((l) => l.id))];
        lines.push(
          `${e.name}: ${on.length} laws apply: ${on.join(' ')} (optimlab list --laws; verify --module prints why the others do not)`,
        );
      }
      lines.push('');
    }
    lines.push(
      `${registry.length} optimizers${outside.length ? ` built in, ${outside.length} from --module` : ''}. Every ${outside.length ? 'built-in' : 'one'} also takes weightDecay (g ← g + λθ), decoupledWeightDecay (θ ← θ − ηλθ) and maximize (g ← −g).`,
    );
    console.log(lines.join('\n'));
    return 0;
  },
};
