import { SENSITIVE } from './secret.js';

/** Secrets shorter than this are not redacted: they would match ordinary words, and no real secret is this short. */
const MIN_SECRET_LENGTH = 4;

/**
 * Every form in which a server might echo `secret`: raw; JSON-escaped (once and twice, with `\/` and `\uXXXX`
 * variants, and with every character as `\uXXXX`); percent-encoded (encodeURIComponent, form `+` style, every
 * byte as `%XX`; upper- and lower-case hex); hex of its bytes; base64 and base64url, with and without padding, and
 * the part of them that stays the same at each of the three alignments the secret's bytes can have inside a larger
 * base64 text (a receiver echoing the whole request, or `key:secret` Basic credentials, base64-encoded).
 */
export function secretForms(secret: string): string[] {
  if (secret.length < MIN_SECRET_LENGTH) return [];
  const bytes = Buffer.from(secret, 'utf8');
  const json = JSON.stringify(secret).slice(1, -1);
  const uri = encodeURIComponent(secret);
  const form = new URLSearchParams([['', secret]]).toString().slice(1);
  const hex = bytes.toString('hex');
  const everyByte = hex.replace(/../g, '%$&');
  let everyChar = '';
  for (let i = 0; i < secret.length; i++)
    everyChar += `\\u${secret.charCodeAt(i).toString(16).padStart(4, '0')}`;
  const forms = new Set([
    secret,
    json,
    json.replace(/\//g, '\\/'),
    json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    JSON.stringify(json).slice(1, -1),
    everyChar,
    everyChar.toUpperCase().replace(/\\U/g, '\\u'),
    uri,
    uri.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    form,
    form.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    everyByte,
    everyByte.toUpperCase(),
    hex,
    hex.toUpperCase(),
    ...base64Forms(bytes),
  ]);
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

/**
 * base64 and base64url of `bytes` as a whole, and, for each alignment (0, 1 or 2 bytes before them in a larger
 * text), the run of characters that depends on these bytes alone: the characters that mix in a neighbour's bits are
 * left out, so the run matches wherever the bytes sit.
 */
function base64Forms(bytes: Buffer): string[] {
  const whole = bytes.toString('base64');
  const out = [whole, whole.replace(/=+$/, ''), bytes.toString('base64url')];
  for (const before of [0, 1, 2]) {
    const text = Buffer.concat([Buffer.alloc(before), bytes]).toString('base64');
    // Characters before `first` hold bits of the bytes before; those from `end` on, bits of the bytes after.
    const first = [0, 2, 3][before] as number;
    const end = Math.floor(((before + bytes.length) * 8) / 6);
    const run = text.slice(first, end);
    out.push(run, run.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}

/** The HTTP Basic credentials `key:secret` as sent in an Authorization header (base64). */
export function basicCredentials(user: string, secret: string): string {
  return Buffer.from(`${user}:${secret}`, 'utf8').toString('base64');
}

/**
 * `text` with every form (see secretForms) of every secret replaced by `(sensitive)`. Longer forms go first, so a
 * secret inside a longer one (the secret inside its Basic credentials) cannot leave a readable remainder.
 */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  const forms = new Set<string>();
  const patterns: string[] = [];
  for (const s of secrets) {
    for (const f of secretForms(s)) forms.add(f);
    if (s.length >= MIN_SECRET_LENGTH) patterns.push(...looseForms(s));
  }
  let out = text;
  for (const f of [...forms].sort((a, b) => b.length - a.length)) {
    if (out.includes(f)) out = out.split(f).join(SENSITIVE);
  }
  if (patterns.length > 0) out = out.replace(new RegExp(patterns.join('|'), 'g'), SENSITIVE);
  return out;
}

const HEX_LETTER = /[a-f]/gi;

/** A hex number matched in either case (with any number of leading zeros when width is 1). */
function hexPattern(n: number, width: number): string {
  const digits = n.toString(16).padStart(width, '0');
  return digits.replace(HEX_LETTER, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`);
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  '<': '&lt;',
  '>': '&gt;',
  '&': '&amp;',
  '"': '&quot;',
  "'": '&apos;',
  ' ': '&nbsp;',
};

/** Every way one character may be written by an encoder that escapes some characters and leaves the others. */
function charPattern(c: string): string {
  const cp = c.codePointAt(0) as number;
  const alts = [c.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')];
  let units = '';
  for (let i = 0; i < c.length; i++) units += `\\\\{1,2}u${hexPattern(c.charCodeAt(i), 4)}`;
  alts.push(units);
  alts.push([...Buffer.from(c, 'utf8')].map((b) => `%${hexPattern(b, 2)}`).join(''));
  alts.push(`&#0*${cp};`, `&#[xX]0*${hexPattern(cp, 1)};`);
  const named = NAMED_ENTITIES[c];
  if (named !== undefined) alts.push(named);
  if (c === ' ') alts.push('\\+');
  if (c === '/' || c === '"' || c === '\\') alts.push(`\\\\{1,2}\\${c}`);
  return `(?:${alts.join('|')})`;
}

/**
 * Patterns of the forms no fixed list can hold: the secret with any mix of its characters escaped (Go's JSON
 * writes `<` as `\u003c`, encodeURI leaves `/` and `+` as they are, an HTML page writes `&amp;`), and its base64
 * and hex with line breaks or separators between the characters (MIME wraps base64, dump tools print `5a:6b:..`).
 */
function looseForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const out = [[...secret].map(charPattern).join('')];
  for (const f of base64Forms(bytes)) {
    if (f.length >= MIN_SECRET_LENGTH) out.push([...f].map((c) => c.replace(/[+/=]/g, '\\$&')).join('\\s*'));
  }
  const pairs = bytes.toString('hex').match(/../g) ?? [];
  out.push(pairs.map((p) => p.replace(HEX_LETTER, (c) => `[${c}${c.toUpperCase()}]`)).join('[\\s:-]?'));
  return out;
}

/**
 * A URL as it may be shown: any user info (`user:password@`) replaced by `***@`, whether or not the URL parses.
 * Without a parse to trust, everything between the scheme and the last `@` counts as user info: a password may
 * hold `/`, `?` or `#`, so over-hiding is the safe side.
 */
export function redactUrl(url: string): string {
  const at = url.lastIndexOf('@');
  if (at < 0) return url;
  const scheme = /^[a-z][a-z0-9+.-]*:\/*/i.exec(url);
  const start = scheme ? scheme[0].length : 0;
  if (at < start) return url;
  return `${url.slice(0, start)}***@${url.slice(at + 1)}`;
}

/**
 * A value as it may be shown: every string in it that is a URL (starts with `scheme://`) with user info masked by
 * redactUrl. Live values are compared as they are; this is for output only (plans, drift reports, graphs).
 */
export function redactUrlsIn<T>(value: T): T {
  if (typeof value === 'string')
    return (value.includes('@') && /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? redactUrl(value) : value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => redactUrlsIn(v)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactUrlsIn(v)])) as T;
  return value;
}
