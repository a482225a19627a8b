import { afterEach, describe, expect, it } from 'vitest';
import { type TestEmulator, start, webhookBody } from './helpers.js';

const PATH = '/integrationcredentials';
const body = (o: Record<string, unknown> = {}) => ({
  name: 'chargebee-main',
  destination: 'CHARGEBEE',
  type: 'CHARGEBEE_AUTH',
  settings: { site: 'acme', password: 'leaky' },
  secrets: { apiKey: 'cb-secret-key' },
  ...o,
});

describe('emulator integration credentials', () => {
  let t: TestEmulator;
  afterEach(() => t?.close());

  it('creates, reads, replaces and deletes at the guessed path; never returns a secret in clear', async () => {
    t = await start();
    const c = (await t.client.call('POST', PATH, { body: body({ version: 3 }) })).body;
    expect(c).toMatchObject({
      version: 1,
      name: 'chargebee-main',
      destination: 'CHARGEBEE',
      type: 'CHARGEBEE_AUTH',
    });
    // A secret-looking key inside settings is treated as a secret.
    expect(c.settings).toEqual({ site: 'acme' });
    expect(c.secrets).toBeUndefined();
    expect(JSON.stringify(c)).not.toContain('leaky');
    expect(JSON.stringify(c)).not.toContain('cb-secret-key');
    expect(JSON.stringify(t.emu.admin.exportState())).not.toContain('cb-secret-key');
    expect((await t.client.call('GET', `${PATH}/${c.id}`)).body).toEqual(c);
    const put = await t.client.call('PUT', `${PATH}/${c.id}`, {
      body: body({ name: 'renamed', version: 1 }),
    });
    expect(put.body).toMatchObject({ name: 'renamed', version: 2 });
    expect((await t.client.call('PUT', `${PATH}/${c.id}`, { body: body({ version: 1 }) })).status).toBe(400);
    expect((await t.client.call('DELETE', `${PATH}/${c.id}`)).body.id).toBe(c.id);
    expect((await t.client.call('GET', `${PATH}/${c.id}`)).status).toBe(404);
  });

  it('masks secrets when secretExposure is mask', async () => {
    t = await start({ secretExposure: 'mask' });
    const c = (await t.client.call('POST', PATH, { body: body() })).body;
    expect(c.secrets).toEqual({ password: '********', apiKey: '********' });
  });

  it('validates name, type and destination', async () => {
    t = await start();
    const cases: [Record<string, unknown>, string][] = [
      [{ name: undefined }, 'name'],
      [{ name: '' }, 'name'],
      [{ type: 'NOPE' }, 'type'],
      [{ destination: 'mars planet' }, 'destination'],
      [{ secrets: { k: '' } }, 'secrets.k'],
    ];
    for (const [o, field] of cases) {
      const r = await t.client.call('POST', PATH, { body: body(o) });
      expect(r.status).toBe(400);
      expect(r.body.message).toContain(field);
    }
  });

  it('takes destinations beyond the documented enum unless told to be strict', async () => {
    t = await start();
    expect((await t.client.call('POST', PATH, { body: body({ destination: 'HUBSPOT' }) })).status).toBe(200);
    await t.close();
    t = await start({ credentialDestinations: 'documented' });
    const r = await t.client.call('POST', PATH, { body: body({ destination: 'HUBSPOT' }) });
    expect(r.status).toBe(400);
    expect(r.body.message).toContain('destination');
  });

  it('lists webhook-owned credentials but changes them only through the webhook', async () => {
    t = await start();
    const w = (await t.client.call('POST', '/integrationdestinations/webhooks', { body: webhookBody() }))
      .body;
    const list = await t.client.call('GET', PATH, { query: { pageSize: '200' } });
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0]).toMatchObject({
      id: w.credentials.id,
      destination: 'WEBHOOK',
      destinationId: w.id,
    });
    expect((await t.client.call('DELETE', `${PATH}/${w.credentials.id}`)).status).toBe(400);
    expect(
      (await t.client.call('PUT', `${PATH}/${w.credentials.id}`, { body: body({ version: 1 }) })).status,
    ).toBe(400);
    await t.close();
    t = await start({ webhookCredentialsInList: false });
    await t.client.call('POST', '/integrationdestinations/webhooks', { body: webhookBody() });
    expect((await t.client.call('GET', PATH, { query: { pageSize: '200' } })).body.data).toEqual([]);
  });

  it('refuses deleting a credential an integration config references', async () => {
    t = await start();
    const c = (await t.client.call('POST', PATH, { body: body() })).body;
    const link = (
      await t.client.call('POST', '/integrationconfigs', {
        body: { entityType: 'Bill', destination: 'Chargebee', integrationCredentialsId: c.id },
      })
    ).body;
    expect(link.authorized).toBe(true);
    const r = await t.client.call('DELETE', `${PATH}/${c.id}`);
    expect(r.status).toBe(400);
    expect(r.body.message).toContain(link.id);
  });

  it('serves the credentials CRUD at the path credentialsPath names', async () => {
    t = await start({ credentialsPath: 'integrationauth/credentials' });
    expect((await t.client.call('POST', '/integrationauth/credentials', { body: body() })).status).toBe(200);
    expect((await t.client.call('GET', PATH)).status).toBe(404);
  });
});
