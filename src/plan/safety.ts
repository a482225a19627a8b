import { KIND_LABEL, type Kind } from '../model/kinds.js';
import type { Change, DeleteChange, UnsafeReason } from '../model/plan.js';
import type { LiveResource } from '../model/resource.js';
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
 */
export interface DeleteBudget {
  count?: number;
  percent?: number;
  minLive?: number;
}

export const DEFAULT_DELETE_PERCENT = 25;
export const DEFAULT_DELETE_MIN_LIVE = 8;

function quote(s: string): string {
  return JSON.stringify(s);
}

/** The largest number of deletes allowed for a kind with `liveCount` live entities, or `undefined` for no limit. */
export function deleteBudgetFor(
  liveCount: number,
  budget: DeleteBudget,
): { max: number; description: string } | undefined {
  const { count, percent } = budget;
  const minLive =
    budget.minLive ?? (count !== undefined && percent === undefined ? 0 : DEFAULT_DELETE_MIN_LIVE);
  if (liveCount < minLive) return undefined;
  const share = percent ?? (count === undefined ? DEFAULT_DELETE_PERCENT : undefined);
  // The epsilon keeps 8 * 25 / 100 at 2 whatever the float rounding of other shares.
  const byShare = share === undefined ? undefined : Math.floor((liveCount * share) / 100 + 1e-9);
  const parts: string[] = [];
  if (byShare !== undefined) parts.push(`${share}% of ${liveCount} live`);
  if (count !== undefined) parts.push(`a count of ${count}`);
  const max = Math.min(byShare ?? Number.POSITIVE_INFINITY, count ?? Number.POSITIVE_INFINITY);
  return { max, description: parts.join(' and ') };
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
    const deletes = changes.filter((c) => c.type === 'delete' && c.kind === kind).length;
    if (deletes === 0) continue;
    // The share is of the live entities the files manage: entities left alone by `ignore` do not dilute it.
    const ignored = createIgnoreMatcher(desired.ignore[kind] ?? []);
    const declared = desired.resources[kind];
    let liveCount = 0;
    for (const key of live.resources[kind].keys()) if (declared.has(key) || !ignored(key)) liveCount++;
    const limit = deleteBudgetFor(liveCount, budget);
    if (!limit || deletes <= limit.max) continue;
    const label = KIND_LABEL[kind];
    reasons.push({
      rule: 'delete_budget',
      kind,
      message:
        `delete_budget: the plan deletes ${deletes} of ${liveCount} live ${label}(s), ` +
        `more than the budget of ${limit.max} (${limit.description}).`,
      hint:
        'Check that the files still declare everything they should (a missing file or entry is planned as a ' +
        `delete); if these deletes are intended, run again with --allow-deletes.`,
      deletes,
      liveCount,
      budget: limit.max,
    });
  }
  return reasons;
}

function pointsAt(link: LiveResource<'link'>, target: LiveResource): boolean {
  if (target.kind === 'webhook') {
    return (
      link.attributes.webhook === target.key ||
      (!!link.live.destinationId && link.live.destinationId === target.live.id)
    );
  }
  if (target.kind === 'notificationRule') {
    return (
      link.attributes.rule === target.key || (!!link.live.entityId && link.live.entityId === target.live.id)
    );
  }
  return false;
}

/**
 * A webhook or rule planned for deletion while live links (managed or not, ignored or not) that are not deleted in
 * the same plan still point at it. m3ter does not document what deleting a linked entity does, so we refuse.
 */
export function checkLinkedDeletes(
  changes: readonly Change[],
  desired: DesiredState,
  live: LiveState,
  comparedKinds: ReadonlySet<Kind>,
): UnsafeReason[] {
  const targets = changes.filter(
    (c): c is DeleteChange => c.type === 'delete' && (c.kind === 'webhook' || c.kind === 'notificationRule'),
  );
  if (targets.length === 0) return [];
  const reasons: UnsafeReason[] = [];
  if (!live.readKinds.has('link')) {
    for (const t of targets) {
      const label = KIND_LABEL[t.kind];
      reasons.push({
        rule: 'linked_delete',
        kind: t.kind,
        message: `linked_delete: ${label} ${quote(t.key)} is planned for deletion, but links were not read, so links that still point at it cannot be ruled out.`,
        hint: 'Plan again with links read, or keep it in the files.',
        links: [],
      });
    }
    return reasons;
  }
  const deletedLinks = new Set(
    changes.filter((c) => c.type === 'delete' && c.kind === 'link').map((c) => c.key),
  );
  const linksManaged = comparedKinds.has('link');
  const ignored = createIgnoreMatcher(desired.ignore.link ?? []);
  const liveLinks = [...live.resources.link.values()];
  for (const t of targets) {
    const remaining = liveLinks
      .filter((l) => !deletedLinks.has(l.key) && pointsAt(l, t.live))
      .map((l) => l.key)
      .sort(compareStrings);
    if (remaining.length === 0) continue;
    const label = KIND_LABEL[t.kind];
    const ways: string[] = [];
    if (!linksManaged) {
      ways.push('add a `links` section to the files (live links it does not declare are deleted first)');
    } else {
      if (remaining.some((k) => desired.resources.link.has(k))) ways.push('remove the links from the files');
      if (remaining.some((k) => !desired.resources.link.has(k) && ignored(k))) {
        ways.push('remove them from `ignore.links`');
      }
    }
    reasons.push({
      rule: 'linked_delete',
      kind: t.kind,
      message: `linked_delete: ${label} ${quote(t.key)} is planned for deletion, but live link(s) not deleted by this plan still point at it: ${remaining.map(quote).join(', ')}.`,
      hint: `Delete the links in the same plan (${ways.join('; ')}), or keep ${label} ${quote(t.key)} in the files. --allow-deletes does not override this rule.`,
      links: remaining,
    });
  }
  return reasons;
}
