/**
 * A word for a POSIX shell command line: the text in single quotes, each ' inside written '\''.
 * Nothing inside single quotes is interpreted ($, `, \, ;, newlines), so a replay string from a
 * merged file cannot run anything when a reader pastes the line.
 */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, "'\\''")}'`;
}
