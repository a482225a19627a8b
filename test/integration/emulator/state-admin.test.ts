import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../src/emulator/index.js';
import {
  type TestEmulator,
  assertContract,
  notificationBody,
  start,
  validatedBySchema,
  webhookBody,
} from './helpers.js';

describe('emulator state file', () => {
  let dir: string;
  let t: TestEmulator | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'm3ter-emu-'));
  });
  afterEach(async () => {
    await t?.close();
    t = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('survives a restart', async () => {
    const statePath = join(dir, 'org.json');
    t = await start({ statePath });
    const w = (await t.client.call('POST', '/integrationdestinations/webhooks', { body: webhookBody() }))
      .body;
    const n = (await t.client.call('POST', '/notifications/configurations', { body: notificationBody() }))
      .body;
    await t.close();
    t = await start({ statePath });
    expect((await t.client.call('GET', `/integrationdestinations/webhooks/${w.id}`)).body).toEqual(w);
    expect((await t.client.call('GET', `/notifications/configurations/${n.id}`)).body).toEqual(n);
    // New entities keep sorting after the old ones.
    const n2 = (
      await t.client.call('POST', '/notifications/configurations', { body: notificationBody({ code: 'x' }) })
    ).body;
    const list = await t.client.call('GET', '/notifications/configurations', { query: { pageSize: '10' } });
    expect(list.body.data.map((x: { id: string }) => x.id)).toEqual([n2.id, n.id]);
    const file = await readFile(statePath, 'utf8');
    // The emulator signs deliveries with the webhook's key pair, so the file keeps it, readable by its owner only.
    expect((await stat(statePath)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(file).credentials[0].signingKey).toEqual({ apiKey: 'hook-key', secret: 'hook-secret' });
    // No digest is persisted, salted or not.
    expect(file).not.toContain(createHash('sha256').update('hook-secret').digest('hex'));
    for (const c of (JSON.parse(file) as { credentials: { secretDigests: object }[] }).credentials)
      expect(c.secretDigests).toEqual({});
    const served = await fetch(`${t.emu.url}/_emulator/state`).then((r) => r.text());
    expect(served).not.toMatch(/"secretDigests":\{"/);
    expect(served).not.toContain('hook-secret');
    expect(JSON.stringify(t.emu.admin.exportState())).not.toContain('hook-secret');
  });

  it('stays valid JSON with every write under concurrent requests, leaving no temporary files', async () => {
    const statePath = join(dir, 'org.json');
    t = await start({ statePath });
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        t!.client.call('POST', '/notifications/configurations', {
          body: notificationBody({ code: `c${i}` }),
        }),
      ),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    // Each answer came after its write reached the file.
    const onDisk = JSON.parse(await readFile(statePath, 'utf8')) as { notifications: { code: string }[] };
    expect(onDisk.notifications.map((n) => n.code).sort()).toEqual(
      Array.from({ length: 60 }, (_, i) => `c${i}`).sort(),
    );
    // Its lock while it runs, nothing more; the lock goes with it.
    expect((await readdir(dir)).sort()).toEqual(['org.json', 'org.json.lock']);
    await t.close();
    t = undefined;
    expect(await readdir(dir)).toEqual(['org.json']);
  });

  it('refuses to start on a corrupt state file rather than overwrite it', async () => {
    const statePath = join(dir, 'org.json');
    await writeFile(statePath, '{ not json');
    await expect(startEmulator({ statePath })).rejects.toMatchObject({
      code: 'emulator_state_invalid',
      message: expect.stringMatching(/org\.json: it is not valid JSON\. Move the file away/),
    });
    expect(await readFile(statePath, 'utf8')).toBe('{ not json');
  });

  it("creates the state file's folder, and persists the first write there", async () => {
    const statePath = join(dir, 'nested', 'deeper', 'org.json');
    t = await start({ statePath });
    await t.client.call('POST', '/notifications/configurations', {
      body: notificationBody({ code: 'kept' }),
    });
    await t.close();
    const saved = JSON.parse(await readFile(statePath, 'utf8')) as { notifications: { code: string }[] };
    expect(saved.notifications.map((n) => n.code)).toEqual(['kept']);
    // The folder it made holds secrets once webhooks exist: it is git-ignored from inside.
    expect(await readFile(join(dir, 'nested', 'deeper', '.gitignore'), 'utf8')).toMatch(/^\*$/m);
  });
});

describe('emulator admin surface', () => {
  let t: TestEmulator;
  afterEach(() => t?.close());

  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${t.emu.url}/_emulator/${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    expect(res.headers.get('content-type')).toBe('application/json');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- admin replies are read ad hoc
    return { status: res.status, body: (await res.json()) as any };
  };

  it('exports, resets and seeds state over HTTP', async () => {
    t = await start();
    const w = (await t.client.call('POST', '/integrationdestinations/webhooks', { body: webhookBody() }))
      .body;
    const exported = await admin('GET', 'state');
    expect(exported.body.webhooks.map((x: { id: string }) => x.id)).toEqual([w.id]);
    expect((await admin('POST', 'reset')).status).toBe(200);
    expect((await t.client.call('GET', '/integrationdestinations/webhooks')).body.data).toEqual([]);
    const seeded = await admin('POST', 'seed', exported.body);
    expect(seeded.body).toEqual({
      webhooks: 1,
      notifications: 0,
      integrationConfigs: 0,
      credentials: 1,
      scheduledEvents: 0,
    });
    expect((await t.client.call('GET', `/integrationdestinations/webhooks/${w.id}`)).body).toEqual(w);
    expect((await admin('POST', 'seed', { format: 2 })).status).toBe(400);
    expect((await admin('GET', 'nope')).status).toBe(404);
  });

  it('counts requests by method and route template, statuses, and resets counters', async () => {
    t = await start();
    await t.client.call('GET', '/notifications/configurations');
    await t.client.call('GET', '/notifications/configurations/abc');
    await t.client.call('POST', '/notifications/configurations', { body: {} });
    const c = (await admin('GET', 'counters')).body;
    expect(c.requests).toEqual({
      'POST /oauth/token': 1,
      'GET /organizations/{orgId}/notifications/configurations': 1,
      'GET /organizations/{orgId}/notifications/configurations/{id}': 1,
      'POST /organizations/{orgId}/notifications/configurations': 1,
    });
    expect(c.statuses).toEqual({ '200': 2, '404': 1, '400': 1 });
    expect(c).toMatchObject({ total: 4, rateLimited: 0, faultsInjected: 0, tokensIssued: 1 });
    expect(t.emu.admin.counters()).toEqual(c);
    await admin('POST', 'counters/reset');
    expect(t.emu.admin.counters().total).toBe(0);
  });

  it('offers the same operations in process', async () => {
    t = await start();
    await t.client.call('POST', '/notifications/configurations', { body: notificationBody() });
    const state = t.emu.admin.exportState();
    await t.emu.admin.reset();
    expect(t.emu.admin.exportState().notifications).toEqual([]);
    await t.emu.admin.seed(state);
    expect(t.emu.admin.exportState()).toEqual(state);
    t.emu.admin.resetCounters();
    expect(t.emu.admin.counters().total).toBe(0);
  });
});

describe('contract checking', () => {
  it('rejects a body that breaks the schema, and has checked the kinds used in these tests', () => {
    expect(() =>
      assertContract('GET', '/organizations/o/notifications/configurations/x', 200, { name: 'n' }),
    ).toThrow(/NotificationResponse/);
    expect(() => assertContract('GET', '/organizations/o/events/types', 500, {})).toThrow(/Error/);
    expect(validatedBySchema.get('WebhookDestinationResponse')).toBeGreaterThan(0);
  });
});
