export {
  type ApplyDeps,
  type ApplyOptions,
  applyPlan,
  checkPlanTarget,
  applyResultError,
  movedError,
  refuseUnsafePlan,
} from './apply-plan.js';
export { type CheckDeps, checkPlanIsCurrent, type MovedEntity, type PlanCurrency } from './check-current.js';
export { isNotFound, isVersionConflict } from './conflict.js';
export { type Level, planLevels } from './levels.js';
export type {
  ApplyEvent,
  ApplyResult,
  ApplyStatus,
  ChangeAction,
  ChangeOutcome,
  Resolution,
} from './result.js';
