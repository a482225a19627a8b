import { createHash } from 'node:crypto';
import { type Json, M3terConfigError } from '../model/errors.js';
import { KINDS, type Kind } from '../model/kinds.js';
import { type Change, type FieldChange, type Plan, summarize, type UnsafeReason } from '../model/plan.js';
import type {
  AttributesByKind,
  DesiredResource,
  LiveMeta,
  LiveResource,
  SourceRef,
} from '../model/resource.js';
import { Secret } from '../model/secret.js';
import type { TargetDescription } from '../model/target.js';
import { canonicalJson } from '../render/canonical-json.js';
import { type ChangeJson, type PlanJson, planToJson } from '../render/plan-json.js';

/**
 * Saved plans (`plan --out FILE`, `apply FILE`): octoDNS-style, you apply exactly what was reviewed.
 *
 * The file is canonical JSON (sorted keys, two-space indent) holding the plan's JSON form (render/plan-json.ts, the
 * same document as `plan --format json`), a `formatVersion`, and a SHA-256 checksum of the plan's canonical
 * serialisation. No secret value is ever written: each secret appears as `{sensitive: true, env: NAME}` and is read
 * again from the environment when the plan is loaded, every missing variable named before anything is sent.
 *
 * The checksum catches edits and corruption, not a forger who recomputes it: a saved plan is as trusted as the place
 * it is stored. Before the first write, apply also re-reads everything the plan touches (checkPlanIsCurrent).
 */

export const SAVED_PLAN_FORMAT_VERSION = 1;
const FILE_KIND = 'm3ter-config-saved-plan';

export interface SavedPlanFile {
  kind: typeof FILE_KIND;
  formatVersion: typeof SAVED_PLAN_FORMAT_VERSION;
  /** `sha256:<hex>` of the canonical JSON of `plan`. */
  checksum: string;
  plan: PlanJson;
}

/** A saved plan that cannot be used: unreadable, edited, from another version, or missing a secret. */
export class SavedPlanError extends M3terConfigError {}

