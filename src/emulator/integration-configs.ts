import {
  type ApiContext,
  type ApiRequest,
  type Route,
  checkVersion,
  newEnvelope,
  nextEnvelope,
  readParam,
  renderEnvelope,
  route,
} from './api.js';
import { notFound } from './errors.js';
import { type IntegrationConfigEntity, type StoredEntity, pageOf, readPageSize } from './store.js';
import {
  type Body,
  CREDENTIAL_TYPES,
  NAME_TOKEN,
  checkEnum,
  checkPattern,
  optionalBoolean,
  optionalObject,
  optionalString,
  requireBody,
  requiredString,
} from './validate.js';

/**
 * Integration configurations (the notification-to-webhook link): /organizations/{orgId}/integrationconfigs
 * (REFERENCE.md §3d). GET by id returns the config shape, not the SPEC's mis-declared IntegrationRunResponse (§9.4).
 */

const MAX_PAGE_SIZE = 200;
const BASE = '/organizations/{orgId}/integrationconfigs';

type ConfigFields = Omit<IntegrationConfigEntity, keyof StoredEntity | 'enabled'>;

function readConfigBody(body: Body): ConfigFields {
  const f: ConfigFields = {
    entityType: checkPattern(requiredString(body, 'entityType'), NAME_TOKEN, 'entityType'),
    destination: checkPattern(requiredString(body, 'destination'), NAME_TOKEN, 'destination'),
    configData: { ...(optionalObject(body, 'configData') ?? {}) },
  };
  for (const key of ['entityId', 'destinationId', 'integrationCredentialsId', 'name'] as const) {
    const v = optionalString(body, key);
    if (v !== undefined) f[key] = v;
  }
  // Inline credentials are checked against IntegrationCredentialsRequestBase but not stored: m3ter-config links
  // notifications to webhooks, whose credentials live on the webhook.
  const inline = optionalObject(body, 'credentials');
  if (inline)
    checkEnum(requiredString(inline, 'type', 'credentials.type'), CREDENTIAL_TYPES, 'credentials.type');
  return f;
}

export function renderIntegrationConfig(
  ctx: ApiContext,
  e: IntegrationConfigEntity,
): Record<string, unknown> {
  const out = renderEnvelope(e);
  out['entityType'] = e.entityType;
  out['destination'] = e.destination;
  if (e.entityId !== undefined) out['entityId'] = e.entityId;
  if (e.destinationId !== undefined) out['destinationId'] = e.destinationId;
  out['configData'] = { ...e.configData };
  if (e.integrationCredentialsId !== undefined) out['integrationCredentialsId'] = e.integrationCredentialsId;
  if (e.name !== undefined) out['name'] = e.name;
  out['enabled'] = e.enabled;
  // Authorized when some credential backs the link: a referenced credential, or the webhook's embedded one.
  out['authorized'] =
    (e.integrationCredentialsId !== undefined &&
      ctx.store.credentials.get(e.integrationCredentialsId) !== undefined) ||
    (e.destinationId !== undefined && ctx.store.webhooks.get(e.destinationId) !== undefined);
  return out;
}

export function integrationConfigRoutes(ctx: ApiContext): Route[] {
  const coll = ctx.store.integrationConfigs;
  const find = (req: ApiRequest): IntegrationConfigEntity => {
    const id = readParam(req, 'id');
    const e = coll.get(id);
    if (!e) throw notFound(`Integration configuration ${id} not found`);
    return e;
  };
  const render = (e: IntegrationConfigEntity) => renderIntegrationConfig(ctx, e);
  return [
    route('GET', BASE, (req) => {
      const pageSize = readPageSize(req.query, MAX_PAGE_SIZE, ctx.options.defaultPageSize);
      const destinationId = req.query.get('destinationId') ?? undefined;
      const filter =
        destinationId === undefined
          ? undefined
          : (e: IntegrationConfigEntity) => e.destinationId === destinationId;
      return { body: pageOf(coll, req.query, pageSize, filter, render) };
    }),
    route(
      'POST',
      BASE,
      (req) => {
        const body = requireBody(req.body);
        const f = readConfigBody(body);
        const enabled = ctx.options.honourEnabledInBody ? (optionalBoolean(body, 'enabled') ?? true) : true;
        const e: IntegrationConfigEntity = { ...newEnvelope(ctx, req.actor), ...f, enabled };
        coll.insert(e);
        return { body: render(e), mutated: true };
      },
      true,
    ),
    route('GET', `${BASE}/{id}`, (req) => ({ body: render(find(req)) })),
    route(
      'PUT',
      `${BASE}/{id}`,
      (req) => {
        const current = find(req);
        const body = requireBody(req.body);
        const f = readConfigBody(body);
        checkVersion(ctx, body, current, 'integration configuration');
        // `enabled` is server state rather than a request field: absent from a PUT, it keeps its value.
        const sent = ctx.options.honourEnabledInBody ? optionalBoolean(body, 'enabled') : undefined;
        const e: IntegrationConfigEntity = {
          ...nextEnvelope(ctx, current, req.actor),
          ...f,
          enabled: sent ?? current.enabled,
        };
        coll.replace(e);
        return { body: render(e), mutated: true };
      },
      true,
    ),
    route('DELETE', `${BASE}/{id}`, (req) => {
      const current = find(req);
      coll.remove(current.id);
      return { body: render(current), mutated: true };
    }),
    route('POST', `${BASE}/{id}/enable`, (req) => {
      const current = find(req);
      if (current.enabled) return { body: render(current) };
      const e: IntegrationConfigEntity = {
        ...current,
        ...nextEnvelope(ctx, current, req.actor),
        enabled: true,
      };
      coll.replace(e);
      return { body: render(e), mutated: true };
    }),
    route('GET', `${BASE}/entity/{entityType}`, (req) => {
      const entityType = checkPattern(readParam(req, 'entityType'), NAME_TOKEN, 'entityType');
      readPageSize(req.query, MAX_PAGE_SIZE, ctx.options.defaultPageSize);
      const q = req.query;
      const entityId = q.get('entityId');
      const destination = q.get('destination');
      const destinationId = q.get('destinationId');
      if (destination !== null) checkPattern(destination, NAME_TOKEN, 'destination');
      for (const e of coll.newestFirst()) {
        if (
          e.entityType === entityType &&
          (entityId === null || e.entityId === entityId) &&
          (destination === null || e.destination === destination) &&
          (destinationId === null || e.destinationId === destinationId)
        ) {
          return { body: render(e) };
        }
      }
      throw notFound(`No integration configuration for entity type ${entityType} matches the query`);
    }),
  ];
}
