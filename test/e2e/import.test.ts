import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { apiSeeder } from '../helpers/seed-api.js';
import { runCli, tempDir } from './run-cli.js';

/**
 * The "done when", as a user runs it: an emulator seeded through its m3ter API with awkward values;
 * `import --out DIR` exits 0, `validate DIR` exits 0, `plan DIR` with the variables set shows only the adoption of
 * webhook secrets, `apply` once, then the plan is empty; no secret value is in any written file.
 */

const SECRETS = ['yes: e2e-api-key-a', 'api key: with # and "quotes"', 'null\nline', 'sëcret-\u202E-ü'];

describe('m3ter-config import (e2e)', () => {
  let emulator: RunningEmulator;
  let env: Record<string, string>;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, rateLimit: 0 });
    env = {
      M3TER_ORG_ID: emulator.orgId,
      M3TER_API_KEY: emulator.apiKey,
      M3TER_API_SECRET: emulator.apiSecret,
      M3TER_BASE_URL: emulator.url,
    };
    const api = await apiSeeder(emulator);
    const hookA = await api.webhook({
      code: 'yes',
      name: '- Billing: alerts # prod ',
      description: 'null',
      url: 'https://hooks.example.com/m3ter?team=a:b#frag',
      credentials: {
        type: 'M3TER_SIGNED_REQUEST',
        apiKey: SECRETS[0],
        secret: SECRETS[1],
        destination: 'WEBHOOK',
      },
    });
    const hookB = await api.webhook({
      code: '0123',
      name: '~',
      description: '\ttabbed\u202Ebidi 日本 🚀',
      url: 'https://hooks.example.com/b',
      active: false,
      credentials: {
        type: 'M3TER_SIGNED_REQUEST',
        apiKey: SECRETS[2],
        secret: SECRETS[3],
        destination: 'WEBHOOK',
      },
    });
    const rule = await api.rule({
      code: 'null',
      name: 'off',
      description: 'a: b',
      eventName: 'configuration.commitment.updated',
      calculation:
        '(new.amountSpent >= ((new.amount*90)/100))\n  AND (old.amountSpent < ((old.amount*90)/100))\n',
      active: true,
      alwaysFireEvent: false,
    });
    await api.config({
      entityType: 'Notification',
      destination: 'Webhook',
      entityId: rule.id,
      destinationId: hookA.id,
      configData: {},
    });
    await api.config({
      entityType: 'Notification',
      destination: 'Webhook',
      entityId: rule.id,
      destinationId: hookB.id,
      configData: {},
    });
    const credential = await api.credential({
      name: ' Stripe: main ',
      destination: 'STRIPE',
      type: 'STRIPE_SIGNED_REQUEST',
      settings: {},
      secrets: { signingKey: 'whsec_e2e_signing' },
    });
    await api.config({
      entityType: 'Bill',
      destination: 'Stripe',
      integrationCredentialsId: credential.id,
      configData: { yes: 'no', '# hash': ['~', 12, '0123'], multi: 'one\ntwo' },
    });
  });
  afterAll(async () => emulator.close());

  it('imports, validates, plans only secret adoption, applies once, then plans empty; no secret is written', async () => {
    const cwd = tempDir();
    const imported = await runCli(['import', '--out', 'org'], { cwd, env });
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain(
      'Imported 1 integration credential, 1 integration, 2 webhooks, 0 scheduled events, 1 notification rule, 2 links.',
    );
    expect(imported.stdout).toContain('org/m3ter.env.template');

    const validated = await runCli(['validate', 'org'], { cwd, env });
    expect(validated.code).toBe(0);

    // The template lists every variable, names only; fill it in as a user would.
    const template = readFileSync(path.join(cwd, 'org/m3ter.env.template'), 'utf8');
    const names = [...template.matchAll(/^([A-Z0-9_]+)=$/gm)].map((m) => m[1] as string);
    expect(names).toEqual([
      'M3TER_0123_WEBHOOK_API_KEY',
      'M3TER_0123_WEBHOOK_SECRET',
      'STRIPE_STRIPE_MAIN_SIGNING_KEY',
      'YES_WEBHOOK_API_KEY',
      'YES_WEBHOOK_SECRET',
    ]);
    const values: Record<string, string> = {
      YES_WEBHOOK_API_KEY: 'e2e-key-a',
      YES_WEBHOOK_SECRET: 'e2e-secret-a',
      M3TER_0123_WEBHOOK_API_KEY: 'e2e-key-b',
      M3TER_0123_WEBHOOK_SECRET: 'e2e-secret-b',
      STRIPE_STRIPE_MAIN_SIGNING_KEY: 'whsec_e2e_signing',
    };
    writeFileSync(
      path.join(cwd, 'vars.env'),
      Object.entries(values)
        .map(([k, v]) => `${k}=${v}\n`)
        .join(''),
    );

    const plan = await runCli(['plan', 'org', '--env-file', 'vars.env'], { cwd, env });
    expect(plan.code).toBe(0);
    const changeLines = plan.stdout.split('\n').filter((l) => /^[+~-] /.test(l) || /^ {4}\S/.test(l));
    expect(changeLines).toEqual([
      '~ webhook "0123"',
      expect.stringMatching(/^ {4}secrets: \(sensitive\) -> \(sensitive\) {2}\(adopt secret: /),
      '~ webhook "yes"',
      expect.stringMatching(/^ {4}secrets: \(sensitive\) -> \(sensitive\) {2}\(adopt secret: /),
    ]);
    expect(plan.stdout).toContain('Plan: 0 to create, 2 to update (all only adopting secrets), 0 to delete.');

    const apply = await runCli(['apply', 'org', '--env-file', 'vars.env', '--auto-approve'], { cwd, env });
    expect(apply.code).toBe(0);
    const after = await runCli(['plan', 'org', '--env-file', 'vars.env', '--detailed-exitcode'], {
      cwd,
      env,
    });
    expect(after.stdout).toContain('No changes.');
    expect(after.code).toBe(0);

    // No secret value, neither m3ter's (never returned) nor the ones set, in any file written.
    for (const name of readdirSync(path.join(cwd, 'org'))) {
      const text = readFileSync(path.join(cwd, 'org', name), 'utf8');
      for (const secret of [...SECRETS, ...Object.values(values)])
        expect(text.includes(secret), name).toBe(false);
    }
    for (const run of [imported, validated, plan, apply, after])
      for (const secret of [...SECRETS, ...Object.values(values)])
        expect(run.stdout + run.stderr).not.toContain(secret);

    // A second import into the same folder refuses to overwrite, naming --force.
    const again = await runCli(['import', '--out', 'org'], { cwd, env });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('import would overwrite org/m3ter.yaml, org/m3ter.env.template');
    expect(again.stderr).toContain('--force');
  });

  it('exits 5 and says what it could not write, with the way forward', async () => {
    const api = await apiSeeder(emulator);
    const codeless = await api.webhook({
      name: 'Made in the Console',
      description: 'no code',
      url: 'https://hooks.example.com/c',
      credentials: { type: 'M3TER_SIGNED_REQUEST', apiKey: 'k', secret: 's', destination: 'WEBHOOK' },
    });
    const cwd = tempDir();
    const run = await runCli(['import', '--out', 'org', '--layout', 'per-kind'], { cwd, env });
    expect(run.code).toBe(5);
    expect(run.stderr).toContain(`! webhook id ${codeless.id} has no code, so the files cannot name it`);
    expect(run.stderr).toContain('give it a code in m3ter (the Console or the API), then import again');
    expect(run.stderr).toContain(`written under ignore as "id:${codeless.id}"`);
    expect(readdirSync(path.join(cwd, 'org')).sort()).toEqual([
      'credentials.yaml',
      'integrations.yaml',
      'links.yaml',
      'm3ter.env.template',
      'notificationRules.yaml',
      'scheduledEvents.yaml',
      'webhooks.yaml',
    ]);
    expect((await runCli(['validate', 'org'], { cwd, env })).code).toBe(0);
  });

  it('takes --kinds (adding what they reference, and saying so), --only-unmanaged, and explains its usage errors', async () => {
    const cwd = tempDir();
    const links = await runCli(['import', '--kinds', 'links', '--out', 'only-links', '--force'], {
      cwd,
      env,
    });
    expect(links.stdout).toContain(
      'Also imported, because the requested kinds reference them: webhooks, notificationRules.',
    );
    expect(readdirSync(path.join(cwd, 'only-links'))).toEqual(['m3ter.env.template', 'm3ter.yaml']);
    const text = readFileSync(path.join(cwd, 'only-links/m3ter.yaml'), 'utf8');
    expect(text).not.toMatch(/^credentials:/m);
    expect(text).toMatch(/^links:/m);

    // Adopting what drifted in: the config manages the rule and links; webhooks, credentials and integrations are new.
    const unmanaged = await runCli(
      ['import', '--only-unmanaged', 'only-links', '--kinds', 'credentials,integrations'],
      {
        cwd,
        env,
      },
    );
    expect(unmanaged.stdout).toContain('Wrote only-links/unmanaged.yaml, only-links/unmanaged.env.template.');
    const adopted = readFileSync(path.join(cwd, 'only-links/unmanaged.yaml'), 'utf8');
    expect(adopted).toMatch(/^credentials:/m);
    expect(adopted).not.toMatch(/^webhooks:/m);
    expect((await runCli(['validate', 'only-links'], { cwd, env })).code).toBe(0);

    const typo = await runCli(['import', '--kinds', 'webhoks'], { cwd, env });
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('--kinds: unknown kind "webhoks"; did you mean webhooks?');
    const stray = await runCli(['import', 'm3ter'], { cwd, env });
    expect(stray.code).toBe(1);
    expect(stray.stderr).toContain('use --out DIR, or --only-unmanaged PATH...');
    const format = await runCli(['import', '--format', 'hcl'], { cwd, env });
    expect(format.code).toBe(1);
    expect(format.stderr).toContain('--format must be one of yaml, cdktf, cdktn');
  });
});
