export { CODE_PATTERN, deriveCode } from '../model/code.js';
export type { EnvPolicy } from './context.js';
export { type EnvFileResult, mergeEnv, parseEnvFile, readEnvFiles } from './env-file.js';
export { displayPath, findConfigFiles } from './files.js';
export { globToRegExp, matchesIgnore } from '../model/glob.js';
export { normalizeCredentialIgnore } from './ignore.js';
export { type LoadOptions, type LoadResult, loadConfig } from './load-config.js';
export { envNameOf } from './secrets.js';