function checksumOf(planJson: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(planJson), 'utf8').digest('hex')}`;
}

/** The text of a saved plan file (ends with a newline). */
export function writeSavedPlan(plan: Plan): string {
  const json = planToJson(plan);
  const file: SavedPlanFile = {
    kind: FILE_KIND,
    formatVersion: SAVED_PLAN_FORMAT_VERSION,
    checksum: checksumOf(json),
    plan: json,
  };
  return `${canonicalJson(file, 2)}\n`;
}

/**
 * Reads a saved plan: checks its format and checksum (`plan_checksum_mismatch`), rebuilds the plan, and resolves
 * every secret from `env` (`plan_secret_missing`, naming each missing variable). Nothing is sent anywhere.
 */
export function readSavedPlan(text: string, env: Readonly<Record<string, string | undefined>>): Plan {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new SavedPlanError('plan_invalid', `the saved plan is not JSON: ${(error as Error).message}`);
  }
  const file = record(doc, '');
  if (file['kind'] !== FILE_KIND) {
    throw new SavedPlanError(
      'plan_invalid',
      'this file is not an m3ter-config saved plan (see `plan --out`)',
    );
  }
  if (file['formatVersion'] !== SAVED_PLAN_FORMAT_VERSION) {
    throw new SavedPlanError(
      'plan_format_unsupported',
      `the saved plan has formatVersion ${JSON.stringify(file['formatVersion'])}; this m3ter-config reads ${SAVED_PLAN_FORMAT_VERSION}. Plan again with this version.`,
    );
  }
  const checksum = file['checksum'];
  if (typeof checksum !== 'string' || checksum !== checksumOf(file['plan'])) {
    throw new SavedPlanError(
      'plan_checksum_mismatch',
      'the saved plan does not match its checksum: it was edited or damaged after `plan --out` wrote it. Plan again.',
    );
  }
  const plan = planFromJson(file['plan']);
  resolveSecrets(plan, env);
  return plan;
}

// --- rebuilding a Plan from its JSON form ------------------------------------------------------------------------

function invalid(pointer: string, what: string): never {
  throw new SavedPlanError('plan_invalid', `the saved plan is malformed at /plan${pointer}: ${what}`, {
    pointer,
  });
}

function record(v: unknown, pointer: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) invalid(pointer, 'expected an object');
  return v as Record<string, unknown>;
}

function array(v: unknown, pointer: string): unknown[] {
  if (!Array.isArray(v)) invalid(pointer, 'expected an array');
  return v;
}

function string(v: unknown, pointer: string): string {
  if (typeof v !== 'string') invalid(pointer, 'expected a string');
  return v;
}

function integer(v: unknown, pointer: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) invalid(pointer, 'expected an integer');
  return v;
}

function kindOf(v: unknown, pointer: string): Kind {
  if (!KINDS.includes(v as Kind)) invalid(pointer, `unknown kind ${JSON.stringify(v)}`);
  return v as Kind;
}

/** Secret placeholders carry the variable's name; the value is filled in by resolveSecrets. */
class PendingSecret {
  constructor(readonly env: string) {}
}

function desiredFrom(kind: Kind, key: string, v: unknown, pointer: string): DesiredResource {
  const d = record(v, pointer);
  const attributes = record(d['attributes'], `${pointer}/attributes`);
  const source = record(d['source'], `${pointer}/source`);
  const secretsJson = record(d['secrets'] ?? {}, `${pointer}/secrets`);
  const secrets: Record<string, Secret> = {};
  for (const [field, ref] of Object.entries(secretsJson)) {
    const r = record(ref, `${pointer}/secrets/${field}`);
    if (r['sensitive'] !== true)
      invalid(`${pointer}/secrets/${field}`, 'a secret must be {sensitive: true, env}');
    if ('value' in r) invalid(`${pointer}/secrets/${field}`, 'a saved plan never holds a secret value');
    secrets[field] = new PendingSecret(
      string(r['env'], `${pointer}/secrets/${field}/env`),
    ) as unknown as Secret;
  }
  const src: SourceRef = {
    file: string(source['file'], `${pointer}/source/file`),
    line: integer(source['line'], `${pointer}/source/line`),
    col: integer(source['col'], `${pointer}/source/col`),
    pointer: string(source['pointer'], `${pointer}/source/pointer`),
  };
  return {
    kind,
    key,
    attributes: structuredClone(attributes) as unknown as AttributesByKind[Kind],
    ...(Object.keys(secrets).length > 0 ? { secrets } : {}),
    source: src,
  };
}

function liveFrom(kind: Kind, key: string, v: unknown, pointer: string): LiveResource {
  const l = record(v, pointer);
  const attributes = record(l['attributes'], `${pointer}/attributes`);
  const meta = record(l['meta'], `${pointer}/meta`);
  const live: LiveMeta = {
    ...(structuredClone(meta) as unknown as LiveMeta),
    id: string(meta['id'], `${pointer}/meta/id`),
    version: integer(meta['version'], `${pointer}/meta/version`),
  };
  return { kind, key, attributes: structuredClone(attributes) as unknown as AttributesByKind[Kind], live };
}

function changeFrom(v: unknown, pointer: string): Change {
  const c = record(v, pointer) as unknown as ChangeJson & Record<string, unknown>;
  const kind = kindOf(c.kind, `${pointer}/kind`);
  const key = string(c.key, `${pointer}/key`);
  switch (c.action) {
    case 'create':
      return { type: 'create', kind, key, desired: desiredFrom(kind, key, c.desired, `${pointer}/desired`) };
    case 'update':
      return {
        type: 'update',
        kind,
        key,
        id: string(c.id, `${pointer}/id`),
        version: integer(c.version, `${pointer}/version`),
        desired: desiredFrom(kind, key, c.desired, `${pointer}/desired`),
        live: liveFrom(kind, key, c.live, `${pointer}/live`),
        fields: array(c.fields, `${pointer}/fields`).map((f, i) => {
          const r = record(f, `${pointer}/fields/${i}`);
          return {
            field: string(r['field'], `${pointer}/fields/${i}/field`),
            from: structuredClone(r['from'] ?? null) as FieldChange['from'],
            to: structuredClone(r['to'] ?? null) as FieldChange['to'],
          };
        }),
      };
    case 'delete':
      return {
        type: 'delete',
        kind,
        key,
        id: string(c.id, `${pointer}/id`),
        version: integer(c.version, `${pointer}/version`),
        live: liveFrom(kind, key, c.live, `${pointer}/live`),
      };
    default:
      return invalid(
        `${pointer}/action`,
        `unknown action ${JSON.stringify((c as { action?: unknown }).action)}`,
      );
  }
}

function targetFrom(v: unknown): TargetDescription {
  const t = record(v, '/target');
  const orgId = string(t['orgId'], '/target/orgId');
  const baseUrl = string(t['baseUrl'], '/target/baseUrl');
  if (t['type'] === 'm3ter') return { type: 'm3ter', orgId, baseUrl };
  if (t['type'] === 'local-emulator') {
    return { type: 'local-emulator', orgId, baseUrl, statePath: string(t['statePath'], '/target/statePath') };
  }
  return invalid('/target/type', `unknown target type ${JSON.stringify(t['type'])}`);
}

/** The Plan a PlanJson describes, with secrets still unresolved. */
function planFromJson(v: unknown): Plan {
  const p = record(v, '');
  if (p['formatVersion'] !== 1) invalid('/formatVersion', 'expected 1');
  const changes = array(p['changes'], '/changes').map((c, i) => changeFrom(c, `/changes/${i}`));
  const unsafe = array(p['unsafe'] ?? [], '/unsafe').map((u, i) => {
    const r = record(u, `/unsafe/${i}`);
    if (r['rule'] !== 'linked_delete' && r['rule'] !== 'delete_budget')
      invalid(`/unsafe/${i}/rule`, 'unknown rule');
    return structuredClone(r) as unknown as UnsafeReason;
  });
  if (typeof p['allowDeletes'] !== 'boolean') invalid('/allowDeletes', 'expected a boolean');
  return {
    formatVersion: 1,
    target: targetFrom(p['target']),
    managedKinds: array(p['managedKinds'], '/managedKinds').map((k, i) => kindOf(k, `/managedKinds/${i}`)),
    changes,
    unsafe,
    allowDeletes: p['allowDeletes'],
    // Recomputed rather than trusted; the checksum already covers the stored one.
    summary: summarize(changes),
  };
}

/** Replaces every pending secret with a Secret read from `env`; names all the missing variables at once. */
function resolveSecrets(plan: Plan, env: Readonly<Record<string, string | undefined>>): void {
  const missing = new Set<string>();
  for (const change of plan.changes) {
    if (change.type === 'delete' || !change.desired.secrets) continue;
    const resolved: Record<string, Secret> = {};
    for (const [field, pending] of Object.entries(change.desired.secrets)) {
      const name = (pending as unknown as PendingSecret).env;
      const value = env[name];
      if (value === undefined || value === '') missing.add(name);
      else resolved[field] = new Secret(name, value);
    }
    change.desired.secrets = resolved;
  }
  if (missing.size > 0) {
    const names = [...missing].sort();
    throw new SavedPlanError(
      'plan_secret_missing',
      `the saved plan needs secret${names.length > 1 ? 's' : ''} from the environment: ${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} not set. Set ${names.length > 1 ? 'them' : 'it'} and apply again; nothing was sent.`,
      { missing: names as Json },
    );
  }
}
