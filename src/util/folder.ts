/**
 * Folders that optimlab owns: writing a report folder without ever harming what it did not write.
 *
 * Rules (README, "What optimlab writes, and what it never touches"; docs/writing.md):
 *  - optimlab replaces a folder only when it recognises it as its own: the folder holds the marker
 *    file MARKER (JSON, schema optimlab.report-folder/1) that lists every file optimlab wrote there,
 *    and nothing else. An empty folder is replaced too (nothing is lost). Anything else (a folder
 *    without the marker, one with files the marker does not list, a plain file, a symbolic link)
 *    is refused with a UserError naming the path, and nothing is touched.
 *  - Every file name is a relative path of plain segments (letters, digits, '.', '_', '-'; no
 *    leading dot), resolved inside the folder; names made from data go through safeName first.
 *  - The new folder is written beside the target as `.NAME.tmp-ID` (marker first, state
 *    'writing'; the files; the marker again, state 'complete'), then swapped in: the old folder is
 *    renamed to `.NAME.old-ID`, the new one renamed to NAME, the old one removed file by file
 *    (only the files its marker lists). A run killed at any moment leaves the old or the new
 *    complete folder, or the two halves of the swap, which the next write (or checkOwnedFolder)
 *    finishes or rolls back before anything else; stale temporaries that are provably ours (ours
 *    by name, their marker listing every file in them) are removed then.
 *  - One writer at a time per folder: a lock file `.NAME.lock` beside it (pid, host, start time).
 *    A second run is refused with a message naming the holder; a lock whose process is dead (same
 *    host) is taken over.
 * Nothing else is created outside the folder: the lock and the two temporaries live next to it
 * only while a write runs (or until the next write, after a crash).
 */
import {
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { UserError, errnoCode, fsError } from './errors.js';
import { processAlive } from './fs.js';

/** The marker file's name, inside an owned folder. */
export const MARKER = '.optimlab-report.json';
export const MARKER_SCHEMA = 'optimlab.report-folder/1' as const;
/** The complete marker is written here first, then renamed over MARKER (one atomic step). */
const MARKER_NEXT = `${MARKER}.next`;

export interface FolderMarker {
  schema: typeof MARKER_SCHEMA;
  /** 'writing' while the files are being written, 'complete' once every one of them is. */
  state: 'writing' | 'complete';
  createdAt: string;
  /** Every file optimlab wrote in the folder: relative, '/'-separated, the marker itself aside. */
  files: string[];
}

export interface FolderWriteOptions {
  /** Called with the temporary folder once every file is written, before the swap (throw to abandon). */
  beforeSwap?: (tmpDir: string) => void;
  /**
   * TEST-ONLY fault injection. Called before each file-system change with its number (1, 2, …)
   * and what it is about to do; test/fault-injection.test.ts kills its child process here to
   * check that a write interrupted at any step is recovered. It is reachable only by passing it in
   * code: no command-line option and no environment variable sets it, and the CLI never passes it.
   */
  faultHook?: (step: number, what: string) => void;
}

export interface FolderWriteResult {
  /** The folder, absolute. */
  dir: string;
  /** What the write recovered or could not clean (one line each), for the user to read. */
  notes: string[];
}

// --- names -----------------------------------------------------------------------------------

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

/**
 * A file-name stem made from any text (an objective's name from an input document): letters,
 * digits, '_' and '-' kept, every other run of characters one '-', at most `max` characters,
 * never empty ('x'). 'Rosenbrock (2-D)' → 'Rosenbrock-2-D'; '../../etc/passwd' → 'etc-passwd'.
 */
export function safeName(text: string, max = 60): string {
  const s = text
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+/, '')
    .slice(0, max)
    .replace(/-+$/, '');
  return s === '' ? 'x' : s;
}

