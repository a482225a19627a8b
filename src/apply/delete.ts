import { labelOf, referencedId, referrersOf } from '../kinds/index.js';
import type { KindAdapter } from '../live/contract.js';
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
  if (current.live.version !== change.version || current.key !== change.key) {
    const now =
      current.key !== change.key
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
  const refs = await liveReferrers(ctx, change.kind, change.id);
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

/** The live entities (as labels) that reference the entity `id` of `kind`, read now. */
async function liveReferrers(ctx: StepContext, kind: Kind, id: string): Promise<string[]> {
  const found: string[] = [];
  for (const { kind: referrer, ref } of referrersOf(kind)) {
    const adapter = ctx.adapters[referrer] as unknown as KindAdapter<Kind>;
    const query = adapter.referenceQuery?.(ref, id);
    for (const r of adapter.fromList(await adapter.listRaw(ctx.client, query), ctx.ids)) {
      if (referencedId(r.live, ref) === id) found.push(labelOf(r.kind, r.key));
    }
  }
  return found;
}
