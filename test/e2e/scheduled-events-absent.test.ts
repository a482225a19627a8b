import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { loadConfig } from '../../src/load/index.js';
import { apiSeeder } from '../helpers/seed-api.js';
import { QUICKSTART, QUICKSTART_ENV, QUICKSTART_SECRETS, runCli, tempDir } from './run-cli.js';

/**
 * An org whose m3ter does not serve scheduled events (the emulator answers 404 on their list): a full import goes
 * on without them and says so, rules keep the `scheduled.*` event they listen to as written; asking for scheduled
 * events explicitly still fails, with one clear error.
 */
let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function orgWithout(): Promise<{ env: Record<string, string>; cwd: string }> {
  emu = await startEmulator({ port: 0, rateLimit: 0, scheduledEvents: 'absent' });
  const env = {
    M3TER_BASE_URL: emu.url,
    M3TER_ORG_ID: emu.orgId,
    M3TER_API_KEY: emu.apiKey,
    M3TER_API_SECRET: emu.apiSecret,
  };
  const cwd = tempDir();
  const applied = await runCli(['apply', QUICKSTART, '--env-file', QUICKSTART_ENV, '--auto-approve'], {
    cwd,
    env,
  });
  expect([applied.code, applied.stderr]).toEqual([0, '']);
  // A rule that listens to a scheduled event, made in the Console: m3ter does not check the event's name.
  await (
    await apiSeeder(emu)
  ).rule({
    code: 'bill_due_soon',
    name: 'Bill due soon',
    description: 'Ten days before a bill is due',
    eventName: 'scheduled.bill.dueSoon',
    calculation: 'true',
  });
  return { env, cwd };
}

describe('an org that does not serve scheduled events', () => {
  it('a full import skips them with a note, writes everything else, and the rule keeps its eventName', async () => {
    const { env, cwd } = await orgWithout();
    const r = await runCli(['import', '--out', 'imported'], { cwd, env });
    expect(r.code, r.stderr).toBe(5);
    expect(r.stderr).toContain('! not imported: scheduledEvents (their sections are left out of the files)');
    expect(r.stderr).toContain('m3ter answered 404 to GET /scheduledevents/configurations');
    expect(r.stderr).toContain('Skipped scheduledEvents');
    expect(r.stderr).not.toContain('could not be written');
    for (const s of QUICKSTART_SECRETS) expect(r.stdout + r.stderr).not.toContain(s);

    const file = path.join(cwd, 'imported/m3ter.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/^scheduledEvents:/m);
    expect(text).not.toMatch(/^ignore:/m);
    const loaded = await loadConfig([file], { env: {}, cwd, missingEnv: 'warning' });
    const rules = loaded.state!.resources.notificationRule;
    expect(rules.get('bill_due_soon')?.attributes.eventName).toBe('scheduled.bill.dueSoon');
    expect([...rules.keys()].sort()).toEqual([
      'bill_created',
      'bill_due_soon',
      'commitment_under_10_percent',
    ]);
    expect(loaded.state!.resources.link.size).toBe(2);
    expect(loaded.state!.resources.webhook.has('quickstart_receiver')).toBe(true);
  });

  it('import --kinds scheduledEvents, and a plan naming one, fail with one clear error; nothing is written', async () => {
    const { env, cwd } = await orgWithout();
    const r = await runCli(['import', '--out', 'imported', '--kinds', 'scheduledEvents'], { cwd, env });
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: m3ter answered 404 to GET \/scheduledevents\/configurations: /);
    expect(lines[0]).toContain('does not serve scheduled event configurations');
    expect(lines[0]).toContain(
      'leave the scheduledEvents section, and references to them, out of the config',
    );
    expect(existsSync(path.join(cwd, 'imported'))).toBe(false);

    // A plan of a rule naming one cannot check it exists: the same error.
    writeFileSync(
      path.join(cwd, 'm3ter.yaml'),
      'notificationRules:\n  - { code: due, name: Due, description: Due, eventName: scheduled.bill.dueSoon, calculation: "true" }\n',
    );
    const plan = await runCli(['plan', 'm3ter.yaml'], { cwd, env });
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain("this org's m3ter does not serve scheduled event configurations");
  });
});
