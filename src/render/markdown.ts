import { escapeText } from './escape.js';

/**
 * The Markdown every report writes for GitHub and GitLab, where a value from the files or from m3ter is data: it
 * goes in a code span, because backslash escapes are not enough (both sites turn `@name`, `#123` and bare URLs in
 * rendered text into mentions, references and links, and they parse inline HTML such as `<code>` as Markdown
 * inside). Pure.
 */

/** HTML outside code: `&`, `<`, `>` as entities. Only for our own text; data goes through {@link codeSpan}. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return longest;
}

/** A fence for a fenced code block: longer than any run of backticks in the body, so a value cannot close it. */
export function codeFence(body: string): string {
  return '`'.repeat(Math.max(3, longestRun(body, '`') + 1));
}

/** Cuts text to `max` code points, saying how many were left out. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = [...text];
  if (chars.length <= max) return text;
  return `${chars.slice(0, max).join('')}… (${chars.length - max} more characters)`;
}

export interface CodeSpanOptions {
  /** In a table cell: every `|` escaped so that it cannot end the cell (a code span does not stop a table's split). */
  readonly table?: boolean;
  /** Longer values are cut, saying how much was left out. */
  readonly max?: number;
}

/**
 * A value as a code span: newlines, controls and bidi characters shown as `\uXXXX` (a code span cannot span a
 * paragraph, and a CR or a line separator must not start a new line of the table), a fence of one backtick more than
 * the longest run inside, and spaces inside the fence where the value starts or ends with a backtick or a space.
 */
export function codeSpan(value: string, options: CodeSpanOptions = {}): string {
  let v = escapeText(value, { newlines: false });
  if (options.max !== undefined) v = cutText(v, options.max);
  if (v === '') return '` `';
  const fence = '`'.repeat(longestRun(v, '`') + 1);
  const pad = v.startsWith('`') || v.endsWith('`') || (v.startsWith(' ') && v.endsWith(' ')) ? ' ' : '';
  const span = `${fence}${pad}${v}${pad}${fence}`;
  // GFM splits a row at every `|` not escaped by a backslash, counting backslashes in pairs: a run of them before a
  // pipe gets one more when even, two more when odd, so the pipe itself is always escaped.
  return options.table
    ? span.replace(/(\\*)\|/g, (_m, slashes: string) => `${slashes}${slashes.length % 2 ? '\\\\' : '\\'}|`)
    : span;
}

/** A JSON string literal (as `labelOf` and `JSON.stringify` write them) inside our own text. */
const LITERAL = /("(?:[^"\\\n]|\\.)*")/;

/** What our own text never holds once the literals are taken out; if it does, the split went wrong. */
const NOT_PROSE = /[@#<>[\]!|\\&"]|:\/\/|www\./i;

/**
 * A message of ours that quotes values as JSON strings (`webhook "ops" is planned for deletion`): each quoted value
 * becomes a code span, the words stay text. If the words hold anything a renderer could make something of, the
 * split cannot be trusted and the whole message becomes one code span.
 */
export function prose(text: string, options: CodeSpanOptions = {}): string {
  const parts = text.split(LITERAL);
  const last = parts.length - 1;
  const trusted = parts.every(
    (w, i) =>
      i % 2 === 1 ||
      (!NOT_PROSE.test(w) &&
        w === escapeText(w, { newlines: false }) &&
        // Our own code spans in the words are whole, and none touches a value's fence.
        (w.match(/`/g)?.length ?? 0) % 2 === 0 &&
        !(i > 0 && w.startsWith('`')) &&
        !(i < last && w.endsWith('`'))),
  );
  if (!trusted) return codeSpan(text, options);
  return parts.map((p, i) => (i % 2 === 0 ? p : codeSpan(p, options))).join('');
}
