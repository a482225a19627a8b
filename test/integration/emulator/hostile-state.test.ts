import { spawnSync } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../../src/emulator/index.js';
import { generateState } from '../live/seed.js';
import { type TestEmulator, notificationBody, start, webhookBody } from './helpers.js';

/** The state file and the seed, attacked: planted links, a second emulator, another org's file, bad seeds, a lost folder. */

let dir: string;
const open: { close(): Promise<void> }[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'm3ter-emu-hostile-'));
});
afterEach(async () => {
  for (const e of open.splice(0)) await e.close();
  await rm(dir, { recursive: true, force: true });
});

async function started(options: Parameters<typeof start>[0]): Promise<TestEmulator> {
  const t = await start(options);
  open.push(t);
  return t;
}

async function emulator(options: Parameters<typeof startEmulator>[0]): Promise<RunningEmulator> {
  const e = await startEmulator({ port: 0, rateLimit: 0, ...options });
  open.push(e);
  return e;
}

const postJson = (url: string, body: string) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('state file writes', () => {
  it('never writes through a link planted where a temporary file or the state file would go', async () => {
    const statePath = join(dir, 'org.json');
    const stolen = join(dir, 'stolen');
    await writeFile(stolen, '', { mode: 0o644 });
    // The names an emulator of this process would once have used, and the state file itself.
    for (let n = 1; n <= 30; n++) await symlink(stolen, `${statePath}.${process.pid}.${n}.tmp`);
    const elsewhere = join(dir, 'elsewhere.json');
    await symlink(elsewhere, statePath);
    const t = await started({ statePath });
    for (let i = 0; i < 5; i++)
      await t.client.call('POST', '/integrationdestinations/webhooks', {
        body: webhookBody({ code: `w${i}` }),
      });
    await t.close();
    expect(await readFile(stolen, 'utf8')).toBe('');
    await expect(stat(elsewhere)).rejects.toMatchObject({ code: 'ENOENT' });
    const st = await lstat(statePath);
    expect(st.isFile()).toBe(true);
    expect(st.mode & 0o777).toBe(0o600);
    expect(await readFile(statePath, 'utf8')).toContain('hook-secret');
    // Only the planted links and the state file: no temporary file is left behind.
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp') && !f.includes(`.${process.pid}.`))).toEqual(
      [],
    );
  });
});

describe('one writer per state file', () => {
  it('a second emulator on the same file refuses, naming the first; it starts once the first is gone', async () => {
    const statePath = join(dir, 'org.json');
    const first = await started({ statePath });
    await first.client.call('POST', '/notifications/configurations', {
      body: notificationBody({ code: 'one' }),
    });
    await expect(startEmulator({ statePath, port: 0 })).rejects.toMatchObject({
      code: 'emulator_state_locked',
      message: expect.stringMatching(
        new RegExp(`another emulator \\(process ${process.pid}\\).*org\\.json\\.lock`),
      ),
    });
    // The refused one wrote nothing and took nothing.
    expect(JSON.parse(await readFile(statePath, 'utf8')).notifications).toHaveLength(1);
    await first.close();
    const second = await started({ statePath });
    expect((await second.client.call('GET', '/notifications/configurations')).body.data).toHaveLength(1);
  });

  it('takes over a lock whose process is gone, or that holds no pid', async () => {
    const statePath = join(dir, 'org.json');
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    }).stdout;
    for (const content of [`${gone}\n`, '', 'not a pid', '0\n']) {
      await writeFile(`${statePath}.lock`, content);
      const e = await emulator({ statePath });
      expect(await readFile(`${statePath}.lock`, 'utf8')).toBe(`${process.pid}\n`);
      await e.close();
      await expect(stat(`${statePath}.lock`)).rejects.toMatchObject({ code: 'ENOENT' });
    }
  });

  it('readers take no lock and never write: several share a file a writer holds', async () => {
    const statePath = join(dir, 'org.json');
    const writer = await started({ statePath });
    await writer.client.call('POST', '/notifications/configurations', {
      body: notificationBody({ code: 'w' }),
    });
    const before = await readFile(statePath, 'utf8');
    const readers = [
      await started({ statePath, stateAccess: 'read' }),
      await started({ statePath, stateAccess: 'read' }),
    ];
    for (const r of readers) {
      expect((await r.client.call('GET', '/notifications/configurations')).body.data).toHaveLength(1);
      await r.client.call('POST', '/notifications/configurations', { body: notificationBody({ code: 'r' }) });
    }
    for (const r of readers) await r.close();
    expect(await readFile(statePath, 'utf8')).toBe(before);
    expect(await readFile(`${statePath}.lock`, 'utf8')).toBe(`${process.pid}\n`);
  });

  it('a reader creates a missing file once, with its org id, and never replaces one', async () => {
    const statePath = join(dir, 'new', 'org.json');
    const r = await emulator({ statePath, stateAccess: 'read', orgId: 'org-a' });
    const made = JSON.parse(await readFile(statePath, 'utf8')) as { orgId: string; webhooks: unknown[] };
    expect(made).toMatchObject({ orgId: 'org-a', webhooks: [] });
    expect((await stat(statePath)).mode & 0o777).toBe(0o600);
    await r.close();
    await expect(
      startEmulator({ statePath, stateAccess: 'read', orgId: 'org-b', port: 0 }),
    ).rejects.toMatchObject({
      code: 'emulator_state_other_org',
    });
  });
});

