import {
  KIND_LABEL,
  keyAttributeOf,
  referencedKey,
  referencesOf,
  secretFieldsOf,
  specOf,
  type TerraformValue,
} from '../kinds/index.js';
import { findDestination } from '../model/credential-types.js';
import type { Json } from '../model/errors.js';
import type { Kind } from '../model/kinds.js';
import type { DesiredResource, LiveResource } from '../model/resource.js';
import type { Secret } from '../model/secret.js';
import { escapeTemplate } from '../model/tf-template.js';
import { type ConfigEntry, ENTRY_KINDS, type EntryOf } from './entry-kinds.js';

/**
 * emit/'s per-kind part for `export --format tf-json`: how each kind is written as Terraform JSON. A kind with a
 * resource in m3ter's provider is written from its Terraform mapping (kinds/), by `fromMapping`; credentials, which
 * the provider has no resource for, go under the root `"//"`. An exhaustive table over Kind.
 */

export type Obj = Record<string, unknown>;

/** What a kind's writer is given by tf-json.ts. */
export interface TfJsonContext {
  /** A sensitive variable for a secret, `${var.NAME}`. */
  secretVar(secret: Secret | undefined, what: string): string;
  /** The Terraform name of an entity, unique per resource type. */
  nameOf(type: string, key: string): string;
  /** Writes a resource, with m3ter-config's own values under its `"//"`. */
  put(type: string, r: DesiredResource, body: Obj, meta: Obj): void;
  /** Whether the state declares this entity (a reference by key to it is then written as a Terraform reference). */
  declared(kind: Kind, key: string): boolean;
  /** Writes under the root `"//"."m3ter-config"`, in a section of its own. */
  putRoot(section: string, name: string, value: Obj): void;
}

export type TfJsonWriter = (r: DesiredResource, ctx: TfJsonContext) => void;

/** Every plain string is written as a Terraform template that evaluates to it (`${` as `$${`, `%{` as `%%{`). */
const lit = escapeTemplate;
const plain = (v: unknown): unknown => (typeof v === 'string' ? lit(v) : v);

/** The resource's values in the config's shape, references as keys and secrets left to the writer. */
function entryOfDesired(r: DesiredResource): ConfigEntry {
  const entry = ENTRY_KINDS[r.kind].entry as EntryOf<Kind>;
  return entry(r as unknown as LiveResource, () => ({ env: '' }));
}

/** A kind with a resource in m3ter's provider, written from its Terraform mapping. */
export const fromMapping: TfJsonWriter = (r, ctx) => {
  const { terraform, identity } = specOf(r.kind);
  if (terraform.resource === undefined) throw new Error(`${KIND_LABEL[r.kind]} has no Terraform resource`);
  const entry = entryOfDesired(r);
  const secrets = new Set(secretFieldsOf(r));
  const value = (field: string, v: unknown): unknown => {
    if (secrets.has(field)) return ctx.secretVar(r.secrets?.[field], `${r.kind} ${r.key} ${field}`);
    if (v === null || v === undefined) return undefined;
    const ref = referencesOf(r.kind).find((x) => x.attribute === field);
    const type = ref && specOf(ref.kind).terraform.resource;
    if (ref === undefined || type === undefined || typeof v !== 'string') return plain(v);
    if (ref.by === 'id') return `\${${type}.${ctx.nameOf(type, v)}.id}`;
    // A reference by key to an entity of the state names its resource's key attribute, so Terraform creates it first.
    const attr = keyAttributeOf(ref.kind);
    if (attr === undefined || referencedKey(entry, ref) === null || !ctx.declared(ref.kind, v))
      return plain(v);
    return `\${${type}.${ctx.nameOf(type, v)}.${attr}}`;
  };
  const attribute = (spec: TerraformValue): unknown => {
    if (typeof spec === 'string') return value(spec, entry[spec]);
    if ('identity' in spec) return identity?.values[spec.identity];
    if ('jsonValues' in spec) {
      const map = (entry[spec.jsonValues] ?? {}) as Record<string, Json>;
      return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, lit(JSON.stringify(v))]));
    }
    const nested = (entry[spec.block] ?? {}) as Record<string, unknown>;
    const block: Obj = {};
    for (const [attr, field] of Object.entries(spec.attributes)) {
      const v = value(field, nested[field]);
      if (v !== undefined) block[attr] = v;
    }
    return block;
  };
  const body: Obj = {};
  for (const [attr, spec] of Object.entries(terraform.attributes)) {
    const v = attribute(spec);
    if (v !== undefined) body[attr] = v;
  }
  const meta: Obj = {};
  for (const [field, omitted] of Object.entries(terraform.meta ?? {})) {
    const v = entry[field];
    if (v !== undefined && v !== omitted) meta[field] = v;
  }
  ctx.put(terraform.resource, r, body, meta);
};

export const TF_JSON_KINDS: { readonly [K in Kind]: TfJsonWriter } = {
  credential: (r, ctx) => {
    const a = (r as DesiredResource<'credential'>).attributes;
    const fields: Obj = Object.fromEntries(Object.entries(a.settings).map(([k, v]) => [k, plain(v)]));
    for (const [field, secret] of Object.entries(r.secrets ?? {}))
      fields[field] = ctx.secretVar(secret, `credential ${r.key} ${field}`);
    ctx.putRoot('credentials', ctx.nameOf('credential', r.key), {
      path: `${KIND_LABEL.credential} ${r.key}`,
      source: `${r.source.file}:${r.source.line}:${r.source.col}`,
      name: lit(a.name),
      destination: lit(findDestination(a.destination)?.label ?? a.destination),
      type: lit(a.type),
      fields: sortKeys(fields),
    });
  },
  integration: fromMapping,
  webhook: fromMapping,
  scheduledEvent: fromMapping,
  notificationRule: fromMapping,
  link: fromMapping,
};

export function sortKeys(o: Obj): Obj {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
