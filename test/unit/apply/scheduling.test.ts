import { describe, expect, it, vi } from 'vitest';
import { type ApplyEvent, applyPlan } from '../../../src/apply/index.js';
import type { Adapters, ClientStats, KindAdapter, LiveClient } from '../../../src/live/contract.js';
import { defineAdapter } from '../../../src/live/define-adapter.js';
import { createIdMap } from '../../../src/live/id-map.js';
import { ApiError } from '../../../src/model/errors.js';
import type { Kind } from '../../../src/model/kinds.js';
import type { LiveResource } from '../../../src/model/resource.js';
import { createPlan } from '../../../src/plan/index.js';
import { d, desiredState, liveState, options } from '../plan/builders.js';

/**
 * The scheduler alone, with adapters that resolve when the test says: a failure stops new starts at once, changes
 * already in flight finish and are reported, nothing of a later level starts. (HTTP behaviour is tested against the
 * emulator with the real client in test/integration/apply.)
 */

const stats: ClientStats = { requests: 0, retries: 0, rateLimited: 0, tokenRequests: 0 };
const client = {
  orgId: 'org-1',
  baseUrl: 'https://api.m3ter.com',
  stats: () => ({ ...stats }),
  list: () => Promise.resolve([]),
} as unknown as LiveClient;

/** The check before the first write is off in these tests; nothing reads whole kinds. */
const readLiveState = () => Promise.reject(new Error('not read in these tests'));

function deferred() {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function adapter<K extends Kind>(
  kind: K,
  calls: string[],
  gates: Map<string, ReturnType<typeof deferred>>,
): KindAdapter<K> {
  return {
    ...defineAdapter<K>({
      kind,
      collection: { segments: [kind], pageSize: 1, what: kind },
      accepts: () => true,
      normalize: () => {
        throw new Error('unexpected');
      },
      body: () => ({}),
    }),
    async create(_c, desired) {
      calls.push(`create ${desired.key}`);
      const gate = gates.get(desired.key);
      if (gate) await gate.promise;
      return {
        kind,
        key: desired.key,
        attributes: desired.attributes,
        live: { id: `id-${desired.key}`, version: 1 },
      } as LiveResource<K>;
    },
    update: () => Promise.reject(new Error('unexpected')),
    remove: () => Promise.reject(new Error('unexpected')),
    read: () => Promise.resolve(undefined),
    findByKey: () => Promise.resolve([]),
  };
}

function adaptersFor(calls: string[], gates: Map<string, ReturnType<typeof deferred>>): Adapters {
  return {
    credential: adapter('credential', calls, gates),
    integration: adapter('integration', calls, gates),
    webhook: adapter('webhook', calls, gates),
    scheduledEvent: adapter('scheduledEvent', calls, gates),
    notificationRule: adapter('notificationRule', calls, gates),
    link: adapter('link', calls, gates),
  };
}

describe('applyPlan scheduling', () => {
  it('on the first failure, starts nothing more, lets in-flight changes finish, and accounts for every change', async () => {
    const desired = desiredState(
      [d.webhook('a'), d.webhook('b'), d.webhook('c'), d.webhook('e'), d.rule('r')],
      {
        managed: ['webhook', 'notificationRule'],
      },
    );
    const plan = createPlan(desired, liveState([]), options());
    const calls: string[] = [];
    const gates = new Map([
      ['a', deferred()],
      ['b', deferred()],
    ]);
    const adapters = adaptersFor(calls, gates);
    const events: string[] = [];
    const onEvent = (e: ApplyEvent) =>
      events.push(e.type === 'started' ? `started ${e.key}` : `${e.type} ${e.outcome.key}`);
    const running = applyPlan(
      plan,
      { client, adapters, ids: createIdMap(), readLiveState },
      { concurrency: 2, checkCurrent: false, onEvent },
    );
    await vi.waitFor(() => expect(calls).toEqual(['create a', 'create b']));
    gates.get('a')!.reject(
      new ApiError(400, 'POST /integrationdestinations/webhooks failed with HTTP 400: url is not valid', {
        method: 'POST',
        path: '/x',
      }),
    );
    await vi.waitFor(() => expect(events).toContain('failed a'));
    gates.get('b')!.resolve();
    const result = await running;

    expect(calls).toEqual(['create a', 'create b']);
    expect(result.status).toBe('failed');
    expect(result.failed.map((o) => [o.key, o.error?.code, o.error?.message])).toEqual([
      [
        'a',
        'api_bad_request',
        'POST /integrationdestinations/webhooks failed with HTTP 400: url is not valid',
      ],
    ]);
    expect(result.applied.map((o) => o.key)).toEqual(['b']);
    expect(result.notAttempted.map((c) => c.key)).toEqual(['c', 'e', 'r']);
    expect(events).toEqual(['started a', 'started b', 'failed a', 'finished b']);
  });

  it('when the signal aborts, starts nothing more, lets in-flight changes finish, and reports interrupted', async () => {
    const desired = desiredState([d.webhook('a'), d.webhook('b'), d.webhook('c'), d.rule('r')], {
      managed: ['webhook', 'notificationRule'],
    });
    const plan = createPlan(desired, liveState([]), options());
    const calls: string[] = [];
    const gates = new Map([
      ['a', deferred()],
      ['b', deferred()],
    ]);
    const controller = new AbortController();
    const running = applyPlan(
      plan,
      { client, adapters: adaptersFor(calls, gates), ids: createIdMap(), readLiveState },
      { concurrency: 2, checkCurrent: false, signal: controller.signal },
    );
    await vi.waitFor(() => expect(calls).toEqual(['create a', 'create b']));
    controller.abort();
    gates.get('a')!.resolve();
    gates.get('b')!.resolve();
    const result = await running;
    expect(result.status).toBe('interrupted');
    expect(calls).toEqual(['create a', 'create b']);
    expect(result.applied.map((o) => o.key)).toEqual(['a', 'b']);
    expect(result.failed).toEqual([]);
    expect(result.notAttempted.map((c) => c.key)).toEqual(['c', 'r']);
  });

  it('refuses a plan made for another org before anything else', async () => {
    const plan = createPlan(desiredState([d.rule('r')], { managed: ['notificationRule'] }), liveState([]), {
      ...options(),
      target: { type: 'm3ter', orgId: 'another-org', baseUrl: 'https://api.m3ter.com' },
    });
    await expect(
      applyPlan(plan, { client, adapters: {} as Adapters, ids: createIdMap(), readLiveState }),
    ).rejects.toMatchObject({
      code: 'plan_target_mismatch',
    });
  });
});
