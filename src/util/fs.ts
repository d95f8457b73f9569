/**
 * Writing result files without harming anything (docs/writing.md):
 *  - writeFileAtomic: a sibling temporary file, then a rename over the target (atomic on one file
 *    system): a failed or interrupted run leaves the old file whole; temporaries that a killed run
 *    left (named after its process, now dead) are removed by the next write beside them.
 *  - OutputFile: an output a command was given (--json PATH, --junit PATH, bench --out PATH) is
 *    checked before any work (checkOutputFile): it must be a file path in a folder that exists or
 *    can be made, and an existing file is replaced only if optimlab wrote it (recognised by its
 *    contents). Anything else is a UserError naming the option, the path and what to do.
 *  - rescue: where the final write fails after long work (a full disk), the results are saved in
 *    a new folder under the system's temporary folder, and the caller says where.
 */
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError, errnoCode, fsError } from './errors.js';

/** Whether process `pid` is alive on this host (EPERM: alive, another user's). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errnoCode(e) === 'EPERM';
  }
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Removes `.NAME.PID.TIME.tmp` files beside `path` whose process is dead (a killed earlier write). */
function removeStaleTemporaries(path: string): void {
  const re = new RegExp(`^\\.${escapeRe(basename(path))}\\.(\\d+)\\.\\d+\\.tmp$`);
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const n of names) {
    const m = re.exec(n);
    if (m && Number(m[1]) !== process.pid && !processAlive(Number(m[1]))) {
      try {
        unlinkSync(join(dirname(path), n));
      } catch {
        /* another run got there first */
      }
    }
  }
}

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, data, { flag: 'wx' });
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  removeStaleTemporaries(path);
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** An output file a command was given. */
export interface OutputFile {
  /** The option that named it, for messages: '--json'. */
  option: string;
  path: string;
  /** What optimlab writes there, for messages: 'an optimlab JSON document'. */
  what: string;
  /** Whether an existing file's text is one optimlab wrote (and may replace). */
  ours: (text: string) => boolean;
}

/** Largest existing file read to recognise it (a bench results file of a full run is ~1 MB). */
const RECOGNISE_MAX_BYTES = 512 * 2 ** 20;

/** An output for optimlab's JSON documents: an existing file is replaced only if it is one. */
export function jsonOutput(option: string, path: string): OutputFile {
  return {
    option,
    path,
    what: 'an optimlab JSON document',
    ours: (text) => {
      try {
        const d = JSON.parse(text) as { schema?: unknown; format?: unknown } | null;
        return (
          typeof d === 'object' &&
          d !== null &&
          ((typeof d.schema === 'string' && d.schema.startsWith('optimlab.')) || d.format === 'optimlab.bench')
        );
      } catch {
        return false;
      }
    },
  };
}

/**
 * Checks, before any work, that `o` can be written: a non-empty path, not a folder, in a folder
 * that exists or can be made, and either absent or a file optimlab wrote. Throws a UserError.
 */
export function checkOutputFile(o: OutputFile): void {
  if (o.path.trim() === '')
    throw new UserError(`${o.option} '${o.path}': an empty path; give a file path such as results/verify.json`);
  const path = resolve(o.path);
  let st: ReturnType<typeof lstatSync> | undefined;
  try {
    st = lstatSync(path);
  } catch (e) {
    if (errnoCode(e) !== 'ENOENT' && errnoCode(e) !== 'ENOTDIR') throw fsError(e, `use ${o.option}`, o.path);
    if (errnoCode(e) === 'ENOTDIR')
      throw new UserError(
        `${o.option} ${o.path}: a part of the path is a file, not a folder; give a file path in a folder`,
      );
  }
  if (st?.isDirectory())
    throw new UserError(`${o.option} ${o.path}: a folder; give a file path, such as ${join(o.path, 'results.json')}`);
  if (st && !st.isFile())
    throw new UserError(
      `${o.option} ${o.path}: not a regular file (a link, device or pipe); optimlab replaces only files it wrote: give a new file name`,
    );
  if (st) {
    let text = '';
    try {
      text = st.size <= RECOGNISE_MAX_BYTES ? readFileSync(path, 'utf8') : '';
    } catch (e) {
      throw fsError(e, `read ${o.option}`, o.path);
    }
    if (!o.ours(text))
      throw new UserError(
        `${o.option} ${o.path}: the file exists and is not ${o.what}; optimlab replaces only files it wrote: give a new file name, or move the file away`,
      );
    return;
  }
  // absent: its folder must exist or be creatable (the nearest existing ancestor must be a folder)
  let dir = dirname(path);
  for (;;) {
    let ds: ReturnType<typeof lstatSync> | undefined;
    try {
      ds = lstatSync(dir);
    } catch (e) {
      if (errnoCode(e) !== 'ENOENT') throw fsError(e, `use ${o.option}`, o.path);
    }
    if (ds) {
      if (!ds.isDirectory() && !ds.isSymbolicLink())
        throw new UserError(`${o.option} ${o.path}: ${dir} is a file, not a folder; give a file path in a folder`);
      return;
    }
    if (dirname(dir) === dir) return;
    dir = dirname(dir);
  }
}

/** Writes `text` to `o` (checked again first): a UserError with the path and what to do when it fails. */
export function writeOutputFile(o: OutputFile, text: string): void {
  checkOutputFile(o);
  try {
    writeFileAtomic(resolve(o.path), text);
  } catch (e) {
    const err = fsError(e, `write ${o.option}`, o.path);
    throw err instanceof UserError ? new UserError(`${err.message}; the previous file, if any, is unchanged`) : err;
  }
}

/**
 * Saves `files` (name → text) in a new folder under the system's temporary folder, for results
 * that could not be written where asked; returns the folder. Throws a UserError if that fails too.
 */
export function rescue(files: ReadonlyMap<string, string>): string {
  let dir: string;
  try {
    dir = mkdtempSync(join(tmpdir(), 'optimlab-rescued-'));
    for (const [name, text] of files) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text, { flag: 'wx' });
    }
  } catch (e) {
    throw new UserError(
      `the results could not be saved in ${tmpdir()} either (${errnoCode(e) ?? (e as Error).message})`,
    );
  }
  return dir;
}

/**
 * writeOutputFile after long work: if the write fails, the text is saved by `rescue` and the
 * UserError says both why and where the results are now.
 */
export function writeOutputOrRescue(o: OutputFile, text: string): void {
  try {
    writeOutputFile(o, text);
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    const dir = rescue(new Map([[basename(o.path) || 'results', text]]));
    throw new UserError(`${e.message}. The results are saved in ${join(dir, basename(o.path) || 'results')}`);
  }
}
