/**
 * Generates schemas/editor-*.schema.json from schemas/*.json: the config schemas as an editor sees files written for
 * environments, where every scalar field of an entry may also be `{ var: NAME }`, and a string may hold
 * `${var:NAME}`. The loader replaces vars before it validates, so it keeps the strict schemas; these copies only spare
 * editors (yaml-language-server) false errors. `npm run generate:editor-schemas` writes them;
 * test/unit/schema/editor-schemas.test.ts fails when they are stale.
 */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  EDITOR_SCHEMA_PREFIX as EDITOR_PREFIX,
  readSchemas,
  ROOT_SCHEMA_FILE,
  SCHEMA_ID_BASE,
  SCHEMAS_DIR,
} from '../src/schema/compile.js';

export const EDITOR_ROOT_SCHEMA_FILE = EDITOR_PREFIX + ROOT_SCHEMA_FILE;

/** The schemas of entries: their scalar fields take vars. */
const ENTRY_SCHEMAS = new Set([
  'common.schema.json',
  'credential.schema.json',
  'integration.schema.json',
  'link.schema.json',
  'notification-rule.schema.json',
  'scheduled-event.schema.json',
  'webhook.schema.json',
]);

/** Copied as they are, with their references pointed at the copies. */
const OTHER_SCHEMAS = new Set([
  ROOT_SCHEMA_FILE,
  'environments.schema.json',
  'ignore.schema.json',
  'secret-ref.schema.json',
]);

const VAR_NAME = '^[A-Za-z_][A-Za-z0-9_]*$';
const VAR_REF = {
  title: 'VarRef',
  description:
    "`{ var: NAME }`: the value of var NAME of the run's environment (declared under `environments:`).",
  type: 'object',
  properties: { var: { type: 'string', pattern: VAR_NAME } },
  required: ['var'],
  additionalProperties: false,
};
const VAR_STRING = {
  title: 'VarString',
  description: 'A string holding `${var:NAME}`, replaced by the value of var NAME.',
  type: 'string',
  pattern: '(?<!\\$)\\$\\{var:[A-Za-z_][A-Za-z0-9_]*\\}',
};

const SCALAR = new Set(['string', 'number', 'integer', 'boolean']);

function isScalarSchema(s: Record<string, unknown>): boolean {
  const t = s['type'];
  if (typeof t === 'string') return SCALAR.has(t);
  if (Array.isArray(t)) return t.length > 0 && t.every((x) => typeof x === 'string' && SCALAR.has(x));
  return t === undefined && ('enum' in s || 'const' in s);
}

function takesString(s: Record<string, unknown>): boolean {
  const t = s['type'];
  return t === 'string' || (Array.isArray(t) && t.includes('string'));
}

/** Keywords whose subschemas describe values (not conditions, whose meaning a var would change). */
const VALUE_MAPS = ['properties', '$defs', 'patternProperties'] as const;
const VALUE_SCHEMAS = ['items', 'additionalProperties', 'then', 'else'] as const;
const VALUE_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const;

function withVars(schema: unknown): unknown {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const s = schema as Record<string, unknown>;
  if (s['x-secret'] === true) return s;
  if (isScalarSchema(s)) {
    const { description, title, ...rest } = s;
    return {
      ...(title !== undefined ? { title } : {}),
      ...(description !== undefined ? { description } : {}),
      anyOf: [rest, { $ref: '#/$defs/varRef' }, ...(takesString(s) ? [{ $ref: '#/$defs/varString' }] : [])],
    };
  }
  const out: Record<string, unknown> = { ...s };
  for (const k of VALUE_MAPS) {
    const m = s[k];
    if (m && typeof m === 'object' && !Array.isArray(m))
      out[k] = Object.fromEntries(Object.entries(m).map(([n, v]) => [n, withVars(v)]));
  }
  for (const k of VALUE_SCHEMAS) if (k in s) out[k] = withVars(s[k]);
  for (const k of VALUE_LISTS) if (Array.isArray(s[k])) out[k] = (s[k] as unknown[]).map(withVars);
  return out;
}

/** Every `$ref` to a sibling file pointed at its editor copy. */
function repoint(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(repoint);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string' && /^[a-z0-9-]+\.schema\.json(#.*)?$/.test(v)
        ? EDITOR_PREFIX + v
        : repoint(v),
    ]),
  );
}

/** The generated files, by name, as their text. */
export function generateEditorSchemas(): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, schema] of readSchemas()) {
    if (!ENTRY_SCHEMAS.has(name) && !OTHER_SCHEMAS.has(name)) continue;
    const { $schema, $id: _id, ...body } = schema;
    let copy = repoint(body) as Record<string, unknown>;
    if (ENTRY_SCHEMAS.has(name)) {
      copy = withVars(copy) as Record<string, unknown>;
      const defs = (copy['$defs'] as Record<string, unknown> | undefined) ?? {};
      copy['$defs'] = { ...defs, varRef: VAR_REF, varString: VAR_STRING };
    }
    const text = JSON.stringify(
      {
        $comment: `GENERATED FILE: do not edit. Made by scripts/generate-editor-schemas.ts from schemas/${name} (npm run generate:editor-schemas).`,
        $schema,
        $id: SCHEMA_ID_BASE + EDITOR_PREFIX + name,
        ...copy,
      },
      null,
      2,
    );
    out.set(EDITOR_PREFIX + name, `${text}\n`);
  }
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const [name, text] of generateEditorSchemas()) {
    await writeFile(path.join(SCHEMAS_DIR, name), text);
    process.stdout.write(`wrote schemas/${name}\n`);
  }
}
