import type { IdMap, KindAdapter, LiveClient, ReadLiveState } from '../live/contract.js';
import type { Adapters } from '../live/contract.js';
import type { Kind } from '../model/kinds.js';
import type { Change, Plan } from '../model/plan.js';
import type { DesiredResource, LiveResource } from '../model/resource.js';
import type { LiveState } from '../model/state.js';
import { runBounded } from './pool.js';
import type { ChangeAction } from './result.js';

/** An entity that moved since the plan was made. */
export interface MovedEntity {
  kind: Kind;
  key: string;
  action: ChangeAction;
  /**
   * - `version`: an entity the plan updates or deletes has another version now (someone changed it);
   * - `gone`: an entity the plan updates or deletes no longer exists;
   * - `key_taken`: an entity the plan creates already exists (someone created it).
   */
  reason: 'version' | 'gone' | 'key_taken' | 'reference';
  /** For `reference`: the rule or webhook a planned link points at, which is gone or was replaced. */
  reference?: { kind: 'notificationRule' | 'webhook'; key: string; state: 'gone' | 'replaced' };
  id?: string;
  plannedVersion?: number;
  liveVersion?: number;
}

export type PlanCurrency = { ok: true } | { ok: false; moved: MovedEntity[] };

export interface CheckDeps {
  client: LiveClient;
  adapters: Adapters;
  ids: IdMap;
  /**
   * When given, the touched kinds are read whole (a few list pages) instead of one GET per update or delete and one
   * find-by-key (a full list of its kind) per create: far cheaper for plans with many changes.
   */
  readLiveState?: ReadLiveState | undefined;
  /** Concurrent reads when reading entity by entity. @default 8 */
  concurrency?: number | undefined;
}

/**
 * Re-reads every entity the plan updates or deletes (its version must still be the pinned one) and confirms every
 * key the plan creates is still free, before the first write. Reads only. A saved plan applied later, or a plan
 * confirmed at a prompt minutes after it was made, is refused (exit 4) if anything moved.
 */
export async function checkPlanIsCurrent(plan: Plan, deps: CheckDeps): Promise<PlanCurrency> {
  if (plan.changes.length === 0) return { ok: true };
  const moved = deps.readLiveState
    ? await checkByLists(plan, deps, deps.readLiveState)
    : await checkOneByOne(plan, deps);
  // Plan order, so the account reads like the plan.
  const order = new Map(plan.changes.map((c, i) => [`${c.kind}\u0000${c.key}\u0000${c.type}`, i]));
  moved.sort(
    (a, b) =>
      (order.get(`${a.kind}\u0000${a.key}\u0000${a.action}`) ?? 0) -
      (order.get(`${b.kind}\u0000${b.key}\u0000${b.action}`) ?? 0),
  );
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

async function checkByLists(
  plan: Plan,
  deps: CheckDeps,
  readLiveState: ReadLiveState,
): Promise<MovedEntity[]> {
  const kinds = new Set(plan.changes.map((c) => c.kind));
  const live = await readLiveState(deps.client, kinds);
  const moved: MovedEntity[] = checkLinkReferences(plan, deps, live);
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
  return moved;
}

async function checkOneByOne(plan: Plan, deps: CheckDeps): Promise<MovedEntity[]> {
  const moved: MovedEntity[] = [];
  await runBounded(
    plan.changes,
    deps.concurrency ?? 8,
    async (change) => {
      const adapter = deps.adapters[change.kind] as unknown as KindAdapter<Kind>;
      let found: LiveResource | undefined;
      if (change.type === 'create') {
        const all = await adapter.findByKey(deps.client, change.key, deps.ids);
        found = all[0];
      } else {
        found = await adapter.read(deps.client, change.id, deps.ids);
      }
      const m = compare(change, found);
      if (m) moved.push(m);
    },
    () => true,
  );
  return moved;
}

/**
 * A planned link points at a rule and a webhook by code. Unless the plan creates them, each must still exist with
 * the id seen when planning: a rule deleted (or deleted and re-created) since would make the link POST fail, or
 * point at the wrong entity, after earlier levels had already written. (readLiveState reads webhooks and rules
 * whenever it reads links.)
 */
function checkLinkReferences(plan: Plan, deps: CheckDeps, live: LiveState): MovedEntity[] {
  const created = new Set(
    plan.changes.filter((c) => c.type === 'create').map((c) => `${c.kind}\u0000${c.key}`),
  );
  const moved: MovedEntity[] = [];
  for (const change of plan.changes) {
    if (change.kind !== 'link' || change.type === 'delete') continue;
    const { rule, webhook } = (change.desired as DesiredResource<'link'>).attributes;
    const refs = [
      { kind: 'notificationRule' as const, key: rule, planned: deps.ids.ruleId(rule) },
      { kind: 'webhook' as const, key: webhook, planned: deps.ids.webhookId(webhook) },
    ];
    for (const ref of refs) {
      if (created.has(`${ref.kind}\u0000${ref.key}`)) continue;
      const now = live.resources[ref.kind].get(ref.key);
      const state = !now
        ? 'gone'
        : ref.planned !== undefined && now.live.id !== ref.planned
          ? 'replaced'
          : undefined;
      if (state) {
        moved.push({
          kind: change.kind,
          key: change.key,
          action: change.type,
          reason: 'reference',
          reference: { kind: ref.kind, key: ref.key, state },
        });
      }
    }
  }
  return moved;
}
