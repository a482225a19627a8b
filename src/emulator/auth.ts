import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { badRequest, forbidden } from './errors.js';
import type { ResolvedOptions } from './options.js';
import { isPlainObject } from './validate.js';

/**
 * POST /oauth/token and bearer checks. Wrong credentials, a wrong org, a bad or expired token
 * all answer 403, as m3ter's docs show (not 401).
 */

interface IssuedToken {
  expiresAt: number;
  apiKey: string;
}

function sha(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

export class TokenIssuer {
  private readonly tokens = new Map<string, IssuedToken>();
  /** Every accepted user: the digests of its access key and secret (compared in constant time). */
  private readonly users: readonly { key: Buffer; secret: Buffer }[];

  constructor(private readonly options: ResolvedOptions) {
    this.users = [{ apiKey: options.apiKey, apiSecret: options.apiSecret }, ...options.users].map((u) => ({
      key: sha(u.apiKey),
      secret: sha(u.apiSecret),
    }));
  }

  private accepts(key: string, secret: string): boolean {
    const k = sha(key);
    const s = sha(secret);
    let ok = false;
    // Every user is compared, so the time taken does not tell which key exists.
    for (const u of this.users) {
      const keyOk = timingSafeEqual(k, u.key);
      const secretOk = timingSafeEqual(s, u.secret);
      if (keyOk && secretOk) ok = true;
    }
    return ok;
  }

  /** Handles the token request; `contentType` and `rawBody` are the request's. */
  issue(
    authorization: string | undefined,
    contentType: string | undefined,
    rawBody: string,
  ): Record<string, unknown> {
    const creds = parseBasic(authorization);
    if (!creds || !this.accepts(creds.key, creds.secret)) {
      throw forbidden('Forbidden: invalid client credentials');
    }
    const grantType = readGrantType(contentType, rawBody);
    if (grantType === undefined) throw badRequest('grant_type is required');
    if (grantType !== 'client_credentials') throw badRequest('grant_type must be client_credentials');
    const token = randomBytes(24).toString('base64url');
    const now = this.options.now();
    this.tokens.set(token, { expiresAt: now + this.options.tokenTtlSeconds * 1000, apiKey: creds.key });
    if (this.tokens.size > 10_000) this.sweep(now);
    return {
      access_token: token,
      token_type: 'Bearer',
      expires_in: this.options.tokenTtlSeconds,
      scope: null,
    };
  }

  /** The caller's access key when `authorization` carries a live bearer token; 403 otherwise. */
  check(authorization: string | undefined): string {
    if (!authorization?.startsWith('Bearer ')) throw forbidden('Forbidden: missing bearer token');
    const t = this.tokens.get(authorization.slice(7).trim());
    if (!t) throw forbidden('Forbidden: invalid bearer token');
    if (this.options.now() >= t.expiresAt) throw forbidden('Forbidden: the bearer token has expired');
    return t.apiKey;
  }

  clear(): void {
    this.tokens.clear();
  }

  private sweep(now: number): void {
    for (const [k, t] of this.tokens) if (now >= t.expiresAt) this.tokens.delete(k);
  }
}

function parseBasic(header: string | undefined): { key: string; secret: string } | undefined {
  if (!header || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { key: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/** Both media types are declared (SPEC): form bodies (golang oauth2) and JSON (Stainless SDKs). */
function readGrantType(contentType: string | undefined, rawBody: string): string | undefined {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/x-www-form-urlencoded') {
    return new URLSearchParams(rawBody).get('grant_type') ?? undefined;
  }
  if (rawBody.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    // No declared type and not JSON: try the form encoding before refusing.
    if (type === '' && rawBody.includes('='))
      return new URLSearchParams(rawBody).get('grant_type') ?? undefined;
    throw badRequest('Malformed JSON in request body');
  }
  if (!isPlainObject(parsed)) throw badRequest('Request body must be a JSON object');
  const g = parsed['grant_type'];
  if (g === undefined || g === null) return undefined;
  if (typeof g !== 'string') throw badRequest('grant_type must be a string');
  return g;
}
