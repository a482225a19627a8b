import { createHash, createHmac, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import type { Secret } from './secret.js';

/**
 * Secret fingerprints: how `plan` notices a changed webhook secret although m3ter never returns it.
 *
 * On every create or update of a webhook, m3ter-config writes into the embedded credential's `name` (a field m3ter
 * stores and returns, and which nothing else uses) a fingerprint of the API key and secret it sent. `plan`
 * recomputes it from the secrets in the files; a mismatch (or no fingerprint at all, for a webhook made by hand)
 * plans an update that re-sends the secrets. `--rotate-secrets` re-sends them regardless.
 *
 * Version 2 (written whenever the cache has a key, as every CLI run has):
 *
 *     m3cfg2.<key id>.<salt>.<HMAC-SHA256(K, "m3cfg2" NUL salt NUL apiKey NUL secret)>
 *
 * where K = scrypt(key source, SHA-256("m3cfg2" NUL orgId)) (N=2^14, r=8, p=1), derived once per run. The key
 * source is M3TER_CONFIG_FINGERPRINT_KEY when set, otherwise the API secret the run talks to m3ter with: a secret
 * m3ter never shows anyone. The key id (an HMAC of K, 9 bytes) tells "written with another key" apart.
 *
 * Version 1 (read, and upgraded by a one-time plan change):
 *
 *     m3cfg1.<salt>.<scrypt(apiKey NUL secret, salt)>
 *
 * Threat model: anyone who can read the org's configuration can read the fingerprint. With version 2 they cannot
 * test a guess at all, offline or online, without the key source: the fingerprint is a MAC under a key m3ter
 * never holds. Someone who also holds the key source can test guesses at HMAC speed; the memory-hard KDF protects
 * only a weak M3TER_CONFIG_FINGERPRINT_KEY. (Version 1 made each guess cost one scrypt for everyone, and each
 * check cost the same, which is why it could not scale: checker and guesser do the same work.) One salt is drawn
 * per apply run and shared by the webhooks written in it. Nothing here is ever written to disk or printed.
 */
export const FINGERPRINT_PREFIX = 'm3cfg2';
export const FINGERPRINT_PREFIX_V1 = 'm3cfg1';
const SCRYPT = { N: 1 << 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const KEY_LENGTH = 32;
const KEY_ID_LENGTH = 9;

function scrypt(material: Buffer, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(material, salt, KEY_LENGTH, SCRYPT, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export interface ParsedFingerprint {
  version: 1 | 2;
  /** Version 2: which key made it. */
  keyId?: Buffer;
  salt: Buffer;
  hash: Buffer;
}

export function parseFingerprint(text: string | undefined | null): ParsedFingerprint | undefined {
  if (!text) return undefined;
  const parts = text.split('.');
  const b = (i: number) => Buffer.from(parts[i] ?? '', 'base64url');
  if (parts.length === 3 && parts[0] === FINGERPRINT_PREFIX_V1) {
    const salt = b(1);
    const hash = b(2);
    if (salt.length < 8 || hash.length !== KEY_LENGTH) return undefined;
    return { version: 1, salt, hash };
  }
  if (parts.length === 4 && parts[0] === FINGERPRINT_PREFIX) {
    const keyId = b(1);
    const salt = b(2);
    const hash = b(3);
    if (keyId.length !== KEY_ID_LENGTH || salt.length < 8 || hash.length !== KEY_LENGTH) return undefined;
    return { version: 2, keyId, salt, hash };
  }
  return undefined;
}

/** A fresh salt; draw one per apply run. */
export function newFingerprintSalt(): Buffer {
  return randomBytes(16);
}

function material(secrets: readonly Secret[]): Buffer {
  return Buffer.from(secrets.map((s) => s.reveal()).join('\u0000'), 'utf8');
}

/** Where a run's fingerprint key comes from: a secret m3ter never shows, and the org it is for. */
export interface FingerprintKeySource {
  /** M3TER_CONFIG_FINGERPRINT_KEY, or else the API secret. Read once, when the first fingerprint is needed. */
  reveal(): string;
  orgId: string;
}

interface DerivedKey {
  key: Buffer;
  id: Buffer;
}

/** What a live fingerprint says about the files' secrets. */
export type FingerprintVerdict =
  /** Made from these secrets with this run's key. */
  | 'match'
  /** Made from these secrets, in version 1: to be rewritten once (a labelled plan change). */
  | 'match_v1'
  /**
   * Version 2 made with another key (its key id is not this run's): whether the secrets changed cannot be told.
   * Runs that share no M3TER_CONFIG_FINGERPRINT_KEY (two service users, each keyed by its own API secret) see this.
   */
  | 'other_key'
  /** Missing, foreign, or made from other secrets. */
  | 'mismatch';

/**
 * Derives and checks fingerprints for one run. With a key source it writes version 2 and checks each at HMAC cost
 * after one scrypt for the key; without one (library callers that give none) it writes version 1. Version 1
 * checks are cached by salt and a SHA-256 of the material, so one run pays one scrypt per distinct secret. In
 * memory only; the cache key reveals nothing the fingerprint does not.
 */
export class FingerprintCache {
  readonly #cache = new Map<string, Promise<Buffer>>();
  readonly #source: FingerprintKeySource | undefined;
  #key: Promise<DerivedKey> | undefined;

  constructor(source?: FingerprintKeySource) {
    this.#source = source;
  }

  /** Whether this cache writes version 2 (it has a key source). */
  get keyed(): boolean {
    return this.#source !== undefined;
  }

  #derivedKey(): Promise<DerivedKey> | undefined {
    const source = this.#source;
    if (!source) return undefined;
    this.#key ??= (async () => {
      const salt = createHash('sha256').update(`${FINGERPRINT_PREFIX}\u0000${source.orgId}`).digest();
      const key = await scrypt(Buffer.from(source.reveal(), 'utf8'), salt);
      const id = createHmac('sha256', key).update('key id').digest().subarray(0, KEY_ID_LENGTH);
      return { key, id };
    })();
    return this.#key;
  }

  /** Starts deriving the run's key (one scrypt) ahead of the first check. */
  prepare(): void {
    this.#derivedKey()?.catch(() => undefined);
  }

  #v1(secrets: readonly Secret[], salt: Buffer): Promise<Buffer> {
    const m = material(secrets);
    const key = `${salt.toString('base64url')}:${createHash('sha256').update(m).digest('base64url')}`;
    let p = this.#cache.get(key);
    if (!p) {
      p = scrypt(m, salt);
      this.#cache.set(key, p);
    }
    return p;
  }

  static #mac(key: Buffer, secrets: readonly Secret[], salt: Buffer): Buffer {
    return createHmac('sha256', key)
      .update(`${FINGERPRINT_PREFIX}\u0000`)
      .update(salt)
      .update('\u0000')
      .update(material(secrets))
      .digest();
  }

  async compute(secrets: readonly Secret[], salt: Buffer): Promise<string> {
    const derived = this.#derivedKey();
    if (!derived) {
      const hash = await this.#v1(secrets, salt);
      return `${FINGERPRINT_PREFIX_V1}.${salt.toString('base64url')}.${hash.toString('base64url')}`;
    }
    const { key, id } = await derived;
    const mac = FingerprintCache.#mac(key, secrets, salt);
    return `${FINGERPRINT_PREFIX}.${id.toString('base64url')}.${salt.toString('base64url')}.${mac.toString('base64url')}`;
  }

  /** What `fingerprint` says about these secrets (see FingerprintVerdict). */
  async verdict(fingerprint: string | undefined, secrets: readonly Secret[]): Promise<FingerprintVerdict> {
    const parsed = parseFingerprint(fingerprint);
    if (!parsed) return 'mismatch';
    if (parsed.version === 1) {
      const hash = await this.#v1(secrets, parsed.salt);
      if (!timingSafeEqual(hash, parsed.hash)) return 'mismatch';
      return this.keyed ? 'match_v1' : 'match';
    }
    const derived = this.#derivedKey();
    if (!derived) return 'mismatch';
    const { key, id } = await derived;
    if (!parsed.keyId?.equals(id)) return 'other_key';
    return timingSafeEqual(FingerprintCache.#mac(key, secrets, parsed.salt), parsed.hash)
      ? 'match'
      : 'mismatch';
  }

  /** True when `fingerprint` was made from exactly these secrets (either version), as far as this key can tell. */
  async matches(fingerprint: string | undefined, secrets: readonly Secret[]): Promise<boolean> {
    const verdict = await this.verdict(fingerprint, secrets);
    return verdict === 'match' || verdict === 'match_v1';
  }
}
