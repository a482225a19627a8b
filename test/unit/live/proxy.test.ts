import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Connection } from '../../../src/live/http.js';
import { bypassesProxy, proxyFor } from '../../../src/live/proxy.js';
import { M3terConfigError } from '../../../src/model/errors.js';
import {
  type ForwardProxy,
  selfSignedCertificate,
  startForwardProxy,
  startTlsTerminator,
} from '../../helpers/forward-proxy.js';

describe('which requests go through the proxy', () => {
  const env = { HTTPS_PROXY: 'http://proxy.corp:3128', HTTP_PROXY: 'http://plain.corp:8080' };
  const via = (url: string, more: Record<string, string> = {}) => proxyFor(new URL(url), { ...env, ...more });

  it('https:// targets use HTTPS_PROXY, http:// ones HTTP_PROXY; the lower-case name wins', () => {
    expect(via('https://api.m3ter.com')).toMatchObject({ hostname: 'proxy.corp', port: 3128 });
    expect(via('http://hooks.example.com/x')).toMatchObject({ hostname: 'plain.corp', port: 8080 });
    expect(via('https://api.m3ter.com', { https_proxy: 'lower.corp:9' })).toMatchObject({
      hostname: 'lower.corp',
      port: 9,
    });
    expect(
      proxyFor(new URL('https://api.m3ter.com'), { HTTP_PROXY: 'http://plain.corp:8080' }),
    ).toBeUndefined();
    expect(proxyFor(new URL('https://api.m3ter.com'), { HTTPS_PROXY: '  ' })).toBeUndefined();
  });

  it('loopback is always reached directly: no proxy can reach this machine', () => {
    for (const url of [
      'https://localhost:1',
      'http://127.0.0.1:8080',
      'http://127.9.9.9',
      'http://[::1]:3',
      'https://api.localhost',
    ])
      expect(via(url), url).toBeUndefined();
  });

  it('NO_PROXY: names match themselves and every name under them, with or without a leading dot', () => {
    const cases: [string, string, boolean][] = [
      ['m3ter.com', 'https://api.m3ter.com', true],
      ['m3ter.com', 'https://m3ter.com', true],
      ['.m3ter.com', 'https://m3ter.com', true],
      ['.m3ter.com', 'https://a.b.m3ter.com', true],
      ['*.m3ter.com', 'https://api.m3ter.com', true],
      ['m3ter.com', 'https://notm3ter.com', false],
      ['m3ter.com', 'https://m3ter.com.evil.example', false],
      ['API.M3TER.COM', 'https://api.m3ter.com.', true],
      ['*', 'https://anything.example', true],
      ['other.example, ,m3ter.com', 'https://api.m3ter.com', true],
      ['other.example m3ter.com', 'https://api.m3ter.com', true],
      ['m3ter.com:443', 'https://api.m3ter.com', true],
      ['m3ter.com:8443', 'https://api.m3ter.com', false],
      ['m3ter.com:8443', 'https://api.m3ter.com:8443', true],
      ['10.1.2.3', 'https://10.1.2.3', true],
      ['10.0.0.0/8', 'https://10.200.0.1', true],
      ['10.0.0.0/8', 'https://11.0.0.1', false],
      ['fd00::/8', 'https://[fd12::1]', true],
      ['[fd12::1]:443', 'https://[fd12::1]', true],
      ['0.3', 'https://10.1.0.3', false],
    ];
    for (const [noProxy, url, direct] of cases) {
      const u = new URL(url);
      const port = u.port === '' ? 443 : Number(u.port);
      expect(bypassesProxy(noProxy, u.hostname, port), `${noProxy} / ${url}`).toBe(direct);
      expect(via(url, { NO_PROXY: noProxy }) === undefined, `${noProxy} / ${url}`).toBe(direct);
      expect(via(url, { no_proxy: noProxy }) === undefined, `${noProxy} / ${url}`).toBe(direct);
    }
  });

  it('proxy credentials are percent-decoded into Proxy-Authorization and masked wherever the proxy is named', () => {
    const p = via('https://api.m3ter.com', { HTTPS_PROXY: 'http://corp%5Cme:p%40ss:w0rd@proxy.corp:3128' });
    expect(p?.authorization).toBe(`Basic ${Buffer.from('corp\\me:p@ss:w0rd').toString('base64')}`);
    expect(p?.shown).toBe('http://***@proxy.corp:3128 (HTTPS_PROXY)');
    for (const bad of [
      'https://u:secretpw@proxy.corp',
      'socks5://u:secretpw@proxy.corp',
      'http://u:secretpw@[bad',
    ]) {
      const err = (() => {
        try {
          via('https://api.m3ter.com', { HTTPS_PROXY: bad });
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err, bad).toBeInstanceOf(M3terConfigError);
      expect((err as Error).message).toContain('HTTPS_PROXY');
      expect((err as Error).message).not.toContain('secretpw');
    }
  });
});

describe('requests through a proxy on loopback', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function origin(): Promise<{ port: number; seen: string[] }> {
    const seen: string[] = [];
    const server: Server = createServer((req, res) => {
      seen.push(
        `${req.method} ${req.url} host=${req.headers.host} auth=${req.headers['proxy-authorization'] ?? '-'}`,
      );
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => {
      server.closeAllConnections();
      return new Promise((r) => server.close(r));
    });
    return { port: (server.address() as AddressInfo).port, seen };
  }

  async function proxy(routes: Record<string, number>, credentials?: string): Promise<ForwardProxy> {
    const p = await startForwardProxy({ routes, ...(credentials ? { credentials } : {}) });
    cleanups.push(() => p.close());
    return p;
  }

  const get = (c: Connection, p = '/v1/things') =>
    c.send({ method: 'GET', path: p, headers: {}, body: undefined, signal: new AbortController().signal });

  it('an https:// target is reached by CONNECT and TLS to the target through the tunnel', async () => {
    const cert = selfSignedCertificate('api.m3ter.test');
    const app = await origin();
    const tls = await startTlsTerminator(cert, app.port);
    cleanups.push(() => tls.close());
    const px = await proxy({ 'api.m3ter.test:443': tls.port }, 'corp\\me:p@ss');
    const c = new Connection('https://api.m3ter.test', 1, {
      env: { HTTPS_PROXY: `http://corp%5Cme:p%40ss@127.0.0.1:${px.port}` },
      ca: cert.cert,
    });
    const first = await get(c);
    const second = await get(c, '/v1/other');
    await c.close();
    expect([first.status, first.text, second.status]).toEqual([200, '{"ok":true}', 200]);
    // Usually one tunnel carries both (keep-alive); a loaded machine may open a second one.
    expect(px.asked.length).toBeGreaterThanOrEqual(1);
    for (const asked of px.asked) {
      expect(asked).toEqual({
        method: 'CONNECT',
        target: 'api.m3ter.test:443',
        proxyAuthorization: `Basic ${Buffer.from('corp\\me:p@ss').toString('base64')}`,
      });
    }
    // Inside the tunnel the target sees an ordinary request, without the proxy's credentials.
    expect(app.seen).toEqual([
      'GET /v1/things host=api.m3ter.test auth=-',
      'GET /v1/other host=api.m3ter.test auth=-',
    ]);
  });

  it("the target's certificate is still checked through the tunnel", async () => {
    const cert = selfSignedCertificate('api.m3ter.test');
    const app = await origin();
    const tls = await startTlsTerminator(cert, app.port);
    cleanups.push(() => tls.close());
    const px = await proxy({ 'api.m3ter.test:443': tls.port });
    const c = new Connection('https://api.m3ter.test', 1, { env: { HTTPS_PROXY: px.url } });
    const err = await get(c).catch((e: unknown) => e);
    await c.close();
    expect(String((err as Error).message)).toMatch(/self[- ]signed|certificate/i);
    expect(app.seen).toEqual([]);
  });

  it('an http:// target is asked of the proxy by its absolute URI, with Proxy-Authorization', async () => {
    const app = await origin();
    const px = await proxy({ 'hooks.m3ter.test:80': app.port }, 'me:pw');
    const c = new Connection('http://hooks.m3ter.test', 1, {
      env: { http_proxy: `me:pw@127.0.0.1:${px.port}` },
    });
    const res = await get(c, '/in?x=1');
    await c.close();
    expect(res.status).toBe(200);
    expect(px.asked).toEqual([
      {
        method: 'GET',
        target: 'http://hooks.m3ter.test/in?x=1',
        proxyAuthorization: `Basic ${Buffer.from('me:pw').toString('base64')}`,
      },
    ]);
    expect(app.seen).toEqual(['GET /in?x=1 host=hooks.m3ter.test auth=-']);
  });

  it('loopback and NO_PROXY targets go direct: the proxy is asked nothing', async () => {
    const app = await origin();
    const px = await proxy({});
    const c = new Connection(`http://127.0.0.1:${app.port}`, 1, {
      env: { HTTP_PROXY: px.url, HTTPS_PROXY: px.url, NO_PROXY: 'unrelated.example' },
    });
    expect((await get(c)).status).toBe(200);
    await c.close();
    expect(px.asked).toEqual([]);
  });

  it('a proxy that wants credentials, or is down, is one clear error that never shows the password', async () => {
    const px = await proxy({ 'api.m3ter.test:443': 1 }, 'me:right');
    const refused = new Connection('https://api.m3ter.test', 1, {
      env: { HTTPS_PROXY: `http://me:wrongpass@127.0.0.1:${px.port}` },
    });
    const e407 = (await get(refused).catch((e: unknown) => e)) as M3terConfigError;
    await refused.close();
    expect(e407).toBeInstanceOf(M3terConfigError);
    expect(e407.code).toBe('proxy_auth_required');
    expect(e407.message).toBe(
      `the proxy http://***@127.0.0.1:${px.port} (HTTPS_PROXY) asks for credentials (HTTP 407); put them in the proxy URL (http://user:password@host:port)`,
    );
    await px.close();
    const down = new Connection('https://api.m3ter.test', 1, {
      env: { HTTPS_PROXY: `http://me:wrongpass@127.0.0.1:${px.port}` },
    });
    const eDown = (await get(down).catch((e: unknown) => e)) as Error;
    await down.close();
    expect(eDown.message).toMatch(/cannot reach the proxy http:\/\/\*\*\*@127\.0\.0\.1:\d+ \(HTTPS_PROXY\)/);
    expect(`${eDown.message} ${String((eDown.cause as Error | undefined)?.message)}`).not.toContain(
      'wrongpass',
    );
  });

  it('the proxy code is loaded only on demand: no module imports it statically', () => {
    const src = path.resolve(__dirname, '../../../src');
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory()
          ? files(path.join(dir, e.name))
          : e.name.endsWith('.ts')
            ? [path.join(dir, e.name)]
            : [],
      );
    const importers = files(src).filter((f) =>
      /^(?:import|export)\s[^;]*?from\s+'[./]*(?:live\/)?proxy\.js'/ms.test(readFileSync(f, 'utf8')),
    );
    expect(importers).toEqual([]);
    expect(readFileSync(path.join(src, 'live/http.ts'), 'utf8')).toContain("import('./proxy.js')");
  });
});
