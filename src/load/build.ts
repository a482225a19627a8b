import {
  CREDENTIAL_DESTINATIONS,
  type CredentialTypeSpec,
  findDestination,
  knownCredentialCombinations,
  lookupCredentialType,
} from '../model/credential-types.js';
import type {
  Credential as CredentialConfig,
  Integration as IntegrationConfig,
  Link as LinkConfig,
  NotificationRule as NotificationRuleConfig,
  ScheduledEvent as ScheduledEventConfig,
  SecretRef,
  Webhook as WebhookConfig,
} from '../model/generated/config-types.js';
import {
  credentialKey,
  integrationKey,
  linkKey,
  type ReferenceSpec,
  REFERENCES,
  SCHEDULED_EVENT_RULES,
} from '../kinds/index.js';
import type { Json } from '../model/errors.js';
import type { Kind } from '../model/kinds.js';
import type { DesiredResource, SettingValue, SourceRef } from '../model/resource.js';
import type { Secret } from '../model/secret.js';
import { redactUrl } from '../schema/issues.js';
import { childPointer } from '../schema/pointer.js';
import { quoteList } from '../schema/text.js';
import { deriveCode } from '../model/code.js';
import { type BuildContext, issueAt, sourceAt } from './context.js';
import { checkRuleCalculation } from './calculation.js';
import { resolveSecret } from './secrets.js';

/**
 * One entry of a section, as far as it could be understood. `resource` is set only when the entry is valid;
 * `identity` is set whenever the key could be read, so duplicates and links are checked even around mistakes.
 */
/** True when the schema found no error at or under the pointer. */
export type Clean = (pointer: string) => boolean;

export interface Declaration {
  kind: Kind;
  pointer: string;
  /** The natural key, when it could be read. */
  key: string | undefined;
  /** Where the key was written (the `code`, or `name` when the code is derived), for duplicate messages. */
  keyAt: SourceRef | undefined;
  derivedCode: boolean;
  /** The keys it references (REFERENCES in kinds/) and where each is written, whenever they could be read. */
  refs: { ref: ReferenceSpec; key: string; at: SourceRef }[];
  resource: DesiredResource | undefined;
}

/** The lower-case categories of m3ter's event type names. */
export const KNOWN_EVENT_CATEGORIES = [
  'billing',
  'configuration',
  'dataexport',
  'ingest',
  'integration',
  'scheduled',
];

/** Resolves the schema-clean secret fields; undefined when any failed (or was not clean). */
function secretsOf(
  ctx: BuildContext,
  pointer: string,
  refs: Record<string, unknown>,
  clean: Clean,
): Record<string, Secret> | undefined {
  const secrets: Record<string, Secret> = {};
  let ok = true;
  for (const [field, ref] of Object.entries(refs)) {
    if (ref === undefined) continue;
    const p = childPointer(pointer, field);
    if (!clean(p)) {
      ok = false;
      continue;
    }
    const r = resolveSecret(ctx, p, ref as SecretRef);
    if (r === 'error') ok = false;
    else if (r) secrets[field] = r;
  }
  return ok ? secrets : undefined;
}

/**
 * A new declaration of `kind` at `pointer`, keyed `key` (where it could be read) as written at `keyPointer`, with the
 * references the entry makes (REFERENCES in kinds/): each attribute's written value, turned into the referenced key
 * by `referenceKey` (the identity for codes).
 */
function declaration(
  ctx: BuildContext,
  kind: Kind,
  pointer: string,
  item: object,
  key: string | undefined,
  keyPointer: string,
  clean: Clean,
  options: { derivedCode?: boolean; referenceKey?: (written: string) => string } = {},
): Declaration {
  const refs: Declaration['refs'] = [];
  for (const ref of REFERENCES[kind]) {
    const written = (item as Record<string, unknown>)[ref.attribute];
    // A reference the schema refused (a credential not written `Destination/name`) is one issue, not also a
    // dangling one.
    if (typeof written !== 'string' || !clean(childPointer(pointer, ref.attribute))) continue;
    // A value a reference by key does not take as one (an eventName of m3ter's own events) names nothing.
    if (ref.by === 'key' && !written.startsWith(ref.prefix)) continue;
    const refKey = options.referenceKey ? options.referenceKey(written) : written;
    refs.push({ ref, key: refKey, at: sourceAt(ctx.parsed, childPointer(pointer, ref.attribute)) });
  }
  return {
    kind,
    pointer,
    key,
    keyAt: key === undefined ? undefined : sourceAt(ctx.parsed, keyPointer),
    derivedCode: options.derivedCode ?? false,
    refs,
    resource: undefined,
  };
}

