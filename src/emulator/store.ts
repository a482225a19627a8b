import { badRequest } from './errors.js';
import { ORG_TYPES, type OrgType } from './options.js';

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

export interface ScheduledEventEntity extends StoredEntity {
  name: string;
  entity: string;
  field: string;
  offset: number;
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
  /**
   * A webhook's M3TER_SIGNED_REQUEST key pair, in clear: the emulator signs its deliveries with it (deliveries.ts).
   * Kept in the state file (created 0600) so deliveries survive a restart; never served, nor in exportState().
   */
  signingKey?: { apiKey: string; secret: string };
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

/** The entity type of each collection, by the name it has in the store and in a state export. */
export interface Entities {
  webhooks: WebhookEntity;
  notifications: NotificationEntity;
  integrationConfigs: IntegrationConfigEntity;
  credentials: CredentialEntity;
  scheduledEvents: ScheduledEventEntity;
}

export type CollectionName = keyof Entities;

export type Collections = { readonly [K in CollectionName]: Collection<Entities[K]> };

/** The type a stored field must have in a state to seed from; `?` marks a field that may be absent. */
type FieldType = 'string' | 'number' | 'boolean' | 'object' | 'string?' | 'object?';

type FieldTable<T> = { readonly [F in Exclude<keyof T, keyof StoredEntity>]-?: FieldType };

interface CollectionRule<T> {
  /** Every field of the entity besides the envelope: a seed is checked against it before anything is replaced. */
  fields: FieldTable<T>;
  /** Added after states were first saved: a state without its list holds none (older state files stay usable). */
  added?: true;
  /** Clears what must not leave the process: digests unless `withDigests`, signing keys unless `withSigningKeys`. */
  scrub?: (e: T, withDigests: boolean, withSigningKeys: boolean) => void;
}

const ENVELOPE: { readonly [F in keyof StoredEntity]-?: FieldType } = {
  id: 'string',
  seq: 'number',
  version: 'number',
  dtCreated: 'string',
  dtLastModified: 'string',
  createdBy: 'string',
  lastModifiedBy: 'string',
};

/**
 * Every collection of an org, once: reset, export, import and its check, and the seed summary walk this table.
 * Import inserts in this order.
 */
const COLLECTIONS: { readonly [K in CollectionName]: CollectionRule<Entities[K]> } = {
  webhooks: {
    fields: {
      name: 'string',
      description: 'string',
      url: 'string',
      code: 'string?',
      active: 'boolean',
      credentialId: 'string',
    },
  },
  notifications: {
    fields: {
      name: 'string',
      description: 'string',
      code: 'string',
      eventName: 'string',
      active: 'boolean',
      alwaysFireEvent: 'boolean',
      calculation: 'string?',
    },
  },
  integrationConfigs: {
    fields: {
      entityType: 'string',
      destination: 'string',
      entityId: 'string?',
      destinationId: 'string?',
      configData: 'object',
      integrationCredentialsId: 'string?',
      name: 'string?',
      enabled: 'boolean',
    },
  },
  credentials: {
    fields: {
      name: 'string?',
      type: 'string',
      destination: 'string',
      destinationId: 'string?',
      settings: 'object',
      secretDigests: 'object',
      ownerWebhookId: 'string?',
      signingKey: 'object?',
    },
    scrub: (c, withDigests, withSigningKeys) => {
      if (!withDigests) c.secretDigests = {};
      if (!withSigningKeys) delete c.signingKey;
    },
  },
  scheduledEvents: {
    fields: { name: 'string', entity: 'string', field: 'string', offset: 'number' },
    added: true,
  },
};

export const COLLECTION_NAMES = Object.keys(COLLECTIONS) as readonly CollectionName[];

type StateLists = { [K in CollectionName]: Entities[K][] };

/** The exported and persisted form of an org's data (`GET /_emulator/state`, the state file, `seed`). */
export interface EmulatorState extends StateLists {
  format: 1;
  orgId: string;
  /** The kind of org; absent in exports written before kinds were kept. */
  orgType?: OrgType;
  nextSeq: number;
}

function newCollections(): Collections {
  return Object.fromEntries(
    COLLECTION_NAMES.map((name) => [name, new Collection()]),
  ) as unknown as Collections;
}

export class Store {
  readonly collections: Collections = newCollections();
  private nextSeq = 1;

  takeSeq(): number {
    return this.nextSeq++;
  }

  reset(): void {
    for (const name of COLLECTION_NAMES) this.collections[name].clear();
    this.nextSeq = 1;
  }

  /** How many entities each collection holds. */
  sizes(): Record<CollectionName, number> {
    return this.#byName((name) => this.collections[name].size);
  }

