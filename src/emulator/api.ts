import { randomUUID } from 'node:crypto';
import type { ResolvedOptions, UserKind } from './options.js';
import type { StoredEntity, Store } from './store.js';

/** What a resource handler sees of a request. `actor` is the audit name of the caller. */
export interface ApiRequest {
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  body: unknown;
  actor: string;
  /** Whose token made the request. */
  caller: { readonly apiKey: string; readonly kind: UserKind };
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

export function readParam(req: ApiRequest, name: string): string {
  const v = req.params[name];
  if (v === undefined) throw new Error(`route has no {${name}}`);
  return v;
}
