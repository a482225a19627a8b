import { idKey, integrationKey } from '../kinds/index.js';
import { InternalError, type Json } from '../model/errors.js';
import type { DesiredResource, IntegrationAttributes, LiveResource } from '../model/resource.js';
import type { IdMap } from './contract.js';
import { defineAdapter } from './define-adapter.js';
import { bool, entityOf, obj, type RawEntity, str } from './entity.js';
import { isLink, settleEnabled } from './links.js';
import { COLLECTION } from './paths.js';

/**
 * Integrations: m3ter integration configurations other than notification links (those are links.ts), such as
 * `entityType: Bill` to `destination: Stripe`. Keyed `entityType->destination` (plus `/name` when named); the
 * credential they authenticate with is referenced by its key and sent as `integrationCredentialsId`.
 */

/**
 * m3ter's JSON → the canonical integration. `enabled` is `active` (missing: true); a missing `configData` is `{}`;
 * an `integrationCredentialsId` that names no known credential is kept as `id:<id>`, so it still shows in a diff.
 */
export function normalizeIntegration(value: unknown, ids: IdMap): LiveResource<'integration'> {
  const { raw, live } = entityOf(value, 'integration configuration');
  const credentialId = str(raw, 'integrationCredentialsId');
  // m3ter may answer "" for no credential (the official provider defaults the field to it).
  if (credentialId) live.integrationCredentialsId = credentialId;
  const entityType = str(raw, 'entityType') ?? '';
  const destination = str(raw, 'destination') ?? '';
  const name = str(raw, 'name') || null;
  const attributes: IntegrationAttributes = {
    entityType,
    destination,
    name,
    credential: credentialId ? (ids.keyOf('credential', credentialId) ?? idKey(credentialId)) : null,
    configData: structuredClone(obj(raw, 'configData') ?? {}) as { [key: string]: Json },
    active: bool(raw, 'enabled') ?? true,
  };
  return { kind: 'integration', key: integrationKey(entityType, destination, name), attributes, live };
}

export function integrationBody(desired: DesiredResource<'integration'>, ids: IdMap): RawEntity {
  const a = desired.attributes;
  const body: RawEntity = {
    entityType: a.entityType,
    destination: a.destination,
    configData: structuredClone(a.configData),
    enabled: a.active,
  };
  if (a.name !== null) body['name'] = a.name;
  if (a.credential !== null) {
    const id = ids.idOf('credential', a.credential);
    if (id === undefined) {
      throw new InternalError(
        'internal_unresolved_reference',
        `integration ${desired.key}: integration credential ${a.credential} has no id yet`,
        { key: desired.key },
      );
    }
    body['integrationCredentialsId'] = id;
  }
  return body;
}

export const integrationAdapter = defineAdapter({
  kind: 'integration',
  collection: COLLECTION.integrationConfig,
  accepts: (raw) => !isLink(raw),
  normalize: normalizeIntegration,
  body: (desired, ctx) => integrationBody(desired, ctx.ids),
  settle: (client, result, desired, ctx) =>
    settleEnabled(client, result, desired, (raw) => normalizeIntegration(raw, ctx.ids)),
});
