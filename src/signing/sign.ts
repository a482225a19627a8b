import { createHmac, timingSafeEqual } from 'node:crypto';
import { SigningConfigError } from './errors.js';
import type { ReplayGuard } from './replay.js';
import {
  type DigestEncoding,
  M3TER_HEADERS,
  M3TER_SIGNING_DEFAULTS,
  QUERY_PART,
  SIGNATURE_METHOD,
  SIGNATURE_VERSION,
  type TimestampUnit,
} from './scheme.js';

export { SigningConfigError };

/** A raw request body: exactly the bytes on the wire, or a string (taken as its UTF-8 bytes). */
export type RawBody = string | Uint8Array;

export interface SignOptions {
  /** The webhook's URL, exactly as declared in m3ter (the receiver signs the same string). */
  url: string;
  body: RawBody;
  apiKey: string;
  secret: string;
  /** When the request is made, in epoch milliseconds. @default Date.now() */
  timestamp?: number;
  /** @default M3TER_SIGNING_DEFAULTS.digestEncoding */
  digestEncoding?: DigestEncoding;
  /** @default M3TER_SIGNING_DEFAULTS.timestampUnit */
  timestampUnit?: TimestampUnit;
}

/** The five `X-m3ter-*` headers, under the names m3ter writes. */
// A type alias, not an interface, so it fits HeaderSource's index signature (headers go straight into verify).
export type M3terSignedHeaders = {
  'X-m3ter-timestamp': string;
  'X-m3ter-apikey': string;
  'X-m3ter-signature': string;
  'X-m3ter-signaturemethod': string;
  'X-m3ter-version': string;
};

function bytesOf(body: RawBody): Uint8Array {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

function requireText(value: unknown, what: string, fix: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new SigningConfigError(`${what} is ${value === '' ? 'empty' : describe(value)}: ${fix}`);
  }
  return value;
}

/** What a bad option was, without its value (it may be a secret). */
function describe(value: unknown): string {
  if (value === undefined) return 'missing (undefined)';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : `the number ${value}`;
  return `a ${Array.isArray(value) ? 'list' : typeof value}`;
}

function requireOneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new SigningConfigError(`${what} must be ${allowed.map((a) => `'${a}'`).join(' or ')}`);
}

/** A number option that must be finite and above zero (NaN from `Number(undefined)` would accept any age). */
function requirePositive(value: unknown, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  throw new SigningConfigError(`${what} must be a finite number above 0, not ${describe(value)}`);
}

function requireTime(value: unknown, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  throw new SigningConfigError(`${what} must be epoch milliseconds, not ${describe(value)}`);
}

const SECRET_FIX = "pass the webhook's secret (is its environment variable set?)";

/** HMAC-SHA256 of `url|{}|apiKey|timestamp|body`, as raw bytes. */
function digestOf(url: string, apiKey: string, timestamp: string, body: RawBody, secret: string): Buffer {
  return createHmac('sha256', secret)
    .update(`${url}|${QUERY_PART}|${apiKey}|${timestamp}|`, 'utf8')
    .update(bytesOf(body))
    .digest();
}

function timestampText(ms: number, unit: TimestampUnit): string {
  return String(unit === 'seconds' ? Math.floor(ms / 1000) : Math.floor(ms));
}

/** Signs a request as m3ter signs a webhook call: returns the five headers to send with `body`. */
export function signM3terRequest(options: SignOptions): { headers: M3terSignedHeaders } {
  const unit =
    requireOneOf(options.timestampUnit, ['milliseconds', 'seconds'], 'timestampUnit') ??
    M3TER_SIGNING_DEFAULTS.timestampUnit;
  const encoding =
    requireOneOf(options.digestEncoding, ['hex', 'base64'], 'digestEncoding') ??
    M3TER_SIGNING_DEFAULTS.digestEncoding;
  const url = requireText(options.url, 'url', "pass the webhook's URL as declared in m3ter");
  const apiKey = requireText(options.apiKey, 'apiKey', "pass the webhook's API key");
  const secret = requireText(options.secret, 'secret', SECRET_FIX);
  if (typeof options.body !== 'string' && !(options.body instanceof Uint8Array)) {
    throw new SigningConfigError('body must be the raw body: a string or bytes');
  }
  const timestamp = timestampText(requireTime(options.timestamp, 'timestamp') ?? Date.now(), unit);
  const digest = digestOf(url, apiKey, timestamp, options.body, secret);
  return {
    headers: {
      'X-m3ter-timestamp': timestamp,
      'X-m3ter-apikey': apiKey,
      'X-m3ter-signature': digest.toString(encoding),
      'X-m3ter-signaturemethod': SIGNATURE_METHOD,
      'X-m3ter-version': SIGNATURE_VERSION,
    },
  };
}

/** A secret that verifies any API key, or one that verifies only its own key (rotate key and secret together). */
export type VerifySecret = string | { apiKey: string; secret: string };

