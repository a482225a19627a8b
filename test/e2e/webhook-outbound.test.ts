import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signM3terRequest } from '../../src/signing/index.js';
import { BIN, runCli, spawnCli, tempDir } from './run-cli.js';

const HOOK_KEY = 'k9Xq2vRm7TzLw4';
const HOOK_SECRET = 'sW7pz+/Lk2Qn8yHbJ3';
const env = { HOOK_KEY, HOOK_SECRET };

interface Receiver {
  url: string;
  port: number;
  got: { path: string; headers: IncomingMessage['headers']; body: string }[];
}

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A loopback server that hands each request, read whole, to `answer`. */
async function receiver(
  answer: (req: IncomingMessage, body: string, res: ServerResponse) => void,
): Promise<Receiver> {
  const got: Receiver['got'] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      got.push({ path: req.url ?? '/', headers: req.headers, body });
      answer(req, body, res);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    return new Promise((r) => server.close(r));
  });
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, port, got };
}

function config(url: string): string {
  const dir = tempDir();
  writeFileSync(
    path.join(dir, 'm3ter.yaml'),
    `webhooks:
  - code: hook
    name: Hook
    description: Outbound tests
    url: ${url}
    credentials:
      type: M3TER_SIGNED_REQUEST
      apiKey: { env: HOOK_KEY }
      secret: { env: HOOK_SECRET }
`,
  );
  return dir;
}

/** Every run of 6 characters of the key and the secret: none may be shown. */
function pieces(): string[] {
  const out: string[] = [];
  for (const s of [HOOK_KEY, HOOK_SECRET])
    for (let i = 0; i + 6 <= s.length; i++) out.push(s.slice(i, i + 6));
  return out;
}

