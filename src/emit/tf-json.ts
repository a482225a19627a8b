import { KIND_LABEL, KINDS_TOP_DOWN } from '../kinds/index.js';
import type { DesiredResource } from '../model/resource.js';
import type { Secret } from '../model/secret.js';
import type { DesiredState } from '../model/state.js';
import { type Obj, sortKeys, TF_JSON_KINDS, type TfJsonContext } from './tf-json-kinds.js';
import { terraformVariableNames } from './tf-variables.js';

/**
 * A desired state as Terraform JSON for m3ter's provider (`m3ter-config export --format tf-json`): the same shape
 * m3ter-config's CDKTF constructs synthesize, so `m3ter-config plan` reads it back and Terraform validates it.
 * Pure; each kind's part is in tf-json-kinds.ts. Every plain string is escaped as Terraform reads it (`${` as `$${`, `%{` as `%%{`). Secrets become sensitive
 * variables named after their environment variable in lower case (`{ env: OPS_SECRET }` → `variable "ops_secret"`, set
 * as TF_VAR_ops_secret; names that differ only in case get a suffix, tf-variables.ts); no value is written. Credentials,
 * which the provider has no resource for, and what it cannot set (a link's or integration's `active`, an
 * integration's credential) go under `"//"`, which Terraform ignores.
 */

/** The key under `"//"` that m3ter-config writes and reads (load/cdktf-synth.ts reads it). */
const META = 'm3ter-config';
const PROVIDER = { source: 'm3ter-com/m3ter', version: '~> 0.9.0' };

export function emitTerraformJson(state: DesiredState): Obj {
  const variables: Obj = {};
  const taken = new Set<string>();
  const resources: Record<string, Obj> = {};
  const names = new Map<string, string>();

  const envs: string[] = [];
  for (const map of Object.values(state.resources))
    for (const r of map.values()) for (const s of Object.values(r.secrets ?? {})) envs.push(s.env);
  const varNames = terraformVariableNames(envs);
  const secretVar = (secret: Secret | undefined, what: string): string => {
    const name = (secret ? varNames.get(secret.env) : undefined) ?? `${what}_secret`.toLowerCase();
    variables[name] = { type: 'string', sensitive: true, description: `${what}; set TF_VAR_${name}` };
    return `\${var.${name}}`;
  };
  /** A unique Terraform name per entity: letters, digits, `_` and `-`, starting with a letter or `_`. */
  const nameOf = (kind: string, key: string): string => {
    const id = `${kind}\u0000${key}`;
    const known = names.get(id);
    if (known) return known;
    let base = key.replace(/->/g, '_to_').replace(/[^A-Za-z0-9_-]/g, '_');
    if (!/^[A-Za-z_]/.test(base)) base = `_${base}`;
    let name = base;
    for (let n = 2; taken.has(`${kind}.${name}`); n++) name = `${base}_${n}`;
    taken.add(`${kind}.${name}`);
    names.set(id, name);
    return name;
  };
  const rootMeta: Record<string, Obj> = {};
  const ctx: TfJsonContext = {
    secretVar,
    nameOf,
    declared: (kind, key) => state.resources[kind].has(key),
    put(type, r, body, meta) {
      const own = {
        path: `${KIND_LABEL[r.kind]} ${r.key}`,
        source: `${r.source.file}:${r.source.line}:${r.source.col}`,
        ...meta,
      };
      (resources[type] ??= {})[nameOf(type, r.key)] = { '//': { [META]: own }, ...body };
    },
    putRoot(section, name, value) {
      (rootMeta[section] ??= {})[name] = value;
    },
  };
  for (const kind of KINDS_TOP_DOWN)
    for (const r of state.resources[kind].values()) TF_JSON_KINDS[kind](r as DesiredResource, ctx);

  const doc: Obj = {};
  if (Object.keys(rootMeta).length > 0) doc['//'] = { [META]: rootMeta };
  doc['provider'] = { m3ter: [{}] };
  if (Object.keys(resources).length > 0) doc['resource'] = resources;
  doc['terraform'] = { required_providers: { m3ter: PROVIDER } };
  if (Object.keys(variables).length > 0) doc['variable'] = sortKeys(variables);
  return doc;
}
