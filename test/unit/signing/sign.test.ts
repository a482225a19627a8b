import { describe, expect, it } from 'vitest';
import {
  M3TER_SIGNING_DEFAULTS,
  signM3terRequest,
  verifyFetchRequest,
  verifyM3terRequest,
  verifyNodeRequest,
} from '../../../src/signing/index.js';

/*
 * Vectors computed outside this code, once, with OpenSSL, and pasted here:
 *   printf '%s' 'https://example.com/m3ter/hook|{}|test-api-key|1700000000000|{"eventName":"billing.bill.created"}' \
 *     | openssl dgst -sha256 -hmac 'test-secret'            (hex; with -binary | base64 for the base64 form)
 *   printf '%s' 'http://127.0.0.1:8080/hooks|{}|key-2|1700000300|' | openssl dgst -sha256 -hmac 'rotated-secret'
 *   printf 'https://example.com/h|{}|k|1700000000000|caf\xc3\xa9 \xe2\x82\xac' | openssl dgst -sha256 -hmac 's3cr3t'
 */
const V1 = {
  url: 'https://example.com/m3ter/hook',
  apiKey: 'test-api-key',
  secret: 'test-secret',
  timestamp: 1700000000000,
  body: '{"eventName":"billing.bill.created"}',
  hex: '17038b7c78d9a99c80998b760e4db0d3876fb20f0614869eb40dbf406316c7aa',
  base64: 'FwOLfHjZqZyAmYt2Dk2w04dvsg8GFIaetA2/QGMWx6o=',
};
const V2 = {
  url: 'http://127.0.0.1:8080/hooks',
  apiKey: 'key-2',
  secret: 'rotated-secret',
  timestampSeconds: 1700000300,
  body: '',
  hex: 'db32a9e2faca36c40eabdf08fb49bd7198cbb1419c9a89e328b22eefe39f96a1',
};
const V3 = {
  url: 'https://example.com/h',
  apiKey: 'k',
  secret: 's3cr3t',
  timestamp: 1700000000000,
  body: new Uint8Array([0x63, 0x61, 0x66, 0xc3, 0xa9, 0x20, 0xe2, 0x82, 0xac]), // "café €" in UTF-8
  hex: 'dd98f387bce3ea1481634b97937ca4169eacf9913a34285cf60dedc2e970d58c',
};

/** Headers as m3ter would send them for V1, written by hand (not by signM3terRequest). */
function v1Headers(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    'x-m3ter-timestamp': String(V1.timestamp),
    'x-m3ter-apikey': V1.apiKey,
    'x-m3ter-signature': V1.hex,
    'x-m3ter-signaturemethod': 'HmacSHA256',
    'x-m3ter-version': '1',
    ...overrides,
  };
}

const verifyV1 = (over: Partial<Parameters<typeof verifyM3terRequest>[0]> = {}) =>
  verifyM3terRequest({
    url: V1.url,
    body: V1.body,
    headers: v1Headers(),
    secrets: [V1.secret],
    now: V1.timestamp + 1000,
    ...over,
  });

describe('signM3terRequest', () => {
  it('matches the independently computed digest, with all five headers', () => {
    const { headers } = signM3terRequest({ ...V1 });
    expect(headers).toEqual({
      'X-m3ter-timestamp': '1700000000000',
      'X-m3ter-apikey': 'test-api-key',
      'X-m3ter-signature': V1.hex,
      'X-m3ter-signaturemethod': 'HmacSHA256',
      'X-m3ter-version': '1',
    });
  });

  it('writes base64 and seconds when told to, and signs bytes as bytes', () => {
    expect(signM3terRequest({ ...V1, digestEncoding: 'base64' }).headers['X-m3ter-signature']).toBe(
      V1.base64,
    );
    const s = signM3terRequest({
      url: V2.url,
      body: V2.body,
      apiKey: V2.apiKey,
      secret: V2.secret,
      timestamp: V2.timestampSeconds * 1000 + 999,
      timestampUnit: 'seconds',
    });
    expect(s.headers['X-m3ter-timestamp']).toBe('1700000300');
    expect(s.headers['X-m3ter-signature']).toBe(V2.hex);
    expect(signM3terRequest({ ...V3 }).headers['X-m3ter-signature']).toBe(V3.hex);
    expect(signM3terRequest({ ...V3, body: 'café €' }).headers['X-m3ter-signature']).toBe(V3.hex);
  });

  it('documents its defaults in one place', () => {
    expect(M3TER_SIGNING_DEFAULTS).toEqual({
      digestEncoding: 'hex',
      timestampUnit: 'milliseconds',
      toleranceSeconds: 300,
    });
  });
});

