import { describe, expect, it } from 'vitest';
import { M3terConstructError } from '../../../src/cdktf/check.js';
import { checkTerraformJson } from '../../helpers/tf-schema-check.js';
import { CORES, synth } from './synth.js';

const ORG = '11111111-2222-3333-4444-555555555555';

function constructError(f: () => unknown): M3terConstructError {
  try {
    f();
  } catch (e) {
    if (e instanceof M3terConstructError) return e;
    throw e;
  }
  throw new Error('expected an M3terConstructError');
}

describe.each(CORES)('$name M3terEnvironment', (core) => {
  it('writes the environment under the root "//", valid against the provider schema, with names of variables only', () => {
    const { json, text } = synth(core, (stack, m3) => {
      new m3.M3terEnvironment(stack, 'env', {
        name: 'sandbox',
        orgId: ORG,
        production: false,
        target: { apiKey: { env: 'SANDBOX_KEY' }, apiSecret: { env: 'SANDBOX_SECRET' } },
      });
    });
    expect(checkTerraformJson(json)).toEqual([]);
    expect((json['//'] as Record<string, unknown>)['m3ter-config']).toEqual({
      environment: {
        path: 'stack/env',
        source: expect.stringMatching(/^test\/unit\/cdktf\/environment\.test\.ts:\d+:\d+$/) as unknown,
        name: 'sandbox',
        orgId: ORG,
        production: false,
        target: { apiKey: { env: 'SANDBOX_KEY' }, apiSecret: { env: 'SANDBOX_SECRET' } },
      },
    });
    expect(text).not.toContain('"baseUrl"');
  });

  it('sits beside credentials and ignore patterns under the same "//"', () => {
    const { json } = synth(core, (stack, m3) => {
      new m3.M3terEnvironment(stack, 'env', { name: 'production', orgId: ORG, production: true });
      new m3.Ignore(stack, 'ignore', { webhooks: ['legacy_*'] });
    });
    const meta = (json['//'] as Record<string, Record<string, unknown>>)['m3ter-config'];
    expect(meta?.['ignore']).toEqual({ webhooks: ['legacy_*'] });
    expect(meta?.['environment']).toMatchObject({ name: 'production', production: true, target: {} });
  });

  it('checks its props at construction, naming the construct path and prop, never echoing a pasted secret', () => {
    const e = constructError(() =>
      synth(core, (stack, m3) => {
        new m3.M3terEnvironment(stack, 'env', {
          name: 'has space',
          orgId: 'org/1',
          production: 'yes' as unknown as boolean,
          target: {
            apiKey: 'sk_live_pasted_key' as unknown as { env: string },
            baseUrl: { env: 'not-a-name' },
          },
        });
      }),
    );
    expect(e.path).toBe('stack/env');
    expect(e.issues.map((i) => i.code)).toEqual([
      'bad_environment_name',
      'bad_org_id',
      'bad_production',
      'literal_secret',
      'bad_env_name',
    ]);
    expect(e.message).toContain('stack/env.name: environment name "has space" is not allowed');
    expect(e.message).toContain('stack/env.orgId: "org/1" is not an org id');
    expect(e.message).toContain('stack/env.production: production must be true or false');
    expect(e.message).toContain('stack/env.target.apiKey: target.apiKey must name an environment variable');
    expect(e.message).toContain('stack/env.target.baseUrl.env: not an environment variable name');
    expect(e.message).not.toContain('sk_live_pasted_key');
    expect(e.message).not.toContain('not-a-name');
  });

  it('refuses an org id from a Terraform variable: the environment is known before any variable is read', () => {
    const e = constructError(() =>
      synth(core, (stack, m3) => {
        const org = new core.lib.TerraformVariable(stack, 'org', { type: 'string' });
        new m3.M3terEnvironment(stack, 'env', { name: 'sandbox', orgId: org.stringValue, production: false });
      }),
    );
    expect(e.issues.map((i) => `${i.code} ${i.pointer}`)).toEqual(['bad_org_id /environments/sandbox/orgId']);
  });

  it('a stack names at most one environment', () => {
    const e = constructError(() =>
      synth(core, (stack, m3) => {
        new m3.M3terEnvironment(stack, 'sandbox', { name: 'sandbox', orgId: ORG, production: false });
        new m3.M3terEnvironment(stack, 'production', { name: 'production', orgId: ORG, production: true });
      }),
    );
    expect(e.path).toBe('stack/production');
    expect(e.message).toContain(
      'stack/production: this stack already names environment "sandbox" (stack/sandbox); a stack is for one environment',
    );
  });

  it('refuses at synth a provider given another org than the environment’s', () => {
    expect(() =>
      synth(
        core,
        (stack, m3) => {
          new m3.M3terProvider(stack, 'm3ter', { orgId: 'another-org' });
          new m3.M3terEnvironment(stack, 'env', { name: 'sandbox', orgId: ORG, production: false });
        },
        { provider: false },
      ),
    ).toThrow(
      /stack\/env: environment "sandbox" is for org "11111111-[^"]*", but the provider stack\/m3ter is given org "another-org"/,
    );
    const { json } = synth(
      core,
      (stack, m3) => {
        const env = new m3.M3terEnvironment(stack, 'env', { name: 'sandbox', orgId: ORG, production: false });
        new m3.M3terProvider(stack, 'm3ter', { orgId: env.orgId });
      },
      { provider: false },
    );
    expect(checkTerraformJson(json)).toEqual([]);
  });
});
