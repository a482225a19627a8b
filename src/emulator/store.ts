import { badRequest } from './errors.js';

/** Fields every stored entity has. `seq` orders entities by creation and is never shown to clients. */
export interface StoredEntity {
  id: string;
  seq: number;
  version: number;
  dtCreated: string;
  dtLastModified: string;
  createdBy: string;
  lastModifiedBy: string;
}

export interface WebhookEntity extends StoredEntity {
  name: string;
  description: string;
  url: string;
  code?: string;
  active: boolean;
  /** The embedded credential, stored in the credentials collection with `ownerWebhookId` = this id. */
  credentialId: string;
}

export interface NotificationEntity extends StoredEntity {
  name: string;
  description: string;
  code: string;
  eventName: string;
  active: boolean;
  alwaysFireEvent: boolean;
  calculation?: string;
}

export interface IntegrationConfigEntity extends StoredEntity {
  entityType: string;
  destination: string;
  entityId?: string;
  destinationId?: string;
  configData: Record<string, unknown>;
  integrationCredentialsId?: string;
  name?: string;
  enabled: boolean;
}

export interface CredentialEntity extends StoredEntity {
  /** Stored exactly as sent (the client keeps a fingerprint in it). */
  name?: string;
  type: string;
  destination: string;
  destinationId?: string;
  /** Non-secret, type-specific settings, returned as sent. */
  settings: Record<string, unknown>;
  /**
   * SHA-256 (hex) of each secret-bearing value, by key. The emulator keeps no secret in clear, in memory or in
   * its state file; tests compare digests to check what a client sent.
   */
  secretDigests: Record<string, string>;
  /** Set when this is a webhook's embedded credential: it is then changed and deleted only through the webhook. */
  ownerWebhookId?: string;
}

/**
 * Entities of one kind in creation order. Deletes leave a hole that is compacted later, so a list pages
 * backwards by index (newest first) without copying or sorting the store.
 */
export class Collection<T extends StoredEntity> {
  private items: (T | undefined)[] = [];
  private seqs: number[] = [];
  private positions = new Map<string, number>();
  private holes = 0;

  get size(): number {
    return this.positions.size;
  }

  get(id: string): T | undefined {
    const pos = this.positions.get(id);
    return pos === undefined ? undefined : this.items[pos];
  }

  insert(entity: T): void {
    const last = this.seqs[this.seqs.length - 1];
    if (last !== undefined && entity.seq <= last) throw new Error('entities must be inserted in seq order');
    this.positions.set(entity.id, this.items.length);
    this.items.push(entity);
    this.seqs.push(entity.seq);
  }

  replace(entity: T): void {
    const pos = this.positions.get(entity.id);
    if (pos === undefined) throw new Error(`no entity ${entity.id}`);
    this.items[pos] = entity;
  }

  remove(id: string): T | undefined {
    const pos = this.positions.get(id);
    if (pos === undefined) return undefined;
    const entity = this.items[pos];
    this.items[pos] = undefined;
    this.positions.delete(id);
    this.holes++;
    if (this.holes > 64 && this.holes * 2 > this.items.length) this.compact();
    return entity;
  }

  *values(): IterableIterator<T> {
    for (const e of this.items) if (e !== undefined) yield e;
  }

  /** Newest first, starting just below `beforeSeq` when given. */
  *newestFirst(beforeSeq?: number): IterableIterator<T> {
    let i = beforeSeq === undefined ? this.items.length - 1 : this.lowerBound(beforeSeq) - 1;
    for (; i >= 0; i--) {
      const e = this.items[i];
      if (e !== undefined) yield e;
    }
  }

  clear(): void {
    this.items = [];
    this.seqs = [];
    this.positions.clear();
    this.holes = 0;
  }

  /** First index whose seq is >= seq. */
  private lowerBound(seq: number): number {
    let lo = 0;
    let hi = this.seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.seqs[mid] as number) < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private compact(): void {
    const items: T[] = [];
    for (const e of this.items) if (e !== undefined) items.push(e);
    this.items = items;
    this.seqs = items.map((e) => e.seq);
    this.positions = new Map(items.map((e, i) => [e.id, i]));
    this.holes = 0;
  }
}

/** The exported and persisted form of an org's data (`GET /_emulator/state`, the state file, `seed`). */
export interface EmulatorState {
  format: 1;
  orgId: string;
  nextSeq: number;
  webhooks: WebhookEntity[];
  notifications: NotificationEntity[];
  integrationConfigs: IntegrationConfigEntity[];
  credentials: CredentialEntity[];
}

export class Store {
  readonly webhooks = new Collection<WebhookEntity>();
  readonly notifications = new Collection<NotificationEntity>();
  readonly integrationConfigs = new Collection<IntegrationConfigEntity>();
  readonly credentials = new Collection<CredentialEntity>();
  private nextSeq = 1;

  takeSeq(): number {
    return this.nextSeq++;
  }

  reset(): void {
    this.webhooks.clear();
    this.notifications.clear();
    this.integrationConfigs.clear();
    this.credentials.clear();
    this.nextSeq = 1;
  }

