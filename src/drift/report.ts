import type { Json } from '../model/errors.js';
import type { Kind } from '../model/kinds.js';
import type { LinkHealth } from '../model/link-health.js';
import type { SourceRef } from '../model/resource.js';
import type { TargetDescription } from '../model/target.js';

/**
 * The drift report: what differs between the files and the live org, one item per difference. Its JSON form
 * (`drift --format json`, `drift --out FILE`) is this object as is; schemas/drift-report.schema.json describes it.
 */

/** The classes of drift, in the order reports show them. */
export const DRIFT_CLASSES = ['modified', 'unmanaged', 'missing', 'secret', 'disabled'] as const;
/**
 * - `modified`: a managed entity whose live attributes differ from the files;
 * - `unmanaged`: a live entity of a managed kind that no file declares and no `ignore` covers;
 * - `missing`: declared in the files, absent from m3ter;
 * - `secret`: a webhook whose live secret no longer matches the files (fingerprint changed or gone);
 * - `disabled`: a link the files declare active that m3ter holds disabled (m3ter disables a link whose deliveries
 *   keep failing), with what m3ter's integration runs say about it.
 */
export type DriftClass = (typeof DRIFT_CLASSES)[number];

/**
 * Which side moved since the apply named by `drift --since RECORD`: `m3ter` (someone changed the org: see
 * `lastModifiedBy`), `files` (the files changed and were not applied), `both`, or `unknown` (no record, the kind was
 * not managed by that apply, or the record cannot tell).
 */
export type DriftDirection = 'm3ter' | 'files' | 'both' | 'unknown';

/** One differing field of a `modified` item; never a secret. */
export interface DriftField {
  field: string;
  live: Json;
  desired: Json;
}

export interface DriftItem {
  kind: Kind;
  key: string;
  class: DriftClass;
  /** `modified` only: field by field, live against desired, in the kind's display order. */
  fields?: DriftField[];
  /** `secret` only: the live fingerprint was made from other secrets (`changed`) or there is none (`absent`). */
  fingerprint?: 'changed' | 'absent';
  /** `disabled` only: the last failed run m3ter lists for the link, and how to re-enable it. */
  health?: LinkHealth;
  /** `unmanaged` only: the entity is a copy of the declared one with this key (two applies raced). */
  duplicateOf?: string;
  /** The live entity's id; `null` for `missing`. */
  id: string | null;
  /** Who last changed the live entity, as m3ter names them; `null` for `missing` or when m3ter does not say. */
  lastModifiedBy: string | null;
  dtLastModified: string | null;
  direction: DriftDirection;
  /** Where the files declare it (`modified`, `missing`, `secret`). */
  source?: SourceRef;
  /** With `--previous`: `new` since that report, or `ongoing` (the same kind, key and class were in it). */
  status?: 'new' | 'ongoing';
}

/** An item of the previous report that is no longer there (with `--previous`). */
export interface ResolvedItem {
  kind: Kind;
  key: string;
  class: DriftClass;
}

export interface DriftReport {
  /** Version of this JSON form; bumped on any breaking change. */
  formatVersion: 1;
  target: TargetDescription;
  drifted: boolean;
  /** Kinds compared (declared in the files and read). */
  managedKinds: Kind[];
  summary: Record<DriftClass, number>;
  /** The apply record directions were judged against (`--since`), or `null`. */
  since: { appliedAt: string; entities: number } | null;
  /** Sorted by class, then kind (level order), then key. */
  items: DriftItem[];
  /** With `--previous`: items of that report that are gone now. */
  resolved?: ResolvedItem[];
  /** With `--previous`: true when an item is new or resolved, i.e. when a job should notify. */
  changedSincePrevious?: boolean;
}

export function emptySummary(): Record<DriftClass, number> {
  return { modified: 0, unmanaged: 0, missing: 0, secret: 0, disabled: 0 };
}
