import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, QUICKSTART, QUICKSTART_ENV, QUICKSTART_SECRETS, tempDir } from './run-cli.js';

/**
 * `m3ter-config apply ... | head -1`: the reader of stdout goes away while apply runs. Apply goes on to the end (a
 * half-applied org is the worst outcome), and its exact account is left on stderr.
 */
function applyWithClosedStdout(
  cwd: string,
  when: 'at once' | 'after the first chunk',
): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    [BIN, 'apply', QUICKSTART, '--env-file', QUICKSTART_ENV, '--auto-approve'],
    { cwd, env: { PATH: process.env['PATH'] ?? '', HOME: cwd }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  if (when === 'at once') child.stdout.destroy();
  else
    child.stdout.setEncoding('utf8').once('data', (d: string) => {
      stdout += d;
      child.stdout.destroy();
    });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

function orgOf(cwd: string): {
  webhooks: unknown[];
  notifications: unknown[];
  integrationConfigs: unknown[];
} {
  return JSON.parse(readFileSync(path.join(cwd, '.m3ter/local.json'), 'utf8')) as ReturnType<typeof orgOf>;
}

describe('apply whose output pipe closes', () => {
  it('closed before the first write: applies everything, exit 0, the account on stderr', async () => {
    const cwd = tempDir();
    const r = await applyWithClosedStdout(cwd, 'at once');
    expect(r.signal).toBeNull();
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled|internal error/);
    expect(r.stderr).toContain('Apply complete: 5 created, 0 updated, 0 deleted (');
    expect(r.code, r.stderr).toBe(0);
    const org = orgOf(cwd);
    expect([org.webhooks.length, org.notifications.length, org.integrationConfigs.length]).toEqual([1, 2, 2]);
    for (const s of QUICKSTART_SECRETS) expect(r.stderr).not.toContain(s);
  });

  it('closed after the first chunk (as `| head -1` does): applies everything, exit 0, the account is left', async () => {
    const cwd = tempDir();
    const r = await applyWithClosedStdout(cwd, 'after the first chunk');
    expect(r.signal).toBeNull();
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled|internal error/);
    expect(r.code, r.stderr).toBe(0);
    const org = orgOf(cwd);
    expect([org.webhooks.length, org.notifications.length, org.integrationConfigs.length]).toEqual([1, 2, 2]);
    // Where the first chunk already held the whole output, there was nothing left to lose.
    expect(r.stdout + r.stderr).toContain('Apply complete: 5 created, 0 updated, 0 deleted (');
  });
});
