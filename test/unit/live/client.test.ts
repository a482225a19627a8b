import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from '../../../src/live/client.js';
import type { LiveClient, Target } from '../../../src/live/contract.js';
import { ApiConnectionError, ApiError, UnclearWriteError } from '../../../src/model/errors.js';
import { StubServer, fakeClock } from './stub-server.js';

const ORG = 'org-1';
const SECRET = 'sup3r-secret-value';

function targetFor(url: string): Target {
  return {
    description: { type: 'm3ter', orgId: ORG, baseUrl: url },
    orgId: ORG,
    baseUrl: url,
    apiKey: 'key-1',
    apiSecretReveal: () => SECRET,
  };
}

let stub: StubServer;
let client: LiveClient | undefined;

beforeEach(async () => {
  stub = await new StubServer().start();
});

afterEach(async () => {
  await client?.close();
  client = undefined;
  await stub.stop();
});

function make(options: Parameters<typeof createClient>[1] = {}) {
  const clock = fakeClock();
  client = createClient(targetFor(stub.url), { clock, random: () => 0.5, ...options });
  return { client, clock };
}

describe('token', () => {
  it('gets a token by client credentials (Basic auth, JSON body) and sends it as a bearer', async () => {
    const { client } = make();
    stub.handler = () => ({ status: 200, body: { id: 'x' } });
    await client.get('/organizations/org-1/things/x');
    const tok = stub.tokenRequests[0];
    expect(tok?.method).toBe('POST');
    expect(tok?.headers.authorization).toBe(`Basic ${Buffer.from(`key-1:${SECRET}`).toString('base64')}`);
    expect(tok?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(tok?.body ?? '')).toEqual({ grant_type: 'client_credentials' });
    expect(stub.api[0]?.headers.authorization).toBe('Bearer tok-1');
  });

  it('shares one in-flight token request among concurrent callers', async () => {
    const { client } = make();
    await Promise.all(Array.from({ length: 10 }, (_, i) => client.get(`/organizations/org-1/things/${i}`)));
    expect(stub.tokenRequests).toHaveLength(1);
    expect(client.stats()).toMatchObject({ requests: 11, tokenRequests: 1, retries: 0 });
  });

  it('renews five minutes before expiry', async () => {
    stub.tokenTtl = 3600;
    const { client, clock } = make();
    await client.get('/a');
    clock.t += (3600 - 301) * 1000;
    await client.get('/a');
    expect(stub.tokenRequests).toHaveLength(1);
    clock.t += 2000;
    await client.get('/a');
    expect(stub.tokenRequests).toHaveLength(2);
    expect(stub.api[2]?.headers.authorization).toBe('Bearer tok-2');
  });

  it('clamps the renewal margin to a fifth of a short lifetime', async () => {
    stub.tokenTtl = 10;
    const { client, clock } = make();
    await client.get('/a');
    clock.t += 7900;
    await client.get('/a');
    expect(stub.tokenRequests).toHaveLength(1);
    clock.t += 200;
    await client.get('/a');
    expect(stub.tokenRequests).toHaveLength(2);
  });

  it('renews once on a 403 (m3ter answers 403 for an expired token) and repeats the call', async () => {
    const { client } = make();
    stub.handler = (req) =>
      req.headers.authorization === 'Bearer tok-1'
        ? { status: 403, body: { message: 'Forbidden' } }
        : { status: 200, body: { ok: true } };
    await expect(client.get('/a')).resolves.toEqual({ ok: true });
    expect(stub.tokenRequests).toHaveLength(2);
  });

  it('renews once on a 401, also for a POST', async () => {
    const { client } = make();
    stub.handler = (req) =>
      req.headers.authorization === 'Bearer tok-1'
        ? { status: 401, body: {} }
        : { status: 200, body: { id: 'n' } };
    await expect(client.post('/a', { code: 'x' })).resolves.toEqual({ id: 'n' });
  });

  it('gives up after one renewal when the new token is refused too', async () => {
    const { client } = make();
    stub.handler = () => ({ status: 403, body: { message: 'Forbidden: unknown organization' } });
    const err = await client.get('/organizations/org-1/x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(403);
    expect((err as ApiError).code).toBe('api_forbidden');
    expect((err as ApiError).message).toContain('Forbidden: unknown organization');
    expect(stub.tokenRequests).toHaveLength(2);
    expect(stub.api).toHaveLength(2);
  });

  it('reports refused credentials without the secret', async () => {
    const { client } = make();
    stub.onToken = () => ({ status: 403, body: { message: `bad secret ${SECRET}` } });
    const err = (await client.get('/x').catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toContain('M3TER_API_SECRET');
    expect(JSON.stringify({ m: err.message, meta: err.meta })).not.toContain(SECRET);
    expect(stub.tokenRequests).toHaveLength(1);
  });
});

describe('retries', () => {
  it('backs off exponentially with full jitter on 5xx for a GET', async () => {
    const { client, clock } = make({ random: () => 0.5 });
    stub.handler = (_req, i) =>
      i < 3 ? { status: 503, body: { message: 'busy' } } : { status: 200, body: 'ok' };
    await expect(client.get('/a')).resolves.toBe('ok');
    expect(clock.sleeps).toEqual([100, 200, 400]);
    expect(client.stats().retries).toBe(3);
  });

  it('caps the backoff and stops after maxRetries', async () => {
    const { client, clock } = make({ random: () => 0.999, maxRetries: 7 });
    stub.handler = () => ({ status: 500, body: { message: 'boom' } });
    const err = (await client.get('/organizations/org-1/a').catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(500);
    expect(err.message).toBe('GET /a failed with HTTP 500: boom');
    expect(err.meta).toMatchObject({ method: 'GET', status: 500, retries: 7 });
    expect(clock.sleeps).toEqual([199, 399, 799, 1598, 3196, 6393, 7992]);
    expect(stub.api).toHaveLength(8);
  });

  it('honours Retry-After in seconds, retry-after-ms, and an HTTP date', async () => {
    const { client, clock } = make();
    const date = new Date(clock.t + 3000).toUTCString();
    const replies = [
      { status: 503, body: {}, headers: { 'retry-after': date } },
      { status: 429, body: {}, headers: { 'retry-after': '2' } },
      { status: 429, body: {}, headers: { 'retry-after-ms': '150' } },
      { status: 200, body: 'done' },
    ];
    stub.handler = (_req, i) => replies[i] ?? { status: 500 };
    await expect(client.get('/a')).resolves.toBe('done');
    // The HTTP date is whole seconds; the wait is what remains until it.
    expect(clock.sleeps[0]).toBeGreaterThan(2000);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(3000);
    expect(clock.sleeps.slice(1)).toEqual([2000, 150]);
    expect(client.stats().rateLimited).toBe(2);
  });

  it('retries PUT and DELETE on 5xx and resets', async () => {
    const { client } = make();
    stub.handler = (_req, i) => (i % 2 === 0 ? { action: 'reset' } : { status: 200, body: { i } });
    await expect(client.put('/a', { version: 1 })).resolves.toEqual({ i: 1 });
    await expect(client.delete('/a')).resolves.toEqual({ i: 3 });
    stub.handler = (_req, i) => (i === 4 ? { status: 502, body: {} } : { status: 200, body: { i } });
    await expect(client.put('/a', {})).resolves.toEqual({ i: 5 });
  });

  it('retries a GET after a reset', async () => {
    const { client } = make();
    stub.handler = (_req, i) => (i === 0 ? { action: 'reset' } : { status: 200, body: 'ok' });
    await expect(client.get('/a')).resolves.toBe('ok');
  });

  it('never resends a POST after a 5xx: UnclearWriteError', async () => {
    const { client } = make();
    stub.handler = () => ({ status: 500, body: { message: 'Internal' } });
    const err = await client.post('/organizations/org-1/webhooks', { code: 'a' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnclearWriteError);
    expect((err as UnclearWriteError).code).toBe('unclear_write');
    expect(stub.api).toHaveLength(1);
  });

  it('never resends a POST after a reset: UnclearWriteError', async () => {
    const { client } = make();
    stub.handler = () => ({ action: 'reset' });
    await expect(client.post('/a', { code: 'a' })).rejects.toBeInstanceOf(UnclearWriteError);
    expect(stub.api).toHaveLength(1);
  });

  it('retries a POST on 429', async () => {
    const { client } = make();
    stub.handler = (_req, i) =>
      i === 0
        ? { status: 429, body: {}, headers: { 'retry-after': '1' } }
        : { status: 200, body: { id: 'n' } };
    await expect(client.post('/a', { code: 'a' })).resolves.toEqual({ id: 'n' });
    expect(stub.api).toHaveLength(2);
  });

  it('retries a POST refused before anything was sent', async () => {
    const clock = fakeClock();
    const port = stub.port;
    clock.sleep = async (ms: number) => {
      clock.sleeps.push(ms);
      clock.t += ms;
      if (clock.sleeps.length === 1) await stub.start(port);
    };
    client = createClient(targetFor(stub.url), { clock, random: () => 0.5 });
    await client.get('/warm');
    await stub.stop();
    // Let the client see its idle keep-alive socket close, so the POST needs a new connection.
    await new Promise((resolve) => setTimeout(resolve, 50));
    stub.handler = () => ({ status: 200, body: { id: 'created' } });
    await expect(client.post('/a', { code: 'a' })).resolves.toEqual({ id: 'created' });
    expect(stub.api.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('throws ApiError on 400 without retrying, with m3ter message and no secret', async () => {
    const { client } = make();
    stub.handler = (req) => ({ status: 400, body: { message: `invalid body ${req.body}` } });
    const body = { code: 'w', credentials: { apiKey: 'the-api-key', secret: 'the-webhook-secret' } };
    const err = (await client.put('/organizations/org-1/w/1', body).catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('api_bad_request');
    expect(err.message).toContain('invalid body');
    expect(err.message).not.toContain('the-webhook-secret');
    expect(err.message).not.toContain('the-api-key');
    expect(stub.api).toHaveLength(1);
  });

  it('redacts every credential secret an error message echoes, whatever the field is called', async () => {
    const { client } = make();
    stub.handler = (req) => ({ status: 400, body: { message: `Invalid request: ${req.body}` } });
    const body = {
      name: 'stripe-prod',
      destination: 'STRIPE',
      type: 'STRIPE_SIGNED_REQUEST',
      settings: { site: 'acme' },
      secrets: { signingKey: 'whsec_LEAKME_1', webhookUrl: 'https://hooks.slack.example/T0/B0/LEAKME_2' },
    };
    const err = (await client
      .post('/organizations/org-1/integrationcredentials', body)
      .catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).not.toContain('LEAKME');
    expect(err.message).toContain('(sensitive)');
    // What is not secret stays readable.
    expect(err.message).toContain('STRIPE_SIGNED_REQUEST');
    expect(err.message).toContain('acme');
  });

  it('GET 404 is undefined; DELETE 404 is an ApiError', async () => {
    const { client } = make();
    stub.handler = () => ({ status: 404, body: { message: 'not found' } });
    await expect(client.get('/a')).resolves.toBeUndefined();
    const err = (await client.delete('/a').catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(404);
    expect(err.code).toBe('api_not_found');
  });
});

describe('timeouts', () => {
  it('a hanging GET times out, is retried, and ends in ApiConnectionError', async () => {
    const { client } = make({ timeoutMs: 150, maxRetries: 1 });
    stub.handler = () => ({ action: 'hang' });
    const err = (await client.get('/a').catch((e: unknown) => e)) as ApiConnectionError;
    expect(err).toBeInstanceOf(ApiConnectionError);
    expect(err.timedOut).toBe(true);
    expect(err.code).toBe('api_timeout');
    expect(stub.api).toHaveLength(2);
  });

  it('a hanging POST is not sent again', async () => {
    const { client } = make({ timeoutMs: 150 });
    stub.handler = () => ({ action: 'hang' });
    const err = (await client.post('/a', {}).catch((e: unknown) => e)) as UnclearWriteError;
    expect(err).toBeInstanceOf(UnclearWriteError);
    expect(err.meta).toMatchObject({ timedOut: true });
    expect(stub.api).toHaveLength(1);
  });
});

describe('lists and paths', () => {
  it('reads every page at the given page size until nextToken is absent, empty or null', async () => {
    for (const end of [undefined, '', null]) {
      const c = make().client;
      stub.seen.length = 0;
      stub.handler = (req) => {
        const t = req.query.get('nextToken');
        if (t === null) return { status: 200, body: { data: [1, 2], nextToken: 'p2' } };
        if (t === 'p2') return { status: 200, body: { data: [3], nextToken: 'p 3/&' } };
        return { status: 200, body: end === undefined ? { data: [4] } : { data: [4], nextToken: end } };
      };
      await expect(c.list('/organizations/org-1/x', 200, { active: 'true' })).resolves.toEqual([1, 2, 3, 4]);
      expect(stub.api.map((r) => r.query.get('pageSize'))).toEqual(['200', '200', '200']);
      expect(stub.api.map((r) => r.query.get('active'))).toEqual(['true', 'true', 'true']);
      expect(stub.api[2]?.query.get('nextToken')).toBe('p 3/&');
      await c.close();
    }
  });

  it('refuses a list whose token repeats', async () => {
    const { client } = make();
    stub.handler = () => ({ status: 200, body: { data: [1], nextToken: 'same' } });
    await expect(client.list('/x', 10)).rejects.toThrow(/repeated a page token/);
  });

  it('counts the token request against the rate limit', async () => {
    // At 1 request per second (window 1 s + 25 ms slack), the GET after the token must wait out the window.
    const { client, clock } = make({ rateLimit: 1 });
    const t0 = clock.t;
    stub.handler = () => ({ status: 200, body: { ok: true } });
    await client.get('/organizations/org-1/a');
    expect(client.stats()).toMatchObject({ requests: 2, tokenRequests: 1 });
    expect(clock.t - t0).toBeGreaterThanOrEqual(1025);
  });

  it('keeps a base URL path prefix', async () => {
    client = createClient(targetFor(`${stub.url}/prefix`), { clock: fakeClock() });
    stub.onToken = () => ({ status: 200, body: { access_token: 't', expires_in: 100 } });
    await client.get('/organizations/org-1/a');
    expect(stub.seen.map((r) => r.path)).toEqual(['/prefix/oauth/token', '/prefix/organizations/org-1/a']);
  });
});

describe('redaction of echoed requests', () => {
  /** Every form a server might echo a secret in. */
  function forms(secret: string): string[] {
    const json = JSON.stringify(secret).slice(1, -1);
    return [
      secret,
      json,
      encodeURIComponent(secret),
      new URLSearchParams({ v: secret }).toString().slice(2),
      Buffer.from(secret).toString('base64'),
    ];
  }
  function echo(req: { headers: Record<string, unknown>; body: string; url: string }): string {
    const raw = `${req.url} ${JSON.stringify(req.headers)} ${req.body}`;
    return [
      raw,
      JSON.stringify(raw),
      encodeURIComponent(raw),
      new URLSearchParams({ echo: raw }).toString(),
      `authorization=${String(req.headers['authorization'])}`,
      ...forms(req.body),
    ].join(' | ');
  }
  function leaks(text: string, secrets: string[]): string[] {
    return secrets.flatMap((s) => forms(s)).filter((f) => text.includes(f));
  }
  const HOSTILE = 'we"b\\hook sec+ret/&=%';

  it('a token endpoint error that echoes the request shows no form of the secret or its Basic credentials', async () => {
    for (const status of [400, 401, 418, 500]) {
      const { client } = make({ maxRetries: 0 });
      stub.tokenRequests.length = 0;
      stub.onToken = (req) => ({ status, body: { message: echo(req) } });
      const err = (await client.get('/a').catch((e: unknown) => e)) as ApiError;
      expect(err).toBeInstanceOf(ApiError);
      const basic = Buffer.from(`key-1:${SECRET}`).toString('base64');
      const shown = `${err.message} ${JSON.stringify(err.meta)}`;
      expect(leaks(shown, [SECRET, basic]), `HTTP ${status}: ${shown}`).toEqual([]);
      await client.close();
    }
  });

  it('an API error that echoes a JSON-escaped or URL-encoded webhook secret shows none of its forms', async () => {
    for (const status of [400, 409, 500]) {
      const { client } = make({ maxRetries: 0 });
      stub.handler = (req) => ({ status, body: { message: echo(req) } });
      const body = {
        code: 'w',
        credentials: { type: 'M3TER_SIGNED_REQUEST', apiKey: 'k-1234', secret: HOSTILE },
      };
      const err = (await client.put('/organizations/org-1/w/1', body).catch((e: unknown) => e)) as ApiError;
      expect(err).toBeInstanceOf(ApiError);
      const shown = `${err.message} ${JSON.stringify(err.meta)}`;
      expect(leaks(shown, [HOSTILE, 'k-1234', 'tok-1']), `HTTP ${status}: ${shown}`).toEqual([]);
      expect(err.message).toContain('(sensitive)');
      await client.close();
    }
  });

  it('a text (non-JSON) error body is redacted the same way', async () => {
    const { client } = make({ maxRetries: 0 });
    stub.onToken = (req) => ({ status: 502, body: echo(req), headers: { 'content-type': 'text/plain' } });
    const err = (await client.get('/a').catch((e: unknown) => e)) as ApiError;
    const basic = Buffer.from(`key-1:${SECRET}`).toString('base64');
    expect(leaks(err.message, [SECRET, basic])).toEqual([]);
  });
  it('a long error body is redacted before it is cut, so no start of a secret is left at the cut', async () => {
    const { client } = make({ maxRetries: 0 });
    const secret = 'whsec_long_hostile_secret_value';
    for (const at of [280, 290, 296]) {
      stub.handler = () => ({
        status: 400,
        body: `${'x'.repeat(at)}${secret} and more`,
        headers: { 'content-type': 'text/plain' },
      });
      const body = { code: 'w', credentials: { type: 'M3TER_SIGNED_REQUEST', apiKey: 'k-1', secret } };
      const err = (await client.put('/organizations/org-1/w/1', body).catch((e: unknown) => e)) as ApiError;
      expect(err).toBeInstanceOf(ApiError);
      expect(err.message).not.toContain(secret.slice(0, 4));
    }
  });
});

describe('redaction through the CLI', () => {
  it('plan against a token endpoint that echoes the request prints no form of the secret on stderr', async () => {
    const { runCli, tempDir, QUICKSTART, QUICKSTART_ENV } = await import('../../e2e/run-cli.js');
    stub.onToken = (req) => ({
      status: 418,
      body: { message: `rejected ${JSON.stringify(req.headers)} ${encodeURIComponent(req.body)}` },
    });
    const secret = 'cli "hostile\\ secret+/=';
    const r = await runCli(['plan', QUICKSTART, '--env-file', QUICKSTART_ENV], {
      cwd: tempDir(),
      env: { M3TER_ORG_ID: ORG, M3TER_API_KEY: 'key-1', M3TER_API_SECRET: secret, M3TER_BASE_URL: stub.url },
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('HTTP 418');
    const basic = Buffer.from(`key-1:${secret}`).toString('base64');
    const out = r.stdout + r.stderr;
    for (const s of [secret, basic]) {
      for (const f of [
        s,
        JSON.stringify(s).slice(1, -1),
        encodeURIComponent(s),
        Buffer.from(s).toString('base64'),
      ])
        expect(out).not.toContain(f);
    }
  });
});
