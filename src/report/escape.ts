/** Escaping for the two output languages, and the anchors both share. */

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML element content and quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML[c]!);
}

/**
 * Text for a GitHub-flavoured Markdown table cell or paragraph: HTML-significant characters become
 * entities, Markdown punctuation is backslash-escaped, the cell separator and line breaks too.
 */
export function escapeMd(s: string): string {
  return s
    .replace(/[&<>]/g, (c) => HTML[c]!)
    .replace(/([\\`*_[\]|~])/g, '\\$1')
    .replace(/\r\n|[\r\n]/g, ' '); // a lone CR ends a line too: it would close the table (D14)
}

/** A fenced code block that no backtick run in `s` can close early. */
export function mdCode(text: string, lang = ''): string {
  const s = text.replace(/\r\n?/g, '\n'); // one kind of line end (a lone CR is one in Markdown)
  let longest = 2;
  for (const m of s.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${s}\n${fence}`;
}

/**
 * GitHub's heading anchor for `text`: lower case, anything but letters, digits, spaces, '-' and
 * '_' dropped, spaces → '-'. The HTML report uses the same ids, so one link works in both.
 */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}
