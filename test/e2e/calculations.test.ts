import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { runCli, tempDir } from './run-cli.js';

/**
 * The documented calculations and the documented functions, end to end: `validate` accepts them, `apply` writes
 * them to the emulator, and each rule fires there for an event that meets its condition and not for one that does
 * not. A calculation m3ter would refuse is refused by validate, plan and apply at its character, with nothing written.
 */

const RULES: Record<string, string> = {
  // The SPEC's example, as its JSON string holds it: a trailing space, then a line break before AND.
  spec_example: `|
      (new.amountSpent >= ((new.amount*90)/100)) 
      AND ((old.amountSpent <= ((old.amount*90)/100)) OR (old.amountSpent == null))`,
  // The docs' worked example, split over two lines as printed.
  docs_example: `>-
      (new.amountSpent >= ((new.amount*100)/90))
      AND ((old.amountSpent <= ((old.amount*100)/90)) OR (old.amountSpent == null))`,
  max_rule: 'Math.max(new.amount, old.amount) >= 1000',
  abs_rule: 'Math.abs(new.amount - old.amount) >= 500',
  isnull_rule: 'isnull(old.amountSpent, 0) == 0 AND new.amountSpent > 0',
  ternary_rule: '"(new.amount > 100 ? new.amountSpent : 0) > 50"',
  power_rule: 'new.amount ^ 2 > 40000',
};

/** Events of configuration.commitment.updated, and exactly the rules each must fire. */
const EVENTS: [Record<string, unknown>, Record<string, unknown>, string[]][] = [
  [{ amount: 100, amountSpent: 95 }, { amount: 100, amountSpent: 50 }, ['spec_example']],
  [
    { amount: 1500, amountSpent: 120 },
    { amount: 900, amountSpent: null },
    ['abs_rule', 'isnull_rule', 'max_rule', 'power_rule', 'ternary_rule'],
  ],
  [{ amount: 100, amountSpent: 120 }, { amount: 100, amountSpent: 100 }, ['docs_example']],
  [{ amount: 50, amountSpent: 0 }, { amount: 50, amountSpent: 0 }, []],
];

function configText(url: string, rules: Record<string, string>): string {
  const codes = Object.keys(rules);
  return `webhooks:
  - code: receiver
    name: Receiver
    description: Receives the notifications
    url: ${url}
    credentials:
      apiKey: { env: HOOK_KEY }
      secret: { env: HOOK_SECRET }
notificationRules:
${codes
  .map(
    (code) => `  - code: ${code}
    name: ${code}
    description: ${code}
    eventName: configuration.commitment.updated
    calculation: ${rules[code]}
`,
  )
  .join('')}links:
${codes.map((code) => `  - rule: ${code}\n    webhook: receiver\n`).join('')}`;
}

describe('calculations end to end', () => {
  let emu: RunningEmulator | undefined;
  let server: Server | undefined;
  afterEach(async () => {
    await emu?.close();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    emu = server = undefined;
  });

  async function setUp(): Promise<{ dir: string; env: Record<string, string>; url: string }> {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200).end());
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    emu = await startEmulator({ deliveryAutoRetry: false });
    return {
      dir: tempDir(),
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
      env: {
        M3TER_ORG_ID: emu.orgId,
        M3TER_API_KEY: emu.apiKey,
        M3TER_API_SECRET: emu.apiSecret,
        M3TER_BASE_URL: emu.url,
        HOOK_KEY: 'calc-hook-key',
        HOOK_SECRET: 'calc-hook-secret',
      },
    };
  }

  it('validate, apply, and each rule fires exactly when its condition holds', async () => {
    const { dir, env, url } = await setUp();
    writeFileSync(path.join(dir, 'm3ter.yaml'), configText(url, RULES));
    const validated = await runCli(['validate', '--format', 'json'], { cwd: dir, env });
    expect(validated.code, validated.stdout + validated.stderr).toBe(0);
    expect(JSON.parse(validated.stdout).issues).toEqual([]);
    const applied = await runCli(['apply', '--auto-approve'], { cwd: dir, env });
    expect(applied.code, applied.stderr).toBe(0);
    for (const [now, before, codes] of EVENTS) {
      const r = await emu!.admin.fireEvent({
        eventName: 'configuration.commitment.updated',
        new: now,
        old: before,
      });
      expect(r.fired.map((f) => f.code).sort(), JSON.stringify([now, before])).toEqual(codes);
      expect(r.skipped.map((s) => s.reason)).toEqual(
        Array<string>(Object.keys(RULES).length - codes.length).fill('the calculation is false'),
      );
      expect(r.deliveries.map((d) => d.status)).toEqual(codes.map(() => 'delivered'));
    }
  });

  it('refuses new.amount = 5 at its character in validate, plan and apply, writing nothing', async () => {
    const { dir, env, url } = await setUp();
    writeFileSync(
      path.join(dir, 'm3ter.yaml'),
      configText(url, { bad_rule: '|\n      new.amountSpent > 1 AND\n      new.amount = 5' }),
    );
    // The `=` is on line 16 (the second line of the block), column 18.
    const validated = await runCli(['validate'], { cwd: dir, env });
    expect(validated.code).toBe(1);
    const text = validated.stdout + validated.stderr;
    expect(text).toContain('m3ter.yaml:16:18');
    expect(text).toMatch(/'=' is not a comparison/);
    expect(text).toMatch(/write == to compare/);
    for (const command of [['plan'], ['apply', '--auto-approve']]) {
      const r = await runCli(command, { cwd: dir, env });
      expect(r.code, command[0]).not.toBe(0);
      expect(r.stdout + r.stderr, command[0]).toContain('m3ter.yaml:16:18');
    }
    const state = emu!.admin.exportState();
    expect([state.webhooks, state.notifications, state.integrationConfigs].map((l) => l.length)).toEqual([
      0, 0, 0,
    ]);
  });
});
