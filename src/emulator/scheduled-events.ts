import type { ApiContext, Route } from './api.js';
import { renderEnvelope } from './api.js';
import { crudRoutes } from './crud.js';
import { badRequest } from './errors.js';
import type { ScheduledEventEntity, StoredEntity } from './store.js';
import { type Body, requiredString } from './validate.js';

/**
 * Scheduled event configurations: /organizations/{orgId}/scheduledevents/configurations. Each adds an event type, its
 * `name`, to GET /events/types. Whether m3ter checks the name's format, the entity and field, or the offset's range is
 * unknown: the emulator takes any non-empty strings and any int32 offset, as the OpenAPI request schema says.
 */

type ScheduledEventFields = Omit<ScheduledEventEntity, keyof StoredEntity>;

const INT32 = 2 ** 31;

function readScheduledEventBody(body: Body): ScheduledEventFields {
  const offset = body['offset'];
  if (offset === undefined || offset === null) throw badRequest('offset is required');
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < -INT32 || offset >= INT32)
    throw badRequest('offset must be an integer (int32)');
  return {
    name: requiredString(body, 'name'),
    entity: requiredString(body, 'entity'),
    field: requiredString(body, 'field'),
    offset,
  };
}

function renderScheduledEvent(e: ScheduledEventEntity): Record<string, unknown> {
  const out = renderEnvelope(e);
  out['name'] = e.name;
  out['entity'] = e.entity;
  out['field'] = e.field;
  out['offset'] = e.offset;
  return out;
}

/** The event types the org's scheduled events add, in creation order. */
export function scheduledEventTypes(ctx: ApiContext): string[] {
  return [...ctx.store.collections.scheduledEvents.values()].map((e) => e.name);
}

export function scheduledEventRoutes(ctx: ApiContext): Route[] {
  return crudRoutes(ctx, {
    base: '/organizations/{orgId}/scheduledevents/configurations',
    label: 'scheduled event configuration',
    collection: ctx.store.collections.scheduledEvents,
    maxPageSize: 100,
    readFields: readScheduledEventBody,
    render: renderScheduledEvent,
    listIds: true,
    // The name is the event type rules listen to: unique, as codes are, when codeUniqueness is 'enforce'.
    codeOf: (x) => x.name,
    // Like a webhook or rule an integration configuration references: a rule listening to it holds it.
    guard: (e, action) => {
      if (action !== 'delete' || !ctx.options.refuseDeleteWhenReferenced) return;
      const rules = [...ctx.store.collections.notifications.values()].filter((r) => r.eventName === e.name);
      if (rules.length > 0)
        throw badRequest(
          `Cannot delete scheduled event configuration ${e.id}: notification configuration(s) ${rules.map((r) => r.id).join(', ')} listen to ${e.name}`,
        );
    },
  });
}
