import { randomBytes, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FingerprintCache, newFingerprintSalt, parseFingerprint } from '../../../src/model/fingerprint.js';
import { Secret } from '../../../src/model/secret.js';

const pair = (key: string, secret: string): [Secret, Secret] => [
  new Secret('HOOK_KEY', key),
  new Secret('HOOK_SECRET', secret),
];

function keySource(value: string, orgId = 'org-1') {
  const source = { orgId, reveals: 0, reveal: () => (source.reveals++, value) };
  return source;
}

/** A version-1 fingerprint as older releases wrote it. */
function v1(key: string, secret: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(Buffer.from(`${key}\u0000${secret}`), salt, 32, { N: 1 << 14, r: 8, p: 1 });
  return `m3cfg1.${salt.toString('base64url')}.${hash.toString('base64url')}`;
}

describe('secret fingerprints, version 2 (keyed)', () => {
  it('matches the secrets it was made from, and nothing else', async () => {
    const cache = new FingerprintCache(keySource('api-secret'));
    const fp = await cache.compute(pair('k', 's'), newFingerprintSalt());
    expect(fp.startsWith('m3cfg2.')).toBe(true);
    expect(parseFingerprint(fp)?.version).toBe(2);
    expect(fp).not.toContain('api-secret');
    expect(await cache.verdict(fp, pair('k', 's'))).toBe('match');
    expect(await cache.verdict(fp, pair('k', 's2'))).toBe('mismatch');
    expect(await cache.verdict(fp, pair('k2', 's'))).toBe('mismatch');
    expect(await cache.verdict(undefined, pair('k', 's'))).toBe('mismatch');
    expect(await cache.verdict('by hand', pair('k', 's'))).toBe('mismatch');
  });

  it('is checked by the next run from the files’ secrets and the same key source alone', async () => {
    const fp = await new FingerprintCache(keySource('api-secret')).compute(
      pair('k', 's'),
      newFingerprintSalt(),
    );
    expect(await new FingerprintCache(keySource('api-secret')).verdict(fp, pair('k', 's'))).toBe('match');
    // Another key, or another org: cannot be checked, and the key id says so (never a false match).
    expect(await new FingerprintCache(keySource('other-secret')).verdict(fp, pair('k', 's'))).toBe(
      'other_key',
    );
    expect(await new FingerprintCache(keySource('other-secret')).verdict(fp, pair('k', 'x'))).toBe(
      'other_key',
    );
    expect(await new FingerprintCache(keySource('other-secret')).matches(fp, pair('k', 's'))).toBe(false);
    expect(await new FingerprintCache(keySource('api-secret', 'org-2')).verdict(fp, pair('k', 's'))).toBe(
      'other_key',
    );
    expect(await new FingerprintCache().verdict(fp, pair('k', 's'))).toBe('mismatch');
  });

  it('derives its key once per run: 2,000 distinct secrets cost one key derivation', async () => {
    const source = keySource('api-secret');
    const writer = new FingerprintCache(source);
    const salt = newFingerprintSalt();
    const secrets = Array.from({ length: 2_000 }, (_, i) => pair(`key-${i}`, `secret-${i}`));
    const fps = await Promise.all(secrets.map((s) => writer.compute(s, salt)));
    expect(new Set(fps).size).toBe(2_000);
    const checkerSource = keySource('api-secret');
    const checker = new FingerprintCache(checkerSource);
    const verdicts = await Promise.all(secrets.map((s, i) => checker.verdict(fps[i], s)));
    expect(verdicts.every((v) => v === 'match')).toBe(true);
    expect(source.reveals).toBe(1);
    expect(checkerSource.reveals).toBe(1);
  });

  it('reads version-1 fingerprints: a match is flagged for the one-time upgrade', async () => {
    const old = v1('k', 's');
    const keyed = new FingerprintCache(keySource('api-secret'));
    expect(await keyed.verdict(old, pair('k', 's'))).toBe('match_v1');
    expect(await keyed.verdict(old, pair('k', 'other'))).toBe('mismatch');
    expect(await keyed.matches(old, pair('k', 's'))).toBe(true);
    // An unkeyed cache (a library caller with no key source) still writes and accepts version 1.
    const unkeyed = new FingerprintCache();
    expect(await unkeyed.verdict(old, pair('k', 's'))).toBe('match');
    expect((await unkeyed.compute(pair('k', 's'), newFingerprintSalt())).startsWith('m3cfg1.')).toBe(true);
  });
});
