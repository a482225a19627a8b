import { createHmac } from 'node:crypto';

/**
 * The emulator's own M3TER_SIGNED_REQUEST signer: HMAC-SHA256 of `url|{}|apiKey|timestamp|body`, keyed by the
 * webhook's secret. Deliberately not shared with src/signing: the emulator is an independent oracle, so a mistake
 * in one of the two shows up as a failed verification in the tests. Encoding and timestamp unit are not published
 * by m3ter; they come from the emulator's options.
 */
export function m3terSignatureHeaders(
  input: { url: string; apiKey: string; secret: string; body: string; nowMs: number },
  scheme: { encoding: 'hex' | 'base64'; timestampUnit: 'milliseconds' | 'seconds' },
): Record<string, string> {
  const timestamp =
    scheme.timestampUnit === 'seconds'
      ? Math.floor(input.nowMs / 1000).toString()
      : Math.floor(input.nowMs).toString();
  // url | query ({} : m3ter does not support query parameters yet) | apiKey | timestamp | body
  const toSign = [input.url, '{}', input.apiKey, timestamp, input.body].join('|');
  const signature = createHmac('sha256', Buffer.from(input.secret, 'utf8'))
    .update(Buffer.from(toSign, 'utf8'))
    .digest(scheme.encoding);
  return {
    'x-m3ter-timestamp': timestamp,
    'x-m3ter-apikey': input.apiKey,
    'x-m3ter-signature': signature,
    'x-m3ter-signaturemethod': 'HmacSHA256',
    'x-m3ter-version': '1',
  };
}
