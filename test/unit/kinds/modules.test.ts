import { describe, expect, it } from 'vitest';
import {
  fingerprintMaterial,
  fingerprintsSecrets,
  isLinkEntityType,
  KIND_SPECS,
  LINK_IDENTITY,
  secretFieldsOf,
  secretsByAttributes,
  specOf,
} from '../../../src/kinds/index.js';
import { isLink } from '../../../src/live/links.js';
import { translateSynth } from '../../../src/load/cdktf-synth.js';
import { KINDS } from '../../../src/model/kinds.js';
import { Secret } from '../../../src/model/secret.js';

/** The capabilities a kind module states, read by generic code instead of a test of the kind's name. */
describe('kind modules', () => {
  it('say which secrets are fingerprinted, and which come from the credential type', () => {
    expect(KINDS.filter(fingerprintsSecrets)).toEqual(['webhook']);
    expect(KINDS.filter(secretsByAttributes)).toEqual(['credential']);
    expect(
      secretFieldsOf({
        kind: 'credential',
        attributes: { name: 'p', destination: 'STRIPE', type: 'STRIPE_SIGNED_REQUEST', settings: {} },
      }),
    ).toEqual(['signingKey']);
    expect(secretFieldsOf({ kind: 'notificationRule', attributes: {} as never })).toEqual([]);
  });

  it('take a fingerprint of the fingerprinted secrets only, in their order, and only when all are resolved', () => {
    const apiKey = new Secret('K', 'key');
    const secret = new Secret('S', 'sec');
    expect(fingerprintMaterial({ kind: 'webhook', secrets: { secret, apiKey } })).toEqual([apiKey, secret]);
    expect(fingerprintMaterial({ kind: 'webhook', secrets: { apiKey } })).toBeUndefined();
    expect(fingerprintMaterial({ kind: 'credential', secrets: { signingKey: secret } })).toBeUndefined();
  });

  it('match the link identity one way: entityType Notification, without case, in live reads and synth output', () => {
    expect(LINK_IDENTITY).toEqual({ entityType: 'Notification', destination: 'Webhook' });
    for (const t of ['Notification', 'NOTIFICATION', 'notification']) {
      expect(isLinkEntityType(t)).toBe(true);
      expect(isLink({ entityType: t })).toBe(true);
    }
    expect(isLinkEntityType('Bill')).toBe(false);
    expect(isLink({ entityType: 'Bill' })).toBe(false);

    const doc = (entityType: string, destination: string) =>
      JSON.stringify({
        resource: {
          m3ter_webhook: { w: { name: 'W', url: 'https://example.com', code: 'w' } },
          m3ter_notification_configuration: { r: { code: 'r', name: 'R', event_name: 'e' } },
          m3ter_integration_configuration: {
            l: {
              entity_type: entityType,
              entity_id: '${m3ter_notification_configuration.r.id}',
              destination,
              destination_id: '${m3ter_webhook.w.id}',
            },
          },
        },
      });
    // Before, a lower-case entity type was read as an integration (and refused there).
    const lower = JSON.parse(translateSynth('cdk.tf.json', doc('notification', 'WEBHOOK'), {}).text);
    expect(lower.links).toEqual([{ rule: 'r', webhook: 'w' }]);
    expect(lower.integrations).toBeUndefined();
    const wrong = translateSynth('cdk.tf.json', doc('Notification', 'Stripe'), {});
    expect(wrong.issues.map((i) => [i.code, i.pointer])).toEqual([
      ['bad_identity', '/resource/m3ter_integration_configuration/l/destination'],
    ]);
  });

  it('read a reference by key in synth output as the key, or as the key attribute of a resource of the file', () => {
    const doc = (eventName: string) =>
      JSON.stringify({
        resource: {
          m3ter_scheduled_event_configuration: {
            due: { name: 'scheduled.bill.dueSoon', entity: 'Bill', field: 'dueDate', offset: 10 },
          },
          m3ter_notification_configuration: { r: { code: 'r', name: 'R', event_name: eventName } },
        },
      });
    const byRef = translateSynth('cdk.tf.json', doc('${m3ter_scheduled_event_configuration.due.name}'), {});
    expect(byRef.issues).toEqual([]);
    expect(JSON.parse(byRef.text).notificationRules).toEqual([
      { code: 'r', name: 'R', eventName: 'scheduled.bill.dueSoon' },
    ]);
    const literal = translateSynth('cdk.tf.json', doc('scheduled.bill.elsewhere'), {});
    expect(JSON.parse(literal.text).notificationRules[0].eventName).toBe('scheduled.bill.elsewhere');
    const dangling = translateSynth(
      'cdk.tf.json',
      doc('${m3ter_scheduled_event_configuration.gone.name}'),
      {},
    );
    expect(dangling.issues.map((i) => i.code)).toEqual(['dangling_link']);
  });

  it('state a Terraform mapping whose fields are the kind’s config fields, and references to mapped kinds', () => {
    for (const kind of KINDS) {
      const { terraform } = specOf(kind);
      if (terraform.resource === undefined) continue;
      expect(terraform.resource, kind).toMatch(/^m3ter_/);
      for (const ref of specOf(kind).references) {
        const mapped = Object.values(terraform.attributes).includes(ref.attribute);
        const meta = ref.attribute in (terraform.meta ?? {});
        expect(mapped || meta, `${kind}.${ref.attribute}`).toBe(true);
      }
    }
    expect(KIND_SPECS.link.identity.values).toBe(LINK_IDENTITY);
  });
});
