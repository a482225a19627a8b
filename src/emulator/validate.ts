import { badRequest } from './errors.js';

/** Request-body checks that mirror the OpenAPI request schemas: required, minLength 1, pattern, enum, type. */
export type Body = Record<string, unknown>;

export function isPlainObject(v: unknown): v is Body {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function requireBody(body: unknown): Body {
  if (!isPlainObject(body)) throw badRequest('Request body must be a JSON object');
  return body;
}

export function requiredString(body: Body, field: string, label = field): string {
  const v = body[field];
  if (v === undefined || v === null) throw badRequest(`${label} is required`);
  if (typeof v !== 'string') throw badRequest(`${label} must be a string`);
  if (v.length < 1) throw badRequest(`${label} must not be empty (minimum length 1)`);
  return v;
}

export function optionalString(body: Body, field: string, label = field): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw badRequest(`${label} must be a string`);
  return v;
}

export function optionalBoolean(body: Body, field: string, label = field): boolean | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw badRequest(`${label} must be a boolean`);
  return v;
}

export function optionalObject(body: Body, field: string, label = field): Body | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (!isPlainObject(v)) throw badRequest(`${label} must be an object`);
  return v;
}

export function checkPattern(value: string, pattern: RegExp, label: string): string {
  if (!pattern.test(value)) throw badRequest(`${label} must match the pattern ${pattern.source}`);
  return value;
}

export function checkEnum<T extends string>(value: string, allowed: readonly T[], label: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw badRequest(`${label} must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

/** The `^[a-zA-Z0-9_-]*$` pattern of `entityType` and `destination` (SPEC IntegrationConfigRequest). */
export const NAME_TOKEN = /^[a-zA-Z0-9_-]*$/;

/** SPEC `DestinationType`. */
export const DESTINATION_TYPES = [
  'WEBHOOK',
  'NETSUITE',
  'STRIPE',
  'STRIPE_TEST',
  'AWS',
  'PADDLE',
  'PADDLE_SANDBOX',
  'SALESFORCE',
  'XERO',
  'CHARGEBEE',
  'QUICKBOOKS',
  'QUICKBOOKS_SANDBOX',
  'M3TER',
] as const;

/** SPEC `IntegrationCredentialsRequestBase.type`. */
export const CREDENTIAL_TYPES = [
  'HTTP_BASIC',
  'OAUTH_CLIENT_CREDENTIALS',
  'M3TER_SIGNED_REQUEST',
  'AWS_INTEGRATION',
  'PADDLE_AUTH',
  'NETSUITE_AUTH',
  'CHARGEBEE_AUTH',
  'M3TER_APP_SIGNATURE',
  'M3TER_SERVICE_USER',
  'STRIPE_SIGNED_REQUEST',
  'HUBSPOT_ACCESS_TOKEN',
  'HUBSPOT_CLIENT_SECRET',
  'OPSGENIE_KEY',
  'SAP_BYD',
  'SLACK_WEBHOOK',
  'SAGE_INTACCT_CLIENT_CREDENTIALS',
  'SAGE_INTACCT_CLIENT_SECRET',
  'STATIC_API_KEY',
] as const;

/**
 * The version rule of every PUT (SPEC AbstractRequest.version): required, and equal to the stored version.
 * A missing or non-integer version is a plain 400; a mismatch uses the configurable conflict status.
 */
export function readUpdateVersion(body: Body): number {
  const v = body['version'];
  if (v === undefined || v === null) throw badRequest('version is required on update');
  if (typeof v !== 'number' || !Number.isInteger(v)) throw badRequest('version must be an integer');
  return v;
}