/** Hands out distinct file names: the second 'a.svg' asked for becomes 'a-2.svg'. */
export class FileNames {
  private readonly used = new Set<string>();
  /** A name from `stem` (made safe) and `ext` ('.svg'), distinct from every name given before. */
  take(stem: string, ext: string): string {
    const base = safeName(stem);
    let name = `${base}${ext}`;
    for (let k = 2; this.used.has(name.toLowerCase()); k++) name = `${base}-${k}${ext}`;
    this.used.add(name.toLowerCase());
    return name;
  }
}

/** Throws unless `name` is a plain relative path whose resolution stays inside `root`. */
export function checkName(root: string, name: string): string {
  const parts = name.split('/');
  if (name === '' || parts.length > 4 || !parts.every((p) => SEGMENT.test(p))) {
    throw new RangeError(
      `file name ${JSON.stringify(name)} is not allowed in ${root}; allowed: up to 4 '/'-separated segments of letters, digits, '.', '_' and '-', not starting with '.'`,
    );
  }
  const full = resolve(root, ...parts);
  if (!full.startsWith(root + sep))
    throw new RangeError(`file name ${JSON.stringify(name)} resolves to ${full}, outside ${root}`);
  return full;
}

// --- the marker and ownership ------------------------------------------------------------------

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The folder's marker, or undefined when it has none that parses as one. */
export function readMarker(dir: string): FolderMarker | undefined {
  let m: unknown;
  try {
    m = JSON.parse(readFileSync(join(dir, MARKER), 'utf8'));
  } catch {
    return undefined;
  }
  if (
    !isObject(m) ||
    m.schema !== MARKER_SCHEMA ||
    (m.state !== 'writing' && m.state !== 'complete') ||
    !Array.isArray(m.files)
  )
    return undefined;
  if (!m.files.every((f) => typeof f === 'string' && f.split('/').every((p) => SEGMENT.test(p)))) return undefined;
  return m as unknown as FolderMarker;
}

interface Listing {
  files: string[];
  dirs: string[];
  /** Symbolic links, sockets, devices …: never written by optimlab. */
  other: string[];
}

function list(dir: string, prefix = '', out: Listing = { files: [], dirs: [], other: [] }): Listing {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix + e.name;
    if (e.isDirectory()) {
      out.dirs.push(rel);
      list(join(dir, e.name), `${rel}/`, out);
    } else if (e.isFile()) out.files.push(rel);
    else out.other.push(rel);
  }
  return out;
}

/** Entries of `dir` that its marker does not account for (files it does not list, links …). */
function foreignEntries(dir: string, m: FolderMarker, l: Listing = list(dir)): string[] {
  const listed = new Set(m.files);
  const parents = new Set(
    m.files.flatMap((f) =>
      f
        .split('/')
        .slice(0, -1)
        .map((_, i, a) => a.slice(0, i + 1).join('/')),
    ),
  );
  return [
    ...l.files.filter((f) => f !== MARKER && f !== MARKER_NEXT && !listed.has(f)),
    ...l.dirs.filter((d) => !parents.has(d)),
    ...l.other,
  ];
}

function lstatOrUndefined(path: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(path);
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return undefined;
    throw fsError(e, 'read', path);
  }
}

/** Why `out` may not be replaced, or undefined when it may (absent, empty, or an owned folder). */
function refusal(out: string): string | undefined {
  const st = lstatOrUndefined(out);
  if (!st) return undefined;
  if (st.isSymbolicLink()) return 'it is a symbolic link';
  if (!st.isDirectory()) return 'it is a file, not a folder';
  let l: Listing;
  try {
    l = list(out);
  } catch (e) {
    throw fsError(e, 'read the folder', out);
  }
  if (l.files.length + l.dirs.length + l.other.length === 0) return undefined;
  const m = readMarker(out);
  if (!m) return `it is a folder that optimlab did not write (it has no ${MARKER})`;
  if (m.state !== 'complete') return `its ${MARKER} says it was never completed`;
  const foreign = foreignEntries(out, m, l);
  if (foreign.length)
    return `it holds ${foreign.length} file(s) optimlab did not write (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}): move them out first`;
  return undefined;
}

