import type { KindSpec } from './spec.js';

/** A webhook (m3ter destination): keyed by its code; m3ter keeps a fingerprint of its secrets. */
export const webhook = {
  kind: 'webhook',
  section: 'webhooks',
  label: 'webhook',
  keyDescription: '`code` (derived from the name when absent)',
  keyNoun: 'code',
  caseFoldedKey: true,
  level: 1,
  references: [],
  fieldOrder: ['name', 'description', 'url', 'active', 'credentialType'],
  secretFields: ['apiKey', 'secret'],
  terraform: {
    resource: 'm3ter_webhook',
    attributes: {
      name: 'name',
      description: 'description',
      url: 'url',
      code: 'code',
      active: 'active',
      credentials: {
        block: 'credentials',
        attributes: { type: 'type', api_key: 'apiKey', secret: 'secret' },
      },
    },
  },
  keyField: { field: 'code', derivedFrom: 'name' },
  fingerprintedSecrets: true,
  requiredHint: (missing) =>
    missing === 'credentials'
      ? 'add `credentials: { apiKey: { env: NAME }, secret: { env: NAME } }`; m3ter requires them (dummy values are fine when the receiver does not check signatures)'
      : undefined,
} as const satisfies KindSpec<'webhook'>;