// ---- webhooks -------------------------------------------------------------------------------------------------

export function declareWebhook(ctx: BuildContext, pointer: string, raw: unknown, clean: Clean): Declaration {
  const item = (raw && typeof raw === 'object' ? raw : {}) as Partial<WebhookConfig>;
  const explicit = typeof item.code === 'string' ? item.code : undefined;
  const derived = explicit === undefined && typeof item.name === 'string' ? deriveCode(item.name) : undefined;
  const key = explicit ?? (derived === '' ? undefined : derived);
  const keyPointer = childPointer(pointer, explicit !== undefined ? 'code' : 'name');
  const decl = declaration(ctx, 'webhook', pointer, item, key, keyPointer, clean, {
    derivedCode: explicit === undefined,
  });
  if (derived === '' && typeof item.name === 'string' && item.name.trim() !== '') {
    issueAt(
      ctx,
      'error',
      'underivable_code',
      childPointer(pointer, 'name'),
      'cannot derive a code from this name: it has no letters or digits',
      'add an explicit `code:` (letters, digits, `_` and `-`)',
    );
  }
  const urlPointer = childPointer(pointer, 'url');
  const urlOk = typeof item.url === 'string' && clean(urlPointer) && checkUrl(ctx, urlPointer, item.url);
  const creds = (item.credentials && typeof item.credentials === 'object' ? item.credentials : {}) as Record<
    string,
    unknown
  >;
  const secrets = secretsOf(
    ctx,
    childPointer(pointer, 'credentials'),
    { apiKey: creds['apiKey'], secret: creds['secret'] },
    clean,
  );
  if (!clean(pointer) || key === undefined || !urlOk || !secrets) return decl;
  const w = item as WebhookConfig;
  decl.resource = {
    kind: 'webhook',
    key,
    attributes: {
      name: w.name,
      description: w.description,
      url: w.url,
      active: w.active ?? true,
      credentialType: w.credentials.type ?? 'M3TER_SIGNED_REQUEST',
    },
    secrets,
    source: sourceAt(ctx.parsed, pointer),
  };
  return decl;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** Absolute http(s) URL with a host and no user info; plain http is a warning except on loopback. */
function checkUrl(ctx: BuildContext, pointer: string, url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    issueAt(
      ctx,
      'error',
      'bad_url',
      pointer,
      `${JSON.stringify(redactUrl(url))} is not a valid URL`,
      'write an absolute URL such as `https://example.com/m3ter/webhook`',
    );
    return false;
  }
  if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.hostname === '') {
    issueAt(
      ctx,
      'error',
      'bad_url',
      pointer,
      'the URL must be absolute http or https with a host',
      'write an absolute URL such as `https://example.com/m3ter/webhook`',
    );
    return false;
  }
  if (u.username !== '' || u.password !== '') {
    // The URL is not echoed: its user info may be a password.
    issueAt(
      ctx,
      'error',
      'url_credentials',
      pointer,
      'the URL contains a user name or password',
      'remove `user:password@` from the URL; m3ter signs each request with credentials.apiKey and credentials.secret',
    );
    return false;
  }
  if (u.protocol === 'http:' && !LOOPBACK.test(u.hostname)) {
    issueAt(
      ctx,
      'warning',
      'insecure_url',
      pointer,
      `${u.origin} uses plain http: webhook payloads and signatures travel unencrypted`,
      'use https',
    );
  }
  return true;
}

// ---- notification rules -----------------------------------------------------------------------------------------

export function declareRule(ctx: BuildContext, pointer: string, raw: unknown, clean: Clean): Declaration {
  const item = (raw && typeof raw === 'object' ? raw : {}) as Partial<NotificationRuleConfig>;
  const key = typeof item.code === 'string' ? item.code : undefined;
  const decl = declaration(ctx, 'notificationRule', pointer, item, key, childPointer(pointer, 'code'), clean);
  const eventPointer = childPointer(pointer, 'eventName');
  const eventOk =
    typeof item.eventName === 'string' &&
    clean(eventPointer) &&
    checkEventName(ctx, eventPointer, item.eventName);
  const calculation = item.calculation ?? null;
  const alwaysFireEvent = item.alwaysFireEvent ?? false;
  if (alwaysFireEvent === true && typeof calculation === 'string') {
    issueAt(
      ctx,
      'warning',
      'calculation_ignored',
      childPointer(pointer, 'calculation'),
      'alwaysFireEvent is true, so m3ter ignores this calculation',
      'remove the calculation or set alwaysFireEvent: false',
    );
  } else if (typeof calculation === 'string' && clean(childPointer(pointer, 'calculation')))
    checkRuleCalculation(
      ctx,
      childPointer(pointer, 'calculation'),
      calculation,
      typeof item.eventName === 'string' ? item.eventName : undefined,
    );
  if (!clean(pointer) || key === undefined || !eventOk) return decl;
  const r = item as NotificationRuleConfig;
  decl.resource = {
    kind: 'notificationRule',
    key,
    attributes: {
      name: r.name,
      description: r.description,
      eventName: r.eventName,
      calculation,
      active: r.active ?? true,
      alwaysFireEvent,
    },
    source: sourceAt(ctx.parsed, pointer),
  };
  return decl;
}

