import { KINDS, type Kind } from '../model/kinds.js';
import type { LiveMeta, Resource } from '../model/resource.js';
import type { Secret } from '../model/secret.js';
import { credential } from './credential.js';
import { integration } from './integration.js';
import { link } from './link.js';
import { notificationRule } from './notification-rule.js';
import { scheduledEvent } from './scheduled-event.js';
import type { IdReferenceSpec, KindSpec, ReferenceSpec } from './spec.js';
import { webhook } from './webhook.js';

/**
 * The kind registry: everything m3ter-config knows about a kind that is not I/O, one module per kind (credential.ts,
 * webhook.ts, ...), assembled here. Reading live state, id maps, reference safety, reference resolution in apply, the
 * current-plan check, loading, rendering, export and import are driven by it. Each layer's per-kind part sits in that
 * layer, in a table typed `{ [K in Kind]: ... }` (live/adapters.ts, load/declare-kinds.ts, load/synth-kinds.ts,
 * emit/entry-kinds.ts, emit/tf-json-kinds.ts, emit/stack-kinds.ts), so a kind missing anywhere is a compile error.
 *
 * Two facts of each kind order and connect them, as decK declares its levels:
 * - its level: creates and updates run top-down, deletes bottom-up;
 * - its references: which attribute names an entity of another kind, and how m3ter keeps it (its id, or its key).
 *   A referenced kind always sits at a lower level than the kind referencing it (a test checks this).
 */

export type {
  ApiIdentity,
  IdReferenceSpec,
  KeyField,
  KeyReferenceSpec,
  KindSpec,
  ReferenceIdField,
  ReferenceSpec,
  TerraformSpec,
  TerraformValue,
} from './spec.js';
export { credentialKey, credentialReference } from './credential.js';
export { integrationKey } from './integration.js';
export { isLinkEntityType, LINK_IDENTITY, linkKey } from './link.js';
export { SCHEDULED_EVENT_RULES } from './scheduled-event.js';

/** Every kind's module, assembled: exhaustive over Kind, so a kind without one does not compile. */
export const KIND_SPECS = {
  credential,
  integration,
  webhook,
  scheduledEvent,
  notificationRule,
  link,
} as const satisfies { [K in Kind]: KindSpec<K> };

/** Level of each kind: lower levels are created first and deleted last. */
export const LEVEL: Readonly<Record<Kind, number>> = mapKinds((k) => KIND_SPECS[k].level);

/** The references table. */
export const REFERENCES: Readonly<Record<Kind, readonly ReferenceSpec[]>> = mapKinds(
  (k) => KIND_SPECS[k].references,
);

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

/** The key of an entity m3ter holds without a usable natural key: it can still be reported and deleted. */
export function idKey(id: string): string {
  return `id:${id}`;
}

export function isIdKey(key: string): boolean {
  return key.startsWith('id:');
}

/** A kind's module seen without its kind's own types, for generic code. */
export type AnyKindSpec = Omit<KindSpec, 'fieldOrder' | 'secretFieldsOf'> & {
  readonly fieldOrder: readonly string[];
  readonly secretFieldsOf?: (attributes: never) => readonly string[];
};

export function specOf(kind: Kind): AnyKindSpec {
  return KIND_SPECS[kind];
}

/** The secret fields a resource of its kind carries, given its attributes. */
export function secretFieldsOf(resource: Pick<Resource, 'kind' | 'attributes'>): readonly string[] {
  const of = specOf(resource.kind).secretFieldsOf as ((attributes: unknown) => readonly string[]) | undefined;
  return of ? of(resource.attributes) : specOf(resource.kind).secretFields;
}

/** The Terraform attribute holding a kind's key, where its key is one field (`name` of a scheduled event). */
export function keyAttributeOf(kind: Kind): string | undefined {
  const field = specOf(kind).keyField?.field;
  return Object.entries(specOf(kind).terraform.attributes).find(([, v]) => v === field)?.[0];
}

/** A reference to an entity of `kind` as people write it in the files. */
export function writtenReference(kind: Kind, key: string): string {
  return specOf(kind).writtenKey?.(key) ?? key;
}

/** Whether m3ter keeps a fingerprint of the kind's secrets, so a changed secret is seen (a capability). */
export function fingerprintsSecrets(kind: Kind): boolean {
  return specOf(kind).fingerprintedSecrets === true;
}

/** Whether the kind's secret fields depend on its attributes: re-sent with any change, as nothing fingerprints them. */
/** Whether m3ter disables entities of the kind by itself (a link after failed deliveries). */
export function disabledByM3ter(kind: Kind): boolean {
  return specOf(kind).disabledByM3ter === true;
}

/** Whether the kind fires on an event type under a calculation (a notification rule). */
export function firesOnEvent(kind: Kind): boolean {
  return specOf(kind).firesOnEvent === true;
}

export function secretsByAttributes(kind: Kind): boolean {
  return specOf(kind).secretFieldsOf !== undefined;
}

/**
 * What a resource's secret fingerprint is made of, in order (model/fingerprint.ts): its secret fields' values.
 * `undefined` when its kind keeps no fingerprint or it carries no resolved secrets for every field. Every writer and
 * checker of fingerprints takes the material from here.
 */
export function fingerprintMaterial(resource: {
  kind: Kind;
  secrets?: Record<string, Secret>;
}): Secret[] | undefined {
  if (!fingerprintsSecrets(resource.kind)) return undefined;
  const fields = specOf(resource.kind).secretFields;
  const values = fields.map((f) => resource.secrets?.[f]);
  return values.every((v): v is Secret => v !== undefined) && values.length > 0 ? values : undefined;
}

function mapKinds<T>(f: (kind: Kind) => T): Record<Kind, T> {
  return Object.fromEntries(KINDS.map((k) => [k, f(k)])) as Record<Kind, T>;
}
