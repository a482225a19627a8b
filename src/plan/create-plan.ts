import { fingerprintsSecrets, secretsByAttributes, KINDS_BOTTOM_UP, KINDS_TOP_DOWN } from '../kinds/index.js';
import type { Kind } from '../model/kinds.js';
import type { Change, FieldChange, Plan, SecretReason } from '../model/plan.js';
import { summarize } from '../model/plan.js';
import type { DesiredResource, LiveResource } from '../model/resource.js';
import type { DesiredState, LiveState } from '../model/state.js';
import type { TargetDescription } from '../model/target.js';
import { compareStrings, diffAttributes } from './diff.js';
import { createIgnoreMatcher } from '../model/glob.js';
import { checkDeleteBudget, checkLinkedDeletes, type DeleteBudget } from './safety.js';
import { pushAll } from '../model/array.js';

export interface PlanOptions {
  target: TargetDescription;
  /** `--rotate-secrets`: re-send the secrets of every managed webhook, and of every managed credential that has any. */
  rotateSecrets: boolean;
  /**
   * Webhook keys whose live secret fingerprint does not match the files' secrets (or is missing). Computed before
   * planning by the workflow, since scrypt is async and the planner is synchronous and pure.
   */
  secretMismatch: ReadonlySet<string>;
  /**
   * Webhook keys whose live fingerprint matches the files' secrets but is of the old version 1: planned once as an
   * update labelled `fingerprint: m3cfg1 -> m3cfg2`, which re-sends the same secrets under a new fingerprint.
   */
  fingerprintUpgrade?: ReadonlySet<string>;
  /** See DeleteBudget; `{}` is the default (25% of live, once a kind has 8). */
  deleteBudget: DeleteBudget;
  /** `--allow-deletes`: lifts the delete budget (not `linked_delete`). */
  allowDeletes: boolean;
}

/** A secret re-send: shown, never with a value. */
export const SECRETS_FIELD_CHANGE: Readonly<FieldChange> = Object.freeze({
  field: 'secrets',
  from: { sensitive: true },
  to: { sensitive: true },
});

/** The one-time rewrite of a version-1 fingerprint (model/fingerprint.ts); the secrets themselves are unchanged. */
export const FINGERPRINT_UPGRADE_FIELD_CHANGE: Readonly<FieldChange> = Object.freeze({
  field: 'fingerprint',
  from: 'm3cfg1',
  to: 'm3cfg2 (one-time upgrade, same secrets)',
});

function byKey<T extends { key: string }>(a: T, b: T): number {
  return compareStrings(a.key, b.key);
}

function secretsReason(
  kind: Kind,
  desired: DesiredResource,
  live: LiveResource,
  options: PlanOptions,
  attributeChanges: number,
): SecretReason | undefined {
  // Secrets by attributes (credentials): write-only, and m3ter's credential API gives nowhere to keep a fingerprint,
  // so they are re-sent when asked to, and with any other change (a PUT replaces the whole credential, secrets
  // included; a new type may take new secrets): the plan says so rather than hide it.
  if (secretsByAttributes(kind)) {
    const send =
      (options.rotateSecrets || attributeChanges > 0) && Object.keys(desired.secrets ?? {}).length > 0;
    return send ? 'rotate' : undefined;
  }
  // Fingerprinted secrets (webhooks): the fingerprint in m3ter is checked before planning. No fingerprint at all: the
  // secrets were never written by m3ter-config (a webhook made in the Console, then imported), so this adopts them.
  if (!fingerprintsSecrets(kind)) return undefined;
  if (options.secretMismatch.has(desired.key))
    return live.live.secretFingerprint === undefined ? 'adopt' : 'changed';
  return options.rotateSecrets ? 'rotate' : undefined;
}

/**
 * Diffs the desired state against the live state. Pure and synchronous: no I/O, no clock, no randomness, and the
 * same inputs always give the same plan.
 *
 * Only kinds that are declared in the files (`desired.managedKinds`) and were read (`live.readKinds`) are compared.
 * Changes come in the order they run: creates and updates by level top-down, then deletes bottom-up; within a
 * kind, by key.
 */
export function createPlan(desired: DesiredState, live: LiveState, options: PlanOptions): Plan {
  const compared = KINDS_TOP_DOWN.filter((k) => desired.managedKinds.has(k) && live.readKinds.has(k));
  const comparedSet = new Set<Kind>(compared);

  const upserts: Change[] = [];
  for (const kind of compared) {
    const changes: Change[] = [];
    const liveByKey = live.resources[kind] as Map<string, LiveResource>;
    for (const want of desired.resources[kind].values() as Iterable<DesiredResource>) {
      const have = liveByKey.get(want.key);
      if (!have) {
        changes.push({ type: 'create', kind, key: want.key, desired: want });
        continue;
      }
      const fields = diffAttributes(kind, have.attributes, want.attributes);
      const reason = secretsReason(kind, want, have, options, fields.length);
      if (reason) fields.push({ ...SECRETS_FIELD_CHANGE, reason });
      else if (options.fingerprintUpgrade?.has(want.key) && fingerprintsSecrets(kind))
        fields.push({ ...FINGERPRINT_UPGRADE_FIELD_CHANGE });
      if (fields.length === 0) continue;
      changes.push({
        type: 'update',
        kind,
        key: want.key,
        id: have.live.id,
        version: have.live.version,
        desired: want,
        live: have,
        fields,
      });
    }
    pushAll(upserts, changes.sort(byKey));
  }

  const deletes: Change[] = [];
  for (const kind of KINDS_BOTTOM_UP) {
    if (!comparedSet.has(kind)) continue;
    const declared = desired.resources[kind];
    const ignored = createIgnoreMatcher(desired.ignore[kind] ?? []);
    const changes: Change[] = [];
    // Links keyed `id:<...>` (their rule or webhook could not be resolved) are never declared, so they land here.
    for (const have of live.resources[kind].values() as Iterable<LiveResource>) {
      if (declared.has(have.key) || ignored(have.key)) continue;
      // A copy of an ignored entity is left alone with it.
      if (have.live.duplicateOf !== undefined && ignored(have.live.duplicateOf)) continue;
      changes.push({
        type: 'delete',
        kind,
        key: have.key,
        id: have.live.id,
        version: have.live.version,
        live: have,
      });
    }
    pushAll(deletes, changes.sort(byKey));
  }

  const changes = [...upserts, ...deletes];
  const unsafe = [
    ...checkLinkedDeletes(changes, desired, live, comparedSet),
    ...(options.allowDeletes
      ? []
      : checkDeleteBudget(compared, changes, live, desired, options.deleteBudget)),
  ];
  return {
    formatVersion: 1,
    target: options.target,
    managedKinds: compared,
    changes,
    unsafe,
    allowDeletes: options.allowDeletes,
    summary: summarize(changes),
  };
}

/** True when the plan has nothing to do. */
export function planIsEmpty(plan: Plan): boolean {
  return plan.changes.length === 0;
}

/** An update whose only change is adopting secrets m3ter-config never wrote (what a plan right after import shows). */
export function isSecretAdoption(c: Change): boolean {
  return c.type === 'update' && c.fields.length === 1 && c.fields[0]?.reason === 'adopt';
}

/** True when a safety rule tripped; the CLI exits 3. */
export function planIsUnsafe(plan: Plan): boolean {
  return plan.unsafe.length > 0;
}
