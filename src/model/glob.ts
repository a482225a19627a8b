/**
 * The one matcher for `ignore` patterns, used by the loader (an ignored key that is also declared) and the planner
 * (live entities to leave alone), so the two never disagree.
 *
 * A pattern is a plain key, or a glob where `*` matches any run of characters (including none) and `?` exactly one
 * character: one Unicode code point, so `prod-?` matches `prod-🚀` although the rocket is two UTF-16 units. Every
 * other character is literal, so a key like `rule->hook` or `STRIPE/main` needs no escaping. Patterns match the
 * whole key.
 */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (const ch of pattern) {
    if (ch === '*') source += '[\\s\\S]*';
    else if (ch === '?') source += '[\\s\\S]';
    else source += ch.replace(/[\\^$.|+()[\]{}/]/g, '\\$&');
  }
  // `u`: a character class matches a code point, not a UTF-16 unit.
  return new RegExp(`^${source}$`, 'u');
}

/** True when `pattern` is a glob (has `*` or `?`) rather than a plain key. */
export function isGlob(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/** A matcher for a list of patterns; an empty list matches nothing. */
export function createIgnoreMatcher(patterns: readonly string[]): (key: string) => boolean {
  const exact = new Set<string>();
  const globs: RegExp[] = [];
  for (const p of patterns) {
    if (isGlob(p)) globs.push(globToRegExp(p));
    else exact.add(p);
  }
  return (key) => exact.has(key) || globs.some((g) => g.test(key));
}

/** True when a key matches any of the patterns. */
export function matchesIgnore(patterns: readonly string[], key: string): boolean {
  return createIgnoreMatcher(patterns)(key);
}
