import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './run-cli.js';

const CONFIG = `environments:
  sandbox:
    orgId: org-sandbox
    production: false
    vars:
      receiverBase: https://sandbox.example.com
      opsActive: false
  production:
    orgId: org-prod
    production: true
    vars:
      receiverBase: https://example.com
      opsActive: true
webhooks:
  - code: ops
    name: Ops
    description: Ops hook
    url: "\${var:receiverBase}/m3ter"
    active: { var: opsActive }
    credentials:
      apiKey: { env: HOOK_KEY }
      secret: { env: HOOK_SECRET }
`;

function project(text = CONFIG): string {
  const cwd = tempDir();
  writeFileSync(path.join(cwd, 'm3ter.yaml'), text);
  return cwd;
}

const SECRETS = { HOOK_KEY: 'k3y-never-shown', HOOK_SECRET: 's3cret-never-shown' };

describe('--env and M3TER_CONFIG_ENV', () => {
  it('validate --env NAME loads the files for that environment (exit 0)', async () => {
    const cwd = project();
    const r = await runCli(['validate', '--env', 'sandbox', '--format', 'json'], { cwd, env: SECRETS });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('M3TER_CONFIG_ENV chooses when --env is not given; --env wins over it', async () => {
    const cwd = project();
    const r = await runCli(['validate'], { cwd, env: { ...SECRETS, M3TER_CONFIG_ENV: 'production' } });
    expect(r.code).toBe(0);
    const bad = await runCli(['validate', '--env', 'nope'], {
      cwd,
      env: { ...SECRETS, M3TER_CONFIG_ENV: 'production' },
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('environment "nope" is not declared');
  });

  it('choosing none is one error at the section, listing the environments (exit 1)', async () => {
    const cwd = project();
    const r = await runCli(['validate'], { cwd, env: SECRETS });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^m3ter\.yaml:1:1 .*the files declare environments \("sandbox", "production"\); choose one \[environment_not_chosen\]$/m,
    );
    expect(r.stderr).toContain('--env NAME (or M3TER_CONFIG_ENV)');
  });

  it('an unknown name gets a did-you-mean; a name where none is declared is an error', async () => {
    const cwd = project();
    const r = await runCli(['plan', '--env', 'prod'], { cwd, env: SECRETS });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('did you mean "production"?');
    const plain = project(
      CONFIG.slice(CONFIG.indexOf('webhooks:'))
        .replace(/\{ var: opsActive \}/, 'true')
        .replace('${var:receiverBase}', 'https://example.com'),
    );
    const p = await runCli(['validate', '--env', 'sandbox'], { cwd: plain, env: SECRETS });
    expect(p.code).toBe(1);
    expect(p.stderr).toContain('[no_environments]');
    expect((await runCli(['validate'], { cwd: plain, env: SECRETS })).code).toBe(0);
  });

  it('plan --env plans each environment with its own values', async () => {
    const cwd = project();
    const sandbox = await runCli(['plan', '--env', 'sandbox'], { cwd, env: SECRETS });
    expect(sandbox.stderr).toBe('');
    expect(sandbox.stdout).toContain('https://sandbox.example.com/m3ter');
    const prod = await runCli(['plan'], { cwd, env: { ...SECRETS, M3TER_CONFIG_ENV: 'production' } });
    expect(prod.stdout).toContain('https://example.com/m3ter');
    expect(prod.stdout + prod.stderr + sandbox.stdout).not.toContain('s3cret-never-shown');
  });

  it('every command that loads files takes --env', async () => {
    for (const cmd of ['validate', 'plan', 'apply', 'drift', 'graph', 'export', 'import']) {
      const r = await runCli([cmd, '--help'], { cwd: tempDir() });
      expect(r.stdout, cmd).toMatch(/--env NAME/);
    }
  });
});
