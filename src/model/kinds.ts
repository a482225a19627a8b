/**
 * The kinds m3ter-config manages, and the level table that orders every apply:
 * creates and updates run top-down (credential first), deletes bottom-up (link first).
 * A link references a rule and a webhook, so it must be created after them and deleted before them.
 */
export const KINDS = ['credential', 'webhook', 'notificationRule', 'link'] as const;
export type Kind = (typeof KINDS)[number];

/** Level of each kind: lower levels are created first and deleted last. */
export const LEVEL: Readonly<Record<Kind, number>> = {
  credential: 0,
  webhook: 1,
  notificationRule: 2,
  link: 3,
};

/** The key of each kind inside the YAML files. */
export const CONFIG_SECTION: Readonly<Record<Kind, string>> = {
  credential: 'credentials',
  webhook: 'webhooks',
  notificationRule: 'notificationRules',
  link: 'links',
};

/** How a kind is named to people (plan output, errors). */
export const KIND_LABEL: Readonly<Record<Kind, string>> = {
  credential: 'integration credential',
  webhook: 'webhook',
  notificationRule: 'notification rule',
  link: 'link',
};

/** Kinds in creation order. */
export const KINDS_TOP_DOWN: readonly Kind[] = [...KINDS].sort((a, b) => LEVEL[a] - LEVEL[b]);
/** Kinds in deletion order. */
export const KINDS_BOTTOM_UP: readonly Kind[] = [...KINDS_TOP_DOWN].reverse();

/** The natural key of a link: the rule's code and the webhook's code. */
export function linkKey(ruleCode: string, webhookCode: string): string {
  return `${ruleCode}->${webhookCode}`;
}

/** The natural key of an integration credential: its destination system and name. */
export function credentialKey(destination: string, name: string): string {
  return `${destination}/${name}`;
}
