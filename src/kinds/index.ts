import { KINDS, type Kind } from '../model/kinds.js';
import type { LiveMeta, Resource } from '../model/resource.js';
import type { Secret } from '../model/secret.js';
import { credential } from './credential.js';
import { integration } from './integration.js';
import { link } from './link.js';
import { notificationRule } from './notification-rule.js';
import type { KindSpec, ReferenceSpec } from './spec.js';
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
 * - its references: which attribute names an entity of another kind, and where m3ter keeps that entity's id.
 *   A referenced kind always sits at a lower level than the kind referencing it (a test checks this).
 */

export type {
  ApiIdentity,
  KeyField,
  KindSpec,
  ReferenceIdField,
  ReferenceSpec,
  TerraformSpec,
  TerraformValue,
} from './spec.js';
export { credentialKey, credentialReference } from './credential.js';
export { integrationKey } from './integration.js';
export { isLinkEntityType, LINK_IDENTITY, linkKey } from './link.js';

/** Every kind's module, assembled: exhaustive over Kind, so a kind without one does not compile. */
export const KIND_SPECS = {
  credential,
  integration,
  webhook,
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

/** A reference to an entity of `kind` as people write it in the files. */
export function writtenReference(kind: Kind, key: string): string {
  return specOf(kind).writtenKey?.(key) ?? key;
}

/** Whether m3ter keeps a fingerprint of the kind's secrets, so a changed secret is seen (a capability). */
export function fingerprintsSecrets(kind: Kind): boolean {
  return specOf(kind).fingerprintedSecrets === true;
}

/** Whether the kind's secret fields depend on its attributes: re-sent with any change, as nothing fingerprints them. */
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
