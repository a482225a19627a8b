import type { KindSpec } from './spec.js';

/**
 * What makes one of m3ter's integration configurations a link (a notification rule wired to a webhook) rather than an
 * integration: `entityType` `Notification`, with `destination` `Webhook`. It is matched on `entityType` alone and
 * without case: m3ter's OpenAPI enum spells the destination `WEBHOOK` where the provider that runs against the live API
 * sends `Webhook`, and a Notification configuration only ever delivers to a webhook. `Webhook` is what is sent.
 */
export const LINK_IDENTITY = { entityType: 'Notification', destination: 'Webhook' } as const;

/** The one matcher of the link identity. */
export function isLinkEntityType(entityType: unknown): boolean {
  return (
    typeof entityType === 'string' && entityType.toLowerCase() === LINK_IDENTITY.entityType.toLowerCase()
  );
}

/** A link: keyed by the codes of its rule and webhook. */
export const link = {
  kind: 'link',
  section: 'links',
  label: 'link',
  keyDescription: '`rule->webhook` (the two codes)',
  keyNoun: 'code',
  // Keyed by the rule's and the webhook's codes, which are checked themselves.
  caseFoldedKey: false,
  level: 3,
  references: [
    {
      attribute: 'rule',
      kind: 'notificationRule',
      by: 'id',
      idField: 'entityId',
      apiField: 'entityId',
      optional: false,
      drawn: 'from',
    },
    {
      attribute: 'webhook',
      kind: 'webhook',
      by: 'id',
      idField: 'destinationId',
      apiField: 'destinationId',
      optional: false,
      drawn: 'to',
    },
  ],
  fieldOrder: ['rule', 'webhook', 'active'],
  secretFields: [],
  terraform: {
    resource: 'm3ter_integration_configuration',
    attributes: {
      entity_type: { identity: 'entityType' },
      entity_id: 'rule',
      destination: { identity: 'destination' },
      destination_id: 'webhook',
    },
    meta: { active: true },
  },
  disabledByM3ter: true,
  identity: {
    values: LINK_IDENTITY,
    matches: (field) => isLinkEntityType(field('entityType')),
  },
} as const satisfies KindSpec<'link'>;

/** The natural key of a link: the rule's code and the webhook's code. */
export function linkKey(ruleCode: string, webhookCode: string): string {
  return `${ruleCode}->${webhookCode}`;
}
