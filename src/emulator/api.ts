import { randomUUID } from 'node:crypto';
import { EmulatorHttpError, badRequest } from './errors.js';
import type { ResolvedOptions } from './options.js';
import type { IntegrationConfigEntity, StoredEntity, Store } from './store.js';
import { type Body, readUpdateVersion } from './validate.js';

/** What a resource handler sees of a request. `actor` is the audit name of the caller. */
export interface ApiRequest {
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  body: unknown;
  actor: string;
}

export interface ApiResult {
  status?: number;
  body: unknown;
  /** The store changed: persist before answering. */
  mutated?: boolean;
}

export interface Route {
  method: string;
  /** e.g. `/organizations/{orgId}/integrationdestinations/webhooks/{id}`; also the counters key. */
  template: string;
  segments: readonly string[];
  /** Read a JSON body before calling `handle`. */
  body: boolean;
  handle(req: ApiRequest): ApiResult;
}

export interface ApiContext {
  store: Store;
  options: ResolvedOptions;
  nowIso(): string;
}

export function route(
  method: string,
  template: string,
  handle: (req: ApiRequest) => ApiResult,
  body = false,
): Route {
  return { method, template, segments: template.split('/').filter(Boolean), body, handle };
}

/** A fresh entity envelope: version 1 and audit fields. */
export function newEnvelope(ctx: ApiContext, actor: string): StoredEntity {
  const now = ctx.nowIso();
  return {
    id: randomUUID(),
    seq: ctx.store.takeSeq(),
    version: 1,
    dtCreated: now,
    dtLastModified: now,
    createdBy: actor,
    lastModifiedBy: actor,
  };
}

/** The envelope after an update: same id and creation, version + 1. */
export function nextEnvelope(ctx: ApiContext, current: StoredEntity, actor: string): StoredEntity {
  return {
    id: current.id,
    seq: current.seq,
    version: current.version + 1,
    dtCreated: current.dtCreated,
    dtLastModified: ctx.nowIso(),
    createdBy: current.createdBy,
    lastModifiedBy: actor,
  };
}

/** The audit fields as m3ter shows them (no `seq`). */
export function renderEnvelope(e: StoredEntity): Record<string, unknown> {
  return {
    id: e.id,
    version: e.version,
    dtCreated: e.dtCreated,
    dtLastModified: e.dtLastModified,
    createdBy: e.createdBy,
    lastModifiedBy: e.lastModifiedBy,
  };
}

/** Version rule on PUT: the body must carry the current version, or the update is rejected. */
export function checkVersion(ctx: ApiContext, body: Body, current: StoredEntity, label: string): void {
  const sent = readUpdateVersion(body);
  if (sent !== current.version) {
    throw new EmulatorHttpError(
      ctx.options.versionConflictStatus,
      `Version mismatch for ${label} ${current.id}: the request has version ${sent} but the current version is ${current.version}`,
    );
  }
}

/** With codeUniqueness 'enforce', a code already used by another entity of the kind is refused. */
export function checkCodeUnique<T extends StoredEntity & { code?: string }>(
  ctx: ApiContext,
  entities: Iterable<T>,
  code: string | undefined,
  selfId: string | undefined,
  label: string,
): void {
  if (code === undefined || ctx.options.codeUniqueness !== 'enforce') return;
  for (const e of entities) {
    if (e.code === code && e.id !== selfId) {
      throw badRequest(`A ${label} with code '${code}' already exists: ${e.id}`);
    }
  }
}

/** Integration configs that point at `id`, in creation order. */
export function referencesTo(
  ctx: ApiContext,
  pred: (c: IntegrationConfigEntity) => boolean,
): IntegrationConfigEntity[] {
  const out: IntegrationConfigEntity[] = [];
  for (const c of ctx.store.integrationConfigs.values()) if (pred(c)) out.push(c);
  return out;
}

/** Refuse a delete while integration configs still reference the entity (the Console forbids it). */
export function refuseIfReferenced(
  ctx: ApiContext,
  refs: IntegrationConfigEntity[],
  label: string,
  id: string,
): void {
  if (!ctx.options.refuseDeleteWhenReferenced || refs.length === 0) return;
  throw badRequest(
    `Cannot delete ${label} ${id}: it is referenced by integration configuration(s) ${refs.map((r) => r.id).join(', ')}`,
  );
}

export function readParam(req: ApiRequest, name: string): string {
  const v = req.params[name];
  if (v === undefined) throw new Error(`route has no {${name}}`);
  return v;
}
