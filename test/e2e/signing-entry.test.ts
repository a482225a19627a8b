import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from './run-cli.js';

describe('the m3ter-config/signing entry point', () => {
  it('loads under plain node from the built package and signs the OpenSSL vector', () => {
    // Vector: printf '%s' 'https://example.com/m3ter/hook|{}|test-api-key|1700000000000|{"eventName":"billing.bill.created"}'
    //   | openssl dgst -sha256 -hmac 'test-secret'
    const script = `
      import { signM3terRequest, verifyM3terRequest } from 'm3ter-config/signing';
      const body = '{"eventName":"billing.bill.created"}';
      const url = 'https://example.com/m3ter/hook';
      const { headers } = signM3terRequest({ url, body, apiKey: 'test-api-key', secret: 'test-secret', timestamp: 1700000000000 });
      const check = verifyM3terRequest({ url, body, headers, secrets: ['test-secret'], now: 1700000000000 });
      process.stdout.write(JSON.stringify({ sig: headers['X-m3ter-signature'], ok: check.ok }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual({
      sig: '17038b7c78d9a99c80998b760e4db0d3876fb20f0614869eb40dbf406316c7aa',
      ok: true,
    });
  });
});
