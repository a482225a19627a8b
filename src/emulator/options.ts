/**
 * Every setting of the emulator, with its default. Options marked "[U]" stand for a behaviour that
 * m3ter does not publish, "[I]" for one inferred from its docs: each is one named option so a guess is
 * easy to change once the real behaviour is known.
 */

import { type CalcReadings, DEFAULT_CALC_READINGS } from './calc-readings.js';

/** Kinds of injected fault. */
export type FaultKind = '5xx' | '429' | 'reset' | 'hang' | 'commit-then-fail';
export const FAULT_KINDS: readonly FaultKind[] = ['5xx', '429', 'reset', 'hang', 'commit-then-fail'];

/** A fixed, documented local org id: the same on every machine so examples and state files line up. */
export const DEFAULT_ORG_ID = '00000000-0000-4000-8000-00000000e3e7';
/** Emulator credentials, not real secrets: the emulator accepts exactly this key pair unless told otherwise. */
export const DEFAULT_API_KEY = 'local-access-key';
export const DEFAULT_API_SECRET = 'local-api-secret';

/** The documented example list of `GET /events/types` (the example of `EventTypeResponse` in m3ter's OpenAPI spec). */
export const DEFAULT_EVENT_TYPES: readonly string[] = buildDefaultEventTypes();

function buildDefaultEventTypes(): string[] {
  const crud = ['created', 'deleted', 'updated'];
  const billing = [
    'balance',
    'balanceamount',
    'bill',
    'billconfig',
    'billjob',
    'charge',
    'counteradjustment',
    'scheduledbalancecharge',
    'scheduledbalancetransaction',
    'statementjob',
  ];
  const configuration = [
    'account',
    'accountplan',
    'aggregation',
    'alert',
    'commitment',
    'compoundaggregation',
    'contract',
    'counter',
    'counterpricing',
    'creditreason',
    'customfield',
    'meter',
    'metergroup',
    'organization',
    'organizationconfig',
    'plan',
    'plangroup',
    'plangrouplink',
    'plantemplate',
    'pricing',
    'pricingband',
    'product',
    'transactiontype',
  ];
  const integration = ['authentication', 'disabled', 'missingaccountmapping', 'perform', 'validation'];
  return [
    ...billing.flatMap((e) => crud.map((c) => `billing.${e}.${c}`)),
    ...configuration.flatMap((e) => crud.map((c) => `configuration.${e}.${c}`)),
    'dataexport.job.failure',
    'ingest.validation.failure',
    ...integration.map((e) => `integration.${e}.error`),
  ];
}

/** Whether an endpoint answers (`served`), is missing (`absent`: 404) or refused to every user (`forbidden`: 403). */
export type EndpointMode = 'served' | 'absent' | 'forbidden';
export const ENDPOINT_MODES: readonly EndpointMode[] = ['served', 'absent', 'forbidden'];

/** How `GET /users/me` answers: as an endpoint mode, or `error`: 500 on every call (m3ter failing). */
export type UsersMeMode = EndpointMode | 'error';
export const USERS_ME_MODES: readonly UsersMeMode[] = [...ENDPOINT_MODES, 'error'];

/** m3ter's kinds of org (`OrganizationType`), as `users/me` answers `organization.type`. */
export type OrgType = 'PRODUCTION' | 'SANDBOX';
export const ORG_TYPES: readonly OrgType[] = ['PRODUCTION', 'SANDBOX'];

