import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../../../src/emulator/index.js';

/**
 * Test helpers: a fetch wrapper that checks every emulator answer against m3ter's OpenAPI schema for its
 * operation (contract tests), and an emulator starter with the rate limit off unless a test asks for it.
 * Nothing from src/live is used: the emulator is an independent oracle.
 */

const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/openapi/m3ter-schemas.json', import.meta.url), 'utf8'),
) as { components: { schemas: Record<string, unknown> } };

/** OpenAPI 3.0 `nullable: true` → JSON Schema `type: [t, 'null']`. */
function convertNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convertNullable);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = convertNullable(v);
  if (out['nullable'] === true && typeof out['type'] === 'string') out['type'] = [out['type'], 'null'];
  delete out['nullable'];
  return out;
}

const schemas = convertNullable(fixture.components.schemas) as Record<string, Record<string, unknown>>;
// The SPEC's own example token response has `"scope": null` while the property says `type: string`; m3ter sends null.
const tokenSchema = schemas['BearerAccessTokenResponse'] as {
  properties: Record<string, Record<string, unknown>>;
};
(tokenSchema.properties['scope'] as Record<string, unknown>)['type'] = ['string', 'null'];

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) });
ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
ajv.addSchema({ $id: 'm3ter.json', components: { schemas } });

const compiled = new Map<string, ValidateFunction>();
function validator(name: string): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    v = ajv.compile(
      name === 'Error'
        ? { type: 'object', required: ['message'], properties: { message: { type: 'string' } } }
        : name === 'PaginatedIntegrationCredentialsResponseData'
          ? {
              type: 'object',
              required: ['data'],
              properties: {
                data: {
                  type: 'array',
                  items: { $ref: 'm3ter.json#/components/schemas/IntegrationCredentialsResponse' },
                },
                nextToken: { type: 'string' },
              },
            }
          : name === 'PaginatedIntegrationRunResponseData'
            ? {
                type: 'object',
                required: ['data'],
                properties: {
                  data: {
                    type: 'array',
                    items: { $ref: 'm3ter.json#/components/schemas/IntegrationRunResponse' },
                  },
                  nextToken: { type: 'string' },
                },
              }
            : { $ref: `m3ter.json#/components/schemas/${name}` },
    );
    compiled.set(name, v);
  }
  return v;
}

const ORG = '/organizations/[^/]+';
const ID = '[^/]+';
/**
 * Operation → response schema. GET integrationconfigs/{id} and entity/{entityType} are declared as
 * IntegrationRunResponse in the SPEC, a known mis-declaration (REFERENCE.md §9.4); the config shape is checked.
 * The credentials CRUD has no SPEC path (§3b); IntegrationCredentialsResponse is its closest schema.
 */
const OPERATIONS: [string, RegExp, string][] = [
  ['POST', /^\/oauth\/token$/, 'BearerAccessTokenResponse'],
  ['GET', new RegExp(`^${ORG}/integrationdestinations/webhooks$`), 'PaginatedWebhookDestinationResponseData'],
  ['POST', new RegExp(`^${ORG}/integrationdestinations/webhooks$`), 'WebhookDestinationResponse'],
  [
    '*',
    new RegExp(`^${ORG}/integrationdestinations/webhooks/${ID}(/active)?$`),
    'WebhookDestinationResponse',
  ],
  ['GET', new RegExp(`^${ORG}/notifications/configurations$`), 'PaginatedNotificationResponseData'],
  ['POST', new RegExp(`^${ORG}/notifications/configurations$`), 'NotificationResponse'],
  ['*', new RegExp(`^${ORG}/notifications/configurations/${ID}$`), 'NotificationResponse'],
  ['GET', new RegExp(`^${ORG}/integrationconfigs$`), 'PaginatedIntegrationConfigResponseData'],
  ['*', new RegExp(`^${ORG}/integrationconfigs(/entity)?/${ID}(/enable)?$`), 'IntegrationConfigResponse'],
  ['POST', new RegExp(`^${ORG}/integrationconfigs$`), 'IntegrationConfigResponse'],
  ['GET', new RegExp(`^${ORG}/events/types$`), 'EventTypeResponse'],
  ['GET', new RegExp(`^${ORG}/integrationruns/[A-Za-z]+/latest/${ID}$`), 'IntegrationRunResponse'],
  ['GET', new RegExp(`^${ORG}/integrationruns/${ID}/${ID}$`), 'PaginatedIntegrationRunResponseData'],
  ['GET', new RegExp(`^${ORG}/integrationruns/${ID}$`), 'IntegrationRunResponse'],
  ['GET', new RegExp(`^${ORG}/events/fields$`), 'EventFieldsResponse'],
  ['GET', new RegExp(`^${ORG}/events$`), 'PaginatedEventResponseData'],
  ['GET', new RegExp(`^${ORG}/events/${ID}$`), 'EventResponse'],
  ['POST', new RegExp(`^${ORG}/notifications/evaluate$`), 'EvaluateCalculationResponse'],
  ['GET', new RegExp(`^${ORG}/users/me$`), 'MeResponse'],
  ['GET', new RegExp(`^${ORG}/[a-z/]*credentials$`), 'PaginatedIntegrationCredentialsResponseData'],
  ['*', new RegExp(`^${ORG}/[a-z/]*credentials(/${ID})?$`), 'IntegrationCredentialsResponse'],
];

