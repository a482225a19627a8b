import { createHash } from 'node:crypto';
import type { Json } from '../model/errors.js';

/**
 * JSON values as TypeScript source text that evaluates to exactly the same value: strings as double-quoted literals
 * with JSON's escapes, plus `\uXXXX` for every character a reader would not see (C0/C1 controls, DEL, line and
 * paragraph separators, bidirectional-text marks, BOM, non-characters, lone surrogates), so the source reads as it
 * runs ("Trojan Source", CVE-2021-42574). Object keys are always quoted; `__proto__` is written as a computed key,
 * the one way an object literal makes it an own property (as JSON.parse does).
 */

const ESCAPE =
  /[\u0000-\u001f\u007f-\u009f\u00a0\u00ad\u061c\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff\ufff0-\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const NAMED: Readonly<Record<string, string>> = {
  '\n': '\\n',
  '\t': '\\t',
  '\r': '\\r',
  '"': '\\"',
  '\\': '\\\\',
};

/** A string as a TypeScript double-quoted literal. */
export function tsString(s: string): string {
  return `"${s.replace(/["\\]/g, (c) => NAMED[c] as string).replace(ESCAPE, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

/** Text for a comment line (line or block comment): one line, escaped as in a literal, a block's end broken. */
export function tsCommentText(s: string): string {
  return tsString(s).slice(1, -1).replace(/\*\//g, '*\\/');
}

/** An object key in a literal. */
export function tsKey(k: string): string {
  return k === '__proto__' ? `[${tsString(k)}]` : tsString(k);
}

/** A JSON value as a TypeScript expression, indented for a line that starts at `indent` spaces. */
export function tsValue(v: Json, indent: number): string {
  if (v === null || typeof v !== 'object') return typeof v === 'string' ? tsString(v) : jsonScalar(v);
  const pad = ' '.repeat(indent + 2);
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[\n${v.map((x) => `${pad}${tsValue(x, indent + 2)},`).join('\n')}\n${' '.repeat(indent)}]`;
  }
  const entries = Object.entries(v);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, x]) => `${pad}${tsKey(k)}: ${tsValue(x, indent + 2)},`).join('\n')}\n${' '.repeat(indent)}}`;
}

function jsonScalar(v: number | boolean | null): string {
  if (typeof v === 'number' && Object.is(v, -0)) return '-0';
  return JSON.stringify(v);
}

/**
 * A construct id made from a key, never the key itself as code: letters, digits and `_` kept, every other run of
 * characters one `-`, at most 48 characters; a key that gives nothing is named by a hash of it. `taken` makes it
 * unique (`-2`, `-3`, ...).
 */
export function constructId(prefix: string, key: string, taken: Set<string>): string {
  const slug = key
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9_]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  const base = `${prefix}-${slug === '' ? createHash('sha256').update(key).digest('hex').slice(0, 8) : slug}`;
  let id = base;
  for (let n = 2; taken.has(id.toLowerCase()); n++) id = `${base}-${n}`;
  taken.add(id.toLowerCase());
  return id;
}
