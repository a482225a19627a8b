import { createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  createReplayGuard,
  signM3terRequest,
  SigningConfigError,
  verifyFetchRequest,
  verifyM3terRequest,
  verifyNodeRequest,
} from '../../../src/signing/index.js';

const URL_ = 'https://hooks.example.com/m3ter';
const API_KEY = 'attack-key';
const SECRET = 'attack-secret';
const NOW = 1_800_000_000_000;
const BODY = '{"eventName":"billing.bill.created"}';
const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

function signed(options: { secret?: string; timestamp?: number; body?: string } = {}) {
  const body = options.body ?? BODY;
  const { headers } = signM3terRequest({
    url: URL_,
    body,
    apiKey: API_KEY,
    secret: options.secret ?? SECRET,
    timestamp: options.timestamp ?? NOW,
  });
  return { headers, body };
}

/** Options as a JavaScript caller might pass them: nothing stops them at compile time. */
const loose = (o: Record<string, unknown>) => o as unknown as Parameters<typeof verifyM3terRequest>[0];

describe('misuse throws at the call (SigningConfigError)', () => {
  it('refuses a tolerance that is not a finite positive number: NaN would accept a ten-year-old request', () => {
    const old = signed({ timestamp: NOW - TEN_YEARS_MS });
    for (const toleranceSeconds of [
      Number(undefined),
      Number('five'),
      Infinity,
      -Infinity,
      0,
      -300,
      '300',
      null,
    ]) {
      expect(
        () => verifyM3terRequest(loose({ url: URL_, ...old, secrets: [SECRET], now: NOW, toleranceSeconds })),
        String(toleranceSeconds),
      ).toThrow(SigningConfigError);
    }
    expect(() => verifyM3terRequest(loose({ url: URL_, ...old, secrets: [SECRET], now: NaN }))).toThrow(
      /now must be epoch milliseconds, not NaN/,
    );
    expect(
      verifyM3terRequest({ url: URL_, ...old, secrets: [SECRET], now: NOW, toleranceSeconds: 300 }),
    ).toMatchObject({ ok: false, reason: 'timestamp_too_old' });
  });

  it('refuses an empty or missing secret: a request signed with the empty key never verifies', () => {
    // Signed by hand with the empty key, as an attacker who guesses the receiver's variable is unset would.
    const digest = createHmac('sha256', '').update(`${URL_}|{}|${API_KEY}|${NOW}|${BODY}`).digest('hex');
    const headers = { ...signed().headers, 'X-m3ter-signature': digest };
    for (const secrets of [
      '',
      [''],
      undefined,
      [undefined],
      [process.env['M3TER_CONFIG_TEST_SURELY_UNSET_VARIABLE']],
      [],
      null,
      [{ apiKey: API_KEY, secret: '' }],
      [{ apiKey: '', secret: SECRET }],
      [SECRET, ''],
    ]) {
      expect(
        () => verifyM3terRequest(loose({ url: URL_, body: BODY, headers, secrets, now: NOW })),
        JSON.stringify(secrets),
      ).toThrow(SigningConfigError);
    }
    expect(() => signM3terRequest({ url: URL_, body: BODY, apiKey: API_KEY, secret: '' })).toThrow(
      /secret is empty: pass the webhook's secret/,
    );
  });

  it('names the problem without showing a value, and rejects unknown option values', () => {
    const err = (() => {
      try {
        verifyM3terRequest(loose({ url: URL_, ...signed(), secrets: [42], now: NOW }));
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(err?.message).toBe(
      "secrets[0] is the number 42: pass the webhook's secret (is its environment variable set?)",
    );
    expect(() => verifyM3terRequest(loose({ url: '', ...signed(), secrets: [SECRET] }))).toThrow(
      /url is empty/,
    );
    expect(() =>
      verifyM3terRequest(loose({ url: URL_, ...signed(), secrets: [SECRET], digestEncoding: 'HEX' })),
    ).toThrow(/digestEncoding must be/);
    expect(() =>
      verifyM3terRequest(loose({ url: URL_, ...signed(), secrets: [SECRET], timestampUnit: 'ms' })),
    ).toThrow(/timestampUnit must be/);
  });

  it('the request helpers throw for a misuse before reading the body', async () => {
    let pulled = 0;
    const req = {
      headers: signed().headers,
      async *[Symbol.asyncIterator]() {
        pulled++;
        yield Buffer.from(BODY);
      },
    };
    await expect(verifyNodeRequest(req, loose({ secrets: [''] }))).rejects.toThrow(SigningConfigError);
    await expect(verifyNodeRequest(req, { secrets: [SECRET], maxBodyBytes: NaN })).rejects.toThrow(
      /maxBodyBytes/,
    );
    await expect(
      verifyFetchRequest(new Request(URL_, { method: 'POST', body: BODY }), loose({ secrets: undefined })),
    ).rejects.toThrow(SigningConfigError);
    expect(pulled).toBe(0);
  });
});

describe('a request that cannot be verified is a result, never a throw', () => {
  it('a body a parser already turned into an object', async () => {
    const { headers } = signed();
    expect(
      verifyM3terRequest(loose({ url: URL_, headers, body: JSON.parse(BODY), secrets: [SECRET], now: NOW })),
    ).toMatchObject({ ok: false, reason: 'body_not_raw' });
    // Express after express.json(): the stream is read and req.body is an object.
    const parsed = {
      headers,
      readableEnded: true,
      body: JSON.parse(BODY),
      async *[Symbol.asyncIterator]() {},
    };
    expect(await verifyNodeRequest(parsed, { url: URL_, secrets: [SECRET], now: NOW })).toMatchObject({
      ok: false,
      reason: 'body_not_raw',
    });
    // After express.raw(): req.body holds the bytes, which verify.
    const raw = { headers, readableEnded: true, body: Buffer.from(BODY), async *[Symbol.asyncIterator]() {} };
    expect(await verifyNodeRequest(raw, { url: URL_, secrets: [SECRET], now: NOW })).toMatchObject({
      ok: true,
    });
  });

  it('a stream that fails, or yields objects, or is too big', async () => {
    const { headers } = signed();
    const failing = {
      headers,
      async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
        yield Buffer.from('{');
        throw new Error('aborted');
      },
    };
    expect(await verifyNodeRequest(failing, { url: URL_, secrets: [SECRET], now: NOW })).toMatchObject({
      reason: 'body_unreadable',
    });
    const objects = {
      headers,
      async *[Symbol.asyncIterator]() {
        yield { not: 'bytes' };
      },
    };
    expect(await verifyNodeRequest(objects, { url: URL_, secrets: [SECRET], now: NOW })).toMatchObject({
      reason: 'body_not_raw',
    });
    let produced = 0;
    const endless = {
      headers,
      async *[Symbol.asyncIterator]() {
        for (;;) {
          produced++;
          yield Buffer.alloc(1024);
        }
      },
    };
    expect(
      await verifyNodeRequest(endless, { url: URL_, secrets: [SECRET], now: NOW, maxBodyBytes: 10_000 }),
    ).toMatchObject({ ok: false, reason: 'body_too_large' });
    expect(produced).toBe(10);
  });

  it('the Fetch helper stops reading an endless body at maxBodyBytes', async () => {
    let pulls = 0;
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++;
        controller.enqueue(new Uint8Array(64 * 1024));
      },
      cancel() {
        cancelled = true;
      },
    });
    // No Content-Length: a chunked upload that never ends.
    const request = new Request(URL_, {
      method: 'POST',
      headers: signed().headers,
      body: stream,
      duplex: 'half',
    } as RequestInit);
    const r = await verifyFetchRequest(request, { secrets: [SECRET], now: NOW, maxBodyBytes: 1024 * 1024 });
    expect(r).toMatchObject({ ok: false, reason: 'body_too_large' });
    expect(r.body.length).toBe(0);
    expect(cancelled).toBe(true);
    // 1 MiB in 64 KiB chunks is 16 of them; the stream may have pulled a few ahead, never many.
    expect(pulls).toBeGreaterThan(16);
    expect(pulls).toBeLessThan(24);
  });

  it('a Content-Length over the limit is refused before any byte is read', async () => {
    let pulled = false;
    const request = {
      url: URL_,
      headers: new Headers({ ...signed().headers, 'content-length': String(2 * 1024 * 1024) }),
      body: new ReadableStream<Uint8Array>(
        {
          pull() {
            pulled = true;
          },
        },
        { highWaterMark: 0 },
      ),
      arrayBuffer: () => Promise.reject(new Error('not read whole')),
    };
    expect(await verifyFetchRequest(request, { secrets: [SECRET], now: NOW })).toMatchObject({
      reason: 'body_too_large',
    });
    expect(pulled).toBe(false);
  });
});

