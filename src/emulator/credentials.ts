import { createHmac, randomBytes } from 'node:crypto';
import {
  type ApiContext,
  type ApiRequest,
  type Route,
  checkVersion,
  newEnvelope,
  nextEnvelope,
  readParam,
  referencesTo,
  refuseIfReferenced,
  renderEnvelope,
  route,
} from './api.js';
import { badRequest, notFound } from './errors.js';
import { SECRET_MASK } from './options.js';
import { type CredentialEntity, pageOf, readIds, readPageSize } from './store.js';
import {
  type Body,
  CREDENTIAL_TYPES,
  DESTINATION_TYPES,
  checkEnum,
  isPlainObject,
  optionalObject,
  requireBody,
  requiredString,
} from './validate.js';

/**
 * Integration credentials. The CRUD path is a guess (REFERENCE.md §3b: the docs index lists the API, its pages
 * could not be read), so it lives in one option, `credentialsPath`. Body: `name`, `destination`, `type`,
 * `settings` (non-secret, returned as sent) and `secrets` (write-only). Settings keys that look secret-bearing are
 * treated as secrets too, so a misplaced password is never echoed.
 */

const MAX_PAGE_SIZE = 200;
const SECRET_KEY = /secret|password|passwd|private_?key|api_?key|access_?token|refresh_?token/i;

/**
 * Secrets are kept only as digests, keyed by a random key of this process: the emulator can tell whether a PUT
 * changed a secret, and in-process tests can compare with `secretDigest`, but a digest says nothing outside this
 * process (no unsalted hash to brute-force). Digests are never persisted nor served over HTTP; after a restart the
 * next credentials PUT counts as a change.
 */
const DIGEST_KEY = randomBytes(32);

export function digest(value: string): string {
  return createHmac('sha256', DIGEST_KEY).update(value).digest('hex');
}

/** Secret-bearing values as the options say: omitted, or each replaced by the mask. */
export function renderSecrets(
  ctx: ApiContext,
  digests: Record<string, string>,
): Record<string, string> | undefined {
  if (ctx.options.secretExposure === 'omit') return undefined;
  const out: Record<string, string> = {};
  for (const key of Object.keys(digests)) out[key] = SECRET_MASK;
  return out;
}

export function renderCredential(ctx: ApiContext, e: CredentialEntity): Record<string, unknown> {
  const out: Record<string, unknown> = renderEnvelope(e);
  if (e.name !== undefined) out['name'] = e.name;
  out['type'] = e.type;
  out['destination'] = e.destination;
  if (e.destinationId !== undefined) out['destinationId'] = e.destinationId;
  if (e.ownerWebhookId !== undefined) {
    // A webhook's M3TER_SIGNED_REQUEST credential has apiKey/secret at the top level (SPEC
    // IntegrationM3terSignedCredentialsResponse).
    const masked = renderSecrets(ctx, e.secretDigests);
    if (masked) Object.assign(out, masked);
    return out;
  }
  out['settings'] = { ...e.settings };
  const masked = renderSecrets(ctx, e.secretDigests);
  if (masked) out['secrets'] = masked;
  return out;
}

interface CredentialFields {
  name: string;
  type: string;
  destination: string;
  settings: Record<string, unknown>;
  secretDigests: Record<string, string>;
}

const DESTINATION_TOKEN = /^[A-Z0-9_]+$/;

function readDestination(body: Body, which: 'documented' | 'any'): string {
  const value = requiredString(body, 'destination');
  if (which === 'documented') return checkEnum(value, DESTINATION_TYPES, 'destination');
  if (!DESTINATION_TOKEN.test(value))
    throw badRequest('destination must be an upper-case token such as STRIPE');
  return value;
}

function readCredentialBody(body: Body, destinations: 'documented' | 'any'): CredentialFields {
  const name = requiredString(body, 'name');
  const type = checkEnum(requiredString(body, 'type'), CREDENTIAL_TYPES, 'type');
  const destination = readDestination(body, destinations);
  const settings: Record<string, unknown> = {};
  const secretDigests: Record<string, string> = {};
  const addSecret = (key: string, value: unknown, label: string): void => {
    if (typeof value !== 'string' || value.length < 1)
      throw badRequest(`${label} must be a non-empty string`);
    secretDigests[key] = digest(value);
  };
  for (const [key, value] of Object.entries(optionalObject(body, 'settings') ?? {})) {
    if (SECRET_KEY.test(key)) addSecret(key, value, `settings.${key}`);
    else settings[key] = value;
  }
  for (const [key, value] of Object.entries(optionalObject(body, 'secrets') ?? {})) {
    addSecret(key, value, `secrets.${key}`);
  }
  return { name, type, destination, settings, secretDigests };
}

