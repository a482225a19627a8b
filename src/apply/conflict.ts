import { ApiError } from '../model/errors.js';

/**
 * Messages that say the version sent is not the current one. Each names a mismatch, not just the field: "version
 * is required", "version must be an integer" or "invalid version format" are plain bad requests.
 */
const VERSION_MISMATCH = [
  /\bversion\s+(mis-?match|conflict)/i,
  /\bversion\b[^.;]{0,60}\b(does\s*n[o']t|did\s*n[o']t|not)\s+match/i,
  /\b(stale|outdated|out[- ]of[- ]date|old|wrong|incorrect|unexpected)\s+(entity\s+)?version\b/i,
  /\b(current|latest|expected)\s+version\s+(is\s+)?\d+/i,
  /\boptimistic\s+lock/i,
  /\b(modified|updated|changed)\s+(concurrently|by\s+another|since)/i,
];

/**
 * True when m3ter rejected a PUT because the version it carried is not the current one.
 *
 * m3ter does not document its status for this (most likely 400 with a message, possibly 409), so both
 * are read as a conflict: any 409, and a 400 whose message (m3ter's part, after our `failed with HTTP 400:`) has the
 * shape of a version mismatch. Any other 400 is a bad request and fails the change: taking it for a conflict would
 * re-read and report a stale plan instead of the real mistake. This is the one place that decides; change it here
 * once the real answer is known.
 */
export function isVersionConflict(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.status === 409) return true;
  if (error.status !== 400) return false;
  const detail = error.message.replace(/^.*?failed with HTTP \d+:\s*/, '');
  return VERSION_MISMATCH.some((re) => re.test(detail));
}

/** True when m3ter answered 404: the entity is gone. */
export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}
