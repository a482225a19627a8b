import { describe, expect, it } from 'vitest';
import { BIN, runCli, spawnCli, tempDir } from './run-cli.js';

/** `m3ter-config emulator --user KEY:SECRET` (repeatable): each user its own, named in the audit fields. */
describe('m3ter-config emulator --user', () => {
  it('accepts every user given, and names the writing one in createdBy and lastModifiedBy', async () => {
    const run = spawnCli(
      process.execPath,
      [BIN, 'emulator', '--port', '0', '--user', 'console-user:console-secret', '--user', 'ops:ops:secret'],
      { cwd: tempDir() },
    );
    try {
      await run.waitFor(/Press Ctrl-C to stop\./);
      expect(run.stdout()).toContain('more users: console-user, ops (secrets as given)');
      expect(run.stdout()).not.toContain('console-secret');
      const url = /listening on (\S+)/.exec(run.stdout())![1]!;
      const orgId = /org id: +(\S+)/.exec(run.stdout())![1]!;
      const token = async (key: string, secret: string) => {
        const r = await fetch(`${url}/oauth/token`, {
          method: 'POST',
          headers: {
            Authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`,
            'Content-Type': 'application/json',
          },
          body: '{"grant_type":"client_credentials"}',
        });
        return { status: r.status, token: ((await r.json()) as { access_token?: string }).access_token };
      };
      // The secret is everything after the first colon: `ops:ops:secret` is user `ops` with secret `ops:secret`.
      expect((await token('ops', 'ops:secret')).status).toBe(200);
      const consoleUser = await token('console-user', 'console-secret');
      const created = await fetch(`${url}/organizations/${orgId}/notifications/configurations`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${consoleUser.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ code: 'r', name: 'R', description: 'D', eventName: 'billing.bill.created' }),
      });
      expect(await created.json()).toMatchObject({
        createdBy: 'SERVICE_USER_console-user',
        lastModifiedBy: 'SERVICE_USER_console-user',
      });
    } finally {
      run.child.kill('SIGINT');
      await run.done;
    }
  });

  it('refuses a --user without a colon or a secret', async () => {
    const r = await runCli(['emulator', '--user', 'no-secret'], { cwd: tempDir() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--user takes KEY:SECRET');
  });
});