export function schemaNameFor(method: string, path: string, status: number): string | undefined {
  if (path.startsWith('/_emulator/')) return undefined;
  if (status >= 400) return 'Error';
  for (const [m, re, name] of OPERATIONS) if ((m === '*' || m === method) && re.test(path)) return name;
  return undefined;
}

/** Every response checked here, by schema: lets a test assert the contract net covered what it meant to. */
export const validatedBySchema = new Map<string, number>();

export function assertContract(method: string, path: string, status: number, body: unknown): void {
  const name = schemaNameFor(method, path, status);
  if (!name) throw new Error(`no OpenAPI schema known for ${method} ${path} (${status})`);
  const v = validator(name);
  if (!v(body)) {
    throw new Error(
      `${method} ${path} → ${status}: body does not match ${name}: ${ajv.errorsText(v.errors)}\n${JSON.stringify(body)}`,
    );
  }
  validatedBySchema.set(name, (validatedBySchema.get(name) ?? 0) + 1);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read replies ad hoc; the contract check has already typed them
export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface CallOptions {
  body?: unknown;
  rawBody?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** Override the bearer token; null sends none. */
  token?: string | null;
}

/** A small client over fetch that validates every answer (content type and schema). */
export class TestClient {
  token: string | undefined;
  constructor(readonly emu: RunningEmulator) {}

  get org(): string {
    return `/organizations/${this.emu.orgId}`;
  }

  async login(): Promise<string> {
    const r = await this.tokenRequest();
    if (r.status !== 200) throw new Error(`token request failed: ${r.status} ${JSON.stringify(r.body)}`);
    this.token = r.body.access_token as string;
    return this.token;
  }

  tokenRequest(
    opts: {
      key?: string;
      secret?: string;
      form?: boolean;
      body?: string;
      authorization?: string | null;
    } = {},
  ): Promise<Reply> {
    const basic = Buffer.from(`${opts.key ?? this.emu.apiKey}:${opts.secret ?? this.emu.apiSecret}`).toString(
      'base64',
    );
    const headers: Record<string, string> = {
      'Content-Type': opts.form ? 'application/x-www-form-urlencoded' : 'application/json',
    };
    if (opts.authorization !== null) headers['Authorization'] = opts.authorization ?? `Basic ${basic}`;
    return this.raw('POST', '/oauth/token', {
      rawBody:
        opts.body ?? (opts.form ? 'grant_type=client_credentials' : '{"grant_type":"client_credentials"}'),
      headers,
      token: null,
    });
  }

  /** Path relative to the org, e.g. `/notifications/configurations`. */
  call(method: string, orgPath: string, opts: CallOptions = {}): Promise<Reply> {
    return this.raw(method, `${this.org}${orgPath}`, opts);
  }

  async raw(method: string, path: string, opts: CallOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
    const token = opts.token === undefined ? this.token : opts.token;
    if (token !== null && token !== undefined && !headers['Authorization'])
      headers['Authorization'] = `Bearer ${token}`;
    let body: string | undefined = opts.rawBody;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['Content-Type'] ??= 'application/json';
    }
    const qs = opts.query ? `?${new URLSearchParams(opts.query).toString()}` : '';
    const res = await fetch(`${this.emu.url}${path}${qs}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const text = await res.text();
    const contentType = res.headers.get('content-type');
    if (contentType !== 'application/json')
      throw new Error(`${method} ${path}: Content-Type is ${contentType}`);
    const parsed = JSON.parse(text) as unknown;
    if (!path.startsWith('/_emulator/'))
      assertContract(method, path.split('?')[0] as string, res.status, parsed);
    return { status: res.status, headers: res.headers, body: parsed };
  }
}

export interface TestEmulator {
  emu: RunningEmulator;
  client: TestClient;
  close(): Promise<void>;
}

/** Starts an emulator on 127.0.0.1:0 (rate limit off by default) and a logged-in client. */
export async function start(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const emu = await startEmulator({ host: '127.0.0.1', port: 0, rateLimit: 0, ...options });
  const client = new TestClient(emu);
  await client.login();
  return { emu, client, close: () => emu.close() };
}

export const SIGNED = { type: 'M3TER_SIGNED_REQUEST', apiKey: 'hook-key', secret: 'hook-secret' } as const;

export function webhookBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Ops alerts',
    description: 'Posts to the ops channel',
    url: 'https://hooks.example.com/ops',
    code: 'ops',
    credentials: { ...SIGNED, name: 'm3ter-config:fp=abc123' },
    ...overrides,
  };
}

export function notificationBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Commitment nearly spent',
    description: 'Fires at 90% of a commitment',
    code: 'commitment_90',
    eventName: 'configuration.commitment.updated',
    calculation: '(new.amountSpent >= ((new.amount*90)/100))',
    ...overrides,
  };
}
