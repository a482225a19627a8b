/**
 * m3ter-config's programmatic API: what the CLI uses, for scripts and other tools.
 * Nothing here prints; errors are M3terConfigError subclasses with a stable `code`.
 */
export * from './model/index.js';
export { KIND_SPECS, kindsToRead, labelOf, LEVEL, REFERENCES } from './kinds/index.js';
export { validate, type ValidateOptions, type ValidateResult } from './workflow/validate.js';
export {
  findSecretMismatches,
  loadDesired,
  type PlanOutcome,
  type PlanSettings,
  planAgainst,
  resolveEnv,
} from './workflow/plan.js';
export { assertSameTarget, type RunApplyOptions, type RunApplyResult, runApply } from './workflow/apply.js';
export { EMBEDDED_STATE_FILE, openSession, type Session, type SessionOptions } from './workflow/session.js';
export { loadConfig, parseEnvFile } from './load/index.js';
export { createPlan, planIsEmpty, planIsUnsafe, type PlanOptions } from './plan/index.js';
export { renderPlan, serializePlan } from './render/plan.js';
export { renderIssues } from './render/issues.js';
export { adapters, createClient, readLiveState, resolveTarget } from './live/index.js';
export { applyPlan, checkPlanIsCurrent } from './apply/index.js';
export { startEmulator, type EmulatorOptions, type RunningEmulator } from './emulator/index.js';
