import { afterEach, describe, expect, it } from 'vitest';
import { type TestEmulator, notificationBody, start, webhookBody } from './helpers.js';

const PATH = '/integrationconfigs';

async function linkFixture(t: TestEmulator) {
  const w = (await t.client.call('POST', '/integrationdestinations/webhooks', { body: webhookBody() })).body;
  const n = (await t.client.call('POST', '/notifications/configurations', { body: notificationBody() })).body;
  const link = (
    await t.client.call('POST', PATH, {
      body: {
        entityType: 'Notification',
        entityId: n.id,
        destination: 'Webhook',
        destinationId: w.id,
        configData: {},
      },
    })
  ).body;
  return { w, n, link };
}

describe('emulator integration configurations', () => {
  let t: TestEmulator;
  afterEach(() => t?.close());

  it('creates a link with enabled=true and authorized, reads, replaces, deletes', async () => {
    t = await start();
    const { w, n, link } = await linkFixture(t);
    expect(link).toMatchObject({
      version: 1,
      entityType: 'Notification',
      entityId: n.id,
      destination: 'Webhook',
      destinationId: w.id,
      configData: {},
      enabled: true,
      authorized: true,
    });
    expect((await t.client.call('GET', `${PATH}/${link.id}`)).body).toEqual(link);
    const put = await t.client.call('PUT', `${PATH}/${link.id}`, {
      body: {
        entityType: 'Notification',
        entityId: n.id,
        destination: 'Webhook',
        destinationId: w.id,
        name: 'x',
        version: 1,
      },
    });
    expect(put.body).toMatchObject({ version: 2, name: 'x', enabled: true });
    expect(
      (await t.client.call('PUT', `${PATH}/${link.id}`, { body: { ...put.body, version: 1 } })).status,
    ).toBe(400);
    expect((await t.client.call('DELETE', `${PATH}/${link.id}`)).body.id).toBe(link.id);
    expect((await t.client.call('GET', `${PATH}/${link.id}`)).status).toBe(404);
  });

  it('requires entityType and destination, with their pattern', async () => {
    t = await start();
    const cases: [Record<string, unknown>, string][] = [
      [{ destination: 'Webhook' }, 'entityType'],
      [{ entityType: 'Notification' }, 'destination'],
      [{ entityType: '', destination: 'Webhook' }, 'entityType'],
      [{ entityType: 'Noti fication', destination: 'Webhook' }, 'entityType'],
      [{ entityType: 'Notification', destination: 'Web/hook' }, 'destination'],
      [{ entityType: 'Notification', destination: 'Webhook', configData: [] }, 'configData'],
      [
        { entityType: 'Notification', destination: 'Webhook', credentials: { type: 'NOPE' } },
        'credentials.type',
      ],
    ];
    for (const [body, field] of cases) {
      const r = await t.client.call('POST', PATH, { body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.message).toContain(field);
    }
  });

  it('honours enabled in the body and enables through POST {id}/enable', async () => {
    t = await start();
    const off = (
      await t.client.call('POST', PATH, {
        body: { entityType: 'Bill', destination: 'Stripe', enabled: false },
      })
    ).body;
    expect(off).toMatchObject({ enabled: false, authorized: false });
    const on = await t.client.call('POST', `${PATH}/${off.id}/enable`);
    expect(on.body).toMatchObject({ enabled: true, version: 2 });
    expect((await t.client.call('POST', `${PATH}/nope/enable`)).status).toBe(404);
    await t.close();
    t = await start({ honourEnabledInBody: false });
    const ignored = await t.client.call('POST', PATH, {
      body: { entityType: 'Bill', destination: 'Stripe', enabled: false },
    });
    expect(ignored.body.enabled).toBe(true);
  });

  it('finds a single config by entity, 404 when none', async () => {
    t = await start();
    const { w, n, link } = await linkFixture(t);
    const found = await t.client.call('GET', `${PATH}/entity/Notification`, {
      query: { entityId: n.id, destination: 'Webhook', destinationId: w.id },
    });
    expect(found.status).toBe(200);
    expect(found.body.id).toBe(link.id);
    expect(
      (await t.client.call('GET', `${PATH}/entity/Notification`, { query: { entityId: 'other' } })).status,
    ).toBe(404);
    expect((await t.client.call('GET', `${PATH}/entity/Bill`)).status).toBe(404);
    expect(
      (await t.client.call('GET', `${PATH}/entity/Notification`, { query: { pageSize: '0' } })).status,
    ).toBe(400);
  });

  it('filters the list by destinationId', async () => {
    t = await start();
    const { w, link } = await linkFixture(t);
    await t.client.call('POST', PATH, { body: { entityType: 'Bill', destination: 'Stripe' } });
    const r = await t.client.call('GET', PATH, { query: { pageSize: '200', destinationId: w.id } });
    expect(r.body.data.map((x: { id: string }) => x.id)).toEqual([link.id]);
    expect((await t.client.call('GET', PATH, { query: { pageSize: '200' } })).body.data).toHaveLength(2);
  });

  it('refuses to delete a webhook or notification still referenced, naming each link', async () => {
    t = await start();
    const { w, n, link } = await linkFixture(t);
    const link2 = (
      await t.client.call('POST', PATH, {
        body: { entityType: 'Notification', entityId: n.id, destination: 'Webhook', destinationId: w.id },
      })
    ).body;
    const dw = await t.client.call('DELETE', `/integrationdestinations/webhooks/${w.id}`);
    expect(dw.status).toBe(400);
    expect(dw.body.message).toContain(link.id);
    expect(dw.body.message).toContain(link2.id);
    const dn = await t.client.call('DELETE', `/notifications/configurations/${n.id}`);
    expect(dn.status).toBe(400);
    expect(dn.body.message).toContain(link.id);
    await t.client.call('DELETE', `${PATH}/${link.id}`);
    await t.client.call('DELETE', `${PATH}/${link2.id}`);
    expect((await t.client.call('DELETE', `/integrationdestinations/webhooks/${w.id}`)).status).toBe(200);
    expect((await t.client.call('DELETE', `/notifications/configurations/${n.id}`)).status).toBe(200);
  });

  it('refuses an integrationCredentialsId that names no credential, unless credentialReferenceCheck is allow', async () => {
    t = await start();
    const missing = '6f1c2a44-0000-4000-8000-000000000000';
    const bill = { entityType: 'Bill', destination: 'Stripe' };
    const r = await t.client.call('POST', PATH, { body: { ...bill, integrationCredentialsId: missing } });
    expect(r.status).toBe(400);
    expect(r.body.message).toContain(`integrationCredentialsId ${missing} names no integration credentials`);
    expect((await t.client.call('GET', PATH, { query: { pageSize: '200' } })).body.data).toEqual([]);
    // A replace is checked too, and is refused without writing.
    const link = (await t.client.call('POST', PATH, { body: bill })).body;
    const put = await t.client.call('PUT', `${PATH}/${link.id}`, {
      body: { ...bill, integrationCredentialsId: missing, version: 1 },
    });
    expect(put.status).toBe(400);
    expect(put.body.message).toContain(missing);
    expect((await t.client.call('GET', `${PATH}/${link.id}`)).body).toEqual(link);
    await t.close();
    t = await start({ credentialReferenceCheck: 'allow' });
    const allowed = await t.client.call('POST', PATH, {
      body: { ...bill, integrationCredentialsId: missing },
    });
    expect(allowed.status).toBe(200);
    expect(allowed.body).toMatchObject({ integrationCredentialsId: missing, authorized: false });
  });

  it('refuses to delete a standalone credential a Bill-to-Stripe config references, until the config goes', async () => {
    t = await start();
    const cred = (
      await t.client.call('POST', '/integrationcredentials', {
        body: { name: 'stripe-main', destination: 'STRIPE', type: 'HTTP_BASIC', secrets: { password: 'pw' } },
      })
    ).body;
    const link = (
      await t.client.call('POST', PATH, {
        body: { entityType: 'Bill', destination: 'Stripe', integrationCredentialsId: cred.id },
      })
    ).body;
    expect(link).toMatchObject({ integrationCredentialsId: cred.id, authorized: true });
    const refused = await t.client.call('DELETE', `/integrationcredentials/${cred.id}`);
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe(
      `Cannot delete integration credentials ${cred.id}: it is referenced by integration configuration(s) ${link.id}`,
    );
    expect((await t.client.call('GET', `/integrationcredentials/${cred.id}`)).status).toBe(200);
    expect((await t.client.call('DELETE', `${PATH}/${link.id}`)).status).toBe(200);
    expect((await t.client.call('DELETE', `/integrationcredentials/${cred.id}`)).status).toBe(200);
  });

  it('allows deleting referenced entities when refuseDeleteWhenReferenced is off', async () => {
    t = await start({ refuseDeleteWhenReferenced: false });
    const { w } = await linkFixture(t);
    expect((await t.client.call('DELETE', `/integrationdestinations/webhooks/${w.id}`)).status).toBe(200);
  });
});
