import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { runCli, tempDir } from './run-cli.js';
import { writeCount } from '../helpers/writes.js';

/**
 * The production guard through the built CLI, without environments: every apply to a PRODUCTION org that no prompt
 * confirmed (`--auto-approve`, a saved plan) needs `--confirm-org` naming it; a refusal is exit 3 and writes nothing.
 */

let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const CONFIG = [
  'webhooks:',
  '  - code: ops',
  '    name: Ops',
  '    description: Sends to ops',
  '    url: https://hooks.example.test/ops',
  '    credentials:',
  '      type: M3TER_SIGNED_REQUEST',
  '      apiKey: { env: HOOK_KEY }',
  '      secret: { env: HOOK_SECRET }',
  '',
].join('\n');

async function setUp(options: EmulatorOptions) {
  emulator = await startEmulator({ rateLimit: 0, ...options });
  const cwd = tempDir();
  writeFileSync(path.join(cwd, 'm3ter.yaml'), CONFIG);
  const env = {
    M3TER_ORG_ID: emulator.orgId,
    M3TER_API_KEY: emulator.apiKey,
    M3TER_API_SECRET: emulator.apiSecret,
    M3TER_BASE_URL: emulator.url,
    HOOK_KEY: 'hook-key-fake',
    HOOK_SECRET: 'hook-secret-fake',
  };
  return { cwd, env, emu: emulator };
}

/** The requests that could change the emulator's org. */
const writes = (e: RunningEmulator): number => writeCount(e.admin.counters());

describe('apply to a PRODUCTION org without a prompt', () => {
  it('is refused without --confirm-org, or with another org id, before any write; accepted with it', async () => {
    const { cwd, env, emu } = await setUp({ orgType: 'PRODUCTION' });
    const bare = await runCli(['apply', '--auto-approve'], { cwd, env });
    expect(bare.code).toBe(3);
    expect(bare.stderr).toContain(`org ${emu.orgId} is a PRODUCTION org and no --confirm-org was given`);
    expect(bare.stderr).toContain(`--confirm-org ${emu.orgId}`);
    const other = await runCli(['apply', '--auto-approve', '--confirm-org', 'some-other-org'], { cwd, env });
    expect(other.code).toBe(3);
    expect(other.stderr).toContain('--confirm-org names org some-other-org');
    expect(writes(emu)).toBe(0);
    expect(emu.admin.counters().requests['GET /organizations/{orgId}/users/me']).toBe(2);

    const ok = await runCli(['apply', '--auto-approve', '--confirm-org', emu.orgId], { cwd, env });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(emu.admin.exportState().webhooks.map((w) => w.code)).toEqual(['ops']);
  });

  it('is refused for a saved plan unless M3TER_CONFIG_CONFIRM_ORG names the org', async () => {
    const { cwd, env, emu } = await setUp({ orgType: 'PRODUCTION' });
    expect((await runCli(['plan', '--out', 'plan.json'], { cwd, env })).code).toBe(0);
    const refused = await runCli(['apply', 'plan.json'], { cwd, env });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('PRODUCTION');
    expect(writes(emu)).toBe(0);
    const ok = await runCli(['apply', 'plan.json'], {
      cwd,
      env: { ...env, M3TER_CONFIG_CONFIRM_ORG: emu.orgId },
    });
    expect(ok.code).toBe(0);
    expect(writes(emu)).toBeGreaterThan(0);
  });

  it('needs nothing more for a SANDBOX org', async () => {
    const { cwd, env } = await setUp({ orgType: 'SANDBOX' });
    const r = await runCli(['apply', '--auto-approve'], { cwd, env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('without environments, goes on with a warning when users/me cannot be read', async () => {
    const { cwd, env, emu } = await setUp({ orgType: 'PRODUCTION', usersMeEndpoint: 'forbidden' });
    const r = await runCli(['apply', '--auto-approve'], { cwd, env });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      'warning: the kind of the org (PRODUCTION or SANDBOX) is not known: m3ter answered 403 to GET /users/me',
    );
    expect(writes(emu)).toBeGreaterThan(0);
  });
});
