import { type ApiContext, type Route, route } from './api.js';
import { scheduledEventTypes } from './scheduled-events.js';

/** GET /organizations/{orgId}/events/types: the configurable list, then the org's scheduled event types. */
export function eventTypeRoutes(ctx: ApiContext): Route[] {
  return [
    route('GET', '/organizations/{orgId}/events/types', () => ({
      body: { events: [...ctx.options.eventTypes, ...scheduledEventTypes(ctx)] },
    })),
  ];
}

/** Whether the org has this event type: one of the configurable list, or one its scheduled events add. */
export function isEventType(ctx: ApiContext, eventName: string): boolean {
  return ctx.options.eventTypes.includes(eventName) || scheduledEventTypes(ctx).includes(eventName);
}
