import type { Json } from './errors.js';
import type { Kind } from './kinds.js';
import type { LinkHealth } from './link-health.js';
import type { DesiredResource, LiveResource } from './resource.js';
import type { EnvironmentStamp } from './environment.js';
import type { OrgType, TargetDescription } from './target.js';

/** One field's change. Secret fields show `{ sensitive: true }` on both sides, never a value. */
export interface FieldChange {
  /** Attribute name, or `secrets.<field>` for a secret. */
  field: string;
  from: Json | { sensitive: true };
  to: Json | { sensitive: true };
  /**
   * `secrets` only: why they are sent. `adopt`: m3ter-config never wrote this entity's secrets (no fingerprint, e.g.
   * right after `import`), so apply sends the files' values and records their fingerprint; `changed`: the files'
   * values differ from those last written; `rotate`: `--rotate-secrets`, or a credential re-sent with another change.
   */
  reason?: SecretReason;
}

export type SecretReason = 'adopt' | 'changed' | 'rotate';

export interface CreateChange<K extends Kind = Kind> {
  type: 'create';
  kind: K;
  key: string;
  desired: DesiredResource<K>;
}

export interface UpdateChange<K extends Kind = Kind> {
  type: 'update';
  kind: K;
  key: string;
  /** Pinned: the update is sent with this id and version, and m3ter rejects it if the version moved. */
  id: string;
  version: number;
  desired: DesiredResource<K>;
  live: LiveResource<K>;
  fields: FieldChange[];
  /** A link's re-enable (`active: false -> true`) of a link m3ter disabled: what m3ter's runs say about it. */
  health?: LinkHealth;
}

export interface DeleteChange<K extends Kind = Kind> {
  type: 'delete';
  kind: K;
  key: string;
  /** Pinned: the id and version seen when planning; apply re-checks the version before deleting. */
  id: string;
  version: number;
  live: LiveResource<K>;
}

/** A discriminated union on `type`. */
export type Change<K extends Kind = Kind> = CreateChange<K> | UpdateChange<K> | DeleteChange<K>;

/** Why a plan is refused unless the user says how to proceed. */
export interface UnsafeReason {
  /**
   * `linked_delete` (live entities that reference it, such as links to a webhook, are not deleted with it) or
   * `delete_budget`.
   */
  rule: 'linked_delete' | 'delete_budget';
  kind: Kind;
  message: string;
  /** How to proceed. */
  hint: string;
  /** For `linked_delete`: the live entities that still point at it. */
  referencedBy?: { kind: Kind; key: string }[];
  /** For `delete_budget`: the planned deletes, the live count and the budget. */
  deletes?: number;
  liveCount?: number;
  budget?: number;
}

export interface PlanSummary {
  create: number;
  update: number;
  delete: number;
}

export interface Plan {
  /** Version of the JSON form of a plan (`--format json`, `plan --out`). Bump on any breaking change. */
  formatVersion: 1;
  target: TargetDescription;
  /** Kinds that were compared; others were not touched. */
  managedKinds: Kind[];
  /** In the order they will run: creates and updates by level top-down, then deletes bottom-up. */
  changes: Change[];
  unsafe: UnsafeReason[];
  /** Deletes a user allowed past the budget, with `--allow-deletes`. */
  allowDeletes: boolean;
  summary: PlanSummary;
  /** The environment the plan was made for (`--env`); absent where the files declare no `environments:`. */
  environment?: EnvironmentStamp;
  /** The kind of org `users/me` answered when the plan was made; absent when it was not read or not known. */
  orgType?: OrgType;
}

export function summarize(changes: readonly Change[]): PlanSummary {
  const s: PlanSummary = { create: 0, update: 0, delete: 0 };
  for (const c of changes) s[c.type]++;
  return s;
}
