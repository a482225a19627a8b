/**
 * Terraform's string templates, as its JSON syntax reads every string: `${...}` is an interpolation and `%{...}` a
 * directive; `$${` and `%%{` are the escapes for a literal `${` and `%{`. A plain value written into Terraform JSON
 * (export, synth) is escaped, and read back by unescaping, so text from m3ter or a config file is never evaluated.
 */

/** A literal string as Terraform template text that evaluates to exactly that string. */
export function escapeTemplate(s: string): string {
  return s.replace(/([$%])\{/g, '$1$1{');
}

/**
 * The literal a template stands for, or undefined when it holds an interpolation or directive. Read left to right as
 * Terraform's scanner does: `$${` is a literal `${` (so `$$${` is `$` followed by a literal `${`).
 */
export function unescapeTemplate(s: string): string | undefined {
  if (!s.includes('{')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if ((c === '$' || c === '%') && s[i + 1] === c && s[i + 2] === '{') {
      out += `${c}{`;
      i += 2;
    } else if ((c === '$' || c === '%') && s[i + 1] === '{') return undefined;
    else out += c;
  }
  return out;
}
