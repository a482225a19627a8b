import type { Kind } from '../model/kinds.js';
import type { AttributesByKind, LiveMeta } from '../model/resource.js';

/**
 * What a kind module states: its facts as data (section, key, level, label, references, attribute order, secret
 * fields, its Terraform mapping, what identifies it in m3ter's API) and the optional capabilities only some kinds
 * have. Generic code reads these instead of testing a kind's name.
 */

/** What every reference from one kind to another states. */
interface ReferenceBase {
  /** The attribute holding the referenced entity's key (desired: as written; live: the key its id resolves to). */
  readonly attribute: string;
  /** The kind referred to. */
  readonly kind: Kind;
  /** The attribute may be `null` (no reference). */
  readonly optional: boolean;
  /**
   * How a picture of the topology (render/graph/) draws it: `to` is an arrow from the referrer to the entity it
   * names (a link delivers to its webhook, an integration uses its credential); `from` is an arrow from the named
   * entity to the referrer (a rule fires through its links, a scheduled event fires its rules), so events read left
   * to right.
   */
  readonly drawn: 'to' | 'from';
}

/** A reference m3ter stores as the referenced entity's id: resolved through the id map, on reads and writes. */
export interface IdReferenceSpec extends ReferenceBase {
  readonly by: 'id';
  /** The LiveMeta field holding the referenced entity's id as m3ter stores it. */
  readonly idField: ReferenceIdField;
  /** m3ter's name of that id field, for messages. */
  readonly apiField: string;
}

/**
 * A reference m3ter stores as the referenced entity's key itself (a rule's `eventName` is a scheduled event's
 * `name`). Nothing is resolved, so writing the referrer needs no read of the named kind, and the entity named may be
 * one the files do not declare (a live one): the loader can judge it only when the named kind is managed, a plan
 * reads the named kind when a declared entity makes such a reference. Only values starting with `prefix` are
 * references; other values of the attribute name nothing.
 */
export interface KeyReferenceSpec extends ReferenceBase {
  readonly by: 'key';
  readonly prefix: string;
}

/** A reference from one kind to another. */
export type ReferenceSpec = IdReferenceSpec | KeyReferenceSpec;

export type ReferenceIdField = keyof LiveMeta & ('entityId' | 'destinationId' | 'integrationCredentialsId');

/**
 * How one Terraform attribute of the kind's resource is written and read:
 * - a string: the config field it holds (a plain value; strings as Terraform templates; a reference as
 *   `${<type>.<name>.id}` of the referenced kind's resource; a secret field as a sensitive variable);
 * - `identity`: the value of the kind's API identity field of that name (a link's `entity_type` is `Notification`);
 * - `jsonValues`: a map field whose values are each JSON-encoded (an integration's `config_data`);
 * - `block`: a nested block holding fields of a nested config object (a webhook's `credentials`).
 */
export type TerraformValue =
  | string
  | { readonly identity: string }
  | { readonly jsonValues: string }
  | { readonly block: string; readonly attributes: Readonly<Record<string, string>> };

export interface TerraformSpec {
  /** The resource type of m3ter's provider; absent when it has none (the kind is kept under the root `"//"`). */
  readonly resource?: string;
  /** Terraform attribute → how it is written, in the order written. */
  readonly attributes: Readonly<Record<string, TerraformValue>>;
  /**
   * Config fields the provider cannot set, kept under the resource's own `"//"."m3ter-config"`, with the value that
   * is left out (the default, or `null` for none).
   */
  readonly meta?: Readonly<Record<string, boolean | null>>;
}

/** What identifies a kind among the entities of an m3ter collection it shares with another kind. */
export interface ApiIdentity {
  /** The values it is written with (API field → value). */
  readonly values: Readonly<Record<string, string>>;
  /** Whether an entity read from m3ter (its fields by API name) is of this kind. */
  matches(field: (apiField: string) => unknown): boolean;
}

/** How an entity's key is made from its config entry, where a key is one field (a code). */
export interface KeyField {
  readonly field: string;
  /** Derived from this field (with model/code.ts) when the key field is absent. */
  readonly derivedFrom?: string;
}

export interface KindSpec<K extends Kind = Kind> {
  readonly kind: K;
  /** The key of the kind's section in the YAML files. */
  readonly section: string;
  /** How the kind is named to people (plan output, errors). */
  readonly label: string;
  /** How its natural key is made, for documentation and messages. */
  readonly keyDescription: string;
  /** What people call what its key is made of, in messages (`code`, `name`, ...). */
  readonly keyNoun: string;
  /**
   * Two keys that differ only in case are refused (they are almost always one entity written twice). Not for a key
   * made of other entities' keys, which are checked themselves.
   */
  readonly caseFoldedKey: boolean;
  /** Level: lower levels are created first and deleted last. */
  readonly level: number;
  /** The references it makes; a referenced kind always sits at a lower level (a test checks this). */
  readonly references: readonly ReferenceSpec[];
  /** The order attributes are shown in; attributes not listed follow in code-point order. */
  readonly fieldOrder: readonly (keyof AttributesByKind[K] & string)[];
  /** The fixed secret fields a desired resource carries (never in attributes). See the capabilities below. */
  readonly secretFields: readonly string[];
  /** Its Terraform mapping, for export and for reading synth output. */
  readonly terraform: TerraformSpec;

  // ---- optional capabilities ----
  /** The key is one field of the entry (not made of several). */
  readonly keyField?: KeyField;
  /**
   * m3ter keeps a fingerprint of the secret fields (in `secretFields` order, model/fingerprint.ts), so a changed secret
   * is seen by plan and drift.
   */
  readonly fingerprintedSecrets?: true;
  /**
   * The secret fields depend on the attributes (credentials: on the credential type). They are write-only with
   * nowhere to keep a fingerprint, so they are re-sent with any other change and on rotation.
   */
  readonly secretFieldsOf?: (attributes: AttributesByKind[K]) => readonly string[];
  /** How people write a reference to an entity of this kind in the files, when not as its key (`Stripe/prod`). */
  readonly writtenKey?: (key: string) => string;
  /**
   * m3ter disables an entity of this kind by itself after failed deliveries, and its integration runs say why: drift
   * reports one the files declare active as `disabled`, and plan labels its re-enable.
   */
  readonly disabledByM3ter?: true;
  /**
   * It fires on an event type (its `eventName`) under an optional `calculation`: plan and apply check both against
   * the org before any write.
   */
  readonly firesOnEvent?: true;
  /** What tells it apart in an m3ter collection it shares with another kind. */
  readonly identity?: ApiIdentity;
  /**
   * A variable name suggested for one of its secrets is its key then the field, without the kind's name (a
   * credential's key already names its destination); otherwise the kind's name sits between them.
   */
  readonly envNameWithoutKind?: true;
  /** A hint for an entry missing a required key, where the generic `add \`key: ...\`` says too little. */
  readonly requiredHint?: (missing: string, entry: Readonly<Record<string, unknown>>) => string | undefined;
}
