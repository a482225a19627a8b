import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { runCli, tempDir } from './run-cli.js';
import { writeCount } from '../helpers/writes.js';

/**
 * The production guard, attacked: an unconfirmed write to a PRODUCTION org must not slip through a gap between the
 * plan and the apply (users/me readable for one and not for the other).
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

function envOf(e: RunningEmulator): Record<string, string> {
  return {
    M3TER_ORG_ID: e.orgId,
    M3TER_API_KEY: e.apiKey,
    M3TER_API_SECRET: e.apiSecret,
    M3TER_BASE_URL: e.url,
    HOOK_KEY: 'hook-key-fake',
    HOOK_SECRET: 'hook-secret-fake',
  };
}

/** The requests that could change the emulator's org. */
const writes = (e: RunningEmulator): number => writeCount(e.admin.counters());

/** The same org on the same address, restarted with other options (another service user's view of it). */
async function restart(options: EmulatorOptions): Promise<RunningEmulator> {
  const port = Number(new URL(emulator!.url).port);
  await emulator!.close();
  emulator = await startEmulator({ rateLimit: 0, port, ...options });
  return emulator;
}

describe('a saved plan of a PRODUCTION org', () => {
  it('still needs --confirm-org when users/me cannot be read at apply time: the plan says the org is PRODUCTION', async () => {
    emulator = await startEmulator({ rateLimit: 0, orgType: 'PRODUCTION' });
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'm3ter.yaml'), CONFIG);
    const planned = await runCli(['plan', '--out', 'plan.json'], { cwd, env: envOf(emulator) });
    expect(planned.code).toBe(0);

    const emu = await restart({ orgType: 'PRODUCTION', usersMeEndpoint: 'forbidden' });
    const refused = await runCli(['apply', 'plan.json'], { cwd, env: envOf(emu) });
    expect(refused.stderr).toContain('PRODUCTION');
    expect(refused.code).toBe(3);
    expect(writes(emu)).toBe(0);

    const ok = await runCli(['apply', 'plan.json', '--confirm-org', emu.orgId], { cwd, env: envOf(emu) });
    expect(ok.code).toBe(0);
    expect(writes(emu)).toBeGreaterThan(0);
  });
});

describe('a declared target run embedded in CI', () => {
  it('is warned of by every command that opens the org, not only plan and apply', async () => {
    const cwd = tempDir();
    writeFileSync(
      path.join(cwd, 'm3ter.yaml'),
      [
        'environments:',
        '  sandbox:',
        '    orgId: org-sandbox',
        '    production: false',
        '    target: { apiKey: { env: SB_KEY }, apiSecret: { env: SB_SECRET } }',
        CONFIG,
      ].join('\n'),
    );
    const env = { HOOK_KEY: 'hook-key-fake', HOOK_SECRET: 'hook-secret-fake', CI: 'true' };
    const warning = 'warning: environment sandbox names its target in SB_KEY, SB_SECRET, but none is set';
    for (const args of [
      ['drift', '--env', 'sandbox'],
      ['graph', '--env', 'sandbox', '--plan'],
      ['validate', '--env', 'sandbox', '--online'],
    ]) {
      const r = await runCli(args, { cwd, env });
      expect(r.stderr, args.join(' ')).toContain(warning);
    }
  });
});

describe("the embedded emulator given another environment's state file", () => {
  it('is refused by drift (which opens it read-only) as by plan: it holds another org, of another kind', async () => {
    const cwd = tempDir();
    writeFileSync(
      path.join(cwd, 'm3ter.yaml'),
      [
        'environments:',
        '  sandbox: { orgId: org-sandbox, production: false }',
        '  production: { orgId: org-production, production: true }',
        CONFIG,
      ].join('\n'),
    );
    const env = { HOOK_KEY: 'hook-key-fake', HOOK_SECRET: 'hook-secret-fake' };
    const applied = await runCli(['apply', '--env', 'sandbox', '--auto-approve'], { cwd, env });
    expect(applied.code, applied.stderr).toBe(0);
    const other = ['--env', 'production', '--state-file', path.join('.m3ter', 'local-sandbox.json')];
    const plan = await runCli(['plan', ...other], { cwd, env });
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('holds org org-sandbox');
    const drift = await runCli(['drift', ...other], { cwd, env });
    expect(drift.stderr).toContain('holds org org-sandbox');
    expect(drift.code).toBe(1);
  });
});
