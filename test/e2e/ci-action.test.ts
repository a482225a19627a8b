import { cpSync, existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digest } from '../../src/emulator/credentials.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { packThisPackage, runAction, TEMPLATE } from './ci-runner.js';
import { tempDir } from './run-cli.js';

/**
 * The composite GitHub Action (action.yml), its steps run as a runner runs them: installed from a Git or tarball
 * address (here a tarball packed from this checkout; a bare registry name is refused), then one command with its
 * inputs, against an emulator on loopback; the outputs as written to GITHUB_OUTPUT.
 */
const SECRET = 'action-test-api-secret-51d0';
// A webhook secret with what env-file grammars read differently: taken as is from the env input.
const WEBHOOK_SECRET = 'wh#sec "quoted" \\x $HOME';

let tarball = '';
let org: RunningEmulator | undefined;
let bin = '';
const runnerTemp = tempDir();
const workspace = tempDir();
beforeAll(async () => {
  [tarball, org] = await Promise.all([
    packThisPackage(),
    startEmulator({ rateLimit: 0, apiKey: 'action-user', apiSecret: SECRET }),
  ]);
  cpSync(path.join(TEMPLATE, 'm3ter'), path.join(workspace, 'm3ter'), { recursive: true });
}, 120_000);
afterAll(async () => {
  await org?.close();
});

const target = () => ({
  'org-id': org!.orgId,
  'api-key': 'action-user',
  'api-secret': SECRET,
  'base-url': org!.url,
});
const configEnv = `OPS_WEBHOOK_API_KEY=action-test-webhook-key\nOPS_WEBHOOK_SECRET=${WEBHOOK_SECRET}\n`;
const action = (inputs: Record<string, string>) =>
  runAction(
    { with: inputs },
    { cwd: workspace, context: {}, runnerTemp, ...(bin ? { installed: bin } : {}) },
  );

describe('action.yml', () => {
  it(
    'installs m3ter-config from a tarball address, then validates with the env input',
    { timeout: 120_000 },
    async () => {
      const r = await runAction(
        {
          with: {
            command: 'validate',
            paths: 'm3ter',
            args: '--require-env',
            package: tarball,
            env: configEnv,
          },
        },
        { cwd: workspace, context: {}, runnerTemp },
      );
      expect([r.code, r.ran]).toEqual([0, ['Install m3ter-config', 'Run m3ter-config']]);
      expect(r.bin).toBe(
        path.join(runnerTemp, 'm3ter-config-action/node_modules/m3ter-config/bin/m3ter-config.js'),
      );
      expect(r.outputs).toEqual({ 'exit-code': '0', 'plan-file': '', 'markdown-file': '' });
      expect(r.stdout + r.stderr).not.toContain(WEBHOOK_SECRET);
      bin = r.bin;
    },
  );

  it('plans: exit code, saved plan and Markdown file as outputs, the Markdown in the job summary', async () => {
    const r = await action({
      command: 'plan',
      paths: 'm3ter',
      format: 'markdown',
      out: 'plan.json',
      'markdown-file': 'plan.md',
      args: '--detailed-exitcode',
      env: configEnv,
      ...target(),
    });
    expect(r.code).toBe(0);
    expect(r.outputs).toEqual({ 'exit-code': '2', 'plan-file': 'plan.json', 'markdown-file': 'plan.md' });
    const markdown = readFileSync(path.join(workspace, 'plan.md'), 'utf8');
    expect(markdown).toContain('3 to create');
    expect(r.summary).toBe(`${markdown}\n`);
    for (const text of [
      r.stdout,
      r.stderr,
      markdown,
      readFileSync(path.join(workspace, 'plan.json'), 'utf8'),
    ])
      expect(text).not.toContain(SECRET);

    // An exit code not listed as success fails the step, and still says what it was.
    const strict = await action({
      command: 'plan',
      paths: 'm3ter',
      args: '--detailed-exitcode',
      'success-exit-codes': '0',
      env: configEnv,
      ...target(),
    });
    expect([strict.code, strict.outputs['exit-code']]).toEqual([2, '2']);
  });

  it('applies the saved plan; the env input reaches the command byte for byte', async () => {
    const r = await action({
      command: 'apply',
      paths: 'plan.json',
      args: '--verify',
      env: configEnv,
      ...target(),
    });
    expect([r.code, r.outputs['exit-code']]).toEqual([0, '0']);
    // The emulator (in this process) keeps a keyed digest of each secret it was sent.
    expect(JSON.stringify(org!.admin.exportState())).toContain(digest(WEBHOOK_SECRET));
  });

  it('refuses a bare registry name as the package: m3ter-config is not on the registry', async () => {
    for (const spec of ['m3ter-config', 'm3ter-config@0.1.0', '@someone/m3ter-config@latest']) {
      const temp = tempDir();
      const r = await runAction(
        { with: { command: 'validate', package: spec } },
        { cwd: workspace, context: {}, runnerTemp: temp },
      );
      expect([spec, r.code, r.ran]).toEqual([spec, 1, ['Install m3ter-config']]);
      expect(r.stdout).toContain(`package "${spec}" is a registry name`);
      expect(existsSync(path.join(temp, 'm3ter-config-action'))).toBe(false);
    }
  });

  it('stops before running m3ter-config when the target is not set (it would plan against its own emulator)', async () => {
    const cwd = tempDir();
    cpSync(path.join(TEMPLATE, 'm3ter'), path.join(cwd, 'm3ter'), { recursive: true });
    const r = await runAction(
      { with: { command: 'plan', paths: 'm3ter', 'org-id': 'org', 'api-key': 'key' } },
      { cwd, context: {}, runnerTemp, installed: bin },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('::error title=m3ter-config::api-secret (M3TER_API_SECRET) not set');
    expect(existsSync(path.join(cwd, '.m3ter'))).toBe(false);
    expect(r.outputs['exit-code']).toBe('');
  });

  it('says which line of the env input is wrong, never what it holds', async () => {
    const r = await action({ command: 'validate', paths: 'm3ter', env: 'GOOD=1\nnot-a-name=hunter2\n' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('env input, line 2: expected NAME=VALUE');
    expect(r.stdout + r.stderr).not.toContain('hunter2');
  });

  it("passes env files to the tool, not to Node: a missing one gets the tool's own error", async () => {
    const r = await action({ command: 'validate', paths: 'm3ter', 'env-files': 'missing.env' });
    expect([r.code, r.outputs['exit-code']]).toEqual([1, '1']);
    expect(r.stderr).toContain('missing.env');
    expect(r.stderr).not.toContain('node: missing.env: not found');
  });
});
