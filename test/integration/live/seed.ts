import { createHash } from 'node:crypto';
import type {
  CredentialEntity,
  EmulatorState,
  IntegrationConfigEntity,
  NotificationEntity,
  WebhookEntity,
} from '../../../src/emulator/index.js';

/** Sizes of a generated org. */
export interface SeedSizes {
  webhooks: number;
  rules: number;
  /** Links join rule i to webhook i mod webhooks; at most one per rule... unless links > rules (then they wrap). */
  links: number;
  credentials?: number;
  /** Integration configs that are not notification links (billing syncs named `sync-00000`, ...): never links. */
  otherConfigs?: number;
}

const digest = (v: string): string => createHash('sha256').update(v).digest('hex');
const pad = (n: number): string => String(n).padStart(5, '0');
const uuid = (prefix: number, n: number): string =>
  `${prefix.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/**
 * A state export for the emulator's admin seed: entities made directly, far faster than through the API. Codes are
 * `wh-00001`, `rule-00001`; each link i joins `rule-i` to `wh-(i mod webhooks)`, with rules taken round-robin so that
 * no two links share a key.
 */
export function generateState(orgId: string, sizes: SeedSizes): EmulatorState {
  let seq = 1;
  const at = '2026-01-01T00:00:00.000Z';
  const env = (id: string) => ({
    id,
    seq: seq++,
    version: 1,
    dtCreated: at,
    dtLastModified: at,
    createdBy: 'seed',
    lastModifiedBy: 'seed',
  });
  const webhooks: WebhookEntity[] = [];
  const credentials: CredentialEntity[] = [];
  for (let i = 0; i < sizes.webhooks; i++) {
    const id = uuid(1, i);
    const credentialId = uuid(2, i);
    credentials.push({
      ...env(credentialId),
      type: 'M3TER_SIGNED_REQUEST',
      destination: 'WEBHOOK',
      destinationId: id,
      settings: {},
      secretDigests: { apiKey: digest(`key-${i}`), secret: digest(`secret-${i}`) },
      ownerWebhookId: id,
    });
    webhooks.push({
      ...env(id),
      code: `wh-${pad(i)}`,
      name: `Webhook ${i}`,
      description: `Webhook number ${i}`,
      url: `https://hooks.example.com/${i}`,
      active: i % 7 !== 0,
      credentialId,
    });
  }
  const notifications: NotificationEntity[] = [];
  for (let i = 0; i < sizes.rules; i++) {
    const n: NotificationEntity = {
      ...env(uuid(3, i)),
      code: `rule-${pad(i)}`,
      name: `Rule ${i}`,
      description: `Rule number ${i}`,
      eventName: 'configuration.commitment.updated',
      active: i % 5 !== 0,
      alwaysFireEvent: i % 3 === 0,
    };
    if (i % 2 === 0) n.calculation = `new.amount > ${i}`;
    notifications.push(n);
  }
  const integrationConfigs: IntegrationConfigEntity[] = [];
  for (let i = 0; i < sizes.links; i++) {
    const rule = i % sizes.rules;
    const webhook = (i + Math.floor(i / sizes.rules)) % sizes.webhooks;
    integrationConfigs.push({
      ...env(uuid(4, i)),
      entityType: 'Notification',
      destination: 'Webhook',
      entityId: uuid(3, rule),
      destinationId: uuid(1, webhook),
      configData: {},
      enabled: i % 11 !== 0,
    });
  }
  for (let i = 0; i < (sizes.otherConfigs ?? 0); i++) {
    integrationConfigs.push({
      ...env(uuid(5, i)),
      entityType: 'Bill',
      destination: 'Stripe',
      name: `sync-${pad(i)}`,
      entityId: uuid(6, i),
      configData: { batch: i },
      enabled: i % 2 === 0,
    });
  }
  for (let i = 0; i < (sizes.credentials ?? 0); i++) {
    credentials.push({
      ...env(uuid(7, i)),
      name: `cb-${pad(i)}`,
      type: 'CHARGEBEE_AUTH',
      destination: 'CHARGEBEE',
      settings: { site: `site-${i}` },
      secretDigests: { apiKey: digest(`cb-key-${i}`) },
    });
  }
  credentials.sort((a, b) => a.seq - b.seq);
  return {
    format: 1,
    orgId,
    nextSeq: seq,
    webhooks,
    notifications,
    integrationConfigs,
    credentials,
    scheduledEvents: [],
  };
}
