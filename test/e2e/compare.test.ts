import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { createSchemasAjv, SCHEMA_ID_BASE } from '../../src/schema/compile.js';
import { runApply } from '../../src/workflow/apply.js';
import { loadConfigSources } from '../../src/load/cdktf-synth.js';
import { planAgainst } from '../../src/workflow/plan.js';
import { openSession } from '../../src/workflow/session.js';
import { markdownEffects } from '../helpers/gfm.js';
import { editRuleByHand } from './hand-edit.js';
import { runCli, tempDir } from './run-cli.js';

/**
 * The issue's "done when" for compare: against two emulators on loopback, the same files (one `environments:`
 * section, each environment with its own values and its own target variables) applied to both orgs, then
 * `compare --env sandbox --env production` through the built CLI exits 0; after one org is changed by hand (a PUT
 * straight to its API) it exits 2 and names the change.
 */

const SECRETS = { HOOK_KEY: 'e2e-compare-hook-key', HOOK_SECRET: 'e2e-compare-hook-secret-value' };

const FILES = `environments:
  sandbox:
    orgId: org-sandbox-e2e
    production: false
    vars:
      receiverBase: https://sandbox.example.test
      opsActive: false
    target:
      apiKey: { env: SANDBOX_M3TER_API_KEY }
      apiSecret: { env: SANDBOX_M3TER_API_SECRET }
      baseUrl: { env: SANDBOX_M3TER_BASE_URL }
  production:
    orgId: org-production-e2e
    production: true
    vars:
      receiverBase: https://example.test
      opsActive: true
    target:
      apiKey: { env: PRODUCTION_M3TER_API_KEY }
      apiSecret: { env: PRODUCTION_M3TER_API_SECRET }
      baseUrl: { env: PRODUCTION_M3TER_BASE_URL }
webhooks:
  - code: ops
    name: Ops
    description: Ops alerts
    url: "\${var:receiverBase}/m3ter"
    active: { var: opsActive }
    credentials:
      apiKey: { env: HOOK_KEY }
      secret: { env: HOOK_SECRET }
notificationRules:
  - code: low
    name: Low balance
    description: Balance is low
    eventName: configuration.commitment.updated
links:
  - rule: low
    webhook: ops
`;

const emulators: RunningEmulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
});

/** Applies the files for one environment to its org, in this process (the files and the org as a user has them). */
async function applyFor(environment: string, emu: RunningEmulator, dir: string): Promise<void> {
  const { state, issues } = await loadConfigSources(['m3ter.yaml'], {
    env: SECRETS,
    cwd: dir,
    environment,
    missingEnv: 'error',
  });
  expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
  if (!state) throw new Error('not loaded');
  expect(state.environment?.orgId).toBe(emu.orgId);
  const session = await openSession({
    env: {
      M3TER_ORG_ID: emu.orgId,
      M3TER_API_KEY: emu.apiKey,
      M3TER_API_SECRET: emu.apiSecret,
      M3TER_BASE_URL: emu.url,
    },
    cwd: dir,
  });
  try {
    const planned = await planAgainst(state, session, { cwd: dir, onlineChecks: 'skip' });
    await runApply(session, planned.plan, { planned });
  } finally {
    await session.close();
  }
}

function targetVariables(sbx: RunningEmulator, prd: RunningEmulator): Record<string, string> {
  return {
    SANDBOX_M3TER_API_KEY: sbx.apiKey,
    SANDBOX_M3TER_API_SECRET: sbx.apiSecret,
    SANDBOX_M3TER_BASE_URL: sbx.url,
    PRODUCTION_M3TER_API_KEY: prd.apiKey,
    PRODUCTION_M3TER_API_SECRET: prd.apiSecret,
    PRODUCTION_M3TER_BASE_URL: prd.url,
  };
}

