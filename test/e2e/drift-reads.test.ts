import { cpSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
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

  it('sends no write to the org, with drift present, in every format', { timeout: 90_000 }, async () => {
    org = await startDriftOrg();
    expect((await org.cli(['apply', '.', '--auto-approve', '--record', 'record.json'])).code).toBe(0);
    await org.addRule('console_rule');
    const before = org.emu.admin.exportState();
    org.emu.admin.resetCounters();
    for (const format of ['text', 'json', 'markdown'])
      expect((await org.cli(['drift', '.', '--format', format, '--since', 'record.json'])).code).toBe(2);
    const counters = org.emu.admin.counters();
    expect(writes(counters.requests)).toEqual([]);
    expect(counters.total).toBeGreaterThan(0);
    expect(org.emu.admin.exportState()).toEqual(before);
  });

  it('leaves the embedded emulator state file as it was, and creates none', { timeout: 90_000 }, async () => {
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
