import {
  CONFIG_SECTION,
  KIND_LABEL,
  type ReferenceSpec,
  labelOf,
  referencedId,
  referencedKey,
  referrersOf,
} from '../kinds/index.js';
import type { Kind } from '../model/kinds.js';
import type { Change, DeleteChange, UnsafeReason } from '../model/plan.js';
import type { DesiredResource, LiveResource } from '../model/resource.js';
import type { DesiredState, LiveState } from '../model/state.js';
import { compareStrings } from './diff.js';
import { createIgnoreMatcher } from '../model/glob.js';

/**
 * The delete budget (octoDNS-style threshold). A kind's planned deletes may not exceed the budget unless the user
 * passes `--allow-deletes`.
 *
 * - Neither `count` nor `percent`: the default, 25% of that kind's live entities, checked once it has `minLive`
 *   (default 8) or more.
 * - `percent`: that share of the live entities instead of 25%, same `minLive` default.
 * - `count`: at most that many deletes; `minLive` defaults to 0 (an explicit count always applies).
 * - Both: the smaller of the two.
 *
 * Two guards hold whatever the budget says, since a lost file or an emptied section (`webhooks: []`) plans exactly
 * these deletes:
 * - a small kind (2 or more live, fewer than `minLive`): at most half of it;
 * - a kind with 2 or more live: never every one of them.
 * A kind's only entity may be deleted: that is one visible change, not a pattern of loss.
 */
export interface DeleteBudget {
  count?: number;
  percent?: number;
  minLive?: number;
}

export const DEFAULT_DELETE_PERCENT = 25;
export const DEFAULT_DELETE_MIN_LIVE = 8;
/** The smallest live count the small-kind and every-entity guards apply to. */
export const DELETE_GUARD_MIN_LIVE = 2;

/** The largest number of deletes allowed for a kind with `liveCount` live entities, or `undefined` for no limit. */
export function deleteBudgetFor(
  liveCount: number,
  budget: DeleteBudget,
): { max: number; description: string } | undefined {
  const { count, percent } = budget;
  const minLive =
    budget.minLive ?? (count !== undefined && percent === undefined ? 0 : DEFAULT_DELETE_MIN_LIVE);
  const limits: { max: number; description: string }[] = [];
  if (liveCount >= minLive) {
    const share = percent ?? (count === undefined ? DEFAULT_DELETE_PERCENT : undefined);
    // The epsilon keeps 8 * 25 / 100 at 2 whatever the float rounding of other shares.
    const byShare = share === undefined ? undefined : Math.floor((liveCount * share) / 100 + 1e-9);
    const parts: string[] = [];
    if (byShare !== undefined) parts.push(`${share}% of ${liveCount} live`);
    if (count !== undefined) parts.push(`a count of ${count}`);
    const max = Math.min(byShare ?? Number.POSITIVE_INFINITY, count ?? Number.POSITIVE_INFINITY);
    limits.push({ max, description: parts.join(' and ') });
  }
  if (liveCount >= DELETE_GUARD_MIN_LIVE) {
    if (liveCount < minLive) {
      limits.push({
        max: Math.floor(liveCount / 2),
        description: `half of a small kind: ${liveCount} live, fewer than ${minLive}`,
      });
    }
    limits.push({ max: liveCount - 1, description: `never every one of ${liveCount} live` });
  }
  // The tightest limit is the one reported.
  let tightest: { max: number; description: string } | undefined;
  for (const l of limits) if (!tightest || l.max < tightest.max) tightest = l;
  return tightest;
}