  /**
   * A deep copy of all data. `withDigests: false` (the state file, `GET /_emulator/state`) leaves out the secret
   * digests: nothing derived from a secret leaves the process. Webhook signing keys are left out unless
   * `withSigningKeys` (the state file only).
   */
  exportState(
    org: { orgId: string; orgType: OrgType },
    withDigests = true,
    withSigningKeys = false,
  ): EmulatorState {
    // structuredClone: callers (tests, the state file) must not alias live entities.
    const lists = structuredClone(this.#byName((name) => [...this.collections[name].values()])) as StateLists;
    for (const name of COLLECTION_NAMES) scrubAll(name, lists[name], withDigests, withSigningKeys);
    return { format: 1, orgId: org.orgId, orgType: org.orgType, nextSeq: this.nextSeq, ...lists };
  }

  /**
   * Replace everything with `state`; throws EmulatorHttpError(400) when it is not a state export, and then nothing
   * has changed: the whole state is checked (and copied) before the first entity is replaced. `adopt`: the state
   * is a fresh object nobody else holds (a parsed body or file), taken as it is instead of copied.
   */
  importState(state: unknown, adopt = false): void {
    const s = checkState(state);
    const sorted = this.#byName((name) => {
      const list = [...(s[name] as StoredEntity[])].sort((a, b) => a.seq - b.seq);
      return adopt ? list : structuredClone(list);
    });
    this.reset();
    let maxSeq = 0;
    for (const name of COLLECTION_NAMES) {
      const coll = this.collections[name] as Collection<StoredEntity>;
      for (const e of sorted[name]) {
        coll.insert(e);
        maxSeq = Math.max(maxSeq, e.seq);
      }
    }
    this.nextSeq = Math.max(s.nextSeq, maxSeq + 1);
  }

  #byName<V>(f: (name: CollectionName) => V): Record<CollectionName, V> {
    return Object.fromEntries(COLLECTION_NAMES.map((name) => [name, f(name)])) as Record<CollectionName, V>;
  }
}

function scrubAll<K extends CollectionName>(
  name: K,
  list: Entities[K][],
  withDigests: boolean,
  withSigningKeys: boolean,
): void {
  const scrub = COLLECTIONS[name].scrub;
  if (scrub) for (const e of list) scrub(e, withDigests, withSigningKeys);
}

function checkState(state: unknown): EmulatorState {
  if (typeof state !== 'object' || state === null || Array.isArray(state))
    throw badRequest('state must be an object (an export from GET /_emulator/state)');
  const s = state as Partial<EmulatorState>;
  if (s.format !== 1) throw badRequest('state.format must be 1');
  if (s.orgType !== undefined && !ORG_TYPES.includes(s.orgType))
    throw badRequest(`state.orgType must be ${ORG_TYPES.join(' or ')}`);
  if (typeof s.nextSeq !== 'number' || !Number.isSafeInteger(s.nextSeq))
    throw badRequest('state.nextSeq must be an integer');
  for (const key of COLLECTION_NAMES) {
    if (s[key] === undefined && COLLECTIONS[key].added) (s as Record<string, unknown>)[key] = [];
    const list = s[key];
    if (!Array.isArray(list)) throw badRequest(`state.${key} must be an array`);
    const fields: Readonly<Record<string, FieldType>> = { ...ENVELOPE, ...COLLECTIONS[key].fields };
    const ids = new Set<string>();
    const seqs = new Set<number>();
    (list as unknown[]).forEach((e, i) => {
      const at = `state.${key}[${i}]`;
      if (typeof e !== 'object' || e === null || Array.isArray(e))
        throw badRequest(`${at} must be an object`);
      const ent = e as Record<string, unknown>;
      for (const [field, type] of Object.entries(fields)) {
        const problem = fieldProblem(ent[field], type);
        if (problem) throw badRequest(`${at}.${field} ${problem}`);
      }
      const { id, seq } = ent as unknown as StoredEntity;
      if (!Number.isSafeInteger(seq) || seq < 1) throw badRequest(`${at}.seq must be a positive integer`);
      if (ids.has(id)) throw badRequest(`${at}: duplicate id ${id}`);
      if (seqs.has(seq)) throw badRequest(`${at}: duplicate seq ${seq}`);
      ids.add(id);
      seqs.add(seq);
    });
  }
  // A webhook's embedded credential is looked up on every read of the webhook.
  const credentials = new Map((s.credentials as CredentialEntity[]).map((c) => [c.id, c]));
  (s.webhooks as WebhookEntity[]).forEach((w, i) => {
    if (credentials.get(w.credentialId)?.ownerWebhookId !== w.id)
      throw badRequest(
        `state.webhooks[${i}].credentialId must name a credential whose ownerWebhookId is the webhook's id`,
      );
  });
  (s.credentials as CredentialEntity[]).forEach((c, i) => {
    const key = c.signingKey as unknown;
    if (
      key !== undefined &&
      (typeof (key as { apiKey?: unknown }).apiKey !== 'string' ||
        typeof (key as { secret?: unknown }).secret !== 'string')
    )
      throw badRequest(`state.credentials[${i}].signingKey must hold a string apiKey and secret`);
  });
  return s as EmulatorState;
}

function fieldProblem(value: unknown, type: FieldType): string | undefined {
  if (value === undefined) return type.endsWith('?') ? undefined : 'is required';
  const base = type.replace('?', '');
  if (base === 'object')
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? undefined
      : 'must be an object';
  if (base === 'number') return Number.isFinite(value) ? undefined : 'must be a number';
  return typeof value === base ? undefined : `must be a ${base}`;
}
