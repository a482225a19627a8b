import { SENSITIVE } from './secret.js';

/** Secrets shorter than this are not redacted: they would match ordinary words, and no real secret is this short. */
const MIN_SECRET_LENGTH = 4;

/**
 * Every form in which a server might echo `secret`: raw; JSON-escaped (once and twice, with `\/` and `\uXXXX`
 * variants); percent-encoded (encodeURIComponent, form `+` style, lower-case hex); base64 and base64url, with
 * and without padding.
 */
export function secretForms(secret: string): string[] {
  if (secret.length < MIN_SECRET_LENGTH) return [];
  const json = JSON.stringify(secret).slice(1, -1);
  const uri = encodeURIComponent(secret);
  const form = new URLSearchParams([['', secret]]).toString().slice(1);
  const b64 = Buffer.from(secret, 'utf8').toString('base64');
  const b64url = Buffer.from(secret, 'utf8').toString('base64url');
  const forms = new Set([
    secret,
    json,
    json.replace(/\//g, '\\/'),
    json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    JSON.stringify(json).slice(1, -1),
    uri,
    uri.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    form,
    form.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    b64,
    b64.replace(/=+$/, ''),
    b64url,
  ]);
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
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
  for (const s of secrets) for (const f of secretForms(s)) forms.add(f);
  let out = text;
  for (const f of [...forms].sort((a, b) => b.length - a.length)) {
    if (out.includes(f)) out = out.split(f).join(SENSITIVE);
  }
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
