import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { envNameFor, withoutDefaults } from '../../../src/emit/index.js';
import { mappingLines } from '../../../src/emit/yaml-text.js';
import { CONFIG_SECTION } from '../../../src/kinds/index.js';
import { loadConfig } from '../../../src/load/load-config.js';
import type { Json } from '../../../src/model/errors.js';
import { KINDS, type Kind } from '../../../src/model/kinds.js';
import type { LiveResource } from '../../../src/model/resource.js';
import { entryDefaults } from '../../../src/schema/index.js';

/** The smallest entry of each kind the loader accepts (a rule and a webhook for the link to name). */
const MINIMAL: Record<Kind, { [k: string]: Json }> = {
  credential: { name: 'c', destination: 'Stripe', type: 'STRIPE_SIGNED_REQUEST', signingKey: { env: 'K' } },
  integration: { entityType: 'Bill', destination: 'Stripe' },
  webhook: {
    code: 'w',
    name: 'W',
    description: 'd',
    url: 'https://x.example.com',
    credentials: { apiKey: { env: 'K' }, secret: { env: 'K' } },
  },
  notificationRule: { code: 'r', name: 'R', description: 'd', eventName: 'billing.bill.created' },
  link: { rule: 'r', webhook: 'w' },
  scheduledEvent: { name: 'scheduled.bill.dueSoon', entity: 'Bill', field: 'dueDate', offset: 10 },
};

async function attributesOf(kind: Kind, entry: { [k: string]: Json }): Promise<unknown> {
  const doc: { [k: string]: Json } = {
    webhooks: [MINIMAL.webhook],
    notificationRules: [MINIMAL.notificationRule],
    [CONFIG_SECTION[kind]]: [entry],
  };
  const dir = mkdtempSync(path.join(tmpdir(), 'm3ter-config-defaults-'));
  writeFileSync(path.join(dir, 'm.yaml'), `${mappingLines(doc, 0).join('\n')}\n`);
  const loaded = await loadConfig(['m.yaml'], { env: { K: 'v' }, cwd: dir });
  expect(loaded.issues.filter((i) => i.severity === 'error')).toEqual([]);
  const key = [...(loaded.state?.resources[kind].keys() ?? [])][0] as string;
  return loaded.state?.resources[kind].get(key)?.attributes;
}

describe('the defaults import leaves out', () => {
  it('come from the schemas, for every kind that has one', () => {
    const paths = Object.fromEntries(
      [...entryDefaults()].map(([s, ds]) => [s, ds.map((d) => [d.path.join('.'), d.value])]),
    );
    expect(paths).toEqual({
      webhooks: [
        ['active', true],
        ['credentials.type', 'M3TER_SIGNED_REQUEST'],
      ],
      notificationRules: [
        ['calculation', null],
        ['active', true],
        ['alwaysFireEvent', false],
      ],
      links: [['active', true]],
      scheduledEvents: [],
      credentials: [],
      integrations: [
        ['configData', {}],
        ['active', true],
      ],
    });
  });

  it("are the loader's: writing each default out loads to the same attributes as leaving it out", async () => {
    for (const kind of KINDS) {
      const section = CONFIG_SECTION[kind];
      const full = structuredClone(MINIMAL[kind]);
      for (const d of entryDefaults().get(section) ?? []) {
        let holder = full as { [k: string]: Json };
        for (const p of d.path.slice(0, -1)) holder = (holder[p] ??= {}) as { [k: string]: Json };
        holder[d.path[d.path.length - 1] as string] = d.value;
      }
      expect(withoutDefaults(section, full), kind).toEqual(MINIMAL[kind]);
      expect(await attributesOf(kind, full), kind).toEqual(await attributesOf(kind, MINIMAL[kind]));
    }
  });

  it('keeps a value that differs from its default, and drops nulls', () => {
    expect(
      withoutDefaults('notificationRules', {
        code: 'r',
        active: false,
        calculation: null,
        alwaysFireEvent: true,
      }),
    ).toEqual({
      code: 'r',
      active: false,
      alwaysFireEvent: true,
    });
  });
});

describe('secret variable names', () => {
  const live = (kind: Kind, key: string) =>
    ({ kind, key, live: { id: 'i', version: 1 } }) as unknown as LiveResource;
  it('are readable and derived from the entity, never starting with a digit', () => {
    expect(envNameFor(live('webhook', 'billing-alerts'), 'apiKey')).toBe('BILLING_ALERTS_WEBHOOK_API_KEY');
    expect(envNameFor(live('webhook', '0123'), 'secret')).toBe('M3TER_0123_WEBHOOK_SECRET');
    expect(envNameFor(live('credential', 'STRIPE/prod stripe'), 'signingKey')).toBe(
      'STRIPE_PROD_STRIPE_SIGNING_KEY',
    );
    expect(envNameFor(live('credential', 'STRIPE/日本'), 'signingKey')).toBe('STRIPE_SIGNING_KEY');
    expect(envNameFor(live('credential', '日本'), 'apiKey')).toMatch(
      /^[A-F0-9]{8}_API_KEY$|^M3TER_[0-9][A-F0-9]{7}_API_KEY$/,
    );
  });
});
