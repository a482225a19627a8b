import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import type { Secret } from './secret.js';

/**
 * Secret fingerprints: how `plan` notices a changed webhook secret although m3ter never returns it.
 *
 * On every create or update of a webhook, m3ter-config writes into the embedded credential's `name` (a field m3ter
 * stores and returns, and which nothing else uses) a fingerprint of the API key and secret it sent:
 *
 *     m3cfg1.<salt, base64url>.<scrypt(apiKey NUL secret, salt), base64url>
 *
 * `plan` recomputes the fingerprint of the secrets in the files with the live salt; a mismatch (or no fingerprint
 * at all, for a webhook made by hand) plans an update that re-sends the secrets. `--rotate-secrets` re-sends them
 * regardless.
 *
 * Threat model: anyone who can read the org's configuration can read the fingerprint. scrypt (N=2^14, r=8, p=1,
 * about 16 MiB and tens of milliseconds per guess) makes guessing a low-entropy secret from it slow; the salt stops
 * precomputed tables. One salt is drawn per apply run and shared by the webhooks written in it, so planning costs
 * one scrypt per distinct secret, not per webhook; the price is that two webhooks written in the same run with the
 * same secret show the same fingerprint. Nothing here is ever written to disk or printed.
 */
export const FINGERPRINT_PREFIX = 'm3cfg1';
const SCRYPT = { N: 1 << 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const KEY_LENGTH = 32;

function scrypt(material: Buffer, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(material, salt, KEY_LENGTH, SCRYPT, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export interface ParsedFingerprint {
  salt: Buffer;
  hash: Buffer;
}

export function parseFingerprint(text: string | undefined | null): ParsedFingerprint | undefined {
  if (!text) return undefined;
  const parts = text.split('.');
  if (parts.length !== 3 || parts[0] !== FINGERPRINT_PREFIX) return undefined;
  const salt = Buffer.from(parts[1] ?? '', 'base64url');
  const hash = Buffer.from(parts[2] ?? '', 'base64url');
  if (salt.length < 8 || hash.length !== KEY_LENGTH) return undefined;
  return { salt, hash };
}

/** A fresh salt; draw one per apply run. */
export function newFingerprintSalt(): Buffer {
  return randomBytes(16);
}

function material(secrets: readonly Secret[]): Buffer {
  return Buffer.from(secrets.map((s) => s.reveal()).join('\u0000'), 'utf8');
}

/**
 * Caches derived hashes by salt and a SHA-256 of the material, so one run pays one scrypt per distinct secret.
 * In memory only; the cache key reveals nothing the fingerprint does not.
 */
export class FingerprintCache {
  readonly #cache = new Map<string, Promise<Buffer>>();

  derive(secrets: readonly Secret[], salt: Buffer): Promise<Buffer> {
    const m = material(secrets);
    const key = `${salt.toString('base64url')}:${createHash('sha256').update(m).digest('base64url')}`;
    let p = this.#cache.get(key);
    if (!p) {
      p = scrypt(m, salt);
      this.#cache.set(key, p);
    }
    return p;
  }

  async compute(secrets: readonly Secret[], salt: Buffer): Promise<string> {
    const hash = await this.derive(secrets, salt);
    return `${FINGERPRINT_PREFIX}.${salt.toString('base64url')}.${hash.toString('base64url')}`;
  }

  /** True when `fingerprint` was made from exactly these secrets. False for a missing or foreign fingerprint. */
  async matches(fingerprint: string | undefined, secrets: readonly Secret[]): Promise<boolean> {
    const parsed = parseFingerprint(fingerprint);
    if (!parsed) return false;
    const hash = await this.derive(secrets, parsed.salt);
    return timingSafeEqual(hash, parsed.hash);
  }
}

/**
 * What a webhook's fingerprint is made of, in this order: its API key, then its secret. Every writer and checker of
 * webhook fingerprints takes the material from here. `undefined` when the resource carries no resolved secrets.
 */
export function webhookSecrets(resource: { secrets?: Record<string, Secret> }): [Secret, Secret] | undefined {
  const apiKey = resource.secrets?.['apiKey'];
  const secret = resource.secrets?.['secret'];
  return apiKey && secret ? [apiKey, secret] : undefined;
}
