import { findDestination } from '../model/credential-types.js';

/**
 * Ignore patterns. An entry is a key or a glob: `*` matches any run of characters (including none), `?` exactly one;
 * everything else is literal. Matching is against the natural key of the kind (state.ts).
 *
 * Credentials are keyed `DESTINATION/name` with m3ter's destination value (`STRIPE/prod`). Users may write the
 * destination as in `credentials:` (`Stripe/prod`), as m3ter's value, or leave it out: `prod-*` matches that name
 * at every destination.
 */
export function normalizeCredentialIgnore(entry: string): string {
  const slash = entry.indexOf('/');
  if (slash < 0) return `*/${entry}`;
  const dest = entry.slice(0, slash);
  const known = findDestination(dest);
  return known ? `${known.destination}${entry.slice(slash)}` : entry;
}

export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (const ch of pattern) {
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else re += ch.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

/** True when a key matches any of the patterns. */
export function matchesIgnore(patterns: readonly string[], key: string): boolean {
  return patterns.some((p) => globToRegExp(p).test(key));
}
