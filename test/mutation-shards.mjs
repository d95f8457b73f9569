// @ts-check
/**
 * Shards of a mutation row (stryker.config.mjs, a row's `shards`): a row too long for one sitting
 * runs as groups of its files, one Stryker run each (`npm run mutation -- <folder> --shard k/N`),
 * whose results are kept in reports/mutation/shards/<folder>/<k>.json and merged into the row.
 *
 * A shard's results describe its mutated files as they were, tested by the tests as they were. Each
 * record keeps two fingerprints: `mutated` (the shard's files, every byte) and `tests` (every file the
 * row's tests load, found by following their relative imports from the test files and set-up, the
 * shard's own files left out, plus the configuration that decides what runs: vitest's and Stryker's
 * configurations, the driver, the lock file, the row's law selection). Code is fingerprinted as
 * TypeScript prints it without comments, so a comment (such as an "Equivalent mutant" explanation) or a reformatting elsewhere does
 * not make a shard stale (nor does the input hash the wasm build records, which every such comment
 * changes); any other change does. A record whose fingerprints differ from the working
 * tree's is stale: it is listed, and not counted in the row.
 *
 * One change leaves a record standing: test files added to the row since it ran (the record keeps
 * the list of files its fingerprint started from, `roots`). Its fingerprint taken from those files
 * now must be the recorded one (nothing they load changed), every one of them must still be a root,
 * and the new roots must be test files (not configuration or set-up, which change how every test
 * runs). A mutant's verdict is "killed" when a test that runs it fails, so more tests can only turn
 * a survivor into a kill, never the reverse: such a record counts as a lower bound of its shard's
 * score, and says which test files came after it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import ts from 'typescript';

export const SHARDS_DIR = 'reports/mutation/shards';

/** The files a folder's row mutates (its .ts files, subfolders with rows of their own left out), sorted. */
export function rowFiles(folder, otherFolders) {
  /** @type {string[]} */
  const out = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (!otherFolders.includes(p) && e.name !== 'generated') walk(p);
      } else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
    }
  };
  walk(folder);
  return out.sort();
}

/**
 * The row's shards as lists of files (paths from the repository root). Every file of the row is in
 * exactly one shard, else a clear error (a new file must be given a shard).
 * @param {{ folder: string, shards?: string[][] }} row
 * @param {string[]} files  rowFiles(row.folder, …)
 */
export function shardsOf(row, files) {
  if (!row.shards) return [files];
  const groups = row.shards.map((g) => g.map((f) => join(row.folder, f)));
  const seen = new Map();
  groups.forEach((g, k) =>
    g.forEach((f) => {
      if (seen.has(f)) throw new Error(`stryker.config.mjs: ${f} is in shards ${seen.get(f) + 1} and ${k + 1}`);
      seen.set(f, k);
    }),
  );
  const missing = files.filter((f) => !seen.has(f));
  const extra = [...seen.keys()].filter((f) => !files.includes(f));
  if (missing.length || extra.length)
    throw new Error(
      `stryker.config.mjs: the shards of ${row.folder} must list each of its files once` +
        (missing.length ? `; in no shard: ${missing.join(', ')}` : '') +
        (extra.length ? `; not a file of the row: ${extra.join(', ')}` : ''),
    );
  return groups.map((g) => [...g].sort());
}

/**
 * Parses `--shard`: 'k/N' (1 ≤ k ≤ N, N the row's number of shards) or 'next' (the first shard
 * without a fresh record). Returns the 0-based index, or throws a message naming what is allowed.
 */
export function parseShard(value, count, freshness) {
  if (value === 'next') {
    const k = freshness.findIndex((s) => s.state !== 'fresh');
    if (k < 0) throw new Error(`--shard next: every one of the ${count} shards is fresh`);
    return k;
  }
  const m = /^(\d+)\/(\d+)$/.exec(value);
  if (!m || Number(m[2]) !== count || Number(m[1]) < 1 || Number(m[1]) > count)
    throw new Error(`--shard ${value}; allowed: k/${count} with 1 ≤ k ≤ ${count} (the row's shards), or 'next'`);
  return Number(m[1]) - 1;
}