/** Checks beyond the schema's shape: upper case only in scheduled names; a warning for an unknown category. */
function checkEventName(ctx: BuildContext, eventPointer: string, eventName: string): boolean {
  const category = eventName.split('.')[0] ?? '';
  if (category !== 'scheduled' && /[A-Z]/.test(eventName)) {
    issueAt(
      ctx,
      'error',
      'bad_event_name',
      eventPointer,
      `${JSON.stringify(eventName)} is not an m3ter event name: only scheduled event names contain upper-case letters`,
      `write it in lower case: \`${eventName.toLowerCase()}\``,
    );
    return false;
  }
  if (!KNOWN_EVENT_CATEGORIES.includes(category)) {
    issueAt(
      ctx,
      'warning',
      'unknown_event_category',
      eventPointer,
      `event category "${category}" is not one m3ter documents`,
      `known categories: ${quoteList(KNOWN_EVENT_CATEGORIES)}; check GET /events/types for your org`,
    );
  }
  return true;
}

// ---- scheduled events --------------------------------------------------------------------------------------------

export function declareScheduledEvent(
  ctx: BuildContext,
  pointer: string,
  raw: unknown,
  clean: Clean,
): Declaration {
  const item = (raw && typeof raw === 'object' ? raw : {}) as Partial<ScheduledEventConfig>;
  const key = typeof item.name === 'string' ? item.name : undefined;
  const decl = declaration(ctx, 'scheduledEvent', pointer, item, key, childPointer(pointer, 'name'), clean);
  const offsetPointer = childPointer(pointer, 'offset');
  const offsetOk =
    SCHEDULED_EVENT_RULES.offset === 'anyWholeNumber' ||
    typeof item.offset !== 'number' ||
    !clean(offsetPointer) ||
    item.offset >= 1;
  if (!offsetOk) {
    issueAt(
      ctx,
      'error',
      'bad_offset',
      offsetPointer,
      `offset ${String(item.offset)} is not a number of days after the date field: m3ter documents offsets as days after it, and whether it takes 0 or a negative offset is unknown`,
      'write a whole number of at least 1 (see "Where m3ter\'s behaviour is unknown" in README.md)',
    );
  }
  if (!clean(pointer) || key === undefined || !offsetOk) return decl;
  const e = item as ScheduledEventConfig;
  decl.resource = {
    kind: 'scheduledEvent',
    key,
    attributes: { name: e.name, entity: e.entity, field: e.field, offset: e.offset },
    source: sourceAt(ctx.parsed, pointer),
  };
  return decl;
}

// ---- links ----------------------------------------------------------------------------------------------------

export function declareLink(ctx: BuildContext, pointer: string, raw: unknown, clean: Clean): Declaration {
  const item = (raw && typeof raw === 'object' ? raw : {}) as Partial<LinkConfig>;
  const key =
    typeof item.rule === 'string' && typeof item.webhook === 'string'
      ? linkKey(item.rule, item.webhook)
      : undefined;
  const decl = declaration(ctx, 'link', pointer, item, key, pointer, clean);
  if (!clean(pointer) || key === undefined) return decl;
  const l = item as LinkConfig;
  decl.resource = {
    kind: 'link',
    key,
    attributes: { rule: l.rule, webhook: l.webhook, active: l.active ?? true },
    source: sourceAt(ctx.parsed, pointer),
  };
  return decl;
}

// ---- credentials ------------------------------------------------------------------------------------------------

const CREDENTIAL_BASE_KEYS = new Set(['name', 'destination', 'type']);

