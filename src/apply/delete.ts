import { labelOf, referrersOf, refersTo } from '../kinds/index.js';
import { ApplyError, StalePlanError } from '../model/errors.js';
import type { Kind } from '../model/kinds.js';
import type { DeleteChange } from '../model/plan.js';
import { isNotFound } from './conflict.js';
import { adapterOf, type StepContext, type StepResult } from './steps.js';

/**
 * A delete. m3ter's DELETE takes no version, so the pinned one (and the key: a saved plan pointed at another entity
 * is refused) is checked by a GET first; gone or 404 counts as done. Right before the DELETE, the kinds that
 * reference this one are read fresh: an entity that live links or integrations still point at is never deleted,
 * whoever made those since the plan (m3ter does not document whether it refuses).
 */
export async function runDelete(ctx: StepContext, change: DeleteChange): Promise<StepResult> {
  const adapter = adapterOf(ctx, change.kind);
  const current = await adapter.read(ctx.client, change.id, ctx.ids);
  if (!current) return { resolution: 'already_deleted' };
  // A copy is planned under `id:<id>`, but read on its own it shows the key it shares with the entity kept.
  const copyOf = change.live.live.duplicateOf;
  const keyNow = copyOf !== undefined && current.key === copyOf ? change.key : current.key;
  if (current.live.version !== change.version || keyNow !== change.key) {
    const now =
      keyNow !== change.key
        ? `is ${labelOf(current.kind, current.key)}`
        : `has version ${current.live.version}`;
    throw new StalePlanError(
      'plan_stale',
      `${labelOf(change.kind, change.key)} changed since the plan was made (planned against version ${change.version}; the entity with id ${change.id} ${now}); it was not deleted and nothing more was written. Run plan again.`,
      {
        kind: change.kind,
        key: change.key,
        id: change.id,
        plannedVersion: change.version,
        liveVersion: current.live.version,
        liveKey: current.key,
      },
    );
  }
  if (copyOf !== undefined) await checkStillACopy(ctx, change, copyOf);
  const refs = await liveReferrers(ctx, change.kind, change.id, change.key);
  if (refs.length > 0) {
    const shown = refs.slice(0, 5).join(', ') + (refs.length > 5 ? `, and ${refs.length - 5} more` : '');
    throw new ApplyError(
      'linked_delete',
      `${labelOf(change.kind, change.key)} was not deleted: live ${shown} still reference${refs.length === 1 ? 's' : ''} it. Delete or re-point them first.`,
      { kind: change.kind, key: change.key },
    );
  }
  try {
    await adapter.remove(ctx.client, change.id);
  } catch (error) {
    if (isNotFound(error)) return { resolution: 'already_deleted' };
    throw error;
  }
  ctx.ids.drop(change.kind, change.id);
  return {};
}

/**
 * A copy is deleted only while another entity still holds its key: if the one kept was deleted since the plan, this
 * copy is now the only one, and deleting it would lose an entity the files declare.
 */
async function checkStillACopy(ctx: StepContext, change: DeleteChange, key: string): Promise<void> {
  const others = (await adapterOf(ctx, change.kind).findByKey(ctx.client, key, ctx.ids)).filter(
    (r) => r.live.id !== change.id,
  );
  if (others.length > 0) return;
  throw new StalePlanError(
    'plan_stale',
    `${labelOf(change.kind, change.key)} was planned for deletion as a copy of ${labelOf(change.kind, key)}, but no other entity has that key now; it was not deleted and nothing more was written. Run plan again.`,
    { kind: change.kind, key: change.key, id: change.id, duplicateOf: key },
  );
}

/** The live entities (as labels) that reference the entity `id` (keyed `key`) of `kind`, read now. */
export async function liveReferrers(
  ctx: StepContext,
  kind: Kind,
  id: string,
  key: string,
): Promise<string[]> {
  const found: string[] = [];
  for (const { kind: referrer, ref } of referrersOf(kind)) {
    const adapter = adapterOf(ctx, referrer);
    const query = adapter.referenceQuery?.(ref, id);
    for (const r of adapter.fromList(
      await adapter.listRaw(ctx.client, query, { beside: 'writes' }),
      ctx.ids,
    )) {
      if (refersTo(r, ref, { key, id })) found.push(labelOf(r.kind, r.key));
    }
  }
  return found;
}