const sha = (parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex').slice(0, 16);
};

/**
 * A build's output without the hash of its inputs: src/engine/kernels.generated.ts records the hash
 * of every byte of src/optimizers (its rebuild test), comments included, while the code it holds
 * (the wasm, the adapters) follows from the code of those files, which the fingerprint takes apart.
 * A comment in an optimizer file changes that line and nothing else.
 */
const built = (text) => text.replace(/^export const SOURCE_HASH = '[0-9a-f]+';$/m, '');

const printer = ts.createPrinter({ removeComments: true });
/** A script as TypeScript prints it without comments: its code, whatever its comments and layout. */
function code(text, file) {
  const kind = file.endsWith('.ts') || file.endsWith('.mts') ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  return printer.printFile(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, kind));
}

const SCRIPT = /\.(ts|mts|js|mjs)$/;
/** Relative module specifiers of a script: imports, re-exports, dynamic imports of a literal. */
const IMPORTS = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;

/** A relative specifier from `file` → the repository path it loads (TypeScript's .js → .ts). */
function resolveImport(root, file, spec) {
  const p = normalize(join(dirname(file), spec));
  for (const c of [p, p.replace(/\.js$/, '.ts'), p.replace(/\.mjs$/, '.mts'), `${p}.ts`, join(p, 'index.ts')])
    if (existsSync(join(root, c)) && !c.includes('generated/')) return c;
  return undefined;
}

/**
 * Every file reachable from `roots` by relative imports, paths from `root` (the generated kernel
 * copies are left out: their sources, the optimizer files, are in).
 */
export function importClosure(roots, root = '.') {
  const seen = new Set();
  const todo = roots.filter((r) => existsSync(join(root, r)));
  while (todo.length) {
    const f = todo.pop();
    if (seen.has(f)) continue;
    seen.add(f);
    if (!SCRIPT.test(f)) continue;
    for (const m of readFileSync(join(root, f), 'utf8').matchAll(IMPORTS)) {
      const r = resolveImport(root, f, m[1]);
      if (r && !seen.has(r)) todo.push(r);
    }
  }
  return [...seen].sort();
}

/**
 * The fingerprints of a shard: `mutated` (its files, bytes) and `tests` (what the row's tests load
 * and the settings of the run; see the header).
 * @param {string[]} mutated  the shard's files
 * @param {string[]} roots  the row's test files (globs expanded) and the run's configuration files
 * @param {string} settings  everything else that decides what runs (Stryker's options for the row,
 *   its law selection, the kernel build's hooks), as text
 */
export function fingerprints(mutated, roots, settings, root = '.') {
  const own = new Set(mutated);
  const loaded = importClosure(roots, root).filter((f) => !own.has(f));
  const files = [...new Set([...loaded, 'package-lock.json'])].filter((f) => existsSync(join(root, f))).sort();
  return {
    mutated: sha(mutated.flatMap((f) => [f, readFileSync(join(root, f), 'utf8')])),
    tests: sha([
      settings,
      ...files.flatMap((f) => {
        const text = built(readFileSync(join(root, f), 'utf8'));
        return [f, SCRIPT.test(f) ? code(text, f) : text];
      }),
    ]),
  };
}

/** Test-file globs (a `*` within a file name, as the rows use them) → the files, sorted. */
export function expandTests(globs) {
  return [
    ...new Set(
      globs.flatMap((g) => {
        if (!g.includes('*')) return existsSync(g) ? [g] : [];
        const dir = dirname(g);
        const re = new RegExp(
          `^${g
            .slice(dir.length + 1)
            .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
            .replace(/\*/g, '[^/]*')}$`,
        );
        return readdirSync(dir)
          .filter((f) => re.test(f))
          .map((f) => join(dir, f));
      }),
    ),
  ].sort();
}

/** Where shard k's record of a folder is kept. */
export function recordPath(folder, k) {
  return join(SHARDS_DIR, folder.replace(/[^A-Za-z0-9]+/g, '-'), `${k + 1}.json`);
}

