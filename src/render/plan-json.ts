import type { Kind } from '../model/kinds.js';
import {
  type Change,
  type CreateChange,
  type DeleteChange,
  type UpdateChange,
  type FieldChange,
  type Plan,
  type PlanSummary,
  summarize,
  type UnsafeReason,
} from '../model/plan.js';
import type {
  AttributesByKind,
  DesiredResource,
  LiveMeta,
  LiveResource,
  SourceRef,
} from '../model/resource.js';
import type { Secret } from '../model/secret.js';
import type { EnvironmentStamp } from '../model/environment.js';
import type { OrgType, TargetDescription } from '../model/target.js';
import { redactUrlsIn } from '../model/redact.js';
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
  environment?: EnvironmentStamp;
  orgType?: OrgType;
}

/** A secret in a plan file: the variable to read it from, never its value (a pending secret, not a Secret). */
export interface SecretRefJson {
  sensitive: true;
  /** The environment variable apply reads the value from. */
  env: string;
}

export interface DesiredJson<K extends Kind = Kind> {
  attributes: AttributesByKind[K];
  /** By secret field name (`apiKey`, `secret`, `password`, ...); `{}` when the resource has none. */
  secrets: Record<string, SecretRefJson>;
  source: SourceRef;
}

/** Live meta minus the webhook secret fingerprint, which apply does not need and a plan file should not spread. */
export type LiveMetaJson = Omit<LiveMeta, 'secretFingerprint'>;

export interface LiveJson<K extends Kind = Kind> {
  attributes: AttributesByKind[K];
  meta: LiveMetaJson;
}

/** The JSON form of each change: the model's change with `type` named `action`, its resources in JSON form. */
export type CreateChangeJson<K extends Kind = Kind> = Omit<CreateChange<K>, 'type' | 'desired'> & {
  action: 'create';
  desired: DesiredJson<K>;
};
export type UpdateChangeJson<K extends Kind = Kind> = Omit<UpdateChange<K>, 'type' | 'desired' | 'live'> & {
  action: 'update';
  desired: DesiredJson<K>;
  live: LiveJson<K>;
};
export type DeleteChangeJson<K extends Kind = Kind> = Omit<DeleteChange<K>, 'type' | 'live'> & {
  action: 'delete';
  live: LiveJson<K>;
};

export type ChangeJson<K extends Kind = Kind> =
  CreateChangeJson<K> | UpdateChangeJson<K> | DeleteChangeJson<K>;

function desiredJson(r: DesiredResource): DesiredJson {
  const secrets: Record<string, SecretRefJson> = {};
  for (const [field, secret] of Object.entries(r.secrets ?? {}))
    secrets[field] = { sensitive: true, env: secret.env };
  return { attributes: structuredClone(r.attributes), secrets, source: { ...r.source } };
}

// Live values are shown, never sent (apply sends the desired attributes and pins ids and versions), so a URL's user
// info from m3ter is masked here, the one place plan JSON and saved plans are made; desired values stay exact.
function liveJson(r: LiveResource): LiveJson {
  const { secretFingerprint: _omitted, ...meta } = r.live;
  return { attributes: redactUrlsIn(structuredClone(r.attributes)), meta };
}

function fieldJson(f: FieldChange): FieldChange {
  return {
    field: f.field,
    from: redactUrlsIn(structuredClone(f.from)),
    to: redactUrlsIn(structuredClone(f.to)),
    ...(f.reason ? { reason: f.reason } : {}),
  };
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
        ...(c.health ? { health: structuredClone(c.health) } : {}),
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

// --- back from JSON: the reader beside the writer ------------------------------------------------------------

/** Turns a secret reference of a plan file into a Secret, or `undefined` when its variable is not set. */
export type SecretResolver = (ref: SecretRefJson) => Secret | undefined;

function desiredFrom(
  kind: Kind,
  key: string,
  d: DesiredJson,
  resolve: SecretResolver,
  missing: Set<string>,
): DesiredResource {
  const secrets: Record<string, Secret> = {};
  for (const [field, ref] of Object.entries(d.secrets)) {
    const secret = resolve(ref);
    if (secret) secrets[field] = secret;
    else missing.add(ref.env);
  }
  return {
    kind,
    key,
    attributes: structuredClone(d.attributes),
    ...(Object.keys(secrets).length > 0 ? { secrets } : {}),
    source: { ...d.source },
  };
}

function liveFrom(kind: Kind, key: string, l: LiveJson): LiveResource {
  return { kind, key, attributes: structuredClone(l.attributes), live: structuredClone(l.meta) };
}

function changeFromJson(c: ChangeJson, resolve: SecretResolver, missing: Set<string>): Change {
  switch (c.action) {
    case 'create':
      return {
        type: 'create',
        kind: c.kind,
        key: c.key,
        desired: desiredFrom(c.kind, c.key, c.desired, resolve, missing),
      };
    case 'update':
      return {
        type: 'update',
        kind: c.kind,
        key: c.key,
        id: c.id,
        version: c.version,
        desired: desiredFrom(c.kind, c.key, c.desired, resolve, missing),
        live: liveFrom(c.kind, c.key, c.live),
        fields: c.fields.map(fieldJson),
        ...(c.health ? { health: structuredClone(c.health) } : {}),
      };
    case 'delete':
      return {
        type: 'delete',
        kind: c.kind,
        key: c.key,
        id: c.id,
        version: c.version,
        live: liveFrom(c.kind, c.key, c.live),
      };
  }
}

/**
 * The plan a (schema-checked) PlanJson describes, each secret resolved through `resolve`. Returns the variables
 * that did not resolve, so a caller can name them all before anything is sent. The summary is recomputed rather
 * than trusted.
 */
export function planFromJson(json: PlanJson, resolve: SecretResolver): { plan: Plan; missing: string[] } {
  const missing = new Set<string>();
  const changes = json.changes.map((c) => changeFromJson(c, resolve, missing));
  return {
    plan: {
      formatVersion: 1,
      target: { ...json.target },
      managedKinds: [...json.managedKinds],
      changes,
      unsafe: json.unsafe.map((u) => structuredClone(u)),
      allowDeletes: json.allowDeletes,
      summary: summarize(changes),
      ...(json.environment ? { environment: structuredClone(json.environment) } : {}),
      ...(json.orgType ? { orgType: json.orgType } : {}),
    },
    missing: [...missing].sort(),
  };
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
    // Absent without environments, so such plans (and their checksums) are as before.
    ...(plan.environment ? { environment: structuredClone(plan.environment) } : {}),
    ...(plan.orgType ? { orgType: plan.orgType } : {}),
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
