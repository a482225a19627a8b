import { labelOf } from '../kinds/index.js';
import { ApplyError, TargetError, type Json, StalePlanError, UnsafePlanError } from '../model/errors.js';
import type { Plan } from '../model/plan.js';
import { checkPlanIsCurrent, type MovedEntity } from './check-current.js';
import { planLevels } from './levels.js';
import type { ApplyDeps, ApplyOptions } from './options.js';
import type { ApplyResult } from './result.js';
import { ApplyRun } from './run.js';

export type { ApplyDeps, ApplyOptions } from './options.js';

/**
 * Applies a plan by levels (see levels.ts): the changes of a level run concurrently, the next level starts when the
 * whole level has ended.
 *
 * - Updates send the version the plan pinned. A version conflict is first checked against our own retried PUT
 *   (re-read: desired attributes and version pinned + 1 means it landed); otherwise the change fails as a stale
 *   plan and nothing more is written.
 * - Creates are never retried blindly: after an unclear POST (timeout, reset, 5xx) the entity is looked up by key
 *   and adopted when found once, created once more when not found (bounded), and never a third time when more than
 *   one exists.
 * - Deletes re-check the pinned version and key first; a 404 counts as done. An entity that live entities still
 *   reference (links to a webhook or rule, integrations to a credential) is never deleted.
 * - On the first failure no new change starts; changes in flight finish; the result says exactly what was applied,
 *   what failed and what was not attempted.
 *
 * Throws (before any write) SavedPlanError for a plan made for another org, UnsafePlanError for an unsafe plan not
 * allowed through, and StalePlanError when the live
 * state moved since the plan (with `checkCurrent`). Failures of single changes are reported in the result, not thrown;
 * `applyResultError` turns a result into the error the CLI maps to its exit code.
 */
export async function applyPlan(
  plan: Plan,
  deps: ApplyDeps,
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  const now = options.now ?? Date.now;
  const startedAt = now();
  const before = deps.client.stats();
  checkPlanTarget(plan, deps.client.orgId);
  refuseUnsafePlan(plan, options.allowUnsafe ?? false);

  if ((options.checkCurrent ?? true) && plan.changes.length > 0) {
    const check = await checkPlanIsCurrent(plan, deps);
    if (!check.ok) throw movedError(check.moved);
  }

  // The run reads options.signal before each start (run.ts): once aborted, nothing more starts.
  const run = new ApplyRun(plan, deps, options, now);
  for (const level of planLevels(plan.changes)) {
    if (run.stopped) break;
    await run.runLevel(level);
  }
  const after = deps.client.stats();
  // With no failure, a change is left unattempted only when the signal stopped the run.
  const notAttempted = plan.changes.filter((c) => !run.started.has(c));
  return {
    status: run.stale
      ? 'stale'
      : run.failed.length > 0
        ? 'failed'
        : notAttempted.length > 0
          ? 'interrupted'
          : 'applied',
    applied: run.applied,
    failed: run.failed,
    notAttempted,
    durationMs: now() - startedAt,
    requests: after.requests - before.requests,
    retries: after.retries - before.retries,
    rateLimited: after.rateLimited - before.rateLimited,
  };
}

/**
 * Refuses an unsafe plan. The delete budget is lifted by `--allow-deletes` (at plan or at apply time); a planned
 * delete of a webhook or rule that live links still reference is never allowed.
 */
export function refuseUnsafePlan(plan: Plan, allowUnsafe: boolean): void {
  const blocking = plan.unsafe.filter(
    (u) => u.rule === 'linked_delete' || !(allowUnsafe || plan.allowDeletes),
  );
  if (blocking.length === 0) return;
  const first = blocking[0];
  throw new UnsafePlanError(
    'plan_unsafe',
    `the plan is unsafe, nothing was applied: ${blocking.map((u) => u.message).join('; ')}`,
    {
      rules: blocking.map((u) => u.rule),
      hints: blocking.map((u) => u.hint),
      ...(first ? { hint: first.hint } : {}),
    },
  );
}

/** The error for a plan whose entities moved before the first write. */
export function movedError(moved: readonly MovedEntity[]): StalePlanError {
  const what = moved.slice(0, 5).map(describeMoved).join('; ');
  const more = moved.length > 5 ? `; and ${moved.length - 5} more` : '';
  return new StalePlanError(
    'plan_stale',
    `the live state changed since the plan was made, nothing was applied: ${what}${more}. Run plan again.`,
    {
      moved: moved.map((m) => ({ ...m }) as unknown as Json),
      hint: 'Run plan again and review the new plan.',
    },
  );
}

function describeMoved(m: MovedEntity): string {
  const label = labelOf(m.kind, m.key);
  switch (m.reason) {
    case 'version':
      return `${label} is at version ${m.liveVersion}, the plan expected ${m.plannedVersion}`;
    case 'key':
      return `the entity the plan ${m.action}s as ${label} (id ${m.id}) is ${labelOf(m.kind, m.liveKey ?? '')} now`;
    case 'gone':
      return `${label} no longer exists`;
    case 'key_taken':
      return `${label}, which the plan creates, already exists`;
    case 'reference': {
      const ref = m.reference!;
      return `${label} points at ${labelOf(ref.kind, ref.key)}, which ${ref.state === 'gone' ? 'no longer exists' : 'was deleted and created again'}`;
    }
  }
}

/** The error matching a result that did not apply everything (`undefined` when it did): exit 4 when stale, else 1. */
export function applyResultError(result: ApplyResult): ApplyError | StalePlanError | undefined {
  if (result.status === 'applied') return undefined;
  const meta: Record<string, Json> = {
    applied: result.applied.length,
    failed: result.failed.map((o) => ({
      kind: o.kind,
      key: o.key,
      action: o.action,
      code: o.error?.code ?? '',
    })),
    notAttempted: result.notAttempted.length,
    hint: 'Run plan again: it shows exactly what is left.',
  };
  const first = result.failed[0];
  const head = first
    ? `${first.action} of ${labelOf(first.kind, first.key)} failed: ${first.error?.message ?? 'unknown error'}`
    : result.status === 'interrupted'
      ? 'the apply was interrupted'
      : 'the apply did not finish';
  const account = `${result.applied.length} applied, ${result.failed.length} failed, ${result.notAttempted.length} not attempted`;
  return result.status === 'stale'
    ? new StalePlanError('plan_stale', `${head} (${account}). Run plan again.`, meta)
    : new ApplyError('apply_failed', `${head} (${account}). Run plan again.`, meta);
}

/** Refuses a plan made for another org. (The base URL may differ: the local emulator listens on a new port each run.) */
export function checkPlanTarget(plan: Plan, orgId: string): void {
  if (plan.target.orgId !== orgId) {
    throw new TargetError(
      'plan_target_mismatch',
      `the saved plan was made for org ${plan.target.orgId}, but the target is org ${orgId}. Plan again against this org.`,
      { planOrgId: plan.target.orgId, orgId },
    );
  }
}
