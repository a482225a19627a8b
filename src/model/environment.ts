import type { SourceRef } from './resource.js';

/**
 * An environment: one m3ter org the same files are applied to, with its own values. Declared in a config file's
 * top-level `environments:` section and chosen per run with `--env NAME` (or `M3TER_CONFIG_ENV`).
 */
export interface Environment {
  /** The name under `environments:`; `^[A-Za-z][A-Za-z0-9_-]*$`, so it is safe in a file name. */
  name: string;
  /** The org this environment must target: a run whose target is another org is refused before any write. */
  orgId: string;
  /** Whether the org is m3ter's `PRODUCTION` kind (`users/me` answers it); a mismatch is refused. */
  production: boolean;
  /** Non-secret values the files use as `{ var: NAME }` or `${var:NAME}`. */
  vars: Readonly<Record<string, EnvironmentVar>>;
  /** Where this environment's API key, secret and base URL come from: names of process environment variables. */
  target: EnvironmentTargetRefs;
  /** Extra paths loaded only for this environment, as written (relative to the declaring file). */
  include: readonly string[];
  /** Where the environment is declared (its key under `environments:`). */
  source: SourceRef;
}

export type EnvironmentVar = string | number | boolean;

/** Names of process environment variables, never their values. */
export interface EnvironmentTargetRefs {
  apiKey?: string;
  apiSecret?: string;
  baseUrl?: string;
}

/** What a saved plan, an apply record and a drift record say of the environment they were made for. */
export interface EnvironmentStamp {
  name: string;
  orgId: string;
  production: boolean;
  target: EnvironmentTargetRefs;
}

/** The process environment variable that chooses an environment when `--env` is not given. */
export const ENVIRONMENT_ENV = 'M3TER_CONFIG_ENV';

export function environmentStamp(e: Environment): EnvironmentStamp {
  return { name: e.name, orgId: e.orgId, production: e.production, target: { ...e.target } };
}