describe('a state file of another org', () => {
  it('is refused, named, and left as it is', async () => {
    const statePath = join(dir, 'org.json');
    const a = await emulator({ statePath, orgId: 'org-a' });
    await a.close();
    const text = await readFile(statePath, 'utf8');
    await expect(startEmulator({ statePath, orgId: 'org-b', port: 0 })).rejects.toMatchObject({
      code: 'emulator_state_other_org',
      message: expect.stringMatching(/holds org org-a, not org-b.*--org-id org-a/),
    });
    expect(await readFile(statePath, 'utf8')).toBe(text);
    await expect(stat(`${statePath}.lock`)).rejects.toMatchObject({ code: 'ENOENT' });
    const again = await emulator({ statePath, orgId: 'org-a' });
    expect(again.orgId).toBe('org-a');
  });
});

describe('seed', () => {
  it('checks the whole state before it replaces anything: a bad seed leaves the org answering as before', async () => {
    const t = await started({});
    const w = (await t.client.call('POST', '/integrationdestinations/webhooks', { body: webhookBody() }))
      .body;
    const good = t.emu.admin.exportState();
    const other = generateState(t.emu.orgId, { webhooks: 3, rules: 3, links: 3 });
    const breakers: [string, (s: Record<string, unknown>) => void, RegExp][] = [
      [
        'a missing url',
        (s) => delete (s['webhooks'] as Record<string, unknown>[])[2]!['url'],
        /webhooks\[2\]\.url is required/,
      ],
      [
        'a numeric name',
        (s) => ((s['notifications'] as Record<string, unknown>[])[1]!['name'] = 7),
        /notifications\[1\]\.name must be a string/,
      ],
      [
        'a duplicate id',
        (s) =>
          ((s['notifications'] as Record<string, unknown>[])[2]!['id'] = (
            s['notifications'] as { id: string }[]
          )[0]!.id),
        /duplicate id/,
      ],
      [
        'a duplicate seq',
        (s) => ((s['integrationConfigs'] as Record<string, unknown>[])[1]!['seq'] = 9999),
        /./,
      ],
      [
        'configData as an array',
        (s) => ((s['integrationConfigs'] as Record<string, unknown>[])[0]!['configData'] = []),
        /configData must be an object/,
      ],
      [
        'a webhook without its credential',
        (s) => (s['credentials'] as unknown[]).splice(1, 1),
        /credentialId must name a credential/,
      ],
      [
        'an entity that is null',
        (s) => ((s['webhooks'] as unknown[])[1] = null),
        /webhooks\[1\] must be an object/,
      ],
      [
        'a signing key without a secret',
        (s) => ((s['credentials'] as Record<string, unknown>[])[0]!['signingKey'] = { apiKey: 'k' }),
        /signingKey/,
      ],
      [
        'a fractional seq',
        (s) => ((s['webhooks'] as Record<string, unknown>[])[0]!['seq'] = 1.5),
        /seq must be a positive integer/,
      ],
    ];
    // A duplicate seq needs two entities of one collection on one seq.
    breakers[3]![1] = (s) => {
      const list = s['integrationConfigs'] as { seq: number }[];
      list[1]!.seq = list[0]!.seq;
    };
    for (const [what, breakIt, message] of breakers) {
      const bad = structuredClone(other) as unknown as Record<string, unknown>;
      breakIt(bad);
      const res = await postJson(`${t.emu.url}/_emulator/seed`, JSON.stringify(bad));
      expect(res.status, what).toBe(400);
      expect(((await res.json()) as { message: string }).message, what).toMatch(message);
      expect(t.emu.admin.exportState(), what).toEqual(good);
      const read = await t.client.call('GET', `/integrationdestinations/webhooks/${w.id}`);
      expect(read.status, what).toBe(200);
      expect((await t.client.call('GET', '/integrationdestinations/webhooks')).body.data, what).toHaveLength(
        1,
      );
    }
  });

  it('takes the export of a 100,000-entity org over HTTP, and refuses a body over maxSeedBytes with 413', async () => {
    const t = await started({});
    const big = JSON.stringify(
      generateState(t.emu.orgId, { webhooks: 25_000, rules: 25_000, links: 25_000 }),
    );
    expect(big.length).toBeGreaterThan(40_000_000);
    const res = await postJson(`${t.emu.url}/_emulator/seed`, big);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      webhooks: 25_000,
      notifications: 25_000,
      integrationConfigs: 25_000,
      credentials: 25_000,
      // A state saved before scheduled events existed holds none of them.
      scheduledEvents: 0,
    });
    const small = await started({ maxSeedBytes: 1000 });
    const refused = await postJson(
      `${small.emu.url}/_emulator/seed`,
      JSON.stringify({ pad: 'x'.repeat(2000) }),
    );
    expect(refused.status).toBe(413);
    expect(((await refused.json()) as { message: string }).message).toMatch(/over 1000 bytes/);
  }, 60_000);
});