export interface EmulatorOptions {
  /** Interface to bind. @default '127.0.0.1' */
  readonly host?: string;
  /**
   * Further names a request's `Host` may give besides loopback names and `host` (a CI service container's name,
   * `--allow-host`, repeatable). Any other `Host` is refused, so a page the developer opens cannot read the emulator
   * through DNS rebinding. @default none
   */
  readonly allowHosts?: readonly string[];
  /** Port; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** The one organization this emulator serves. @default DEFAULT_ORG_ID */
  readonly orgId?: string;
  /**
   * The kind of org served, as `GET /users/me` answers it (`organization.type`). Kept in the state file: a file
   * written for one kind refuses to open under the other. @default 'SANDBOX'
   */
  readonly orgType?: OrgType;
  /** Access key id of the service user the emulator accepts. @default 'local-access-key' */
  readonly apiKey?: string;
  /** API secret of that service user. @default 'local-api-secret' */
  readonly apiSecret?: string;
  /**
   * Further service users (`--user KEY:SECRET`, repeatable), each its own user: audit fields (`createdBy`,
   * `lastModifiedBy`) name whoever wrote, `SERVICE_USER_<access key>`, so an edit by a "Console user" is attributable.
   * @default none
   */
  readonly users?: readonly EmulatorUser[];
  /** Persist state to this JSON file (atomic writes; loaded on start when present). @default in memory only */
  readonly statePath?: string;
  /**
   * Largest body `POST /_emulator/seed` takes, in bytes. The export of a generated 100,000-entity org is 42 MB
   * (59 MB pretty-printed); the default leaves room for entities twice that size. @default 134217728 (128 MiB)
   */
  readonly maxSeedBytes?: number;
  /**
   * How the emulator uses `statePath`. `'write'`: it takes the file's lock (`<file>.lock`, so a second writer on
   * the file refuses to start), loads it and saves every change. `'read'`: it loads the file and never saves it,
   * taking no lock, so several runs that only read (plan) share one file; a missing file is created (empty, at
   * once, exclusively) so its org id holds for a later writer. @default 'write'
   */
  readonly stateAccess?: 'write' | 'read';
  /** Where the emulator reports what it cannot answer with (a state file it could not save). @default stderr */
  readonly log?: (line: string) => void;
  /** `expires_in` of issued tokens, in seconds. @default 18000 */
  readonly tokenTtlSeconds?: number;
  /** Requests per second per organization (fixed one-second windows); 0 = no limit. @default 50 */
  readonly rateLimit?: number;
  /** Latency added to every API and token request, in ms. @default 0 */
  readonly latencyMs?: number;
  /** Probability (0..1) that an API request gets an injected fault. @default 0 */
  readonly faultRate?: number;
  /** Which faults to inject, picked uniformly. @default all of FAULT_KINDS */
  readonly faultKinds?: readonly FaultKind[];
  /** Seed of the PRNG that decides faults, so a run replays exactly. @default 1 */
  readonly seed?: number;
  /** How long a 'hang' holds the socket before destroying it, in ms; close() ends it at once. @default 60000 */
  readonly hangMs?: number;
  /** The list `GET /events/types` returns. @default DEFAULT_EVENT_TYPES */
  readonly eventTypes?: readonly string[];
  /**
   * [U] Field lists `GET /events/fields` serves, by event name (`{"new.amount": "double", ...}`), over the published
   * commitment lists (events.ts DEFAULT_EVENT_FIELDS); any other event type answers an empty list. @default {}
   */
  readonly eventFields?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Clock in epoch ms, injectable so tests expire tokens and cross rate windows without waiting. @default Date.now */
  readonly now?: () => number;

  /** [U] Status of a PUT whose `version` does not match. @default 400 */
  readonly versionConflictStatus?: number;
  /** [U] 'enforce': a second webhook or notification with the same `code` gets 400 naming the existing id. @default 'enforce' */
  readonly codeUniqueness?: 'enforce' | 'allow';
  /**
   * [U] 'enforce': an integration config create or PUT whose `integrationCredentialsId` names no existing
   * credential gets 400 (the SPEC calls it "id of an existing credential"; whether m3ter checks it is unknown).
   * @default 'enforce'
   */
  readonly credentialReferenceCheck?: 'enforce' | 'allow';
  /** [U] How secret-bearing values appear in responses: left out, or replaced by SECRET_MASK. @default 'omit' */
  readonly secretExposure?: 'omit' | 'mask';
  /** [U] Path segment of the integration credentials CRUD under /organizations/{orgId}/. @default 'integrationcredentials' */
  readonly credentialsPath?: string;
  /**
   * [U] Whether this org's m3ter serves scheduled event configurations (`/scheduledevents/configurations`), a newer
   * API: `'absent'` answers 404 on every path of it, as an m3ter that lacks it would. @default 'serve'
   */
  readonly scheduledEvents?: 'serve' | 'absent';
  /** [U] Send `Retry-After` (whole seconds) on 429. @default true */
  readonly retryAfterOn429?: boolean;
  /** [U] `active` of a webhook or notification when the body leaves it out. @default true */
  readonly activeDefault?: boolean;
  /** [U] `alwaysFireEvent` of a notification when the body leaves it out. @default false */
  readonly alwaysFireEventDefault?: boolean;
  /** [U] Refuse (400) deleting a webhook, notification or credential an integration config references. @default true */
  readonly refuseDeleteWhenReferenced?: boolean;
  /** [U] Honour an `enabled` boolean in an integration config create/PUT body (else it is ignored). @default true */
  readonly honourEnabledInBody?: boolean;
  /** [U] Page size of a list when `pageSize` is absent. @default 10 (the documented default of Search endpoints) */
  readonly defaultPageSize?: number;
  /** [U] Check `credentials.version` of a webhook PUT against the embedded credential's version. @default false */
  readonly credentialVersionCheck?: boolean;
  /** [I] Webhooks' embedded credentials also appear in the credentials list (docs: "listed on the Credentials page"). @default true */
  readonly webhookCredentialsInList?: boolean;
  /**
   * [U] Which `destination` values the credentials API takes. `'documented'`: only the SPEC's DestinationType
   * enum (13 values). `'any'`: any `^[A-Z0-9_]+$` token, since the newer credentials API (titles only in the docs
   * index) covers systems the old enum lacks (HubSpot, Sage Intacct, Azure Marketplace...). @default 'any'
   */
  readonly credentialDestinations?: 'documented' | 'any';

