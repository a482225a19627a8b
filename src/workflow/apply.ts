import { applyPlan, type ApplyOptions, type ApplyResult } from '../apply/index.js';
import { adapters, createIdMap, readLiveState } from '../live/index.js';
import { TargetError } from '../model/errors.js';
import type { Kind } from '../model/kinds.js';
import type { Plan } from '../model/plan.js';
import type { DesiredState } from '../model/state.js';
import { describeTarget, type TargetDescription } from '../model/target.js';
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
  /** With verify: the plan made after the apply (empty when converged). */
  verifyPlan?: Plan;
}

/** Applies a plan to the session's org; with `verify`, plans again and reports what is left. */
export async function runApply(
  session: Session,
  plan: Plan,
  options: RunApplyOptions,
): Promise<RunApplyResult> {
  const ids = options.planned?.ids ?? createIdMap(await readLiveState(session.client, kindsForIds(plan)));
  const result = await applyPlan(
    plan,
    { client: session.client, adapters, ids, readLiveState },
    {
      ...options,
      ...(options.planned ? { fingerprints: options.planned.fingerprints } : {}),
    },
  );
  if (!options.verify || result.status !== 'applied' || !options.desired) return { result };
  const again = await planAgainst(options.desired, session, { ...options.settings, rotateSecrets: false });
  return { result, verifyPlan: again.plan };
}

/** Resolving link references needs the live webhooks and rules. */
function kindsForIds(plan: Plan): Set<Kind> {
  const kinds = new Set<Kind>(plan.managedKinds);
  if (plan.changes.some((c) => c.kind === 'link')) {
    kinds.add('webhook');
    kinds.add('notificationRule');
  }
  return kinds;
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
