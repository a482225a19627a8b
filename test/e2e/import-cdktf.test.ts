import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { apiSeeder } from '../helpers/seed-api.js';
import { runCli, tempDir } from './run-cli.js';

/**
 * `import --format cdktf` through the CLI when an entity cannot be written: main.ts holds it in an `Ignore`
 * construct (so a plan of the stack leaves it alone, as under YAML's `ignore`), and the command says so and exits 5.
 */
describe('m3ter-config import --format cdktf (e2e)', () => {
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
    const credentials = {
      type: 'M3TER_SIGNED_REQUEST',
      apiKey: 'k-1',
      secret: 's-1',
      destination: 'WEBHOOK',
    };
    await api.webhook({
      code: 'ok',
      name: 'OK */ hook',
      description: 'd',
      url: 'https://h.example.com/a',
      credentials,
    });
    await api.webhook({ name: 'No code', description: 'd', url: 'https://h.example.com/b', credentials });
  });
  afterAll(async () => emulator.close());

  it('exits 5, writes the uncoded webhook into Ignore, and writes main.ts, cdktf.json and TF_VAR_ names', async () => {
    const cwd = tempDir();
    const run = await runCli(['import', '--format', 'cdktf', '--out', 'stack'], { cwd, env });
    expect(run.code, run.stderr).toBe(5);
    expect(run.stderr).toMatch(/written into the stack’s Ignore construct as "id:[^"]+"/);
    expect(run.stderr).toContain('plan leaves them alone while they stay in Ignore');
    expect(run.stderr).not.toContain('NOT ignored');
    expect(run.stdout).toContain('plan stack/cdktf.out/stacks/m3ter');
    const main = readFileSync(path.join(cwd, 'stack/main.ts'), 'utf8');
    expect(main).toContain('from "m3ter-config/cdktf"');
    expect(main).toContain('"OK */ hook"');
    expect(main).toMatch(
      /^new Ignore\(stack, "ignore", \{\n {2}"webhooks": \[\n {4}"id:[^"]+", \/\/ no_natural_key: /m,
    );
    expect(JSON.parse(readFileSync(path.join(cwd, 'stack/cdktf.json'), 'utf8'))).toMatchObject({
      app: 'npx tsx main.ts',
    });
    const template = readFileSync(path.join(cwd, 'stack/m3ter.env.template'), 'utf8');
    expect(template).toContain('TF_VAR_ok_webhook_api_key=\n');
    expect(main + template).not.toContain('s-1');
  });

  it('refuses --only-unmanaged with a stack format', async () => {
    const cwd = tempDir();
    const run = await runCli(['import', '--format', 'cdktn', '--only-unmanaged', 'x.yaml'], { cwd, env });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--only-unmanaged writes YAML');
  });
});
