import { describe, expect, it } from 'vitest';
import { resolveTarget } from '../../../src/live/target.js';
import type { EnvironmentStamp } from '../../../src/model/environment.js';
import { TargetError } from '../../../src/model/errors.js';

const PROD: EnvironmentStamp = {
  name: 'production',
  orgId: 'org-prod',
  production: true,
  target: { apiKey: 'PROD_KEY', apiSecret: 'PROD_SECRET', baseUrl: 'PROD_URL' },
};
const SANDBOX: EnvironmentStamp = { name: 'sandbox', orgId: 'org-sb', production: false, target: {} };

function remote(t: ReturnType<typeof resolveTarget>) {
  if ('embedded' in t) throw new Error('expected a remote target');
  return t;
}

describe('resolveTarget with an environment', () => {
  it('reads the variables the environment names, and takes its org id', () => {
    const t = remote(
      resolveTarget({
        env: { PROD_KEY: 'k', PROD_SECRET: 's', PROD_URL: 'https://eu.example/' },
        environment: PROD,
      }),
    );
    expect(t.orgId).toBe('org-prod');
    expect(t.apiKey).toBe('k');
    expect(t.apiSecretReveal()).toBe('s');
    expect(t.baseUrl).toBe('https://eu.example');
  });

  it('puts flags first, then M3TER_* variables, then the environment', () => {
    const env = {
      PROD_KEY: 'k',
      PROD_SECRET: 's',
      PROD_URL: 'https://eu.example',
      M3TER_API_KEY: 'mk',
      M3TER_API_SECRET: 'ms',
      M3TER_BASE_URL: 'https://m.example',
      M3TER_ORG_ID: 'org-m',
    };
    const byVars = remote(resolveTarget({ env, environment: PROD }));
    expect([byVars.orgId, byVars.apiKey, byVars.apiSecretReveal(), byVars.baseUrl]).toEqual([
      'org-m',
      'mk',
      'ms',
      'https://m.example',
    ]);
    const byFlags = remote(
      resolveTarget({
        env,
        environment: PROD,
        flags: { orgId: 'org-f', apiKey: 'fk', baseUrl: 'https://f.example' },
      }),
    );
    expect([byFlags.orgId, byFlags.apiKey, byFlags.baseUrl]).toEqual(['org-f', 'fk', 'https://f.example']);
  });

  it('defaults the base URL to m3ter when the environment names none', () => {
    const t = remote(
      resolveTarget({ env: { M3TER_API_KEY: 'k', M3TER_API_SECRET: 's' }, environment: SANDBOX }),
    );
    expect(t.orgId).toBe('org-sb');
    expect(t.baseUrl).toBe('https://api.m3ter.com');
  });

  it('names a target variable that is unset when a remote target is meant', () => {
    expect(() =>
      resolveTarget({ env: { PROD_KEY: 'k', PROD_URL: 'https://e.example' }, environment: PROD }),
    ).toThrow(/PROD_SECRET \(environment production\)/);
    try {
      resolveTarget({ env: { PROD_KEY: 'k', PROD_SECRET: 's' }, environment: PROD });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TargetError);
      expect((e as TargetError).message).toContain('PROD_URL');
      expect((e as TargetError).meta['missing']).toEqual(['PROD_URL']);
    }
  });

  it('runs embedded with the environment org id and kind when no key, secret or explicit org id is set', () => {
    expect(resolveTarget({ env: {}, environment: PROD })).toEqual({
      embedded: true,
      orgId: 'org-prod',
      orgType: 'PRODUCTION',
      unsetTargetVariables: ['PROD_KEY', 'PROD_SECRET', 'PROD_URL'],
    });
    expect(resolveTarget({ env: {}, environment: SANDBOX })).toEqual({
      embedded: true,
      orgId: 'org-sb',
      orgType: 'SANDBOX',
    });
  });

  it('is remote when only M3TER_ORG_ID is set, and then asks for the key and secret', () => {
    expect(() => resolveTarget({ env: { M3TER_ORG_ID: 'org-prod' }, environment: PROD })).toThrow(
      /PROD_KEY \(environment production\), PROD_SECRET/,
    );
  });

  it('never shows a secret', () => {
    const t = resolveTarget({
      env: { PROD_KEY: 'k', PROD_SECRET: 'hush-123', PROD_URL: 'https://e.example' },
      environment: PROD,
    });
    expect(JSON.stringify(t)).not.toContain('hush-123');
  });
});

describe('resolveTarget with the API secret in the org id slot', () => {
  const SECRET = 'sk-9f2c1b7e4d3a8e6f';
  it.each([
    ['M3TER_ORG_ID is the secret', { M3TER_ORG_ID: SECRET }],
    ['M3TER_ORG_ID holds the secret', { M3TER_ORG_ID: `org-${SECRET}` }],
    ['M3TER_ORG_ID is a part of the secret', { M3TER_ORG_ID: SECRET.slice(0, 12) }],
  ])('refuses, without showing it, when %s', (_name, vars) => {
    let error: unknown;
    try {
      resolveTarget({
        env: { PROD_KEY: 'k', PROD_SECRET: SECRET, PROD_URL: 'https://eu.example', ...vars },
        environment: PROD,
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TargetError);
    const shown = JSON.stringify({
      message: (error as TargetError).message,
      meta: (error as TargetError).meta,
    });
    expect(shown).toContain('M3TER_ORG_ID');
    expect(shown).not.toContain(SECRET.slice(0, 8));
  });
});
