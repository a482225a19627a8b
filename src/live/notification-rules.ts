import { idKey } from '../kinds/index.js';
import type { DesiredResource, LiveResource, NotificationRuleAttributes } from '../model/resource.js';
import { defineAdapter } from './define-adapter.js';
import { bool, entityOf, type RawEntity, str } from './entity.js';
import { COLLECTION } from './paths.js';

/** Notification rules: m3ter's notification configurations (`/notifications/configurations`). */

/**
 * m3ter's JSON → the canonical rule, with the loader's defaults: a missing `active` is true, a missing
 * `alwaysFireEvent` false, and a missing, null or empty `calculation` is null.
 */
export function normalizeRule(value: unknown): LiveResource<'notificationRule'> {
  const { raw, live } = entityOf(value, 'notification rule');
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

export const notificationRuleAdapter = defineAdapter({
  kind: 'notificationRule',
  collection: COLLECTION.notificationRule,
  accepts: () => true,
  normalize: normalizeRule,
  body: ruleBody,
});