/**
 * Each shard's record and whether it counts: 'fresh' (fingerprints and files as now; `added`: the
 * test files added since, when that is the only change, see the header), 'stale' (with what
 * changed), or 'missing'.
 * @param {string} folder
 * @param {string[][]} shards
 * @param {(files: string[], roots?: string[]) => { mutated: string, tests: string }} now  fingerprints(…)
 *   of a shard now, from the row's roots or from those given
 * @param {string} [root]
 * @param {string[]} [roots]  the row's roots now (test files, configuration, set-up)
 */
export function freshness(folder, shards, now, root = '.', roots = undefined) {
  return shards.map((files, k) => {
    const path = recordPath(folder, k);
    if (!existsSync(join(root, path))) return { k, files, state: 'missing', path };
    const record = JSON.parse(readFileSync(join(root, path), 'utf8'));
    const fp = now(files);
    const added = testsAdded(record, fp, roots, () => now(files, record.roots).tests);
    if (added && record.fingerprints.mutated === fp.mutated && record.shards === shards.length)
      return { k, files, state: 'fresh', why: [], added, record, path };
    const why = [
      ...(record.shards !== shards.length || JSON.stringify(record.files) !== JSON.stringify(files)
        ? [`the shards changed (recorded: ${record.shard}/${record.shards}, ${record.files.join(', ')})`]
        : []),
      ...(record.fingerprints.mutated !== fp.mutated ? ['its files changed'] : []),
      ...(record.fingerprints.tests !== fp.tests ? ['the tests or the code they load changed'] : []),
    ];
    return { k, files, state: why.length ? 'stale' : 'fresh', why, record, path };
  });
}

/** The test files added to the row since a record's run, if that is all that changed (see the header). */
function testsAdded(record, fp, roots, testsFrom) {
  if (record.fingerprints.tests === fp.tests || !Array.isArray(record.roots) || !roots) return undefined;
  const added = roots.filter((r) => !record.roots.includes(r));
  if (!added.length || !added.every((r) => /\.test\.[cm]?[jt]s$/.test(r))) return undefined;
  if (!record.roots.every((r) => roots.includes(r))) return undefined;
  return testsFrom() === record.fingerprints.tests ? added : undefined;
}

const COUNTS = ['Killed', 'Timeout', 'Survived', 'NoCoverage', 'Ignored', 'RuntimeError', 'CompileError', 'total'];

/**
 * The row of a sharded folder: the fresh shards' results added up (score recomputed from the sums),
 * their survivors and ignored mutants, and which shards it stands on (`shards`: fresh, stale with
 * why, missing). `complete` only when every shard is fresh.
 * @param {ReturnType<typeof freshness>} states
 */
export function mergeShards(states) {
  const fresh = states.filter((s) => s.state === 'fresh').map((s) => s.record.results);
  /** @type {Record<string, any>} */
  const row = Object.fromEntries(COUNTS.map((k) => [k, fresh.reduce((a, r) => a + (r[k] ?? 0), 0)]));
  const detected = row.Killed + row.Timeout;
  const valid = detected + row.Survived + row.NoCoverage;
  return {
    ...row,
    score: valid ? (100 * detected) / valid : 100,
    minutes: Math.round(fresh.reduce((a, r) => a + r.minutes, 0) * 10) / 10,
    date:
      fresh
        .map((r) => r.date)
        .sort()
        .at(-1) ?? '',
    commit: [...new Set(fresh.map((r) => r.commit).filter(Boolean))].join(', '),
    survived: fresh.flatMap((r) => r.survived),
    ignored: fresh.flatMap((r) => r.ignored),
    static: fresh.reduce((a, r) => a + (r.static ?? 0), 0),
    shards: {
      count: states.length,
      fresh: states.filter((s) => s.state === 'fresh').map((s) => s.k + 1),
      // Fresh but for test files added since: their results are a lower bound.
      ...(states.some((s) => s.added)
        ? { testsAdded: states.filter((s) => s.added).map((s) => ({ shard: s.k + 1, files: s.added })) }
        : {}),
      stale: states.filter((s) => s.state === 'stale').map((s) => ({ shard: s.k + 1, why: s.why })),
      missing: states.filter((s) => s.state === 'missing').map((s) => s.k + 1),
    },
    complete: states.every((s) => s.state === 'fresh'),
  };
}
