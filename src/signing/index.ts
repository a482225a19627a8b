/**
 * `m3ter-config/signing`: sign and verify M3TER_SIGNED_REQUEST, m3ter's signature on webhook calls. No dependency
 * beyond node:crypto; see the README section "Receiving m3ter webhooks".
 */
export {
  type DigestEncoding,
  M3TER_HEADERS,
  M3TER_SIGNING_DEFAULTS,
  type SigningScheme,
  type TimestampUnit,
} from './scheme.js';
export {
  type HeaderSource,
  type M3terSignedHeaders,
  type RawBody,
  type SignOptions,
  SigningConfigError,
  signM3terRequest,
  type VerifyFailure,
  type VerifyOptions,
  type VerifyResult,
  type VerifySecret,
  verifyM3terRequest,
} from './sign.js';
export { createReplayGuard, type ReplayGuard, type ReplayGuardOptions } from './replay.js';
export {
  type FetchRequestLike,
  type NodeRequestLike,
  type RequestVerifyOptions,
  type RequestVerifyResult,
  verifyFetchRequest,
  verifyNodeRequest,
} from './http.js';
