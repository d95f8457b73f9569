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
    .replace(/\r?\n/g, ' ');
}

/** A fenced code block that no backtick run in `s` can close early. */
export function mdCode(s: string, lang = ''): string {
  const longest = Math.max(2, ...[...s.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${s}\n${fence}`;
}

/**
 * GitHub's heading anchor for `text`: lower case, anything but letters, digits, spaces, '-' and
 * '_' dropped, spaces → '-'. The HTML report uses the same ids, so one link works in both.
 */
export function slug(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
}
