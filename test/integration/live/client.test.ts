import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../src/emulator/index.js';
import { createClient } from '../../../src/live/client.js';
import type { WriteContext } from '../../../src/live/contract.js';
import { createIdMap } from '../../../src/live/id-map.js';
import { adapters } from '../../../src/live/index.js';
import { readLiveState } from '../../../src/live/read-live-state.js';
import { ApiError, UnclearWriteError } from '../../../src/model/errors.js';
import { FingerprintCache, newFingerprintSalt } from '../../../src/model/fingerprint.js';
import { KINDS } from '../../../src/model/kinds.js';
import type { DesiredResource, SourceRef } from '../../../src/model/resource.js';
import { Secret } from '../../../src/model/secret.js';
import { noWaitClock, startPair, targetOf } from './helpers.js';

const source: SourceRef = { file: 'm3ter.yaml', line: 1, col: 1, pointer: '/' };
const WEBHOOK_KEY = 'api-key-value-1234';
const WEBHOOK_SECRET = 'webhook-secret-value-5678';
const CB_KEY = 'chargebee-key-value-9012';

function webhook(active = true): DesiredResource<'webhook'> {
  return {
    kind: 'webhook',
    key: 'ops',
    attributes: {
      name: 'Ops',
      description: 'Ops hook',
      url: 'https://ops.example/h',
      active,
      credentialType: 'M3TER_SIGNED_REQUEST',
    },
    secrets: { apiKey: new Secret('OPS_KEY', WEBHOOK_KEY), secret: new Secret('OPS_SECRET', WEBHOOK_SECRET) },
    source,
  };
}

function rule(calculation: string | null): DesiredResource<'notificationRule'> {
  return {
    kind: 'notificationRule',
    key: 'low-balance',
    attributes: {
      name: 'Low',
      description: 'Low balance',
      eventName: 'configuration.commitment.updated',
      calculation,
      active: true,
      alwaysFireEvent: false,
    },
    source,
  };
}

const link = (active: boolean): DesiredResource<'link'> => ({
  kind: 'link',
  key: 'low-balance->ops',
  attributes: { rule: 'low-balance', webhook: 'ops', active },
  source,
});

const credential: DesiredResource<'credential'> = {
  kind: 'credential',
  key: 'CHARGEBEE/prod',
  attributes: { name: 'prod', destination: 'CHARGEBEE', type: 'CHARGEBEE_AUTH', settings: { site: 'acme' } },
  secrets: { apiKey: new Secret('CB_KEY', CB_KEY) },
  source,
};

function newCtx(): WriteContext {
  return { ids: createIdMap(), fingerprints: new FingerprintCache(), salt: newFingerprintSalt() };
}

