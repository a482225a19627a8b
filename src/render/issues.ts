import type { Issue } from '../model/errors.js';
import { painter } from './ansi.js';
import { escapeText } from './escape.js';

export interface RenderIssuesOptions {
  format: 'text' | 'json';
  /** ANSI colours in text output. */
  color: boolean;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `file:line:col pointer` (line 0 means the whole file: `file`; the root pointer is left out). */
export function issueLocation(i: Issue): string {
  const pos = i.line > 0 ? `${i.file}:${i.line}:${i.col}` : i.file;
  return i.pointer === '' ? pos : `${pos} ${i.pointer}`;
}

/**
 * Issues as text, one per line: `file:line:col pointer: message [code]`, warnings marked `warning:`, each followed by
 * `  hint: ...` when there is a hint, then a count line. Or as JSON: `{ issues, summary }` with a fixed key order.
 * Pure: returns the text, ends with a newline.
 */
export function renderIssues(issues: readonly Issue[], options: RenderIssuesOptions): string {
  const errors = issues.filter((i) => i.severity === 'error').length;
  const warnings = issues.length - errors;
  if (options.format === 'json') {
    const out = {
      issues: issues.map((i) => ({
        severity: i.severity,
        code: i.code,
        file: i.file,
        line: i.line,
        col: i.col,
        pointer: i.pointer,
        message: i.message,
        hint: i.hint ?? null,
      })),
      summary: { errors, warnings },
    };
    return `${JSON.stringify(out, null, 2)}\n`;
  }
  const c = painter(options.color);
  const lines: string[] = [];
  for (const i of issues) {
    const label = i.severity === 'warning' ? `${c('yellow', 'warning:')} ` : '';
    const text = escapeText(i.message, { newlines: false });
    const message = i.severity === 'error' ? c('red', text) : text;
    const where = escapeText(issueLocation(i), { newlines: false });
    lines.push(`${c('bold', where)}: ${label}${message} ${c('dim', `[${i.code}]`)}`);
    if (i.hint) lines.push(c('dim', `  hint: ${escapeText(i.hint, { newlines: false })}`));
  }
  lines.push(`${plural(errors, 'error')}, ${plural(warnings, 'warning')}`);
  return `${lines.join('\n')}\n`;
}
