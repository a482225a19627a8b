import { KIND_LABEL } from '../kinds/index.js';
import { findDestination } from '../model/credential-types.js';
import type { Json } from '../model/errors.js';
import type { DesiredResource } from '../model/resource.js';
import type { Secret } from '../model/secret.js';
import type { DesiredState } from '../model/state.js';
import { escapeTemplate } from '../model/tf-template.js';
import { terraformVariableNames } from './tf-variables.js';
import { refuseUnsupportedKinds } from './unsupported.js';

/**
 * A desired state as Terraform JSON for m3ter's provider (`m3ter-config export --format tf-json`): the same shape
 * m3ter-config's CDKTF constructs synthesize, so `m3ter-config plan` reads it back and Terraform validates it.
 * Pure. Every plain string is escaped as Terraform reads it (`${` as `$${`, `%{` as `%%{`). Secrets become sensitive
 * variables named after their environment variable in lower case (`{ env: OPS_SECRET }` → `variable "ops_secret"`, set
 * as TF_VAR_ops_secret; names that differ only in case get a suffix, tf-variables.ts); no value is written. Credentials,
 * which the provider has no resource for, and what it cannot set (a link's or integration's `active`, an
 * integration's credential) go under `"//"`, which Terraform ignores.
 */

/** The key under `"//"` that m3ter-config writes and reads (load/cdktf-synth.ts reads it). */
const META = 'm3ter-config';
const PROVIDER = { source: 'm3ter-com/m3ter', version: '~> 0.9.0' };

type Obj = Record<string, unknown>;

/** Every plain string is written as a Terraform template that evaluates to it (`${` as `$${`, `%{` as `%%{`). */
const lit = escapeTemplate;

export function emitTerraformJson(state: DesiredState): Obj {
  refuseUnsupportedKinds('tf-json', state.managedKinds);
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
  const put = (type: string, r: DesiredResource, body: Obj, meta: Obj = {}) => {
    const own = {
      path: `${KIND_LABEL[r.kind]} ${r.key}`,
      source: `${r.source.file}:${r.source.line}:${r.source.col}`,
      ...meta,
    };
    (resources[type] ??= {})[nameOf(type, r.key)] = { '//': { [META]: own }, ...body };
  };

  for (const r of state.resources.webhook.values()) {
    const a = r.attributes;
    put('m3ter_webhook', r, {
      name: lit(a.name),
      description: lit(a.description),
      url: lit(a.url),
      code: lit(r.key),
      active: a.active,
      credentials: {
        type: a.credentialType,
        api_key: secretVar(r.secrets?.['apiKey'], `webhook ${r.key} apiKey`),
        secret: secretVar(r.secrets?.['secret'], `webhook ${r.key} secret`),
      },
    });
  }
  for (const r of state.resources.notificationRule.values()) {
    const a = r.attributes;
    put('m3ter_notification_configuration', r, {
      code: lit(r.key),
      name: lit(a.name),
      description: lit(a.description),
      event_name: lit(a.eventName),
      ...(a.calculation !== null ? { calculation: lit(a.calculation) } : {}),
      active: a.active,
      always_fire_event: a.alwaysFireEvent,
    });
  }
  const ref = (type: string, key: string) => `\${${type}.${nameOf(type, key)}.id}`;
  for (const r of state.resources.link.values()) {
    const a = r.attributes;
    put(
      'm3ter_integration_configuration',
      r,
      {
        entity_type: 'Notification',
        entity_id: ref('m3ter_notification_configuration', a.rule),
        destination: 'Webhook',
        destination_id: ref('m3ter_webhook', a.webhook),
      },
      a.active ? {} : { active: false },
    );
  }
  for (const r of state.resources.integration.values()) {
    const a = r.attributes;
    put(
      'm3ter_integration_configuration',
      r,
      {
        entity_type: lit(a.entityType),
        destination: lit(a.destination),
        ...(a.name !== null ? { name: lit(a.name) } : {}),
        config_data: Object.fromEntries(
          Object.entries(a.configData).map(([k, v]: [string, Json]) => [k, lit(JSON.stringify(v))]),
        ),
      },
      {
        ...(a.credential !== null ? { credential: a.credential } : {}),
        ...(a.active ? {} : { active: false }),
      },
    );
  }
  const credentials: Obj = {};
  for (const r of state.resources.credential.values()) {
    const a = r.attributes;
    const fields: Obj = Object.fromEntries(
      Object.entries(a.settings).map(([k, v]) => [k, typeof v === 'string' ? lit(v) : v]),
    );
    for (const [field, secret] of Object.entries(r.secrets ?? {}))
      fields[field] = secretVar(secret, `credential ${r.key} ${field}`);
    credentials[nameOf('credential', r.key)] = {
      path: `${KIND_LABEL.credential} ${r.key}`,
      source: `${r.source.file}:${r.source.line}:${r.source.col}`,
      name: lit(a.name),
      destination: lit(findDestination(a.destination)?.label ?? a.destination),
      type: lit(a.type),
      fields: sortKeys(fields),
    };
  }

  const doc: Obj = {};
  if (Object.keys(credentials).length > 0) doc['//'] = { [META]: { credentials } };
  doc['provider'] = { m3ter: [{}] };
  if (Object.keys(resources).length > 0) doc['resource'] = resources;
  doc['terraform'] = { required_providers: { m3ter: PROVIDER } };
  if (Object.keys(variables).length > 0) doc['variable'] = sortKeys(variables);
  return doc;
}

function sortKeys(o: Obj): Obj {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