  // Deliveries of notifications to webhooks (deliveries.ts, POST /_emulator/events).
  /** [U] Body of a delivery: the Event entity (SPEC EventResponse), or only its `m3terEvent`. @default 'event' */
  readonly deliveryBody?: 'event' | 'm3terEvent';
  /** Where deliveries may go: loopback hosts only, or anywhere. @default 'loopback' */
  readonly deliveryTargets?: 'loopback' | 'any';
  /** Delays before each retry of a failed delivery, in ms (no jitter, so a run replays). @default [1000, 10000, 60000] */
  readonly deliveryRetryDelaysMs?: readonly number[];
  /** Retry on timers; false leaves retries to POST /_emulator/deliveries/retry (tests). @default true */
  readonly deliveryAutoRetry?: boolean;
  /** Events kept for `evaluate` with an `eventId` and for deliveries' bodies; the oldest is dropped first. @default 1000 */
  readonly keepEvents?: number;
  /**
   * Deliveries kept (`GET /_emulator/deliveries`); the oldest is dropped first, pending or not, and a dropped
   * pending delivery is not retried. @default 1000
   */
  readonly keepDeliveries?: number;
  /** How long a delivery waits for the receiver's answer, in ms. @default 10000 */
  readonly deliveryTimeoutMs?: number;
  /** [U] Failed deliveries in a row (retries exhausted) after which a link is disabled; 0 never. @default 3 */
  readonly disableLinkAfterFailures?: number;
  /**
   * [U] Whether the integration-run endpoints (GET /integrationruns/...) answer; 'absent' answers 404
   * there, as an org or a deployment without them might. @default 'served'
   */
  readonly integrationRuns?: 'served' | 'absent';
  /**
   * [U] Whether `GET /events/types` answers: `'absent'` answers 404 and `'forbidden'` 403 there, as an org, a
   * deployment or a service user without it might (plan and apply then fall back to their offline check).
   * @default 'served'
   */
  readonly eventTypesEndpoint?: EndpointMode;
  /** [U] The same for `POST /notifications/evaluate`. @default 'served' */
  readonly evaluateEndpoint?: EndpointMode;
  /**
   * [U] Whether `GET /users/me` answers (m3ter does not say whether every service user may call it): `'absent'`
   * 404, `'forbidden'` 403, `'error'` 500 on every call. @default 'served'
   */
  readonly usersMeEndpoint?: UsersMeMode;
  /**
   * [U] How calculations read the forms m3ter's docs leave open: which argument `IN()` tests, lower-case keywords,
   * `NOT`, `&&` / `||` / `!`, single-quoted strings (calc.ts). Fields left out keep their default.
   * @default DEFAULT_CALC_READINGS: IN tests its first argument; any-case keywords, NOT and single quotes accepted;
   * `&&`, `||`, `!` refused
   */
  readonly calcReadings?: Partial<CalcReadings>;
  /** [U] Encoding of `X-m3ter-signature`. @default 'hex' */
  readonly signatureEncoding?: 'hex' | 'base64';
  /** [U] Unit of `X-m3ter-timestamp`. @default 'milliseconds' */
  readonly signatureTimestampUnit?: 'milliseconds' | 'seconds';
}

/** Whether a bind address or host name is loopback only: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * A user the emulator accepts besides the main one (a service user). Every user gets its token with client
 * credentials; `kind: 'user'` stands for a person's token (m3ter's Console login, which the emulator does not
 * emulate): `users/me` answers it as `user`, not `serviceUser`.
 */
export interface EmulatorUser {
  readonly apiKey: string;
  readonly apiSecret: string;
  /** @default 'serviceUser' */
  readonly kind?: UserKind;
}

export type UserKind = 'serviceUser' | 'user';

/** How audit fields name the user with this access key, in the USER_<id> style m3ter uses. */
export function auditNameOf(apiKey: string, kind: UserKind = 'serviceUser'): string {
  return kind === 'user' ? `USER_${apiKey}` : `SERVICE_USER_${apiKey}`;
}

