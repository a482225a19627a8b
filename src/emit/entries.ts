import { createHash } from 'node:crypto';
import { CONFIG_SECTION, referencesOf, specOf, writtenReference } from '../kinds/index.js';
import type { Json } from '../model/errors.js';
import type { Kind } from '../model/kinds.js';
import type { LiveResource } from '../model/resource.js';
import { entryDefaults, upperSnake } from '../schema/index.js';
import { type ConfigEntry, ENTRY_KINDS, type EntryOf, type SecretRefOf } from './entry-kinds.js';

/**
 * A live resource as the entry a person would write in a config file: the inverse of the loader (load/build.ts),
 * one function per kind in an exhaustive table (entry-kinds.ts). Secret fields (which m3ter never returns) become `{ env: NAME }`
 * references; defaults (read from the schemas, schema/defaults.ts) and absent values (`null`) are left out.
 */

export type { ConfigEntry, SecretRefOf } from './entry-kinds.js';

/** The entry for a live resource, defaults and absent values left out. */
export function entryOf(resource: LiveResource, secret: SecretRefOf): ConfigEntry {
  const entry = (ENTRY_KINDS[resource.kind].entry as EntryOf<Kind>)(resource, secret);
  for (const ref of referencesOf(resource.kind)) {
    const key = entry[ref.attribute];
    if (typeof key === 'string') entry[ref.attribute] = writtenReference(ref.kind, key);
  }
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
  const parts = specOf(resource.kind).envNameWithoutKind ? [ident] : [ident, upperSnake(resource.kind)];
  const name = [...parts, upperSnake(field)].join('_');
  return /^[0-9]/.test(name) ? `M3TER_${name}` : name;
}
