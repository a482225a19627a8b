import { createHmac, randomBytes } from 'node:crypto';
import { type ApiContext, type Route, renderEnvelope } from './api.js';
import { type OwnedCredentialFields, crudRoutes } from './crud.js';
import { badRequest } from './errors.js';
import { SECRET_MASK } from './options.js';
import type { CredentialEntity } from './store.js';
import {
  type Body,
  CREDENTIAL_TYPES,
  DESTINATION_TYPES,
  checkEnum,
  isPlainObject,
  optionalObject,
  requiredString,
} from './validate.js';

/**
 * Integration credentials. The CRUD path is a guess (m3ter's docs index lists the API, but its pages
 * publish no path), so it lives in one option, `credentialsPath`. Body: `name`, `destination`, `type`,
 * `settings` (non-secret, returned as sent) and `secrets` (write-only). Settings keys that look secret-bearing are
 * treated as secrets too, so a misplaced password is never echoed.
 */

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
  return crudRoutes(ctx, {
    base: `/organizations/{orgId}/${ctx.options.credentialsPath}`,
    label: 'integration credentials',
    collection: ctx.store.collections.credentials,
    maxPageSize: 200,
    readFields: (body) => readCredentialBody(body, ctx.options.credentialDestinations),
    render: (e) => renderCredential(ctx, e),
    listIds: true,
    listFilter: () =>
      ctx.options.webhookCredentialsInList ? undefined : (e) => e.ownerWebhookId === undefined,
    referencedBy: (c, e) => c.integrationCredentialsId === e.id,
    guard: (e, action) => {
      if (e.ownerWebhookId !== undefined) {
        throw badRequest(
          `Cannot ${action} integration credentials ${e.id}: they belong to webhook destination ${e.ownerWebhookId}; change them through the webhook`,
        );
      }
    },
  });
}

/** The embedded credential of a webhook, as read from the webhook body's `credentials`. */
export function readSignedCredentials(body: Body): OwnedCredentialFields {
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
  const out: OwnedCredentialFields = {
    type,
    secretDigests: { apiKey: digest(apiKey), secret: digest(secret) },
    signingKey: { apiKey, secret },
  };
  if (typeof name === 'string') out.name = name;
  if (typeof version === 'number') out.version = version;
  return out;
}

export function sameSignedCredentials(e: CredentialEntity, f: OwnedCredentialFields): boolean {
  return (
    e.name === f.name &&
    e.type === f.type &&
    e.secretDigests['apiKey'] === f.secretDigests['apiKey'] &&
    e.secretDigests['secret'] === f.secretDigests['secret'] &&
    // Seeded without its key pair: the next PUT stores it, so deliveries can be signed again.
    e.signingKey !== undefined
  );
}
