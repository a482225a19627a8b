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

/** Whether the org has this event type: one of the configured list, or one of its scheduled events. */
export function isEventType(ctx: ApiContext, name: string): boolean {
  return ctx.options.eventTypes.includes(name) || scheduledEventTypes(ctx).includes(name);
}
