/**
 * Codes. The rule for a code the user writes: letters, digits, `_` and `-`, starting with a letter or digit
 * (schemas/common.schema.json `$defs/code`). It keeps codes readable in URLs, logs and link keys (`rule->webhook`),
 * and leaves `*` and `?` free for ignore patterns.
 *
 * A webhook without `code` gets one derived from its `name`, as the m3ter Console suggests one: accents dropped, lower-case, every
 * run of characters other than a-z and 0-9 becomes one `_`, and leading and trailing `_` are dropped.
 * `Orders → Slack (prod)` gives `orders_slack_prod`. A name with no letters or digits derives nothing: an error.
 */
export const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

export function deriveCode(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}
