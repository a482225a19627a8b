import { compareOrgs, type CompareReport } from '../compare/index.js';
import { loadConfigSources } from '../load/cdktf-synth.js';
import { withReferencedKinds } from '../kinds/index.js';
import { readLiveState, TARGET_ENV } from '../live/index.js';
import type { Environment } from '../model/environment.js';
import { ConfigError, type Issue, TargetError } from '../model/errors.js';
import type { Kind } from '../model/kinds.js';
import type { DesiredState, LiveState } from '../model/state.js';
import type { TargetDescription } from '../model/target.js';
import { openSession, type Session, type SessionOptions } from './session.js';

type Env = Readonly<Record<string, string | undefined>>;

/** An environment's files, loaded for it. */
export interface LoadedEnvironment {
  environment: Environment;
  desired: DesiredState;
}

/**
 * Loads the files once for an environment, with its own vars and includes. Secrets are not needed: compare never
 * reads a secret's value, so an unset secret variable is no error and no warning here (as for graph).
 */
export async function loadForEnvironment(
  paths: readonly string[],
  options: { env: Env; cwd: string; environment: string; envFiles?: readonly string[] },
): Promise<LoadedEnvironment & { warnings: Issue[] }> {
  const result = await loadConfigSources(paths, {
    env: options.env,
    cwd: options.cwd,
    environment: options.environment,
    ...(options.envFiles ? { envFiles: options.envFiles } : {}),
    missingEnv: 'warning',
  });
  if (result.issues.some((i) => i.severity === 'error') || !result.state)
    throw new ConfigError(result.issues);
  const environment = result.state.environment;
  if (environment?.name !== options.environment) {
    throw new TargetError(
      'environment_not_loaded',
      `the files were not loaded for environment ${JSON.stringify(options.environment)}: compare needs an \`environments:\` section naming it`,
      { environment: options.environment },
    );
  }
  return {
    environment,
    desired: result.state,
    warnings: result.issues.filter(
      (i) => i.severity === 'warning' && i.code !== 'missing_env' && i.code !== 'empty_env',
    ),
  };
}

const blank = (v: string | undefined): boolean => v === undefined || v.trim() === '';

/** `A`, `A and B`, `A, B and C`. */
function words(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/**
 * The process environment a session for `environment` opens with: the org is the environment's `orgId`, the key,
 * secret and base URL come from the variables its `target` names, and the `M3TER_*` target variables of the shell
 * are left out (compare reads two orgs, so one set of them cannot stand for both). A target that names no key or
 * secret variable, or names variables that are not set, is an error naming them; nothing is read.
 */
export function environmentTargetEnv(environment: Environment, env: Env): Record<string, string | undefined> {
  const { target, name } = environment;
  const undeclared = (['apiKey', 'apiSecret'] as const).filter((f) => target[f] === undefined);
  if (undeclared.length > 0) {
    throw new TargetError(
      'environment_target_missing',
      `environment ${JSON.stringify(name)} has no target ${undeclared.join(' or ')}: compare reads each org with its own environment's credentials; add \`target: { apiKey: { env: NAME }, apiSecret: { env: NAME } }\` to it (and \`baseUrl: { env: NAME }\` for another API than m3ter's)`,
      { environment: name, missing: undeclared },
    );
  }
  const apiKey = target.apiKey as string;
  const apiSecret = target.apiSecret as string;
  // A base URL variable that is named but unset is an error too, not m3ter's URL: the file meant another API.
  const named = [apiKey, apiSecret, ...(target.baseUrl === undefined ? [] : [target.baseUrl])];
  const unset = named.filter((v) => blank(env[v]));
  if (unset.length > 0) {
    throw new TargetError(
      'environment_target_unset',
      `environment ${JSON.stringify(name)} reads its org with ${words(named)} (its target), but ${words(unset)} ${unset.length === 1 ? 'is' : 'are'} not set: set ${unset.length === 1 ? 'it' : 'them'} for compare`,
      { environment: name, unset },
    );
  }
  const out: Record<string, string | undefined> = { ...env };
  for (const v of Object.values(TARGET_ENV)) delete out[v];
  out[TARGET_ENV.orgId] = environment.orgId;
  out[TARGET_ENV.apiKey] = env[apiKey];
  out[TARGET_ENV.apiSecret] = env[apiSecret];
  if (target.baseUrl !== undefined) out[TARGET_ENV.baseUrl] = env[target.baseUrl];
  return out;
}

export interface CompareSettings {
  env: Env;
  cwd: string;
  /** Client options for both sessions (tests). */
  client?: SessionOptions['client'];
}

/**
 * Reads both orgs at once, each with its environment's target, and compares them. Only reads: the sessions are
 * opened for reading, and nothing is written to either org or to any file.
 */
export async function compareEnvironments(
  a: LoadedEnvironment,
  b: LoadedEnvironment,
  settings: CompareSettings,
): Promise<{ report: CompareReport; live: [LiveState, LiveState] }> {
  // Every target is checked before any session opens, so a missing variable of the second sends nothing.
  const envs = [a, b].map((side) => environmentTargetEnv(side.environment, settings.env));
  // An org compared with itself always matches: an environment copied without changing its orgId would pass.
  const where = (e: Record<string, string | undefined>) =>
    `${e[TARGET_ENV.orgId]}\u0000${(e[TARGET_ENV.baseUrl] ?? '').trim().replace(/\/+$/, '')}`;
  if (
    where(envs[0] as Record<string, string | undefined>) ===
    where(envs[1] as Record<string, string | undefined>)
  ) {
    throw new TargetError(
      'environments_same_org',
      `environments ${JSON.stringify(a.environment.name)} and ${JSON.stringify(b.environment.name)} both name org ${JSON.stringify(a.environment.orgId)} at the same API: compare needs two different orgs; correct the orgId of the one that names the other's org`,
      { environments: [a.environment.name, b.environment.name], orgId: a.environment.orgId },
    );
  }
  const kinds = new Set<Kind>([...a.desired.managedKinds, ...b.desired.managedKinds]);
  const sessions: Session[] = [];
  try {
    const opened = await Promise.all(
      [a, b].map(async (side, i) => {
        const session = await openSession({
          env: envs[i] as Record<string, string | undefined>,
          cwd: settings.cwd,
          environment: side.environment,
          readsOnly: true,
          ...(settings.client ? { client: settings.client } : {}),
        });
        sessions.push(session);
        return session;
      }),
    );
    const [sa, sb] = opened as [Session, Session];
    const read = withReferencedKinds(kinds);
    const [liveA, liveB] = await Promise.all([
      readLiveState(sa.client, read),
      readLiveState(sb.client, read),
    ]);
    const side = (s: Session, loaded: LoadedEnvironment, live: LiveState) => ({
      environment: loaded.environment.name,
      target: s.target.description as TargetDescription,
      desired: loaded.desired,
      live,
    });
    return {
      report: compareOrgs(side(sa, a, liveA), side(sb, b, liveB)),
      live: [liveA, liveB],
    };
  } finally {
    await Promise.all(sessions.map((s) => s.close().catch(() => undefined)));
  }
}
