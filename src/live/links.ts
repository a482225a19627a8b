import { InternalError, M3terConfigError } from '../model/errors.js';
import { linkKey } from '../model/kinds.js';
import type { DesiredResource, LinkAttributes, LiveResource } from '../model/resource.js';
import type { IdMap, KindAdapter, LiveClient } from './contract.js';
import { type RawEntity, asEntity, bool, idKey, liveMetaOf, str } from './entity.js';
import { readListChecked } from './check-list.js';
import { COLLECTION, MAX_PAGE_SIZE, orgPath } from './paths.js';

/**
 * Links: a notification rule wired to a webhook. m3ter stores each as an integration configuration with
 * `entityType: Notification`, `entityId` = the rule's id and `destinationId` = the webhook's id; other integration
 * configurations (billing syncs and so on) are not links and are never touched.
 */

/** The `entityType` of a notification link; matched case-insensitively on read. */
export const LINK_ENTITY_TYPE = 'Notification';
/**
 * The `destination` sent on create. The OpenAPI enum spells it `WEBHOOK`; the community provider that runs against
 * the live API sends `Webhook`, so that is what we send. It is not part of the canonical model and never diffed.
 */
export const LINK_DESTINATION = 'Webhook';

export function linksPath(client: LiveClient, id?: string): string {
  return id === undefined
    ? orgPath(client.orgId, ...COLLECTION.link)
    : orgPath(client.orgId, ...COLLECTION.link, id);
}

export function isLink(raw: RawEntity): boolean {
  return str(raw, 'entityType')?.toLowerCase() === LINK_ENTITY_TYPE.toLowerCase();
}

/**
 * m3ter's JSON → the canonical link. The key is `ruleCode->webhookCode`; when either id does not resolve (a
 * dangling link, or one to an entity without a code) the key is `id:<id>`, so it can still be reported and deleted.
 * `active` is m3ter's `enabled` (missing: true).
 */
export function normalizeLink(value: unknown, ids: IdMap): LiveResource<'link'> {
  const raw = asEntity(value, 'integration configuration');
  const live = liveMetaOf(raw, 'integration configuration');
  const entityId = str(raw, 'entityId');
  const destinationId = str(raw, 'destinationId');
  if (entityId !== undefined) live.entityId = entityId;
  if (destinationId !== undefined) live.destinationId = destinationId;
  const rule = entityId === undefined ? undefined : ids.ruleCode(entityId);
  const webhook = destinationId === undefined ? undefined : ids.webhookCode(destinationId);
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
  const entityId = ids.ruleId(desired.attributes.rule);
  const destinationId = ids.webhookId(desired.attributes.webhook);
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

/** m3ter has `POST .../enable` and no disable: enable if the body was ignored; refuse clearly if disabling was. */
async function settleEnabled(
  client: LiveClient,
  result: LiveResource<'link'>,
  desired: DesiredResource<'link'>,
  ids: IdMap,
): Promise<LiveResource<'link'>> {
  if (result.attributes.active === desired.attributes.active) return result;
  if (desired.attributes.active) {
    return normalizeLink(await client.post(`${linksPath(client, result.live.id)}/enable`), ids);
  }
  throw new M3terConfigError(
    'link_disable_unsupported',
    `link ${desired.key}: m3ter kept the integration configuration enabled and has no API to disable it; delete the link instead`,
    { key: desired.key, id: result.live.id },
  );
}

/** The ids a link key names, trying each `->` in case a code contains one; undefined when nothing resolves. */
function splitLinkKey(key: string, ids: IdMap): { ruleId: string; webhookId: string } | undefined {
  for (let i = key.indexOf('->'); i >= 0; i = key.indexOf('->', i + 1)) {
    const ruleId = ids.ruleId(key.slice(0, i));
    const webhookId = ids.webhookId(key.slice(i + 2));
    if (ruleId !== undefined && webhookId !== undefined) return { ruleId, webhookId };
  }
  return undefined;
}

export const linkAdapter: KindAdapter<'link'> = {
  kind: 'link',
  async create(client, desired, ctx) {
    const created = normalizeLink(await client.post(linksPath(client), linkBody(desired, ctx.ids)), ctx.ids);
    return settleEnabled(client, created, desired, ctx.ids);
  },
  async update(client, id, version, desired, ctx) {
    const body = { ...linkBody(desired, ctx.ids), version };
    const updated = normalizeLink(await client.put(linksPath(client, id), body), ctx.ids);
    return settleEnabled(client, updated, desired, ctx.ids);
  },
  async remove(client, id) {
    await client.delete(linksPath(client, id));
  },
  async read(client, id, ids) {
    const raw = await client.get(linksPath(client, id));
    if (raw === undefined || !isLink(asEntity(raw, 'integration configuration'))) return undefined;
    return normalizeLink(raw, ids);
  },
  async findByKey(client, key, ids) {
    // The list filters by destinationId only, which narrows it to one webhook's configurations.
    const webhookId = splitLinkKey(key, ids)?.webhookId;
    const query = webhookId === undefined ? undefined : { destinationId: webhookId };
    const all = await readListChecked(
      client,
      linksPath(client),
      MAX_PAGE_SIZE.link,
      'integration configurations',
      query,
    );
    return all
      .filter((raw) => isLink(asEntity(raw, 'integration configuration')))
      .map((raw) => normalizeLink(raw, ids))
      .filter((l) => l.key === key);
  },
};
