/**
 * Backoff between retries: exponential with full jitter (AWS's "full jitter": a uniform draw between zero and
 * the capped exponential), unless the server said how long to wait.
 */
export interface BackoffOptions {
  /** @default 200 */
  baseMs: number;
  /** @default 8000 */
  capMs: number;
  /** A uniform draw in [0, 1). Seed it (see `seededRandom`) to replay a run. */
  random: () => number;
}

/** Delay before retry number `attempt` (0 for the first retry). */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** attempt);
  return Math.floor(options.random() * ceiling);
}

export { seededRandom } from '../model/random.js';

type HeaderValue = string | string[] | undefined;

function first(value: HeaderValue): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * How long the server asked us to wait, in ms: `retry-after-ms` (a non-standard header some APIs and the
 * Stainless SDKs use), else `Retry-After` as delta-seconds or an HTTP date. `undefined` when absent or unreadable.
 */
export function retryAfterMs(headers: Record<string, HeaderValue>, now: number): number | undefined {
  const ms = first(headers['retry-after-ms'])?.trim();
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Math.ceil(Number(ms));
  const value = first(headers['retry-after'])?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
