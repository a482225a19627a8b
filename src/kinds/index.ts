import { KINDS, type Kind } from '../model/kinds.js';
import type { AttributesByKind, LiveMeta } from '../model/resource.js';

/**
 * The kind registry: everything m3ter-config knows about a kind that is not I/O, described once. Reading live state,
 * id maps, reference safety, reference resolution in apply, the current-plan check, loading and rendering are driven
 * by these tables; the per-kind modules in load/ and live/ are exhaustive tables over `Kind` too, so a kind missing
 * anywhere is a compile error.
 *
 * Two declared tables order and connect the kinds, as decK declares its levels:
 * - LEVEL: creates and updates run top-down, deletes bottom-up;
 * - REFERENCES: which attribute of a kind names an entity of another kind, and where m3ter keeps that entity's id.
 *   A referenced kind always sits at a lower level than the kind referencing it (a test checks this).
 */

/** A reference from one kind to another. */
export interface ReferenceSpec {
  /** The attribute holding the referenced entity's key (desired: as written; live: the key its id resolves to). */
  readonly attribute: string;
  /** The kind referred to. */
  readonly kind: Kind;
  /** The LiveMeta field holding the referenced entity's id as m3ter stores it. */
  readonly idField: ReferenceIdField;
  /** m3ter's name of that id field, for messages. */
  readonly apiField: string;
  /** The attribute may be `null` (no reference). */
  readonly optional: boolean;
  /**
   * How a picture of the topology (render/graph/) draws it: `to` is an arrow from the referrer to the entity it
   * names (a link delivers to its webhook, an integration uses its credential); `from` is an arrow from the named
   * entity to the referrer (a rule fires through its links), so events read left to right.
   */
  readonly drawn: 'to' | 'from';
}

export type ReferenceIdField = 'entityId' | 'destinationId' | 'integrationCredentialsId';

export interface KindSpec<K extends Kind = Kind> {
  readonly kind: K;
  /** The key of the kind's section in the YAML files. */
  readonly section: string;
  /** How the kind is named to people (plan output, errors). */
  readonly label: string;
  /** How its natural key is made, for documentation and messages. */
  readonly keyDescription: string;
  /** The order attributes are shown in; attributes not listed follow in code-point order. */
  readonly fieldOrder: readonly (keyof AttributesByKind[K] & string)[];
  /**
   * The secret fields a desired resource carries (never in attributes). Credentials take theirs from the credential
   * type (model/credential-types.ts).
   */
  readonly secretFields: readonly string[] | 'by credential type';
}

/** Level of each kind: lower levels are created first and deleted last. */
export const LEVEL = {
  credential: 0,
  integration: 1,
  webhook: 1,
  notificationRule: 2,
  link: 3,
} as const satisfies Record<Kind, number>;

/** The references table. */
export const REFERENCES = {
  credential: [],
  webhook: [],
  notificationRule: [],
  link: [
    {
      attribute: 'rule',
      kind: 'notificationRule',
      idField: 'entityId',
      apiField: 'entityId',
      optional: false,
      drawn: 'from',
    },
    {
      attribute: 'webhook',
      kind: 'webhook',
      idField: 'destinationId',
      apiField: 'destinationId',
      optional: false,
      drawn: 'to',
    },
  ],
  integration: [
    {
      attribute: 'credential',
      kind: 'credential',
      idField: 'integrationCredentialsId',
      apiField: 'integrationCredentialsId',
      optional: true,
      drawn: 'to',
    },
  ],
} as const satisfies Record<Kind, readonly ReferenceSpec[]>;

export const KIND_SPECS = {
  credential: {
    kind: 'credential',
    section: 'credentials',
    label: 'integration credential',
    keyDescription: '`DESTINATION/name` (m3ter destination value, e.g. `STRIPE/prod`)',
    fieldOrder: ['name', 'destination', 'type', 'settings'],
    secretFields: 'by credential type',
  },
  webhook: {
    kind: 'webhook',
    section: 'webhooks',
    label: 'webhook',
    keyDescription: '`code` (derived from the name when absent)',
    fieldOrder: ['name', 'description', 'url', 'active', 'credentialType'],
    secretFields: ['apiKey', 'secret'],
  },
  notificationRule: {
    kind: 'notificationRule',
    section: 'notificationRules',
    label: 'notification rule',
    keyDescription: '`code`',
    fieldOrder: ['name', 'description', 'eventName', 'calculation', 'active', 'alwaysFireEvent'],
    secretFields: [],
  },
  link: {
    kind: 'link',
    section: 'links',
    label: 'link',
    keyDescription: '`rule->webhook` (the two codes)',
    fieldOrder: ['rule', 'webhook', 'active'],
    secretFields: [],
  },
  integration: {
    kind: 'integration',
    section: 'integrations',
    label: 'integration',
    keyDescription: '`entityType->destination`, then `/name` when the integration has a name',
    fieldOrder: ['entityType', 'destination', 'name', 'credential', 'configData', 'active'],
    secretFields: [],
  },
} as const satisfies { [K in Kind]: KindSpec<K> };

