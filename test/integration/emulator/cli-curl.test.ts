import { get } from 'node:http';
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { emulatorCommand } from '../../../src/cli/commands/emulator.js';
import { assertContract } from './helpers.js';

function sink() {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      text += String(chunk);
      cb();
    },
  });
  return { stream, text: () => text };
}

function runCommand(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const out = sink();
  const err = sink();
  const abort = new AbortController();
  const done = emulatorCommand.run({
    argv,
    stdout: out.stream,
    stderr: err.stream,
    stdin: new PassThrough(),
    env,
    cwd: process.cwd(),
    signal: abort.signal,
  });
  return { out, err, abort, done };
}

async function waitFor(pred: () => boolean): Promise<void> {
  while (!pred()) await new Promise((r) => setImmediate(r));
}

/** The README's curl sequence (token, create a webhook, list), as fetch calls against the command. */
describe('m3ter-config emulator command', () => {
  it('prints its URL, org id, key pair and export lines; the curl sequence works; stops on abort', async () => {
    const run = runCommand(['--port', '0', '--rate-limit', '10'], {
      M3TER_ORG_ID: 'env-org',
      M3TER_API_KEY: 'env-key',
      M3TER_API_SECRET: 'env-secret',
    });
    await waitFor(() => run.out.text().includes('Ctrl-C'));
    const text = run.out.text();
    const url = /export M3TER_BASE_URL=(\S+)/.exec(text)?.[1] as string;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(text).toContain('export M3TER_ORG_ID=env-org');
    expect(text).toContain('export M3TER_API_KEY=env-key');
    // A secret from the environment may be a real org's: it is used, never printed.
    expect(text).not.toContain('env-secret');
    expect(text).toContain('(from M3TER_API_SECRET, not shown)');

    // curl -u "$M3TER_API_KEY:$M3TER_API_SECRET" -d grant_type=client_credentials "$M3TER_BASE_URL/oauth/token"
    const tokenRes = await fetch(`${url}/oauth/token`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from('env-key:env-secret').toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    const token = (await tokenRes.json()) as { access_token: string };
    assertContract('POST', '/oauth/token', tokenRes.status, token);
    const auth = { Authorization: `Bearer ${token.access_token}`, 'Content-Type': 'application/json' };
    const base = `${url}/organizations/env-org/integrationdestinations/webhooks`;
    const created = await fetch(base, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        name: 'Ops alerts',
        description: 'Posts to the ops channel',
        url: 'https://hooks.example.com/ops',
        code: 'ops',
        credentials: { type: 'M3TER_SIGNED_REQUEST', apiKey: 'hook-key', secret: 'hook-secret' },
      }),
    });
    const webhook = (await created.json()) as { id: string };
    expect(created.status).toBe(200);
    assertContract('POST', '/organizations/env-org/integrationdestinations/webhooks', 200, webhook);
    const listed = await fetch(`${base}?pageSize=10`, { headers: auth });
    const list = (await listed.json()) as { data: { id: string }[] };
    assertContract('GET', '/organizations/env-org/integrationdestinations/webhooks', listed.status, list);
    expect(list.data.map((w) => w.id)).toEqual([webhook.id]);

    run.abort.abort();
    expect(await run.done).toBe(0);
    expect(run.out.text()).toContain('stopped');
    await expect(fetch(`${url}/_emulator/counters`)).rejects.toThrow();
  });

  it('flags beat the environment', async () => {
    const run = runCommand(['--org-id', 'flag-org'], { M3TER_ORG_ID: 'env-org' });
    await waitFor(() => run.out.text().includes('Ctrl-C'));
    expect(run.out.text()).toContain('export M3TER_ORG_ID=flag-org');
    run.abort.abort();
    expect(await run.done).toBe(0);
  });

  it('returns 2 with a message on bad flags', async () => {
    for (const argv of [
      ['--port', 'x'],
      ['--fault-rate', '2'],
      ['--fault-kinds', '5xx,boom'],
      ['--nope'],
      ['--rate-limit', '-1'],
      ['extra'],
    ]) {
      const run = runCommand(argv);
      expect(await run.done, argv.join(' ')).toBe(1);
      expect(run.err.text()).toMatch(/^error: .*\nRun `m3ter-config emulator --help` for usage\.\n$/);
    }
  });

  it('refuses the default credentials beyond loopback, and warns loudly with its own', async () => {
    const refused = runCommand(['--host', '0.0.0.0']);
    expect(await refused.done).toBe(1);
    expect(refused.err.text()).toMatch(/did not start: .*0\.0\.0\.0 is not a loopback address.*--api-key/);
    const run = runCommand([
      '--host',
      '0.0.0.0',
      '--api-key',
      'ci-key',
      '--api-secret',
      'ci-secret',
      '--allow-host',
      'emu',
    ]);
    await waitFor(() => run.out.text().includes('Ctrl-C'));
    expect(run.err.text()).toMatch(/^WARNING: the emulator listens on 0\.0\.0\.0, not on loopback only/);
    const port = /listening on http:\/\/[^:]+:(\d+)/.exec(run.out.text())?.[1] as string;
    // --allow-host: a CI service container reached by its name.
    const status = (host: string) =>
      new Promise<number | undefined>((resolve, reject) =>
        get(
          { host: '127.0.0.1', port, path: '/_emulator/counters', headers: { Host: host }, agent: false },
          (res) => {
            res.resume();
            resolve(res.statusCode);
          },
        ).on('error', reject),
      );
    expect(await status(`emu:${port}`)).toBe(200);
    expect(await status(`other:${port}`)).toBe(403);
    run.abort.abort();
    expect(await run.done).toBe(0);
  });

  it('prints help', async () => {
    const run = runCommand(['--help']);
    expect(await run.done).toBe(0);
    expect(run.out.text()).toContain('--fault-kinds');
  });
});
