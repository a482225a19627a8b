import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lookupCredentialType } from '../../src/model/credential-types.js';

/**
 * The one checker for Terraform JSON written for m3ter's provider (synth output of the constructs, of hand-written
 * bindings, and `export --format tf-json`), against schemas/terraform-provider-schema.json: known attributes only,
 * required ones present, no computed-only or deprecated value, right types, and secrets only as sensitive variables
 * with no default (webhook credentials, and the secret fields of credentials under `"//"`). Returns the problems.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PROVIDER = 'registry.terraform.io/m3ter-com/m3ter';

interface Attribute {
  type?: unknown;
  nested_type?: { attributes: Record<string, Attribute>; nesting_mode: string };
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  deprecated?: boolean;
}
interface ProviderSchema {
  provider: { block: { attributes: Record<string, Attribute> } };
  resource_schemas: Record<string, { block: { attributes: Record<string, Attribute> } }>;
}

const schema = (
  JSON.parse(readFileSync(path.join(ROOT, 'schemas/terraform-provider-schema.json'), 'utf8')) as {
    provider_schemas: Record<string, ProviderSchema>;
  }
).provider_schemas[PROVIDER] as ProviderSchema;

/** Terraform's meta-arguments, allowed on any resource. */
const META_ARGUMENTS = new Set(['//', 'count', 'for_each', 'depends_on', 'provider', 'lifecycle']);
/** Webhook credential attributes that are secrets (the provider marks none sensitive; m3ter-config does). */
const WEBHOOK_SECRETS = new Set(['api_key', 'secret']);
const TOKEN = /^\$\{[^}]+\}$/;
const VAR = /^\$\{var\.([A-Za-z_][A-Za-z0-9_-]*)\}$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

export function checkTerraformJson(doc: unknown): string[] {
  const problems: string[] = [];
  if (!isObj(doc)) return ['the document is not an object'];
  const variables = isObj(doc['variable']) ? doc['variable'] : {};

  const secretVar = (value: unknown, where: string) => {
    const name = typeof value === 'string' ? VAR.exec(value)?.[1] : undefined;
    if (!name) return problems.push(`${where}: a secret that is not \${var.NAME}`);
    const v = variables[name];
    if (!isObj(v)) return problems.push(`${where}: variable ${name} is not declared`);
    if (v['sensitive'] !== true) problems.push(`${where}: variable ${name} is not sensitive`);
    if (v['default'] !== undefined) problems.push(`${where}: variable ${name} has a default`);
    return undefined;
  };

  const checkType = (type: unknown, value: unknown, where: string) => {
    if (typeof value === 'string' && TOKEN.test(value)) return;
    const ok =
      type === 'string'
        ? typeof value === 'string'
        : type === 'bool'
          ? typeof value === 'boolean'
          : type === 'number'
            ? typeof value === 'number'
            : Array.isArray(type) && type[0] === 'map' && type[1] === 'string'
              ? isObj(value) && Object.values(value).every((v) => typeof v === 'string')
              : false;
    if (!ok) problems.push(`${where}: ${JSON.stringify(value)} is not of type ${JSON.stringify(type)}`);
  };

  const checkBlock = (
    attributes: Record<string, Attribute>,
    value: Obj,
    where: string,
    allowed: ReadonlySet<string>,
    secrets: ReadonlySet<string> = new Set(),
  ) => {
    for (const [name, v] of Object.entries(value)) {
      if (allowed.has(name)) continue;
      const a = attributes[name];
      const at = `${where}.${name}`;
      if (!a) {
        problems.push(`${at}: not an attribute of the provider's schema`);
        continue;
      }
      if (a.computed && !a.optional && !a.required) problems.push(`${at}: computed only, may not be set`);
      if (a.deprecated) problems.push(`${at}: deprecated`);
      if (secrets.has(name)) secretVar(v, at);
      if (a.nested_type) {
        if (!isObj(v)) problems.push(`${at}: must be an object`);
        else
          checkBlock(
            a.nested_type.attributes,
            v,
            at,
            new Set(),
            name === 'credentials' ? WEBHOOK_SECRETS : new Set(),
          );
      } else checkType(a.type, v, at);
    }
    for (const [name, a] of Object.entries(attributes))
      if (a.required && value[name] === undefined) problems.push(`${where}.${name}: required, missing`);
  };

  const resources = isObj(doc['resource']) ? doc['resource'] : {};
  for (const [type, byName] of Object.entries(resources)) {
    if (!type.startsWith('m3ter_')) continue;
    const rs = schema.resource_schemas[type];
    if (!rs) {
      problems.push(`resource.${type}: not a resource of m3ter's provider`);
      continue;
    }
    for (const [name, value] of Object.entries(isObj(byName) ? byName : {})) {
      if (!isObj(value)) problems.push(`resource.${type}.${name}: not an object`);
      else checkBlock(rs.block.attributes, value, `${type}.${name}`, META_ARGUMENTS);
    }
  }

  const providers = isObj(doc['provider']) ? doc['provider'] : {};
  for (const config of Array.isArray(providers['m3ter']) ? providers['m3ter'] : [])
    if (isObj(config))
      checkBlock(schema.provider.block.attributes, config, 'provider.m3ter', new Set(['alias']));
  const required =
    isObj(doc['terraform']) && isObj(doc['terraform']['required_providers'])
      ? doc['terraform']['required_providers']['m3ter']
      : undefined;
  if (Object.keys(resources).some((t) => t.startsWith('m3ter_'))) {
    if (
      !isObj(required) ||
      required['source'] !== 'm3ter-com/m3ter' ||
      typeof required['version'] !== 'string'
    )
      problems.push(
        'terraform.required_providers.m3ter: needs source m3ter-com/m3ter and a version constraint',
      );
  }

  // Credentials under "//": their secret fields, by credential type, only as sensitive variables.
  const root = isObj(doc['//']) && isObj(doc['//']['m3ter-config']) ? doc['//']['m3ter-config'] : {};
  for (const [id, c] of Object.entries(isObj(root['credentials']) ? root['credentials'] : {})) {
    if (!isObj(c) || typeof c['destination'] !== 'string' || typeof c['type'] !== 'string') {
      problems.push(`//.credentials.${id}: needs destination and type`);
      continue;
    }
    const found = lookupCredentialType(c['destination'], c['type']);
    if (!found.ok) {
      problems.push(`//.credentials.${id}: unknown credential type`);
      continue;
    }
    const fields = isObj(c['fields']) ? c['fields'] : {};
    for (const f of found.spec.fields)
      if (f.secret && fields[f.name] !== undefined)
        secretVar(fields[f.name], `//.credentials.${id}.${f.name}`);
  }

  for (const [name, v] of Object.entries(variables))
    if (isObj(v) && v['sensitive'] === true && v['default'] !== undefined)
      problems.push(`variable.${name}: a sensitive variable with a default`);
  return problems;
}
