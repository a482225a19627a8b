import {
  type ApiContext,
  type ApiRequest,
  type ApiResult,
  type Route,
  newEnvelope,
  nextEnvelope,
  readParam,
  route,
} from './api.js';
import { EmulatorHttpError, badRequest, notFound } from './errors.js';
import { pageOf, readIds, readPageSize } from './query.js';
import type { Collection, CredentialEntity, IntegrationConfigEntity, StoredEntity } from './store.js';
import { type Body, optionalBoolean, readUpdateVersion, requireBody } from './validate.js';

/**
 * The CRUD of one kind, written once: list (paged, newest first), create, read, replace (version checked) and
 * delete. Each kind's route file describes only what is its own: how its body is read and its entity rendered,
 * and which of the rules below apply.
 */
export interface CrudKind<T extends StoredEntity, F extends object> {
  /** Path template of the list, e.g. `/organizations/{orgId}/notifications/configurations`; one entity is `{id}` below. */
  readonly base: string;
  /** How messages name the kind, in lower case: `webhook destination`. */
  readonly label: string;
  readonly collection: Collection<T>;
  /** The largest `pageSize` the list takes. */
  readonly maxPageSize: number;
  /** The request fields of a create or replace body, checked (400 on bad input). */
  readonly readFields: (body: Body) => F;
  readonly render: (e: T) => Record<string, unknown>;
  /** The list takes `ids=`. */
  readonly listIds?: boolean;
  /** The list's own query filters beyond `ids`; undefined when the query sets none. */
  readonly listFilter?: (query: URLSearchParams) => ((e: T) => boolean) | undefined;
  /** The kind's `code` (of a body's fields or of a stored entity), unique among the kind when codeUniqueness is 'enforce'. */
  readonly codeOf?: (x: F | T) => string | undefined;
  /** Integration configs that reference an entity: while any does, refuseDeleteWhenReferenced refuses its delete. */
  readonly referencedBy?: (config: IntegrationConfigEntity, e: T) => boolean;
  /** The entity owns a credential, kept in the credentials collection with `ownerWebhookId` set to the owner. */
  readonly ownedCredential?: T extends { credentialId: string } ? OwnedCredential : never;
  /** `enabled` is server state: set from the body when honourEnabledInBody, true on create, kept on replace. */
  readonly enabledState?: T extends { enabled: boolean } ? true : never;
  /** Refuses (400) a replace or delete the entity does not allow, before the body is read. */
  readonly guard?: (e: T, action: 'update' | 'delete') => void;
  /** Checks of the fields against the rest of the store, after the version and code checks. */
  readonly check?: (f: F) => void;
  /** Routes beyond the CRUD, e.g. a webhook's `PUT {id}/active`. */
  readonly moreRoutes?: (tools: CrudTools<T>) => Route[];
}

/** The embedded credential of an owner, as its body carries it. */
export interface OwnedCredentialFields {
  name?: string;
  type: string;
  secretDigests: Record<string, string>;
  version?: number;
  /** The key pair a webhook's deliveries are signed with. */
  signingKey?: { apiKey: string; secret: string };
}

export interface OwnedCredential {
  /** The `destination` the owned credential records, e.g. `WEBHOOK`. */
  readonly destination: string;
  /** Reads the embedded credential of a create or replace body (400 on bad input). */
  readonly read: (body: Body) => OwnedCredentialFields;
  /** The body's credential is the stored one: its version does not move. */
  readonly same: (stored: CredentialEntity, sent: OwnedCredentialFields) => boolean;
}

/** What `moreRoutes` may use. */
export interface CrudTools<T extends StoredEntity> {
  /** The entity `{id}` names, or 404. */
  find(req: ApiRequest): T;
  /** Stores `current` with `changes` applied as its next version, and returns it. */
  patch(current: T, changes: Partial<Omit<T, keyof StoredEntity>>, actor: string): T;
}

