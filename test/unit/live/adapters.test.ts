import { describe, expect, it } from 'vitest';
import type { LiveClient, WriteContext } from '../../../src/live/contract.js';
import {
  credentialBody,
  isStandaloneCredential,
  normalizeCredential,
} from '../../../src/live/credentials.js';
import { createIdMap } from '../../../src/live/id-map.js';
import { integrationBody, normalizeIntegration } from '../../../src/live/integrations.js';
import { linkBody, normalizeLink } from '../../../src/live/links.js';
import { normalizeRule, ruleBody } from '../../../src/live/notification-rules.js';
import { readLiveState } from '../../../src/live/read-live-state.js';
import { normalizeWebhook, webhookBody } from '../../../src/live/webhooks.js';
import { ApiError, InternalError } from '../../../src/model/errors.js';
import { FingerprintCache } from '../../../src/model/fingerprint.js';
import type { DesiredResource, SourceRef } from '../../../src/model/resource.js';
import { Secret } from '../../../src/model/secret.js';

const source: SourceRef = { file: 'm3ter.yaml', line: 1, col: 1, pointer: '/x' };
const envelope = {
  version: 3,
  dtCreated: '2026-01-01T00:00:00Z',
  dtLastModified: '2026-01-02T00:00:00Z',
  createdBy: 'u',
  lastModifiedBy: 'v',
};

describe('webhooks', () => {
  it('normalises with the loader defaults and keeps server fields aside', async () => {
    const fp = await new FingerprintCache().compute(
      [new Secret('K', 'key'), new Secret('S', 'secret')],
      Buffer.alloc(16, 1),
    );
    const w = normalizeWebhook({
      id: 'w1',
      ...envelope,
      code: 'ops',
      name: 'Ops',
      description: 'Ops hook',
      url: 'https://ops.example/hook',
      credentials: { id: 'c1', version: 2, type: 'M3TER_SIGNED_REQUEST', destination: 'WEBHOOK', name: fp },
    });
    expect(w).toEqual({
      kind: 'webhook',
      key: 'ops',
      attributes: {
        name: 'Ops',
        description: 'Ops hook',
        url: 'https://ops.example/hook',
        active: true,
        credentialType: 'M3TER_SIGNED_REQUEST',
      },
      live: {
        id: 'w1',
        version: 3,
        secretFingerprint: fp,
        credentialId: 'c1',
        credentialVersion: 2,
        dtLastModified: '2026-01-02T00:00:00Z',
        lastModifiedBy: 'v',
      },
    });
  });

  it('ignores a credential name that is not a fingerprint, and keys a code-less webhook by id', () => {
    const w = normalizeWebhook({
      id: 'w2',
      version: 1,
      active: false,
      credentials: { name: 'Integration Credentials' },
    });
    expect(w.key).toBe('id:w2');
    expect(w.attributes.active).toBe(false);
    expect(w.live.secretFingerprint).toBeUndefined();
  });

  it('builds the full body with the fingerprint in the credential name', async () => {
    const fingerprints = new FingerprintCache();
    const salt = Buffer.alloc(16, 7);
    const ctx: WriteContext = { ids: createIdMap(), fingerprints, salt };
    const apiKey = new Secret('OPS_KEY', 'k-123');
    const secret = new Secret('OPS_SECRET', 's-456');
    const desired: DesiredResource<'webhook'> = {
      kind: 'webhook',
      key: 'ops',
      attributes: {
        name: 'Ops',
        description: 'd',
        url: 'https://x',
        active: false,
        credentialType: 'M3TER_SIGNED_REQUEST',
      },
      secrets: { apiKey, secret },
      source,
    };
    expect(await webhookBody(desired, ctx)).toEqual({
      name: 'Ops',
      description: 'd',
      url: 'https://x',
      code: 'ops',
      active: false,
      credentials: {
        type: 'M3TER_SIGNED_REQUEST',
        apiKey: 'k-123',
        secret: 's-456',
        name: await fingerprints.compute([apiKey, secret], salt),
        destination: 'WEBHOOK',
      },
    });
  });
});

