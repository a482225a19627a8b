import { describe, expect, it } from 'vitest';
import { BIN, runCli, spawnCli, tempDir } from './run-cli.js';

/** `m3ter-config emulator --org-type PRODUCTION|SANDBOX` and `--users-me MODE`: what GET users/me answers. */
describe('m3ter-config emulator --org-type and --users-me', () => {
  async function usersMe(args: string[]): Promise<{ banner: string; status: number; body: unknown }> {
    const run = spawnCli(process.execPath, [BIN, 'emulator', '--port', '0', ...args], { cwd: tempDir() });
    try {
      await run.waitFor(/Press Ctrl-C to stop\./);
      const banner = run.stdout();
      const url = /listening on (\S+)/.exec(banner)![1]!;
      const orgId = /org id: +(\S+)/.exec(banner)![1]!;
      const token = await fetch(`${url}/oauth/token`, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${Buffer.from('local-access-key:local-api-secret').toString('base64')}`,
          'Content-Type': 'application/json',
        },
        body: '{"grant_type":"client_credentials"}',
      });
      const { access_token } = (await token.json()) as { access_token: string };
      const r = await fetch(`${url}/organizations/${orgId}/users/me`, {
        headers: { Authorization: `Bearer ${access_token}` },
      });
      return { banner, status: r.status, body: await r.json() };
    } finally {
      run.child.kill('SIGINT');
      await run.done;
    }
  }

  it('serves a PRODUCTION org with --org-type production (any case), and says so in its banner', async () => {
    const r = await usersMe(['--org-type', 'production']);
    expect(r.banner).toMatch(/org type: +PRODUCTION/);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      serviceUser: { name: 'local-access-key' },
      organization: { type: 'PRODUCTION', status: 'ACTIVE' },
    });
  });

  it('serves a SANDBOX org by default, and --users-me forbidden answers 403', async () => {
    const sandbox = await usersMe([]);
    expect(sandbox.banner).toMatch(/org type: +SANDBOX/);
    expect(sandbox.body).toMatchObject({ organization: { type: 'SANDBOX' } });
    const refused = await usersMe(['--users-me', 'forbidden']);
    expect(refused.status).toBe(403);
  });

  it('refuses another kind of org, or another users/me mode, as a usage error naming the choices', async () => {
    const kind = await runCli(['emulator', '--org-type', 'staging'], { cwd: tempDir() });
    expect(kind.code).toBe(1);
    expect(kind.stderr).toContain("--org-type must be PRODUCTION or SANDBOX (got 'staging')");
    const mode = await runCli(['emulator', '--users-me', 'down'], { cwd: tempDir() });
    expect(mode.code).toBe(1);
    expect(mode.stderr).toContain('--users-me must be one of served, absent, forbidden, error');
  });
});
