import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../../src/live/client.js';
import type { LiveClient } from '../../../src/live/contract.js';
import { readOrgKind } from '../../../src/workflow/org-guard.js';
import { FAST_CLIENT } from '../../helpers/converge.js';

/**
 * The org's kind read from a misbehaving `users/me` on loopback: every answer that is not plainly this org's
 * `PRODUCTION` or `SANDBOX` is a reading of `unknown` (which the guard refuses for an environment), and the reason
 * never carries the secret or the server's echo of it.
 */

const ORG = 'org-1';
const SECRET = 'the-api-secret-Zq7';

type Reply = { status: number; type?: string; body: string; headers?: Record<string, string> };

let servers: Server[] = [];
let client: LiveClient | undefined;
afterEach(async () => {
  await client?.close();
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  servers = [];
  client = undefined;
});

async function listen(handle: (req: IncomingMessage) => Reply): Promise<string> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      const reply: Reply =
        req.url === '/oauth/token'
          ? { status: 200, body: JSON.stringify({ access_token: 't', expires_in: 3600 }) }
          : handle(req);
      res
        .writeHead(reply.status, { 'content-type': reply.type ?? 'application/json', ...reply.headers })
        .end(reply.body);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function fakeUsersMe(reply: Reply | ((req: IncomingMessage) => Reply)): Promise<LiveClient> {
  const url = await listen((req) =>
    req.url === `/organizations/${ORG}/users/me`
      ? typeof reply === 'function'
        ? reply(req)
        : reply
      : { status: 404, body: '' },
  );
  client = createClient(
    {
      description: { type: 'm3ter', orgId: ORG, baseUrl: url },
      orgId: ORG,
      baseUrl: url,
      apiKey: 'k',
      apiSecretReveal: () => SECRET,
    },
    { ...FAST_CLIENT, maxRetries: 1 },
  );
  return client;
}

const me = (organization: unknown): Reply => ({
  status: 200,
  body: JSON.stringify({ serviceUser: { id: 'u', name: 'ci' }, organization }),
});

describe('readOrgKind against a hostile users/me', () => {
  it('takes this org PRODUCTION or SANDBOX as said', async () => {
    const c = await fakeUsersMe(me({ id: ORG, orgId: ORG, type: 'PRODUCTION' }));
    expect(await readOrgKind(c)).toEqual({ type: 'PRODUCTION' });
  });

  it.each([
    ['lower case', me({ id: ORG, orgId: ORG, type: 'production' })],
    ['an unknown kind', me({ id: ORG, orgId: ORG, type: 'STAGING' })],
    ['no organization', { status: 200, body: JSON.stringify({ type: 'SANDBOX' }) }],
    ['an array', { status: 200, body: JSON.stringify([{ organization: { type: 'SANDBOX' } }]) }],
    ['HTML', { status: 200, type: 'text/html', body: '<html>"type": "SANDBOX"</html>' }],
  ])('is unknown for %s', async (_name, reply) => {
    const c = await fakeUsersMe(reply);
    const reading = await readOrgKind(c);
    expect(reading.type).toBe('unknown');
  });

  it('is unknown when the organization it describes is another org than the one asked about', async () => {
    const c = await fakeUsersMe(me({ id: 'org-2', orgId: 'org-2', type: 'SANDBOX' }));
    const reading = await readOrgKind(c);
    expect(reading.type).toBe('unknown');
    expect(reading.type === 'unknown' && reading.reason).toContain('org-2');
  });

  it('does not follow a redirect to a server that says SANDBOX', async () => {
    const elsewhere = await listen(() => me({ id: ORG, orgId: ORG, type: 'SANDBOX' }));
    const c = await fakeUsersMe({
      status: 302,
      body: '',
      headers: { location: `${elsewhere}/organizations/${ORG}/users/me` },
    });
    expect((await readOrgKind(c)).type).toBe('unknown');
  });

  it('never puts the secret, or the server echo of it, in the reason', async () => {
    for (const reply of [
      { status: 403, body: JSON.stringify({ message: `bad secret ${SECRET}` }) },
      { status: 200, type: 'text/plain', body: `{"organization": ${SECRET}` },
      { status: 200, body: `{"organization": "${SECRET}"` },
    ]) {
      const c = await fakeUsersMe(reply);
      const reading = await readOrgKind(c);
      expect(reading.type).toBe('unknown');
      expect(JSON.stringify(reading)).not.toContain(SECRET.slice(0, 10));
      await c.close();
      client = undefined;
    }
  });
});