describe('webhook test-send: what it sends and what it shows', () => {
  it('a receiver that never answers ends in a timeout error, after --timeout', async () => {
    const rx = await receiver(() => undefined);
    const dir = config(`${rx.url}/hang`);
    const r = await runCli(['webhook', 'test-send', 'hook', '--timeout', '0.5'], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: no answer from http:\/\/127\.0\.0\.1:\d+\/hang: timed out after 0\.5 s/);
    expect(rx.got).toHaveLength(1);
  });

  it('--timeout takes seconds and refuses anything else', async () => {
    const dir = config('http://127.0.0.1:9/x');
    for (const bad of ['0', '-1', 'soon', '4000']) {
      const r = await runCli(['webhook', 'test-send', 'hook', '--timeout', bad], { cwd: dir, env });
      expect(r.code, bad).toBe(1);
      expect(r.stderr).toMatch(/invalid value for --timeout/);
    }
  });

  it('a redirect is reported with its Location masked and never followed with the signed request', async () => {
    const elsewhere = await receiver((_req, _body, res) => res.writeHead(200).end('stolen'));
    const target = `http://thief:pa55word@127.0.0.1:${elsewhere.port}/collect`;
    for (const status of [301, 302, 303, 307, 308]) {
      const rx = await receiver((_req, _body, res) => res.writeHead(status, { location: target }).end());
      const dir = config(`${rx.url}/hook`);
      const r = await runCli(['webhook', 'test-send', 'hook'], { cwd: dir, env });
      expect(r.code, String(status)).toBe(1);
      expect(r.stdout).toMatch(new RegExp(`answer: ${status} `));
      expect(r.stderr).toContain(`redirect to http://***@127.0.0.1:${elsewhere.port}/collect; not followed`);
      expect(r.stdout + r.stderr).not.toContain('pa55word');
    }
    expect(elsewhere.got).toEqual([]);
  });

  it('an endless answer stops at the documented size with a clear error', async () => {
    const rx = await receiver((_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 0x7a);
      const pump = (): void => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    const dir = config(`${rx.url}/big`);
    const r = await runCli(['webhook', 'test-send', 'hook'], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /the answer from \S+ \(HTTP 200\) is larger than 1048576 bytes; the rest was not read/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a receiver echoing the key and secret in any form shows none of them, not even a start cut at the limit', async () => {
    const request = `apikey=${HOOK_KEY}&secret=${HOOK_SECRET}`;
    const forms = [
      HOOK_KEY,
      HOOK_SECRET,
      ...['', 'a', 'ab'].flatMap((before) => [
        Buffer.from(`${before}${request}`).toString('base64'),
        Buffer.from(`${before}${request}`).toString('base64url'),
      ]),
      Buffer.from(HOOK_SECRET).toString('hex'),
      Buffer.from(HOOK_KEY).toString('hex').toUpperCase(),
      [...HOOK_SECRET].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
      encodeURIComponent(request),
    ];
    const answers = [
      `{"echo":[${forms.map((f) => JSON.stringify(f)).join(',')}]}`,
      // Cut at the display limit (2000 characters) in the middle of the secret, then of the key.
      `${'z'.repeat(1990)}${HOOK_SECRET}`,
      `${'z'.repeat(1995)}${HOOK_KEY}`,
    ];
    for (const answer of answers) {
      const rx = await receiver((req, _body, res) =>
        res.writeHead(400, `Bad ${String(req.headers['x-m3ter-apikey'])}`).end(answer),
      );
      const dir = config(`${rx.url}/echo`);
      const r = await runCli(['webhook', 'test-send', 'hook'], { cwd: dir, env });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('(sensitive)');
      const out = r.stdout + r.stderr;
      for (const p of pieces()) expect(out).not.toContain(p);
      for (const f of forms) expect(out).not.toContain(f.slice(4, -4));
    }
  });
});

describe('webhook listen --forward', () => {
  it('does not follow a redirect from the forward target, and bounds the wait with --timeout', async () => {
    const elsewhere = await receiver((_req, _body, res) => res.writeHead(200).end());
    const redirecting = await receiver((_req, _body, res) =>
      res.writeHead(307, { location: `http://127.0.0.1:${elsewhere.port}/collect` }).end(),
    );
    const hanging = await receiver(() => undefined);
    const declared = `http://127.0.0.1:9/hooks/m3ter`;
    const dir = config(declared);
    const body = JSON.stringify({ eventName: 'billing.bill.created', m3terEvent: { eventData: {} } });
    const { headers } = signM3terRequest({ url: declared, body, apiKey: HOOK_KEY, secret: HOOK_SECRET });
    for (const [to, expected] of [
      [
        `${redirecting.url}/in`,
        /forwarded: 307 \(redirect to http:\/\/127\.0\.0\.1:\d+\/collect not followed\)/,
      ],
      [`${hanging.url}/in`, /forwarded: failed \(timed out after 0\.5 s \(--timeout\)\)/],
    ] as const) {
      const relay = spawnCli(
        process.execPath,
        [BIN, 'webhook', 'listen', '--port', '0', '--forward', to, '--timeout', '0.5'],
        { cwd: dir, env },
      );
      cleanups.push(async () => {
        relay.child.kill('SIGTERM');
        await relay.done;
      });
      await relay.waitFor(/Listening on http:\/\/127\.0\.0\.1:(\d+)/);
      const port = /Listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(relay.stdout())?.[1];
      await fetch(`http://127.0.0.1:${port}/hooks/m3ter`, { method: 'POST', headers, body });
      await relay.waitFor(expected);
    }
    expect(elsewhere.got).toEqual([]);
  });
});

describe('webhook listen: a web page is not a sender', () => {
  it('refuses browser requests (a cross-origin text/plain POST, a rebound Host) and forwards none of them', async () => {
    const target = await receiver((_req, _body, res) => res.writeHead(200).end());
    const declared = `http://127.0.0.1:9/hooks/m3ter`;
    const dir = config(declared);
    const relay = spawnCli(
      process.execPath,
      [BIN, 'webhook', 'listen', '--port', '0', '--forward', `${target.url}/in`],
      { cwd: dir, env },
    );
    cleanups.push(async () => {
      relay.child.kill('SIGTERM');
      await relay.done;
    });
    await relay.waitFor(/forwarding to/);
    const port = /Listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(relay.stdout())?.[1];
    const at = `http://127.0.0.1:${port}/hooks/m3ter`;
    const browsers: Record<string, string>[] = [
      { origin: 'http://evil.example', 'content-type': 'text/plain' },
      { origin: 'null' },
      { origin: `http://127.0.0.1:${port}`, host: `rebound.evil.example:${port}` },
      { 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of browsers) {
      const res = await fetch(at, { method: 'POST', headers, body: '{"eventName":"x"}' });
      expect(res.status, JSON.stringify(headers)).toBe(403);
    }
    await relay.waitFor(/(refused: a browser request[^\n]*\n[^]*){4}/);
    expect(target.got).toEqual([]);
    // A delivery (no browser headers) still goes through.
    await fetch(at, { method: 'POST', body: '{"eventName":"billing.bill.created"}' });
    await relay.waitFor(/forwarded: 200/);
    expect(target.got).toHaveLength(1);
  });
});
