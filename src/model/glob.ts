/**
 * The one matcher for `ignore` patterns, used by the loader (an ignored key that is also declared) and the planner
 * (live entities to leave alone), so the two never disagree.
 *
 * A pattern is a plain key, or a glob where `*` matches any run of characters (including none) and `?` exactly one
 * character: one Unicode code point, so `prod-?` matches `prod-🚀` although the rocket is two UTF-16 units. `\*`,
 * `\?` and `\\` are a literal `*`, `?` and `\` (a key that holds them, as import writes it, matches that key only);
 * every other character is literal, a `\` before any other character included, so a key like `rule->hook` or
 * `STRIPE/main` needs no escaping. Patterns match the whole key.
 */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (const [ch, escaped] of tokens(pattern)) {
    if (!escaped && ch === '*') source += '[\\s\\S]*';
    else if (!escaped && ch === '?') source += '[\\s\\S]';
    else source += ch.replace(/[\\^$.|+()[\]{}/*?]/g, '\\$&');
  }
  // `u`: a character class matches a code point, not a UTF-16 unit.
  return new RegExp(`^${source}$`, 'u');
}

/** The pattern's characters, each with whether it was escaped (`\*`, `\?`, `\\`). */
function* tokens(pattern: string): Generator<[string, boolean]> {
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    const next = chars[i + 1];
    if (ch === '\\' && (next === '*' || next === '?' || next === '\\')) {
      yield [next, true];
      i++;
    } else yield [ch, false];
  }
}

/** True when `pattern` is a glob (has an unescaped `*` or `?`) rather than a plain key. */
export function isGlob(pattern: string): boolean {
  for (const [ch, escaped] of tokens(pattern)) if (!escaped && (ch === '*' || ch === '?')) return true;
  return false;
}

/** The key a plain (non-glob) pattern names: its escapes undone. */
export function unescapeGlob(pattern: string): string {
  let out = '';
  for (const [ch] of tokens(pattern)) out += ch;
  return out;
}

/** A key as a pattern that matches that key only (`*`, `?` and `\` before them escaped). */
export function escapeGlob(key: string): string {
  return key.replace(/\\(?=[*?\\]|$)|[*?]/g, '\\$&');
}

/** A matcher for a list of patterns; an empty list matches nothing. */
export function createIgnoreMatcher(patterns: readonly string[]): (key: string) => boolean {
  const exact = new Set<string>();
  const globs: RegExp[] = [];
  for (const p of patterns) {
    if (isGlob(p)) globs.push(globToRegExp(p));
    else exact.add(unescapeGlob(p));
  }
  return (key) => exact.has(key) || globs.some((g) => g.test(key));
}

/** True when a key matches any of the patterns. */
export function matchesIgnore(patterns: readonly string[], key: string): boolean {
  return createIgnoreMatcher(patterns)(key);
}
