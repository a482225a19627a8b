import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import * as generated from './generated/validators.js';

/**
 * The schemas of schemas/, compiled ahead of time (ajv standalone code in generated/validators.ts, made by
 * `npm run generate:validators`; a test fails when it is stale), so no process pays for ajv's compiler.
 */
export type SchemaError = ErrorObject & { parentSchema?: Record<string, unknown> };

/** The root schema of config files. */
export function configValidator(): ValidateFunction {
  return generated.configValidator as unknown as ValidateFunction;
}

/** The schema of saved plans, as a type guard for the document it describes. */
export function savedPlanValidator<T>(): ValidateFunction<T> {
  return generated.savedPlanValidator as unknown as ValidateFunction<T>;
}

/** The documents in schemas/ that m3ter-config reads back besides config and saved plans. */
const DOCUMENT_VALIDATORS: Record<DocumentSchema, unknown> = {
  'apply-record.schema.json': generated.applyRecordValidator,
  'drift-report.schema.json': generated.driftReportValidator,
};

export type DocumentSchema = 'apply-record.schema.json' | 'drift-report.schema.json';

/** The schema of another document in schemas/ (`drift-report.schema.json`, `apply-record.schema.json`). */
export function documentValidator<T>(file: DocumentSchema): ValidateFunction<T> {
  return DOCUMENT_VALIDATORS[file] as unknown as ValidateFunction<T>;
}
