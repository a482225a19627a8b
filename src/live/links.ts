import { idKey, linkKey } from '../kinds/index.js';
import { InternalError, M3terConfigError } from '../model/errors.js';
import type { DesiredResource, LinkAttributes, LiveResource } from '../model/resource.js';
import type { IdMap, LiveClient } from './contract.js';
import { defineAdapter } from './define-adapter.js';
import { bool, entityOf, type RawEntity, str } from './entity.js';
import { COLLECTION } from './paths.js';

/**
 * Links: a notification rule wired to a webhook. m3ter stores each as an integration configuration with
 * `entityType: Notification`, `entityId` = the rule's id and `destinationId` = the webhook's id; other integration
 * configurations are integrations (integrations.ts), never links.
 */

/** The `entityType` of a notification link; matched case-insensitively on read. */
export const LINK_ENTITY_TYPE = 'Notification';
/**
 * The `destination` sent on create. The OpenAPI enum spells it `WEBHOOK`; the community provider that runs against
 * the live API sends `Webhook`, so that is what we send. It is not part of the canonical model and never diffed.
 */
export const LINK_DESTINATION = 'Webhook';

export function isLink(raw: RawEntity): boolean {
  return str(raw, 'entityType')?.toLowerCase() === LINK_ENTITY_TYPE.toLowerCase();
}

/**
 * m3ter's JSON → the canonical link. The key is `ruleCode->webhookCode`; when either id does not resolve (a
 * dangling link, or one to an entity without a code) the key is `id:<id>`, so it can still be reported and deleted.
 * `active` is m3ter's `enabled` (missing: true).
 */
export function normalizeLink(value: unknown, ids: IdMap): LiveResource<'link'> {
  const { raw, live } = entityOf(value, 'integration configuration');
  const entityId = str(raw, 'entityId');
  const destinationId = str(raw, 'destinationId');
  if (entityId !== undefined) live.entityId = entityId;
  if (destinationId !== undefined) live.destinationId = destinationId;
  const rule = entityId === undefined ? undefined : ids.keyOf('notificationRule', entityId);
  const webhook = destinationId === undefined ? undefined : ids.keyOf('webhook', destinationId);
  const attributes: LinkAttributes = {
    rule: rule ?? idKey(entityId ?? ''),
    webhook: webhook ?? idKey(destinationId ?? ''),
    active: bool(raw, 'enabled') ?? true,
  };
  const key = rule !== undefined && webhook !== undefined ? linkKey(rule, webhook) : idKey(live.id);
  return { kind: 'link', key, attributes, live };
}

function resolveIds(
  desired: DesiredResource<'link'>,
  ids: IdMap,
): { entityId: string; destinationId: string } {
  const entityId = ids.idOf('notificationRule', desired.attributes.rule);
  const destinationId = ids.idOf('webhook', desired.attributes.webhook);
  if (entityId === undefined || destinationId === undefined) {
    const missing =
      entityId === undefined ? `rule ${desired.attributes.rule}` : `webhook ${desired.attributes.webhook}`;
    throw new InternalError('internal_unresolved_link', `link ${desired.key}: ${missing} has no id yet`, {
      key: desired.key,
    });
  }
  return { entityId, destinationId };
}

/** `enabled` is not in m3ter's request schema; the emulator honours it, and `settleEnabled` covers a server that doesn't. */
export function linkBody(desired: DesiredResource<'link'>, ids: IdMap): RawEntity {
  return {
    entityType: LINK_ENTITY_TYPE,
    destination: LINK_DESTINATION,
    ...resolveIds(desired, ids),
    configData: {},
    enabled: desired.attributes.active,
  };
}

/**
 * m3ter has `POST .../enable` and no disable: enable if the body was ignored; refuse clearly if disabling was. Shared
 * by every kind stored as an integration configuration.
 */
export async function settleEnabled<K extends 'link' | 'integration'>(
  client: LiveClient,
  result: LiveResource<K>,
  desired: DesiredResource<K>,
  reread: (raw: unknown) => LiveResource<K>,
): Promise<LiveResource<K>> {
  if (result.attributes.active === desired.attributes.active) return result;
  if (desired.attributes.active) {
    const path = `${linkAdapter.path(client, result.live.id)}/enable`;
    return reread(await client.post(path));
  }
  throw new M3terConfigError(
    'link_disable_unsupported',
    `${desired.kind} ${desired.key}: m3ter kept the integration configuration enabled and has no API to disable it; delete it instead`,
    { key: desired.key, id: result.live.id },
  );
}

/** The ids a link key names, trying each `->` in case a code contains one; undefined when nothing resolves. */
function splitLinkKey(key: string, ids: IdMap): { ruleId: string; webhookId: string } | undefined {
  for (let i = key.indexOf('->'); i >= 0; i = key.indexOf('->', i + 1)) {
    const ruleId = ids.idOf('notificationRule', key.slice(0, i));
    const webhookId = ids.idOf('webhook', key.slice(i + 2));
    if (ruleId !== undefined && webhookId !== undefined) return { ruleId, webhookId };
  }
  return undefined;
}

export const linkAdapter = defineAdapter({
  kind: 'link',
  collection: COLLECTION.integrationConfig,
  accepts: isLink,
  normalize: normalizeLink,
  body: (desired, ctx) => linkBody(desired, ctx.ids),
  settle: (client, result, desired, ctx) =>
    settleEnabled(client, result, desired, (raw) => normalizeLink(raw, ctx.ids)),
  // The list filters by destinationId only, which narrows it to one webhook's configurations.
  keyQuery(key, ids) {
    const webhookId = splitLinkKey(key, ids)?.webhookId;
    return webhookId === undefined ? undefined : { destinationId: webhookId };
  },
  referenceQuery: (ref, id) =>
    ref.by === 'id' && ref.idField === 'destinationId' ? { destinationId: id } : undefined,
});
