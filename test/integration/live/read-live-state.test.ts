import { afterEach, describe, expect, it } from 'vitest';
import { KINDS } from '../../../src/model/kinds.js';
import { readLiveState } from '../../../src/live/read-live-state.js';
import { ApiConnectionError, ApiError } from '../../../src/model/errors.js';
import { generateState } from './seed.js';
import { noWaitClock, startPair } from './helpers.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('readLiveState against the emulator', () => {
  it('reads more than one page of every kind, one request per page at the largest page size', async () => {
    const pair = await startPair();
    close = pair.close;
    const { emu, client } = pair;
    // webhooks 450 (3 pages of 200), rules 250 (3 of 100), configs 450 links + 20 others (3 of 200),
    // credentials 450 webhook-owned + 230 standalone (4 of 200).
    await emu.admin.seed(
      generateState(emu.orgId, { webhooks: 450, rules: 250, links: 450, otherConfigs: 20, credentials: 230 }),
    );
    emu.admin.resetCounters();

    const state = await readLiveState(client, new Set(KINDS));

    expect(state.resources.webhook.size).toBe(450);
    expect(state.resources.notificationRule.size).toBe(250);
    expect(state.resources.link.size).toBe(450);
    expect(state.resources.credential.size).toBe(230);
    expect(state.resources.integration.size).toBe(20);
    expect([...state.resources.link.keys()].filter((k) => k.startsWith('id:'))).toEqual([]);
    expect([...state.resources.integration.keys()].filter((k) => k.startsWith('id:'))).toEqual([]);
    const counters = emu.admin.counters();
    const o = '/organizations/{orgId}';
    expect(counters.requests).toEqual({
      'POST /oauth/token': 1,
      [`GET ${o}/integrationdestinations/webhooks`]: 3,
      [`GET ${o}/notifications/configurations`]: 3,
      [`GET ${o}/integrationconfigs`]: 3,
      [`GET ${o}/integrationcredentials`]: 4,
      // The org holds no scheduled event: one empty page.
      [`GET ${o}/scheduledevents/configurations`]: 1,
    });
    expect(client.stats()).toEqual({ requests: 15, retries: 0, rateLimited: 0, tokenRequests: 1 });
  });

  it('normalises seeded entities into the canonical model', async () => {
    const pair = await startPair();
    close = pair.close;
    const { emu, client } = pair;
    await emu.admin.seed(
      generateState(emu.orgId, { webhooks: 3, rules: 3, links: 3, credentials: 1, otherConfigs: 1 }),
    );
    const state = await readLiveState(client, new Set(KINDS));

    const w0 = state.resources.webhook.get('wh-00000');
    expect(w0?.attributes).toEqual({
      name: 'Webhook 0',
      description: 'Webhook number 0',
      url: 'https://hooks.example.com/0',
      active: false,
      credentialType: 'M3TER_SIGNED_REQUEST',
    });
    expect(w0?.live).toMatchObject({ id: '00000001-0000-4000-8000-000000000000', version: 1 });
    expect(w0?.live.secretFingerprint).toBeUndefined();

    expect(state.resources.notificationRule.get('rule-00000')?.attributes).toEqual({
      name: 'Rule 0',
      description: 'Rule number 0',
      eventName: 'configuration.commitment.updated',
      calculation: 'new.amount > 0',
      active: false,
      alwaysFireEvent: true,
    });
    expect(state.resources.notificationRule.get('rule-00001')?.attributes).toMatchObject({
      calculation: null,
      active: true,
      alwaysFireEvent: false,
    });
    expect([...state.resources.link.keys()].sort()).toEqual([
      'rule-00000->wh-00000',
      'rule-00001->wh-00001',
      'rule-00002->wh-00002',
    ]);
    expect(state.resources.link.get('rule-00000->wh-00000')?.attributes).toEqual({
      rule: 'rule-00000',
      webhook: 'wh-00000',
      active: false,
    });
    expect([...state.resources.credential.values()].map((c) => [c.key, c.attributes])).toEqual([
      [
        'CHARGEBEE/cb-00000',
        { name: 'cb-00000', destination: 'CHARGEBEE', type: 'CHARGEBEE_AUTH', settings: { site: 'site-0' } },
      ],
    ]);
    expect([...state.resources.integration.values()].map((i) => [i.key, i.attributes])).toEqual([
      [
        'Bill->Stripe/sync-00000',
        {
          entityType: 'Bill',
          destination: 'Stripe',
          name: 'sync-00000',
          credential: null,
          configData: { batch: 0 },
          active: true,
        },
      ],
    ]);
  });

  it('a read that keeps failing rejects the whole state, never a partial one', async () => {
    const pair = await startPair(
      { faultRate: 1, faultKinds: ['5xx'] },
      { clock: noWaitClock(), maxRetries: 2 },
    );
    close = pair.close;
    await pair.emu.admin.seed(generateState(pair.emu.orgId, { webhooks: 2, rules: 2, links: 2 }));
    const err = await readLiveState(pair.client, new Set(KINDS)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBeGreaterThanOrEqual(500);
    expect((err as ApiError).meta).toMatchObject({ method: 'GET', retries: 2 });
  });

  it('a read that keeps being reset rejects with a connection error', async () => {
    const pair = await startPair(
      { faultRate: 1, faultKinds: ['reset'] },
      { clock: noWaitClock(), maxRetries: 1 },
    );
    close = pair.close;
    await expect(readLiveState(pair.client, new Set(['webhook']))).rejects.toBeInstanceOf(ApiConnectionError);
  });

  it('reads through injected faults (5xx, 429, resets) to the same state', async () => {
    const clean = await startPair();
    const seed = generateState(clean.emu.orgId, { webhooks: 250, rules: 150, links: 150 });
    await clean.emu.admin.seed(seed);
    const expected = await readLiveState(clean.client, new Set(KINDS));
    await clean.close();

    const pair = await startPair(
      { faultRate: 0.3, faultKinds: ['5xx', '429', 'reset'], seed: 7 },
      { clock: noWaitClock(), maxRetries: 10, seed: 1 },
    );
    close = pair.close;
    await pair.emu.admin.seed(seed);
    const state = await readLiveState(pair.client, new Set(KINDS));
    expect(state).toEqual(expected);
    expect(pair.client.stats().retries).toBeGreaterThan(0);
  });
});
