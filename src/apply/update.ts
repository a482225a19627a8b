import { labelOf } from '../kinds/index.js';
import { StalePlanError } from '../model/errors.js';
import type { Kind } from '../model/kinds.js';
import type { DesiredResource } from '../model/resource.js';
import { diffAttributes } from '../plan/diff.js';
import { isNotFound, isVersionConflict } from './conflict.js';
import { adapterOf, type StepContext, type StepResult } from './steps.js';

/**
 * An update: PUT with the pinned version. The client retries a PUT after a 5xx or a lost connection, so a version
 * conflict may be our own first PUT having landed: re-read, and count it as applied when the entity now holds the
 * desired attributes at exactly the next version (and, for a kind with secrets, those this run sent).
 */
export async function runUpdate(
  ctx: StepContext,
  kind: Kind,
  key: string,
  id: string,
  version: number,
  desired: DesiredResource,
): Promise<StepResult> {
  const adapter = adapterOf(ctx, kind);
  try {
    const updated = await adapter.update(ctx.client, id, version, desired, ctx.write);
    return { id: updated.live.id, version: updated.live.version };
  } catch (error) {
    if (isNotFound(error)) {
      throw new StalePlanError(
        'plan_stale',
        `${labelOf(kind, key)} no longer exists (it was deleted since the plan was made); nothing more was written. Run plan again.`,
        { kind, key, id },
      );
    }
    if (!isVersionConflict(error)) throw error;
    const current = await adapter.read(ctx.client, id, ctx.ids);
    if (
      current &&
      current.live.version === version + 1 &&
      diffAttributes(kind, current.attributes, desired.attributes).length === 0 &&
      (adapter.carriesRunSecrets?.(current, ctx.write) ?? true)
    ) {
      return { id, version: current.live.version, resolution: 'confirmed' };
    }
    const m3ter = error instanceof Error ? error.message : String(error);
    throw new StalePlanError(
      'plan_stale',
      `${labelOf(kind, key)} changed since the plan was made (planned against version ${version}, m3ter has ${current ? `version ${current.live.version}` : 'no such entity'}): ${m3ter}. Nothing more was written. Run plan again.`,
      { kind, key, id, plannedVersion: version, liveVersion: current?.live.version ?? null },
    );
  }
}
