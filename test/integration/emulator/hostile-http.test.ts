import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_API_KEY, DEFAULT_API_SECRET, startEmulator } from '../../../src/emulator/index.js';
import { type TestEmulator, start, webhookBody } from './helpers.js';

/**
 * The emulator is a server a developer runs next to a browser: the requests a web page can make (a cross-origin
 * form POST, a DNS-rebound read) are sent here as raw node:http requests with the headers a browser would set.
 */

interface Raw {
  status: number;
  type: string | undefined;
  body: string;
}

function raw(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Raw> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers, agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body: text }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const json = (r: Raw) => JSON.parse(r.body) as { message: string };

describe('the emulator refuses what a web page could send it', () => {
  let t: TestEmulator | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  async function withWebhook(): Promise<TestEmulator> {
    t = await start();
    const w = await t.client.call('POST', '/integrationdestinations/webhooks', { body: webhookBody() });
    expect(w.status).toBe(200);
    return t;
  }

  const count = async (e: TestEmulator) => (e.emu.admin.exportState().webhooks as unknown[]).length;

  it('a cross-origin text/plain POST cannot reset, seed or fire events', async () => {
    const e = await withWebhook();
    const port = new URL(e.emu.url).port;
    for (const path of [
      '/_emulator/reset',
      '/_emulator/seed',
      '/_emulator/events',
      '/_emulator/deliveries/retry',
    ]) {
      for (const origin of ['https://evil.example', 'null', `http://localhost:${Number(port) + 1}`]) {
        const r = await raw(
          e.emu.url,
          'POST',
          path,
          { Origin: origin, 'Content-Type': 'text/plain' },
          '{"format":1}',
        );
        expect(r.status, `${path} from ${origin}`).toBe(403);
        expect(r.type).toBe('application/json');
        expect(json(r).message).toMatch(/cross-origin/);
      }
    }
    expect(await count(e)).toBe(1);
  });

  it('an admin body that is not application/json is refused even without Origin; an empty POST is fine', async () => {
    const e = await withWebhook();
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const r = await raw(e.emu.url, 'POST', '/_emulator/seed', { 'Content-Type': type }, '{"format":1}');
      expect(r.status, type).toBe(403);
      expect(json(r).message).toMatch(/Content-Type: application\/json/);
    }
    const noType = await raw(e.emu.url, 'POST', '/_emulator/reset', {}, 'x');
    expect(noType.status).toBe(403);
    expect(await count(e)).toBe(1);
    // Chunked, no Content-Type.
    const chunked = await raw(e.emu.url, 'POST', '/_emulator/reset', { 'Transfer-Encoding': 'chunked' }, 'x');
    expect(chunked.status).toBe(403);
    expect(await count(e)).toBe(1);
    // curl -X POST with no body, and JSON with a charset, still work.
    expect((await raw(e.emu.url, 'POST', '/_emulator/counters/reset')).status).toBe(200);
    const charset = await raw(
      e.emu.url,
      'POST',
      '/_emulator/events',
      { 'Content-Type': 'application/json; charset=utf-8' },
      '{"eventName":"configuration.commitment.updated"}',
    );
    expect(charset.status).toBe(200);
    expect((await raw(e.emu.url, 'POST', '/_emulator/reset')).status).toBe(200);
    expect(await count(e)).toBe(0);
  });

  it('a DNS-rebound Host cannot read the state or call the API', async () => {
    const e = await withWebhook();
    const port = new URL(e.emu.url).port;
    for (const host of [
      `evil.example:${port}`,
      'evil.example',
      `127.0.0.1.evil.example:${port}`,
      '[::2]',
      'a b',
    ]) {
      const state = await raw(e.emu.url, 'GET', '/_emulator/state', { Host: host });
      expect(state.status, host).toBe(403);
      expect(json(state).message).toMatch(/Host/);
      expect(state.body).not.toContain('Ops alerts');
      const api = await raw(e.emu.url, 'POST', '/oauth/token', {
        Host: host,
        Authorization: `Basic ${Buffer.from(`${DEFAULT_API_KEY}:${DEFAULT_API_SECRET}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      });
      expect(api.status, host).toBe(403);
      expect(api.body).not.toContain('access_token');
    }
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `LOCALHOST:${port}`,
      `127.8.9.10:${port}`,
      `[::1]:${port}`,
    ]) {
      const ok = await raw(e.emu.url, 'GET', '/_emulator/state', { Host: host });
      expect(ok.status, host).toBe(200);
      expect(ok.body).toContain('Ops alerts');
    }
  });

  it('the API routes refuse a foreign Origin too, and accept their own', async () => {
    const e = await withWebhook();
    const token = e.client.token as string;
    const path = `/organizations/${e.emu.orgId}/integrationdestinations/webhooks`;
    const foreign = await raw(e.emu.url, 'GET', path, {
      Authorization: `Bearer ${token}`,
      Origin: 'https://evil.example',
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body).not.toContain('Ops alerts');
    const site = await raw(e.emu.url, 'GET', path, {
      Authorization: `Bearer ${token}`,
      'Sec-Fetch-Site': 'cross-site',
    });
    expect(site.status).toBe(403);
    const own = await raw(e.emu.url, 'GET', path, { Authorization: `Bearer ${token}`, Origin: e.emu.url });
    expect(own.status).toBe(200);
    expect(own.body).toContain('Ops alerts');
  });

  it('names given with allowHosts are accepted as Host and Origin, others are not', async () => {
    t = await start({ allowHosts: ['m3ter-emulator'] });
    const port = new URL(t.emu.url).port;
    expect((await raw(t.emu.url, 'GET', '/_emulator/state', { Host: `m3ter-emulator:${port}` })).status).toBe(
      200,
    );
    expect(
      (await raw(t.emu.url, 'GET', '/_emulator/state', { Origin: `http://m3ter-emulator:${port}` })).status,
    ).toBe(200);
    expect((await raw(t.emu.url, 'GET', '/_emulator/state', { Host: `other:${port}` })).status).toBe(403);
  });

  it('refuses the default credentials when bound beyond loopback', async () => {
    await expect(startEmulator({ host: '0.0.0.0', port: 0 })).rejects.toThrow(
      /not a loopback address.*apiKey and apiSecret/,
    );
    await expect(
      startEmulator({ host: '0.0.0.0', port: 0, apiKey: 'mine', apiSecret: DEFAULT_API_SECRET }),
    ).rejects.toThrow(/not a loopback address/);
    // Nor through an extra service user (--user KEY:SECRET).
    for (const user of [
      { apiKey: DEFAULT_API_KEY, apiSecret: 'x-secret' },
      { apiKey: 'other', apiSecret: DEFAULT_API_SECRET },
    ]) {
      await expect(
        startEmulator({ host: '0.0.0.0', port: 0, apiKey: 'mine', apiSecret: 'also-mine', users: [user] }),
      ).rejects.toThrow(/not a loopback address.*published default/);
    }
    const own = await startEmulator({ host: '0.0.0.0', port: 0, apiKey: 'mine', apiSecret: 'also-mine' });
    try {
      const port = new URL(own.url).port;
      expect((await raw(`http://127.0.0.1:${port}`, 'GET', '/_emulator/counters')).status).toBe(200);
    } finally {
      await own.close();
    }
  });
});