describe('verifyM3terRequest', () => {
  it('accepts a request signed independently, whatever the header case', () => {
    expect(verifyV1()).toEqual({ ok: true, apiKey: 'test-api-key' });
    const upper = Object.fromEntries(Object.entries(v1Headers()).map(([k, v]) => [k.toUpperCase(), v]));
    expect(verifyV1({ headers: upper }).ok).toBe(true);
    expect(verifyV1({ headers: new Headers(v1Headers()) }).ok).toBe(true);
    expect(verifyV1({ body: Buffer.from(V1.body) }).ok).toBe(true);
  });

  it('refuses a tampered body, URL or API key', () => {
    expect(verifyV1({ body: V1.body.replace('created', 'deleted') })).toMatchObject({
      ok: false,
      reason: 'signature_mismatch',
    });
    expect(verifyV1({ body: `${V1.body} ` }).ok).toBe(false);
    expect(verifyV1({ url: 'https://example.com/m3ter/hook/' }).ok).toBe(false);
    expect(verifyV1({ headers: v1Headers({ 'x-m3ter-apikey': 'other-key' }) }).ok).toBe(false);
  });

  it('refuses a wrong secret and never names it', () => {
    const r = verifyV1({ secrets: ['not-the-secret'] });
    expect(r).toMatchObject({ ok: false, reason: 'signature_mismatch' });
    expect(JSON.stringify(r)).not.toContain('not-the-secret');
  });

  it('refuses old and future timestamps beyond the tolerance, both ways', () => {
    const minutes = (n: number) => n * 60_000;
    expect(verifyV1({ now: V1.timestamp + minutes(5) }).ok).toBe(true);
    expect(verifyV1({ now: V1.timestamp + minutes(5) + 1000 })).toMatchObject({
      reason: 'timestamp_too_old',
    });
    expect(verifyV1({ now: V1.timestamp - minutes(5) }).ok).toBe(true);
    expect(verifyV1({ now: V1.timestamp - minutes(5) - 1000 })).toMatchObject({
      reason: 'timestamp_in_future',
    });
    expect(verifyV1({ now: V1.timestamp + minutes(9), toleranceSeconds: 600 }).ok).toBe(true);
    expect(verifyV1({ headers: v1Headers({ 'x-m3ter-timestamp': 'yesterday' }) })).toMatchObject({
      reason: 'malformed_timestamp',
    });
  });

  it('tries every secret while rotating, and key-bound secrets only for their key', () => {
    expect(verifyV1({ secrets: ['old-secret', V1.secret] }).ok).toBe(true);
    expect(verifyV1({ secrets: [V1.secret, 'new-secret'] }).ok).toBe(true);
    expect(verifyV1({ secrets: [{ apiKey: 'test-api-key', secret: V1.secret }] }).ok).toBe(true);
    expect(verifyV1({ secrets: [{ apiKey: 'other', secret: V1.secret }] })).toMatchObject({
      reason: 'unknown_api_key',
    });
    expect(() => verifyV1({ secrets: [] })).toThrow(/secrets is an empty list/);
    // V2: seconds, an empty body, the second of two secrets.
    const r = verifyM3terRequest({
      url: V2.url,
      body: '',
      headers: {
        'X-m3ter-timestamp': '1700000300',
        'X-m3ter-apikey': 'key-2',
        'X-m3ter-signature': V2.hex,
        'X-m3ter-signaturemethod': 'HmacSHA256',
        'X-m3ter-version': '1',
      },
      secrets: ['first-secret', V2.secret],
      now: 1700000300_000,
      timestampUnit: 'auto',
    });
    expect(r).toEqual({ ok: true, apiKey: 'key-2' });
  });

  it('checks the encoding, method, version and presence of the headers', () => {
    expect(verifyV1({ headers: v1Headers({ 'x-m3ter-signature': V1.base64 }) })).toMatchObject({
      reason: 'malformed_signature',
    });
    expect(
      verifyV1({ headers: v1Headers({ 'x-m3ter-signature': V1.base64 }), digestEncoding: 'any' }).ok,
    ).toBe(true);
    expect(verifyV1({ headers: v1Headers({ 'x-m3ter-signature': V1.hex.toUpperCase() }) }).ok).toBe(true);
    expect(verifyV1({ headers: v1Headers({ 'x-m3ter-signature': V1.hex.slice(2) }) }).ok).toBe(false);
    expect(verifyV1({ headers: v1Headers({ 'x-m3ter-signaturemethod': 'HmacSHA1' }) })).toMatchObject({
      reason: 'unsupported_method',
    });
    expect(verifyV1({ headers: v1Headers({ 'x-m3ter-version': '2' }) })).toMatchObject({
      reason: 'unsupported_version',
    });
    const { 'x-m3ter-apikey': _dropped, ...rest } = v1Headers();
    expect(verifyV1({ headers: rest })).toMatchObject({ reason: 'missing_header' });
    expect(verifyV1({ headers: { ...v1Headers(), 'x-m3ter-signature': [V1.hex, V1.hex] } }).ok).toBe(false);
  });

  it('round-trips with signM3terRequest', () => {
    const { headers } = signM3terRequest({ ...V3, timestamp: 5_000_000 });
    expect(verifyM3terRequest({ ...V3, headers, secrets: V3.secret, now: 5_000_000 })).toEqual({
      ok: true,
      apiKey: 'k',
    });
  });
});