/** Request headers: a plain object (Node's `req.headers`, any case) or anything with `get` (Fetch `Headers`). */
export type HeaderSource =
  Readonly<Record<string, string | readonly string[] | undefined>> | { get(name: string): string | null };

export interface VerifyOptions {
  /** The URL m3ter was told to call: the webhook's declared URL, not the path the server saw. */
  url: string;
  /** The raw body, before any JSON parsing. */
  body: RawBody;
  headers: HeaderSource;
  /** One or more secrets; several while rotating. Every one is tried. */
  secrets: VerifySecret | readonly VerifySecret[];
  /** @default M3TER_SIGNING_DEFAULTS.toleranceSeconds (300), in both directions */
  toleranceSeconds?: number;
  /** The receiver's clock, epoch milliseconds. @default Date.now() */
  now?: number;
  /** @default M3TER_SIGNING_DEFAULTS.digestEncoding; `'any'` accepts hex and base64 */
  digestEncoding?: DigestEncoding | 'any';
  /** @default M3TER_SIGNING_DEFAULTS.timestampUnit; `'auto'` tells seconds from milliseconds by size */
  timestampUnit?: TimestampUnit | 'auto';
  /**
   * Refuses a request whose signature was already accepted within the tolerance window (`reason: 'replayed'`).
   * Only verified requests are remembered. @default none: a captured request verifies again until it is stale
   */
  replayGuard?: ReplayGuard;
}

/** Why a request was refused; stable codes for logs and metrics. */
export type VerifyFailure =
  | 'missing_header'
  | 'unsupported_method'
  | 'unsupported_version'
  | 'malformed_timestamp'
  | 'timestamp_too_old'
  | 'timestamp_in_future'
  | 'malformed_signature'
  | 'unknown_api_key'
  | 'signature_mismatch'
  | 'replayed'
  | 'body_not_raw'
  | 'body_already_read'
  | 'body_too_large'
  | 'body_unreadable';

export type VerifyResult =
  { ok: true; apiKey: string } | { ok: false; reason: VerifyFailure; message: string };

function headerOf(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(
    headers as Record<string, string | readonly string[] | undefined>,
  )) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    // A header sent twice is ambiguous: take neither, so it fails as missing rather than picking one.
    if (typeof value !== 'string') return value.length === 1 ? value[0] : undefined;
    return value;
  }
  return undefined;
}

/** The digest bytes of a signature header, or undefined when it is not a well-formed 32-byte digest. */
function decodeSignature(text: string, encoding: DigestEncoding | 'any'): Buffer | undefined {
  const trimmed = text.trim();
  if ((encoding === 'hex' || encoding === 'any') && /^[0-9a-fA-F]{64}$/.test(trimmed)) {
    return Buffer.from(trimmed, 'hex');
  }
  if (
    (encoding === 'base64' || encoding === 'any') &&
    /^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed) // base64 or base64url of 32 bytes
  ) {
    const bytes = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    return bytes.length === 32 ? bytes : undefined;
  }
  return undefined;
}

function timestampMs(text: string, unit: TimestampUnit | 'auto'): number | undefined {
  if (!/^\d{1,16}$/.test(text.trim())) return undefined;
  const n = Number(text.trim());
  const seconds = unit === 'seconds' || (unit === 'auto' && n < 1e11);
  return seconds ? n * 1000 : n;
}

const fail = (reason: VerifyFailure, message: string): VerifyResult => ({ ok: false, reason, message });

/**
 * Checks an m3ter-signed request: the five headers, the timestamp within the tolerance, and the signature against
 * each secret, compared in constant time. A request that cannot be verified (a parsed body included) is a
 * `{ ok: false, reason }` result, never a throw; a misuse of the call (no secret, an empty one, a tolerance that is
 * not a positive number, an unknown option value) throws SigningConfigError. No message shows a secret.
 */
export function verifyM3terRequest(options: VerifyOptions): VerifyResult {
  const settings = checkVerifyOptions(options);
  if (typeof options.body !== 'string' && !(options.body instanceof Uint8Array)) {
    return fail(
      'body_not_raw',
      'the body was parsed before it was verified (a JSON body parser?): pass the raw bytes, e.g. from express.raw()',
    );
  }
  return verifyChecked(options, settings);
}

interface VerifySettings {
  url: string;
  candidates: (apiKey: string) => string[];
  toleranceMs: number;
  now: number;
  unit: TimestampUnit | 'auto';
  encoding: DigestEncoding | 'any';
}

