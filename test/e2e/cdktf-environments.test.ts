import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkTerraformJson } from '../helpers/tf-schema-check.js';
import { ROOT, runCli, tempDir } from './run-cli.js';

/**
 * examples/cdktf/environments.ts as a user runs it: one app synthesizes a sandbox and a production stack, each
 * naming its environment; `validate --env` and `plan --env` of the whole cdktf.out read the stack naming it.
 */
const SECRETS = ['environments-fake-api-key', 'environments-fake-webhook-secret'];
const SANDBOX_URL = 'https://sandbox-hooks.example.com/m3ter';
const PRODUCTION_URL = 'https://hooks.example.com/m3ter';
let work: string;

beforeAll(() => {
  work = tempDir();
  const run = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'examples/cdktf/environments.ts'],
    {
      cwd: ROOT,
      env: { ...process.env, CDKTF_OUTDIR: path.join(work, 'cdktf.out'), CHECKPOINT_DISABLE: '1' },
      encoding: 'utf8',
    },
  );
  expect(run.status, run.stderr).toBe(0);
  cpSync(path.join(ROOT, 'examples/cdktf/environments.env'), path.join(work, 'environments.env'));
}, 60_000);

/** Runs the CLI in its own folder under the work dir (each has its own embedded emulator), on ../cdktf.out. */
async function cli(dir: string, args: string[], env: Record<string, string> = {}) {
  const cwd = path.join(work, dir);
  mkdirSync(cwd, { recursive: true });
  const r = await runCli([...args, '--dotenv', '../environments.env'], { cwd, env });
  for (const s of SECRETS) expect(r.stdout + r.stderr).not.toContain(s);
  return r;
}

describe('examples/cdktf/environments.ts', () => {
  it('synthesizes two stacks valid against the provider schema, each naming its environment', () => {
    for (const [stack, name] of [
      ['ops-sandbox', 'sandbox'],
      ['ops-production', 'production'],
    ] as const) {
      const text = readFileSync(path.join(work, 'cdktf.out/stacks', stack, 'cdk.tf.json'), 'utf8');
      const json = JSON.parse(text) as { '//': { 'm3ter-config': { environment: { name: string } } } };
      expect(checkTerraformJson(json)).toEqual([]);
      expect(json['//']['m3ter-config'].environment.name).toBe(name);
    }
  });

  it('validate --env reads the stack naming the environment', async () => {
    for (const env of ['sandbox', 'production']) {
      const r = await cli('validate', ['validate', '../cdktf.out', '--env', env]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('OK: 1 file(s) valid.');
    }
  });

  it('plan --env shows that environment’s values; M3TER_CONFIG_ENV chooses as --env does', async () => {
    const production = await cli('plan-production', ['plan', '../cdktf.out', '--env', 'production']);
    expect(production.code, production.stderr).toBe(0);
    expect(production.stdout).toContain(`url: "${PRODUCTION_URL}"`);
    expect(production.stdout).toMatch(/\+ webhook "ops_alerts"[\s\S]*active: true/);
    expect(production.stdout).not.toContain(SANDBOX_URL);
    const sandbox = await cli('plan-sandbox', ['plan', '../cdktf.out'], { M3TER_CONFIG_ENV: 'sandbox' });
    expect(sandbox.code, sandbox.stderr).toBe(0);
    expect(sandbox.stdout).toContain(`url: "${SANDBOX_URL}"`);
    expect(sandbox.stdout).toMatch(/\+ webhook "ops_alerts"[\s\S]*active: false/);
  });

  it('apply --env sandbox, then plan --env sandbox is empty', async () => {
    const apply = await cli('sandbox', ['apply', '../cdktf.out', '--env', 'sandbox', '--auto-approve']);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain('Apply complete: 3 created');
    const plan = await cli('sandbox', ['plan', '../cdktf.out', '--env', 'sandbox', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it('without --env, or with a --stack naming another environment, nothing is sent and the error says what to pass', async () => {
    const none = await cli('errors', ['plan', '../cdktf.out']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('holds 2 stacks [stack_required]');
    expect(none.stderr).toContain(
      'pass --env NAME (one of "production", "sandbox") or --stack NAME (one of "ops-production", "ops-sandbox")',
    );
    expect(none.stderr).toContain('Nothing was sent to the API.');
    const mismatch = await cli('errors', [
      'plan',
      '../cdktf.out',
      '--stack',
      'ops-sandbox',
      '--env',
      'production',
    ]);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toContain(
      'stack "ops-sandbox" is for environment "sandbox", not "production" [stack_environment_mismatch]',
    );
    const stackOnly = await cli('errors', ['validate', '../cdktf.out/stacks/ops-production']);
    expect(stackOnly.code).toBe(1);
    expect(stackOnly.stderr).toContain('[environment_not_chosen]');
    expect(stackOnly.stderr).toContain('ops-production/environment (examples/cdktf/environments.ts:');
  });
});
