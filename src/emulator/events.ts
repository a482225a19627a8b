import { type ApiContext, type Route, readParam, route } from './api.js';
import type { RecordedEvent } from './deliveries.js';
import { badRequest, notFound } from './errors.js';
import { readBooleanQuery, readIds, readPageSize } from './query.js';

/**
 * The Events API over the events the emulator fired (POST /_emulator/events, and its own
 * `integration.disabled.error`): `GET /events` (SPEC ListEvents), `GET /events/{id}` (GetEvent) and
 * `GET /events/fields` (ListEventFields).
 *
 * Choices where m3ter documents none: an event is actioned (`dtActioned`, required in the SPEC) when the emulator has
 * run its rules, and an error event it raises itself (`integration.disabled.error`) when it raised it, having
 * disabled the link; so `includeActioned=false` lists nothing, and without it every event is listed. `accountId` and
 * `resourceId` match the event's `new.accountId`/`old.accountId` and `new.id`/`old.id`.
 */

/** The newest-first list of events kept, and which rules each fired. */
export interface EventSource {
  eventsNewestFirst(): readonly RecordedEvent[];
}

/** The published field list (SPEC `EventFieldsResponse.example`, for `configuration.commitment.created`). */
const COMMITMENT_FIELDS: Readonly<Record<string, string>> = {
  accountCode: 'string',
  accountId: 'string',
  accountingProductId: 'string',
  amount: 'double',
  amountFirstBill: 'double',
  amountPrePaid: 'double',
  amountSpent: 'double',
  billEpoch: 'string',
  billingInterval: 'int',
  billingOffset: 'int',
  billingPlanId: 'string',
  commitmentFeeBillInAdvance: 'boolean',
  commitmentFeeDescription: 'string',
  commitmentUsageDescription: 'string',
  contractId: 'string',
  currency: 'string',
  customFields: 'map',
  endDate: 'string',
  feeDates: 'array',
  id: 'string',
  overageDescription: 'string',
  overageSurchargePercent: 'double',
  productIds: 'array',
  startDate: 'string',
};

function prefixed(scopes: readonly ('new' | 'old')[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const scope of scopes)
    for (const [field, type] of Object.entries(COMMITMENT_FIELDS)) out[`${scope}.${field}`] = type;
  return out;
}

/**
 * The field lists `GET /events/fields` serves: the published one for commitment events (created: `new.*`; updated:
 * `new.*` and `old.*`; deleted: `old.*`, as the docs describe the three). No other list is published, and m3ter says
 * the lists are dynamic: any other event type answers an empty list, unless the `eventFields` option gives one.
 */
export const DEFAULT_EVENT_FIELDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'configuration.commitment.created': prefixed(['new']),
  'configuration.commitment.updated': prefixed(['new', 'old']),
  'configuration.commitment.deleted': prefixed(['old']),
};

/** The `eventType` categories of ListEvents, by the event name's first part. */
const EVENT_CATEGORIES = [
  'Notification',
  'IntegrationEvent',
  'IngestValidationFailure',
  'DataExportJobFailure',
];

function categoryOf(eventName: string): string {
  const first = eventName.split('.')[0];
  if (first === 'integration') return 'IntegrationEvent';
  if (first === 'ingest') return 'IngestValidationFailure';
  if (first === 'dataexport') return 'DataExportJobFailure';
  return 'Notification';
}

/** The Event entity (SPEC EventResponse). */
export function renderEventResponse(e: RecordedEvent): Record<string, unknown> {
  const eventData: Record<string, unknown> = {};
  if (e.new) eventData['newDto'] = e.new;
  if (e.old) eventData['oldDto'] = e.old;
  return {
    id: e.id,
    eventName: e.eventName,
    eventTime: e.eventTime,
    dtActioned: e.dtActioned ?? e.eventTime,
    m3terEvent: { eventData },
  };
}

function sideValue(e: RecordedEvent, field: string): unknown[] {
  return [e.new?.[field], e.old?.[field]].filter((v) => v !== undefined);
}

function token(id: string): string {
  return Buffer.from(`e1:${id}`).toString('base64url');
}

function afterToken(raw: string): string {
  const m = /^e1:(.+)$/.exec(Buffer.from(raw, 'base64url').toString('utf8'));
  if (!m?.[1]) throw badRequest('nextToken is not valid');
  return m[1];
}

export function eventRoutes(ctx: ApiContext, source: EventSource): Route[] {
  return [
    route('GET', '/organizations/{orgId}/events/fields', (req) => {
      const lists = { ...DEFAULT_EVENT_FIELDS, ...ctx.options.eventFields };
      const eventName = req.query.get('eventName');
      if (eventName) return { body: { events: { [eventName]: { ...lists[eventName] } } } };
      return { body: { events: lists } };
    }),
    route('GET', '/organizations/{orgId}/events/{id}', (req) => {
      const id = readParam(req, 'id');
      const event = source.eventsNewestFirst().find((e) => e.id === id);
      if (!event) throw notFound(`No event ${id}`);
      return { body: renderEventResponse(event) };
    }),
    route('GET', '/organizations/{orgId}/events', (req) => {
      const q = req.query;
      const pageSize = readPageSize(q, 100, ctx.options.defaultPageSize);
      const ids = readIds(q);
      const eventName = q.get('eventName') || undefined;
      const eventType = q.get('eventType') || undefined;
      if (eventType !== undefined && !EVENT_CATEGORIES.includes(eventType))
        throw badRequest(`eventType must be one of ${EVENT_CATEGORIES.join(', ')}`);
      const notificationId = q.get('notificationId') || undefined;
      const notificationCode = q.get('notificationCode') || undefined;
      const accountId = q.get('accountId') || undefined;
      const resourceId = q.get('resourceId') || undefined;
      const includeActioned = readBooleanQuery(q, 'includeActioned') ?? true;
      const keep = (e: RecordedEvent): boolean =>
        (!ids || ids.has(e.id)) &&
        (eventName === undefined || e.eventName === eventName) &&
        (eventType === undefined || categoryOf(e.eventName) === eventType) &&
        (notificationId === undefined || (e.fired ?? []).some((f) => f.notificationId === notificationId)) &&
        (notificationCode === undefined || (e.fired ?? []).some((f) => f.code === notificationCode)) &&
        (accountId === undefined || sideValue(e, 'accountId').includes(accountId)) &&
        (resourceId === undefined || sideValue(e, 'id').includes(resourceId)) &&
        (includeActioned || !e.dtActioned);
      const all = source.eventsNewestFirst();
      const next = q.get('nextToken');
      let start = 0;
      if (next) {
        const after = afterToken(next);
        start = all.findIndex((e) => e.id === after) + 1;
        if (start === 0) throw badRequest('nextToken is not valid (its event is no longer kept)');
      }
      const data: Record<string, unknown>[] = [];
      for (let i = start; i < all.length; i++) {
        const e = all[i] as RecordedEvent;
        if (!keep(e)) continue;
        if (data.length === pageSize)
          return { body: { data, nextToken: token(data.at(-1)?.['id'] as string) } };
        data.push(renderEventResponse(e));
      }
      return { body: { data } };
    }),
  ];
}
