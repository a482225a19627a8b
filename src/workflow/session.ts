import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { RunningEmulator } from '../emulator/index.js';
import {
  createClient,
  resolveTarget,
  type ResolveTargetInput,
  startListReads,
  type StartedLists,
  type TargetFlags,
} from '../live/index.js';
import { kindsToRead } from '../kinds/index.js';
import type { Kind } from '../model/kinds.js';
import type { EnvironmentStamp } from '../model/environment.js';
import type { OrgType } from '../live/target.js';
import { checkOrgId } from './org-guard.js';
import type { ClientOptions } from '../live/client.js';
import { type CollectionPaths, parseCollectionPath, type UNCONFIRMED } from '../live/paths.js';
import type { LiveClient, Target } from '../live/contract.js';
import { M3terConfigError, TargetError } from '../model/errors.js';
import { FingerprintCache } from '../model/fingerprint.js';

/** Where the embedded emulator keeps its org, relative to the working directory. */
export const EMBEDDED_STATE_FILE = path.join('.m3ter', 'local.json');

/** How plans name the embedded emulator's address (it listens on a random loopback port). */
export const EMBEDDED_BASE_URL = 'in-process';

export interface SessionOptions {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  flags?: TargetFlags;
  /**
   * The environment the files were loaded for. Its `target` and `orgId` come after the flags and the `M3TER_*`
   * variables; with none of them set, the embedded emulator takes its org id and kind of org. A saved plan's stamp
   * does as well: it names the same variables.
   */
  environment?: EnvironmentStamp | undefined;
  /** State file of the embedded emulator. @default .m3ter/local.json under cwd */
  embeddedStateFile?: string | undefined;
  client?: ClientOptions;
  /**
   * Nothing may be written anywhere (drift): the embedded emulator then runs in memory on a copy of its state file,
   * which is read but never created, saved or touched, and neither is the `.m3ter/` folder.
   */
  readOnly?: boolean;
  /**
   * The run only reads the org (plan, graph, import): the embedded emulator reads its state file without the lock
   * a writer takes and never saves it, so several such runs share one checkout, even while an apply runs. A missing
   * file is created first, so the org id a saved plan names holds for the apply.
   */
  readsOnly?: boolean;
}

/** A connection to one org: the real m3ter API, or the embedded emulator when no credentials are set. */
export interface Session {
  target: Target;
  client: LiveClient;
  /** Set when the target is the embedded emulator. */
  embedded?: RunningEmulator;
  /**
   * This run's webhook secret fingerprints, keyed by M3TER_CONFIG_FINGERPRINT_KEY or else the API secret
   * (model/fingerprint.ts). Without it (a hand-made session), plan and apply use an unkeyed cache (version 1).
   */
  fingerprints?: FingerprintCache | undefined;
  /**
   * What the caller should show as warnings about the target itself: an environment that names target variables,
   * none of them set, run in CI against the embedded emulator.
   */
  notes?: string[];
  /** Reads started while the files loaded (see {@link startPrefetch}), for the session's first read. */
  prefetch?: Prefetch;
  close(): Promise<void>;
}

/**
 * Reads started before the plan asks for them: plan, apply and drift against a remote org read it while the files
 * load, so the first request is not held up by parsing. Only reads are ever started early, and a kind's lists only
 * once a parsed file declares it; if the files turn out invalid the reads are dropped and nothing is planned from
 * them.
 */
export interface Prefetch {
  /** Starts reading what these kinds need (as `kindsToRead`), each collection once. */
  add(kinds: Iterable<Kind>): void;
  /** The reads started so far, handed to the session's first read once; every later read starts afresh. */
  take(): StartedLists | undefined;
}

/** Requests the token now, and starts the fingerprint key's derivation, then reads lists as they are added. */
export function startPrefetch(session: Session): Prefetch {
  session.client.warmUp();
  session.fingerprints?.prepare();
  let started: StartedLists | undefined = new Map();
  const prefetch: Prefetch = {
    add(kinds) {
      if (started) startListReads(session.client, kindsToRead(kinds), started);
    },
    take() {
      const out = started;
      started = undefined;
      return out;
    },
  };
  session.prefetch = prefetch;
  return prefetch;
}

/** Whether the target is a remote org (credentials set), not the embedded emulator; false when the settings are invalid. */
export function isRemoteTarget(options: Pick<SessionOptions, 'env' | 'flags' | 'environment'>): boolean {
  try {
    return !('embedded' in resolveTarget(targetInput(options)));
  } catch {
    return false; // openSession reports it, after the files are checked
  }
}

/**
 * Opens the target. With none of M3TER_ORG_ID, M3TER_API_KEY and M3TER_API_SECRET set, an emulator starts in this
 * process on a loopback port, with its state in `.m3ter/local.json`, so a new user's first plan just works.
 */
