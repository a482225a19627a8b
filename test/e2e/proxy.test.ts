import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { verifyM3terRequest } from '../../src/signing/index.js';
import { selfSignedCertificate, startForwardProxy, startTlsTerminator } from '../helpers/forward-proxy.js';
import { QUICKSTART, QUICKSTART_ENV, runCli, tempDir } from './run-cli.js';

const PROXY_PASSWORD = 'pr0xy-Pa55word';
const HOOK_KEY = 'proxy-hook-key';
const HOOK_SECRET = 'proxy-hook-secret-value';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A certificate for `names`' first name, written where NODE_EXTRA_CA_CERTS can name it (read at process start). */
function trusted(dir: string, hostname: string): { key: string; cert: string; file: string } {
  const cert = selfSignedCertificate(hostname);
  const file = path.join(dir, 'test-ca.pem');
  writeFileSync(file, cert.cert);
  return { ...cert, file };
}

describe('the CLI behind a proxy', () => {
  it('a remote plan reaches an https:// API through CONNECT, with the proxy credentials never printed', async () => {
    const dir = tempDir();
    const emulator = await startEmulator({ port: 0, rateLimit: 0 });
    cleanups.push(() => emulator.close());
    const cert = trusted(dir, 'api.m3ter.test');
    const front = await startTlsTerminator(cert, Number(new URL(emulator.url).port), { rewriteHost: true });
    cleanups.push(() => front.close());
    const proxy = await startForwardProxy({
      routes: { 'api.m3ter.test:443': front.port },
      credentials: `ci:${PROXY_PASSWORD}`,
    });
    cleanups.push(() => proxy.close());
    const env = {
      M3TER_ORG_ID: emulator.orgId,
      M3TER_API_KEY: emulator.apiKey,
      M3TER_API_SECRET: emulator.apiSecret,
      M3TER_BASE_URL: 'https://api.m3ter.test',
      HTTPS_PROXY: `http://ci:${PROXY_PASSWORD}@127.0.0.1:${proxy.port}`,
      NODE_EXTRA_CA_CERTS: cert.file,
    };
    const r = await runCli(['plan', QUICKSTART, '--env-file', QUICKSTART_ENV, '--detailed-exitcode'], {
      cwd: dir,
      env,
    });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toMatch(/to create/);
    expect(proxy.asked.length).toBeGreaterThan(0);
    expect(proxy.asked.every((a) => a.method === 'CONNECT' && a.target === 'api.m3ter.test:443')).toBe(true);
    expect(r.stdout + r.stderr).not.toContain(PROXY_PASSWORD);

    // NO_PROXY names the API: the proxy is not asked (and the made-up name does not resolve).
    const before = proxy.asked.length;
    const direct = await runCli(['plan', QUICKSTART, '--env-file', QUICKSTART_ENV], {
      cwd: dir,
      env: { ...env, NO_PROXY: '.m3ter.test', M3TER_API_SECRET: emulator.apiSecret },
    });
    expect(direct.code).toBe(1);
    expect(proxy.asked.length).toBe(before);
  });

  it('a proxy that cannot be reached is named with its credentials masked', async () => {
    const dir = tempDir();
    const unused = createServer();
    await new Promise<void>((r) => unused.listen(0, '127.0.0.1', r));
    const port = (unused.address() as AddressInfo).port;
    await new Promise((r) => unused.close(r));
    const r = await runCli(['webhook', 'test-send', 'hook', '--timeout', '5'], {
      cwd: writeConfig(dir, 'https://hooks.m3ter.test/in'),
      env: {
        HOOK_KEY,
        HOOK_SECRET,
        https_proxy: `http://ci:${PROXY_PASSWORD}@127.0.0.1:${port}`,
      },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot reach the proxy http://***@127.0.0.1:${port} (https_proxy)`);
    expect(r.stdout + r.stderr).not.toContain(PROXY_PASSWORD);
  });

  it("a proxy's error page echoing its credentials shows none of them", async () => {
    const echo = createServer((req, res) => {
      const basic = String(req.headers['proxy-authorization']);
      const decoded = Buffer.from(basic.replace(/^Basic /, ''), 'base64').toString('utf8');
      res.writeHead(502).end(`refused ${req.url}: ${basic} (${decoded})`);
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => echo.close(r)));
    const port = (echo.address() as AddressInfo).port;
    const r = await runCli(['webhook', 'test-send', 'hook'], {
      cwd: writeConfig(tempDir(), 'http://hooks.m3ter.test/in'),
      env: { HOOK_KEY, HOOK_SECRET, HTTP_PROXY: `http://ci:${PROXY_PASSWORD}@127.0.0.1:${port}` },
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/answer: 502/);
    expect(r.stdout).toContain('refused http://hooks.m3ter.test/in');
    const out = r.stdout + r.stderr;
    expect(out).not.toContain(PROXY_PASSWORD);
    expect(out).not.toContain(Buffer.from(`ci:${PROXY_PASSWORD}`).toString('base64'));
  });

  it('a proxy refusing a tunnel with its credentials in the status line shows none of them', async () => {
    const refuser = createServer();
    refuser.on('connect', (req: IncomingMessage, socket: Socket) => {
      const basic = String(req.headers['proxy-authorization']);
      const decoded = Buffer.from(basic.replace(/^Basic /, ''), 'base64').toString('utf8');
      socket.end(`HTTP/1.1 403 Forbidden for ${decoded} ${basic}\r\n\r\n`);
    });
    await new Promise<void>((r) => refuser.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => refuser.close(r)));
    const port = (refuser.address() as AddressInfo).port;
    const r = await runCli(['plan', QUICKSTART, '--dotenv', QUICKSTART_ENV], {
      cwd: tempDir(),
      env: {
        M3TER_ORG_ID: '00000000-0000-4000-8000-000000000001',
        M3TER_API_KEY: 'proxy-test-key',
        M3TER_API_SECRET: 'proxy-test-secret',
        M3TER_BASE_URL: 'https://api.m3ter.test',
        HTTPS_PROXY: `http://ci:${PROXY_PASSWORD}@127.0.0.1:${port}`,
      },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`the proxy http://***@127.0.0.1:${port} (HTTPS_PROXY) refused a tunnel`);
    expect(r.stderr).toContain('HTTP 403');
    const out = r.stdout + r.stderr;
    expect(out).not.toContain(PROXY_PASSWORD);
    expect(out).not.toContain(Buffer.from(`ci:${PROXY_PASSWORD}`).toString('base64'));
  });

  it('webhook test-send goes through the proxy: CONNECT for https://, an absolute URI for http://; NO_PROXY bypasses it', async () => {
    const dir = tempDir();
    const got: { url: string; headers: IncomingMessage['headers']; body: string }[] = [];
    const rx = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        got.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => rx.listen(0, '127.0.0.1', r));
    cleanups.push(() => {
      rx.closeAllConnections();
      return new Promise((r) => rx.close(r));
    });
    const rxPort = (rx.address() as AddressInfo).port;
    const cert = trusted(dir, 'hooks.m3ter.test');
    const front = await startTlsTerminator(cert, rxPort);
    cleanups.push(() => front.close());
    const proxy = await startForwardProxy({
      routes: { 'hooks.m3ter.test:443': front.port, 'hooks.m3ter.test:80': rxPort },
    });
    cleanups.push(() => proxy.close());
    const env = {
      HOOK_KEY,
      HOOK_SECRET,
      HTTPS_PROXY: proxy.url,
      http_proxy: proxy.url,
      NODE_EXTRA_CA_CERTS: cert.file,
    };
    for (const url of ['https://hooks.m3ter.test/in', 'http://hooks.m3ter.test/in']) {
      const r = await runCli(['webhook', 'test-send', 'hook'], { cwd: writeConfig(tempDir(), url), env });
      expect(r.code, r.stderr).toBe(0);
      const last = got.at(-1)!;
      expect(
        verifyM3terRequest({ url, body: last.body, headers: last.headers, secrets: [HOOK_SECRET] }).ok,
      ).toBe(true);
    }
    expect(proxy.asked.map((a) => `${a.method} ${a.target}`)).toEqual([
      'CONNECT hooks.m3ter.test:443',
      'POST http://hooks.m3ter.test/in',
    ]);
    const bypass = await runCli(['webhook', 'test-send', 'hook', '--timeout', '5'], {
      cwd: writeConfig(tempDir(), 'https://hooks.m3ter.test/in'),
      env: { ...env, NO_PROXY: 'example.com,hooks.m3ter.test' },
    });
    expect(bypass.code).toBe(1);
    expect(proxy.asked).toHaveLength(2);
  });
});

function writeConfig(dir: string, url: string): string {
  writeFileSync(
    path.join(dir, 'm3ter.yaml'),
    `webhooks:
  - code: hook
    name: Hook
    description: Through a proxy
    url: ${url}
    credentials:
      type: M3TER_SIGNED_REQUEST
      apiKey: { env: HOOK_KEY }
      secret: { env: HOOK_SECRET }
`,
  );
  return dir;
}
