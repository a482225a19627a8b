/**
 * The config language's escape for a literal `${` in any string value: `$${` (as Terraform writes it). A `${` is
 * text today outside a secret field, but `${...}` is how references are written (`${env:NAME}`), so text holding one
 * is written escaped by `import` and read back by one unescape in the loader. A `$${` stands for `${`; a run of
 * `$` before `{` loses one `$` (`$$${` is `$${`), so escaping then unescaping gives back every string.
 */

/** A literal string as config text: every `${` written `$${`. */
export function escapeDollarBrace(s: string): string {
  return s.includes('${') ? s.replace(/\$\{/g, () => '$${') : s;
}

/** The text a config string stands for: every `$${` read as `${`. */
export function unescapeDollarBrace(s: string): string {
  return s.includes('$${') ? s.replace(/\$\$\{/g, () => '${') : s;
}

/** A value with every string in it mapped by `f` (mapping keys are names, left as they are); a fresh copy. */
export function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      // Never through the setter: a `__proto__` key is data, not a prototype.
      Object.defineProperty(out, k, {
        value: mapStrings(v, f),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}