export async function openSession(options: SessionOptions): Promise<Session> {
  const resolved = resolveTarget(targetInput(options));
  // Before anything is read: a run for one environment reports on, or writes to, that environment's org only.
  if (options.environment && !('embedded' in resolved)) checkOrgId(options.environment, resolved.orgId);
  const paths = collectionPathsOf(options.env);
  const clientOptions: ClientOptions = {
    ...listLimitsOf(options.env),
    proxyEnv: options.env,
    ...(paths.credential ? { paths } : {}),
    ...options.client,
  };
  if (!('embedded' in resolved)) {
    const client = createClient(resolved, clientOptions);
    const fingerprints = fingerprintsFor(resolved, options.env);
    return { target: resolved, client, fingerprints, close: () => client.close() };
  }
  const statePath = path.resolve(
    options.cwd,
    options.embeddedStateFile ??
      (options.environment ? embeddedStateFileOf(options.environment.name) : EMBEDDED_STATE_FILE),
  );
  // With an environment the local org is that environment's: its id and its kind.
  const org = {
    ...(resolved.orgId !== undefined ? { orgId: resolved.orgId } : {}),
    ...(resolved.orgType !== undefined ? { orgType: resolved.orgType } : {}),
  };
  let emulator: RunningEmulator;
  if (options.readOnly) emulator = await startReadOnlyEmulator(statePath, paths, org);
  else {
    await ensureStateDir(path.dirname(statePath));
    // Loaded only for the embedded target: a run against m3ter starts without loading it.
    const { startEmulator } = await import('../emulator/index.js');
    const stateAccess = options.readsOnly ? 'read' : 'write';
    const start = async () =>
      startEmulator({
        statePath,
        stateAccess,
        port: 0,
        rateLimit: 0,
        orgId: org.orgId ?? (await localOrgId(statePath)),
        ...(org.orgType ? { orgType: org.orgType } : {}),
        // The local org serves a guessed path where the user says m3ter does.
        ...(paths.credential ? { credentialsPath: paths.credential.join('/') } : {}),
      });
    try {
      emulator = await start();
    } catch (e) {
      // Another run created the missing file, with its own org id, between our read and our start: use that one.
      if ((e as { code?: unknown }).code !== 'emulator_state_other_org') throw e;
      emulator = await start();
    }
  }
  const relative = path.relative(options.cwd, statePath) || statePath;
  const target: Target = {
    // The port is new on every run; the description stays stable so plan JSON and saved plans do not churn.
    description: {
      type: 'local-emulator',
      statePath: relative,
      orgId: emulator.orgId,
      baseUrl: EMBEDDED_BASE_URL,
    },
    orgId: emulator.orgId,
    baseUrl: emulator.url,
    apiKey: emulator.apiKey,
    apiSecretReveal: () => emulator.apiSecret,
  };
  // The embedded emulator enforces no rate limit, so neither does the client: a first run stays instant.
  const client = createClient(target, { rateLimit: 0, ...clientOptions });
  return {
    target,
    client,
    fingerprints: fingerprintsFor(target, options.env),
    embedded: emulator,
    ...(resolved.unsetTargetVariables && options.env['CI'] && options.embeddedStateFile === undefined
      ? { notes: [embeddedInCiNote(options.environment?.name ?? '', resolved.unsetTargetVariables)] }
      : {}),
    close: async () => {
      await client.close();
      await emulator.close();
    },
  };
}

function targetInput(options: Pick<SessionOptions, 'env' | 'flags' | 'environment'>): ResolveTargetInput {
  return {
    env: options.env,
    ...(options.flags ? { flags: options.flags } : {}),
    ...(options.environment ? { environment: options.environment } : {}),
  };
}

/** Where the embedded emulator keeps an environment's org: one file per environment, so they never mix. */
export function embeddedStateFileOf(environment: string): string {
  return path.join('.m3ter', `local-${environment}.json`);
}

function embeddedInCiNote(environment: string, variables: readonly string[]): string {
  return `environment ${environment} names its target in ${variables.join(', ')}, but none is set, so this run is against the local emulator, not m3ter: set them in this CI job (or pass --state-file to mean the local emulator)`;
}

function fingerprintsFor(
  target: Target,
  env: Readonly<Record<string, string | undefined>>,
): FingerprintCache {
  // Shares one fingerprint key between runs that use different access keys.
  const shared = env['M3TER_CONFIG_FINGERPRINT_KEY'];
  return new FingerprintCache({
    orgId: target.orgId,
    reveal: () => (shared !== undefined && shared !== '' ? shared : target.apiSecretReveal()),
  });
}

/** The bounds of one list read (live/check-list.ts), for an org beyond them or a test that wants them small. */
export const LIST_LIMIT_ENV = {
  maxListPages: 'M3TER_CONFIG_MAX_LIST_PAGES',
  maxListItems: 'M3TER_CONFIG_MAX_LIST_ITEMS',
  maxResponseBytes: 'M3TER_CONFIG_MAX_RESPONSE_BYTES',
} as const;

