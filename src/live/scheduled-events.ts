import { idKey } from '../kinds/index.js';
import type { DesiredResource, LiveResource, ScheduledEventAttributes } from '../model/resource.js';
import { defineAdapter } from './define-adapter.js';
import { entityOf, num, type RawEntity, str } from './entity.js';
import { COLLECTION } from './paths.js';

/**
 * Scheduled event configurations (`/scheduledevents/configurations`): each makes an event type, named by its `name`,
 * that notification rules listen to. Keyed by that name.
 */

/** m3ter's JSON → the canonical scheduled event; one without a name is keyed by its id. */
export function normalizeScheduledEvent(value: unknown): LiveResource<'scheduledEvent'> {
  const { raw, live } = entityOf(value, 'scheduled event configuration');
  const attributes: ScheduledEventAttributes = {
    name: str(raw, 'name') ?? '',
    entity: str(raw, 'entity') ?? '',
    field: str(raw, 'field') ?? '',
    offset: num(raw, 'offset') ?? 0,
  };
  return {
    kind: 'scheduledEvent',
    key: attributes.name ? attributes.name : idKey(live.id),
    attributes,
    live,
  };
}

/** The full body m3ter requires on create and on update. */
export function scheduledEventBody(desired: DesiredResource<'scheduledEvent'>): RawEntity {
  const { name, entity, field, offset } = desired.attributes;
  return { name, entity, field, offset };
}

export const scheduledEventAdapter = defineAdapter({
  kind: 'scheduledEvent',
  collection: COLLECTION.scheduledEvent,
  accepts: () => true,
  normalize: normalizeScheduledEvent,
  body: scheduledEventBody,
});
