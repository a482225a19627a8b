/**
 * M3TER_SIGNED_REQUEST, as m3ter documents it: every request m3ter sends to a
 * webhook carries five headers, and the signature is HMAC-SHA256, keyed by the webhook's API secret, of
 * `url|{}|apiKey|timestamp|body` (the `{}` stands for the query string, which m3ter does not support yet).
 *
 * What m3ter does not publish is here, each as one named option with its default, and nowhere else.
 */

/** How the HMAC digest is written in `X-m3ter-signature`. */
export type DigestEncoding = 'hex' | 'base64';

/** What `X-m3ter-timestamp` counts since the Unix epoch. */
export type TimestampUnit = 'milliseconds' | 'seconds';

export interface SigningScheme {
  /**
   * [U] The digest's encoding. `signM3terRequest` writes it; `verifyM3terRequest` accepts it, or both with `'any'`.
   * @default 'hex'
   */
  readonly digestEncoding: DigestEncoding;
  /**
   * [U] The timestamp's unit. `signM3terRequest` writes it; `verifyM3terRequest` reads it, or tells the two apart
   * by size with `'auto'` (below 10^11 it is seconds: 10^11 ms is 1973, 10^11 s is the year 5138).
   * @default 'milliseconds'
   */
  readonly timestampUnit: TimestampUnit;
  /** [U] How far a timestamp may be from the receiver's clock, either way, in seconds. @default 300 */
  readonly toleranceSeconds: number;
}

/** The defaults of the unknowns, in one place (change them here once m3ter documents the real values). */
export const M3TER_SIGNING_DEFAULTS: SigningScheme = {
  digestEncoding: 'hex',
  timestampUnit: 'milliseconds',
  toleranceSeconds: 300,
};

/** The header names, as m3ter writes them. Receivers must match them case-insensitively (HTTP does). */
export const M3TER_HEADERS = {
  timestamp: 'X-m3ter-timestamp',
  apiKey: 'X-m3ter-apikey',
  signature: 'X-m3ter-signature',
  signatureMethod: 'X-m3ter-signaturemethod',
  version: 'X-m3ter-version',
} as const;

/** `X-m3ter-signaturemethod`: the only documented algorithm. */
export const SIGNATURE_METHOD = 'HmacSHA256';
/** `X-m3ter-version`: the only documented scheme version. */
export const SIGNATURE_VERSION = '1';
/** The query-string part of the string to sign: query parameters are not supported yet, so always `{}`. */
export const QUERY_PART = '{}';
