import { describe, expect, it } from 'vitest';
import { resolveTarget, validateBaseUrl } from '../../../src/live/target.js';
import { TargetError } from '../../../src/model/errors.js';

const FULL = { M3TER_ORG_ID: 'org-1', M3TER_API_KEY: 'key', M3TER_API_SECRET: 's3cret-value' };

describe('resolveTarget', () => {
  it('is embedded when none of org id, key and secret is set', () => {
    expect(resolveTarget({ env: {} })).toEqual({ embedded: true });
    expect(resolveTarget({ env: { M3TER_BASE_URL: 'https://x.example' } })).toEqual({ embedded: true });
    expect(resolveTarget({ env: { M3TER_ORG_ID: '  ' } })).toEqual({ embedded: true });
  });

  it('reads the environment, defaulting the base URL', () => {
    const t = resolveTarget({ env: FULL });
    if ('embedded' in t) throw new Error('expected a target');
    expect(t.orgId).toBe('org-1');
    expect(t.apiKey).toBe('key');
    expect(t.apiSecretReveal()).toBe('s3cret-value');
    expect(t.baseUrl).toBe('https://api.m3ter.com');
    expect(t.description).toEqual({ type: 'm3ter', orgId: 'org-1', baseUrl: 'https://api.m3ter.com' });
    expect(JSON.stringify(t)).not.toContain('s3cret-value');
  });

  it('lets flags override the environment (no flag for the secret)', () => {
    const t = resolveTarget({
      env: { ...FULL, M3TER_BASE_URL: 'https://a.example/' },
      flags: { orgId: 'org-2', apiKey: 'key-2', baseUrl: 'http://127.0.0.1:8080/' },
    });
    if ('embedded' in t) throw new Error('expected a target');
    expect([t.orgId, t.apiKey, t.baseUrl]).toEqual(['org-2', 'key-2', 'http://127.0.0.1:8080']);
  });

  it('names the missing variables when only some are set', () => {
    const err = (() => {
      try {
        resolveTarget({ env: { M3TER_API_KEY: 'key' } });
      } catch (e) {
        return e;
      }
    })() as TargetError;
    expect(err).toBeInstanceOf(TargetError);
    expect(err.code).toBe('target_incomplete');
    expect(err.message).toContain('M3TER_ORG_ID');
    expect(err.message).toContain('M3TER_API_SECRET');
    expect(err.message).not.toContain('M3TER_API_KEY');
    expect(err.meta['missing']).toEqual(['M3TER_ORG_ID', 'M3TER_API_SECRET']);
  });

  it('counts a flag as set', () => {
    expect(() => resolveTarget({ env: {}, flags: { orgId: 'o' } })).toThrow(
      /M3TER_API_KEY.*M3TER_API_SECRET/,
    );
  });
});

describe('validateBaseUrl', () => {
  it('accepts https and loopback http, without a trailing slash', () => {
    expect(validateBaseUrl('https://api.m3ter.com/')).toBe('https://api.m3ter.com');
    expect(validateBaseUrl('https://proxy.example/m3ter/')).toBe('https://proxy.example/m3ter');
    expect(validateBaseUrl('http://localhost:3000')).toBe('http://localhost:3000');
    expect(validateBaseUrl('http://[::1]:3000')).toBe('http://[::1]:3000');
  });

  it('refuses what is not a safe base URL, never echoing credentials', () => {
    expect(() => validateBaseUrl('api.m3ter.com')).toThrow(TargetError);
    expect(() => validateBaseUrl('ftp://api.m3ter.com')).toThrow(/https/);
    expect(() => validateBaseUrl('http://api.m3ter.com')).toThrow(/loopback/);
    expect(() => validateBaseUrl('https://api.m3ter.com?x=1')).toThrow(/query/);
    let message = '';
    try {
      validateBaseUrl('https://user:hunter2@api.m3ter.com');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/credentials/);
    expect(message).not.toContain('hunter2');
  });

  it('never echoes user info, whether or not the URL parses', () => {
    const cases = [
      'https://user:hunter2@api.m3ter.com',
      'https://user:hunter2 x@api.m3ter.com',
      'https://user:hun/ter2@api.m3ter.com',
      'https://u:1/hunter2@api.m3ter.com',
      'user:hunter2@api.m3ter.com',
      'ftp://user:hunter2@api.m3ter.com',
      'https://user:hunter2@api.m3ter.com:99999',
    ];
    for (const value of cases) {
      const err = (() => {
        try {
          validateBaseUrl(value);
        } catch (e) {
          return e;
        }
        return undefined;
      })() as TargetError;
      expect(err, value).toBeInstanceOf(TargetError);
      expect(err.message, value).not.toContain('hunter2');
      expect(JSON.stringify(err.meta), value).not.toContain('hunter2');
      expect(err.message, value).toContain('***@');
    }
  });

  it('a password in M3TER_BASE_URL is never printed by the CLI', async () => {
    const { runCli, tempDir } = await import('../../e2e/run-cli.js');
    const cwd = tempDir();
    const r = await runCli(
      [
        'plan',
        `${process.cwd()}/examples/quickstart`,
        '--env-file',
        `${process.cwd()}/examples/quickstart/quickstart.env`,
      ],
      {
        cwd,
        env: { ...FULL, M3TER_BASE_URL: 'https://user:hunter2 x@api.m3ter.com' },
      },
    );
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('***@');
    expect(r.stdout + r.stderr).not.toContain('hunter2');
  });
});
