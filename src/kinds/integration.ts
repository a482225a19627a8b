import type { KindSpec } from './spec.js';

/**
 * An integration: an m3ter integration configuration other than a link (link.ts tells them apart), keyed
 * `entityType->destination` (and `/name`), authenticated by an integration credential.
 */
export const integration = {
  kind: 'integration',
  section: 'integrations',
  label: 'integration',
  keyDescription: '`entityType->destination`, then `/name` when the integration has a name',
  keyNoun: 'code',
  caseFoldedKey: true,
  level: 1,
  references: [
    {
      attribute: 'credential',
      kind: 'credential',
      by: 'id',
      idField: 'integrationCredentialsId',
      apiField: 'integrationCredentialsId',
      optional: true,
      drawn: 'to',
    },
  ],
  fieldOrder: ['entityType', 'destination', 'name', 'credential', 'configData', 'active'],
  secretFields: [],
  terraform: {
    resource: 'm3ter_integration_configuration',
    attributes: {
      entity_type: 'entityType',
      destination: 'destination',
      name: 'name',
      config_data: { jsonValues: 'configData' },
    },
    // The provider cannot set them (a credential has no resource there to reference).
    meta: { credential: null, active: true },
  },
} as const satisfies KindSpec<'integration'>;

/** The natural key of an integration: its entity type and destination, and its name when it has one. */
export function integrationKey(entityType: string, destination: string, name: string | null): string {
  return `${entityType}->${destination}${name ? `/${name}` : ''}`;
}
