import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, connect, type Socket } from 'node:net';
import * as tls from 'node:tls';

/**
 * Test doubles for requests through a corporate proxy, all on loopback: a self-signed certificate made here (no
 * openssl binary), a TLS server for one made-up name, and an HTTP proxy that records what it is asked and reaches
 * made-up names through a table of loopback ports (the proxy, not the client, resolves names).
 */

// --- a self-signed certificate, DER by hand -------------------------------------------------------------------

function der(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const n = body.length;
  const length =
    n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, body]);
}
const seq = (...c: Buffer[]) => der(0x30, ...c);
const oid = (dotted: string): Buffer => {
  const [a, b, ...rest] = dotted.split('.').map(Number) as [number, number, ...number[]];
  const bytes = [a * 40 + b];
  for (const v of rest) {
    const groups = [v & 0x7f];
    for (let x = v >> 7; x > 0; x >>= 7) groups.unshift((x & 0x7f) | 0x80);
    bytes.push(...groups);
  }
  return der(0x06, Buffer.from(bytes));
};
const utcTime = (d: Date) =>
  der(0x17, Buffer.from(`${d.toISOString().slice(2, 19).replace(/[-:T]/g, '')}Z`, 'ascii'));

/** A P-256 key and a self-signed certificate for `hostname` (a CA, so it can be trusted as its own issuer). */
export function selfSignedCertificate(hostname: string): { key: string; cert: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const ecdsaSha256 = seq(oid('1.2.840.10045.4.3.2'));
  const name = seq(der(0x31, seq(oid('2.5.4.3'), der(0x0c, Buffer.from(hostname)))));
  const now = Date.now();
  const extensions = der(
    0xa3,
    seq(
      seq(oid('2.5.29.19'), der(0x01, Buffer.from([0xff])), der(0x04, seq(der(0x01, Buffer.from([0xff]))))),
      seq(oid('2.5.29.17'), der(0x04, seq(der(0x82, Buffer.from(hostname))))),
    ),
  );
  const serial = randomBytes(8);
  serial[0] = (serial[0] as number) & 0x7f;
  const tbs = seq(
    der(0xa0, der(0x02, Buffer.from([2]))),
    der(0x02, serial),
    ecdsaSha256,
    name,
    seq(utcTime(new Date(now - 3_600_000)), utcTime(new Date(now + 86_400_000))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    extensions,
  );
  const signature = sign('sha256', tbs, privateKey);
  const certificate = seq(tbs, ecdsaSha256, der(0x03, Buffer.from([0]), signature));
  const pem = certificate.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n');
  return {
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    cert: `-----BEGIN CERTIFICATE-----\n${pem}-----END CERTIFICATE-----\n`,
  };
}

// --- servers ---------------------------------------------------------------------------------------------------

function tracked(server: Server | tls.Server): () => Promise<void> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

async function listen(server: Server | tls.Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

/**
 * TLS on loopback with `cert`, each connection piped in plain text to the loopback port `to`. With `rewriteHost`,
 * it is an HTTPS server instead that passes each request on with a loopback Host (for a server that checks it).
 */
export async function startTlsTerminator(
  cert: { key: string; cert: string },
  to: number,
  options: { rewriteHost?: boolean } = {},
): Promise<{ port: number; close(): Promise<void> }> {
  const server = options.rewriteHost
    ? createHttpsServer(cert, (req, res) => {
        const upstream = request(
          {
            host: '127.0.0.1',
            port: to,
            method: req.method,
            path: req.url,
            headers: { ...req.headers, host: `127.0.0.1:${to}` },
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on('error', () => res.destroy());
        req.pipe(upstream);
      })
    : tls.createServer(cert, (secure) => {
        const plain = connect(to, '127.0.0.1');
        secure.pipe(plain).pipe(secure);
        const end = () => (secure.destroy(), plain.destroy());
        secure.on('error', end);
        plain.on('error', end);
      });
  const close = tracked(server);
  return { port: await listen(server), close };
}

export interface Asked {
  method: string;
  /** `host:port` of a CONNECT, the absolute URI of a plain request. */
  target: string;
  proxyAuthorization: string | undefined;
}

export interface ForwardProxy {
  url: string;
  port: number;
  readonly asked: Asked[];
  close(): Promise<void>;
}

/**
 * A forward proxy on loopback. `routes` maps `host:port` as the client names it to a loopback port. With
 * `credentials` (`user:password`), a request without them gets 407. A name not in `routes` gets 502.
 */
export async function startForwardProxy(options: {
  routes: Record<string, number>;
  credentials?: string;
}): Promise<ForwardProxy> {
  const asked: Asked[] = [];
  const expected =
    options.credentials === undefined
      ? undefined
      : `Basic ${Buffer.from(options.credentials, 'utf8').toString('base64')}`;
  const admitted = (req: IncomingMessage): boolean =>
    expected === undefined || req.headers['proxy-authorization'] === expected;
  const record = (req: IncomingMessage): void => {
    asked.push({
      method: req.method ?? '?',
      target: req.url ?? '',
      proxyAuthorization: req.headers['proxy-authorization'],
    });
  };
  const server = createServer((req, res) => {
    record(req);
    if (!admitted(req)) return void res.writeHead(407, { 'proxy-authenticate': 'Basic' }).end();
    const url = new URL(req.url ?? '');
    const port = options.routes[`${url.hostname}:${url.port || '80'}`];
    if (port === undefined) return void res.writeHead(502).end('unknown host');
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const upstream = request(
      { host: '127.0.0.1', port, method: req.method, path: `${url.pathname}${url.search}`, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    record(req);
    if (!admitted(req)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n');
      return;
    }
    const port = options.routes[req.url ?? ''];
    if (port === undefined) {
      client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      return;
    }
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    const end = () => (client.destroy(), upstream.destroy());
    upstream.on('error', end);
    client.on('error', end);
  });
  const close = tracked(server);
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, port, asked, close };
}
