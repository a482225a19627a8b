import {
  type ApiContext,
  type ApiRequest,
  type Route,
  checkCodeUnique,
  checkVersion,
  newEnvelope,
  nextEnvelope,
  readParam,
  referencesTo,
  refuseIfReferenced,
  renderEnvelope,
  route,
} from './api.js';
import { notFound } from './errors.js';
import {
  type NotificationEntity,
  type StoredEntity,
  pageOf,
  readBooleanQuery,
  readIds,
  readPageSize,
} from './store.js';
import { type Body, optionalBoolean, optionalString, requireBody, requiredString } from './validate.js';

/** Notification configurations: /organizations/{orgId}/notifications/configurations (REFERENCE.md §3c). */

const MAX_PAGE_SIZE = 100;
const BASE = '/organizations/{orgId}/notifications/configurations';

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
  if (calculation !== undefined) f.calculation = calculation;
  return f;
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

export function notificationRoutes(ctx: ApiContext): Route[] {
  const coll = ctx.store.notifications;
  const find = (req: ApiRequest): NotificationEntity => {
    const id = readParam(req, 'id');
    const e = coll.get(id);
    if (!e) throw notFound(`Notification configuration ${id} not found`);
    return e;
  };
  return [
    route('GET', BASE, (req) => {
      const pageSize = readPageSize(req.query, MAX_PAGE_SIZE, ctx.options.defaultPageSize);
      const ids = readIds(req.query);
      const active = readBooleanQuery(req.query, 'active');
      const eventName = req.query.get('eventName') ?? undefined;
      const filter =
        ids || active !== undefined || eventName !== undefined
          ? (e: NotificationEntity) =>
              (!ids || ids.has(e.id)) &&
              (active === undefined || e.active === active) &&
              (eventName === undefined || e.eventName === eventName)
          : undefined;
      return { body: pageOf(coll, req.query, pageSize, filter, renderNotification) };
    }),
    route(
      'POST',
      BASE,
      (req) => {
        const f = readNotificationBody(ctx, requireBody(req.body));
        checkCodeUnique(ctx, coll.values(), f.code, undefined, 'notification configuration');
        const e: NotificationEntity = { ...newEnvelope(ctx, req.actor), ...f };
        coll.insert(e);
        return { body: renderNotification(e), mutated: true };
      },
      true,
    ),
    route('GET', `${BASE}/{id}`, (req) => ({ body: renderNotification(find(req)) })),
    route(
      'PUT',
      `${BASE}/{id}`,
      (req) => {
        const current = find(req);
        const body = requireBody(req.body);
        const f = readNotificationBody(ctx, body);
        checkVersion(ctx, body, current, 'notification configuration');
        checkCodeUnique(ctx, coll.values(), f.code, current.id, 'notification configuration');
        const e: NotificationEntity = { ...nextEnvelope(ctx, current, req.actor), ...f };
        coll.replace(e);
        return { body: renderNotification(e), mutated: true };
      },
      true,
    ),
    route('DELETE', `${BASE}/{id}`, (req) => {
      const current = find(req);
      const refs = referencesTo(ctx, (c) => c.entityId === current.id);
      refuseIfReferenced(ctx, refs, 'notification configuration', current.id);
      coll.remove(current.id);
      return { body: renderNotification(current), mutated: true };
    }),
  ];
}
