import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import {
  INTEGRATIONS,
  INTEGRATIONS_ENV,
  QUICKSTART,
  QUICKSTART_ENV,
  QUICKSTART_SECRETS,
  runCli,
  tempDir,
} from './run-cli.js';

/**
 * m3ter never published the path of its integration credentials API: m3ter-config guesses it. Here the org (the
 * emulator) serves credentials elsewhere, so the guess answers 404, as it would on an org where the guess is wrong.
 * Only what needs the path stops, with one error naming the variable that sets it; import writes the rest.
 */
const ELSEWHERE = 'integrationauth/credentials';

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function orgElsewhere(): Promise<Record<string, string>> {
  emu = await startEmulator({ port: 0, rateLimit: 0, credentialsPath: ELSEWHERE });
  return {
    M3TER_BASE_URL: emu.url,
    M3TER_ORG_ID: emu.orgId,
    M3TER_API_KEY: emu.apiKey,
    M3TER_API_SECRET: emu.apiSecret,
  };
}

const integrations = [INTEGRATIONS, '--env-file', INTEGRATIONS_ENV];
const quickstart = [QUICKSTART, '--env-file', QUICKSTART_ENV];

describe('an unconfirmed endpoint that answers 404', () => {
  it('plan of credentials and integrations stops with one error that says so, how to set the path and what to leave out', async () => {
    const env = await orgElsewhere();
    const cwd = tempDir();
    const r = await runCli(['plan', ...integrations], { cwd, env });
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: m3ter answered 404 to GET \/integrationcredentials: /);
    expect(lines[0]).toContain('unconfirmed');
    expect(lines[0]).toContain('Set M3TER_CONFIG_CREDENTIALS_PATH');
    expect(lines[0]).toContain('leave the credentials and integrations sections out');
    for (const s of QUICKSTART_SECRETS) expect(r.stdout + r.stderr).not.toContain(s);

    // The variable the error names sets the path: the same plan then works, and apply converges.
    const set = { ...env, M3TER_CONFIG_CREDENTIALS_PATH: `/${ELSEWHERE}/` };
    const applied = await runCli(['apply', ...integrations, '--auto-approve'], { cwd, env: set });
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(emu!.admin.exportState().credentials.map((c) => c.name)).toContain('quickstart-stripe');
    const again = await runCli(['plan', ...integrations, '--detailed-exitcode'], { cwd, env: set });
    expect(again.code, again.stdout + again.stderr).toBe(0);
  });

  it('a bad M3TER_CONFIG_CREDENTIALS_PATH is refused before anything is sent', async () => {
    const env = await orgElsewhere();
    const r = await runCli(['plan', ...integrations], {
      cwd: tempDir(),
      env: { ...env, M3TER_CONFIG_CREDENTIALS_PATH: '../webhooks?x=1' },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('M3TER_CONFIG_CREDENTIALS_PATH must be a path under /organizations/{orgId}/');
    expect(emu!.admin.counters().total).toBe(0);
  });

  it('the quickstart uses only documented paths: it applies and plans empty on that org', async () => {
    const env = await orgElsewhere();
    const cwd = tempDir();
    const applied = await runCli(['apply', ...quickstart, '--auto-approve'], { cwd, env });
    expect(applied.code, applied.stderr).toBe(0);
    const again = await runCli(['plan', ...quickstart, '--detailed-exitcode'], { cwd, env });
    expect(again.code, again.stdout + again.stderr).toBe(0);
  });

  it('import writes every kind it can read and reports what it skipped, exit 5', async () => {
    const env = await orgElsewhere();
    const cwd = tempDir();
    expect((await runCli(['apply', ...quickstart, '--auto-approve'], { cwd, env })).code).toBe(0);
    const r = await runCli(['import', '--out', 'imported'], { cwd, env });
    expect(r.code, r.stderr).toBe(5);
    expect(r.stderr).toContain('! not imported: credentials, integrations');
    expect(r.stderr).toContain('M3TER_CONFIG_CREDENTIALS_PATH');
    expect(r.stderr).toContain('Skipped credentials, integrations');
    const file = path.join(cwd, 'imported/m3ter.yaml');
    expect(existsSync(file)).toBe(true);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('quickstart_receiver');
    expect(text).toMatch(/^links:/m);
    // Left out, not written empty: an empty section would plan the deletion of every live credential.
    expect(text).not.toMatch(/^credentials:/m);
    expect(text).not.toMatch(/^integrations:/m);
    // What was written plans clean against the same org.
    const plan = await runCli(['plan', 'imported', '--env-file', QUICKSTART_ENV, '--detailed-exitcode'], {
      cwd,
      env: { ...env, ...envOf(readFileSync(QUICKSTART_ENV, 'utf8'), text) },
    });
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });
});

/** The imported file's secret variables, given the values the quickstart applied (matched by field name). */
function envOf(quickstartEnv: string, imported: string): Record<string, string> {
  const values = Object.fromEntries(
    quickstartEnv
      .split('\n')
      .filter((l) => /^[A-Z_]+=/.test(l))
      .map((l) => l.split('=') as [string, string]),
  );
  const out: Record<string, string> = {};
  for (const m of imported.matchAll(/(apiKey|secret): \{ env: ([A-Za-z0-9_]+) \}/g)) {
    const field = m[1] === 'apiKey' ? 'QUICKSTART_WEBHOOK_API_KEY' : 'QUICKSTART_WEBHOOK_SECRET';
    out[m[2] as string] = values[field] ?? '';
  }
  return out;
}
