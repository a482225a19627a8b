import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { type RunningEmulator, startEmulator } from '../../../src/emulator/index.js';

/**
 * The apply prompt on a terminal (a fake one, in-process): a PRODUCTION org is confirmed by typing its id, so a
 * `yes` out of habit, another org's id, or the id in other case changes nothing.
 */

let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const CONFIG = [
  'webhooks:',
  '  - code: ops',
  '    name: Ops',
  '    description: Sends to ops',
  '    url: https://hooks.example.test/ops',
  '    credentials:',
  '      type: M3TER_SIGNED_REQUEST',
  '      apiKey: { env: HOOK_KEY }',
  '      secret: { env: HOOK_SECRET }',
  '',
].join('\n');

function sink(onText?: (text: string) => void): Writable & { text: () => string } {
  let out = '';
  const w = new Writable({
    write(chunk: Buffer, _enc, cb) {
      out += chunk.toString();
      onText?.(out);
      cb();
    },
  });
  return Object.assign(w, { text: () => out });
}

async function applyAnswering(answer: string, env: Record<string, string> = {}) {
  const cwd = mkdtempSync(path.join(tmpdir(), 'm3ter-config-prompt-'));
  writeFileSync(path.join(cwd, 'm3ter.yaml'), CONFIG);
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  // Answers once the question is asked, as a person would.
  let answered = false;
  const stderr = sink((text) => {
    if (!answered && /confirm: |accepted: /.test(text)) {
      answered = true;
      stdin.write(`${answer}\n`);
    }
  });
  const code = await main(['apply'], {
    stdin,
    stdout: sink(),
    stderr,
    cwd,
    signal: new AbortController().signal,
    env: {
      M3TER_ORG_ID: emulator!.orgId,
      M3TER_API_KEY: emulator!.apiKey,
      M3TER_API_SECRET: emulator!.apiSecret,
      M3TER_BASE_URL: emulator!.url,
      HOOK_KEY: 'hook-key-fake',
      HOOK_SECRET: 'hook-secret-fake',
      ...env,
    },
  });
  return { code, stderr: stderr.text() };
}

const webhooks = () => emulator!.admin.exportState().webhooks.length;

describe('the apply prompt for a PRODUCTION org', () => {
  it.each([['yes'], ['YES'], ['another-org']])('changes nothing when %s is typed', async (answer) => {
    emulator = await startEmulator({ rateLimit: 0, orgType: 'PRODUCTION' });
    const r = await applyAnswering(answer);
    expect(r.stderr).toContain(`Type the org id (${emulator.orgId}) to confirm`);
    expect(r.stderr).toContain('Apply cancelled; nothing was changed.');
    expect(r.code).toBe(1);
    expect(webhooks()).toBe(0);
  });

  it('changes nothing when the id is typed in other case', async () => {
    emulator = await startEmulator({ rateLimit: 0, orgType: 'PRODUCTION' });
    const r = await applyAnswering(
      emulator.orgId.toUpperCase() === emulator.orgId ? 'x' : emulator.orgId.toUpperCase(),
    );
    expect(r.code).toBe(1);
    expect(webhooks()).toBe(0);
  });

  it('applies when the org id is typed (spaces around it are fine)', async () => {
    emulator = await startEmulator({ rateLimit: 0, orgType: 'PRODUCTION' });
    const r = await applyAnswering(`  ${emulator.orgId} `);
    expect(r.code).toBe(0);
    expect(webhooks()).toBe(1);
  });

  it('asks for yes on a SANDBOX org, and M3TER_CONFIG_CONFIRM_ORG set for production changes nothing there', async () => {
    emulator = await startEmulator({ rateLimit: 0, orgType: 'SANDBOX' });
    const r = await applyAnswering('yes', { M3TER_CONFIG_CONFIRM_ORG: 'the-production-org' });
    expect(r.stderr).toContain("Only 'yes' will be accepted");
    expect(r.code).toBe(0);
    expect(webhooks()).toBe(1);
  });
});
