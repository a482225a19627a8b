import { kindsNamedByKey, referencedKey, referencesOf } from '../kinds/index.js';
import type { IdMap, LiveClient, ReadLiveState } from '../live/contract.js';
import type { Kind } from '../model/kinds.js';
import type { Change, Plan } from '../model/plan.js';
import type { LiveResource } from '../model/resource.js';
import type { LiveState } from '../model/state.js';
import type { ChangeAction } from './result.js';

/** An entity that moved since the plan was made. */
export interface MovedEntity {
  kind: Kind;
  key: string;
  action: ChangeAction;
  /**
   * - `version`: an entity the plan updates or deletes has another version now (someone changed it);
   * - `key`: the entity with the planned id has another key now (renamed, or a saved plan pointed at another one);
   * - `gone`: an entity the plan updates or deletes no longer exists;
   * - `key_taken`: an entity the plan creates already exists (someone created it);
   * - `reference`: an entity the plan writes points at one that is gone or was replaced.
   */
  reason: 'version' | 'key' | 'gone' | 'key_taken' | 'reference';
  /** For `reference`: the entity a planned change points at, which is gone or was replaced. */
  reference?: { kind: Kind; key: string; state: 'gone' | 'replaced' };
  id?: string;
  plannedVersion?: number;
  liveVersion?: number;
  /** For `key`: the key the entity has now. */
  liveKey?: string;
}

export type PlanCurrency = { ok: true } | { ok: false; moved: MovedEntity[] };

export interface CheckDeps {
  client: LiveClient;
  ids: IdMap;
  readLiveState: ReadLiveState;
}

/**
 * Re-reads every kind the plan touches (a few list pages each) before the first write: every entity the plan updates
 * or deletes must still have its pinned id, key and version; every key the plan creates must still be free; every
 * entity a planned change references must still exist with the id seen when planning. Reads only. A saved plan
 * applied later, or a plan confirmed at a prompt minutes after it was made, is refused (exit 4) if anything moved.
 */
export async function checkPlanIsCurrent(plan: Plan, deps: CheckDeps): Promise<PlanCurrency> {
  if (plan.changes.length === 0) return { ok: true };
  const kinds = new Set(plan.changes.map((c) => c.kind));
  // What planned writes name by key is read too: readLiveState follows references by id only.
  const named = kindsNamedByKey(plan.changes.flatMap((c) => (c.type === 'delete' ? [] : [c.desired])));
  const live = await deps.readLiveState(deps.client, new Set([...kinds, ...named]));
  const moved: MovedEntity[] = checkReferences(plan, deps.ids, live);
  for (const kind of kinds) {
    const byKey = live.resources[kind] as Map<string, LiveResource>;
    const byId = new Map<string, LiveResource>();
    for (const r of byKey.values()) byId.set(r.live.id, r);
    for (const change of plan.changes) {
      if (change.kind !== kind) continue;
      const found = change.type === 'create' ? byKey.get(change.key) : byId.get(change.id);
      const m = compare(change, found);
      if (m) moved.push(m);
    }
  }
  // Plan order, so the account reads like the plan.
  const order = new Map(plan.changes.map((c, i) => [`${c.kind}\u0000${c.key}\u0000${c.type}`, i]));
  const rank = (m: MovedEntity) => order.get(`${m.kind}\u0000${m.key}\u0000${m.action}`) ?? 0;
  moved.sort((a, b) => rank(a) - rank(b));
  return moved.length === 0 ? { ok: true } : { ok: false, moved };
}

function compare(change: Change, found: LiveResource | undefined): MovedEntity | undefined {
  const base = { kind: change.kind, key: change.key, action: change.type };
  if (change.type === 'create') {
    return found
      ? { ...base, reason: 'key_taken', id: found.live.id, liveVersion: found.live.version }
      : undefined;
  }
  if (!found) return { ...base, reason: 'gone', id: change.id, plannedVersion: change.version };
  if (found.key !== change.key) return { ...base, reason: 'key', id: change.id, liveKey: found.key };
  if (found.live.version !== change.version) {
    return {
      ...base,
      reason: 'version',
      id: change.id,
      plannedVersion: change.version,
      liveVersion: found.live.version,
    };
  }
  return undefined;
}

/**
 * A planned create or update points at other entities by key (a link at its rule and webhook, an integration at its
 * credential). Unless the plan creates them, each must still exist with the id seen when planning: one deleted (or
 * deleted and re-created) since would make the write fail, or point at the wrong entity, after earlier levels had
 * already written. (readLiveState reads the referenced kinds whenever it reads a kind.)
 */
function checkReferences(plan: Plan, ids: IdMap, live: LiveState): MovedEntity[] {
  const created = new Set(
    plan.changes.filter((c) => c.type === 'create').map((c) => `${c.kind}\u0000${c.key}`),
  );
  const moved: MovedEntity[] = [];
  for (const change of plan.changes) {
    if (change.type === 'delete') continue;
    for (const ref of referencesOf(change.kind)) {
      const key = referencedKey(change.desired.attributes, ref);
      if (key === null || created.has(`${ref.kind}\u0000${key}`)) continue;
      const planned = ids.idOf(ref.kind, key);
      const now = live.resources[ref.kind].get(key);
      // A reference by key names whichever entity holds the key: only one by id can be replaced under it.
      const replaced =
        ref.by === 'id' && planned !== undefined && now !== undefined && now.live.id !== planned;
      const state = !now ? 'gone' : replaced ? 'replaced' : undefined;
      if (state) {
        moved.push({
          kind: change.kind,
          key: change.key,
          action: change.type,
          reason: 'reference',
          reference: { kind: ref.kind, key, state },
        });
      }
    }
  }
  return moved;
}