/** The key of each kind inside the YAML files. */
export const CONFIG_SECTION: Readonly<Record<Kind, string>> = mapKinds((k) => KIND_SPECS[k].section);

/** How a kind is named to people. */
export const KIND_LABEL: Readonly<Record<Kind, string>> = mapKinds((k) => KIND_SPECS[k].label);

/** Kinds in creation order (by level, then registry order). */
export const KINDS_TOP_DOWN: readonly Kind[] = [...KINDS].sort((a, b) => LEVEL[a] - LEVEL[b]);
/** Kinds in deletion order. */
export const KINDS_BOTTOM_UP: readonly Kind[] = [...KINDS_TOP_DOWN].reverse();

/** The one way an entity is named to people: `webhook "ops_alerts"`. */
export function labelOf(kind: Kind, key: string): string {
  return `${KIND_LABEL[kind]} ${JSON.stringify(key)}`;
}

/** The references a kind makes. */
export function referencesOf(kind: Kind): readonly ReferenceSpec[] {
  return REFERENCES[kind];
}

/** A kind that references `kind`, with the reference. */
export interface Referrer {
  readonly kind: Kind;
  readonly ref: ReferenceSpec;
}

const REFERRERS: Readonly<Record<Kind, readonly Referrer[]>> = mapKinds((target) =>
  KINDS.flatMap((kind) =>
    referencesOf(kind)
      .filter((ref) => ref.kind === target)
      .map((ref) => ({ kind, ref })),
  ),
);

/** The kinds (and their references) that point at `kind`: what must be checked before deleting one. */
export function referrersOf(kind: Kind): readonly Referrer[] {
  return REFERRERS[kind];
}

/** `kinds` plus every kind they reference, transitively: what must be read to resolve their ids to keys. */
export function withReferencedKinds(kinds: Iterable<Kind>): Set<Kind> {
  const out = new Set<Kind>();
  const visit = (k: Kind): void => {
    if (out.has(k)) return;
    out.add(k);
    for (const ref of referencesOf(k)) visit(ref.kind);
  };
  for (const k of kinds) visit(k);
  return out;
}

/**
 * The kinds to read for a set of managed kinds: the managed ones, the kinds that reference them (a delete of a
 * referenced entity is unsafe while something points at it), and everything those reference (to resolve ids).
 */
export function kindsToRead(managed: Iterable<Kind>): Set<Kind> {
  const kinds = new Set<Kind>(managed);
  for (const k of [...kinds]) for (const r of referrersOf(k)) kinds.add(r.kind);
  return withReferencedKinds(kinds);
}

/** The referenced key an attribute holds (`null` for an optional reference left empty). */
export function referencedKey(attributes: object, ref: ReferenceSpec): string | null {
  const v = (attributes as Record<string, unknown>)[ref.attribute];
  return typeof v === 'string' ? v : null;
}

/** The id m3ter stores for a reference of a live entity. */
export function referencedId(live: LiveMeta, ref: ReferenceSpec): string | undefined {
  return live[ref.idField];
}

/** The natural key of a link: the rule's code and the webhook's code. */
export function linkKey(ruleCode: string, webhookCode: string): string {
  return `${ruleCode}->${webhookCode}`;
}

/** The natural key of an integration credential: its destination system and name. */
export function credentialKey(destination: string, name: string): string {
  return `${destination}/${name}`;
}

/** The natural key of an integration: its entity type and destination, and its name when it has one. */
export function integrationKey(entityType: string, destination: string, name: string | null): string {
  return `${entityType}->${destination}${name ? `/${name}` : ''}`;
}

/** The key of an entity m3ter holds without a usable natural key: it can still be reported and deleted. */
export function idKey(id: string): string {
  return `id:${id}`;
}

export function isIdKey(key: string): boolean {
  return key.startsWith('id:');
}

function mapKinds<T>(f: (kind: Kind) => T): Record<Kind, T> {
  return Object.fromEntries(KINDS.map((k) => [k, f(k)])) as Record<Kind, T>;
}
