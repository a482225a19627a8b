import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigSources } from '../../../src/load/cdktf-synth.js';
import { applyAndConverge, type Org, startOrg } from '../../helpers/converge.js';
import { checkTerraformJson } from '../../helpers/tf-schema-check.js';
import { CORES, synth } from '../../unit/cdktf/synth.js';

/**
 * Synth output as a config source: stacks written with m3ter's generated bindings directly (as `cdktf get` makes
 * them), without m3ter-config's constructs, plan and apply too; references, variables and the reader's own rules.
 */
let org: Org | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

const SECRETS = { TF_VAR_hook_key: 'fake-key', TF_VAR_hook_secret: 'fake-secret' };

describe.each(CORES)('$name stacks with hand-written m3ter_* resources', (core) => {
  it('load, apply to the emulator and then plan empty', async () => {
    const { json, outdir } = synth(
      core,
      (stack, m3) => {
        const v = (id: string) =>
          new core.lib.TerraformVariable(stack, id, { type: 'string', sensitive: true });
        const url = new core.lib.TerraformVariable(stack, 'hook_url', {
          type: 'string',
          default: 'https://example.com/h',
        });
        const hook = new m3.bindings.webhook.Webhook(stack, 'ops', {
          name: 'Ops alerts',
          description: 'Paging',
          url: url.stringValue,
          code: 'ops_alerts',
          active: true,
          credentials: {
            type: 'M3TER_SIGNED_REQUEST',
            apiKey: v('hook_key').stringValue,
            secret: v('hook_secret').stringValue,
          },
        });
        const rule = new m3.bindings.notificationConfiguration.NotificationConfiguration(stack, 'bill', {
          code: 'bill_created',
          name: 'Bill created',
          description: 'Every bill',
          eventName: 'billing.bill.created',
          active: true,
          alwaysFireEvent: true,
        });
        new m3.bindings.integrationConfiguration.IntegrationConfiguration(stack, 'link', {
          entityType: 'Notification',
          entityId: rule.id,
          destination: 'Webhook',
          destinationId: hook.id,
        });
      },
      { keep: true },
    );
    expect(checkTerraformJson(json)).toEqual([]);
    const loaded = await loadConfigSources([path.join(outdir, 'stacks/stack')], {
      env: SECRETS,
      cwd: outdir,
    });
    expect(loaded.issues).toEqual([]);
    const state = loaded.state!;
    expect(state.resources.webhook.get('ops_alerts')?.attributes.url).toBe('https://example.com/h');
    expect([...state.resources.link.keys()]).toEqual(['bill_created->ops_alerts']);
    expect(state.resources.link.get('bill_created->ops_alerts')?.source).toMatchObject({
      file: 'stacks/stack/cdk.tf.json',
      pointer: '/resource/m3ter_integration_configuration/link',
    });
    org = await startOrg();
    await applyAndConverge(org.client, state);
  });
});

function writeStack(doc: unknown, dir = mkdtempSync(path.join(tmpdir(), 'm3ter-synth-'))): string {
  writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(doc, null, 2));
  return dir;
}

const webhook = (extra: Record<string, unknown> = {}) => ({
  name: 'Hook',
  description: 'd',
  url: 'https://example.com/h',
  credentials: { type: 'M3TER_SIGNED_REQUEST', api_key: '${var.k}', secret: '${var.s}' },
  ...extra,
});
const sensitive = { k: { type: 'string', sensitive: true }, s: { type: 'string', sensitive: true } };