export function checkDeleteBudget(
  kinds: readonly Kind[],
  changes: readonly Change[],
  live: LiveState,
  desired: DesiredState,
  budget: DeleteBudget,
): UnsafeReason[] {
  const reasons: UnsafeReason[] = [];
  for (const kind of kinds) {
    // Copies of an entity that is kept (duplicateOf) are removed outside the budget: nothing declared is lost.
    const deletes = changes.filter(
      (c) => c.type === 'delete' && c.kind === kind && c.live.live.duplicateOf === undefined,
    ).length;
    if (deletes === 0) continue;
    // The share is of the live entities the files manage: entities left alone by `ignore`, and copies, do not
    // dilute it.
    const ignored = createIgnoreMatcher(desired.ignore[kind] ?? []);
    const declared = desired.resources[kind];
    let liveCount = 0;
    for (const r of live.resources[kind].values()) {
      if (r.live.duplicateOf === undefined && (declared.has(r.key) || !ignored(r.key))) liveCount++;
    }
    const limit = deleteBudgetFor(liveCount, budget);
    if (!limit || deletes <= limit.max) continue;
    const label = KIND_LABEL[kind];
    const every = deletes === liveCount;
    reasons.push({
      rule: 'delete_budget',
      kind,
      message:
        `delete_budget: the plan deletes ${every ? `every one of the ${liveCount}` : `${deletes} of ${liveCount}`} live ${label}(s), ` +
        `more than the budget of ${limit.max} (${limit.description}).`,
      hint:
        'Check that the files still declare everything they should (a missing file or entry' +
        `${every ? `, or an empty \`${CONFIG_SECTION[kind]}\` section,` : ''} is planned as a ` +
        `delete); if these deletes are intended, run again with --allow-deletes.`,
      deletes,
      liveCount,
      budget: limit.max,
    });
  }
  return reasons;
}

interface ReferrerIndex {
  readonly byKey: Map<string, LiveResource[]>;
  readonly byId: Map<string, LiveResource[]>;
}

function getOr<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * An entity planned for deletion while live entities that reference it (REFERENCES in kinds/: links to webhooks and
 * rules, integrations to credentials), managed or not, ignored or not, are not deleted (or updated to point elsewhere)
 * in the same plan. m3ter does not document what deleting a referenced entity does, so we refuse.
 */
export function checkLinkedDeletes(
  changes: readonly Change[],
  desired: DesiredState,
  live: LiveState,
  comparedKinds: ReadonlySet<Kind>,
): UnsafeReason[] {
  const targets = changes.filter(
    (c): c is DeleteChange => c.type === 'delete' && referrersOf(c.kind).length > 0,
  );
  if (targets.length === 0) return [];
  const deleted = new Map<Kind, Set<string>>();
  for (const c of changes) if (c.type === 'delete') getOr(deleted, c.kind, () => new Set()).add(c.key);
  // An entity updated by this plan points where its desired attributes say once the update ran, and apply runs
  // every update before any delete (and stops at the first failure): re-pointing an integration to another
  // credential frees the old one. Links cannot be re-pointed (their references are their key).
  const updated = new Map<Kind, Map<string, DesiredResource>>();
  for (const c of changes)
    if (c.type === 'update') getOr(updated, c.kind, () => new Map()).set(c.key, c.desired);
  // Who points at a planned delete, found in one pass per referring kind (by the key its attributes name and by
  // the id m3ter stores): only referrers of a target are kept, so each delete looks its referrers up. Linear.
  const indexes = new Map<ReferenceSpec, ReferrerIndex>();
  const indexOf = (kind: Kind, ref: ReferenceSpec): ReferrerIndex => {
    let index = indexes.get(ref);
    if (!index) {
      index = { byKey: new Map(), byId: new Map() };
      const keys = new Set<string>();
      const ids = new Set<string>();
      for (const t of targets) {
        if (t.kind !== ref.kind) continue;
        keys.add(t.live.key);
        ids.add(t.live.live.id);
      }
      const gone = deleted.get(kind);
      const changed = updated.get(kind);
      for (const r of live.resources[kind].values()) {
        if (gone?.has(r.key)) continue;
        const next = changed?.get(r.key);
        const key = referencedKey((next ?? r).attributes, ref);
        if (key !== null && keys.has(key)) pushTo(index.byKey, key, r);
        // An entity updated by this plan points only where its desired attributes say.
        const id = next ? undefined : referencedId(r.live, ref);
        if (id !== undefined && ids.has(id)) pushTo(index.byId, id, r);
      }
      indexes.set(ref, index);
    }
    return index;
  };
  const ignoredBy = new Map<Kind, (key: string) => boolean>();
  const reasons: UnsafeReason[] = [];
  for (const t of targets) {
    const label = labelOf(t.kind, t.key);
    const referrers = referrersOf(t.kind);
    const unread = referrers.filter((r) => !live.readKinds.has(r.kind)).map((r) => `${KIND_LABEL[r.kind]}s`);
    if (unread.length > 0) {
      reasons.push({
        rule: 'linked_delete',
        kind: t.kind,
        message: `linked_delete: ${label} is planned for deletion, but ${unread.join(' and ')} were not read, so some that still point at it cannot be ruled out.`,
        hint: `Plan again with ${unread.join(' and ')} read, or keep it in the files.`,
        referencedBy: [],
      });
      continue;
    }
    const remaining: { kind: Kind; key: string }[] = [];
    const ways = new Set<string>();
    for (const { kind, ref } of referrers) {
      const section = CONFIG_SECTION[kind];
      let ignored = ignoredBy.get(kind);
      if (!ignored) {
        ignored = createIgnoreMatcher(desired.ignore[kind] ?? []);
        ignoredBy.set(kind, ignored);
      }
      const index = indexOf(kind, ref);
      const found = new Set<string>();
      for (const r of index.byKey.get(t.live.key) ?? []) found.add(r.key);
      for (const r of index.byId.get(t.live.live.id) ?? []) found.add(r.key);
      const keys = [...found];
      if (keys.length === 0) continue;
      keys.sort(compareStrings);
      for (const key of keys) remaining.push({ kind, key });
      if (!comparedKinds.has(kind)) {
        ways.add(
          `add a \`${section}\` section to the files (live ${KIND_LABEL[kind]}s it does not declare are deleted first)`,
        );
      } else {
        if (keys.some((k) => desired.resources[kind].has(k)))
          ways.add(`remove the ${KIND_LABEL[kind]}s from the files`);
        if (keys.some((k) => !desired.resources[kind].has(k) && ignored(k)))
          ways.add(`remove them from \`ignore.${section}\``);
      }
    }
    if (remaining.length === 0) continue;
    reasons.push({
      rule: 'linked_delete',
      kind: t.kind,
      message: `linked_delete: ${label} is planned for deletion, but live ${remaining.map((r) => labelOf(r.kind, r.key)).join(', ')} not deleted by this plan still point${remaining.length === 1 ? 's' : ''} at it.`,
      hint: `Delete them in the same plan (${[...ways].join('; ')}), or keep ${label} in the files. --allow-deletes does not override this rule.`,
      referencedBy: remaining,
    });
  }
  return reasons;
}
