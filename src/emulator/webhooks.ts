import { type ApiContext, type Route, renderEnvelope, route } from './api.js';
import { crudRoutes } from './crud.js';
import { badRequest } from './errors.js';
import { readSignedCredentials, renderCredential, sameSignedCredentials } from './credentials.js';
import type { WebhookEntity } from './store.js';
import { type Body, optionalBoolean, optionalString, requiredString } from './validate.js';

/** Webhook destinations: /organizations/{orgId}/integrationdestinations/webhooks. */

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
  const cred = ctx.store.collections.credentials.get(e.credentialId);
  if (cred) out['credentials'] = renderCredential(ctx, cred);
  return out;
}

export function webhookRoutes(ctx: ApiContext): Route[] {
  const render = (e: WebhookEntity) => renderWebhook(ctx, e);
  return crudRoutes(ctx, {
    base: BASE,
    label: 'webhook destination',
    collection: ctx.store.collections.webhooks,
    maxPageSize: 200,
    readFields: (body) => readWebhookBody(ctx, body),
    render,
    listIds: true,
    codeOf: (x) => x.code,
    referencedBy: (c, e) => c.destinationId === e.id,
    ownedCredential: { destination: 'WEBHOOK', read: readSignedCredentials, same: sameSignedCredentials },
    moreRoutes: ({ find, patch }) => [
      route('PUT', `${BASE}/{id}/active`, (req) => {
        const current = find(req);
        const raw = req.query.get('active');
        if (raw !== 'true' && raw !== 'false')
          throw badRequest('active is required and must be true or false');
        return { body: render(patch(current, { active: raw === 'true' }, req.actor)), mutated: true };
      }),
    ],
  });
}