describe('notification rules', () => {
  it('applies the defaults: active true, alwaysFireEvent false, empty calculation null', () => {
    for (const calculation of [undefined, null, '', '  ']) {
      const r = normalizeRule({
        id: 'n1',
        ...envelope,
        code: 'low',
        name: 'Low',
        description: 'd',
        eventName: 'e',
        calculation,
      });
      expect(r.attributes).toEqual({
        name: 'Low',
        description: 'd',
        eventName: 'e',
        calculation: null,
        active: true,
        alwaysFireEvent: false,
      });
      expect(r.key).toBe('low');
    }
  });

  it('omits a null calculation from the body (PUT replaces, so it clears)', () => {
    const desired: DesiredResource<'notificationRule'> = {
      kind: 'notificationRule',
      key: 'low',
      attributes: {
        name: 'Low',
        description: 'd',
        eventName: 'e',
        calculation: null,
        active: true,
        alwaysFireEvent: false,
      },
      source,
    };
    expect(ruleBody(desired)).toEqual({
      name: 'Low',
      description: 'd',
      code: 'low',
      eventName: 'e',
      active: true,
      alwaysFireEvent: false,
    });
    expect(
      ruleBody({ ...desired, attributes: { ...desired.attributes, calculation: 'new.x > 1' } }),
    ).toMatchObject({ calculation: 'new.x > 1' });
  });
});

describe('links', () => {
  const ids = createIdMap();
  ids.set('webhook', 'ops', 'w1');
  ids.set('notificationRule', 'low', 'n1');

  it('keys a resolved link by rule and webhook codes; active is enabled', () => {
    const l = normalizeLink(
      {
        id: 'l1',
        ...envelope,
        entityType: 'notification',
        entityId: 'n1',
        destination: 'WEBHOOK',
        destinationId: 'w1',
        enabled: false,
      },
      ids,
    );
    expect(l).toMatchObject({
      kind: 'link',
      key: 'low->ops',
      attributes: { rule: 'low', webhook: 'ops', active: false },
    });
    expect(l.live).toMatchObject({ id: 'l1', version: 3, entityId: 'n1', destinationId: 'w1' });
  });

  it('keys a dangling link by its own id', () => {
    const l = normalizeLink(
      { id: 'l2', version: 1, entityType: 'Notification', entityId: 'gone', destinationId: 'w1' },
      ids,
    );
    expect(l.key).toBe('id:l2');
    expect(l.attributes).toEqual({ rule: 'id:gone', webhook: 'ops', active: true });
  });

  it('builds the body from ids, and fails loudly when an id is missing', () => {
    const desired: DesiredResource<'link'> = {
      kind: 'link',
      key: 'low->ops',
      attributes: { rule: 'low', webhook: 'ops', active: true },
      source,
    };
    expect(linkBody(desired, ids)).toEqual({
      entityType: 'Notification',
      destination: 'Webhook',
      entityId: 'n1',
      destinationId: 'w1',
      configData: {},
      enabled: true,
    });
    expect(() =>
      linkBody({ ...desired, attributes: { rule: 'nope', webhook: 'ops', active: true } }, ids),
    ).toThrow(/nope/);
  });
});

describe('integrations', () => {
  const ids = createIdMap();
  ids.set('credential', 'STRIPE/prod-stripe', 'c1');

  it('normalises: enabled is active, configData kept, the credential id resolved to its key', () => {
    const i = normalizeIntegration(
      {
        id: 'i1',
        ...envelope,
        entityType: 'Bill',
        destination: 'Stripe',
        name: 'eu',
        integrationCredentialsId: 'c1',
        configData: { syncOnApproval: true, nested: { a: [1] } },
        enabled: false,
        authorized: true,
      },
      ids,
    );
    expect(i).toEqual({
      kind: 'integration',
      key: 'Bill->Stripe/eu',
      attributes: {
        entityType: 'Bill',
        destination: 'Stripe',
        name: 'eu',
        credential: 'STRIPE/prod-stripe',
        configData: { syncOnApproval: true, nested: { a: [1] } },
        active: false,
      },
      live: {
        id: 'i1',
        version: 3,
        integrationCredentialsId: 'c1',
        dtLastModified: '2026-01-02T00:00:00Z',
        lastModifiedBy: 'v',
      },
    });
  });

  it('applies the defaults: active true, configData {}, name null; an unknown credential id is id:<id>', () => {
    const i = normalizeIntegration(
      {
        id: 'i2',
        version: 1,
        entityType: 'Account',
        destination: 'NetSuite',
        integrationCredentialsId: 'gone',
      },
      ids,
    );
    expect(i.key).toBe('Account->NetSuite');
    expect(i.attributes).toEqual({
      entityType: 'Account',
      destination: 'NetSuite',
      name: null,
      credential: 'id:gone',
      configData: {},
      active: true,
    });
    expect(i.live.integrationCredentialsId).toBe('gone');
  });

  it('reads an empty-string credential id and an empty name as none', () => {
    const i = normalizeIntegration(
      {
        id: 'i3',
        version: 1,
        entityType: 'Bill',
        destination: 'Stripe',
        name: '',
        integrationCredentialsId: '',
      },
      ids,
    );
    expect(i.key).toBe('Bill->Stripe');
    expect(i.attributes).toMatchObject({ name: null, credential: null });
    expect(i.live.integrationCredentialsId).toBeUndefined();
  });

  it('builds the body with the credential id from the id map, and fails loudly when it has none', () => {
    const desired: DesiredResource<'integration'> = {
      kind: 'integration',
      key: 'Bill->Stripe/eu',
      attributes: {
        entityType: 'Bill',
        destination: 'Stripe',
        name: 'eu',
        credential: 'STRIPE/prod-stripe',
        configData: { syncOnApproval: true },
        active: false,
      },
      source,
    };
    const body = integrationBody(desired, ids);
    expect(body).toEqual({
      entityType: 'Bill',
      destination: 'Stripe',
      name: 'eu',
      integrationCredentialsId: 'c1',
      configData: { syncOnApproval: true },
      enabled: false,
    });
    // A copy: the body never aliases the desired state.
    expect(body['configData']).not.toBe(desired.attributes.configData);
    const bare = { ...desired.attributes, name: null, credential: null, active: true };
    expect(integrationBody({ ...desired, attributes: bare }, ids)).toEqual({
      entityType: 'Bill',
      destination: 'Stripe',
      configData: { syncOnApproval: true },
      enabled: true,
    });
    const missing = { ...desired.attributes, credential: 'STRIPE/not-created' };
    expect(() => integrationBody({ ...desired, attributes: missing }, ids)).toThrow(InternalError);
    expect(() => integrationBody({ ...desired, attributes: missing }, ids)).toThrow(/STRIPE\/not-created/);
  });
});

