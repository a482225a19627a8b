/**
 * m3ter-config's programmatic API: load and validate config files, plan against an org, apply, render, and run the
 * emulator. Nothing here prints; errors are M3terConfigError subclasses with a stable `code`.
 * Every name exported here is documented in docs/api.md (a test keeps the two in step).
 */

// Load and validate
export { validate, type ValidateOptions, type ValidateResult } from './workflow/validate.js';
export {
  loadConfig,
  type LoadOptions as LoadConfigOptions,
  type LoadResult as LoadConfigResult,
  parseEnvFile,
} from './load/index.js';
export { loadDesired, type LoadOptions as LoadDesiredOptions, resolveEnv } from './workflow/plan.js';

// Targets
export { EMBEDDED_STATE_FILE, openSession, type Session, type SessionOptions } from './workflow/session.js';
export { describeTarget, type TargetDescription } from './model/target.js';

// Plan
export { type PlanOutcome, type PlanSettings, planAgainst } from './workflow/plan.js';
export { importOrg, type ImportOptions, type ImportOutcome } from './workflow/import.js';
export type { ImportedModel, ImportProblem } from './emit/index.js';
export { createPlan, planIsEmpty, planIsUnsafe, type PlanOptions } from './plan/index.js';
export {
  type Change,
  type CreateChange,
  type DeleteChange,
  type FieldChange,
  type Plan,
  type PlanSummary,
  summarize,
  type UnsafeReason,
  type UpdateChange,
} from './model/plan.js';

// Apply
export { assertSameTarget, type RunApplyOptions, type RunApplyResult, runApply } from './workflow/apply.js';
export type { ApplyEvent, ApplyOptions, ApplyResult, ApplyStatus, ChangeOutcome } from './apply/index.js';

// Drift
export {
  driftAgainst,
  type DriftSettings,
  readApplyRecord,
  readDriftReport,
  recordApply,
  writeApplyRecord,
} from './workflow/drift.js';
export {
  type ApplyRecord,
  compareWithPrevious,
  computeDrift,
  type DriftClass,
  type DriftDirection,
  type DriftItem,
  type DriftOptions,
  type DriftReport,
} from './drift/index.js';

// Render
export { renderPlan, serializePlan, type PlanFormat, type RenderPlanOptions } from './render/plan.js';
export { renderIssues, type RenderIssuesOptions } from './render/issues.js';
export { renderApplyEvent, renderApplyResult } from './render/apply.js';
export { type DriftFormat, renderDrift, type RenderDriftOptions } from './render/drift.js';

// Emulator
export { startEmulator, type EmulatorOptions, type RunningEmulator } from './emulator/index.js';

// Errors
export {
  ApiConnectionError,
  ApiError,
  ApplyError,
  ConfigError,
  InternalError,
  type Issue,
  type Json,
  M3terConfigError,
  OnlineCheckError,
  StalePlanError,
  TargetError,
  UnclearWriteError,
  UnsafePlanError,
} from './model/errors.js';

// The kinds and their registry
export { KINDS, type Kind } from './model/kinds.js';
export {
  KIND_LABEL,
  KIND_SPECS,
  type KindSpec,
  kindsToRead,
  labelOf,
  LEVEL,
  REFERENCES,
  type ReferenceSpec,
} from './kinds/index.js';

// Types of the model
export { Secret } from './model/secret.js';
export type { DesiredState, LiveState } from './model/state.js';
export type {
  CredentialAttributes,
  DesiredResource,
  IntegrationAttributes,
  LinkAttributes,
  LiveResource,
  NotificationRuleAttributes,
  Resource,
  SourceRef,
  WebhookAttributes,
} from './model/resource.js';

// Signed webhooks (also the dependency-free entry point `m3ter-config/signing`)
export {
  createReplayGuard,
  M3TER_HEADERS,
  M3TER_SIGNING_DEFAULTS,
  type RequestVerifyOptions,
  type SignOptions,
  SigningConfigError,
  signM3terRequest,
  type SigningScheme,
  type VerifyFailure,
  type VerifyOptions,
  type VerifyResult,
  verifyFetchRequest,
  verifyM3terRequest,
  verifyNodeRequest,
} from './signing/index.js';
