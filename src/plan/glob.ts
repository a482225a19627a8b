/**
 * `ignore` patterns: a plain code, or a glob where `*` matches any run of characters (including none) and `?`
 * exactly one. Every other character is literal, so a key like `rule->hook` or `STRIPE/main` needs no escaping.
 * Patterns match the whole key.
 */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (const ch of pattern) {
    if (ch === '*') source += '[\\s\\S]*';
    else if (ch === '?') source += '[\\s\\S]';
    else source += ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'u');
}

/** A matcher for a list of patterns; an empty list matches nothing. */
export function createIgnoreMatcher(patterns: readonly string[]): (key: string) => boolean {
  const exact = new Set<string>();
  const globs: RegExp[] = [];
  for (const p of patterns) {
    if (p.includes('*') || p.includes('?')) globs.push(globToRegExp(p));
    else exact.add(p);
  }
  return (key) => exact.has(key) || globs.some((g) => g.test(key));
}
