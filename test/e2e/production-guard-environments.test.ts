import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { runCli, tempDir } from './run-cli.js';
import { writeCount } from '../helpers/writes.js';

/**
 * The production guard with environments, through the built CLI against two emulators (one SANDBOX, one
 * PRODUCTION org): the wrong org id, the wrong kind of org, and an org whose kind cannot be read are refused before
 * any write; a saved plan applies only under its own environment.
 */

const running: RunningEmulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

async function emulatorOf(options: EmulatorOptions): Promise<RunningEmulator> {
  const e = await startEmulator({ rateLimit: 0, ...options });
  running.push(e);
  return e;
}

/** The requests that could change the emulator's org. */
const writes = (e: RunningEmulator): number => writeCount(e.admin.counters());

/** Two environments; the org ids given, each reading its target from variables of its own. */
function project(sandboxOrg: string, productionOrg: string): string {
  const cwd = tempDir();
  writeFileSync(
    path.join(cwd, 'm3ter.yaml'),
    [
      'environments:',
      '  sandbox:',
      `    orgId: ${sandboxOrg}`,
      '    production: false',
      '    vars: { receiverBase: https://sandbox.example.test }',
      '    target: { apiKey: { env: SB_KEY }, apiSecret: { env: SB_SECRET }, baseUrl: { env: SB_URL } }',
      '  production:',
      `    orgId: ${productionOrg}`,
      '    production: true',
      '    vars: { receiverBase: https://example.test }',
      '    target: { apiKey: { env: PROD_KEY }, apiSecret: { env: PROD_SECRET }, baseUrl: { env: PROD_URL } }',
      'webhooks:',
      '  - code: ops',
      '    name: Ops',
      '    description: Sends to ops',
      '    url: "${var:receiverBase}/m3ter"',
      '    credentials:',
      '      type: M3TER_SIGNED_REQUEST',
      '      apiKey: { env: HOOK_KEY }',
      '      secret: { env: HOOK_SECRET }',
      '',
    ].join('\n'),
  );
  return cwd;
}

function envOf(sandbox: RunningEmulator, production: RunningEmulator): Record<string, string> {
  return {
    SB_KEY: sandbox.apiKey,
    SB_SECRET: sandbox.apiSecret,
    SB_URL: sandbox.url,
    PROD_KEY: production.apiKey,
    PROD_SECRET: production.apiSecret,
    PROD_URL: production.url,
    HOOK_KEY: 'hook-key-fake',
    HOOK_SECRET: 'hook-secret-fake',
  };
}