// --- steps (the fault-injection hook) ------------------------------------------------------------

class Steps {
  private n = 0;
  constructor(private readonly hook?: (step: number, what: string) => void) {}
  do<T>(what: string, f: () => T): T {
    this.n++;
    this.hook?.(this.n, what);
    return f();
  }
}

/**
 * Removes an owned folder: the files its marker lists, then its (now empty) sub-folders, the
 * marker and the folder. An empty folder is removed; a folder holding anything its marker does not
 * list is left whole. Returns whether it was removed.
 */
function removeOwned(dir: string, fs: Steps): boolean {
  const l = list(dir);
  if (l.files.length + l.dirs.length + l.other.length > 0) {
    const m = readMarker(dir);
    if (!m || foreignEntries(dir, m, l).length > 0) return false;
    for (const f of l.files) if (f !== MARKER) fs.do(`remove ${f}`, () => unlinkSync(join(dir, f)));
    for (const d of [...l.dirs].sort((a, b) => b.length - a.length))
      fs.do(`remove folder ${d}`, () => rmdirSync(join(dir, d)));
    if (l.files.includes(MARKER)) fs.do('remove the marker', () => unlinkSync(join(dir, MARKER)));
  }
  fs.do(`remove ${basename(dir)}`, () => rmdirSync(dir));
  return true;
}

function writeMarker(dir: string, state: FolderMarker['state'], files: string[], fs: Steps): void {
  const text = `${JSON.stringify({ schema: MARKER_SCHEMA, state, createdAt: new Date().toISOString(), files } satisfies FolderMarker, null, 1)}\n`;
  if (state === 'writing') {
    fs.do('write the marker (writing)', () => writeFileSync(join(dir, MARKER), text, { flag: 'wx' }));
    return;
  }
  fs.do('write the marker (complete)', () => writeFileSync(join(dir, MARKER_NEXT), text, { flag: 'wx' }));
  fs.do('rename the marker into place', () => renameSync(join(dir, MARKER_NEXT), join(dir, MARKER)));
}

// --- the lock ----------------------------------------------------------------------------------

interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
  token: string;
}

function readLock(path: string): LockInfo | undefined {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    if (isObject(v) && Number.isSafeInteger(v.pid) && typeof v.host === 'string' && typeof v.token === 'string')
      return v as unknown as LockInfo;
  } catch {
    /* unreadable: not a lock we can judge */
  }
  return undefined;
}

/**
 * Takes `.NAME.lock` beside the folder; returns the function that releases it. The lock's
 * contents are written to `.NAME.lock.PID-HEX` first and linked to its name in one step, so a
 * lock file is always complete, and a run killed at any moment leaves only files that name a
 * dead process (removed by the next run).
 */
function acquireLock(out: string, fs: Steps): () => void {
  const lock = join(dirname(out), `.${basename(out)}.lock`);
  const info: LockInfo = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    token: randomBytes(8).toString('hex'),
  };
  const tmp = `${lock}.${process.pid}-${info.token.slice(0, 8)}`;
  fs.do('write the lock', () => writeFileSync(tmp, `${JSON.stringify(info)}\n`, { flag: 'wx' }));
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        fs.do('take the lock', () => linkSync(tmp, lock));
        break;
      } catch (e) {
        if (errnoCode(e) !== 'EEXIST') throw e;
        const holder = readLock(lock);
        if (attempt === 0 && holder && holder.host === info.host && !processAlive(holder.pid)) {
          fs.do('remove a stale lock', () => unlinkSync(lock));
          continue;
        }
        const who = holder
          ? `optimlab process ${holder.pid} on ${holder.host}, since ${holder.startedAt}`
          : 'another program';
        throw new UserError(
          `${out} is being written by ${who} (lock ${lock}): wait for it to finish; if no optimlab is running, delete ${lock}`,
        );
      }
    }
  } finally {
    fs.do('remove the lock temporary', () => unlinkSync(tmp));
  }
  return () => {
    if (readLock(lock)?.token === info.token) fs.do('release the lock', () => unlinkSync(lock));
  };
}

