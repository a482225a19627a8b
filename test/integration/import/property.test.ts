import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSeeder } from '../../helpers/seed-api.js';
import { type Org, startOrg } from '../../helpers/converge.js';
import { hostileString, mulberry32, pick } from '../../unit/emit/hostile.js';
import { importAndRoundTrip, sessionOf } from './helpers.js';

/**
 * The round-trip property of import, over seeded random orgs made through the emulator's m3ter API with YAML-hostile
 * strings in every text field m3ter and the config language both accept: import, load back exactly, plan shows only
 * the adoption of webhook secrets, one apply, plan empty. A failing seed replays with SEEDS below.
 */

const SEEDS = Array.from({ length: Number(process.env['IMPORT_SEEDS'] ?? 12) }, (_, i) => i + 1);

/** Codes the config language accepts that YAML reads as something else when written bare. */
const HOSTILE_CODES = [
  'yes',
  'no',
  'null',
  'true',
  'off',
  'on',
  'y',
  '0123',
  '1e3',
  '0x1F',
  '12',
  '1_000',
  'N',
  'Null-1',
  '-x'.slice(1),
];
/** `entityType` and `destination` tokens (letters, digits, `_`, `-`) that YAML reads as something else. */
const HOSTILE_TOKENS = [
  'yes',
  'No',
  'null',
  'TRUE',
  '0123',
  '1e3',
  '0x10',
  '2001-12-14'.replace(/-/g, '_'),
  'Bill',
  '007',
];

/** A text value m3ter and the config language accept: not blank (a name that is only spaces is refused by both). */
function text(random: () => number): string {
  const s = hostileString(random);
  return s.trim() === '' ? `${s}x` : s;
}

function uniqueCode(random: () => number, taken: Set<string>): string {
  let code = pick(random, HOSTILE_CODES);
  for (let n = 2; taken.has(code.toLowerCase()); n++) code = `${pick(random, HOSTILE_CODES)}_${n}`;
  taken.add(code.toLowerCase());
  return code;
}

/** A URL path that keeps YAML-hostile characters but no whitespace (the language requires none). */
function url(random: () => number): string {
  const path = hostileString(random).replace(/\s/g, '');
  return `https://hooks.example.com/${encodeURIComponent(path).replace(/%23/g, '#').replace(/%3A/g, ':')}?q=${pick(random, ['yes', 'a: b', '~', '#x'])}`.replace(
    /\s/g,
    '',
  );
}

export async function seedHostileOrg(org: Org, seed: number): Promise<void> {
  const random = mulberry32(seed);
  const api = await apiSeeder(org.emulator);
  const taken = new Set<string>();
  const webhooks: string[] = [];
  for (let i = 0; i < 3; i++) {
    const created = await api.webhook({
      code: uniqueCode(random, taken),
      name: text(random),
      description: text(random),
      url: url(random),
      active: random() < 0.7,
      credentials: {
        type: 'M3TER_SIGNED_REQUEST',
        apiKey: `key-${seed}-${i}`,
        secret: `secret-${seed}-${i}`,
        destination: 'WEBHOOK',
      },
    });
    webhooks.push(created.id);
  }
  const ruleCodes = new Set<string>();
  for (let i = 0; i < 3; i++) {
    const always = random() < 0.3;
    const calculation = always
      ? undefined
      : random() < 0.5
        ? `${text(random)}\n  AND ${text(random)}\n`
        : text(random);
    const rule = await api.rule({
      code: uniqueCode(random, ruleCodes),
      name: text(random),
      description: text(random),
      eventName: pick(random, [
        'configuration.commitment.updated',
        'billing.bill.created',
        'scheduled.bill.endDateEvent',
      ]),
      ...(calculation !== undefined ? { calculation } : {}),
      active: random() < 0.7,
      alwaysFireEvent: always,
    });
    await api.config({
      entityType: 'Notification',
      destination: 'Webhook',
      entityId: rule.id,
      destinationId: webhooks[i % webhooks.length],
      configData: {},
      enabled: random() < 0.8,
    });
  }
  const credential = await api.credential({
    name: text(random).replace(/\//g, '|'),
    destination: 'CHARGEBEE',
    type: 'CHARGEBEE_AUTH',
    settings: { site: text(random) },
    secrets: { apiKey: `chargebee-${seed}` },
  });
  const integrationNames = new Set<string>();
  for (let i = 0; i < 2; i++) {
    let name = text(random).replace(/\//g, '|');
    while (integrationNames.has(name.toLowerCase())) name += 'x';
    integrationNames.add(name.toLowerCase());
    const configData: Record<string, unknown> = {
      [text(random)]: text(random),
      nested: { [text(random)]: [text(random), random() < 0.5, Math.round(random() * 1000) / 8, null] },
      flag: random() < 0.5,
    };
    await api.config({
      entityType: pick(random, HOSTILE_TOKENS),
      destination: pick(random, HOSTILE_TOKENS),
      name,
      integrationCredentialsId: credential.id,
      configData,
      enabled: true,
    });
  }
}

describe('import round trip over seeded hostile orgs (property)', () => {
  let org: Org;
  beforeAll(async () => {
    org = await startOrg();
  });
  afterAll(async () => org.close());

  for (const seed of SEEDS) {
    it(`seed ${seed}: import, load back exactly, plan only adopts webhook secrets, apply once, plan empty`, async () => {
      org.emulator.admin.reset();
      await seedHostileOrg(org, seed);
      const { outcome } = await importAndRoundTrip(sessionOf(org.emulator, org.client), {
        secretValue: (s) => `value-of-${s.env}-${seed}`,
      });
      expect(outcome.model.entities.webhook.length).toBe(3);
      expect(outcome.model.entities.integration.length).toBe(2);
      expect(outcome.model.entities.link.length).toBe(3);
    });
  }
});
