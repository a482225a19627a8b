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
  scheduledEvent: 1,
  notificationRule: 2,
  link: 3,
} as const satisfies Record<Kind, number>;

/** The references table. */
export const REFERENCES = {
  credential: [],
  webhook: [],
  scheduledEvent: [],
  notificationRule: [
    {
      attribute: 'eventName',
      kind: 'scheduledEvent',
      by: 'key',
      prefix: 'scheduled.',
      optional: true,
      drawn: 'from',
    },
  ],
  link: [
    {
      attribute: 'rule',
      kind: 'notificationRule',
      by: 'id',
      idField: 'entityId',
      apiField: 'entityId',
      optional: false,
      drawn: 'from',
    },
    {
      attribute: 'webhook',
      kind: 'webhook',
      by: 'id',
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
      by: 'id',
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
  scheduledEvent: {
    kind: 'scheduledEvent',
    section: 'scheduledEvents',
    label: 'scheduled event',
    keyDescription: '`name` (`scheduled.<entity>.<custom name>`, the `eventName` of the rules on it)',
    fieldOrder: ['name', 'entity', 'field', 'offset'],
    secretFields: [],
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

/**
 * Where m3ter's rules for scheduled events are unknown, one named option each:
 * - `offset`: m3ter documents it as days after the date field, with no range. `atLeastOne` (the default, as the
 *   community provider validates) refuses 0 and negative offsets in the files; `anyWholeNumber` sends them to m3ter.
 * - `entity` and `field`: m3ter decides which exist, and publishes no list, so the files are checked for their shape
 *   only (the schema's patterns); `shapeOnly` is the one choice.
 */
export const SCHEDULED_EVENT_RULES: {
  readonly offset: 'atLeastOne' | 'anyWholeNumber';
  readonly entityAndField: 'shapeOnly';
} = { offset: 'atLeastOne', entityAndField: 'shapeOnly' };

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

/** The references of a kind that m3ter stores as ids: what reading the kind must resolve to keys. */
export function idReferencesOf(kind: Kind): readonly IdReferenceSpec[] {
  return ID_REFERENCES[kind];
}

const ID_REFERENCES: Readonly<Record<Kind, readonly IdReferenceSpec[]>> = mapKinds((k) =>
  referencesOf(k).filter((ref): ref is IdReferenceSpec => ref.by === 'id'),
);

/**
 * `kinds` plus every kind they reference by id, transitively: what must be read to resolve their ids to keys. A
 * reference by key needs no read to resolve (see {@link kindsNamedByKey}).
 */
export function withReferencedKinds(kinds: Iterable<Kind>): Set<Kind> {
  const out = new Set<Kind>();
  const visit = (k: Kind): void => {
    if (out.has(k)) return;
    out.add(k);
    for (const ref of idReferencesOf(k)) visit(ref.kind);
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

/**
 * The referenced key an attribute holds: `null` for an optional reference left empty, and for a value a reference
 * by key does not take as one (an `eventName` that is not a scheduled event's).
 */
export function referencedKey(attributes: object, ref: ReferenceSpec): string | null {
  const v = (attributes as Record<string, unknown>)[ref.attribute];
  if (typeof v !== 'string') return null;
  return ref.by === 'key' && !v.startsWith(ref.prefix) ? null : v;
}

/** The id m3ter stores for a reference of a live entity (none for a reference by key). */
export function referencedId(live: LiveMeta, ref: ReferenceSpec): string | undefined {
  return ref.by === 'id' ? live[ref.idField] : undefined;
}

/** Whether a live entity points at `target` through `ref`: by its key for a reference by key, else by its id. */
export function refersTo(
  referrer: { attributes: object; live: LiveMeta },
  ref: ReferenceSpec,
  target: { key: string; id: string },
): boolean {
  return ref.by === 'key'
    ? referencedKey(referrer.attributes, ref) === target.key
    : referencedId(referrer.live, ref) === target.id;
}

/**
 * The kinds these resources name by key (a rule's scheduled event): a plan reads them to check that what is named
 * exists, declared or live. A state whose resources name none needs none of them read.
 */
export function kindsNamedByKey(resources: Iterable<{ kind: Kind; attributes: object }>): Set<Kind> {
  const out = new Set<Kind>();
  for (const r of resources)
    for (const ref of referencesOf(r.kind))
      if (ref.by === 'key' && !out.has(ref.kind) && referencedKey(r.attributes, ref) !== null)
        out.add(ref.kind);
  return out;
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
