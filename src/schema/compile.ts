import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ajv2020 from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';

/** `$id` prefix of every schema in schemas/. */
export const SCHEMA_ID_BASE = 'https://m3ter-config.dev/schemas/';
export const ROOT_SCHEMA_FILE = 'm3ter-config.schema.json';
export const ROOT_SCHEMA_ID = SCHEMA_ID_BASE + ROOT_SCHEMA_FILE;

/**
 * schemas/ sits two levels above this module both in the source tree (src/schema/) and in the build (dist/schema/),
 * and the package ships it (package.json `files`).
 */
export const SCHEMAS_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url));

/**
 * Annotation keywords our schemas carry for the error mapper (see issues.ts):
 * - `x-issue`: the issue code for a failed value constraint (pattern, enum, ...) at that schema;
 * - `x-hint`: the hint shown with it;
 * - `x-secret`: marks the secret-reference schema.
 */
const ANNOTATIONS = ['x-issue', 'x-hint', 'x-secret'] as const;

// ajv is CommonJS: under NodeNext the default import is `module.exports`, whose `default` is the class.
const Ajv2020 = ajv2020.Ajv2020;

export type SchemaError = ErrorObject & { parentSchema?: Record<string, unknown> };

/** Generated copies of the schemas for editors (scripts/generate-editor-schemas.ts), never compiled here. */
export const EDITOR_SCHEMA_PREFIX = 'editor-';

/** The schema files, parsed, by file name (not the editors' copies). */
export function readSchemas(dir: string = SCHEMAS_DIR): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.schema.json') || name.startsWith(EDITOR_SCHEMA_PREFIX)) continue;
    out.set(name, JSON.parse(readFileSync(dir + name, 'utf8')) as Record<string, unknown>);
  }
  return out;
}

/**
 * One ajv for every schema in schemas/. Used ahead of time by scripts/generate-validators.ts (which writes
 * src/schema/generated/validators.ts, what the CLI runs) and by tests that compile schemas; never at run time.
 */
export function createSchemasAjv(options: { source?: boolean } = {}): InstanceType<typeof Ajv2020> {
  // verbose: errors carry `parentSchema`, which holds our annotations. allErrors: report every problem at once.
  const ajv = new Ajv2020({
    allErrors: true,
    verbose: true,
    strict: true,
    allowUnionTypes: true,
    ...(options.source ? { code: { source: true, esm: true } } : {}),
  });
  for (const keyword of ANNOTATIONS) ajv.addKeyword({ keyword });
  for (const schema of readSchemas().values()) ajv.addSchema(schema);
  return ajv;
}

export const SAVED_PLAN_SCHEMA_ID = `${SCHEMA_ID_BASE}saved-plan.schema.json`;

/** The root schema compiled now, by ajv (the CLI uses the generated `configValidator` of validators.ts). */
export function compileConfigValidator(): ValidateFunction {
  const validate = createSchemasAjv().getSchema(ROOT_SCHEMA_ID);
  if (!validate) throw new Error(`schema ${ROOT_SCHEMA_ID} not found in ${SCHEMAS_DIR}`);
  return validate;
}
