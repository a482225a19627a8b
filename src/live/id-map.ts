import { isIdKey } from '../kinds/index.js';
import { KINDS, type Kind } from '../model/kinds.js';
import type { LiveState } from '../model/state.js';
import type { IdMap } from './contract.js';

/** An IdMap that apply extends as it creates entities, and trims as it deletes them. */
export interface MutableIdMap extends IdMap {
  /** Records an entity created (or adopted) during this run. */
  set(kind: Kind, key: string, id: string): void;
  /** Forgets an id (after a delete). */
  drop(kind: Kind, id: string): void;
}

class Bimap {
  readonly idByKey = new Map<string, string>();
  readonly keyById = new Map<string, string>();

  set(key: string, id: string): void {
    const oldKey = this.keyById.get(id);
    if (oldKey !== undefined && oldKey !== key && this.idByKey.get(oldKey) === id)
      this.idByKey.delete(oldKey);
    this.idByKey.set(key, id);
    this.keyById.set(id, key);
  }

  /** Keeps the first id seen for a key (the canonical entity); later ids still resolve to the key. */
  add(key: string, id: string): void {
    if (!this.idByKey.has(key)) this.idByKey.set(key, id);
    this.keyById.set(id, key);
  }

  drop(id: string): void {
    const key = this.keyById.get(id);
    this.keyById.delete(id);
    if (key !== undefined && this.idByKey.get(key) === id) this.idByKey.delete(key);
    this.dropped.add(id);
  }

  readonly dropped = new Set<string>();
}

/**
 * Ids and keys of every kind, both ways: the one id map of the project. Built from live state (entities keyed
 * `id:<id>` have no usable key and are left out); with duplicate keys the entity live state keys by the key wins.
 * With `base`, it is an overlay: what it records is seen first, and everything else falls through to `base`, which
 * is never changed (apply extends a copy of the planner's map).
 */
export function createIdMap(live?: Pick<LiveState, 'resources'>, base?: IdMap): MutableIdMap {
  const maps = Object.fromEntries(KINDS.map((k) => [k, new Bimap()])) as Record<Kind, Bimap>;
  if (live) {
    for (const kind of KINDS) {
      for (const r of live.resources[kind].values()) if (!isIdKey(r.key)) maps[kind].add(r.key, r.live.id);
    }
  }
  return {
    idOf: (kind, key) => {
      const own = maps[kind].idByKey.get(key);
      if (own !== undefined) return own;
      const inherited = base?.idOf(kind, key);
      return inherited !== undefined && !maps[kind].dropped.has(inherited) ? inherited : undefined;
    },
    keyOf: (kind, id) =>
      maps[kind].keyById.get(id) ?? (maps[kind].dropped.has(id) ? undefined : base?.keyOf(kind, id)),
    set: (kind, key, id) => maps[kind].set(key, id),
    drop: (kind, id) => maps[kind].drop(id),
  };
}
