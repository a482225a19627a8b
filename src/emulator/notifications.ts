import { type ApiContext, type Route, renderEnvelope } from './api.js';
import { CalcError, parseCalculation } from './calc.js';
import { badRequest } from './errors.js';
import { crudRoutes } from './crud.js';
import { readBooleanQuery } from './query.js';
import type { NotificationEntity, StoredEntity } from './store.js';
import { type Body, optionalBoolean, optionalString, requiredString } from './validate.js';

/** Notification configurations: /organizations/{orgId}/notifications/configurations. */

type NotificationFields = Omit<NotificationEntity, keyof StoredEntity>;

function readNotificationBody(ctx: ApiContext, body: Body): NotificationFields {
  const f: NotificationFields = {
    name: requiredString(body, 'name'),
    description: requiredString(body, 'description'),
    code: requiredString(body, 'code'),
    eventName: requiredString(body, 'eventName'),
    active: optionalBoolean(body, 'active') ?? ctx.options.activeDefault,
    alwaysFireEvent: optionalBoolean(body, 'alwaysFireEvent') ?? ctx.options.alwaysFireEventDefault,
  };
  const calculation = optionalString(body, 'calculation');
  if (calculation !== undefined) {
    refuseTooDeep(calculation);
    f.calculation = calculation;
  }
  return f;
}

/**
 * Whether m3ter checks a calculation when a rule is saved is unknown, so one that does not parse is stored as sent;
 * one nested too deeply for anything to evaluate is refused.
 */
function refuseTooDeep(calculation: string): void {
  try {
    parseCalculation(calculation);
  } catch (e) {
    if (e instanceof CalcError && e.tooDeep) throw badRequest(`calculation: ${e.message}`);
  }
}

export function renderNotification(e: NotificationEntity): Record<string, unknown> {
  const out = renderEnvelope(e);
  out['name'] = e.name;
  out['description'] = e.description;
  out['code'] = e.code;
  out['eventName'] = e.eventName;
  out['active'] = e.active;
  out['alwaysFireEvent'] = e.alwaysFireEvent;
  if (e.calculation !== undefined) out['calculation'] = e.calculation;
  return out;
}

/** `active` and `eventName` filters of the list. */
function notificationFilter(query: URLSearchParams): ((e: NotificationEntity) => boolean) | undefined {
  const active = readBooleanQuery(query, 'active');
  const eventName = query.get('eventName') ?? undefined;
  if (active === undefined && eventName === undefined) return undefined;
  return (e) =>
    (active === undefined || e.active === active) && (eventName === undefined || e.eventName === eventName);
}

export function notificationRoutes(ctx: ApiContext): Route[] {
  return crudRoutes(ctx, {
    base: '/organizations/{orgId}/notifications/configurations',
    label: 'notification configuration',
    collection: ctx.store.collections.notifications,
    maxPageSize: 100,
    readFields: (body) => readNotificationBody(ctx, body),
    render: renderNotification,
    listIds: true,
    listFilter: notificationFilter,
    codeOf: (x) => x.code,
    referencedBy: (c, e) => c.entityId === e.id,
  });
}
