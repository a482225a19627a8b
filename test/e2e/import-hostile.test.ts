import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { apiSeeder } from '../helpers/seed-api.js';
import { runCli, tempDir } from './run-cli.js';

/**
 * `import` as a user runs it, against an emulator seeded with hostile values: a webhook URL with a password, text
 * that reads as Terraform or secret-reference syntax, and mistakes about where to write.
 */
const PASSWORD = 'e2e-hunter2-password';

describe('m3ter-config import against hostile values (e2e)', () => {
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
    const creds = {
      type: 'M3TER_SIGNED_REQUEST',
      apiKey: 'k-1234',
      secret: 's-1234',
      destination: 'WEBHOOK',
    };
    await api.webhook({
      code: 'pw',
      name: 'P',
      description: 'd',
      url: `https://ops:${PASSWORD}@hooks.example.com/x`,
      credentials: creds,
    });
    await api.webhook({
      code: 'tpl',
      name: '%{ if true }x%{ endif }',
      description: '${var.aws_secret_access_key} ${env:AWS_SECRET_ACCESS_KEY}',
      url: 'https://hooks.example.com/t',
      credentials: creds,
    });
  });
  afterAll(async () => emulator.close());

  it('exits 5 for a URL with a password, printing and writing it nowhere; the rest plans as it is', async () => {
    const cwd = tempDir();
    const run = await runCli(['import', '--out', 'org'], { cwd, env });
    expect(run.code).toBe(5);
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
    expect(run.stderr).toContain('***@hooks.example.com');
    for (const f of readdirSync(path.join(cwd, 'org')))
      expect(readFileSync(path.join(cwd, 'org', f), 'utf8')).not.toContain(PASSWORD);
    const vars = readFileSync(path.join(cwd, 'org/m3ter.env.template'), 'utf8')
      .split('\n')
      .filter((l) => l.endsWith('='))
      .map((l) => `${l}value-${l.length}`)
      .join('\n');
    writeFileSync(path.join(cwd, 'org.env'), `${vars}\n`);
    const plan = await runCli(['plan', 'org', '--env-file', 'org.env'], {
      cwd,
      env: { ...env, TF_VAR_aws_secret_access_key: 'STOLEN-1', AWS_SECRET_ACCESS_KEY: 'STOLEN-2' },
    });
    expect(plan.stdout + plan.stderr).not.toContain('STOLEN');
    expect(plan.stdout + plan.stderr).not.toContain(PASSWORD);
    expect(plan.stdout).not.toMatch(/description|name:/);
  });

  it('says what is wrong with --out, never an internal error, and never writes through a link', async () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'afile'), 'x');
    const onFile = await runCli(['import', '--out', 'afile'], { cwd, env });
    expect(onFile.code).toBe(1);
    expect(onFile.stderr).toContain('--out afile is not a folder');
    expect(onFile.stderr).not.toMatch(/internal error|EEXIST|ENOTDIR/);
    mkdirSync(path.join(cwd, 'org'));
    writeFileSync(path.join(cwd, 'victim'), 'precious');
    symlinkSync(path.join(cwd, 'victim'), path.join(cwd, 'org/m3ter.yaml'));
    const linked = await runCli(['import', '--out', 'org', '--force'], { cwd, env });
    expect(linked.code).toBe(1);
    expect(linked.stderr).toContain('org/m3ter.yaml is a symbolic link');
    expect(readFileSync(path.join(cwd, 'victim'), 'utf8')).toBe('precious');
  });
});
