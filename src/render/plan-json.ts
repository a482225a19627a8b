import type { Json } from '../model/errors.js';
import type { Kind } from '../model/kinds.js';
import type { Change, FieldChange, Plan, PlanSummary, UnsafeReason } from '../model/plan.js';
import type { LiveMeta, Resource, SourceRef } from '../model/resource.js';
import type { TargetDescription } from '../model/target.js';
import { canonicalJson } from './canonical-json.js';

/**
 * The JSON form of a plan (`--format json`, saved plans). Documented in docs/plan-json.md; `formatVersion` is
 * bumped on any breaking change. It carries everything apply needs to run the plan without the files: the full
 * desired attributes, the environment variable of each secret (never its value) and the source of each create and
 * update, and the pinned id, version and live meta of each update and delete.
 */
export interface PlanJson {
  formatVersion: 1;
  target: TargetDescription;
  managedKinds: Kind[];
  allowDeletes: boolean;
  summary: PlanSummary;
  changes: ChangeJson[];
  unsafe: UnsafeReason[];
}

export interface SecretRefJson {
  sensitive: true;
  /** The environment variable apply reads the value from. */
  env: string;
}

export interface DesiredJson {
  attributes: Record<string, Json>;
  /** By secret field name (`apiKey`, `secret`, `password`, ...); `{}` when the resource has none. */
  secrets: Record<string, SecretRefJson>;
  source: SourceRef;
}

/** Live meta minus the webhook secret fingerprint, which apply does not need and a plan file should not spread. */
export type LiveMetaJson = Omit<LiveMeta, 'secretFingerprint'>;

export interface LiveJson {
  attributes: Record<string, Json>;
  meta: LiveMetaJson;
}

export interface CreateChangeJson {
  action: 'create';
  kind: Kind;
  key: string;
  desired: DesiredJson;
}

export interface UpdateChangeJson {
  action: 'update';
  kind: Kind;
  key: string;
  id: string;
  version: number;
  fields: FieldChange[];
  desired: DesiredJson;
  live: LiveJson;
}

export interface DeleteChangeJson {
  action: 'delete';
  kind: Kind;
  key: string;
  id: string;
  version: number;
  live: LiveJson;
}

export type ChangeJson = CreateChangeJson | UpdateChangeJson | DeleteChangeJson;

function attributesJson(r: Resource): Record<string, Json> {
  return structuredClone(r.attributes) as unknown as Record<string, Json>;
}

function desiredJson(r: Resource & { source: SourceRef }): DesiredJson {
  const secrets: Record<string, SecretRefJson> = {};
  for (const [field, secret] of Object.entries(r.secrets ?? {}))
    secrets[field] = { sensitive: true, env: secret.env };
  return { attributes: attributesJson(r), secrets, source: { ...r.source } };
}

function liveJson(r: Resource & { live: LiveMeta }): LiveJson {
  const { secretFingerprint: _omitted, ...meta } = r.live;
  return { attributes: attributesJson(r), meta };
}

function fieldJson(f: FieldChange): FieldChange {
  return { field: f.field, from: structuredClone(f.from), to: structuredClone(f.to) };
}

export function changeToJson(c: Change): ChangeJson {
  switch (c.type) {
    case 'create':
      return { action: 'create', kind: c.kind, key: c.key, desired: desiredJson(c.desired) };
    case 'update':
      return {
        action: 'update',
        kind: c.kind,
        key: c.key,
        id: c.id,
        version: c.version,
        fields: c.fields.map(fieldJson),
        desired: desiredJson(c.desired),
        live: liveJson(c.live),
      };
    case 'delete':
      return {
        action: 'delete',
        kind: c.kind,
        key: c.key,
        id: c.id,
        version: c.version,
        live: liveJson(c.live),
      };
  }
}

/** The plain-data JSON form of a plan; contains no Secret objects and no secret values. */
export function planToJson(plan: Plan): PlanJson {
  return {
    formatVersion: plan.formatVersion,
    target: { ...plan.target },
    managedKinds: [...plan.managedKinds],
    allowDeletes: plan.allowDeletes,
    summary: { ...plan.summary },
    changes: plan.changes.map(changeToJson),
    unsafe: plan.unsafe.map((u) => structuredClone(u)),
  };
}

/** Canonical JSON of the plan (sorted keys, no whitespace): the form saved plans and their checksums use. */
export function serializePlan(plan: Plan): string {
  return canonicalJson(planToJson(plan));
}

/** The same document, indented for people and diff tools, with a final newline. */
export function renderPlanJson(plan: Plan): string {
  return `${canonicalJson(planToJson(plan), 2)}\n`;
}