function listLimitsOf(
  env: SessionOptions['env'],
): Pick<ClientOptions, 'maxListPages' | 'maxListItems' | 'maxResponseBytes'> {
  const out: { maxListPages?: number; maxListItems?: number; maxResponseBytes?: number } = {};
  for (const [option, name] of Object.entries(LIST_LIMIT_ENV) as [keyof typeof LIST_LIMIT_ENV, string][]) {
    const text = env[name];
    if (text === undefined || text === '') continue;
    if (!/^[1-9][0-9]{0,8}$/.test(text.trim())) {
      throw new TargetError(
        'invalid_list_limit',
        `${name} must be a whole number from 1 to 999999999, not ${JSON.stringify(text)}; unset it for the default`,
        { variable: name },
      );
    }
    out[option] = Number(text.trim());
  }
  return out;
}

/** Paths set in place of the guessed ones m3ter never published (live/paths.ts UNCONFIRMED). */
function collectionPathsOf(env: SessionOptions['env']): CollectionPaths {
  // The compiler checks this is the variable paths.ts names; the literal read is what the CLI's help lists.
  const variable: (typeof UNCONFIRMED)['credential']['variable'] = 'M3TER_CONFIG_CREDENTIALS_PATH';
  const text = env['M3TER_CONFIG_CREDENTIALS_PATH'];
  if (text === undefined || text.trim() === '') return {};
  const segments = parseCollectionPath(text);
  if (!segments) {
    throw new TargetError(
      'invalid_collection_path',
      `${variable} must be a path under /organizations/{orgId}/ such as integrationcredentials (letters, digits, - _ . ~ and /), not ${JSON.stringify(text)}; unset it for the default`,
      { variable },
    );
  }
  return { credential: segments };
}

/** The embedded emulator in memory, seeded from the state file if there is one: it writes no file. */
async function startReadOnlyEmulator(
  statePath: string,
  paths: CollectionPaths,
  org: { orgId?: string; orgType?: OrgType },
): Promise<RunningEmulator> {
  let state: unknown;
  try {
    state = JSON.parse(await readFile(statePath, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new M3terConfigError(
        'emulator_state_invalid',
        `cannot read the emulator state file ${statePath}: ${e instanceof Error ? e.message : String(e)}`,
        { file: statePath },
      );
    }
  }
  // As the writing emulator does: a file of another org, or another kind of org, is not served as this one.
  const held = state as { orgId?: unknown; orgType?: unknown } | undefined;
  const other =
    org.orgId !== undefined && typeof held?.orgId === 'string' && held.orgId !== org.orgId
      ? `it holds org ${held.orgId}, not ${org.orgId}`
      : org.orgType !== undefined && typeof held?.orgType === 'string' && held.orgType !== org.orgType
        ? `it holds a ${held.orgType} org, not a ${org.orgType} one`
        : undefined;
  if (other !== undefined)
    throw new M3terConfigError(
      'emulator_state_other_org',
      `cannot use the emulator state file ${statePath}: ${other}. Give it another state file. It is left as it is.`,
      { file: statePath },
    );
  const orgId =
    org.orgId ??
    (typeof (state as { orgId?: unknown } | undefined)?.orgId === 'string'
      ? (state as { orgId: string }).orgId
      : randomUUID());
  const { startEmulator } = await import('../emulator/index.js');
  const emulator = await startEmulator({
    port: 0,
    rateLimit: 0,
    orgId,
    ...(org.orgType ? { orgType: org.orgType } : {}),
    ...(paths.credential ? { credentialsPath: paths.credential.join('/') } : {}),
  });
  if (state !== undefined) {
    try {
      await emulator.admin.seed(state as Parameters<RunningEmulator['admin']['seed']>[0]);
    } catch (e) {
      await emulator.close();
      throw new M3terConfigError(
        'emulator_state_invalid',
        `cannot use the emulator state file ${statePath}: ${e instanceof Error ? e.message : String(e)}`,
        { file: statePath },
      );
    }
  }
  return emulator;
}

/**
 * Each local org has an id of its own, drawn when its state file is first made and kept in it, so a plan saved
 * against one local org is refused by another (saved plans are checked by org id).
 */
async function localOrgId(statePath: string): Promise<string> {
  try {
    const state = JSON.parse(await readFile(statePath, 'utf8')) as { orgId?: unknown };
    if (typeof state.orgId === 'string' && state.orgId !== '') return state.orgId;
  } catch {
    // No file yet (a new org), or an unreadable one, which the emulator reports when it starts.
  }
  return randomUUID();
}

/** The state folder is git-ignored from inside, so a user's repository never commits the local org. */
async function ensureStateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, '.gitignore'), '# Written by m3ter-config: the local emulator state.\n*\n', {
    flag: 'w',
  });
}
