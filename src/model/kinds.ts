/**
 * The kinds m3ter-config manages. Everything else about a kind (its section, label, level, references, field order)
 * is described once in the kind registry, src/kinds/.
 */
export const KINDS = [
  'credential',
  'integration',
  'webhook',
  'scheduledEvent',
  'notificationRule',
  'link',
] as const;
export type Kind = (typeof KINDS)[number];