  /**
   * A deep copy of all data. `withDigests: false` (the state file, `GET /_emulator/state`) leaves out the secret
   * digests: nothing derived from a secret leaves the process.
   */
  exportState(orgId: string, withDigests = true): EmulatorState {
    const state = this.#copy(orgId);
    if (!withDigests) {
      for (const c of state.credentials) c.secretDigests = {};
    }
    return state;
  }

  #copy(orgId: string): EmulatorState {
    // structuredClone: callers (tests, the state file) must not alias live entities.
    return structuredClone({
      format: 1,
      orgId,
      nextSeq: this.nextSeq,
      webhooks: [...this.webhooks.values()],
      notifications: [...this.notifications.values()],
      integrationConfigs: [...this.integrationConfigs.values()],
      credentials: [...this.credentials.values()],
    });
  }

  /** Replace everything with `state`; throws EmulatorHttpError(400) when it is not a state export. */
  importState(state: unknown): void {
    const s = checkState(state);
    this.reset();
    const bySeq = <T extends StoredEntity>(list: T[]): T[] => [...list].sort((a, b) => a.seq - b.seq);
    let maxSeq = 0;
    for (const [list, coll] of [
      [s.webhooks, this.webhooks],
      [s.notifications, this.notifications],
      [s.integrationConfigs, this.integrationConfigs],
      [s.credentials, this.credentials],
    ] as [StoredEntity[], Collection<StoredEntity>][]) {
      for (const e of bySeq(list)) {
        if (coll.get(e.id)) throw badRequest(`state: duplicate id ${e.id}`);
        coll.insert(structuredClone(e));
        maxSeq = Math.max(maxSeq, e.seq);
      }
    }
    this.nextSeq = Math.max(s.nextSeq, maxSeq + 1);
  }
}

function checkState(state: unknown): EmulatorState {
  if (typeof state !== 'object' || state === null) throw badRequest('state must be an object');
  const s = state as Partial<EmulatorState>;
  if (s.format !== 1) throw badRequest('state.format must be 1');
  for (const key of ['webhooks', 'notifications', 'integrationConfigs', 'credentials'] as const) {
    const list = s[key];
    if (!Array.isArray(list)) throw badRequest(`state.${key} must be an array`);
    for (const e of list as unknown[]) {
      const ent = e as Partial<StoredEntity> | null;
      if (
        typeof ent !== 'object' ||
        ent === null ||
        typeof ent.id !== 'string' ||
        typeof ent.seq !== 'number' ||
        typeof ent.version !== 'number'
      ) {
        throw badRequest(`state.${key}: every entity needs a string id, a numeric seq and a numeric version`);
      }
    }
  }
  if (typeof s.nextSeq !== 'number') throw badRequest('state.nextSeq must be a number');
  return s as EmulatorState;
}

/** One page of a newest-first list: `nextToken` only when more matching entities exist. */
export interface Page<T> {
  data: T[];
  nextToken?: string;
}

export function encodeToken(seq: number): string {
  return Buffer.from(`v1:${seq}`).toString('base64url');
}

export function decodeToken(token: string): number {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const m = /^v1:(\d+)$/.exec(text);
  if (!m) throw badRequest('nextToken is not valid');
  return Number(m[1]);
}

/** Reads `pageSize`: absent → `fallback`; outside 1..max or not an integer → 400. */
export function readPageSize(query: URLSearchParams, max: number, fallback: number): number {
  const raw = query.get('pageSize');
  if (raw === null) return Math.min(fallback, max);
  const n = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n)) throw badRequest('pageSize must be an integer');
  if (n < 1 || n > max) throw badRequest(`pageSize must be between 1 and ${max}`);
  return n;
}

/** `ids=a,b` (commas percent-encoded or not) and repeated `ids=` both work; absent → undefined. */
export function readIds(query: URLSearchParams): Set<string> | undefined {
  const all = query.getAll('ids');
  if (all.length === 0) return undefined;
  const ids = new Set<string>();
  for (const v of all) {
    for (const part of v.split(',')) {
      const id = part.trim();
      if (id) ids.add(id);
    }
  }
  return ids;
}

export function readBooleanQuery(query: URLSearchParams, name: string): boolean | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw badRequest(`${name} must be true or false`);
}

/**
 * Newest-first paging over a collection with an optional filter. The token is the seq of the last entity
 * returned; the walk looks one match ahead so `nextToken` appears only when more data exists.
 */
export function pageOf<T extends StoredEntity, R>(
  coll: Collection<T>,
  query: URLSearchParams,
  pageSize: number,
  filter: ((e: T) => boolean) | undefined,
  render: (e: T) => R,
): Page<R> {
  const token = query.get('nextToken');
  const before = token ? decodeToken(token) : undefined;
  const data: R[] = [];
  let last: T | undefined;
  for (const e of coll.newestFirst(before)) {
    if (filter && !filter(e)) continue;
    if (data.length === pageSize) return { data, nextToken: encodeToken((last as T).seq) };
    data.push(render(e));
    last = e;
  }
  return { data };
}
