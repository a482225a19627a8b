import { TARGET_ENV } from '../live/target.js';
import { ENVIRONMENT_ENV } from '../model/environment.js';

/** Every environment variable the CLI reads (a test scans src/ for reads and checks this list). */
export const ENVIRONMENT = {
  [TARGET_ENV.orgId]: 'm3ter organization id (--org-id overrides)',
  [TARGET_ENV.apiKey]: 'service user access key id (--api-key overrides)',
  [TARGET_ENV.apiSecret]: 'service user API secret; never a flag (flags show in ps and shell history)',
  [TARGET_ENV.baseUrl]: 'API base URL (--base-url overrides; default https://api.m3ter.com)',
  [ENVIRONMENT_ENV]: 'the environment of the files to load when --env is not given',
  NO_COLOR: 'any non-empty value: no ANSI colours',
  TERM: '"dumb": no ANSI colours',
  M3TER_CONFIG_DEBUG: 'any value: print the stack trace of an internal error',
  M3TER_CONFIG_FINGERPRINT_KEY:
    'key of webhook secret fingerprints, shared by runs with different access keys (default: the API secret)',
  HTTPS_PROXY: 'http://[user:password@]host:port of the proxy for https:// requests (or https_proxy)',
  HTTP_PROXY: 'the proxy for plain http:// requests (or http_proxy)',
  NO_PROXY: 'hosts and domains reached without the proxy, comma-separated; * for all (or no_proxy)',
  M3TER_CONFIG_CREDENTIALS_PATH:
    "path of m3ter's integration credentials API under /organizations/{orgId}/, unpublished by m3ter (default: the guess integrationcredentials)",
} as const;

export type EnvName = keyof typeof ENVIRONMENT;

/** With none of the first three set, plan and apply use the embedded local emulator. */
export const TARGET_ENV_NAMES: readonly EnvName[] = [
  TARGET_ENV.orgId,
  TARGET_ENV.apiKey,
  TARGET_ENV.apiSecret,
  TARGET_ENV.baseUrl,
];

export const OUTPUT_ENV_NAMES: readonly EnvName[] = ['NO_COLOR', 'TERM'];
/** What routes outbound requests through a proxy (live/proxy.ts). */
export const PROXY_ENV_NAMES: readonly EnvName[] = ['HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY'];
/** What a command that loads config files reads to choose their environment. */
export const LOAD_ENV_NAMES: readonly EnvName[] = [ENVIRONMENT_ENV];
/** What a command that plans against an org reads. */
export const PLANNING_ENV_NAMES: readonly EnvName[] = [
  ...LOAD_ENV_NAMES,
  ...TARGET_ENV_NAMES,
  'M3TER_CONFIG_FINGERPRINT_KEY',
  ...PROXY_ENV_NAMES,
  'M3TER_CONFIG_CREDENTIALS_PATH',
  ...OUTPUT_ENV_NAMES,
];
