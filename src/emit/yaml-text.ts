import { parse } from 'yaml';
import type { Json } from '../model/errors.js';

/**
 * JSON values as YAML text that loads back to exactly the same value, in YAML 1.2 (our loader) and in the YAML 1.1
 * readers many editors and tools still use. A string is written plain only when it is unmistakably a string to
 * both (no special word such as `yes`, `null` or `on`, nothing that reads as a number, date, indicator or comment);
 * a multi-line string as a literal block when that block reads back exactly (checked by parsing it); anything else
 * double-quoted, with every character YAML does not print, and every bidirectional-text mark, escaped.
 */

/** Characters escaped inside double quotes: C0/C1 controls, DEL, line and bidi marks, BOM, non-characters. */
const ESCAPE =
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff0-\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const ESCAPE_ONE = new RegExp(ESCAPE.source);

const NAMED: Readonly<Record<string, string>> = {
  '\n': '\\n',
  '\t': '\\t',
  '\r': '\\r',
  '"': '\\"',
  '\\': '\\\\',
};

/** Words YAML 1.1 or 1.2 reads as booleans or null, compared case-insensitively. */
const SPECIAL_WORDS = new Set(['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null']);

/**
 * Plain-safe: starts with a letter or `_` (so never an indicator, a number or a date); then printable ASCII or
 * letters, marks and digits of any script; no `: ` (a mapping), no ` #` (a comment).
 */
const PLAIN = /^[\p{L}_][\x20-\x7e\p{L}\p{M}\p{N}]*$/u;

/** A string written as a plain scalar reads back as the same string, in YAML 1.1 and 1.2. */
export function isPlainSafe(s: string): boolean {
  return (
    PLAIN.test(s) &&
    !s.endsWith(' ') &&
    !s.endsWith(':') &&
    !s.includes(': ') &&
    !s.includes(' #') &&
    !s.includes('\t') &&
    !ESCAPE_ONE.test(s) &&
    !SPECIAL_WORDS.has(s.toLowerCase())
  );
}

/** A double-quoted YAML scalar on one line (YAML's escapes are a superset of JSON's). */
export function doubleQuoted(s: string): string {
  const body = s
    .replace(/["\\]/g, (c) => NAMED[c] as string)
    .replace(ESCAPE, (c) => NAMED[c] ?? `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
  return `"${body}"`;
}

/** Text for a comment: one line, nothing hidden or reordered. */
export function commentText(s: string): string {
  return s.replace(ESCAPE, (c) => NAMED[c] ?? `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}

/** A literal block (`|-` or `|`) for a multi-line string when it reads back exactly; else undefined. */
function literalBlock(s: string, indent: number): string[] | undefined {
  if (!s.includes('\n') || s.includes('\r')) return undefined;
  ESCAPE.lastIndex = 0;
  if (s.replace(/[\n\t]/g, '').match(ESCAPE)) return undefined;
  const trailing = /\n*$/.exec(s)?.[0].length ?? 0;
  const body = s.slice(0, s.length - trailing);
  const lines = body.split('\n');
  // Trailing blanks and a leading indent are content that editors and indentation detection would get wrong.
  if (lines.some((l) => /[ \t]$/.test(l))) return undefined;
  const first = lines.find((l) => l !== '');
  if (first === undefined || /^[ \t]/.test(first)) return undefined;
  // `|+` would keep the blank lines that follow in the file too (between sections), so more than one final newline
  // is written double-quoted.
  if (trailing > 1) return undefined;
  const chomp = trailing === 0 ? '-' : '';
  const pad = ' '.repeat(indent);
  const content = lines.map((l) => (l === '' ? '' : pad + l));
  const block = [`|${chomp}`, ...content];
  // Proof, not hope: the block must parse back to the string.
  let back: unknown;
  try {
    back = parse(`k: ${block.join('\n')}\n`, { version: '1.2' });
  } catch {
    return undefined;
  }
  const value = (back as { k?: unknown } | null)?.k;
  return value === s ? block : undefined;
}

/** A scalar as the text after `key: ` (maybe several lines, for a block at `indent`). */
export function scalar(value: Json, indent: number): string[] {
  if (value === null) return ['null'];
  if (typeof value === 'boolean') return [value ? 'true' : 'false'];
  if (typeof value === 'number') return [Number.isFinite(value) ? JSON.stringify(value) : 'null'];
  if (typeof value !== 'string') return [JSON.stringify(value)];
  if (isPlainSafe(value)) return [value];
  return literalBlock(value, indent) ?? [doubleQuoted(value)];
}

/** A string on one line: plain when safe, else double-quoted (never a block). */
export function inlineText(s: string): string {
  return isPlainSafe(s) ? s : doubleQuoted(s);
}

/** A mapping key: plain when safe, else double-quoted (keys are never blocks). */
export function keyText(key: string): string {
  return inlineText(key);
}

function isEnvRef(v: Json): v is { env: string } {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    Object.keys(v).length === 1 &&
    typeof v['env'] === 'string' &&
    isPlainSafe(v['env'])
  );
}

const LONG_KEY = 1000;

/** The lines of `key: value` at `indent` (nested mappings and sequences in block style). */
export function mappingLines(map: { [key: string]: Json }, indent: number): string[] {
  const pad = ' '.repeat(indent);
  const out: string[] = [];
  for (const [k, v] of Object.entries(map)) {
    // YAML allows an implicit key of at most 1024 characters; a longer one is written explicitly (`? key`, `: value`).
    const text = keyText(k);
    const long = text.length > LONG_KEY;
    if (long) out.push(`${pad}? ${text}`);
    const key = long ? `${pad}:` : `${pad}${text}:`;
    if (isEnvRef(v)) out.push(`${key} { env: ${v.env} }`);
    else if (Array.isArray(v)) {
      if (v.length === 0) out.push(`${key} []`);
      else out.push(key, ...sequenceLines(v, indent + 2));
    } else if (typeof v === 'object' && v !== null) {
      if (Object.keys(v).length === 0) out.push(`${key} {}`);
      else out.push(key, ...mappingLines(v, indent + 2));
    } else {
      const [first, ...rest] = scalar(v, indent + 2);
      out.push(`${key} ${first as string}`, ...rest);
    }
  }
  return out;
}

/** The lines of a block sequence at `indent`. */
export function sequenceLines(items: readonly Json[], indent: number): string[] {
  const pad = ' '.repeat(indent);
  const out: string[] = [];
  for (const item of items) {
    if (Array.isArray(item)) {
      if (item.length === 0) out.push(`${pad}- []`);
      else out.push(`${pad}-`, ...sequenceLines(item, indent + 2));
    } else if (typeof item === 'object' && item !== null && !isEnvRef(item)) {
      if (Object.keys(item).length === 0) out.push(`${pad}- {}`);
      else {
        const lines = mappingLines(item, indent + 2);
        out.push(`${pad}- ${(lines[0] as string).slice(indent + 2)}`, ...lines.slice(1));
      }
    } else if (isEnvRef(item)) out.push(`${pad}- { env: ${item.env} }`);
    else {
      const [first, ...rest] = scalar(item, indent + 2);
      out.push(`${pad}- ${first as string}`, ...rest);
    }
  }
  return out;
}