export function credentialRoutes(ctx: ApiContext): Route[] {
  const base = `/organizations/{orgId}/${ctx.options.credentialsPath}`;
  const coll = ctx.store.credentials;
  const find = (req: ApiRequest): CredentialEntity => {
    const id = readParam(req, 'id');
    const e = coll.get(id);
    if (!e) throw notFound(`Integration credentials ${id} not found`);
    return e;
  };
  const refuseOwned = (e: CredentialEntity, what: string): void => {
    if (e.ownerWebhookId !== undefined) {
      throw badRequest(
        `Cannot ${what} integration credentials ${e.id}: they belong to webhook destination ${e.ownerWebhookId}; change them through the webhook`,
      );
    }
  };
  return [
    route('GET', base, (req) => {
      const pageSize = readPageSize(req.query, MAX_PAGE_SIZE, ctx.options.defaultPageSize);
      const ids = readIds(req.query);
      const withOwned = ctx.options.webhookCredentialsInList;
      const filter =
        ids || !withOwned
          ? (e: CredentialEntity) => (!ids || ids.has(e.id)) && (withOwned || e.ownerWebhookId === undefined)
          : undefined;
      return { body: pageOf(coll, req.query, pageSize, filter, (e) => renderCredential(ctx, e)) };
    }),
    route(
      'POST',
      base,
      (req) => {
        const f = readCredentialBody(requireBody(req.body), ctx.options.credentialDestinations);
        const e: CredentialEntity = { ...newEnvelope(ctx, req.actor), ...f };
        coll.insert(e);
        return { body: renderCredential(ctx, e), mutated: true };
      },
      true,
    ),
    route('GET', `${base}/{id}`, (req) => ({ body: renderCredential(ctx, find(req)) })),
    route(
      'PUT',
      `${base}/{id}`,
      (req) => {
        const current = find(req);
        refuseOwned(current, 'update');
        const body = requireBody(req.body);
        const f = readCredentialBody(body, ctx.options.credentialDestinations);
        checkVersion(ctx, body, current, 'integration credentials');
        const e: CredentialEntity = { ...nextEnvelope(ctx, current, req.actor), ...f };
        coll.replace(e);
        return { body: renderCredential(ctx, e), mutated: true };
      },
      true,
    ),
    route('DELETE', `${base}/{id}`, (req) => {
      const current = find(req);
      refuseOwned(current, 'delete');
      const refs = referencesTo(ctx, (c) => c.integrationCredentialsId === current.id);
      refuseIfReferenced(ctx, refs, 'integration credentials', current.id);
      coll.remove(current.id);
      return { body: renderCredential(ctx, current), mutated: true };
    }),
  ];
}

/** The embedded credential of a webhook, as read from the webhook body's `credentials`. */
export interface SignedCredentialFields {
  name?: string;
  type: string;
  secretDigests: Record<string, string>;
  version?: number;
}

export function readSignedCredentials(body: Body): SignedCredentialFields {
  const c = body['credentials'];
  if (c === undefined || c === null) throw badRequest('credentials is required');
  if (!isPlainObject(c)) throw badRequest('credentials must be an object');
  const type = checkEnum(
    requiredString(c, 'type', 'credentials.type'),
    ['M3TER_SIGNED_REQUEST'],
    'credentials.type',
  );
  const apiKey = requiredString(c, 'apiKey', 'credentials.apiKey');
  const secret = requiredString(c, 'secret', 'credentials.secret');
  const destination = c['destination'];
  if (destination !== undefined && destination !== null && destination !== 'WEBHOOK') {
    throw badRequest('credentials.destination must be WEBHOOK for a webhook destination');
  }
  const name = c['name'];
  if (name !== undefined && name !== null && typeof name !== 'string')
    throw badRequest('credentials.name must be a string');
  const version = c['version'];
  if (
    version !== undefined &&
    version !== null &&
    (typeof version !== 'number' || !Number.isInteger(version))
  ) {
    throw badRequest('credentials.version must be an integer');
  }
  const out: SignedCredentialFields = {
    type,
    secretDigests: { apiKey: digest(apiKey), secret: digest(secret) },
  };
  if (typeof name === 'string') out.name = name;
  if (typeof version === 'number') out.version = version;
  return out;
}

export function sameSignedCredentials(e: CredentialEntity, f: SignedCredentialFields): boolean {
  return (
    e.name === f.name &&
    e.type === f.type &&
    e.secretDigests['apiKey'] === f.secretDigests['apiKey'] &&
    e.secretDigests['secret'] === f.secretDigests['secret']
  );
}