// --- recovery ----------------------------------------------------------------------------------

/** Temporaries of the folder `out`: `.NAME.tmp-ID`, `.NAME.old-ID`, `.NAME.lock.PID-HEX`. */
function temporaries(out: string): { tmp: Map<string, string>; old: Map<string, string>; lockTemps: string[] } {
  const parent = dirname(out);
  const prefix = `.${basename(out)}.`;
  const tmp = new Map<string, string>();
  const old = new Map<string, string>();
  const lockTemps: string[] = [];
  for (const name of readdirSync(parent)) {
    if (!name.startsWith(prefix)) continue;
    const rest = name.slice(prefix.length);
    const m = /^(tmp|old)-(\d+-\d+-[0-9a-f]{8})$/.exec(rest);
    if (m) (m[1] === 'tmp' ? tmp : old).set(m[2]!, join(parent, name));
    const l = /^lock\.(\d+)-[0-9a-f]{8}$/.exec(rest);
    if (l && !processAlive(Number(l[1]))) lockTemps.push(join(parent, name));
  }
  return { tmp, old, lockTemps };
}

const timeOf = (id: string): number => Number(id.split('-')[1]);

function isComplete(dir: string): boolean {
  const m = readMarker(dir);
  return (
    m !== undefined &&
    m.state === 'complete' &&
    foreignEntries(dir, m).length === 0 &&
    m.files.every((f) => lstatOrUndefined(join(dir, f))?.isFile())
  );
}

/**
 * Under the lock: finishes or rolls back a swap that a killed run left half done (no folder, but
 * its old and/or new copy beside it: the newest complete copy becomes the folder, the new one
 * first), then removes the stale temporaries that are provably ours. Returns what it did.
 */
function recover(out: string, fs: Steps): string[] {
  const notes: string[] = [];
  const { tmp, old, lockTemps } = temporaries(out);
  for (const f of lockTemps) fs.do('remove a stale lock temporary', () => unlinkSync(f));
  if (!lstatOrUndefined(out)) {
    const ids = [...new Set([...tmp.keys(), ...old.keys()])].sort((a, b) => timeOf(b) - timeOf(a));
    done: for (const id of ids) {
      for (const [kind, map] of [
        ['finished', tmp],
        ['rolled back', old],
      ] as const) {
        const dir = map.get(id);
        if (dir && isComplete(dir)) {
          fs.do(`recover ${basename(dir)}`, () => renameSync(dir, out));
          map.delete(id);
          notes.push(
            `${kind} a report swap that an interrupted run left half done: ${out} is the ${kind === 'finished' ? 'new' : 'previous'} report of that run`,
          );
          break done;
        }
      }
    }
  }
  for (const dir of [...tmp.values(), ...old.values()]) {
    try {
      if (!removeOwned(dir, fs)) notes.push(`left ${dir} in place: it holds files optimlab did not write`);
    } catch (e) {
      notes.push(
        `could not remove the stale temporary ${dir} (${errnoCode(e) ?? (e as Error).message}); delete it yourself`,
      );
    }
  }
  return notes;
}

// --- the public operations ----------------------------------------------------------------------

function target(outDir: string): string {
  if (typeof outDir !== 'string' || outDir.trim() === '')
    throw new UserError(`the output folder is ${JSON.stringify(outDir)}; give a folder path such as reports/latest`);
  const out = resolve(outDir);
  if (dirname(out) === out)
    throw new UserError(
      `refusing to write a report folder at ${out}, the root of the file system; give a folder path such as reports/latest`,
    );
  return out;
}

function refuse(out: string, why: string): UserError {
  return new UserError(
    `refusing to replace ${out}: ${why}. optimlab replaces only a report folder it wrote itself (marked by ${MARKER}) or an empty folder, and never deletes anything else: choose a new folder name`,
  );
}