export function declareCredential(
  ctx: BuildContext,
  pointer: string,
  raw: unknown,
  clean: Clean,
): Declaration {
  const item = (raw && typeof raw === 'object' ? raw : {}) as Partial<CredentialConfig> &
    Record<string, unknown>;
  const dest = typeof item.destination === 'string' ? findDestination(item.destination) : undefined;
  const key = dest && typeof item.name === 'string' ? credentialKey(dest.destination, item.name) : undefined;
  const decl = declaration(ctx, 'credential', pointer, item, key, childPointer(pointer, 'name'), clean);
  // The (destination, type) check runs even when other fields have schema errors: it is often the root cause.
  if (typeof item.destination !== 'string' || typeof item.type !== 'string' || !dest) return decl;
  const found = lookupCredentialType(item.destination, item.type);
  if (!found.ok) {
    const users = CREDENTIAL_DESTINATIONS.filter((d) => d.types.some((t) => t.type === item.type)).map(
      (d) => d.label,
    );
    const accepts = found.reason === 'unknown_type' ? found.known.join(', ') : '';
    issueAt(
      ctx,
      'error',
      'unknown_credential_type',
      childPointer(pointer, 'type'),
      `${dest.label} credentials do not take type ${JSON.stringify(item.type)}`,
      `${dest.label} takes ${accepts}` +
        (users.length > 0 ? `; ${item.type} is for ${users.join(', ')}` : '') +
        `. Known combinations: ${knownCredentialCombinations().join('; ')}`,
    );
    return decl;
  }
  const spec: CredentialTypeSpec = found.spec;
  const what = `${dest.label} ${spec.type} credential`;
  let fieldsOk = true;
  for (const k of Object.keys(item)) {
    if (CREDENTIAL_BASE_KEYS.has(k) || spec.fields.some((f) => f.name === k)) continue;
    fieldsOk = false;
    issueAt(
      ctx,
      'error',
      'unknown_key',
      childPointer(pointer, k),
      `"${k}" is not a field of a ${what}`,
      `its fields: ${quoteList(spec.fields.map((f) => f.name))}`,
      'key',
    );
  }
  for (const f of spec.fields) {
    if (!f.required || item[f.name] !== undefined) continue;
    fieldsOk = false;
    issueAt(
      ctx,
      'error',
      'required',
      pointer,
      `the ${what} is missing the required key "${f.name}"`,
      f.secret ? `add \`${f.name}: { env: NAME }\`` : `add \`${f.name}: ...\``,
    );
  }
  const settings: Record<string, SettingValue> = {};
  const refs: Record<string, unknown> = {};
  for (const f of [...spec.fields].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const v = item[f.name];
    if (v === undefined) continue;
    if (f.secret) refs[f.name] = v;
    else settings[f.name] = v as string;
  }
  const secrets = secretsOf(ctx, pointer, refs, clean);
  if (!clean(pointer) || !fieldsOk || key === undefined || !secrets) return decl;
  const c = item as CredentialConfig & Record<string, unknown>;
  decl.resource = {
    kind: 'credential',
    key,
    attributes: { name: c.name, destination: dest.destination, type: spec.type, settings },
    secrets,
    source: sourceAt(ctx.parsed, pointer),
  };
  return decl;
}

// ---- integrations -------------------------------------------------------------------------------------------------

/** A credential reference as written (`Stripe/prod`, or m3ter's `STRIPE/prod`) → the credential's key. */
export function credentialReferenceKey(written: string): string {
  const slash = written.indexOf('/');
  const dest = slash < 0 ? undefined : findDestination(written.slice(0, slash));
  return dest ? credentialKey(dest.destination, written.slice(slash + 1)) : written;
}

export function declareIntegration(
  ctx: BuildContext,
  pointer: string,
  raw: unknown,
  clean: Clean,
): Declaration {
  const item = (raw && typeof raw === 'object' ? raw : {}) as Partial<IntegrationConfig>;
  const name = typeof item.name === 'string' ? item.name : null;
  const key =
    typeof item.entityType === 'string' && typeof item.destination === 'string'
      ? integrationKey(item.entityType, item.destination, name)
      : undefined;
  const decl = declaration(ctx, 'integration', pointer, item, key, pointer, clean, {
    referenceKey: credentialReferenceKey,
  });
  const credential = typeof item.credential === 'string' ? credentialReferenceKey(item.credential) : null;
  if (!clean(pointer) || key === undefined) return decl;
  const i = item as IntegrationConfig;
  decl.resource = {
    kind: 'integration',
    key,
    attributes: {
      entityType: i.entityType,
      destination: i.destination,
      name,
      credential,
      configData: structuredClone(i.configData ?? {}) as { [key: string]: Json },
      active: i.active ?? true,
    },
    source: sourceAt(ctx.parsed, pointer),
  };
  return decl;
}