describe('credentials', () => {
  it('normalises settings sorted, with no secret', () => {
    const c = normalizeCredential({
      id: 'c1',
      ...envelope,
      name: 'prod',
      destination: 'CHARGEBEE',
      type: 'CHARGEBEE_AUTH',
      settings: { site: 'acme', nested: { no: 1 }, a: 1 },
      secrets: { apiKey: '********' },
    });
    expect(c.key).toBe('CHARGEBEE/prod');
    expect(c.attributes).toEqual({
      name: 'prod',
      destination: 'CHARGEBEE',
      type: 'CHARGEBEE_AUTH',
      settings: { a: 1, site: 'acme' },
    });
    expect(Object.keys(c.attributes.settings)).toEqual(['a', 'site']);
    expect(JSON.stringify(c)).not.toContain('****');
  });

  it('tells webhook-owned credentials apart', () => {
    expect(isStandaloneCredential({ destination: 'WEBHOOK' })).toBe(false);
    expect(isStandaloneCredential({ destination: 'STRIPE' })).toBe(true);
  });

  it('sends settings and secrets, and refuses a missing required secret', () => {
    const desired: DesiredResource<'credential'> = {
      kind: 'credential',
      key: 'CHARGEBEE/prod',
      attributes: {
        name: 'prod',
        destination: 'CHARGEBEE',
        type: 'CHARGEBEE_AUTH',
        settings: { site: 'acme' },
      },
      secrets: { apiKey: new Secret('CB_KEY', 'cb-1') },
      source,
    };
    expect(credentialBody(desired)).toEqual({
      name: 'prod',
      destination: 'CHARGEBEE',
      type: 'CHARGEBEE_AUTH',
      settings: { site: 'acme' },
      secrets: { apiKey: 'cb-1' },
    });
    expect(() => credentialBody({ ...desired, secrets: {} })).toThrow(/apiKey/);
  });
});

describe('IdMap', () => {
  it('extends and trims both ways', () => {
    const ids = createIdMap();
    ids.set('webhook', 'a', '1');
    expect([ids.idOf('webhook', 'a'), ids.keyOf('webhook', '1'), ids.idOf('notificationRule', 'a')]).toEqual([
      '1',
      'a',
      undefined,
    ]);
    ids.set('webhook', 'b', '1');
    expect([ids.idOf('webhook', 'a'), ids.idOf('webhook', 'b')]).toEqual([undefined, '1']);
    ids.drop('webhook', '1');
    expect([ids.idOf('webhook', 'b'), ids.keyOf('webhook', '1')]).toEqual([undefined, undefined]);
  });
});

/** A LiveClient that answers lists from memory, for readLiveState's own rules. */
function memoryClient(lists: Record<string, unknown[] | Error>, seen: string[] = []): LiveClient {
  return {
    orgId: 'o',
    baseUrl: 'http://memory',
    async get() {
      return undefined;
    },
    async list<T>(path: string, pageSize: number): Promise<T[]> {
      seen.push(`${path}?pageSize=${pageSize}`);
      const v = lists[path.split('/organizations/o/')[1] ?? ''];
      if (v instanceof Error) throw v;
      return (v ?? []) as T[];
    },
    async post() {
      throw new Error('no');
    },
    async put() {
      throw new Error('no');
    },
    async delete() {
      throw new Error('no');
    },
    stats: () => ({ requests: 0, retries: 0, rateLimited: 0, tokenRequests: 0 }),
    warmUp: () => undefined,
    async close() {},
  };
}

