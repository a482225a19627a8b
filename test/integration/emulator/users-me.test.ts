import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../../../src/emulator/index.js';
import { TestClient, type TestEmulator, notificationBody, start, validatedBySchema } from './helpers.js';

/** GET /organizations/{orgId}/users/me, m3ter's MeResponse: who calls, and which kind of org it is. */

const schemas = (
  JSON.parse(readFileSync(new URL('../../fixtures/openapi/m3ter-schemas.json', import.meta.url), 'utf8')) as {
    components: { schemas: Record<string, { allOf?: { properties?: object }[] }> };
  }
).components.schemas;

/** The property names a SPEC schema declares (its own and AbstractResponse's). */
function declared(name: string): string[] {
  const own = schemas[name]?.allOf?.flatMap((p) => Object.keys(p.properties ?? {})) ?? [];
  return ['id', 'version', ...own];
}

let t: TestEmulator | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function clientFor(emu: RunningEmulator, key: string, secret: string): Promise<TestClient> {
  const c = new TestClient(emu);
  const r = await c.tokenRequest({ key, secret });
  expect(r.status).toBe(200);
  c.token = r.body.access_token as string;
  return c;
}

describe('users/me', () => {
  it('answers a service user with serviceUser (no user) and the org, a SANDBOX org by default', async () => {
    t = await start({ orgId: 'org-sbx' });
    const r = await t.client.call('GET', '/users/me');
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(['organization', 'serviceUser']);
    expect(r.body.serviceUser).toMatchObject({ version: 1, name: t.emu.apiKey });
    expect(r.body.serviceUser.id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(r.body.organization).toMatchObject({
      id: 'org-sbx',
      version: 1,
      orgId: 'org-sbx',
      type: 'SANDBOX',
      status: 'ACTIVE',
      organizationName: expect.any(String),
      shortName: expect.any(String),
      dtCreated: expect.any(String),
      createdBy: expect.any(String),
    });
    expect(t.emu.orgType).toBe('SANDBOX');
    // Every field answered is one m3ter's schema declares.
    for (const key of Object.keys(r.body.organization))
      expect(declared('OrganizationResponse')).toContain(key);
    for (const key of Object.keys(r.body.serviceUser)) expect(declared('ServiceUserResponse')).toContain(key);
    expect(validatedBySchema.get('MeResponse')).toBeGreaterThan(0);
  });

  it('answers type PRODUCTION for an emulator started with orgType PRODUCTION', async () => {
    t = await start({ orgType: 'PRODUCTION' });
    expect(t.emu.orgType).toBe('PRODUCTION');
    const r = await t.client.call('GET', '/users/me');
    expect(r.body.organization).toMatchObject({ type: 'PRODUCTION', status: 'ACTIVE', orgId: t.emu.orgId });
  });

  it('answers each service user as itself, with an id that holds across restarts', async () => {
    const options: EmulatorOptions = { users: [{ apiKey: 'ci-deployer', apiSecret: 'ci-secret' }] };
    t = await start(options);
    const main = (await t.client.call('GET', '/users/me')).body.serviceUser;
    const other = (await (await clientFor(t.emu, 'ci-deployer', 'ci-secret')).call('GET', '/users/me')).body
      .serviceUser;
    expect(other.name).toBe('ci-deployer');
    expect(other.id).not.toBe(main.id);
    await t.close();
    t = await start(options);
    expect((await t.client.call('GET', '/users/me')).body.serviceUser.id).toBe(main.id);
  });

  it('answers a person\'s token (users kind "user") with user, no serviceUser, and names it USER_ in audit fields', async () => {
    t = await start({ users: [{ apiKey: 'ana', apiSecret: 'ana-secret', kind: 'user' }] });
    const person = await clientFor(t.emu, 'ana', 'ana-secret');
    const r = await person.call('GET', '/users/me');
    expect(Object.keys(r.body).sort()).toEqual(['organization', 'user']);
    expect(r.body.user).toMatchObject({ version: 1, organizations: [t.emu.orgId], supportUser: false });
    for (const key of Object.keys(r.body.user)) expect(declared('UserResponse')).toContain(key);
    const created = await person.call('POST', '/notifications/configurations', { body: notificationBody() });
    expect(created.body).toMatchObject({ createdBy: 'USER_ana', lastModifiedBy: 'USER_ana' });
  });

  it('refuses another org in the path, a missing token and a bad one (403), as every route does', async () => {
    t = await start({ orgId: 'org-a' });
    const other = await t.client.raw('GET', '/organizations/org-b/users/me');
    expect(other.status).toBe(403);
    expect(other.body.message).toMatch(/unknown organization/);
    expect(JSON.stringify(other.body)).not.toContain('SANDBOX');
    expect((await t.client.call('GET', '/users/me', { token: null })).status).toBe(403);
    expect((await t.client.call('GET', '/users/me', { token: 'forged' })).status).toBe(403);
    expect(t.emu.admin.counters().requests['GET /organizations/{orgId}/users/me']).toBe(3);
  });

  it.each([
    ['forbidden', 403],
    ['absent', 404],
    ['error', 500],
  ] as const)(
    'usersMeEndpoint %s answers %i with a message, and the rest of the API keeps answering',
    async (mode, status) => {
      t = await start({ usersMeEndpoint: mode, orgType: 'PRODUCTION' });
      const r = await t.client.call('GET', '/users/me');
      expect(r.status).toBe(status);
      expect(typeof r.body.message).toBe('string');
      expect(JSON.stringify(r.body)).not.toContain('PRODUCTION');
      expect((await t.client.call('GET', '/notifications/configurations')).status).toBe(200);
    },
  );

  it('refuses an unknown orgType or usersMeEndpoint at start', async () => {
    await expect(startEmulator({ orgType: 'production' as never })).rejects.toThrow(
      /orgType must be PRODUCTION or SANDBOX/,
    );
    await expect(startEmulator({ usersMeEndpoint: 'down' as never })).rejects.toThrow(
      /usersMeEndpoint must be one of served, absent, forbidden, error/,
    );
    await expect(
      startEmulator({ users: [{ apiKey: 'u', apiSecret: 's', kind: 'robot' as never }] }),
    ).rejects.toThrow(/serviceUser or user/);
  });
});

describe('the kind of org in the state file', () => {
  let dir: string;
  const open: RunningEmulator[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'm3ter-emu-kind-'));
  });
  afterEach(async () => {
    for (const e of open.splice(0)) await e.close();
    await rm(dir, { recursive: true, force: true });
  });
  const emulator = async (options: EmulatorOptions): Promise<RunningEmulator> => {
    const e = await startEmulator({ port: 0, rateLimit: 0, ...options });
    open.push(e);
    return e;
  };

  it('is kept; a file of one kind is refused under the other, named, and left as it is', async () => {
    const statePath = join(dir, 'prod.json');
    const prod = await emulator({ statePath, orgType: 'PRODUCTION' });
    await prod.close();
    const text = await readFile(statePath, 'utf8');
    expect(JSON.parse(text)).toMatchObject({ orgType: 'PRODUCTION' });
    // The default kind (SANDBOX) does not silently take over a production org's file, writing or reading.
    for (const stateAccess of ['write', 'read'] as const)
      await expect(startEmulator({ port: 0, statePath, stateAccess })).rejects.toMatchObject({
        code: 'emulator_state_other_org_type',
        message: expect.stringMatching(/holds a PRODUCTION org.*serves a SANDBOX one.*--org-type PRODUCTION/),
      });
    expect(await readFile(statePath, 'utf8')).toBe(text);
    await expect(stat(`${statePath}.lock`)).rejects.toMatchObject({ code: 'ENOENT' });
    const again = await emulator({ statePath, orgType: 'PRODUCTION' });
    expect(again.orgType).toBe('PRODUCTION');

    const sandboxPath = join(dir, 'sandbox.json');
    await (await emulator({ statePath: sandboxPath })).close();
    await expect(
      startEmulator({ port: 0, statePath: sandboxPath, orgType: 'PRODUCTION' }),
    ).rejects.toMatchObject({ code: 'emulator_state_other_org_type' });
  });

  it('a reader creating a missing file records the kind it serves', async () => {
    const statePath = join(dir, 'new.json');
    await (await emulator({ statePath, stateAccess: 'read', orgType: 'PRODUCTION' })).close();
    expect(JSON.parse(await readFile(statePath, 'utf8'))).toMatchObject({ orgType: 'PRODUCTION' });
  });

  it('a file written before kinds were kept opens under either kind, and a writer records its kind', async () => {
    const statePath = join(dir, 'old.json');
    const old = await emulator({ statePath });
    await old.close();
    const state = JSON.parse(await readFile(statePath, 'utf8')) as Record<string, unknown>;
    delete state['orgType'];
    await writeFile(statePath, JSON.stringify(state), { mode: 0o600 });
    await (await emulator({ statePath, stateAccess: 'read', orgType: 'PRODUCTION' })).close();
    expect(JSON.parse(await readFile(statePath, 'utf8'))).not.toHaveProperty('orgType');
    await (await emulator({ statePath, orgType: 'PRODUCTION' })).close();
    expect(JSON.parse(await readFile(statePath, 'utf8'))).toMatchObject({ orgType: 'PRODUCTION' });
  });

  it('a file whose orgType is neither kind is refused as invalid', async () => {
    const statePath = join(dir, 'bad.json');
    await (await emulator({ statePath })).close();
    const state = JSON.parse(await readFile(statePath, 'utf8')) as Record<string, unknown>;
    await writeFile(statePath, JSON.stringify({ ...state, orgType: 'prod' }), { mode: 0o600 });
    await expect(startEmulator({ port: 0, statePath })).rejects.toMatchObject({
      code: 'emulator_state_invalid',
      message: expect.stringMatching(/orgType must be PRODUCTION or SANDBOX/),
    });
  });

  it('GET /_emulator/state names the kind, and a seed with an unknown kind is a 400', async () => {
    const e = await emulator({ orgType: 'PRODUCTION' });
    const state = (await (await fetch(`${e.url}/_emulator/state`)).json()) as Record<string, unknown>;
    expect(state).toMatchObject({ orgId: e.orgId, orgType: 'PRODUCTION' });
    const seeded = await fetch(`${e.url}/_emulator/seed`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...state, orgType: 'STAGING' }),
    });
    expect(seeded.status).toBe(400);
    expect(((await seeded.json()) as { message: string }).message).toMatch(/state.orgType must be/);
  });
});