describe('the production guard with environments', () => {
  it('applies each environment to its own org, the production one only with --confirm-org', async () => {
    const sandbox = await emulatorOf({ orgId: 'org-sandbox', orgType: 'SANDBOX' });
    const production = await emulatorOf({ orgId: 'org-production', orgType: 'PRODUCTION' });
    const cwd = project('org-sandbox', 'org-production');
    const env = envOf(sandbox, production);
    const sb = await runCli(['apply', '--env', 'sandbox', '--auto-approve'], { cwd, env });
    expect(sb.stderr).toBe('');
    expect(sb.code).toBe(0);
    expect(sandbox.admin.exportState().webhooks[0]?.url).toBe('https://sandbox.example.test/m3ter');

    const unconfirmed = await runCli(['apply', '--env', 'production', '--auto-approve'], { cwd, env });
    expect(unconfirmed.code).toBe(3);
    expect(unconfirmed.stderr).toContain('--confirm-org org-production');
    expect(writes(production)).toBe(0);
    const pr = await runCli(
      ['apply', '--env', 'production', '--auto-approve', '--confirm-org', 'org-production'],
      {
        cwd,
        env,
      },
    );
    expect(pr.code).toBe(0);
    expect(production.admin.exportState().webhooks[0]?.url).toBe('https://example.test/m3ter');
    for (const name of ['sandbox', 'production']) {
      const again = await runCli(['plan', '--env', name, '--detailed-exitcode'], { cwd, env });
      expect(again.code, again.stderr).toBe(0);
    }
  });

  it('refuses the production config aimed at the sandbox org before any read or write', async () => {
    const sandbox = await emulatorOf({ orgId: 'org-sandbox', orgType: 'SANDBOX' });
    const production = await emulatorOf({ orgId: 'org-production', orgType: 'PRODUCTION' });
    const cwd = project('org-sandbox', 'org-production');
    // The production environment's variables point at the sandbox org's emulator and id.
    const env = {
      ...envOf(sandbox, production),
      PROD_KEY: sandbox.apiKey,
      PROD_SECRET: sandbox.apiSecret,
      PROD_URL: sandbox.url,
      M3TER_ORG_ID: 'org-sandbox',
    };
    for (const args of [
      ['plan', '--env', 'production'],
      ['apply', '--env', 'production', '--auto-approve', '--confirm-org', 'org-sandbox'],
      ['drift', '--env', 'production'],
      ['graph', '--plan', '--env', 'production'],
    ]) {
      const r = await runCli(args, { cwd, env });
      expect(r.code, args.join(' ')).toBe(3);
      expect(r.stderr).toContain(
        'environment production is for org org-production, but the target is org org-sandbox',
      );
    }
    expect(sandbox.admin.counters().total).toBe(0);
  });

  it('refuses an org of the wrong kind, in plan and apply, before any write', async () => {
    // A "sandbox" environment whose org is in fact a PRODUCTION org.
    const sandbox = await emulatorOf({ orgId: 'org-sandbox', orgType: 'PRODUCTION' });
    const production = await emulatorOf({ orgId: 'org-production', orgType: 'PRODUCTION' });
    const cwd = project('org-sandbox', 'org-production');
    const env = envOf(sandbox, production);
    const plan = await runCli(['plan', '--env', 'sandbox'], { cwd, env });
    expect(plan.code).toBe(3);
    expect(plan.stderr).toContain(
      'environment sandbox has production: false, but org org-sandbox is a PRODUCTION org',
    );
    const apply = await runCli(['apply', '--env', 'sandbox', '--auto-approve'], { cwd, env });
    expect(apply.code).toBe(3);
    expect(writes(sandbox)).toBe(0);
  });

  it('refuses when users/me cannot be read, unless --allow-unknown-org-type (or its variable) says to go on', async () => {
    const sandbox = await emulatorOf({ orgId: 'org-sandbox', usersMeEndpoint: 'forbidden' });
    const production = await emulatorOf({ orgId: 'org-production', orgType: 'PRODUCTION' });
    const cwd = project('org-sandbox', 'org-production');
    const env = envOf(sandbox, production);
    const refused = await runCli(['apply', '--env', 'sandbox', '--auto-approve'], { cwd, env });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('m3ter answered 403 to GET /users/me');
    expect(refused.stderr).toContain('--allow-unknown-org-type');
    expect(writes(sandbox)).toBe(0);
    const allowed = await runCli(
      ['apply', '--env', 'sandbox', '--auto-approve', '--allow-unknown-org-type'],
      {
        cwd,
        env,
      },
    );
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toContain('going on because of --allow-unknown-org-type');
    expect(writes(sandbox)).toBeGreaterThan(0);
    const byVariable = await runCli(['plan', '--env', 'sandbox'], {
      cwd,
      env: { ...env, M3TER_CONFIG_ALLOW_UNKNOWN_ORG_TYPE: '1' },
    });
    expect(byVariable.code).toBe(0);
  });

  it('applies a saved plan under its own environment, and refuses another --env', async () => {
    const sandbox = await emulatorOf({ orgId: 'org-sandbox', orgType: 'SANDBOX' });
    const production = await emulatorOf({ orgId: 'org-production', orgType: 'PRODUCTION' });
    const cwd = project('org-sandbox', 'org-production');
    const env = envOf(sandbox, production);
    expect((await runCli(['plan', '--env', 'sandbox', '--out', 'sandbox.plan'], { cwd, env })).code).toBe(0);
    const other = await runCli(['apply', 'sandbox.plan', '--env', 'production'], { cwd, env });
    expect(other.code).toBe(3);
    expect(other.stderr).toContain('the saved plan was made for environment sandbox, not production');
    expect(writes(sandbox) + writes(production)).toBe(0);
    const record = path.join(cwd, 'record.json');
    const ok = await runCli(['apply', 'sandbox.plan', '--record', record], { cwd, env });
    expect(ok.code, ok.stderr).toBe(0);
    expect(writes(sandbox)).toBeGreaterThan(0);
    const { readFileSync } = await import('node:fs');
    expect(JSON.parse(readFileSync(record, 'utf8'))).toMatchObject({
      environment: { name: 'sandbox', orgId: 'org-sandbox', production: false },
      orgType: 'SANDBOX',
    });
    const saved = JSON.parse(readFileSync(path.join(cwd, 'sandbox.plan'), 'utf8'));
    expect(saved.plan).toMatchObject({ environment: { name: 'sandbox' }, orgType: 'SANDBOX' });
  });

  it('runs embedded as the environment org, in .m3ter/local-NAME.json, and warns in CI', async () => {
    const cwd = project('org-sandbox', 'org-production');
    const env = { HOOK_KEY: 'hook-key-fake', HOOK_SECRET: 'hook-secret-fake', CI: 'true' };
    const sb = await runCli(['apply', '--env', 'sandbox', '--auto-approve'], { cwd, env });
    expect(sb.code, sb.stderr).toBe(0);
    expect(sb.stdout).toContain(
      `local m3ter emulator (state ${path.join('.m3ter', 'local-sandbox.json')}), org org-sandbox`,
    );
    expect(sb.stderr).toContain(
      'warning: environment sandbox names its target in SB_KEY, SB_SECRET, SB_URL, but none is set',
    );
    const { existsSync } = await import('node:fs');
    expect(existsSync(path.join(cwd, '.m3ter', 'local-sandbox.json'))).toBe(true);
    // The production environment's local org is a PRODUCTION org: an unprompted apply needs --confirm-org.
    const pr = await runCli(['apply', '--env', 'production', '--auto-approve'], { cwd, env });
    expect(pr.code).toBe(3);
    expect(pr.stderr).toContain('org org-production is a PRODUCTION org');
    expect(existsSync(path.join(cwd, '.m3ter', 'local-production.json'))).toBe(true);
  });
});
