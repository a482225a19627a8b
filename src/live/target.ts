import { TargetError } from '../model/errors.js';
import { redactUrl } from '../model/redact.js';
import type { Target } from './contract.js';

export const DEFAULT_BASE_URL = 'https://api.m3ter.com';

/** The variable names m3ter's SDKs and Terraform provider use. */
export const TARGET_ENV = {
  orgId: 'M3TER_ORG_ID',
  apiKey: 'M3TER_API_KEY',
  apiSecret: 'M3TER_API_SECRET',
  baseUrl: 'M3TER_BASE_URL',
} as const;

/**
 * Command-line overrides. There is deliberately no flag for the API secret: a value on the command line is
 * visible to every user of the machine (`ps`, /proc) and lands in shell history and CI logs. The secret comes
 * from `M3TER_API_SECRET` only.
 */
export interface TargetFlags {
  orgId?: string | undefined;
  apiKey?: string | undefined;
  baseUrl?: string | undefined;
}

export interface ResolveTargetInput {
  env: Readonly<Record<string, string | undefined>>;
  flags?: TargetFlags;
}

/** No credentials at all: the CLI runs against the embedded, in-process emulator. */
export interface EmbeddedTarget {
  embedded: true;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function nonEmpty(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v ? v : undefined;
}

/**
 * Where to plan and apply: flags override the environment. With none of org id, key and secret set, the target is
 * the embedded emulator (a base URL alone does not change that); with some but not all, a TargetError names the
 * missing variables.
 */
export function resolveTarget(input: ResolveTargetInput): Target | EmbeddedTarget {
  const { env, flags = {} } = input;
  const orgId = nonEmpty(flags.orgId) ?? nonEmpty(env[TARGET_ENV.orgId]);
  const apiKey = nonEmpty(flags.apiKey) ?? nonEmpty(env[TARGET_ENV.apiKey]);
  // Not trimmed: a secret is taken exactly as given, but an all-blank one counts as unset.
  const rawSecret = env[TARGET_ENV.apiSecret];
  const apiSecret = rawSecret !== undefined && rawSecret.trim() !== '' ? rawSecret : undefined;

  if (orgId === undefined && apiKey === undefined && apiSecret === undefined) return { embedded: true };

  const missing: string[] = [];
  if (orgId === undefined) missing.push(`${TARGET_ENV.orgId} (or --org-id)`);
  if (apiKey === undefined) missing.push(`${TARGET_ENV.apiKey} (or --api-key)`);
  if (apiSecret === undefined) missing.push(TARGET_ENV.apiSecret);
  if (orgId === undefined || apiKey === undefined || apiSecret === undefined) {
    throw new TargetError(
      'target_incomplete',
      `m3ter credentials are incomplete: set ${missing.join(', ')}; or unset all of them to use the local emulator`,
      { missing: missing.map((m) => m.split(' ')[0] ?? m) },
    );
  }
  if (/[\s/?#]/.test(orgId)) {
    throw new TargetError('target_invalid_org', `the org id ${JSON.stringify(orgId)} is not valid`, {
      orgId,
    });
  }
  const baseUrl = validateBaseUrl(
    nonEmpty(flags.baseUrl) ?? nonEmpty(env[TARGET_ENV.baseUrl]) ?? DEFAULT_BASE_URL,
  );
  return {
    description: { type: 'm3ter', orgId, baseUrl },
    orgId,
    baseUrl,
    apiKey,
    apiSecretReveal: () => apiSecret,
  };
}

/**
 * An absolute http(s) URL with no credentials, query or fragment; returned without a trailing slash. Plain http
 * is refused except on loopback: the API secret travels in the token request.
 */
export function validateBaseUrl(value: string): string {
  // Never echo credentials embedded in the URL, parsed or not: anything before an `@` counts as user info.
  const shown = redactUrl(value);
  const fail = (why: string): never => {
    throw new TargetError('target_invalid_base_url', `the base URL ${JSON.stringify(shown)} ${why}`, {
      baseUrl: shown,
    });
  };
  if (value.includes('@')) fail('must not carry credentials; use M3TER_API_KEY and M3TER_API_SECRET');
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    return fail('is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail('must start with https://');
  if (url.search || url.hash) fail('must not have a query or fragment');
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) {
    fail('must use https:// (plain http is only accepted for a loopback address)');
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