/** What a masked secret looks like with secretExposure 'mask'. */
export const SECRET_MASK = '********';

export type ResolvedOptions = {
  readonly [K in Exclude<keyof EmulatorOptions, 'calcReadings'>]-?: Exclude<EmulatorOptions[K], undefined>;
} & { readonly calcReadings: CalcReadings };

export function resolveOptions(options: EmulatorOptions = {}): ResolvedOptions {
  const o: ResolvedOptions = {
    host: options.host ?? '127.0.0.1',
    allowHosts: options.allowHosts ?? [],
    port: options.port ?? 0,
    orgId: options.orgId ?? DEFAULT_ORG_ID,
    orgType: options.orgType ?? 'SANDBOX',
    apiKey: options.apiKey ?? DEFAULT_API_KEY,
    apiSecret: options.apiSecret ?? DEFAULT_API_SECRET,
    users: options.users ?? [],
    statePath: options.statePath ?? '',
    stateAccess: options.stateAccess ?? 'write',
    log: options.log ?? ((line) => process.stderr.write(`${line}\n`)),
    maxSeedBytes: options.maxSeedBytes ?? 128 * 1024 * 1024,
    tokenTtlSeconds: options.tokenTtlSeconds ?? 18_000,
    rateLimit: options.rateLimit ?? 50,
    latencyMs: options.latencyMs ?? 0,
    faultRate: options.faultRate ?? 0,
    faultKinds: options.faultKinds ?? FAULT_KINDS,
    seed: options.seed ?? 1,
    hangMs: options.hangMs ?? 60_000,
    eventTypes: options.eventTypes ?? DEFAULT_EVENT_TYPES,
    eventFields: options.eventFields ?? {},
    now: options.now ?? Date.now,
    versionConflictStatus: options.versionConflictStatus ?? 400,
    codeUniqueness: options.codeUniqueness ?? 'enforce',
    credentialReferenceCheck: options.credentialReferenceCheck ?? 'enforce',
    secretExposure: options.secretExposure ?? 'omit',
    credentialsPath: options.credentialsPath ?? 'integrationcredentials',
    scheduledEvents: options.scheduledEvents ?? 'serve',
    retryAfterOn429: options.retryAfterOn429 ?? true,
    activeDefault: options.activeDefault ?? true,
    alwaysFireEventDefault: options.alwaysFireEventDefault ?? false,
    refuseDeleteWhenReferenced: options.refuseDeleteWhenReferenced ?? true,
    honourEnabledInBody: options.honourEnabledInBody ?? true,
    defaultPageSize: options.defaultPageSize ?? 10,
    credentialVersionCheck: options.credentialVersionCheck ?? false,
    webhookCredentialsInList: options.webhookCredentialsInList ?? true,
    credentialDestinations: options.credentialDestinations ?? 'any',
    deliveryBody: options.deliveryBody ?? 'event',
    deliveryTargets: options.deliveryTargets ?? 'loopback',
    deliveryRetryDelaysMs: options.deliveryRetryDelaysMs ?? [1000, 10_000, 60_000],
    deliveryAutoRetry: options.deliveryAutoRetry ?? true,
    deliveryTimeoutMs: options.deliveryTimeoutMs ?? 10_000,
    keepEvents: options.keepEvents ?? 1000,
    keepDeliveries: options.keepDeliveries ?? 1000,
    disableLinkAfterFailures: options.disableLinkAfterFailures ?? 3,
    integrationRuns: options.integrationRuns ?? 'served',
    eventTypesEndpoint: options.eventTypesEndpoint ?? 'served',
    evaluateEndpoint: options.evaluateEndpoint ?? 'served',
    usersMeEndpoint: options.usersMeEndpoint ?? 'served',
    calcReadings: { ...DEFAULT_CALC_READINGS, ...options.calcReadings },
    signatureEncoding: options.signatureEncoding ?? 'hex',
    signatureTimestampUnit: options.signatureTimestampUnit ?? 'milliseconds',
  };
  checkOptions(o);
  return o;
}