export function crudRoutes<T extends StoredEntity, F extends object>(
  ctx: ApiContext,
  kind: CrudKind<T, F>,
): Route[] {
  const { collection: coll, label, render } = kind;
  const creds = ctx.store.collections.credentials;
  const title = label.charAt(0).toUpperCase() + label.slice(1);
  const find = (req: ApiRequest): T => {
    const id = readParam(req, 'id');
    const e = coll.get(id);
    if (!e) throw notFound(`${title} ${id} not found`);
    return e;
  };
  const tools: CrudTools<T> = {
    find,
    patch: (current, changes, actor) => {
      const e = { ...current, ...nextEnvelope(ctx, current, actor), ...changes };
      coll.replace(e);
      return e;
    },
  };
  const owned: OwnedCredential | undefined = kind.ownedCredential;
  const credentialIdOf = (e: T): string => (e as T & { credentialId: string }).credentialId;
  const checkCode = (f: F, selfId: string | undefined): void => {
    if (kind.codeOf) checkCodeUnique(ctx, coll.values(), kind.codeOf, kind.codeOf(f), selfId, label);
  };
  const readEnabled = (body: Body): boolean | undefined =>
    ctx.options.honourEnabledInBody ? optionalBoolean(body, 'enabled') : undefined;
  const written = (e: T): ApiResult => ({ body: render(e), mutated: true });

  const list = (req: ApiRequest): ApiResult => {
    const pageSize = readPageSize(req.query, kind.maxPageSize, ctx.options.defaultPageSize);
    const ids = kind.listIds ? readIds(req.query) : undefined;
    const own = kind.listFilter?.(req.query);
    const byIds = ids && ((e: T) => ids.has(e.id));
    const filter = byIds && own ? (e: T) => byIds(e) && own(e) : (byIds ?? own);
    return { body: pageOf(coll, req.query, pageSize, filter, render) };
  };

  const create = (req: ApiRequest): ApiResult => {
    const body = requireBody(req.body);
    // `version` in a create body is ignored, not refused: older m3ter docs examples send `version: 1`.
    const f = kind.readFields(body);
    const sentCredential = owned?.read(body);
    const state: Record<string, unknown> = {};
    if (kind.enabledState) state['enabled'] = readEnabled(body) ?? true;
    checkCode(f, undefined);
    kind.check?.(f);
    const envelope = newEnvelope(ctx, req.actor);
    let credential: CredentialEntity | undefined;
    if (owned && sentCredential) {
      credential = ownedCredentialEntity(newEnvelope(ctx, req.actor), owned, sentCredential, envelope.id);
      state['credentialId'] = credential.id;
    }
    const e = { ...envelope, ...f, ...state } as unknown as T;
    coll.insert(e);
    if (credential) creds.insert(credential);
    return written(e);
  };

  const replace = (req: ApiRequest): ApiResult => {
    const current = find(req);
    kind.guard?.(current, 'update');
    const body = requireBody(req.body);
    const f = kind.readFields(body);
    const sentCredential = owned?.read(body);
    checkVersion(ctx, body, current, label);
    const state: Record<string, unknown> = {};
    let nextCredential: CredentialEntity | undefined;
    if (owned && sentCredential) {
      const cred = creds.get(credentialIdOf(current));
      if (!cred) throw new Error(`${label} ${current.id} lost its credential`);
      if (
        ctx.options.credentialVersionCheck &&
        sentCredential.version !== undefined &&
        sentCredential.version !== cred.version
      ) {
        throw new EmulatorHttpError(
          ctx.options.versionConflictStatus,
          `Version mismatch for the credentials of ${label} ${current.id}: the request has version ${sentCredential.version} but the current version is ${cred.version}`,
        );
      }
      // The owned credential is its own entity: its version moves only when the credential changes.
      if (!owned.same(cred, sentCredential)) {
        nextCredential = ownedCredentialEntity(
          nextEnvelope(ctx, cred, req.actor),
          owned,
          sentCredential,
          current.id,
        );
      }
      state['credentialId'] = cred.id;
    }
    checkCode(f, current.id);
    kind.check?.(f);
    if (kind.enabledState) {
      // Absent from a PUT, `enabled` keeps its value.
      state['enabled'] = readEnabled(body) ?? (current as T & { enabled: boolean }).enabled;
    }
    if (nextCredential) creds.replace(nextCredential);
    const e = { ...nextEnvelope(ctx, current, req.actor), ...f, ...state } as unknown as T;
    coll.replace(e);
    return written(e);
  };

  const remove = (req: ApiRequest): ApiResult => {
    const current = find(req);
    kind.guard?.(current, 'delete');
    const { referencedBy } = kind;
    if (referencedBy && ctx.options.refuseDeleteWhenReferenced) {
      const refs: string[] = [];
      for (const c of ctx.store.collections.integrationConfigs.values())
        if (referencedBy(c, current)) refs.push(c.id);
      if (refs.length > 0) {
        throw badRequest(
          `Cannot delete ${label} ${current.id}: it is referenced by integration configuration(s) ${refs.join(', ')}`,
        );
      }
    }
    // Rendered before the owned credential goes: the answer shows the entity as it was.
    const result = written(current);
    coll.remove(current.id);
    if (owned) creds.remove(credentialIdOf(current));
    return result;
  };

  const one = `${kind.base}/{id}`;
  return [
    route('GET', kind.base, list),
    route('POST', kind.base, create, true),
    route('GET', one, (req) => ({ body: render(find(req)) })),
    route('PUT', one, replace, true),
    route('DELETE', one, remove),
    ...(kind.moreRoutes?.(tools) ?? []),
  ];
}

function ownedCredentialEntity(
  envelope: StoredEntity,
  owned: OwnedCredential,
  sent: OwnedCredentialFields,
  ownerId: string,
): CredentialEntity {
  const e: CredentialEntity = {
    ...envelope,
    type: sent.type,
    destination: owned.destination,
    destinationId: ownerId,
    settings: {},
    secretDigests: sent.secretDigests,
    ownerWebhookId: ownerId,
  };
  if (sent.name !== undefined) e.name = sent.name;
  if (sent.signingKey !== undefined) e.signingKey = sent.signingKey;
  return e;
}

/** Version rule on PUT: the body must carry the current version, or the update is rejected. */
function checkVersion(ctx: ApiContext, body: Body, current: StoredEntity, label: string): void {
  const sent = readUpdateVersion(body);
  if (sent !== current.version) {
    throw new EmulatorHttpError(
      ctx.options.versionConflictStatus,
      `Version mismatch for ${label} ${current.id}: the request has version ${sent} but the current version is ${current.version}`,
    );
  }
}

/** With codeUniqueness 'enforce', a code already used by another entity of the kind is refused. */
function checkCodeUnique<T extends StoredEntity>(
  ctx: ApiContext,
  entities: Iterable<T>,
  codeOf: (e: T) => string | undefined,
  code: string | undefined,
  selfId: string | undefined,
  label: string,
): void {
  if (code === undefined || ctx.options.codeUniqueness !== 'enforce') return;
  for (const e of entities) {
    if (codeOf(e) === code && e.id !== selfId) {
      throw badRequest(`A ${label} with code '${code}' already exists: ${e.id}`);
    }
  }
}
