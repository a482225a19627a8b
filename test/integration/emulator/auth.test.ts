import { afterEach, describe, expect, it } from 'vitest';
import { type TestEmulator, start } from './helpers.js';

describe('emulator auth', () => {
  let t: TestEmulator;
  afterEach(() => t?.close());

  it('issues a Bearer token for Basic auth with a JSON body', async () => {
    t = await start();
    const r = await t.client.tokenRequest();
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ token_type: 'Bearer', expires_in: 18000, scope: null });
    expect(typeof r.body.access_token).toBe('string');
  });

  it('accepts a form-encoded body and a configurable lifetime', async () => {
    t = await start({ tokenTtlSeconds: 60 });
    const r = await t.client.tokenRequest({ form: true });
    expect(r.status).toBe(200);
    expect(r.body.expires_in).toBe(60);
  });

  it('refuses wrong credentials with 403 and a message', async () => {
    t = await start();
    for (const r of [
      await t.client.tokenRequest({ secret: 'wrong' }),
      await t.client.tokenRequest({ key: 'other-key' }),
      await t.client.tokenRequest({ authorization: null }),
      await t.client.tokenRequest({ authorization: 'Bearer x' }),
    ]) {
      expect(r.status).toBe(403);
      expect(typeof r.body.message).toBe('string');
    }
  });

  it('requires grant_type=client_credentials (400 otherwise)', async () => {
    t = await start();
    expect((await t.client.tokenRequest({ body: '{}' })).status).toBe(400);
    expect((await t.client.tokenRequest({ body: '{"grant_type":"password"}' })).status).toBe(400);
    expect((await t.client.tokenRequest({ form: true, body: 'grant_type=password' })).status).toBe(400);
    expect((await t.client.tokenRequest({ body: 'not json' })).status).toBe(400);
  });

  it('answers 403 for a wrong org, a missing or bad token', async () => {
    t = await start();
    const wrongOrg = await t.client.raw('GET', '/organizations/not-my-org/notifications/configurations');
    expect(wrongOrg.status).toBe(403);
    expect(wrongOrg.body.message).toMatch(/organization/);
    expect((await t.client.call('GET', '/notifications/configurations', { token: null })).status).toBe(403);
    expect((await t.client.call('GET', '/notifications/configurations', { token: 'nope' })).status).toBe(403);
    expect((await t.client.call('GET', '/notifications/configurations')).status).toBe(200);
  });

  it('answers 403 once a token has expired (injected clock, no waiting)', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    t = await start({ now: () => now, tokenTtlSeconds: 100 });
    expect((await t.client.call('GET', '/events/types')).status).toBe(200);
    now += 99_999;
    expect((await t.client.call('GET', '/events/types')).status).toBe(200);
    now += 1;
    const r = await t.client.call('GET', '/events/types');
    expect(r.status).toBe(403);
    expect(r.body.message).toMatch(/expired/);
    await t.client.login();
    expect((await t.client.call('GET', '/events/types')).status).toBe(200);
  });

  it('accepts configured credentials and org id', async () => {
    t = await start({ orgId: 'my-org', apiKey: 'k1', apiSecret: 's1' });
    expect(t.emu.orgId).toBe('my-org');
    expect((await t.client.raw('GET', '/organizations/my-org/events/types')).status).toBe(200);
  });

  it('answers JSON with a message for unknown routes', async () => {
    t = await start();
    const r = await t.client.call('GET', '/no/such/thing');
    expect(r.status).toBe(404);
    expect(typeof r.body.message).toBe('string');
  });
});
