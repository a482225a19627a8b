import type { ReferenceSpec } from '../kinds/index.js';
import type { Kind } from '../model/kinds.js';
import type { RawEntity } from './entity.js';
import type { Collection, CollectionPaths } from './paths.js';
import type { FingerprintCache } from '../model/fingerprint.js';
import type { DesiredResource, LiveResource } from '../model/resource.js';
import type { LiveState } from '../model/state.js';
import type { TargetDescription } from '../model/target.js';

/**
 * The contract between the live client (src/live) and its users (apply, workflow).
 *
 * Retry rules, by request class:
 * - GET: retried on 429, 5xx, connection errors and timeouts, with exponential backoff and jitter, honouring
 *   Retry-After; a GET that finally fails throws (ApiError / ApiConnectionError). Never read as "missing".
 * - PUT and DELETE: retried on 429 and 5xx and connection errors (the caller handles a version conflict caused by a
 *   retried PUT that had in fact been applied, by re-reading).
 * - POST (create): retried only when m3ter certainly did not act on it: 429, or a connection refused before
 *   anything was sent. On a timeout, reset or 5xx it throws UnclearWriteError and is NOT sent again.
 * Every request: a timeout; the client-side limiter keeps the whole run under the org's rate (default 50/s);
 * the token is fetched by client credentials, renewed before expiry, and once on a 401/403.
 */
export interface LiveClient {
  readonly orgId: string;
  readonly baseUrl: string;
  /** Paths set in place of the ones m3ter never published (paths.ts UNCONFIRMED); unset: the guesses. */
  readonly paths?: CollectionPaths | undefined;
  /**
   * A GET of one entity; `undefined` on 404 (and on an empty body). With `notFound: 'throw'`, a 404 throws an
   * ApiError like any other status, so `undefined` means only an empty answer.
   */
  get<T>(
    path: string,
    query?: Record<string, string>,
    options?: { notFound?: 'undefined' | 'throw' },
  ): Promise<T | undefined>;
  /** `text` (a server's words shown to the user) without the API secret or the token in any form. */
  redact?(text: string): string;
  /** Every page of a list, at the given page size. */
  list<T>(
    path: string,
    pageSize: number,
    query?: Record<string, string>,
    options?: ListOptions,
  ): Promise<T[]>;
  /** A create; with `read`, a POST that changes nothing (an evaluation), retried as a GET is. */
  post<T>(path: string, body?: unknown, options?: { read?: boolean }): Promise<T>;
  put<T>(path: string, body?: unknown, query?: Record<string, string>): Promise<T>;
  delete<T>(path: string): Promise<T>;
  /** Counters for progress output, tests and benchmarks. */
  stats(): ClientStats;
  /** Requests the token now, in the background, so the first read does not wait for it. Sends nothing else. */
  warmUp(): void;
  /** Ends the session: requests not yet sent fail, those in flight are waited for. */
  close(): Promise<void>;
}

export interface ListOptions {
  /**
   * A read beside writes (apply's checks between and during levels): its pages take the writes' limiter priority
   * instead of leading it, so the writes keep their pace and nobody waits for a chain that has ended.
   */
  beside?: 'writes';
}

export interface ClientStats {
  requests: number;
  retries: number;
  rateLimited: number;
  tokenRequests: number;
}

/** Ids and natural keys of every kind, both directions, including entities created earlier in the same apply. */
export interface IdMap {
  idOf(kind: Kind, key: string): string | undefined;
  keyOf(kind: Kind, id: string): string | undefined;
}

export interface WriteContext {
  ids: IdMap;
  /** Webhook secret fingerprints (see model/fingerprint.ts): one salt per apply run. */
  fingerprints: FingerprintCache;
  salt: Buffer;
}

/**
 * What a kind's live adapter declares (one file per kind in live/); defineAdapter (define-adapter.ts) derives the
 * reads and writes from it, so each kind states only what is its own: where it lives, which items of that
 * collection are its own, how m3ter's JSON maps to the canonical model, and the body it sends.
 */
export interface AdapterSpec<K extends Kind> {
  readonly kind: K;
  /** The collection it lives in (paths.ts); kinds sharing one (links and integrations) are listed once. */
  readonly collection: Collection;
  /** Whether an item of the collection is of this kind (links and integrations share a collection). */
  accepts(raw: RawEntity): boolean;
  /** m3ter's JSON → the canonical model, with the loader's defaults; references resolved through `ids`. */
  normalize(raw: RawEntity, ids: IdMap): LiveResource<K>;
  /** The full body of a create or an update (PUT replaces the entity). */
  body(desired: DesiredResource<K>, ctx: WriteContext): Promise<RawEntity> | RawEntity;
  /** After a write: corrects what the server may have ignored in the body (through a dedicated endpoint). */
  settle?(
    client: LiveClient,
    result: LiveResource<K>,
    desired: DesiredResource<K>,
    ctx: WriteContext,
  ): Promise<LiveResource<K>>;
  /** A list filter that narrows the search for a key (m3ter's lists filter by few fields, if any). */
  keyQuery?(key: string, ids: IdMap): Record<string, string> | undefined;
  /** A list filter that narrows the search for entities whose reference `ref` holds `id`. */
  referenceQuery?(ref: ReferenceSpec, id: string): Record<string, string> | undefined;
  /**
   * Kinds whose secrets m3ter keeps a fingerprint of: whether a live entity holds the secrets this run wrote. A
   * kind without it is taken to hold them whenever its attributes match.
   */
  carriesRunSecrets?(live: LiveResource<K>, ctx: WriteContext): boolean;
}

/** Per-kind reads and writes, all returning the canonical model. */
export interface KindAdapter<K extends Kind> extends AdapterSpec<K> {
  /** The collection's path for this client's org (with `id`, one entity's). */
  path(client: LiveClient, id?: string): string;
  create(client: LiveClient, desired: DesiredResource<K>, ctx: WriteContext): Promise<LiveResource<K>>;
  /** A full PUT carrying `version`; m3ter rejects it when the version moved. */
  update(
    client: LiveClient,
    id: string,
    version: number,
    desired: DesiredResource<K>,
    ctx: WriteContext,
  ): Promise<LiveResource<K>>;
  /** DELETE by id; resolves when m3ter confirms, throws ApiError (status 404 included) otherwise. */
  remove(client: LiveClient, id: string): Promise<void>;
  /** GET by id; `undefined` when m3ter answers 404 or the entity is not of this kind. */
  read(client: LiveClient, id: string, ids: IdMap): Promise<LiveResource<K> | undefined>;
  /**
   * Every item of the kind's collection (of every kind stored there), checked as a whole (check-list.ts): a list
   * that cannot be trusted is read once more, then refused, never planned from.
   */
  listRaw(client: LiveClient, query?: Record<string, string>, options?: ListOptions): Promise<RawEntity[]>;
  /** The kind's items of a list of its collection (read elsewhere), normalised. */
  fromList(items: readonly unknown[], ids: IdMap): LiveResource<K>[];
  /** Every live entity of this kind with this natural key (m3ter has no key filter, so this lists). */
  findByKey(client: LiveClient, key: string, ids: IdMap): Promise<LiveResource<K>[]>;
}

export type Adapters = { [K in Kind]: KindAdapter<K> };

/** Everything needed to talk to one org. */
export interface Target {
  description: TargetDescription;
  orgId: string;
  baseUrl: string;
  /** Only the client's token request reveals these. */
  apiKey: string;
  apiSecretReveal: () => string;
}

export type { RawEntity };

export type ReadLiveState = (client: LiveClient, kinds: ReadonlySet<Kind>) => Promise<LiveState>;
