import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { runCli, tempDir } from './run-cli.js';

/**
 * plan and apply check the rules they create or change against the org before any write: a misspelt event name
 * and a calculation m3ter rejects are refused at their line and column with nothing written; --skip-online-checks
 * proceeds with a warning; an org without GET /events/types falls back with a warning; a rule left as it is is not
 * checked again.
 */

const CONFIG = `notificationRules:
  - code: misspelt
    name: Misspelt
    description: A typo in the event name
    eventName: billing.bill.creatd
  - code: symbols
    name: Symbols
    description: m3ter refuses && (the offline check only warns)
    eventName: configuration.commitment.updated
    calculation: new.amount > 1 && old.amount > 1
`;

const TYPES = 'GET /organizations/{orgId}/events/types';
const EVALUATE = 'POST /organizations/{orgId}/notifications/evaluate';

describe('online checks through the CLI', () => {
  let emu: RunningEmulator | undefined;
  afterEach(async () => {
    await emu?.close();
    emu = undefined;
  });

  async function setUp(options: EmulatorOptions = {}): Promise<{ dir: string; env: Record<string, string> }> {
    emu = await startEmulator(options);
    const dir = tempDir();
    writeFileSync(path.join(dir, 'm3ter.yaml'), CONFIG);
    return {
      dir,
      env: {
        M3TER_ORG_ID: emu.orgId,
        M3TER_API_KEY: emu.apiKey,
        M3TER_API_SECRET: emu.apiSecret,
        M3TER_BASE_URL: emu.url,
      },
    };
  }

  /** Requests other than reads, the token and evaluations: the writes. */
  function writes(): string[] {
    return Object.keys(emu!.admin.counters().requests).filter(
      (r) => !r.startsWith('GET ') && r !== EVALUATE && !r.includes('/oauth/token'),
    );
  }

  it('plan and apply refuse both rules at their line and column, with zero writes', async () => {
    const { dir, env } = await setUp();
    for (const command of [['plan'], ['apply', '--auto-approve'], ['plan', '--out', 'saved.plan']]) {
      const r = await runCli(command, { cwd: dir, env });
      const text = r.stdout + r.stderr;
      expect(r.code, command.join(' ')).toBe(1);
      expect(text).toContain(
        'm3ter.yaml:5:16 /notificationRules/0/eventName: event type "billing.bill.creatd"',
      );
      expect(text).toContain('hint: did you mean billing.bill.created?');
      expect(text).toContain(
        'm3ter.yaml:10:33 /notificationRules/1/calculation: m3ter refuses this calculation',
      );
      expect(text).toContain('Nothing was changed in the API');
    }
    expect(writes()).toEqual([]);
    expect(emu!.admin.counters().requests[TYPES]).toBe(3);
    const state = emu!.admin.exportState();
    expect([state.webhooks, state.notifications, state.integrationConfigs].map((l) => l.length)).toEqual([
      0, 0, 0,
    ]);
    expect(await runCli(['apply', 'saved.plan'], { cwd: dir, env }).then((r) => r.code)).toBe(1);
  });

  it('--skip-online-checks warns every time and proceeds; the rules left as they are are not checked again', async () => {
    const { dir, env } = await setUp();
    const planned = await runCli(['plan', '--skip-online-checks'], { cwd: dir, env });
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.stderr).toMatch(
      /warning: --skip-online-checks: the event names and calculations of 2 created/,
    );
    const applied = await runCli(['apply', '--auto-approve', '--skip-online-checks'], { cwd: dir, env });
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stderr).toMatch(/online_checks_skipped/);
    expect(emu!.admin.counters().requests[TYPES]).toBeUndefined();
    expect(emu!.admin.counters().requests[EVALUATE]).toBeUndefined();
    // Both rules are live now; a plan without the flag leaves them alone and checks nothing.
    emu!.admin.resetCounters();
    const again = await runCli(['plan', '--detailed-exitcode'], { cwd: dir, env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toMatch(/online_check|unknown_event_name|refuses/);
    expect(emu!.admin.counters().requests[TYPES]).toBeUndefined();
    expect(emu!.admin.counters().requests[EVALUATE]).toBeUndefined();
    // A saved plan is applied on the checks its plan made: the flag belongs to plan.
    const out = await runCli(['plan', '--skip-online-checks', '--out', 'saved.plan'], { cwd: dir, env });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toMatch(/online_checks_skipped/);
    const saved = await runCli(['apply', 'saved.plan', '--skip-online-checks'], { cwd: dir, env });
    expect(saved.code).toBe(1);
    expect(saved.stderr).toMatch(/--skip-online-checks are plan options/);
  });

  it('falls back to the offline check with a warning when the org answers 404 to GET /events/types', async () => {
    const { dir, env } = await setUp({ eventTypesEndpoint: 'absent' });
    writeFileSync(path.join(dir, 'm3ter.yaml'), CONFIG.split('  - code: symbols')[0]!);
    const r = await runCli(['plan', '--out', 'saved.plan'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      'm3ter.yaml:5:16 /notificationRules/0/eventName: warning: m3ter answered 404 to GET /events/types',
    );
    const applied = await runCli(['apply', 'saved.plan'], { cwd: dir, env });
    expect(applied.code, applied.stderr).toBe(0);
    expect(emu!.admin.exportState().notifications.map((n) => n.code)).toEqual(['misspelt']);
  });
});
