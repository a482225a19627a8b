import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  type DigestEncoding,
  M3TER_HEADERS,
  M3TER_SIGNING_DEFAULTS,
  QUERY_PART,
  SIGNATURE_METHOD,
  SIGNATURE_VERSION,
  type TimestampUnit,
} from './scheme.js';

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
  const unit = options.timestampUnit ?? M3TER_SIGNING_DEFAULTS.timestampUnit;
  const encoding = options.digestEncoding ?? M3TER_SIGNING_DEFAULTS.digestEncoding;
  const timestamp = timestampText(options.timestamp ?? Date.now(), unit);
  const digest = digestOf(options.url, options.apiKey, timestamp, options.body, options.secret);
  return {
    headers: {
      'X-m3ter-timestamp': timestamp,
      'X-m3ter-apikey': options.apiKey,
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
  | 'no_secrets';

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
 * each secret, compared in constant time. Never throws for a bad request; the message never shows a secret.
 */
export function verifyM3terRequest(options: VerifyOptions): VerifyResult {
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
  const unit = options.timestampUnit ?? M3TER_SIGNING_DEFAULTS.timestampUnit;
  const sentAt = timestampMs(timestamp, unit);
  if (sentAt === undefined) return fail('malformed_timestamp', `${M3TER_HEADERS.timestamp} is not a number`);
  const now = options.now ?? Date.now();
  const toleranceMs = (options.toleranceSeconds ?? M3TER_SIGNING_DEFAULTS.toleranceSeconds) * 1000;
  if (now - sentAt > toleranceMs) {
    return fail('timestamp_too_old', `the request was signed ${Math.round((now - sentAt) / 1000)} s ago`);
  }
  if (sentAt - now > toleranceMs) {
    return fail('timestamp_in_future', `the request is dated ${Math.round((sentAt - now) / 1000)} s ahead`);
  }
  const given = decodeSignature(signature, options.digestEncoding ?? M3TER_SIGNING_DEFAULTS.digestEncoding);
  if (!given) return fail('malformed_signature', `${M3TER_HEADERS.signature} is not an HMAC-SHA256 digest`);
  const list = (
    Array.isArray(options.secrets) ? options.secrets : [options.secrets]
  ) as readonly VerifySecret[];
  const candidates = list
    .filter((s) => typeof s === 'string' || s.apiKey === apiKey)
    .map((s) => (typeof s === 'string' ? s : s.secret));
  if (list.length === 0) return fail('no_secrets', 'no secret to verify with');
  if (candidates.length === 0) return fail('unknown_api_key', `no secret is configured for this API key`);
  // Every candidate is tried, so the time taken does not tell which one matched.
  let matched = false;
  for (const secret of candidates) {
    const expected = digestOf(options.url, apiKey, timestamp, options.body, secret);
    if (expected.length === given.length && timingSafeEqual(expected, given)) matched = true;
  }
  return matched
    ? { ok: true, apiKey }
    : fail('signature_mismatch', 'the signature does not match the body, URL and timestamp for any secret');
}
