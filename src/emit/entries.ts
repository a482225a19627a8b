import { createHash } from 'node:crypto';
import { CONFIG_SECTION, KIND_SPECS } from '../kinds/index.js';
import { findDestination, lookupCredentialType } from '../model/credential-types.js';
import type { Json } from '../model/errors.js';
import type { Kind } from '../model/kinds.js';
import type { AttributesByKind, LiveResource } from '../model/resource.js';
import { entryDefaults, upperSnake } from '../schema/index.js';

/**
 * A live resource as the entry a person would write in a config file: the inverse of the loader (load/build.ts),
 * one function per kind in an exhaustive table. Secret fields (which m3ter never returns) become `{ env: NAME }`
 * references; defaults (read from the schemas, schema/defaults.ts) and absent values (`null`) are left out.
 */

/** A config entry: plain JSON, secrets as `{ env: NAME }`. */
export type ConfigEntry = { [key: string]: Json };

/** Names an environment variable for one secret field of the resource being written. */
export type SecretRefOf = (field: string) => { env: string };

type EntryOf<K extends Kind> = (resource: LiveResource<K>, secret: SecretRefOf) => ConfigEntry;

/** The secret fields a live resource needs written, by kind (credentials: by their type's table). */
export function secretFieldsOf(resource: LiveResource): string[] {
  const fields = KIND_SPECS[resource.kind].secretFields;
  if (fields !== 'by credential type') return [...fields];
  const a = resource.attributes as AttributesByKind['credential'];
  const found = lookupCredentialType(a.destination, a.type);
  return found.ok ? found.spec.fields.filter((f) => f.secret && f.required).map((f) => f.name) : [];
}

/** A credential reference as people write it: the destination's label (`Stripe/prod`), else the key as it is. */
export function credentialReference(key: string): string {
  const slash = key.indexOf('/');
  const dest = slash < 0 ? undefined : findDestination(key.slice(0, slash));
  return dest ? `${dest.label}${key.slice(slash)}` : key;
}

const ENTRY_OF: { [K in Kind]: EntryOf<K> } = {
  credential: (r, secret) => {
    const a = r.attributes;
    const entry: ConfigEntry = {
      name: a.name,
      destination: findDestination(a.destination)?.label ?? a.destination,
      type: a.type,
    };
    for (const [k, v] of Object.entries(a.settings)) entry[k] = v;
    for (const field of secretFieldsOf(r)) entry[field] = secret(field);
    return entry;
  },
  integration: (r) => {
    const a = r.attributes;
    return {
      entityType: a.entityType,
      destination: a.destination,
      name: a.name,
      credential: a.credential === null ? null : credentialReference(a.credential),
      configData: structuredClone(a.configData),
      active: a.active,
    };
  },
  webhook: (r, secret) => {
    const a = r.attributes;
    return {
      code: r.key,
      name: a.name,
      description: a.description,
      url: a.url,
      active: a.active,
      credentials: { type: a.credentialType, apiKey: secret('apiKey'), secret: secret('secret') },
    };
  },
  scheduledEvent: (r) => {
    const { name, entity, field, offset } = r.attributes;
    return { name, entity, field, offset };
  },
  notificationRule: (r) => {
    const a = r.attributes;
    return {
      code: r.key,
      name: a.name,
      description: a.description,
      eventName: a.eventName,
      calculation: a.calculation,
      active: a.active,
      alwaysFireEvent: a.alwaysFireEvent,
    };
  },
  link: (r) => ({ rule: r.attributes.rule, webhook: r.attributes.webhook, active: r.attributes.active }),
};

/** The entry for a live resource, defaults and absent values left out. */
export function entryOf(resource: LiveResource, secret: SecretRefOf): ConfigEntry {
  const entry = (ENTRY_OF[resource.kind] as EntryOf<Kind>)(resource, secret);
  return withoutDefaults(CONFIG_SECTION[resource.kind], entry);
}

/** Drops values equal to the schema's default, and `null`s (an optional value left out is `null` in the model). */
export function withoutDefaults(section: string, entry: ConfigEntry): ConfigEntry {
  const out = structuredClone(entry);
  for (const [k, v] of Object.entries(out)) if (v === null) delete out[k];
  for (const d of entryDefaults().get(section) ?? []) {
    const parents = d.path.slice(0, -1);
    let holder: unknown = out;
    for (const p of parents) holder = (holder as Record<string, unknown> | undefined)?.[p];
    if (!holder || typeof holder !== 'object') continue;
    const last = d.path[d.path.length - 1] as string;
    const map = holder as Record<string, Json>;
    if (last in map && jsonEqual(map[last], d.value)) delete map[last];
  }
  return out;
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * A readable, stable environment variable name for one secret of one entity, as the loader's hint suggests them:
 * `<CODE>_WEBHOOK_<FIELD>` for webhooks, `<DESTINATION>_<NAME>_<FIELD>` for credentials. A name that would start
 * with a digit gets `M3TER_` in front; an entity whose key gives no letters or digits is named by a hash of it.
 */
export function envNameFor(resource: LiveResource, field: string): string {
  const fromKey = upperSnake(resource.key.replace('/', '_'));
  const ident =
    fromKey === ''
      ? `${createHash('sha256').update(resource.key).digest('hex').slice(0, 8).toUpperCase()}`
      : fromKey;
  const parts = resource.kind === 'credential' ? [ident] : [ident, upperSnake(resource.kind)];
  const name = [...parts, upperSnake(field)].join('_');
  return /^[0-9]/.test(name) ? `M3TER_${name}` : name;
}