function checkOptions(o: ResolvedOptions): void {
  const bad = (msg: string): never => {
    throw new RangeError(`emulator option ${msg}`);
  };
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) bad(`port must be 0..65535, got ${o.port}`);
  if (!(o.tokenTtlSeconds > 0)) bad('tokenTtlSeconds must be > 0');
  if (!Number.isSafeInteger(o.maxSeedBytes) || o.maxSeedBytes < 1)
    bad('maxSeedBytes must be a positive integer');
  if (!Number.isInteger(o.rateLimit) || o.rateLimit < 0) bad('rateLimit must be an integer >= 0');
  if (!(o.latencyMs >= 0)) bad('latencyMs must be >= 0');
  if (!(o.faultRate >= 0 && o.faultRate <= 1)) bad('faultRate must be between 0 and 1');
  for (const k of o.faultKinds) if (!FAULT_KINDS.includes(k)) bad(`faultKinds: unknown kind '${k}'`);
  if (o.faultRate > 0 && o.faultKinds.length === 0) bad('faultKinds must not be empty when faultRate > 0');
  if (!Number.isInteger(o.seed)) bad('seed must be an integer');
  if (!(o.hangMs >= 0)) bad('hangMs must be >= 0');
  if (
    !Number.isInteger(o.versionConflictStatus) ||
    o.versionConflictStatus < 400 ||
    o.versionConflictStatus > 599
  )
    bad('versionConflictStatus must be a 4xx or 5xx status');
  if (!/^[a-zA-Z0-9_/-]+$/.test(o.credentialsPath) || o.credentialsPath.startsWith('/'))
    bad('credentialsPath must be a relative path such as integrationcredentials');
  if (!Number.isInteger(o.defaultPageSize) || o.defaultPageSize < 1) bad('defaultPageSize must be >= 1');
  if (o.orgId.length === 0 || o.orgId.includes('/')) bad('orgId must be a non-empty path segment');
  if (o.apiKey.length === 0 || o.apiKey.includes(':')) bad('apiKey must be non-empty and contain no colon');
  if (o.apiSecret.length === 0) bad('apiSecret must be non-empty');
  if (!o.deliveryRetryDelaysMs.every((d) => Number.isFinite(d) && d >= 0))
    bad('deliveryRetryDelaysMs must be delays >= 0');
  if (!(o.deliveryTimeoutMs > 0)) bad('deliveryTimeoutMs must be > 0');
  if (!Number.isInteger(o.keepEvents) || o.keepEvents < 1) bad('keepEvents must be an integer >= 1');
  if (!Number.isInteger(o.keepDeliveries) || o.keepDeliveries < 1)
    bad('keepDeliveries must be an integer >= 1');
  if (!Number.isInteger(o.disableLinkAfterFailures) || o.disableLinkAfterFailures < 0)
    bad('disableLinkAfterFailures must be an integer >= 0');
  for (const [name, mode] of [
    ['eventTypesEndpoint', o.eventTypesEndpoint],
    ['evaluateEndpoint', o.evaluateEndpoint],
  ] as const)
    if (!ENDPOINT_MODES.includes(mode)) bad(`${name} must be one of ${ENDPOINT_MODES.join(', ')}`);
  if (!USERS_ME_MODES.includes(o.usersMeEndpoint))
    bad(`usersMeEndpoint must be one of ${USERS_ME_MODES.join(', ')}`);
  if (!ORG_TYPES.includes(o.orgType)) bad(`orgType must be ${ORG_TYPES.join(' or ')}`);
  for (const h of o.allowHosts)
    if (!/^[a-zA-Z0-9._-]+$|^\[?[0-9a-fA-F:.]+\]?$/.test(h)) bad(`allowHosts: '${h}' is not a host name`);
  if (!isLoopbackHost(o.host) && (o.apiKey === DEFAULT_API_KEY || o.apiSecret === DEFAULT_API_SECRET))
    bad(
      `host ${o.host} is not a loopback address: anyone who can reach it could use the published default ` +
        'credentials; set apiKey and apiSecret (--api-key, --api-secret) of your own',
    );
  const keys = new Set([o.apiKey]);
  for (const u of o.users) {
    if (u.apiKey.length === 0 || u.apiKey.includes(':'))
      bad('users: apiKey must be non-empty and contain no colon');
    if (u.apiSecret.length === 0) bad(`users: the secret of ${u.apiKey} must be non-empty`);
    if (keys.has(u.apiKey)) bad(`users: access key ${u.apiKey} is given twice`);
    if (u.kind !== undefined && u.kind !== 'serviceUser' && u.kind !== 'user')
      bad(`users: the kind of ${u.apiKey} must be serviceUser or user`);
    if (!isLoopbackHost(o.host) && (u.apiKey === DEFAULT_API_KEY || u.apiSecret === DEFAULT_API_SECRET))
      bad(
        `users: host ${o.host} is not a loopback address, and user ${u.apiKey} has the published default ` +
          'access key or secret; give every user (--user KEY:SECRET) credentials of your own',
      );
    keys.add(u.apiKey);
  }
}
