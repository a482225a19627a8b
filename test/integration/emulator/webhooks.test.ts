import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { SIGNED, type TestEmulator, start, webhookBody } from './helpers.js';
import { digest } from '../../../src/emulator/credentials.js';

const PATH = '/integrationdestinations/webhooks';
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('emulator webhook destinations', () => {
  let t: TestEmulator;
  afterEach(() => t?.close());

  it('creates, reads, replaces and deletes, with version and audit fields', async () => {
    t = await start();
    const c = t.client;
    const created = await c.call('POST', PATH, { body: webhookBody({ version: 7, unknownField: 'x' }) });
    expect(created.status).toBe(200);
    const w = created.body;
    // version in a create body is ignored; unknown fields too.
    expect(w).toMatchObject({
      version: 1,
      name: 'Ops alerts',
      code: 'ops',
      active: true,
      url: 'https://hooks.example.com/ops',
    });
    expect(w.unknownField).toBeUndefined();
    expect(w.createdBy).toBe('SERVICE_USER_local-access-key');
    expect(w.lastModifiedBy).toBe('SERVICE_USER_local-access-key');
    expect(Date.parse(w.dtCreated)).not.toBeNaN();
    expect(w.credentials).toMatchObject({
      type: 'M3TER_SIGNED_REQUEST',
      destination: 'WEBHOOK',
      destinationId: w.id,
      name: 'm3ter-config:fp=abc123',
      version: 1,
    });
    expect(w.credentials.id).not.toBe(w.id);
    expect(w.credentials.apiKey).toBeUndefined();
    expect(w.credentials.secret).toBeUndefined();

    expect((await c.call('GET', `${PATH}/${w.id}`)).body).toEqual(w);

    // PUT is a full replace: code and description change, code left out disappears.
    const put = await c.call('PUT', `${PATH}/${w.id}`, {
      body: {
        ...webhookBody({ description: 'New text', code: undefined }),
        version: 1,
        id: w.id,
        dtCreated: 'junk',
      },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ version: 2, description: 'New text', dtCreated: w.dtCreated });
    expect(put.body.code).toBeUndefined();
    // Same credentials: the embedded credential's version stays.
    expect(put.body.credentials.version).toBe(1);

    const del = await c.call('DELETE', `${PATH}/${w.id}`);
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ id: w.id, version: 2 });
    expect((await c.call('GET', `${PATH}/${w.id}`)).status).toBe(404);
    expect((await c.call('DELETE', `${PATH}/${w.id}`)).status).toBe(404);
    expect(t.emu.admin.exportState().credentials).toEqual([]);
  });

  it('requires name, description, url, credentials and their fields, with minimum length 1', async () => {
    t = await start();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ name: undefined }, /name/],
      [{ name: '' }, /name/],
      [{ description: undefined }, /description/],
      [{ url: '' }, /url/],
      [{ credentials: undefined }, /credentials/],
      [{ credentials: { ...SIGNED, apiKey: '' } }, /credentials\.apiKey/],
      [{ credentials: { ...SIGNED, secret: undefined } }, /credentials\.secret/],
      [{ credentials: { ...SIGNED, type: undefined } }, /credentials\.type/],
      [{ credentials: { ...SIGNED, type: 'HTTP_BASIC' } }, /credentials\.type/],
      [{ active: 'yes' }, /active/],
    ];
    for (const [override, field] of cases) {
      const r = await t.client.call('POST', PATH, { body: webhookBody(override) });
      expect(r.status, JSON.stringify(override)).toBe(400);
      expect(r.body.message).toMatch(field);
    }
    const notJson = await t.client.call('POST', PATH, {
      rawBody: '{',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(notJson.status).toBe(400);
  });

  it('rejects a PUT without the current version, with the configured status', async () => {
    t = await start();
    const w = (await t.client.call('POST', PATH, { body: webhookBody() })).body;
    const stale = await t.client.call('PUT', `${PATH}/${w.id}`, { body: { ...webhookBody(), version: 5 } });
    expect(stale.status).toBe(400);
    expect(stale.body.message).toMatch(/version/i);
    const missing = await t.client.call('PUT', `${PATH}/${w.id}`, { body: webhookBody() });
    expect(missing.status).toBe(400);
    expect((await t.client.call('GET', `${PATH}/${w.id}`)).body.version).toBe(1);
    await t.close();

    t = await start({ versionConflictStatus: 409 });
    const w2 = (await t.client.call('POST', PATH, { body: webhookBody() })).body;
    expect(
      (await t.client.call('PUT', `${PATH}/${w2.id}`, { body: { ...webhookBody(), version: 2 } })).status,
    ).toBe(409);
  });

  it('bumps the embedded credential version only when credentials change', async () => {
    t = await start();
    const w = (await t.client.call('POST', PATH, { body: webhookBody() })).body;
    const rotated = await t.client.call('PUT', `${PATH}/${w.id}`, {
      body: {
        ...webhookBody({ credentials: { ...SIGNED, secret: 'rotated', name: 'm3ter-config:fp=def' } }),
        version: 1,
      },
    });
    expect(rotated.body.version).toBe(2);
    expect(rotated.body.credentials).toMatchObject({
      id: w.credentials.id,
      version: 2,
      name: 'm3ter-config:fp=def',
    });
    // Secrets are kept only as digests.
    const stored = t.emu.admin.exportState().credentials[0];
    expect(stored?.secretDigests).toEqual({ apiKey: digest('hook-key'), secret: digest('rotated') });
    // Keyed by a random key of the process: no plain hash of a secret to brute-force.
    expect(stored?.secretDigests['secret']).not.toBe(sha('rotated'));
    expect(JSON.stringify(t.emu.admin.exportState())).not.toContain('rotated');
  });

  it('masks secrets when secretExposure is mask', async () => {
    t = await start({ secretExposure: 'mask' });
    const w = (await t.client.call('POST', PATH, { body: webhookBody() })).body;
    expect(w.credentials.apiKey).toBe('********');
    expect(w.credentials.secret).toBe('********');
  });

  it('sets active through PUT {id}/active with no body', async () => {
    t = await start();
    const w = (await t.client.call('POST', PATH, { body: webhookBody() })).body;
    const off = await t.client.call('PUT', `${PATH}/${w.id}/active`, { query: { active: 'false' } });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ active: false, version: 2 });
    expect(
      (await t.client.call('PUT', `${PATH}/${w.id}/active`, { query: { active: 'maybe' } })).status,
    ).toBe(400);
    expect((await t.client.call('PUT', `${PATH}/nope/active`, { query: { active: 'true' } })).status).toBe(
      404,
    );
  });

  it('defaults active per option', async () => {
    t = await start({ activeDefault: false });
    const w = (await t.client.call('POST', PATH, { body: webhookBody() })).body;
    expect(w.active).toBe(false);
  });

  it('enforces unique codes by default, naming the existing id; allows them when told', async () => {
    t = await start();
    const w = (await t.client.call('POST', PATH, { body: webhookBody() })).body;
    const dup = await t.client.call('POST', PATH, { body: webhookBody() });
    expect(dup.status).toBe(400);
    expect(dup.body.message).toContain(w.id);
    await t.close();
    t = await start({ codeUniqueness: 'allow' });
    await t.client.call('POST', PATH, { body: webhookBody() });
    expect((await t.client.call('POST', PATH, { body: webhookBody() })).status).toBe(200);
  });

  it('checks the nested credential version only when credentialVersionCheck is on', async () => {
    t = await start({ credentialVersionCheck: true });
    const w = (await t.client.call('POST', PATH, { body: webhookBody() })).body;
    const bad = await t.client.call('PUT', `${PATH}/${w.id}`, {
      body: { ...webhookBody({ credentials: { ...SIGNED, version: 3 } }), version: 1 },
    });
    expect(bad.status).toBe(400);
    const ok = await t.client.call('PUT', `${PATH}/${w.id}`, {
      body: { ...webhookBody({ credentials: { ...SIGNED, version: 1 } }), version: 1 },
    });
    expect(ok.status).toBe(200);
  });
});
