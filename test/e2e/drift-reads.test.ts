import { cpSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { generateState } from '../integration/live/seed.js';
import { type DriftOrg, startDriftOrg } from './drift-helpers.js';
import { QUICKSTART, QUICKSTART_ENV, runCli, tempDir } from './run-cli.js';

/** Drift only reads: no write reaches the org, the embedded emulator's state file is never touched. */

const writes = (requests: Record<string, number>) =>
  Object.keys(requests).filter((r) => !r.startsWith('GET ') && r !== 'POST /oauth/token');

describe('drift writes nothing', () => {
  let org: DriftOrg | undefined;
  let emu: RunningEmulator | undefined;
  afterEach(async () => {
    await org?.close();
    await emu?.close();
    org = emu = undefined;
  });

  it('sends no write to the org, with drift present, in every format', async () => {
    org = await startDriftOrg();
    expect((await org.cli(['apply', '.', '--auto-approve', '--record', 'record.json'])).code).toBe(0);
    await org.asConsoleUser('POST', '/notifications/configurations', {
      code: 'console_rule',
      name: 'Console rule',
      description: 'Made in the Console',
      eventName: 'billing.bill.updated',
    });
    const before = org.emu.admin.exportState();
    org.emu.admin.resetCounters();
    for (const format of ['text', 'json', 'markdown'])
      expect((await org.cli(['drift', '.', '--format', format, '--since', 'record.json'])).code).toBe(2);
    const counters = org.emu.admin.counters();
    expect(writes(counters.requests)).toEqual([]);
    expect(counters.total).toBeGreaterThan(0);
    expect(org.emu.admin.exportState()).toEqual(before);
  });

  it('leaves the embedded emulator state file as it was, and creates none', async () => {
    const cwd = tempDir();
    cpSync(QUICKSTART, cwd, { recursive: true });
    const run = (args: string[]) => runCli([...args, '--env-file', QUICKSTART_ENV], { cwd });
    expect((await run(['drift', '.'])).code).toBe(2); // nothing applied: everything is missing
    expect(existsSync(path.join(cwd, '.m3ter'))).toBe(false);

    expect((await run(['apply', '.', '--auto-approve'])).code).toBe(0);
    const file = path.join(cwd, '.m3ter/local.json');
    // Drift from the state: a rule edited in the local org (as another tool would).
    const state = JSON.parse(readFileSync(file, 'utf8'));
    state.notifications[0].description = 'edited';
    writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`);
    const bytes = readFileSync(file);
    const mtime = statSync(file).mtimeMs;
    const drift = await run(['drift', '.', '--format', 'json']);
    expect(drift.code).toBe(2);
    expect(JSON.parse(drift.stdout).items).toMatchObject([{ class: 'modified', kind: 'notificationRule' }]);
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(statSync(file).mtimeMs).toBe(mtime);
  });
});

describe('drift reads a large org with the same requests as plan', () => {
  let emu: RunningEmulator | undefined;
  afterEach(() => emu?.close());

  it('10,000 entities: the same requests, route by route', async () => {
    emu = await startEmulator({ port: 0, rateLimit: 0 });
    await emu.admin.seed(generateState(emu.orgId, { webhooks: 2_000, rules: 4_000, links: 4_000 }));
    const cwd = tempDir();
    // Every kind managed, nothing declared: all 10,000 are unmanaged (and the plan deletes them all, unsafely).
    writeFileSync(path.join(cwd, 'm3ter.yaml'), 'webhooks: []\nnotificationRules: []\nlinks: []\n');
    const env = {
      M3TER_BASE_URL: emu.url,
      M3TER_ORG_ID: emu.orgId,
      M3TER_API_KEY: emu.apiKey,
      M3TER_API_SECRET: emu.apiSecret,
    };
    const counted = async (args: string[]) => {
      emu!.admin.resetCounters();
      const r = await runCli(args, { cwd, env });
      return { r, requests: emu!.admin.counters().requests };
    };
    const plan = await counted(['plan', '--format', 'json']);
    expect(plan.r.code).toBe(3);
    const drift = await counted(['drift', '--format', 'json']);
    expect([drift.r.code, drift.r.stderr]).toEqual([2, '']);
    expect(drift.requests).toEqual(plan.requests);
    expect(writes(drift.requests)).toEqual([]);
    const report = JSON.parse(drift.r.stdout);
    expect(report.summary).toEqual({ modified: 0, unmanaged: 10_000, missing: 0, secret: 0 });
    // One token, then every page at the largest page size: 2,000/200 + 4,000/100 + 4,000/200 pages (+1 last each).
    expect(Object.values(drift.requests).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1 + 11 + 41 + 21);
  });
});
