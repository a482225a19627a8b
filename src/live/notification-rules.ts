import type { DesiredResource, LiveResource, NotificationRuleAttributes } from '../model/resource.js';
import type { KindAdapter, LiveClient } from './contract.js';
import { type RawEntity, asEntity, bool, idKey, liveMetaOf, str } from './entity.js';
import { readListChecked } from './check-list.js';
import { COLLECTION, MAX_PAGE_SIZE, orgPath } from './paths.js';

/** Notification rules: m3ter's notification configurations (`/notifications/configurations`). */

export function rulesPath(client: LiveClient, id?: string): string {
  return id === undefined
    ? orgPath(client.orgId, ...COLLECTION.notificationRule)
    : orgPath(client.orgId, ...COLLECTION.notificationRule, id);
}

/**
 * m3ter's JSON → the canonical rule, with the loader's defaults: a missing `active` is true, a missing
 * `alwaysFireEvent` false, and a missing, null or empty `calculation` is null.
 */
export function normalizeRule(value: unknown): LiveResource<'notificationRule'> {
  const raw = asEntity(value, 'notification rule');
  const live = liveMetaOf(raw, 'notification rule');
  const calculation = str(raw, 'calculation');
  const attributes: NotificationRuleAttributes = {
    name: str(raw, 'name') ?? '',
    description: str(raw, 'description') ?? '',
    eventName: str(raw, 'eventName') ?? '',
    calculation: calculation && calculation.trim() !== '' ? calculation : null,
    active: bool(raw, 'active') ?? true,
    alwaysFireEvent: bool(raw, 'alwaysFireEvent') ?? false,
  };
  const code = str(raw, 'code');
  return { kind: 'notificationRule', key: code ? code : idKey(live.id), attributes, live };
}

/** The full body: PUT replaces the entity, so an absent `calculation` clears it. */
export function ruleBody(desired: DesiredResource<'notificationRule'>): RawEntity {
  const a = desired.attributes;
  const body: RawEntity = {
    name: a.name,
    description: a.description,
    code: desired.key,
    eventName: a.eventName,
    active: a.active,
    alwaysFireEvent: a.alwaysFireEvent,
  };
  if (a.calculation !== null) body['calculation'] = a.calculation;
  return body;
}

export const notificationRuleAdapter: KindAdapter<'notificationRule'> = {
  kind: 'notificationRule',
  async create(client, desired) {
    return normalizeRule(await client.post(rulesPath(client), ruleBody(desired)));
  },
  async update(client, id, version, desired) {
    return normalizeRule(await client.put(rulesPath(client, id), { ...ruleBody(desired), version }));
  },
  async remove(client, id) {
    await client.delete(rulesPath(client, id));
  },
  async read(client, id) {
    const raw = await client.get(rulesPath(client, id));
    return raw === undefined ? undefined : normalizeRule(raw);
  },
  async findByKey(client, key) {
    const all = await readListChecked(
      client,
      rulesPath(client),
      MAX_PAGE_SIZE.notificationRule,
      'notification rules',
    );
    return all.map(normalizeRule).filter((r) => r.key === key);
  },
};
