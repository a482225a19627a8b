import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';
import type { Environment } from '../../../src/model/environment.js';
import { openSession, type Session } from '../../../src/workflow/session.js';

function environment(over: Partial<Environment> = {}): Environment {
  return {
    name: 'sandbox',
    orgId: 'org-sandbox',
    production: false,
    vars: {},
    target: { apiKey: 'SB_KEY', apiSecret: 'SB_SECRET', baseUrl: 'SB_URL' },
    include: [],
    source: { file: 'm3ter.yaml', line: 1, col: 1, pointer: '/environments/sandbox' },
    ...over,
  };
}

describe('a session for an environment', () => {
  let emu: RunningEmulator | undefined;
  let session: Session | undefined;
  afterEach(async () => {
    await session?.close();
    await emu?.close();
    session = undefined;
    emu = undefined;
  });

  it('is refused before any request when the target is another org', async () => {
    emu = await startEmulator({ port: 0, rateLimit: 0, orgId: 'org-production' });
    const env = {
      SB_KEY: emu.apiKey,
      SB_SECRET: emu.apiSecret,
      SB_URL: emu.url,
      M3TER_ORG_ID: 'org-production',
    };
    await expect(openSession({ env, cwd: tmpdir(), environment: environment() })).rejects.toMatchObject({
      code: 'org_id_mismatch',
    });
    expect(emu.admin.counters().total).toBe(0);
  });

  it('reads the environment target variables and goes on for its own org', async () => {
    emu = await startEmulator({ port: 0, rateLimit: 0, orgId: 'org-sandbox' });
    const env = { SB_KEY: emu.apiKey, SB_SECRET: emu.apiSecret, SB_URL: emu.url };
    session = await openSession({ env, cwd: tmpdir(), environment: environment() });
    expect(session.target.orgId).toBe('org-sandbox');
    expect(session.embedded).toBeUndefined();
  });

  it('runs the embedded emulator as the environment org, in a state file of its own, and warns in CI', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'm3ter-guard-'));
    session = await openSession({ env: { CI: 'true' }, cwd, environment: environment() });
    expect(session.target.orgId).toBe('org-sandbox');
    expect(session.target.description).toMatchObject({
      type: 'local-emulator',
      statePath: path.join('.m3ter', 'local-sandbox.json'),
    });
    expect(session.notes?.[0]).toContain('SB_KEY, SB_SECRET, SB_URL');
    await session.close();
    session = await openSession({ env: {}, cwd, environment: environment() });
    expect(session.notes).toBeUndefined();
    await session.close();
    session = await openSession({
      env: { CI: '1' },
      cwd,
      environment: environment(),
      embeddedStateFile: 'x.json',
    });
    expect(session.notes).toBeUndefined();
  });
});