describe('replay guard', () => {
  it('accepts a signed request once; the same bytes again (or the signature spelled otherwise) are replayed', () => {
    const guard = createReplayGuard();
    const { headers, body } = signed();
    const verify = (h: Record<string, string>, now = NOW) =>
      verifyM3terRequest({
        url: URL_,
        body,
        headers: h,
        secrets: [SECRET],
        now,
        replayGuard: guard,
        digestEncoding: 'any',
      });
    expect(verify(headers)).toEqual({ ok: true, apiKey: API_KEY });
    expect(verify(headers, NOW + 1000)).toMatchObject({ ok: false, reason: 'replayed' });
    const upper = { ...headers, 'X-m3ter-signature': headers['X-m3ter-signature'].toUpperCase() };
    expect(verify(upper, NOW + 2000)).toMatchObject({ reason: 'replayed' });
    const b64 = {
      ...headers,
      'X-m3ter-signature': Buffer.from(headers['X-m3ter-signature'], 'hex').toString('base64'),
    };
    expect(verify(b64, NOW + 3000)).toMatchObject({ reason: 'replayed' });
    // Another delivery (another timestamp) is another signature.
    expect(verify(signed({ timestamp: NOW + 1 }).headers, NOW + 4000).ok).toBe(true);
    // Past the window the request is stale, whatever the guard holds.
    expect(verify(headers, NOW + 301_000)).toMatchObject({ reason: 'timestamp_too_old' });
  });

  it('remembers a request dated ahead of the clock until it is stale, both ways of the window', () => {
    const guard = createReplayGuard();
    const ahead = signed({ timestamp: NOW + 290_000 });
    const verify = (now: number) =>
      verifyM3terRequest({ url: URL_, ...ahead, secrets: [SECRET], now, replayGuard: guard });
    expect(verify(NOW).ok).toBe(true);
    // 590 s after the first acceptance the request is still within the tolerance of its own timestamp.
    expect(verify(NOW + 580_000)).toMatchObject({ reason: 'replayed' });
  });

  it('never remembers what failed to verify, so forged traffic can neither fill it nor block a real delivery', () => {
    const guard = createReplayGuard({ maxEntries: 2 });
    const real = signed();
    const forged = { ...real.headers };
    for (let i = 0; i < 50; i++) {
      const h = { ...forged, 'X-m3ter-signature': i.toString(16).padStart(64, '0') };
      expect(
        verifyM3terRequest({
          url: URL_,
          body: BODY,
          headers: h,
          secrets: [SECRET],
          now: NOW,
          replayGuard: guard,
        }).ok,
      ).toBe(false);
    }
    // The forger copies the real signature onto another body first: a mismatch, not remembered.
    expect(
      verifyM3terRequest({
        url: URL_,
        body: `${BODY} `,
        headers: real.headers,
        secrets: [SECRET],
        now: NOW,
        replayGuard: guard,
      }),
    ).toMatchObject({ reason: 'signature_mismatch' });
    expect(guard.size).toBe(0);
    expect(
      verifyM3terRequest({ url: URL_, ...real, secrets: [SECRET], now: NOW, replayGuard: guard }).ok,
    ).toBe(true);
  });

  it('holds at most maxEntries, dropping expired ones first', () => {
    const guard = createReplayGuard({ maxEntries: 3 });
    const accept = (timestamp: number, now: number) =>
      verifyM3terRequest({ url: URL_, ...signed({ timestamp }), secrets: [SECRET], now, replayGuard: guard })
        .ok;
    for (let i = 0; i < 3; i++) expect(accept(NOW + i, NOW)).toBe(true);
    expect(guard.size).toBe(3);
    expect(accept(NOW + 3, NOW)).toBe(true);
    expect(guard.size).toBe(3);
    // Later, all of those are stale: they make room and the guard stays small.
    expect(accept(NOW + 400_000, NOW + 400_000)).toBe(true);
    expect(guard.size).toBe(1);
    expect(() => createReplayGuard({ maxEntries: 0 })).toThrow(SigningConfigError);
    expect(() =>
      verifyM3terRequest(loose({ url: URL_, ...signed(), secrets: [SECRET], replayGuard: {} })),
    ).toThrow(/replayGuard/);
  });
});

describe('types', () => {
  it('verifyNodeRequest takes a Node IncomingMessage as it is (no cast)', () => {
    // Compile-time: this function is type-checked with the rest of the tests.
    const use = (req: IncomingMessage) => verifyNodeRequest(req, { secrets: [SECRET] });
    // Express's Request is an IncomingMessage with `body: any` (and more).
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const express = (req: IncomingMessage & { body: any; params: Record<string, string> }) =>
      verifyNodeRequest(req, { secrets: [SECRET] });
    expect([typeof use, typeof express]).toEqual(['function', 'function']);
  });
});
