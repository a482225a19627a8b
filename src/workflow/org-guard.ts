import type { LiveClient } from '../live/contract.js';
import { orgPath } from '../live/paths.js';
import type { OrgType } from '../live/target.js';
import type { EnvironmentStamp } from '../model/environment.js';
import type { Plan } from '../model/plan.js';
import { ApiError, UnsafePlanError } from '../model/errors.js';
import { isPlainObject } from '../model/object.js';

/**
 * The production guard: a run for an environment touches that environment's org only, and only when the org is of
 * the environment's kind; every apply to a `PRODUCTION` org that no one confirmed at a prompt names the org.
 *
 * m3ter tells the kind of an org in one place: `GET /organizations/{orgId}/users/me` answers `organization.type`.
 * Whether a service user may call it is not published, so an org whose kind cannot be read is refused for an
 * environment unless {@link UNKNOWN_ORG_TYPE} says to go on.
 */

/** The stable codes of a refusal. */
export type OrgGuardCode =
  'org_id_mismatch' | 'org_kind_mismatch' | 'org_kind_unknown' | 'production_unconfirmed';

/** A run refused because its target is not the org (or kind of org) it is meant for: exit 3, nothing written. */
export class OrgGuardError extends UnsafePlanError {
  declare readonly code: OrgGuardCode;
}

/** The one option that lets a run go on when `users/me` cannot be read (m3ter's permission for it is unknown). */
export const UNKNOWN_ORG_TYPE = {
  option: 'allow-unknown-org-type',
  variable: 'M3TER_CONFIG_ALLOW_UNKNOWN_ORG_TYPE',
} as const;

/** The option, and its variable, that names the `PRODUCTION` org an unprompted apply is meant for. */
export const CONFIRM_ORG = { option: 'confirm-org', variable: 'M3TER_CONFIG_CONFIRM_ORG' } as const;

/** Whether the flag or its variable (`1` or `true`) allows an org of unknown kind. */
export function allowsUnknownOrgType(
  flag: boolean | undefined,
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  if (flag) return true;
  const v = env['M3TER_CONFIG_ALLOW_UNKNOWN_ORG_TYPE']?.trim().toLowerCase();
  return v === '1' || v === 'true';
}

/** `--confirm-org`, else its variable; undefined when neither is set. */
export function confirmOrgOf(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const v = (flag ?? env['M3TER_CONFIG_CONFIRM_ORG'])?.trim();
  return v ? v : undefined;
}

/** What `users/me` said of the org's kind. */
export type OrgKindReading = { type: OrgType } | { type: 'unknown'; reason: string };

