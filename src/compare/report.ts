import type { Json } from '../model/errors.js';
import type { Kind } from '../model/kinds.js';
import type { TargetDescription } from '../model/target.js';

/**
 * The comparison of two orgs (`compare --env A --env B`): what one org holds that the other does not, and the fields
 * that differ, for the kinds the files manage. Its JSON form (`compare --format json`) is this object as is;
 * schemas/compare.schema.json describes it and docs/compare-json.md explains it. Never holds a secret: secrets are
 * not compared.
 */

/** The classes of difference, in the order reports show them within a kind. */
export const COMPARE_CLASSES = ['only-in-a', 'only-in-b', 'differs'] as const;
/**
 * - `only-in-a` / `only-in-b`: an entity of a compared kind that one org holds and the other does not (and that no
 *   `ignore` pattern covers, and that is not declared for that org's environment only);
 * - `differs`: both hold it, and at least one field differs (see {@link CompareField}).
 */
export type CompareClass = (typeof COMPARE_CLASSES)[number];

/** One side of the comparison: the environment and the org it read. */
export interface CompareSideInfo {
  environment: string;
  target: TargetDescription;
}

/**
 * A field that differs, as `a` and `b` hold it. `expected` is set where the files write the field with a var whose
 * values differ between the two environments: it is a difference only because an org does not hold its own
 * environment's value, and `expected` says what each should hold.
 */
export interface CompareField {
  field: string;
  a: Json;
  b: Json;
  expected?: { a: Json; b: Json };
}

/** What m3ter says of an entity in one org; `null` on the side that does not hold it. */
export interface CompareLiveFacts {
  id: string;
  lastModifiedBy: string | null;
  dtLastModified: string | null;
  /** The entity is a copy of the one with this key (two applies raced). */
  duplicateOf?: string;
}

export interface CompareItem {
  kind: Kind;
  key: string;
  class: CompareClass;
  /** `differs` only: field by field, in the kind's display order. */
  fields?: CompareField[];
  a: CompareLiveFacts | null;
  b: CompareLiveFacts | null;
}

export interface CompareReport {
  /** Version of this JSON form; bumped on any breaking change. */
  formatVersion: 1;
  a: CompareSideInfo;
  b: CompareSideInfo;
  /** Whether anything differs: the CLI exits 2 when true. */
  differ: boolean;
  /** Kinds compared (managed by the files and read in both orgs), in level order. */
  comparedKinds: Kind[];
  /** Always false: secret values are never read, and m3ter's fingerprints cannot be compared across orgs. */
  secretsCompared: false;
  summary: {
    'only-in-a': number;
    'only-in-b': number;
    differs: number;
    /** Fields written with a var where each org holds its own environment's value: not differences. */
    varFieldsInOrder: number;
    /**
     * Entities only one environment's files declare (its `include`) that only that environment's org holds: not
     * differences.
     */
    oneEnvironmentEntities: number;
  };
  /** Sorted by kind (level order), then key. */
  items: CompareItem[];
}
