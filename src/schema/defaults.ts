import type { Json } from '../model/errors.js';
import { readSchemas, ROOT_SCHEMA_FILE, SCHEMA_ID_BASE } from './compile.js';

/**
 * The defaults of the config language, read from the schemas' `default` keywords (schemas/ is the single source of
 * truth): for each section, the path of every property inside one entry that has a default, with that default.
 * `import` leaves a value out when it equals its default, so the files read as a person would write them; the
 * loader applies the same defaults (a test checks the two agree).
 */
export interface EntryDefault {
  /** Property names from the entry down, e.g. `['credentials', 'type']`. */
  readonly path: readonly string[];
  readonly value: Json;
}

let cached: ReadonlyMap<string, readonly EntryDefault[]> | undefined;

/** Defaults by section (`webhooks`, `notificationRules`, ...). */
export function entryDefaults(): ReadonlyMap<string, readonly EntryDefault[]> {
  if (cached) return cached;
  const schemas = readSchemas();
  const byId = new Map<string, Record<string, unknown>>();
  for (const [file, schema] of schemas) byId.set(file, schema);
  const root = byId.get(ROOT_SCHEMA_FILE) ?? {};
  const out = new Map<string, EntryDefault[]>();
  const sections = (root['properties'] ?? {}) as Record<string, Record<string, unknown>>;
  for (const [section, prop] of Object.entries(sections)) {
    const ref = (prop['items'] as { $ref?: string } | undefined)?.$ref;
    if (typeof ref !== 'string') continue;
    const schema = byId.get(ref.replace(SCHEMA_ID_BASE, ''));
    if (!schema) continue;
    const found: EntryDefault[] = [];
    collect(schema, [], found);
    out.set(section, found);
  }
  cached = out;
  return out;
}

function collect(schema: Record<string, unknown>, path: string[], into: EntryDefault[]): void {
  const props = schema['properties'];
  if (!props || typeof props !== 'object') return;
  for (const [name, sub] of Object.entries(props as Record<string, Record<string, unknown>>)) {
    if ('default' in sub) into.push({ path: [...path, name], value: sub['default'] as Json });
    collect(sub, [...path, name], into);
  }
}
