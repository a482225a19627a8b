import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_EVENT_TYPES } from '../../../src/emulator/index.js';
import { type TestEmulator, notificationBody, start } from './helpers.js';

const PATH = '/notifications/configurations';

describe('emulator notification configurations', () => {
  let t: TestEmulator;
  afterEach(() => t?.close());

  it('creates with defaults active=true, alwaysFireEvent=false, then updates and deletes', async () => {
    t = await start();
    const n = (await t.client.call('POST', PATH, { body: notificationBody() })).body;
    expect(n).toMatchObject({ version: 1, active: true, alwaysFireEvent: false, code: 'commitment_90' });
    const put = await t.client.call('PUT', `${PATH}/${n.id}`, {
      body: notificationBody({ active: false, alwaysFireEvent: true, calculation: undefined, version: 1 }),
    });
    expect(put.body).toMatchObject({ version: 2, active: false, alwaysFireEvent: true });
    expect(put.body.calculation).toBeUndefined();
    const stale = await t.client.call('PUT', `${PATH}/${n.id}`, { body: notificationBody({ version: 1 }) });
    expect(stale.status).toBe(400);
    const del = await t.client.call('DELETE', `${PATH}/${n.id}`);
    expect(del.body.id).toBe(n.id);
    expect((await t.client.call('GET', `${PATH}/${n.id}`)).status).toBe(404);
  });

  it('honours the alwaysFireEvent and active default options', async () => {
    t = await start({ alwaysFireEventDefault: true, activeDefault: false });
    const n = (await t.client.call('POST', PATH, { body: notificationBody() })).body;
    expect(n).toMatchObject({ active: false, alwaysFireEvent: true });
  });

  it('requires name, description, code and eventName (minimum length 1)', async () => {
    t = await start();
    for (const field of ['name', 'description', 'code', 'eventName']) {
      const missing = await t.client.call('POST', PATH, { body: notificationBody({ [field]: undefined }) });
      expect(missing.status).toBe(400);
      expect(missing.body.message).toContain(field);
      const empty = await t.client.call('POST', PATH, { body: notificationBody({ [field]: '' }) });
      expect(empty.status).toBe(400);
      expect(empty.body.message).toContain(field);
    }
  });

  it('filters the list by active, eventName and ids', async () => {
    t = await start();
    const a = (await t.client.call('POST', PATH, { body: notificationBody({ code: 'a' }) })).body;
    const b = (
      await t.client.call('POST', PATH, {
        body: notificationBody({ code: 'b', active: false, eventName: 'billing.bill.created' }),
      })
    ).body;
    const c = (await t.client.call('POST', PATH, { body: notificationBody({ code: 'c' }) })).body;
    const list = async (query: Record<string, string>) =>
      (
        (await t.client.call('GET', PATH, { query: { pageSize: '100', ...query } })).body.data as {
          id: string;
        }[]
      ).map((x) => x.id);
    expect(await list({})).toEqual([c.id, b.id, a.id]);
    expect(await list({ active: 'true' })).toEqual([c.id, a.id]);
    expect(await list({ active: 'false' })).toEqual([b.id]);
    expect(await list({ eventName: 'billing.bill.created' })).toEqual([b.id]);
    expect(await list({ ids: `${a.id},${c.id}` })).toEqual([c.id, a.id]);
    expect((await t.client.call('GET', PATH, { query: { active: 'sometimes' } })).status).toBe(400);
  });

  it('enforces unique codes (400 naming the existing id) unless told otherwise', async () => {
    t = await start();
    const n = (await t.client.call('POST', PATH, { body: notificationBody() })).body;
    const dup = await t.client.call('POST', PATH, { body: notificationBody() });
    expect(dup.status).toBe(400);
    expect(dup.body.message).toContain(n.id);
    const other = (await t.client.call('POST', PATH, { body: notificationBody({ code: 'other' }) })).body;
    const clash = await t.client.call('PUT', `${PATH}/${other.id}`, {
      body: notificationBody({ version: 1 }),
    });
    expect(clash.status).toBe(400);
  });
});

describe('emulator event types', () => {
  let t: TestEmulator;
  afterEach(() => t?.close());

  it('returns the documented example list by default', async () => {
    t = await start();
    const r = await t.client.call('GET', '/events/types');
    expect(r.body.events).toEqual([...DEFAULT_EVENT_TYPES]);
    expect(r.body.events).toContain('configuration.commitment.updated');
    expect(r.body.events).toContain('integration.disabled.error');
    expect(r.body.events).toHaveLength(30 + 69 + 2 + 5);
  });

  it('returns a configured list', async () => {
    t = await start({ eventTypes: ['scheduled.account.renewal'] });
    expect((await t.client.call('GET', '/events/types')).body).toEqual({
      events: ['scheduled.account.renewal'],
    });
  });
});