/** Holds the lock of `out` while `f` runs, after recovering an interrupted write. */
function locked<T>(out: string, fs: Steps, f: (notes: string[]) => T): T {
  try {
    mkdirSync(dirname(out), { recursive: true });
  } catch (e) {
    throw fsError(e, 'create the folder', dirname(out));
  }
  let release: () => void;
  try {
    release = acquireLock(out, fs);
  } catch (e) {
    throw fsError(e, 'write in', dirname(out));
  }
  try {
    return f(recover(out, fs));
  } finally {
    release();
  }
}

/**
 * Checks, before any long work, that `outDir` can be written: recovers an interrupted write, and
 * throws the UserError that writeOwnedFolder would throw for a folder it may not replace or a
 * folder another run holds. Returns the recovery notes.
 */
export function checkOwnedFolder(outDir: string): string[] {
  const out = target(outDir);
  return locked(out, new Steps(), (notes) => {
    const why = refusal(out);
    if (why) throw refuse(out, why);
    return notes;
  });
}

/**
 * Writes `files` (relative name → contents) as the folder `outDir`, replacing the folder that is
 * there only if optimlab owns it (see the module comment). If anything fails before the swap, the
 * previous folder is untouched and the temporary one is removed.
 */
export function writeOwnedFolder(
  outDir: string,
  files: ReadonlyMap<string, string | Uint8Array>,
  opts: FolderWriteOptions = {},
): FolderWriteResult {
  const out = target(outDir);
  const names = [...files.keys()];
  for (const n of names) checkName(out, n);
  const fs = new Steps(opts.faultHook);
  return locked(out, fs, (notes) => {
    const why = refusal(out);
    if (why) throw refuse(out, why);
    const parent = dirname(out);
    const id = `${process.pid}-${Date.now()}-${randomBytes(4).toString('hex')}`;
    const tmp = join(parent, `.${basename(out)}.tmp-${id}`);
    const old = join(parent, `.${basename(out)}.old-${id}`);
    const hadOld = lstatOrUndefined(out) !== undefined;
    const unchanged = hadOld ? 'the previous report is unchanged' : 'nothing was written';
    try {
      fs.do('create the temporary folder', () => mkdirSync(tmp));
      writeMarker(tmp, 'writing', names, fs);
      for (const [name, data] of files) {
        const path = checkName(tmp, name);
        if (name.includes('/'))
          fs.do(`create the folder of ${name}`, () => mkdirSync(dirname(path), { recursive: true }));
        fs.do(`write ${name}`, () => writeFileSync(path, data, { flag: 'wx' }));
      }
      writeMarker(tmp, 'complete', names, fs);
      opts.beforeSwap?.(tmp);
    } catch (e) {
      try {
        removeOwned(tmp, new Steps());
      } catch {
        /* the next write removes it */
      }
      const code = errnoCode(e);
      throw code ? new UserError(`${fsError(e, 'write the report folder', out).message}; ${unchanged}`) : e;
    }
    if (hadOld) fs.do('move the previous folder aside', () => renameSync(out, old));
    try {
      fs.do('move the new folder into place', () => renameSync(tmp, out));
    } catch (e) {
      if (hadOld) renameSync(old, out);
      try {
        removeOwned(tmp, new Steps());
      } catch {
        /* the next write removes it */
      }
      throw errnoCode(e) ? new UserError(`${fsError(e, 'write the report folder', out).message}; ${unchanged}`) : e;
    }
    if (hadOld) {
      try {
        if (!removeOwned(old, fs))
          notes.push(
            `kept the previous report as ${old}: files optimlab did not write appeared in it while this report was written; move them, then delete it`,
          );
      } catch (e) {
        if (!errnoCode(e)) throw e;
        notes.push(
          `the new report is in place, but the previous one, moved to ${old}, could not be removed (${errnoCode(e)}); the next report write removes it, or delete it yourself`,
        );
      }
    }
    return { dir: out, notes };
  });
}
