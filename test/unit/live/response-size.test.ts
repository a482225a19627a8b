import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../../src/live/client.js';
import type { Target } from '../../../src/live/contract.js';
import { M3terConfigError, UnclearWriteError } from '../../../src/model/errors.js';

const ORG = 'org-1';

/**
 * A server that answers the token, then streams an endless body to every other request until the client hangs up,
 * counting what it sent and how many requests came.
 */
async function endlessServer(status = 200): Promise<{ url: string; requests: () => number; server: Server }> {
  let requests = 0;
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    if (req.url?.endsWith('/oauth/token')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ access_token: 'tok', expires_in: 3600 }));
      return;
    }
    requests++;
    res.writeHead(status, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const pump = (): void => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', pump);
    };
    res.write('{"data":["');
    pump();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const stop = server.close.bind(server);
  server.close = ((cb?: (err?: Error) => void) => {
    for (const s of sockets) s.destroy();
    return stop(cb);
  }) as typeof server.close;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    server,
  };
}

function targetFor(url: string): Target {
  return {
    description: { type: 'm3ter', orgId: ORG, baseUrl: url },
    orgId: ORG,
    baseUrl: url,
    apiKey: 'key-1',
    apiSecretReveal: () => 'secret-1',
  };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

describe('a response body over the limit', () => {
  it('stops a read with one clear error naming the limit, without retrying', async () => {
    const srv = await endlessServer();
    servers.push(srv.server);
    const client = createClient(targetFor(srv.url), { maxResponseBytes: 1024 * 1024, backoffBaseMs: 1 });
    const err = await client.list(`/organizations/${ORG}/things`, 100).catch((e: unknown) => e);
    await client.close();
    expect(err).toBeInstanceOf(M3terConfigError);
    expect((err as M3terConfigError).code).toBe('api_response_too_large');
    expect((err as Error).message).toMatch(/larger than 1048576 bytes.*M3TER_CONFIG_MAX_RESPONSE_BYTES/);
    expect(srv.requests()).toBe(1);
  });

  it('a create whose answer is too big stays an unclear write (apply reconciles it by reading)', async () => {
    const srv = await endlessServer(201);
    servers.push(srv.server);
    const client = createClient(targetFor(srv.url), { maxResponseBytes: 64 * 1024 });
    const err = await client.post(`/organizations/${ORG}/things`, { code: 'x' }).catch((e: unknown) => e);
    await client.close();
    expect(err).toBeInstanceOf(UnclearWriteError);
    expect((err as Error).message).toMatch(/larger than 65536 bytes/);
  });

  it('the CLI reports it on one line, with no stack, and the limit comes from M3TER_CONFIG_MAX_RESPONSE_BYTES', async () => {
    const { runCli, tempDir, QUICKSTART, QUICKSTART_ENV } = await import('../../e2e/run-cli.js');
    const srv = await endlessServer();
    servers.push(srv.server);
    const r = await runCli(['plan', QUICKSTART, '--env-file', QUICKSTART_ENV], {
      cwd: tempDir(),
      env: {
        M3TER_ORG_ID: ORG,
        M3TER_API_KEY: 'key-1',
        M3TER_API_SECRET: 'secret-1',
        M3TER_BASE_URL: srv.url,
        M3TER_CONFIG_MAX_RESPONSE_BYTES: '2000000',
      },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: GET \S+: m3ter's answer \(HTTP 200\) is larger than 2000000 bytes/m);
    expect(r.stderr).not.toMatch(/ERR_STRING_TOO_LONG|\n\s+at /);
  });
});
