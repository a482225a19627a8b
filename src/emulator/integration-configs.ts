import { type ApiContext, type Route, readParam, renderEnvelope, route } from './api.js';
import { crudRoutes } from './crud.js';
import { badRequest, notFound } from './errors.js';
import { readPageSize } from './query.js';
import type { IntegrationConfigEntity, StoredEntity } from './store.js';
import {
  type Body,
  CREDENTIAL_TYPES,
  NAME_TOKEN,
  checkEnum,
  checkPattern,
  optionalObject,
  optionalString,
  requiredString,
} from './validate.js';

/**
 * Integration configurations (the notification-to-webhook link): /organizations/{orgId}/integrationconfigs.
 * GET by id returns the config shape, not the IntegrationRunResponse that m3ter's OpenAPI spec declares for it by
 * mistake.
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
  const { credentials, webhooks } = ctx.store.collections;
  out['authorized'] =
    (e.integrationCredentialsId !== undefined && credentials.get(e.integrationCredentialsId) !== undefined) ||
    (e.destinationId !== undefined && webhooks.get(e.destinationId) !== undefined);
  return out;
}

export function integrationConfigRoutes(ctx: ApiContext): Route[] {
  const coll = ctx.store.collections.integrationConfigs;
  const render = (e: IntegrationConfigEntity) => renderIntegrationConfig(ctx, e);
  return crudRoutes(ctx, {
    base: BASE,
    label: 'integration configuration',
    collection: coll,
    maxPageSize: MAX_PAGE_SIZE,
    readFields: readConfigBody,
    render,
    listFilter: (query) => {
      const destinationId = query.get('destinationId') ?? undefined;
      return destinationId === undefined ? undefined : (e) => e.destinationId === destinationId;
    },
    enabledState: true,
    check: (f) => {
      const id = f.integrationCredentialsId;
      if (
        id !== undefined &&
        ctx.options.credentialReferenceCheck === 'enforce' &&
        ctx.store.collections.credentials.get(id) === undefined
      ) {
        throw badRequest(
          `integrationCredentialsId ${id} names no integration credentials: create the credentials first, or leave integrationCredentialsId out`,
        );
      }
    },
    moreRoutes: ({ find, patch }) => [
      route('POST', `${BASE}/{id}/enable`, (req) => {
        const current = find(req);
        if (current.enabled) return { body: render(current) };
        return { body: render(patch(current, { enabled: true }, req.actor)), mutated: true };
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
    ],
  });
}