describe('request helpers', () => {
  it('verify a Fetch API Request from its raw body', async () => {
    const request = new Request(V1.url, { method: 'POST', headers: v1Headers(), body: V1.body });
    const r = await verifyFetchRequest(request, { secrets: [V1.secret], now: V1.timestamp });
    expect(r.ok).toBe(true);
    expect(new TextDecoder().decode(r.body)).toBe(V1.body);
    const tampered = new Request(V1.url, { method: 'POST', headers: v1Headers(), body: `${V1.body}x` });
    expect((await verifyFetchRequest(tampered, { secrets: [V1.secret], now: V1.timestamp })).ok).toBe(false);
  });

  it('verify a Node request stream, rebuilding the URL or taking the declared one', async () => {
    const nodeLike = (chunks: string[]) => ({
      headers: { ...v1Headers(), host: 'example.com' },
      url: '/m3ter/hook',
      socket: { encrypted: true },
      async *[Symbol.asyncIterator]() {
        for (const c of chunks) yield Buffer.from(c);
      },
    });
    const split = [V1.body.slice(0, 7), V1.body.slice(7)];
    expect((await verifyNodeRequest(nodeLike(split), { secrets: V1.secret, now: V1.timestamp })).ok).toBe(
      true,
    );
    const behindProxy = { ...nodeLike(split), headers: { ...v1Headers(), host: 'internal:8080' } };
    expect((await verifyNodeRequest(behindProxy, { secrets: V1.secret, now: V1.timestamp })).ok).toBe(false);
    expect(
      (await verifyNodeRequest(behindProxy, { url: V1.url, secrets: V1.secret, now: V1.timestamp })).ok,
    ).toBe(true);
    expect(
      await verifyNodeRequest({ ...nodeLike([]), readableEnded: true }, { secrets: V1.secret }),
    ).toMatchObject({ ok: false, reason: 'body_already_read' });
  });
});
