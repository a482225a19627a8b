import type { EnvironmentStamp } from '../model/environment.js';
import { TargetError } from '../model/errors.js';
import { redactUrl } from '../model/redact.js';
import type { OrgType } from '../model/target.js';
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
  /**
   * The environment of the run (`--env`, or a saved plan's stamp): its `target` names the variables read after the
   * flags and the `M3TER_*` variables, and its `orgId` comes last for the org id.
   */
  environment?: EnvironmentStamp | undefined;
}

export type { OrgType } from '../model/target.js';

/** No credentials at all: the CLI runs against the embedded, in-process emulator. */
export interface EmbeddedTarget {
  embedded: true;
  /** With an environment: the org the embedded emulator takes, and its kind. */
  orgId?: string;
  orgType?: OrgType;
  /**
   * With an environment that names target variables, none of them set: their names. In CI an apply that quietly
   * ran against the local emulator would look like success, so the caller warns.
   */
  unsetTargetVariables?: string[];
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function nonEmpty(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v ? v : undefined;
}

/**
 * Where to plan and apply. Each of org id, key and base URL: the flag, then the `M3TER_*` variable, then the
 * environment (`target` names the variables to read; `orgId` is the org id). With no key, no secret and no org id
 * from a flag or M3TER_ORG_ID, the target is the embedded emulator (a base URL alone does not change that; with an
 * environment it takes the environment's org id and kind); with some but not all, a TargetError names the missing
 * variables. A variable the environment names but that is unset is named in that error.
 */
export function resolveTarget(input: ResolveTargetInput): Target | EmbeddedTarget {
  const { env, flags = {}, environment } = input;
  const refs = environment?.target ?? {};
  const fromRef = (name: string | undefined): string | undefined =>
    name === undefined ? undefined : nonEmpty(env[name]);
  // Not trimmed: a secret is taken exactly as given, but an all-blank one counts as unset.
  const exact = (name: string | undefined): string | undefined => {
    const raw = name === undefined ? undefined : env[name];
    return raw !== undefined && raw.trim() !== '' ? raw : undefined;
  };
  const explicitOrgId = nonEmpty(flags.orgId) ?? nonEmpty(env[TARGET_ENV.orgId]);
  const apiKey = nonEmpty(flags.apiKey) ?? nonEmpty(env[TARGET_ENV.apiKey]) ?? fromRef(refs.apiKey);
  const apiSecret = exact(TARGET_ENV.apiSecret) ?? exact(refs.apiSecret);

  if (explicitOrgId === undefined && apiKey === undefined && apiSecret === undefined) {
    if (!environment) return { embedded: true };
    const named = [refs.apiKey, refs.apiSecret, refs.baseUrl].filter((n): n is string => n !== undefined);
    return {
      embedded: true,
      orgId: environment.orgId,
      orgType: environment.production ? 'PRODUCTION' : 'SANDBOX',
      ...(named.length > 0 ? { unsetTargetVariables: named } : {}),
    };
  }
  const orgId = explicitOrgId ?? nonEmpty(environment?.orgId);

  const missing: string[] = [];
  const via = environment ? ` (environment ${environment.name})` : '';
  if (orgId === undefined) missing.push(`${TARGET_ENV.orgId} (or --org-id)`);
  if (apiKey === undefined)
    missing.push(refs.apiKey ? `${refs.apiKey}${via}` : `${TARGET_ENV.apiKey} (or --api-key)`);
  if (apiSecret === undefined)
    missing.push(refs.apiSecret ? `${refs.apiSecret}${via}` : TARGET_ENV.apiSecret);
  if (orgId === undefined || apiKey === undefined || apiSecret === undefined) {
    throw new TargetError(
      'target_incomplete',
      `m3ter credentials are incomplete: set ${missing.join(', ')}; or unset all of them to use the local emulator`,
      { missing: missing.map((m) => m.split(' ')[0] ?? m) },
    );
  }
  // Variables swapped by mistake: the org id is shown in messages and sent in every path, the secret never is.
  if (holdsSecret(orgId, apiSecret)) {
    throw new TargetError(
      'target_invalid_org',
      `the org id (${explicitOrgId === undefined ? `environment ${environment?.name ?? ''}` : `${TARGET_ENV.orgId} or --org-id`}) is the API secret, or holds part of it; it is not shown. Set ${TARGET_ENV.orgId} (or --org-id) to the org's id`,
      { missing: [TARGET_ENV.orgId] },
    );
  }
  if (/[\s/?#]/.test(orgId)) {
    throw new TargetError('target_invalid_org', `the org id ${JSON.stringify(orgId)} is not valid`, {
      orgId,
    });
  }
  const explicitBase = nonEmpty(flags.baseUrl) ?? nonEmpty(env[TARGET_ENV.baseUrl]);
  if (explicitBase === undefined && refs.baseUrl !== undefined && fromRef(refs.baseUrl) === undefined) {
    throw new TargetError(
      'target_incomplete',
      `environment ${environment?.name ?? ''} takes its base URL from ${refs.baseUrl}, which is not set: set it (or ${TARGET_ENV.baseUrl}, or --base-url)`,
      { missing: [refs.baseUrl] },
    );
  }
  const baseUrl = validateBaseUrl(explicitBase ?? fromRef(refs.baseUrl) ?? DEFAULT_BASE_URL);
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

/** Whether `orgId` is the secret, or (both 8 characters or more, as real ones are) holds it or is a part of it. */
function holdsSecret(orgId: string, secret: string): boolean {
  const s = secret.trim();
  if (orgId === s) return true;
  return s.length >= 8 && orgId.length >= 8 && (orgId.includes(s) || s.includes(orgId));
}
