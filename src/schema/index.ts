export { configValidator } from './validators.js';
export { readSchemas, ROOT_SCHEMA_FILE, ROOT_SCHEMA_ID, SCHEMAS_DIR, SCHEMA_ID_BASE } from './compile.js';
export {
  redactUrl,
  SECRET_REF_SYNTAX,
  suggestEnvName,
  validateConfigData,
  type SchemaIssue,
} from './issues.js';
export { entryDefaults, type EntryDefault } from './defaults.js';
export { childPointer, describePointer, formatPointer, parsePointer, valueAt } from './pointer.js';
export { quoteList, upperSnake } from './text.js';
