import { describe, expect, it } from 'vitest';
import { M3terConstructError } from '../../../src/cdktf/check.js';
import { checkTerraformJson } from '../../helpers/tf-schema-check.js';
import { CORES, normalise, quickstart, synth } from './synth.js';

function constructError(f: () => unknown): M3terConstructError {
  try {
    f();
  } catch (e) {
    if (e instanceof M3terConstructError) return e;
    throw e;
  }
  throw new Error('expected an M3terConstructError');
}

describe.each(CORES)('$name constructs', (core) => {
  it('synthesize the quickstart (snapshot), valid against the provider schema', async () => {
    const { text, json } = synth(core, quickstart);
    expect(checkTerraformJson(json)).toEqual([]);
    await expect(normalise(text)).toMatchFileSnapshot(`../../golden/cdktf/${core.name}.cdk.tf.json`);
  });

  it('write code, active and always_fire_event explicitly, secrets as sensitive variables only', () => {
    const { json, text } = synth(core, quickstart);
    const resource = json['resource'] as Record<string, Record<string, Record<string, unknown>>>;
    expect(resource['m3ter_webhook']?.['receiver']).toMatchObject({
      code: 'quickstart_receiver',
      active: true,
      credentials: {
        type: 'M3TER_SIGNED_REQUEST',
        api_key: '${var.quickstart_webhook_api_key}',
        secret: '${var.quickstart_webhook_secret}',
      },
    });
    expect(resource['m3ter_notification_configuration']?.['commitment']).toMatchObject({
      active: true,
      always_fire_event: false,
    });
    expect(resource['m3ter_integration_configuration']?.['bills']).toMatchObject({
      config_data: { syncOnApproval: 'true', accounts: '["a","b"]' },
      '//': { 'm3ter-config': { credential: 'STRIPE/quickstart-stripe' } },
    });
    expect(resource['m3ter_integration_configuration']?.['bill-created_notify-receiver']).toMatchObject({
      entity_type: 'Notification',
      entity_id: '${m3ter_notification_configuration.bill-created.id}',
      destination: 'Webhook',
      destination_id: '${m3ter_webhook.receiver.id}',
      '//': { 'm3ter-config': { active: false } },
    });
    expect(text).not.toMatch(/credentials\.version|"version": \d/);
  });

  it('checks props at construction with the YAML loader’s rules, naming the construct path and prop', () => {
    const e = constructError(() =>
      synth(core, (stack, m3) => {
        new m3.Webhook(stack, 'hook', {
          name: '***',
          description: 'd',
          url: 'ftp://example.com/x',
          apiKey: m3.sensitiveVariable(stack, 'k'),
          secret: m3.sensitiveVariable(stack, 's'),
        });
      }),
    );
    expect(e.path).toBe('stack/hook');
    expect(e.issues.map((i) => i.code).sort()).toEqual(['bad_url', 'underivable_code']);
    expect(e.message).toContain('stack/hook.url: "ftp://example.com/x" is not an absolute http or https URL');
    expect(e.message).toContain('stack/hook.name: cannot derive a code from this name');

    const rule = constructError(() =>
      synth(core, (stack, m3) => {
        new m3.NotificationRule(stack, 'rule', {
          code: 'has space',
          name: 'n',
          description: 'd',
          eventName: 'Billing.Bill.Created',
        });
      }),
    );
    expect(rule.issues.map((i) => `${i.code} ${i.pointer}`)).toEqual([
      expect.stringMatching(/ \/notificationRules\/0\/code$/),
      'bad_event_name /notificationRules/0/eventName',
    ]);

    const cred = constructError(() =>
      synth(core, (stack, m3) => {
        new m3.Credential(stack, 'c', { name: 'x', destination: 'Stripe', type: 'HTTP_BASIC' });
      }),
    );
    expect(cred.issues.map((i) => i.code)).toEqual(['unknown_credential_type']);
  });

  it('refuses a secret that is not a sensitive variable', () => {
    const e = constructError(() =>
      synth(core, (stack, m3) => {
        new m3.Webhook(stack, 'hook', {
          name: 'n',
          description: 'd',
          url: 'https://example.com/x',
          apiKey: new core.lib.TerraformVariable(stack, 'k', { type: 'string' }),
          secret: m3.sensitiveVariable(stack, 's'),
        });
      }),
    );
    expect(e.message).toContain('stack/hook.apiKey: must be a');
  });

  it('finds duplicate keys at synth, naming both constructs', () => {
    expect(() =>
      synth(core, (stack, m3) => {
        for (const id of ['a', 'b'])
          new m3.NotificationRule(stack, id, {
            code: 'same',
            name: 'n',
            description: 'd',
            eventName: 'billing.bill.created',
          });
      }),
    ).toThrow(/stack\/b: notificationRule "same" is already declared by stack\/a/);
  });
});

describe('the two cores', () => {
  it('synthesize the same JSON but for the core version', () => {
    const [a, b] = CORES.map((core) => {
      const json = JSON.parse(normalise(synth(core, quickstart).text)) as {
        '//': { metadata: { version?: string } };
      };
      delete json['//'].metadata.version;
      return json;
    });
    expect(a).toEqual(b);
  });

  it('do not mix: a cdktn webhook cannot be linked from a cdktf rule', () => {
    const [cdktf, cdktn] = CORES as [(typeof CORES)[0], (typeof CORES)[0]];
    const app = new cdktn.lib.App({ outdir: '/tmp/unused-cdktn' });
    const other = new cdktn.lib.TerraformStack(app, 'other');
    new cdktn.m3.M3terProvider(other, 'm3ter');
    const hook = new cdktn.m3.Webhook(other, 'hook', {
      name: 'Hook',
      description: 'd',
      url: 'https://example.com/x',
      apiKey: cdktn.m3.sensitiveVariable(other, 'k'),
      secret: cdktn.m3.sensitiveVariable(other, 's'),
    });
    expect(() =>
      synth(cdktf, (stack, m3) => {
        new m3.NotificationRule(stack, 'rule', {
          code: 'r',
          name: 'n',
          description: 'd',
          eventName: 'billing.bill.created',
        }).notify(hook);
      }),
    ).toThrow(/other\/hook is a cdktn construct; this stack uses cdktf/);
  });
});