/** The org's kind from `users/me`: one GET, never throws (every failure is a reading of `unknown` with why). */
export async function readOrgKind(client: LiveClient): Promise<OrgKindReading> {
  const where = 'GET /users/me';
  try {
    const me = await client.get<unknown>(orgPath(client.orgId, 'users', 'me'), undefined, {
      notFound: 'throw',
    });
    const org = isPlainObject(me) ? me['organization'] : undefined;
    const type = isPlainObject(org) ? org['type'] : undefined;
    // The kind of another org (a proxy, a token of the wrong org, a server bug) says nothing of this one.
    const other = isPlainObject(org) ? otherOrgId(org, client.orgId) : undefined;
    if (other !== undefined)
      return { type: 'unknown', reason: `m3ter answered ${where} about ${other}, not org ${client.orgId}` };
    if (type === 'PRODUCTION' || type === 'SANDBOX') return { type };
    return {
      type: 'unknown',
      reason: `m3ter answered ${where} without organization.type PRODUCTION or SANDBOX`,
    };
  } catch (error) {
    if (error instanceof ApiError)
      return { type: 'unknown', reason: `m3ter answered ${error.status} to ${where}` };
    return {
      type: 'unknown',
      reason: `${where} failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/** What {@link guardedPlan} found besides the work's value. */
export interface OrgKindOutcome<T> {
  value: T;
  /** Set when `users/me` was read. */
  reading?: OrgKindReading;
  /** To show: the kind could not be read, and the run goes on. */
  warnings: string[];
}

/**
 * Runs `work` (the plan's reads) with `users/me` read beside it, not before it: the guard adds no round trip. The
 * kind is read for an environment, and with `always` (apply, which needs it for `--confirm-org`). A refusal wins over
 * whatever the work came to; nothing the work does writes.
 */
export async function guardedPlan<T>(
  client: LiveClient,
  input: { environment: EnvironmentStamp | undefined; allowUnknown: boolean; always?: boolean },
  work: () => Promise<T>,
): Promise<OrgKindOutcome<T>> {
  const kind = input.environment || input.always ? readOrgKind(client) : undefined;
  const running = work();
  if (!kind) return { value: await running, warnings: [] };
  running.catch(() => undefined); // awaited below, after the refusal (if any) is made
  const reading = await kind;
  const warnings = checkOrgKind(input.environment, reading, input.allowUnknown);
  return { value: await running, reading, warnings };
}

/** The plan with its environment and the kind of org seen, for the saved plan and the apply record. */
export function stampPlan<P extends Plan>(
  plan: P,
  environment: EnvironmentStamp | undefined,
  reading: OrgKindReading | undefined,
): P {
  return {
    ...plan,
    ...(environment ? { environment } : {}),
    ...(reading && reading.type !== 'unknown' ? { orgType: reading.type } : {}),
  };
}

/**
 * `apply PLANFILE` takes its environment from the plan; an `--env` (or M3TER_CONFIG_ENV) naming another is refused,
 * and so is one given for a plan made without environments.
 */
export function checkPlanEnvironment(
  planned: EnvironmentStamp | undefined,
  chosen: string | undefined,
): void {
  if (chosen === undefined || chosen === '' || chosen === planned?.name) return;
  throw new OrgGuardError(
    'plan_environment_mismatch',
    planned
      ? `the saved plan was made for environment ${planned.name}, not ${chosen}; nothing was sent. Apply it without --env (it takes ${planned.name}), or plan again with --env ${chosen}`
      : `the saved plan was made without an environment, so --env ${chosen} cannot apply it; nothing was sent. Plan again with --env ${chosen}`,
    { planned: planned?.name ?? null, chosen },
  );
}

/** The target's org id must be the environment's: refused before anything is read. */
export function checkOrgId(environment: EnvironmentStamp, orgId: string): void {
  if (orgId === environment.orgId) return;
  throw new OrgGuardError(
    'org_id_mismatch',
    `environment ${environment.name} is for org ${environment.orgId}, but the target is org ${orgId}; nothing was sent. ` +
      `Set the credentials of org ${environment.orgId} (or choose the environment of org ${orgId} with --env)`,
    { environment: environment.name, expectedOrgId: environment.orgId, actualOrgId: orgId },
  );
}

/**
 * The org's kind must agree with the environment's `production`. With an environment, a kind that cannot be read is
 * refused unless `allowUnknown`; without one, it is a warning (runs without environments go on as before).
 * Returns the warnings to show.
 */
export function checkOrgKind(
  environment: EnvironmentStamp | undefined,
  reading: OrgKindReading,
  allowUnknown: boolean,
): string[] {
  if (reading.type === 'unknown') {
    const said = `the kind of the org (PRODUCTION or SANDBOX) is not known: ${reading.reason}`;
    if (!environment)
      return [`${said}; an apply to a PRODUCTION org without a prompt needs --${CONFIRM_ORG.option}`];
    if (allowUnknown)
      return [`${said}; going on because of --${UNKNOWN_ORG_TYPE.option} (or ${UNKNOWN_ORG_TYPE.variable})`];
    throw new OrgGuardError(
      'org_kind_unknown',
      `${said}, so environment ${environment.name} (production: ${String(environment.production)}) cannot be checked against it; nothing was written. ` +
        `Give the service user access to GET /organizations/{orgId}/users/me, or pass --${UNKNOWN_ORG_TYPE.option} (or set ${UNKNOWN_ORG_TYPE.variable}=1) to go on without the check`,
      { environment: environment.name, production: environment.production, reason: reading.reason },
    );
  }
  if (!environment) return [];
  const wanted: OrgType = environment.production ? 'PRODUCTION' : 'SANDBOX';
  if (reading.type === wanted) return [];
  throw new OrgGuardError(
    'org_kind_mismatch',
    `environment ${environment.name} has production: ${String(environment.production)}, but org ${environment.orgId} is a ${reading.type} org; nothing was written. ` +
      `Fix the environment's orgId or production, or aim at its ${wanted} org`,
    { environment: environment.name, production: environment.production, orgType: reading.type },
  );
}

/**
 * The kind the confirmation goes by: as read, else (unreadable) what the environment says, else unknown. A saved
 * plan that saw a `PRODUCTION` org (`recorded`) is applied as to one, even when this run cannot read users/me (the
 * apply job's service user may lack the permission the plan job's had).
 */
export function effectiveOrgType(
  environment: EnvironmentStamp | undefined,
  reading: OrgKindReading,
  recorded?: OrgType,
): OrgType | undefined {
  if (recorded === 'PRODUCTION') return 'PRODUCTION';
  if (reading.type !== 'unknown') return reading.type;
  if (environment) return environment.production ? 'PRODUCTION' : 'SANDBOX';
  return undefined;
}

/**
 * An apply to a `PRODUCTION` org that no one confirmed at a prompt (`--auto-approve`, a saved plan) needs
 * `--confirm-org` equal to the target's org id, so a pipeline copied from a sandbox job cannot change production.
 */
export function checkConfirmOrg(input: {
  orgType: OrgType | undefined;
  orgId: string;
  confirmOrg: string | undefined;
}): void {
  if (input.orgType !== 'PRODUCTION' || input.confirmOrg === input.orgId) return;
  const given =
    input.confirmOrg === undefined
      ? 'no --confirm-org was given'
      : `--${CONFIRM_ORG.option} names org ${input.confirmOrg}`;
  throw new OrgGuardError(
    'production_unconfirmed',
    `org ${input.orgId} is a PRODUCTION org and ${given}; nothing was written. ` +
      `To apply without a prompt, pass --${CONFIRM_ORG.option} ${input.orgId} (or set ${CONFIRM_ORG.variable}=${input.orgId})`,
    { orgId: input.orgId, ...(input.confirmOrg !== undefined ? { confirmOrg: input.confirmOrg } : {}) },
  );
}

/** The org an answer's `organization` names (its `orgId`, else its `id`) when that is not `orgId`; shown short. */
function otherOrgId(org: Record<string, unknown>, orgId: string): string | undefined {
  const named = [org['orgId'], org['id']].filter((v) => v !== undefined && v !== null);
  if (named.length === 0 || named.includes(orgId)) return undefined;
  const first = named[0];
  return typeof first === 'string' && /^[\w-]{1,64}$/.test(first) ? `org ${first}` : 'another org';
}
