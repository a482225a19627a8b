import { describe, expect, it } from 'vitest';
import { m3terSignatureHeaders } from '../../../src/emulator/sign.js';

/*
 * The emulator's own signer against vectors computed with OpenSSL (not with any code of this repository):
 *   printf '%s' 'https://example.com/m3ter/hook|{}|test-api-key|1700000000000|{"eventName":"billing.bill.created"}' \
 *     | openssl dgst -sha256 -hmac 'test-secret'            (and -binary | base64)
 *   printf '%s' 'http://127.0.0.1:8080/hooks|{}|key-2|1700000300|' | openssl dgst -sha256 -hmac 'rotated-secret'
 */
describe("the emulator's signer", () => {
  const v1 = {
    url: 'https://example.com/m3ter/hook',
    apiKey: 'test-api-key',
    secret: 'test-secret',
    body: '{"eventName":"billing.bill.created"}',
    nowMs: 1700000000000,
  };

  it('writes the five headers with the documented digest', () => {
    expect(m3terSignatureHeaders(v1, { encoding: 'hex', timestampUnit: 'milliseconds' })).toEqual({
      'x-m3ter-timestamp': '1700000000000',
      'x-m3ter-apikey': 'test-api-key',
      'x-m3ter-signature': '17038b7c78d9a99c80998b760e4db0d3876fb20f0614869eb40dbf406316c7aa',
      'x-m3ter-signaturemethod': 'HmacSHA256',
      'x-m3ter-version': '1',
    });
    expect(
      m3terSignatureHeaders(v1, { encoding: 'base64', timestampUnit: 'milliseconds' })['x-m3ter-signature'],
    ).toBe('FwOLfHjZqZyAmYt2Dk2w04dvsg8GFIaetA2/QGMWx6o=');
  });

  it('counts seconds when told to', () => {
    const h = m3terSignatureHeaders(
      {
        url: 'http://127.0.0.1:8080/hooks',
        apiKey: 'key-2',
        secret: 'rotated-secret',
        body: '',
        nowMs: 1700000300_500,
      },
      { encoding: 'hex', timestampUnit: 'seconds' },
    );
    expect(h['x-m3ter-timestamp']).toBe('1700000300');
    expect(h['x-m3ter-signature']).toBe('db32a9e2faca36c40eabdf08fb49bd7198cbb1419c9a89e328b22eefe39f96a1');
  });
});
