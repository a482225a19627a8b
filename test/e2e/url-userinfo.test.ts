import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { apiSeeder } from '../helpers/seed-api.js';
import { runCli, tempDir } from './run-cli.js';

/**
 * A live webhook URL with user info (`https://user:s3cret@host/x`) is masked in every output: plan (text, JSON,
 * Markdown, the saved plan file), drift (text, JSON, Markdown, --out), graph, import and apply.
 */
const PASSWORD = 'pw-s3cret-userinfo';
const LIVE_URL = `https://ops-user:${PASSWORD}@hooks.example.com/x`;
const SECRETS = { HOOK_KEY: 'userinfo-test-api-key', HOOK_SECRET: 'userinfo-test-webhook-secret' };
const CONFIG = `webhooks:
  - code: hook_a
    name: Hook A
    description: A
    url: https://hooks.example.com/x
    credentials:
      type: M3TER_SIGNED_REQUEST
      apiKey: { env: HOOK_KEY }
      secret: { env: HOOK_SECRET }
`;

let emulator: RunningEmulator;
let cwd: string;
const env = () => ({
  M3TER_ORG_ID: emulator.orgId,
  M3TER_API_KEY: emulator.apiKey,
  M3TER_API_SECRET: emulator.apiSecret,
  M3TER_BASE_URL: emulator.url,
  ...SECRETS,
});

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  const api = await apiSeeder(emulator);
  for (const code of ['hook_a', 'hook_b']) {
    await api.webhook({
      code,
      name: code === 'hook_a' ? 'Hook A' : LIVE_URL,
      description: LIVE_URL,
      url: LIVE_URL,
      active: true,
      credentials: {
        type: 'M3TER_SIGNED_REQUEST',
        apiKey: 'k',
        secret: 'secret-value-1',
        destination: 'WEBHOOK',
      },
    });
  }
  cwd = tempDir();
  writeFileSync(path.join(cwd, 'm3ter.yaml'), CONFIG);
});
afterAll(async () => emulator.close());

async function run(args: string[]): Promise<string> {
  const r = await runCli(args, { cwd, env: env() });
  const all = `${r.stdout}\n${r.stderr}`;
  expect(r.code, all).not.toBe(1);
  return all;
}

describe('URL user info from m3ter is masked in every output', () => {
  it('plan, drift, graph and import never show the password; the plan shows the masked URL', async () => {
    const outputs: Record<string, string> = {};
    for (const format of ['text', 'json', 'markdown']) {
      outputs[`plan ${format}`] = await run(['plan', 'm3ter.yaml', '--format', format]);
      outputs[`drift ${format}`] = await run(['drift', 'm3ter.yaml', '--format', format]);
    }
    outputs['plan --out'] = await run(['plan', 'm3ter.yaml', '--out', 'saved.json']);
    outputs['saved plan'] = readFileSync(path.join(cwd, 'saved.json'), 'utf8');
    outputs['drift --out'] = await run(['drift', 'm3ter.yaml', '--out', 'report.json', '--format', 'text']);
    outputs['drift report'] = readFileSync(path.join(cwd, 'report.json'), 'utf8');
    for (const format of ['mermaid', 'dot', 'svg'])
      outputs[`graph ${format}`] = await run(['graph', 'm3ter.yaml', '--format', format]);
    outputs['graph --plan'] = await run(['graph', 'm3ter.yaml', '--plan']);
    outputs['import'] = await run(['import', '--out', 'imported']);
    for (const f of readdirSync(path.join(cwd, 'imported'), { recursive: true, withFileTypes: true }))
      if (f.isFile()) outputs[`import ${f.name}`] = readFileSync(path.join(f.parentPath, f.name), 'utf8');
    for (const [name, text] of Object.entries(outputs)) expect(text, name).not.toContain(PASSWORD);
    expect(outputs['plan json']).toContain('https://***@hooks.example.com/x');
    expect(outputs['drift json']).toContain('https://***@hooks.example.com/x');
    expect(outputs['saved plan']).toContain('https://***@hooks.example.com/x');
  });

  it('apply (of a saved plan and directly) never shows the password, and sends the desired URL exactly', async () => {
    await run(['plan', 'm3ter.yaml', '--out', 'apply.json']);
    const saved = await run(['apply', 'apply.json', '--auto-approve']);
    expect(saved).not.toContain(PASSWORD);
    const state = JSON.stringify(emulator.admin.exportState());
    expect(state).toContain('"https://hooks.example.com/x"');
    const again = await run(['apply', 'm3ter.yaml', '--auto-approve', '--format', 'json']);
    expect(again).not.toContain(PASSWORD);
  });
});
