import {
  type ApplyRecord,
  compareWithPrevious,
  computeDrift,
  createApplyRecord,
  type DriftReport,
  markDisabledLinks,
} from '../drift/index.js';
import { readLiveState } from '../live/index.js';
import { type Issue, M3terConfigError } from '../model/errors.js';
import { FingerprintCache } from '../model/fingerprint.js';
import type { Plan } from '../model/plan.js';
import type { DesiredState, LiveState } from '../model/state.js';
import { describeTarget, type TargetDescription } from '../model/target.js';
import { documentValidator } from '../schema/validators.js';
import { disabledLinkHealth } from './link-health.js';
import { otherKeyNotes, readAgainst, unmatchedIgnoreWarnings } from './plan.js';
import type { Session } from './session.js';

/** An apply record or previous drift report that cannot be used: not JSON, another format, or another org. */
export class DriftInputError extends M3terConfigError {}

export interface DriftSettings {
  /** `--since RECORD`: the apply record (see {@link readApplyRecord}). */
  since?: ApplyRecord;
  /** `--previous REPORT`: an earlier drift report (see {@link readDriftReport}); `{items: []}` for none yet. */
  previous?: Pick<DriftReport, 'items'>;
}

/**
 * Reads the live org and reports its drift from the files. Sends only reads, the same ones `plan` sends (open the
 * session with `readOnly` so the embedded emulator writes no file either).
 */
export async function driftAgainst(
  desired: DesiredState,
  session: Session,
  settings: DriftSettings = {},
): Promise<{ report: DriftReport; live: LiveState; warnings: Issue[] }> {
  const target = session.target.description;
  if (settings.since) {
    assertRecordTarget(settings.since.target, target);
    assertRecordEnvironment(settings.since.environment?.name, desired.environment?.name);
  }
  const { live, checks } = await readAgainst(
    desired,
    session,
    session.fingerprints ?? new FingerprintCache(),
  );
  const secretMismatch = checks.mismatch;
  const health = await disabledLinkHealth(desired, live, session);
  let report = markDisabledLinks(
    computeDrift(desired, live, {
      target,
      secretMismatch,
      ...(settings.since ? { since: settings.since } : {}),
    }),
    health,
  );
  if (settings.previous) report = compareWithPrevious(report, settings.previous);
  return {
    report,
    live,
    warnings: [...unmatchedIgnoreWarnings(desired, live), ...otherKeyNotes(desired, checks)],
  };
}

/** Refuses an apply record of another org: drift checks it before it reads anything. */
export function assertRecordTarget(recorded: TargetDescription, actual: TargetDescription): void {
  if (recorded.type === actual.type && recorded.orgId === actual.orgId) return;
  throw new DriftInputError(
    'apply_record_target_mismatch',
    `the apply record was made for ${describeTarget(recorded)}, but the target is ${describeTarget(actual)}; ` +
      'give the record of an apply to this org',
    { recorded: describeTarget(recorded), actual: describeTarget(actual) },
  );
}

/**
 * Refuses an apply record made for another environment: its ids and versions belong to that environment's org, and
 * the files hold that environment's values. A record with no environment, or a run with none, is judged by org alone.
 */
export function assertRecordEnvironment(recorded: string | undefined, chosen: string | undefined): void {
  if (recorded === undefined || chosen === undefined || recorded === chosen) return;
  throw new DriftInputError(
    'apply_record_environment_mismatch',
    `the apply record was made for environment ${recorded}, but this run is for environment ${chosen}; ` +
      `give the record of an apply to ${chosen}, or run with --env ${recorded}`,
    { recorded, chosen },
  );
}

/**
 * The record of an apply that just finished, from the org as it is now: read again unless the caller has the
 * state read after the apply (apply --verify). Only reads.
 */
export async function recordApply(
  session: Session,
  plan: Plan,
  options: { desired?: DesiredState; after?: LiveState; now?: () => Date },
): Promise<ApplyRecord> {
  const after = options.after ?? (await readLiveState(session.client, new Set(plan.managedKinds)));
  return createApplyRecord(after, {
    target: session.target.description,
    appliedAt: (options.now ?? (() => new Date()))().toISOString(),
    managedKinds: plan.managedKinds,
    plan,
    ...(options.desired ? { desired: options.desired } : {}),
  });
}

function readDocument<T>(
  text: string,
  file: string,
  schema: Parameters<typeof documentValidator>[0],
  what: string,
  code: string,
): T {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new DriftInputError(code, `${file} is not JSON (${(error as Error).message}); give ${what}`, {
      file,
    });
  }
  const validate = documentValidator<T>(schema);
  if (!validate(doc)) {
    const first = validate.errors?.[0];
    const pointer = first?.instancePath || '/';
    throw new DriftInputError(
      code,
      `${file} is not ${what}: at ${pointer}, ${first?.message ?? 'unexpected shape'} (schemas/${schema})`,
      { file, pointer },
    );
  }
  return doc;
}

/** An apply record (`apply --record FILE`), checked against schemas/apply-record.schema.json. */
export function readApplyRecord(text: string, file: string): ApplyRecord {
  return readDocument<ApplyRecord>(
    text,
    file,
    'apply-record.schema.json',
    'an apply record (written by `apply --record FILE`)',
    'apply_record_invalid',
  );
}

/** A drift report (`drift --format json` or `drift --out FILE`), checked against schemas/drift-report.schema.json. */
export function readDriftReport(text: string, file: string): DriftReport {
  return readDocument<DriftReport>(
    text,
    file,
    'drift-report.schema.json',
    'a drift report (written by `drift --format json` or `drift --out FILE`)',
    'drift_report_invalid',
  );
}

/** The text of an apply record file. */
export function writeApplyRecord(record: ApplyRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}
