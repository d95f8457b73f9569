/** `optimlab list`: every optimizer with its update rule, defaults and source. */
import { parseArgs } from 'node:util';
import type { Command } from '../cli.js';
import { allowedText } from '../optimizers/hyper.js';
import { registry } from '../optimizers/registry.js';
import type { HyperSpec } from '../optimizers/types.js';
import { getProfile } from '../optimizers/conventions.js';
import { conventionsMarkdown, profileText } from '../optimizers/conventions-doc.js';

function fmt(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : String(v);
}

export const command: Command = {
  usage: [
    'usage: optimlab list [--json] [--verbose] [--profile pytorch|keras|tfjs|optax] [--markdown]',
    '',
    '  --json      print the registry as JSON (name, rule, defaults, ranges, traits)',
    '  --verbose   also print each hyperparameter\'s valid range and meaning',
    '  --profile   print a framework\'s formulas, defaults and convention settings (docs/conventions.md)',
    '  --markdown  print docs/conventions.md (optimizer × framework), generated from the same data',
  ].join('\n'),
  async run(args) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, verbose: { type: 'boolean' }, profile: { type: 'string' }, markdown: { type: 'boolean' } }, strict: true });
    if (values.markdown) {
      console.log(conventionsMarkdown());
      return 0;
    }
    if (values.profile !== undefined) {
      console.log(profileText(getProfile(values.profile)));
      return 0;
    }
    if (values.json) {
      const out = registry.map((e) => ({
        name: e.name, title: e.title, source: e.source, rule: e.rule, defaults: e.defaults,
        hyper: e.hyper, buffers: e.buffers, traits: { ...e.traits, firstStepSignMagnitude: e.traits.firstStepSignMagnitude !== undefined },
      }));
      console.log(JSON.stringify(out, null, 2));
      return 0;
    }
    const lines: string[] = [];
    for (const e of registry) {
      lines.push(`${e.name}  (${e.title}; ${e.source})`);
      for (const r of e.rule) lines.push(`    ${r}`);
      const specs = e.hyper as Record<string, HyperSpec>;
      lines.push(`    defaults: ${Object.entries(e.defaults).map(([k, v]) => `${k}=${fmt(v)}`).join(', ')}`);
      if (values.verbose) {
        for (const [k, s] of Object.entries(specs)) lines.push(`      ${k.padEnd(22)} ${s.doc}; ${allowedText(k, s)}`);
      }
      lines.push(`    state: t${e.buffers.length ? `, ${e.buffers.join(', ')}` : ''}`);
      lines.push('');
    }
    lines.push(`${registry.length} optimizers. Every one also takes weightDecay (g ← g + λθ), decoupledWeightDecay (θ ← θ − ηλθ) and maximize (g ← −g).`);
    console.log(lines.join('\n'));
    return 0;
  },
};
