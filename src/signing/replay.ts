import { SigningConfigError } from './errors.js';

/**
 * Remembers the signatures of accepted requests until they would be stale anyway, so a captured request cannot be
 * played again within the tolerance window. In memory, per process, bounded.
 */
export interface ReplayGuard {
  /**
   * Records a verified signature that stays acceptable until `expiresAt` (epoch ms); false when it is already
   * recorded and not yet expired. Called by verify; not for direct use.
   */
  remember(signature: Uint8Array, expiresAt: number, now: number): boolean;
  /** How many signatures are remembered now. */
  readonly size: number;
}

export interface ReplayGuardOptions {
  /**
   * Most signatures remembered. When it is full of unexpired ones, the one that expires first is forgotten (that
   * one request could then be played again until it is stale). Size it above the deliveries one receiver accepts
   * within the tolerance window, twice over (the window runs both ways). @default 100000
   */
  maxEntries?: number;
}

export function createReplayGuard(options: ReplayGuardOptions = {}): ReplayGuard {
  const max = options.maxEntries ?? 100_000;
  if (!Number.isSafeInteger(max) || max < 1) {
    throw new SigningConfigError('maxEntries must be a whole number above 0');
  }
  // Signature (hex of the digest bytes, so another spelling of it is the same entry) -> when it expires.
  const seen = new Map<string, number>();
  const prune = (now: number): void => {
    for (const [key, expiresAt] of seen) if (expiresAt < now) seen.delete(key);
  };
  return {
    remember(signature, expiresAt, now) {
      const key = Buffer.from(signature).toString('hex');
      const known = seen.get(key);
      if (known !== undefined && known >= now) return false;
      if (known === undefined && seen.size >= max) {
        prune(now);
        if (seen.size >= max) {
          let first: [string, number] | undefined;
          for (const entry of seen) if (first === undefined || entry[1] < first[1]) first = entry;
          if (first) seen.delete(first[0]);
        }
      }
      seen.set(key, expiresAt);
      return true;
    },
    get size() {
      return seen.size;
    },
  };
}
