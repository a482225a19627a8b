import { findDestination } from '../model/credential-types.js';

/**
 * Ignore patterns. An entry is a key or a glob, matched against the natural key of the kind (state.ts) by the one
 * matcher in model/glob.ts.
 *
 * Credentials are keyed `DESTINATION/name` with m3ter's destination value (`STRIPE/prod`). Users may write the
 * destination as in `credentials:` (`Stripe/prod`), as m3ter's value, or leave it out: `prod-*` matches that name
 * at every destination.
 */
export function normalizeCredentialIgnore(entry: string): string {
  // `id:<id>` names one live entity without a usable key, as plans show it (and import writes it).
  if (entry.startsWith('id:')) return entry;
  const slash = entry.indexOf('/');
  if (slash < 0) return `*/${entry}`;
  const dest = entry.slice(0, slash);
  const known = findDestination(dest);
  return known ? `${known.destination}${entry.slice(slash)}` : entry;
}
