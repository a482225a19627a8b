import { applyPlan, type ApplyOptions, type ApplyResult } from '../apply/index.js';
import { adapters, createIdMap, readLiveState } from '../live/index.js';
import { TargetError } from '../model/errors.js';
import { FingerprintCache } from '../model/fingerprint.js';
import { fingerprintMaterial, labelOf } from '../kinds/index.js';
import type { Plan } from '../model/plan.js';
import type { DesiredState, LiveState } from '../model/state.js';
import { describeTarget, type TargetDescription } from '../model/target.js';
import { diffAttributes } from '../plan/diff.js';
import { type PlanOutcome, type PlanSettings, planAgainst } from './plan.js';
import type { Session } from './session.js';

export interface RunApplyOptions extends Omit<ApplyOptions, 'fingerprints'> {
  /** Plan again after a successful apply and fail unless the plan is empty (`apply --verify`). */
  verify?: boolean;
  /** Needed for verify: the desired state and the plan settings used. */
  desired?: DesiredState;
  settings?: PlanSettings;
  /** From a fresh plan: its ids and fingerprints (saves a read and the scrypt work). */
  planned?: PlanOutcome;
}

export interface RunApplyResult {
  result: ApplyResult;
  /** With verify and config files: the plan made after the apply (empty when converged). */
  verifyPlan?: Plan;
  /** With verify and config files: the live state that plan was made from (the org after the apply). */
  verifyLive?: LiveState;
  /**
   * With verify and a saved plan (no files to plan from): every change of the plan that the org does not show,
   * one line each (empty when every change is there).
   */
  verifyMismatches?: string[];
}

/** Applies a plan to the session's org; with `verify`, plans again and reports what is left. */
export async function runApply(
  session: Session,
  plan: Plan,
  options: RunApplyOptions,
): Promise<RunApplyResult> {
  const ids =
    options.planned?.ids ?? createIdMap(await readLiveState(session.client, new Set(plan.managedKinds)));
  const result = await applyPlan(
    plan,
    { client: session.client, adapters, ids, readLiveState },
    {
      ...options,
      ...(options.planned
        ? { fingerprints: options.planned.fingerprints }
        : session.fingerprints
          ? { fingerprints: session.fingerprints }
          : {}),
    },
  );
  if (!options.verify || result.status !== 'applied') return { result };
  if (!options.desired) return { result, verifyMismatches: await verifyPlanApplied(session, plan) };
  const again = await planAgainst(options.desired, session, { ...options.settings, rotateSecrets: false });
  return { result, verifyPlan: again.plan, verifyLive: again.live };
}

/**
 * Checks a saved plan against the org after applying it: each created or updated entity has the planned attributes
 * (and, for webhooks, a fingerprint of the planned secrets), each deleted one is gone. Used by `apply FILE --verify`,
 * where there are no files to plan from.
 */
export async function verifyPlanApplied(session: Session, plan: Plan): Promise<string[]> {
  // readLiveState reads the kinds a kind references whenever it reads it, so every key resolves.
  const live = await readLiveState(session.client, new Set(plan.managedKinds));
  const fingerprints = session.fingerprints ?? new FingerprintCache();
  const problems: string[] = [];
  for (const change of plan.changes) {
    const label = labelOf(change.kind, change.key);
    const found = live.resources[change.kind].get(change.key);
    if (change.type === 'delete') {
      if (found) problems.push(`${label} should be deleted but is still there (id ${found.live.id})`);
      continue;
    }
    if (!found) {
      problems.push(`${label} should exist but was not found`);
      continue;
    }
    const fields = diffAttributes(change.kind, found.attributes, change.desired.attributes);
    if (fields.length > 0) {
      problems.push(`${label} differs from the plan in ${fields.map((f) => f.field).join(', ')}`);
    }
    const material = fingerprintMaterial(change.desired);
    if (material) {
      if (!(await fingerprints.matches(found.live.secretFingerprint, material)))
        problems.push(`${label} does not carry the planned secrets' fingerprint`);
    }
  }
  return problems;
}

/** A saved plan runs only against the org it was made for. */
export function assertSameTarget(planned: TargetDescription, actual: TargetDescription): void {
  const same =
    planned.type === actual.type &&
    planned.orgId === actual.orgId &&
    (planned.type === 'local-emulator' && actual.type === 'local-emulator'
      ? planned.statePath === actual.statePath
      : planned.baseUrl === actual.baseUrl);
  if (!same) {
    throw new TargetError(
      'plan_target_mismatch',
      `the saved plan was made for ${describeTarget(planned)}, but the target is ${describeTarget(actual)}; ` +
        'set the same target, or plan again',
      { planned: describeTarget(planned), actual: describeTarget(actual) },
    );
  }
}
