import { type ApiContext, type Route, route } from './api.js';

/** GET /organizations/{orgId}/events/types: the configurable list. */
export function eventTypeRoutes(ctx: ApiContext): Route[] {
  const body = { events: [...ctx.options.eventTypes] };
  return [route('GET', '/organizations/{orgId}/events/types', () => ({ body }))];
}