/** Throws SigningConfigError for a misuse; returns the settings a request is checked with. */
export function checkVerifyOptions(options: Omit<VerifyOptions, 'body'>): VerifySettings {
  if (typeof options !== 'object' || options === null) {
    throw new SigningConfigError('verify needs an options object: { url, secrets, ... }');
  }
  const url = requireText(options.url, 'url', "pass the webhook's URL as declared in m3ter");
  const raw: unknown = options.secrets;
  const list: readonly unknown[] = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) throw new SigningConfigError(`secrets is an empty list: ${SECRET_FIX}`);
  const secrets = list.map((entry, i) => {
    const where = Array.isArray(raw) ? `secrets[${i}]` : 'secrets';
    if (typeof entry === 'object' && entry !== null) {
      const pair = entry as { apiKey?: unknown; secret?: unknown };
      return {
        apiKey: requireText(pair.apiKey, `${where}.apiKey`, 'name the API key this secret is for'),
        secret: requireText(pair.secret, `${where}.secret`, SECRET_FIX),
      };
    }
    return { apiKey: undefined, secret: requireText(entry, where, SECRET_FIX) };
  });
  if (
    options.replayGuard !== undefined &&
    typeof (options.replayGuard as { remember?: unknown }).remember !== 'function'
  ) {
    throw new SigningConfigError('replayGuard must come from createReplayGuard()');
  }
  const tolerance =
    requirePositive(options.toleranceSeconds, 'toleranceSeconds') ?? M3TER_SIGNING_DEFAULTS.toleranceSeconds;
  return {
    url,
    candidates: (apiKey) =>
      secrets.filter((s) => s.apiKey === undefined || s.apiKey === apiKey).map((s) => s.secret),
    toleranceMs: tolerance * 1000,
    now: requireTime(options.now, 'now') ?? Date.now(),
    unit:
      requireOneOf(options.timestampUnit, ['milliseconds', 'seconds', 'auto'], 'timestampUnit') ??
      M3TER_SIGNING_DEFAULTS.timestampUnit,
    encoding:
      requireOneOf(options.digestEncoding, ['hex', 'base64', 'any'], 'digestEncoding') ??
      M3TER_SIGNING_DEFAULTS.digestEncoding,
  };
}

function verifyChecked(options: VerifyOptions, settings: VerifySettings): VerifyResult {
  if (typeof options.headers !== 'object' || options.headers === null) {
    return fail('missing_header', 'the request has no headers');
  }
  const get = (name: string): string | undefined => headerOf(options.headers, name);
  const values = {
    timestamp: get(M3TER_HEADERS.timestamp),
    apiKey: get(M3TER_HEADERS.apiKey),
    signature: get(M3TER_HEADERS.signature),
    signatureMethod: get(M3TER_HEADERS.signatureMethod),
    version: get(M3TER_HEADERS.version),
  };
  const missing = (Object.keys(values) as (keyof typeof values)[]).filter((k) => values[k] === undefined);
  if (missing.length > 0) {
    return fail('missing_header', `missing header(s): ${missing.map((k) => M3TER_HEADERS[k]).join(', ')}`);
  }
  const { timestamp, apiKey, signature, signatureMethod, version } = values as Record<
    keyof typeof values,
    string
  >;
  if (signatureMethod.trim() !== SIGNATURE_METHOD) {
    return fail('unsupported_method', `${M3TER_HEADERS.signatureMethod} must be ${SIGNATURE_METHOD}`);
  }
  if (version.trim() !== SIGNATURE_VERSION) {
    return fail('unsupported_version', `${M3TER_HEADERS.version} must be ${SIGNATURE_VERSION}`);
  }
  const sentAt = timestampMs(timestamp, settings.unit);
  if (sentAt === undefined) return fail('malformed_timestamp', `${M3TER_HEADERS.timestamp} is not a number`);
  const { now, toleranceMs } = settings;
  if (now - sentAt > toleranceMs) {
    return fail('timestamp_too_old', `the request was signed ${Math.round((now - sentAt) / 1000)} s ago`);
  }
  if (sentAt - now > toleranceMs) {
    return fail('timestamp_in_future', `the request is dated ${Math.round((sentAt - now) / 1000)} s ahead`);
  }
  const given = decodeSignature(signature, settings.encoding);
  if (!given) return fail('malformed_signature', `${M3TER_HEADERS.signature} is not an HMAC-SHA256 digest`);
  const candidates = settings.candidates(apiKey);
  if (candidates.length === 0) return fail('unknown_api_key', `no secret is configured for this API key`);
  // Every candidate is tried, so the time taken does not tell which one matched.
  let matched = false;
  for (const secret of candidates) {
    const expected = digestOf(settings.url, apiKey, timestamp, options.body, secret);
    if (expected.length === given.length && timingSafeEqual(expected, given)) matched = true;
  }
  // Remembered only once verified, so unsigned traffic can neither fill the guard nor block a real delivery.
  if (matched && options.replayGuard && !options.replayGuard.remember(given, sentAt + toleranceMs, now)) {
    return fail('replayed', 'this signed request was already accepted within the tolerance window');
  }
  return matched
    ? { ok: true, apiKey }
    : fail('signature_mismatch', 'the signature does not match the body, URL and timestamp for any secret');
}
