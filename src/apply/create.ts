import { labelOf } from '../kinds/index.js';
import { ApplyError, UnclearWriteError } from '../model/errors.js';
import type { CreateChange } from '../model/plan.js';
import type { LiveResource } from '../model/resource.js';
import { diffAttributes } from '../plan/diff.js';
import { adapterOf, sleep, type StepContext, type StepResult } from './steps.js';
import { runUpdate } from './update.js';

/**
 * A create: POST once, never blindly again. After an unclear outcome (timeout, reset, 5xx), find by key: exactly one
 * → adopt it (and update it if it differs from the files); none → POST once more (bounded); more than one → fail,
 * never create another.
 */
export async function runCreate(ctx: StepContext, change: CreateChange): Promise<StepResult> {
  const adapter = adapterOf(ctx, change.kind);
  for (let attempt = 1; ; attempt++) {
    let unclear: UnclearWriteError;
    try {
      const created = await adapter.create(ctx.client, change.desired, ctx.write);
      ctx.ids.set(change.kind, change.key, created.live.id);
      return {
        id: created.live.id,
        version: created.live.version,
        ...(attempt > 1 ? { resolution: 'created_again' as const } : {}),
      };
    } catch (error) {
      if (!(error instanceof UnclearWriteError)) throw error;
      unclear = error;
    }
    // No HTTP answer: the POST may still be in flight at m3ter. A 5xx is an answer; the work has ended.
    if (unclear.meta['status'] === undefined && ctx.unclearCreateSettleMs > 0) {
      await sleep(ctx.unclearCreateSettleMs);
    }
    const found = await adapter.findByKey(ctx.client, change.key, ctx.ids);
    if (found.length > 1) {
      throw new ApplyError(
        'duplicate_entities',
        `${labelOf(change.kind, change.key)}: m3ter has ${found.length} entities with this key after a create whose outcome was unclear (${unclear.message}); no further one was created. Plan again: the copies are planned for deletion.`,
        { kind: change.kind, key: change.key, ids: found.map((f) => f.live.id) },
      );
    }
    const existing = found[0];
    if (existing) return adopt(ctx, change, existing);
    if (attempt >= ctx.maxCreateAttempts) {
      throw new ApplyError(
        'create_unresolved',
        `${labelOf(change.kind, change.key)} was not created: ${attempt} attempt(s) ended with an unclear outcome and nothing with this key exists (last: ${unclear.message}). Plan again.`,
        { kind: change.kind, key: change.key, attempts: attempt },
      );
    }
  }
}

async function adopt(ctx: StepContext, change: CreateChange, existing: LiveResource): Promise<StepResult> {
  ctx.ids.set(change.kind, change.key, existing.live.id);
  const adapter = adapterOf(ctx, change.kind);
  const differs = diffAttributes(change.kind, existing.attributes, change.desired.attributes).length > 0;
  // An entity written by this run carries this run's secrets; any other (a race, a hand-made one) may hold other
  // secrets, so it is updated to send ours.
  if (!differs && (adapter.carriesRunSecrets?.(existing, ctx.write) ?? true)) {
    return { id: existing.live.id, version: existing.live.version, resolution: 'adopted' };
  }
  const updated = await runUpdate(
    ctx,
    change.kind,
    change.key,
    existing.live.id,
    existing.live.version,
    change.desired,
  );
  return { ...updated, resolution: 'adopted_and_updated' };
}