describe('the synth reader', () => {
  it('takes cdktf.out with --stack, and says which stacks there are without it', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'm3ter-out-'));
    writeFileSync(path.join(out, 'manifest.json'), '{}');
    for (const name of ['a', 'b']) {
      mkdirSync(path.join(out, 'stacks', name), { recursive: true });
      writeStack(
        { resource: { m3ter_webhook: { [name]: webhook({ code: name }) } }, variable: sensitive },
        path.join(out, 'stacks', name),
      );
    }
    const env = { TF_VAR_k: 'k', TF_VAR_s: 's' };
    const none = await loadConfigSources([out], { env, cwd: out });
    expect(none.issues.map((i) => `${i.code}: ${i.hint}`)).toEqual([
      'stack_required: pass --stack NAME (one of a, b), or the stack folder itself',
    ]);
    const b = await loadConfigSources([out], { env, cwd: out, stack: 'b' });
    expect([...b.state!.resources.webhook.keys()]).toEqual(['b']);
    const unknown = await loadConfigSources([out], { env, cwd: out, stack: 'c' });
    expect(unknown.issues.map((i) => i.code)).toEqual(['unknown_stack']);
  });

  it('refuses secrets that are values, non-sensitive variables or defaults, without echoing them', async () => {
    const dir = writeStack({
      resource: {
        m3ter_webhook: {
          literal: webhook({
            code: 'a',
            credentials: { type: 'M3TER_SIGNED_REQUEST', api_key: 'pasted-key', secret: '${var.s}' },
          }),
          plain: webhook({
            code: 'b',
            credentials: { type: 'M3TER_SIGNED_REQUEST', api_key: '${var.p}', secret: '${var.d}' },
          }),
        },
      },
      variable: {
        ...sensitive,
        p: { type: 'string' },
        d: { type: 'string', sensitive: true, default: 'in-the-file' },
      },
    });
    const r = await loadConfigSources([dir], { env: { TF_VAR_s: 's', TF_VAR_p: 'p' }, cwd: dir });
    expect(r.issues.map((i) => `${i.line}:${i.col} ${i.code} ${i.pointer}`)).toEqual([
      expect.stringMatching(
        /^\d+:\d+ literal_secret \/resource\/m3ter_webhook\/literal\/credentials\/api_key$/,
      ),
      expect.stringMatching(/^\d+:\d+ secret_not_sensitive \/variable\/p\/sensitive$/),
      expect.stringMatching(/^\d+:\d+ literal_secret \/variable\/d\/default$/),
    ]);
    expect(JSON.stringify(r.issues)).not.toMatch(/pasted-key|in-the-file/);
    expect(r.issues[0]?.message).toMatch(
      /^m3ter_webhook\.literal: credentials\.api_key is written as a value/,
    );
  });

  it('refuses expressions it cannot evaluate, ids it cannot resolve, and warns of m3ter types it does not manage', async () => {
    const dir = writeStack({
      resource: {
        m3ter_webhook: { h: webhook({ description: '${local.d}', org_id: 'other-org' }) },
        m3ter_integration_configuration: {
          i: {
            entity_type: 'Bill',
            destination: 'Stripe',
            integration_credentials_id: '1b7c0d9e-0000-4000-8000-000000000000',
          },
        },
        m3ter_meter: { m: { code: 'x' } },
      },
      variable: sensitive,
    });
    const r = await loadConfigSources([dir], { env: { TF_VAR_k: 'k', TF_VAR_s: 's' }, cwd: dir });
    expect(r.issues.map((i) => `${i.severity} ${i.code}`).sort()).toEqual([
      'error required',
      'error unresolvable_credential',
      'error unsupported_expression',
      'warning ignored_org_id',
      'warning unmanaged_resource_type',
    ]);
  });
});

describe.each(CORES)('$name Ignore construct', (core) => {
  it('writes ignore under the root "//", which loads as the YAML config’s ignore, positioned in the synth file', async () => {
    const { json, outdir } = synth(
      core,
      (stack, m3) => {
        new m3.Webhook(stack, 'ops', {
          name: 'Ops alerts',
          description: 'Paging',
          url: 'https://example.com/h',
          apiKey: m3.sensitiveVariable(stack, 'hook_key'),
          secret: m3.sensitiveVariable(stack, 'hook_secret'),
        });
        new m3.Ignore(stack, 'ignore', { webhooks: ['legacy_*'], links: ['id:123'] });
        new m3.Ignore(stack, 'more', { webhooks: ['old_one'], credentials: ['Stripe/prod'] });
      },
      { keep: true },
    );
    expect(checkTerraformJson(json)).toEqual([]);
    expect((json['//'] as Record<string, unknown>)['m3ter-config']).toMatchObject({
      ignore: { webhooks: ['legacy_*', 'old_one'], links: ['id:123'], credentials: ['Stripe/prod'] },
    });
    const loaded = await loadConfigSources([path.join(outdir, 'stacks/stack')], {
      env: SECRETS,
      cwd: outdir,
    });
    expect(loaded.issues).toEqual([]);
    const state = loaded.state!;
    expect(state.ignore.webhook).toEqual(['legacy_*', 'old_one']);
    expect(state.ignore.link).toEqual(['id:123']);
    expect(state.ignore.credential).toEqual(['STRIPE/prod']);
    expect(state.ignoreSources?.webhook?.get('old_one')).toMatchObject({
      file: 'stacks/stack/cdk.tf.json',
      pointer: '/~1~1/m3ter-config/ignore/webhooks/1',
    });
  });

  it('checks patterns at construction, naming the construct path', () => {
    expect(() =>
      synth(core, (stack, m3) => {
        new m3.Ignore(stack, 'ignore', { links: ['not a link key'] });
      }),
    ).toThrow(
      /^stack\/ignore: invalid props\n {2}stack\/ignore\.links\.0: "not a link key" is not a link key/,
    );
  });
});

describe('ignore in the synth reader', () => {
  it('places a bad pattern on the synth file', async () => {
    const dir = writeStack({
      variable: sensitive,
      '//': { 'm3ter-config': { ignore: { notificationRules: ['ok_*'], links: ['nope'] } } },
      resource: { m3ter_webhook: { hook: webhook() } },
    });
    const loaded = await loadConfigSources([dir], { env: { TF_VAR_k: 'x', TF_VAR_s: 'y' }, cwd: dir });
    expect(loaded.issues.map((i) => `${i.code} ${i.file}:${i.line} ${i.pointer}`)).toEqual([
      expect.stringMatching(/^\S+ cdk\.tf\.json:\d+ \/~1~1\/m3ter-config\/ignore\/links\/0$/),
    ]);
    expect(loaded.issues[0]?.line).toBeGreaterThan(1);
  });
});
