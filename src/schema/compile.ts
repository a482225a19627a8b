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

/** The schema files, parsed, by file name. */
export function readSchemas(dir: string = SCHEMAS_DIR): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.schema.json')) continue;
    out.set(name, JSON.parse(readFileSync(dir + name, 'utf8')) as Record<string, unknown>);
  }
  return out;
}

let cached: ValidateFunction | undefined;
let ajvInstance: InstanceType<typeof Ajv2020> | undefined;

/** One ajv for every schema in schemas/, made once per process. */
function schemasAjv(): InstanceType<typeof Ajv2020> {
  if (ajvInstance) return ajvInstance;
  // verbose: errors carry `parentSchema`, which holds our annotations. allErrors: report every problem at once.
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
  for (const keyword of ANNOTATIONS) ajv.addKeyword({ keyword });
  for (const schema of readSchemas().values()) ajv.addSchema(schema);
  ajvInstance = ajv;
  return ajv;
}

export const SAVED_PLAN_SCHEMA_ID = `${SCHEMA_ID_BASE}saved-plan.schema.json`;

/** The compiled schema of saved plans, as a type guard for the document it describes. */
export function savedPlanValidator<T>(): ValidateFunction<T> {
  const validate = schemasAjv().getSchema<T>(SAVED_PLAN_SCHEMA_ID);
  if (!validate) throw new Error(`schema ${SAVED_PLAN_SCHEMA_ID} not found in ${SCHEMAS_DIR}`);
  return validate;
}

/** The compiled schema of another document in schemas/ (`drift-report.schema.json`, `apply-record.schema.json`). */
export function documentValidator<T>(file: string): ValidateFunction<T> {
  const validate = schemasAjv().getSchema<T>(SCHEMA_ID_BASE + file);
  if (!validate) throw new Error(`schema ${file} not found in ${SCHEMAS_DIR}`);
  return validate;
}

/** The compiled root schema (compiled once per process). */
export function configValidator(): ValidateFunction {
  if (cached) return cached;
  const validate = schemasAjv().getSchema(ROOT_SCHEMA_ID);
  if (!validate) throw new Error(`schema ${ROOT_SCHEMA_ID} not found in ${SCHEMAS_DIR}`);
  cached = validate;
  return validate;
}
