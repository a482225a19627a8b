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
