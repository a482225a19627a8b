/**
 * Characters that must not reach a terminal or a rendered page as themselves: C0 controls (ESC starts terminal
 * escape sequences, CR overwrites a line), DEL, C1 controls, and the bidirectional marks, embeddings, overrides and
 * isolates that can make text read in a different order than it is stored (CVE-2021-42574, "Trojan Source"), the
 * Unicode line and paragraph separators, and the invisible zero-width characters that make two different keys look
 * the same (`ops` and `o\u200Bps`) or hide a word from a reader.
 */
const UNSAFE_WITH_NEWLINES =
  /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u061C\u200B-\u200F\u2028\u2029\u202A-\u202E\u2060-\u2069\uFEFF]/g;
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u061C\u200B-\u200F\u2028\u2029\u202A-\u202E\u2060-\u2069\uFEFF]/g;

/**
 * The one escaping function of every human output (text and Markdown plans, apply progress and results, issues,
 * errors): each unsafe character is shown as `\uXXXX` (e.g. `\u202E`). `\n` is kept where it separates lines of
 * the output; pass `newlines: false` for text that must stay on one line.
 */
export function escapeText(text: string, options: { newlines?: boolean } = {}): string {
  const re = options.newlines === false ? UNSAFE : UNSAFE_WITH_NEWLINES;
  return text.replace(re, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}
