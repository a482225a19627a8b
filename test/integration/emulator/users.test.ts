import { afterEach, describe, expect, it } from 'vitest';
import { TestClient, type TestEmulator, notificationBody, start } from './helpers.js';

/** More than one service user (`users`, `--user KEY:SECRET`): audit fields name whoever wrote. */
describe('emulator users', () => {
  let t: TestEmulator;
  afterEach(() => t?.close());

  it('accepts each user with its own secret, and only with it', async () => {
    t = await start({ users: [{ apiKey: 'console-user', apiSecret: 'console-secret' }] });
    expect((await t.client.tokenRequest({ key: 'console-user', secret: 'console-secret' })).status).toBe(200);
    expect((await t.client.tokenRequest({ key: 'console-user', secret: t.emu.apiSecret })).status).toBe(403);
    expect((await t.client.tokenRequest({ key: t.emu.apiKey, secret: 'console-secret' })).status).toBe(403);
  });

  it('names the writing user in createdBy and lastModifiedBy', async () => {
    t = await start({ users: [{ apiKey: 'console-user', apiSecret: 'console-secret' }] });
    const created = await t.client.call('POST', '/notifications/configurations', {
      body: notificationBody(),
    });
    expect(created.body).toMatchObject({
      createdBy: `SERVICE_USER_${t.emu.apiKey}`,
      lastModifiedBy: `SERVICE_USER_${t.emu.apiKey}`,
    });
    const other = new TestClient(t.emu);
    const r = await other.tokenRequest({ key: 'console-user', secret: 'console-secret' });
    other.token = r.body.access_token as string;
    const id = created.body.id as string;
    const edited = await other.call('PUT', `/notifications/configurations/${id}`, {
      body: notificationBody({ description: 'edited in the Console', version: 1 }),
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      version: 2,
      createdBy: `SERVICE_USER_${t.emu.apiKey}`,
      lastModifiedBy: 'SERVICE_USER_console-user',
    });
  });

  it('refuses a user given twice or with an empty secret', async () => {
    await expect(start({ users: [{ apiKey: 'local-access-key', apiSecret: 'x' }] })).rejects.toThrow(/twice/);
    await expect(start({ users: [{ apiKey: 'u', apiSecret: '' }] })).rejects.toThrow(/non-empty/);
  });
});
