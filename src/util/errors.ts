/**
 * Errors that are the user's to fix (a path optimlab will not touch, a folder another run holds,
 * a file that cannot be read). The CLI prints their message as one line and exits 2; no stack.
 */
export class UserError extends Error {
  override name = 'UserError';
}

/** The Node error code of `e` ('EACCES', 'ENOSPC' …), or undefined. */
export function errnoCode(e: unknown): string | undefined {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === 'string' ? c : undefined;
}

/** What to do about a file-system error, by its code (the path is said by the caller). */
const ADVICE: Record<string, string> = {
  EACCES: 'permission denied: choose a place you may write, or change its permissions',
  EPERM: 'operation not permitted: choose a place you may write, or change its permissions',
  EROFS: 'the file system is read-only: choose another place',
  ENOSPC: 'no space left on the device: free some space or choose another disk',
  EDQUOT: 'disk quota exceeded: free some space or choose another disk',
  EISDIR: 'it is a folder; a file path is needed here',
  ENOTDIR: 'a part of the path is a file, not a folder',
  ENOENT: 'no such file or folder',
  ENAMETOOLONG: 'the path is too long',
  EMFILE: 'too many open files: retry, or raise the limit (ulimit -n)',
  EBUSY: 'the file is busy (in use by another program): retry later',
  EEXIST: 'it exists already',
  ENOTEMPTY: 'the folder is not empty',
  EXDEV: 'the paths are on different file systems',
  ELOOP: 'too many symbolic links in the path',
  EIO: 'an input/output error of the device',
};

/**
 * A UserError for a file-system error `e` met while doing `what` to `path`, with the code's advice
 * (EACCES → choose a place you may write …), or `e` itself when it is not a file-system error.
 */
export function fsError(e: unknown, what: string, path: string): Error {
  const code = errnoCode(e);
  if (code === undefined || !(code in ADVICE)) return e instanceof Error ? e : new Error(String(e));
  return new UserError(`cannot ${what} ${path}: ${ADVICE[code]} (${code})`);
}
