import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { BIN, runCli, spawnCli, tempDir } from './run-cli.js';

const RULES = 80;

/** A folder with a config of RULES notification rules: one level, so apply runs 12 at a time. */
function rulesConfig(): string {
  const cwd = tempDir();
  const rules = Array.from(
    { length: RULES },
    (_, i) =>
      `  - code: rule_${String(i).padStart(3, '0')}\n    name: Rule ${i}\n    description: Rule ${i}\n    eventName: billing.bill.created\n`,
  );
  writeFileSync(path.join(cwd, 'm3ter.yaml'), `notificationRules:\n${rules.join('')}`);
  return cwd;
}

function targetEnv(emu: RunningEmulator): Record<string, string> {
  return {
    M3TER_BASE_URL: emu.url,
    M3TER_ORG_ID: emu.orgId,
    M3TER_API_KEY: emu.apiKey,
    M3TER_API_SECRET: emu.apiSecret,
  };
}

/** The account's figures from `Apply interrupted: ... X of N changes applied (...), F failed, M not attempted`. */
function account(stdout: string): { applied: number; failed: number; notAttempted: number } {
  const m = /(\d+) of (\d+) changes applied \([^)]*\), (\d+) failed, (\d+) not attempted/.exec(stdout);
  expect(m, stdout).not.toBeNull();
  const [, applied, total, failed, notAttempted] = (m as RegExpExecArray).map(Number);
  expect(applied! + failed! + notAttempted!).toBe(total);
  return { applied: applied!, failed: failed!, notAttempted: notAttempted! };
}

let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe.each([
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const)('apply stopped by %s', (signal, exitCode) => {
  it(`stops starting changes, lets those in flight finish, prints the account, exits ${exitCode}; a rerun finishes`, async () => {
    emulator = await startEmulator({ latencyMs: 300, rateLimit: 0 });
    const cwd = rulesConfig();
    const env = targetEnv(emulator);
    const run = spawnCli(process.execPath, [BIN, 'apply', '--auto-approve'], { cwd, env });
    await run.waitFor(/^\+ notification rule "rule_\d+" created/m);
    run.child.kill(signal);
    const r = await run.done;
    expect(r.code).toBe(exitCode);
    expect(r.stderr).toContain(`${signal}: stopping; no new change starts.`);
    expect(r.stdout).toContain('Apply interrupted: no new change was started');
    const { applied, failed, notAttempted } = account(r.stdout);
    expect(failed).toBe(0);
    expect(applied).toBeGreaterThan(0);
    expect(notAttempted).toBeGreaterThan(0);
    expect(r.stdout).toContain('Run apply again to finish the job');
    // What the account says was applied is exactly what the org holds.
    expect(emulator.admin.exportState().notifications).toHaveLength(applied);

    const again = await runCli(['apply', '--auto-approve'], { cwd, env });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`Plan: ${notAttempted} to create, 0 to update, 0 to delete.`);
    const plan = await runCli(['plan', '--detailed-exitcode'], { cwd, env });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('No changes');
  });
});

describe('a second signal during apply', () => {
  it('does not cut the writes in flight off: it says what it waits for, then the run ends as after one', async () => {
    emulator = await startEmulator({ latencyMs: 1500, rateLimit: 0 });
    const cwd = rulesConfig();
    const env = targetEnv(emulator);
    const run = spawnCli(process.execPath, [BIN, 'apply', '--auto-approve'], { cwd, env });
    await run.waitFor(/^\+ notification rule "rule_\d+" created/m);
    run.child.kill('SIGINT');
    await run.waitFor(/SIGINT: stopping/, 'stderr');
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.stderr).toMatch(
      /SIGINT again: waiting for \d+ in-flight changes? to finish \(at most \d+ s more\), so that no write is cut off/,
    );
    expect(r.code).toBe(130);
    const { applied, failed } = account(r.stdout);
    expect(failed).toBe(0);
    expect(emulator.admin.exportState().notifications).toHaveLength(applied);
  });
});

describe('plan stopped by SIGTERM', () => {
  it('exits 143 at once, in the middle of its reads, and leaves an existing plan file as it was', async () => {
    // Every read takes 20 s: the plan can only end promptly by stopping.
    emulator = await startEmulator({ latencyMs: 20_000, rateLimit: 0 });
    const cwd = rulesConfig();
    const planFile = path.join(cwd, 'plan.json');
    writeFileSync(planFile, 'the previous plan\n');
    const run = spawnCli(process.execPath, [BIN, 'plan', '-out=plan.json'], {
      cwd,
      env: targetEnv(emulator),
    });
    const reading = emulator;
    // Wait until the plan is reading the org (an event: the emulator counted the list request).
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if (reading.admin.counters().total > 0) resolve();
        else setTimeout(check, 10);
      };
      check();
    });
    const signalledAt = Date.now();
    run.child.kill('SIGTERM');
    const r = await run.done;
    expect(r.code).toBe(143);
    expect(Date.now() - signalledAt).toBeLessThan(10_000);
    expect(r.stderr).toContain('Plan interrupted by SIGTERM; plan.json was not written');
    expect(r.stdout).toBe('');
    expect(readFileSync(planFile, 'utf8')).toBe('the previous plan\n');
  });
});