describe('a state file that cannot be saved', () => {
  it('is reported once, the emulator keeps answering, and saving resumes when it can', async () => {
    const stateDir = join(dir, 'state');
    const statePath = join(stateDir, 'org.json');
    const lines: string[] = [];
    const t = await started({ statePath, log: (line) => lines.push(line) });
    // Root may write anywhere: the folder itself is taken away and a file put in its place.
    await rm(stateDir, { recursive: true });
    await writeFile(stateDir, 'not a folder');
    for (const code of ['a', 'b']) {
      const r = await t.client.call('POST', '/notifications/configurations', {
        body: notificationBody({ code }),
      });
      expect(r.status).toBe(200);
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/cannot save the state file .*org\.json: .*Changes stay in memory/);
    expect((await t.client.call('GET', '/notifications/configurations')).body.data).toHaveLength(2);
    await rm(stateDir);
    await mkdir(stateDir);
    await t.client.call('POST', '/notifications/configurations', { body: notificationBody({ code: 'c' }) });
    expect(lines[1]).toMatch(/saved again/);
    expect(JSON.parse(await readFile(statePath, 'utf8')).notifications).toHaveLength(3);
  });

  it('a link disabled by failed deliveries on a timer, unsaved, is no unhandled rejection', async () => {
    const stateDir = join(dir, 'state');
    const lines: string[] = [];
    // A receiver that always fails.
    const receiver = createServer((_req, res) => res.writeHead(500).end());
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    open.push({ close: () => new Promise<void>((r) => receiver.close(() => r())) });
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const t = await started({
      statePath: join(stateDir, 'org.json'),
      log: (line) => lines.push(line),
      deliveryRetryDelaysMs: [0],
      disableLinkAfterFailures: 1,
    });
    const w = (
      await t.client.call('POST', '/integrationdestinations/webhooks', { body: webhookBody({ url }) })
    ).body;
    const n = (
      await t.client.call('POST', '/notifications/configurations', {
        body: notificationBody({ alwaysFireEvent: true }),
      })
    ).body;
    const link = await t.client.call('POST', '/integrationconfigs', {
      body: {
        entityType: 'Notification',
        entityId: n.id,
        destination: 'Webhook',
        destinationId: w.id,
        configData: {},
      },
    });
    expect(link.status).toBe(200);
    await rm(stateDir, { recursive: true });
    await writeFile(stateDir, 'not a folder');
    await t.emu.admin.fireEvent({ eventName: 'configuration.commitment.updated', new: {} });
    // The retry runs on its timer; wait for its outcome, not for a time.
    while (t.emu.admin.deliveries()[0]?.status === 'pending') await new Promise((r) => setImmediate(r));
    while (lines.length === 0) await new Promise((r) => setImmediate(r));
    expect(t.emu.admin.deliveries()[0]?.status).toBe('failed');
    expect(lines[0]).toMatch(/cannot save the state file/);
    const read = await t.client.call('GET', `/integrationconfigs/${link.body.id}`);
    expect(read.body.enabled).toBe(false);
  });
});