describe('compare: the done-when scenario', () => {
  it(
    '0 after the same files are applied to both orgs with their own values, 2 naming a change made by hand',
    { timeout: 90_000 },
    async () => {
      const dir = tempDir();
      writeFileSync(path.join(dir, 'm3ter.yaml'), FILES);
      const sbx = await startEmulator({ rateLimit: 0, orgId: 'org-sandbox-e2e' });
      emulators.push(sbx);
      const prd = await startEmulator({ rateLimit: 0, orgId: 'org-production-e2e' });
      emulators.push(prd);
      await applyFor('sandbox', sbx, dir);
      await applyFor('production', prd, dir);
      // The shell's own M3TER_* target points nowhere: compare reads each org with its environment's target.
      const env = {
        ...targetVariables(sbx, prd),
        M3TER_ORG_ID: 'org-of-the-shell',
        M3TER_API_KEY: 'shell-key',
        M3TER_API_SECRET: 'shell-secret',
      };
      const NOTE =
        "note: compare reads each org through its environment's target; M3TER_ORG_ID, M3TER_API_KEY, M3TER_API_SECRET are not used\n";
      const compare = (...args: string[]) =>
        runCli(['compare', '--env', 'sandbox', '--env', 'production', ...args], { cwd: dir, env });

      const same = await compare();
      expect([same.code, same.stderr]).toEqual([0, NOTE]);
      expect(same.stdout).toContain(`Compare sandbox (m3ter org org-sandbox-e2e at ${sbx.url})`);
      expect(same.stdout).toContain(
        "The orgs match: no entity of a compared kind differs. 2 fields written with a var hold each environment's own value.",
      );
      expect(same.stdout).toContain('Secrets are not compared');

      const validate = createSchemasAjv().getSchema(`${SCHEMA_ID_BASE}compare.schema.json`)!;
      const sameJson = await compare('--format', 'json');
      expect(sameJson.code).toBe(0);
      expect(validate(JSON.parse(sameJson.stdout)), JSON.stringify(validate.errors)).toBe(true);

      await editRuleByHand(prd, 'low', 'Edited by hand in production');
      const differ = await compare();
      expect([differ.code, differ.stderr]).toEqual([2, NOTE]);
      expect(differ.stdout).toContain('~ notification rule "low": differs between sandbox and production');
      expect(differ.stdout).toContain(
        'description: "Balance is low" in sandbox, "Edited by hand in production" in production',
      );
      expect(differ.stdout).toContain('The orgs differ: 1 entity');

      const json = await compare('--format', 'json');
      expect(json.code).toBe(2);
      const report = JSON.parse(json.stdout);
      expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
      expect(report.items).toEqual([
        expect.objectContaining({
          kind: 'notificationRule',
          key: 'low',
          class: 'differs',
          fields: [{ field: 'description', a: 'Balance is low', b: 'Edited by hand in production' }],
        }),
      ]);

      const md = await compare('--format', 'markdown');
      expect(md.code).toBe(2);
      expect(md.stdout).toContain('#### notification rule');
      expect(markdownEffects(md.stdout).problems).toEqual([]);

      for (const out of [same, sameJson, differ, json, md])
        for (const s of [...Object.values(SECRETS), sbx.apiSecret, prd.apiSecret, 'shell-secret'])
          expect(out.stdout + out.stderr).not.toContain(s);
    },
  );

  it('exits 1 naming the target variables an environment needs, and takes exactly two environments', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'm3ter.yaml'), FILES);
    const sbx = await startEmulator({ rateLimit: 0, orgId: 'org-sandbox-e2e' });
    emulators.push(sbx);
    const env = {
      SANDBOX_M3TER_API_KEY: sbx.apiKey,
      SANDBOX_M3TER_API_SECRET: sbx.apiSecret,
      SANDBOX_M3TER_BASE_URL: sbx.url,
    };
    // The shell's own target (set for other commands) is not what compare reads, and it says so.
    const missing = await runCli(['compare', '--env', 'sandbox', '--env', 'production'], {
      cwd: dir,
      env: { ...env, M3TER_ORG_ID: 'org-of-the-shell', M3TER_API_KEY: 'shell-key' },
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(
      "note: compare reads each org through its environment's target; M3TER_ORG_ID, M3TER_API_KEY are not used",
    );
    expect(missing.stderr).toContain(
      'environment "production" reads its org with PRODUCTION_M3TER_API_KEY, PRODUCTION_M3TER_API_SECRET and PRODUCTION_M3TER_BASE_URL (its target), but PRODUCTION_M3TER_API_KEY, PRODUCTION_M3TER_API_SECRET and PRODUCTION_M3TER_BASE_URL are not set',
    );
    expect(sbx.admin.counters().total).toBe(0);

    const one = await runCli(['compare', '--env', 'sandbox'], { cwd: dir, env });
    expect(one.code).toBe(1);
    expect(one.stderr).toContain('compare takes two environments, --env A --env B (got "sandbox")');
    const unknown = await runCli(['compare', '--env', 'sandbox', '--env', 'prod'], { cwd: dir, env });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/prod/);
  });
});