describe('readLiveState', () => {
  it('reads webhooks and rules with links, at the largest page sizes, and keys duplicates by id', async () => {
    const seen: string[] = [];
    const client = memoryClient(
      {
        'integrationdestinations/webhooks': [
          { id: 'w1', version: 1, code: 'ops', name: 'n', description: 'd', url: 'u' },
        ],
        'notifications/configurations': [
          { id: 'n1', version: 1, code: 'low', name: 'n', description: 'd', eventName: 'e' },
        ],
        // Newest first: l3 is a later duplicate of l1.
        integrationconfigs: [
          { id: 'l3', version: 1, entityType: 'Notification', entityId: 'n1', destinationId: 'w1' },
          { id: 'x', version: 1, entityType: 'Bill', entityId: 'b', destinationId: 'stripe' },
          { id: 'l1', version: 1, entityType: 'Notification', entityId: 'n1', destinationId: 'w1' },
        ],
      },
      seen,
    );
    const state = await readLiveState(client, new Set(['link']));
    expect([...state.readKinds].sort()).toEqual(['link', 'notificationRule', 'webhook']);
    expect(seen.sort()).toEqual([
      '/organizations/o/integrationconfigs?pageSize=200',
      '/organizations/o/integrationdestinations/webhooks?pageSize=200',
      '/organizations/o/notifications/configurations?pageSize=100',
    ]);
    expect([...state.resources.link.keys()]).toEqual(['low->ops', 'id:l3']);
    expect(state.resources.link.get('low->ops')?.live.id).toBe('l1');
    expect(state.resources.credential.size).toBe(0);
  });

  it('rejects when any read fails: never a partial state', async () => {
    const client = memoryClient({
      'integrationdestinations/webhooks': [],
      'notifications/configurations': new ApiError(500, 'boom', { method: 'GET', path: '/x' }),
    });
    await expect(readLiveState(client, new Set(['webhook', 'notificationRule']))).rejects.toBeInstanceOf(
      ApiError,
    );
  });

  it('reads links and integrations from their one shared collection once, each keeping its own items', async () => {
    const seen: string[] = [];
    const client = memoryClient(
      {
        'integrationdestinations/webhooks': [
          { id: 'w1', version: 1, code: 'ops', name: 'n', description: 'd', url: 'u' },
        ],
        'notifications/configurations': [
          { id: 'n1', version: 1, code: 'low', name: 'n', description: 'd', eventName: 'e' },
        ],
        integrationcredentials: [
          { id: 'c1', version: 1, destination: 'STRIPE', type: 'STRIPE_SIGNED_REQUEST', name: 'prod' },
        ],
        integrationconfigs: [
          { id: 'i1', version: 1, entityType: 'Bill', destination: 'Stripe', integrationCredentialsId: 'c1' },
          { id: 'l1', version: 1, entityType: 'Notification', entityId: 'n1', destinationId: 'w1' },
          { id: 'i2', version: 1, entityType: 'Account', destination: 'NetSuite', name: 'x' },
        ],
      },
      seen,
    );
    const state = await readLiveState(client, new Set(['link', 'integration']));
    expect([...state.readKinds].sort()).toEqual([
      'credential',
      'integration',
      'link',
      'notificationRule',
      'webhook',
    ]);
    expect(seen.filter((p) => p.includes('integrationconfigs'))).toEqual([
      '/organizations/o/integrationconfigs?pageSize=200',
    ]);
    expect([...state.resources.link.keys()]).toEqual(['low->ops']);
    expect([...state.resources.integration.keys()].sort()).toEqual(['Account->NetSuite/x', 'Bill->Stripe']);
    expect(state.resources.integration.get('Bill->Stripe')?.attributes.credential).toBe('STRIPE/prod');
  });

  it('leaves out webhook-owned credentials', async () => {
    const client = memoryClient({
      integrationcredentials: [
        { id: 'c1', version: 1, destination: 'WEBHOOK', type: 'M3TER_SIGNED_REQUEST', name: 'x' },
        {
          id: 'c2',
          version: 1,
          destination: 'STRIPE',
          type: 'STRIPE_SIGNED_REQUEST',
          name: 'live',
          settings: {},
        },
      ],
    });
    const state = await readLiveState(client, new Set(['credential']));
    expect([...state.resources.credential.keys()]).toEqual(['STRIPE/live']);
    expect([...state.readKinds]).toEqual(['credential']);
  });
});
