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
import { EmulatorHttpError, badRequest, notFound } from './errors.js';
import { readSignedCredentials, renderCredential, sameSignedCredentials } from './credentials.js';
import { type CredentialEntity, type WebhookEntity, pageOf, readIds, readPageSize } from './store.js';
import { type Body, optionalBoolean, optionalString, requireBody, requiredString } from './validate.js';

/** Webhook destinations: /organizations/{orgId}/integrationdestinations/webhooks (REFERENCE.md §3a). */

const MAX_PAGE_SIZE = 200;
const BASE = '/organizations/{orgId}/integrationdestinations/webhooks';

interface WebhookFields {
  name: string;
  description: string;
  url: string;
  code?: string;
  active: boolean;
}

function readWebhookBody(ctx: ApiContext, body: Body): WebhookFields {
  const f: WebhookFields = {
    name: requiredString(body, 'name'),
    description: requiredString(body, 'description'),
    url: requiredString(body, 'url'),
    active: optionalBoolean(body, 'active') ?? ctx.options.activeDefault,
  };
  const code = optionalString(body, 'code');
  if (code !== undefined) f.code = code;
  return f;
}

export function renderWebhook(ctx: ApiContext, e: WebhookEntity): Record<string, unknown> {
  const out = renderEnvelope(e);
  out['name'] = e.name;
  out['description'] = e.description;
  if (e.code !== undefined) out['code'] = e.code;
  out['active'] = e.active;
  out['url'] = e.url;
  const cred = ctx.store.credentials.get(e.credentialId);
  if (cred) out['credentials'] = renderCredential(ctx, cred);
  return out;
}

export function webhookRoutes(ctx: ApiContext): Route[] {
  const coll = ctx.store.webhooks;
  const creds = ctx.store.credentials;
  const find = (req: ApiRequest): WebhookEntity => {
    const id = readParam(req, 'id');
    const e = coll.get(id);
    if (!e) throw notFound(`Webhook destination ${id} not found`);
    return e;
  };
  return [
    route('GET', BASE, (req) => {
      const pageSize = readPageSize(req.query, MAX_PAGE_SIZE, ctx.options.defaultPageSize);
      const ids = readIds(req.query);
      const filter = ids ? (e: WebhookEntity) => ids.has(e.id) : undefined;
      return { body: pageOf(coll, req.query, pageSize, filter, (e) => renderWebhook(ctx, e)) };
    }),
    route(
      'POST',
      BASE,
      (req) => {
        const body = requireBody(req.body);
        // `version` in a create body is ignored, not refused: old docs examples send `version: 1` (§9.5).
        const f = readWebhookBody(ctx, body);
        const c = readSignedCredentials(body);
        checkCodeUnique(ctx, coll.values(), f.code, undefined, 'webhook destination');
        const envelope = newEnvelope(ctx, req.actor);
        const credential: CredentialEntity = {
          ...newEnvelope(ctx, req.actor),
          type: c.type,
          destination: 'WEBHOOK',
          destinationId: envelope.id,
          settings: {},
          secretDigests: c.secretDigests,
          ownerWebhookId: envelope.id,
        };
        if (c.name !== undefined) credential.name = c.name;
        const e: WebhookEntity = { ...envelope, ...f, credentialId: credential.id };
        coll.insert(e);
        creds.insert(credential);
        return { body: renderWebhook(ctx, e), mutated: true };
      },
      true,
    ),
    route('GET', `${BASE}/{id}`, (req) => ({ body: renderWebhook(ctx, find(req)) })),
    route(
      'PUT',
      `${BASE}/{id}`,
      (req) => {
        const current = find(req);
        const body = requireBody(req.body);
        const f = readWebhookBody(ctx, body);
        const c = readSignedCredentials(body);
        checkVersion(ctx, body, current, 'webhook destination');
        const cred = creds.get(current.credentialId);
        if (!cred) throw new Error(`webhook ${current.id} lost its credential`);
        if (ctx.options.credentialVersionCheck && c.version !== undefined && c.version !== cred.version) {
          throw new EmulatorHttpError(
            ctx.options.versionConflictStatus,
            `Version mismatch for the credentials of webhook destination ${current.id}: the request has version ${c.version} but the current version is ${cred.version}`,
          );
        }
        checkCodeUnique(ctx, coll.values(), f.code, current.id, 'webhook destination');
        // The embedded credential is its own entity: its version moves only when the credentials change.
        if (!sameSignedCredentials(cred, c)) {
          const next: CredentialEntity = {
            ...nextEnvelope(ctx, cred, req.actor),
            type: c.type,
            destination: 'WEBHOOK',
            destinationId: current.id,
            settings: {},
            secretDigests: c.secretDigests,
            ownerWebhookId: current.id,
          };
          if (c.name !== undefined) next.name = c.name;
          creds.replace(next);
        }
        const e: WebhookEntity = { ...nextEnvelope(ctx, current, req.actor), ...f, credentialId: cred.id };
        coll.replace(e);
        return { body: renderWebhook(ctx, e), mutated: true };
      },
      true,
    ),
    route('DELETE', `${BASE}/{id}`, (req) => {
      const current = find(req);
      const refs = referencesTo(ctx, (c) => c.destinationId === current.id);
      refuseIfReferenced(ctx, refs, 'webhook destination', current.id);
      const body = renderWebhook(ctx, current);
      coll.remove(current.id);
      creds.remove(current.credentialId);
      return { body, mutated: true };
    }),
    route('PUT', `${BASE}/{id}/active`, (req) => {
      const current = find(req);
      const raw = req.query.get('active');
      if (raw !== 'true' && raw !== 'false') throw badRequest('active is required and must be true or false');
      const e: WebhookEntity = {
        ...current,
        ...nextEnvelope(ctx, current, req.actor),
        active: raw === 'true',
      };
      coll.replace(e);
      return { body: renderWebhook(ctx, e), mutated: true };
    }),
  ];
}