function text(err: unknown): string {
  const e = err as Error & { meta?: unknown; cause?: unknown };
  return JSON.stringify({ message: e.message, meta: e.meta, cause: String(e.cause) });
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('writes through the adapters', () => {
  it('create, read back equal to desired, update with version, stale version refused, delete', async () => {
    const pair = await startPair();
    close = pair.close;
    const { client } = pair;
    const ctx = newCtx();
    const ids = ctx.ids as ReturnType<typeof createIdMap>;

    const w = await adapters.webhook.create(client, webhook(false), ctx);
    expect(w.attributes).toEqual(webhook(false).attributes);
    expect(
      await ctx.fingerprints.matches(w.live.secretFingerprint, [
        new Secret('a', WEBHOOK_KEY),
        new Secret('b', WEBHOOK_SECRET),
      ]),
    ).toBe(true);
    ids.set('webhook', w.key, w.live.id);
    const r = await adapters.notificationRule.create(client, rule('new.x > 1'), ctx);
    ids.set('notificationRule', r.key, r.live.id);
    const l = await adapters.link.create(client, link(true), ctx);
    const c = await adapters.credential.create(client, credential, ctx);

    const state = await readLiveState(client, new Set(KINDS));
    expect(state.resources.webhook.get('ops')?.attributes).toEqual(webhook(false).attributes);
    expect(state.resources.webhook.get('ops')?.live.secretFingerprint).toBe(w.live.secretFingerprint);
    expect(state.resources.notificationRule.get('low-balance')?.attributes).toEqual(
      rule('new.x > 1').attributes,
    );
    expect(state.resources.link.get('low-balance->ops')?.attributes).toEqual(link(true).attributes);
    expect(state.resources.credential.get('CHARGEBEE/prod')?.attributes).toEqual(credential.attributes);
    expect(JSON.stringify([...state.resources.credential.values()])).not.toContain(CB_KEY);

    const r2 = await adapters.notificationRule.update(client, r.live.id, r.live.version, rule(null), ctx);
    expect(r2.attributes.calculation).toBeNull();
    expect(r2.live.version).toBe(r.live.version + 1);
    const stale = await adapters.notificationRule
      .update(client, r.live.id, r.live.version, rule('x'), ctx)
      .catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(ApiError);
    expect((stale as ApiError).status).toBe(400);

    const w2 = await adapters.webhook.update(client, w.live.id, w.live.version, webhook(true), ctx);
    expect(w2.attributes.active).toBe(true);
    const l2 = await adapters.link.update(client, l.live.id, l.live.version, link(false), ctx);
    expect(l2.attributes.active).toBe(false);
    const c2 = await adapters.credential.update(
      client,
      c.live.id,
      c.live.version,
      { ...credential, attributes: { ...credential.attributes, settings: { site: 'beta' } } },
      ctx,
    );
    expect(c2.attributes.settings).toEqual({ site: 'beta' });

    expect(await adapters.link.findByKey(client, 'low-balance->ops', ids)).toHaveLength(1);
    expect(await adapters.webhook.findByKey(client, 'ops', ids)).toHaveLength(1);
    expect(await adapters.notificationRule.findByKey(client, 'nope', ids)).toEqual([]);
    expect((await adapters.credential.read(client, c.live.id, ids))?.key).toBe('CHARGEBEE/prod');
    // The webhook's own credential is not a credential resource.
    expect(await adapters.credential.read(client, w.live.credentialId ?? '', ids)).toBeUndefined();

    await adapters.link.remove(client, l.live.id);
    await adapters.notificationRule.remove(client, r.live.id);
    await adapters.webhook.remove(client, w.live.id);
    await adapters.credential.remove(client, c.live.id);
    expect(await adapters.webhook.read(client, w.live.id, ids)).toBeUndefined();
    const gone = await adapters.webhook.remove(client, w.live.id).catch((e: unknown) => e);
    expect((gone as ApiError).status).toBe(404);
    const after = await readLiveState(client, new Set(KINDS));
    expect(KINDS.map((k) => after.resources[k].size)).toEqual(KINDS.map(() => 0));
  });

  it('a create whose answer is lost is not sent again, and can be found by key', async () => {
    const emu = await startEmulator({ rateLimit: 0, faultRate: 1, faultKinds: ['commit-then-fail'] });
    const client = createClient(targetOf(emu), { clock: noWaitClock() });
    const err = await adapters.webhook.create(client, webhook(), newCtx()).catch((e: unknown) => e);
    await client.close();
    expect(err).toBeInstanceOf(UnclearWriteError);
    expect(text(err)).not.toContain(WEBHOOK_SECRET);
    expect(text(err)).not.toContain(WEBHOOK_KEY);
    const state = emu.admin.exportState();
    expect(
      emu.admin.counters().requests['POST /organizations/{orgId}/integrationdestinations/webhooks'],
    ).toBe(1);
    await emu.close();

    const pair = await startPair();
    close = pair.close;
    await pair.emu.admin.seed(state);
    expect(await adapters.webhook.findByKey(pair.client, 'ops', createIdMap())).toHaveLength(1);
  });
});

describe('secrets never appear in errors', () => {
  it('not in an API error about a body carrying them', async () => {
    const pair = await startPair();
    close = pair.close;
    const ctx = newCtx();
    await adapters.webhook.create(pair.client, webhook(), ctx);
    const dup = await adapters.webhook.create(pair.client, webhook(), ctx).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(ApiError);
    expect((dup as ApiError).message).toContain("code 'ops' already exists");
    expect(text(dup)).not.toContain(WEBHOOK_SECRET);
    expect(text(dup)).not.toContain(WEBHOOK_KEY);
  });

  it('not in a 5xx on a create, nor with a wrong API secret', async () => {
    const pair = await startPair({ faultRate: 1, faultKinds: ['5xx'] });
    close = pair.close;
    const err = await adapters.credential.create(pair.client, credential, newCtx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnclearWriteError);
    expect(text(err)).not.toContain(CB_KEY);

    const wrong = createClient(targetOf(pair.emu, 'not-the-secret-at-all'));
    const refused = await wrong
      .get(`/organizations/${pair.emu.orgId}/integrationconfigs`)
      .catch((e: unknown) => e);
    await wrong.close();
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe(403);
    expect(text(refused)).not.toContain('not-the-secret-at-all');
    expect(text(refused)).not.toContain(pair.emu.apiSecret);
  });
});

describe('token lifetime', () => {
  it('renews before expiry by its own clock', async () => {
    let t = Date.parse('2026-03-01T00:00:00Z');
    const clock = {
      now: () => t,
      sleep: async (ms: number) => {
        t += ms;
      },
    };
    const pair = await startPair({ tokenTtlSeconds: 60, now: () => t }, { clock });
    close = pair.close;
    await readLiveState(pair.client, new Set(['webhook']));
    t += 47_000;
    await readLiveState(pair.client, new Set(['webhook']));
    expect(pair.client.stats().tokenRequests).toBe(1);
    t += 2_000; // past 60 s minus a fifth
    await readLiveState(pair.client, new Set(['webhook']));
    expect(pair.client.stats()).toMatchObject({ tokenRequests: 2, retries: 0 });
  });

  it('renews once on the 403 of a token that expired by the server clock', async () => {
    let serverTime = Date.now();
    const pair = await startPair({ tokenTtlSeconds: 3600, now: () => serverTime });
    close = pair.close;
    await readLiveState(pair.client, new Set(['webhook']));
    serverTime += 2 * 3600 * 1000;
    await readLiveState(pair.client, new Set(['webhook']));
    expect(pair.client.stats()).toMatchObject({ tokenRequests: 2, retries: 1 });
    expect(pair.emu.admin.counters().statuses['403']).toBe(1);
  });
});

describe('rate limit', () => {
  it.each([0, 5])(
    'keeps a burst under the emulator’s 50 requests per second at %i ms: zero 429s',
    async (latencyMs) => {
      const pair = await startPair({ rateLimit: 50, latencyMs });
      close = pair.close;
      const path = `/organizations/${pair.emu.orgId}/integrationdestinations/webhooks`;
      const started = Date.now();
      await Promise.all(Array.from({ length: 130 }, () => pair.client.list(path, 200)));
      const elapsed = Date.now() - started;
      expect(pair.emu.admin.counters().rateLimited).toBe(0);
      expect(pair.client.stats()).toMatchObject({ requests: 131, rateLimited: 0, retries: 0 });
      // 131 requests at 50 per (sliding) second: the last ones wait for the third window.
      expect(elapsed).toBeGreaterThanOrEqual(2000);
    },
    20_000,
  );
});
