import { createIdMap, readLiveState } from '../live/index.js';
import { mergeEnv, readEnvFiles } from '../load/env-file.js';
import type { IdMap } from '../live/contract.js';
import { ConfigError, type Issue, OnlineCheckError } from '../model/errors.js';
import { FingerprintCache } from '../model/fingerprint.js';
import {
  CONFIG_SECTION,
  fingerprintMaterial,
  fingerprintsSecrets,
  KIND_LABEL,
  kindsNamedByKey,
  kindsToRead,
  labelOf,
  referencedKey,
  referencesOf,
} from '../kinds/index.js';
import { KINDS, type Kind } from '../model/kinds.js';
import { createIgnoreMatcher } from '../model/glob.js';
import type { Plan } from '../model/plan.js';
import type { DesiredResource, LiveResource } from '../model/resource.js';
import type { DesiredState, LiveState } from '../model/state.js';
import { createPlan } from '../plan/index.js';
import type { DeleteBudget } from '../plan/safety.js';
import { labelDisabledLinks } from '../plan/link-health.js';
import { disabledLinkHealth } from './link-health.js';
import { checkPlanOnline, type OnlineChecksMode } from './online-checks.js';
import type { Session } from './session.js';

export interface LoadOptions {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  envFiles?: readonly string[];
  /**
   * The environment to load for (`--env`, else `M3TER_CONFIG_ENV`). Where the files declare `environments:`, one
   * must be chosen; where they do not, naming one is an error.
   */
  environment?: string | undefined;
  /** The stack to read from a `cdktf.out` folder holding several. */
  stack?: string;
  /** Hears each parsed file's kinds (the session's prefetch), see load-config.ts. */
  onSections?: (kinds: ReadonlySet<Kind>) => void;
}

/**
 * Loads the files for plan or apply: every variable must be set; any error throws ConfigError before any request.
 * Returns the warnings (plain http URLs and the like) for the caller to show.
 */
export async function loadDesired(
  paths: readonly string[],
  options: LoadOptions,
): Promise<{ state: DesiredState; warnings: Issue[] }> {
  // The loader (YAML and JSON readers, the schemas' validators) loads here, not with the command: plan and apply
  // have requested the token by now, and it is under way while this loads.
  const { validate } = await import('./validate.js');
  const result = await validate(paths, {
    env: options.env,
    cwd: options.cwd,
    ...(options.envFiles ? { envFiles: options.envFiles } : {}),
    ...(options.stack !== undefined ? { stack: options.stack } : {}),
    ...(options.environment !== undefined ? { environment: options.environment } : {}),
    ...(options.onSections ? { onSections: options.onSections } : {}),
    requireEnv: true,
  });
  if (result.errorCount > 0 || !result.state) throw new ConfigError(result.issues);
  return { state: result.state, warnings: result.issues.filter((i) => i.severity === 'warning') };
}

export interface PlanSettings {
  rotateSecrets?: boolean;
  allowDeletes?: boolean;
  deleteBudget?: DeleteBudget;
  /**
   * Check the rules the plan creates or changes against the org before anything is written (online-checks.ts);
   * `skip` (`--skip-online-checks`) says so in a warning every time. @default 'run'
   */
  onlineChecks?: OnlineChecksMode;
  /** Where the files' names resolve, to place what the online checks find. @default process.cwd() */
  cwd?: string;
}

export interface PlanOutcome {
  plan: Plan;
  desired: DesiredState;
  live: LiveState;
  /** Ids and keys of the live entities, for apply. */
  ids: IdMap;
  /** The fingerprints derived while planning, reused by apply so a secret is hashed once. */
  fingerprints: FingerprintCache;
  /** Warnings only known once live state is read (an `ignore` pattern that matches nothing), for the caller to show. */
  warnings: Issue[];
}

/** Reads the live state and plans against it. A failed read throws: it is never taken for "missing". */
export async function planAgainst(
  desired: DesiredState,
  session: Session,
  settings: PlanSettings = {},
  fingerprints = session.fingerprints ?? new FingerprintCache(),
): Promise<PlanOutcome> {
  const { live, checks } = await readAgainst(desired, session, fingerprints);
  const unknown = unknownKeyReferences(desired, live);
  if (unknown.length > 0) throw new ConfigError(unknown);
  const planned = createPlan(desired, live, {
    target: session.target.description,
    rotateSecrets: settings.rotateSecrets ?? false,
    secretMismatch: checks.mismatch,
    fingerprintUpgrade: checks.upgrade,
    deleteBudget: settings.deleteBudget ?? {},
    allowDeletes: settings.allowDeletes ?? false,
  });
  const [health, online] = await Promise.all([
    disabledLinkHealth(desired, live, session),
    checkPlanOnline(planned, session.client, {
      mode: settings.onlineChecks ?? 'run',
      ...(settings.cwd !== undefined ? { cwd: settings.cwd } : {}),
      ...(desired.files[0] !== undefined ? { file: desired.files[0] } : {}),
    }),
  ]);
  if (online.some((i) => i.severity === 'error')) throw new OnlineCheckError(online);
  const plan = labelDisabledLinks(planned, health);
  return {
    plan,
    desired,
    live,
    ids: createIdMap(live),
    fingerprints,
    warnings: [...unmatchedIgnoreWarnings(desired, live), ...otherKeyNotes(desired, checks), ...online],
  };
}

/**
 * What plan and drift read: the live state of the kinds the files manage (and those they reference or are
 * referenced by), and the webhooks whose live secret fingerprint does not match the files. Only reads.
 */
export async function readAgainst(
  desired: DesiredState,
  session: Session,
  fingerprints: FingerprintCache,
): Promise<{ live: LiveState; checks: SecretChecks }> {
  // The run's fingerprint key (one scrypt) is derived while the lists are read.
  fingerprints.prepare();
  // The fingerprint checks of a kind start as soon as it is read, while longer lists still are.
  const pending = new Map<Kind, Promise<SecretChecks>>();
  const start = (kind: Kind, resources: ReadonlyMap<string, LiveResource>) => {
    if (!fingerprintsSecrets(kind) || pending.has(kind)) return;
    const p = secretChecksOf(desired.resources[kind].values(), resources, fingerprints);
    p.catch(() => undefined); // awaited below; a read failure must not leave it unhandled
    pending.set(kind, p);
  };
  const live = await readLiveState(session.client, kindsToReadFor(desired), start, session.prefetch?.take());
  for (const kind of KINDS) start(kind, live.resources[kind]);
  const checks: SecretChecks = { mismatch: new Set(), upgrade: new Set(), otherKey: new Set() };
  for (const found of await Promise.all(pending.values()))
    for (const set of ['mismatch', 'upgrade', 'otherKey'] as const)
      for (const key of found[set]) checks[set].add(key);
  return { live, checks };
}

/**
 * What a plan of these files reads: the managed kinds with those they reference or are referenced by, and the kinds
 * a declared entity names by key (a rule's scheduled event), to check that what it names exists. A kind nothing
 * declares or names is never read, so an org need not serve it.
 */
export function kindsToReadFor(desired: DesiredState): Set<Kind> {
  const kinds = kindsToRead(desired.managedKinds);
  for (const k of kindsNamedByKey(desiredResources(desired))) kinds.add(k);
  return kinds;
}

function* desiredResources(desired: DesiredState): Iterable<DesiredResource> {
  for (const kind of KINDS) yield* desired.resources[kind].values() as Iterable<DesiredResource>;
}

/**
 * An error at each declared entity that names by key (a rule's `eventName`) an entity neither the files declare nor
 * m3ter holds: it would wait for events that never come. Known only once the named kind is read.
 */
export function unknownKeyReferences(desired: DesiredState, live: LiveState): Issue[] {
  const issues: Issue[] = [];
  for (const r of desiredResources(desired)) {
    for (const ref of referencesOf(r.kind)) {
      if (ref.by !== 'key' || !live.readKinds.has(ref.kind)) continue;
      const key = referencedKey(r.attributes, ref);
      if (key === null || desired.resources[ref.kind].has(key) || live.resources[ref.kind].has(key)) continue;
      issues.push({
        severity: 'error',
        code: 'unknown_reference',
        file: r.source.file,
        line: r.source.line,
        col: r.source.col,
        pointer: `${r.source.pointer}/${ref.attribute}`,
        message: `${labelOf(r.kind, r.key)} names ${labelOf(ref.kind, key)} in ${ref.attribute}, which neither the files declare nor m3ter holds`,
        hint: `declare it under ${CONFIG_SECTION[ref.kind]}, or fix ${ref.attribute}`,
      });
    }
  }
  return issues;
}

/**
 * A warning for each `ignore` pattern that matches no live and no declared entity of its kind: most often a typo,
 * which would leave the entity it meant unprotected. Only kinds that were read can be judged. The loader cannot
 * know live state, so this is decided here, after the read.
 */
export function unmatchedIgnoreWarnings(desired: DesiredState, live: LiveState): Issue[] {
  const warnings: Issue[] = [];
  for (const kind of KINDS) {
    if (!live.readKinds.has(kind)) continue;
    for (const pattern of desired.ignore[kind]) {
      const matches = createIgnoreMatcher([pattern]);
      const hit = (keys: Iterable<string>) => {
        for (const k of keys) if (matches(k)) return true;
        return false;
      };
      if (hit(live.resources[kind].keys()) || hit(desired.resources[kind].keys())) continue;
      const at = desired.ignoreSources?.[kind]?.get(pattern);
      warnings.push({
        severity: 'warning',
        code: 'ignore_matches_nothing',
        file: at?.file ?? desired.files[0] ?? '',
        line: at?.line ?? 0,
        col: at?.col ?? 0,
        pointer: at?.pointer ?? `/ignore/${CONFIG_SECTION[kind]}`,
        message: `ignore pattern ${JSON.stringify(pattern)} matches no live or declared ${KIND_LABEL[kind]}`,
        hint: 'check the pattern for a typo (keys are matched whole; `*` is any run, `?` one character), or remove it',
      });
    }
  }
  return warnings;
}

/**
 * The outcome of checking the live fingerprint of every managed entity whose kind fingerprints its secrets (webhooks)
 * against the files, by key.
 */
export interface SecretChecks {
  /** Made from other secrets, or missing: the secrets are re-sent. */
  mismatch: Set<string>;
  /** Made from these secrets in the old version-1 form: rewritten once (a labelled plan change). */
  upgrade: Set<string>;
  /**
   * Made under another fingerprint key: whether the secrets changed cannot be told, so nothing is planned for them
   * (a note says so; `--rotate-secrets` still re-sends them).
   */
  otherKey: Set<string>;
}

/**
 * A note, not a change: the webhooks whose fingerprints another key made (runs that share no
 * M3TER_CONFIG_FINGERPRINT_KEY). Reporting them as changed secrets would re-send every secret on each run, and make
 * a nightly drift job report drift that is not there.
 */
export function otherKeyNotes(desired: DesiredState, checks: SecretChecks): Issue[] {
  return KINDS.filter(fingerprintsSecrets).flatMap((kind) => otherKeyNote(desired, kind, checks));
}

function otherKeyNote(desired: DesiredState, kind: Kind, checks: SecretChecks): Issue[] {
  const declared = desired.resources[kind];
  const keys = [...checks.otherKey].filter((k) => declared.has(k)).sort();
  const first = keys[0] === undefined ? undefined : declared.get(keys[0]);
  if (!first) return [];
  const shown = keys.slice(0, 5).join(', ') + (keys.length > 5 ? ` and ${keys.length - 5} more` : '');
  return [
    {
      severity: 'warning',
      code: 'fingerprint_key_differs',
      file: first.source.file,
      line: first.source.line,
      col: first.source.col,
      pointer: first.source.pointer,
      message: `the secrets of ${keys.length} ${KIND_LABEL[kind]}${keys.length === 1 ? '' : 's'} (${shown}) cannot be compared under this fingerprint key: another key wrote their fingerprints, so whether they changed is not known and nothing is planned for them`,
      hint: 'give every job that plans, applies or checks drift for this org the same M3TER_CONFIG_FINGERPRINT_KEY (without it, each service user keys fingerprints by its own API secret); or apply --rotate-secrets once, to re-send them and write their fingerprints under this key',
    },
  ];
}

async function secretChecksOf(
  declared: Iterable<DesiredResource>,
  liveByKey: ReadonlyMap<string, LiveResource>,
  fingerprints: FingerprintCache,
): Promise<SecretChecks> {
  const out: SecretChecks = { mismatch: new Set(), upgrade: new Set(), otherKey: new Set() };
  const checks: Promise<void>[] = [];
  for (const want of declared) {
    const key = want.key;
    const have = liveByKey.get(key);
    const material = fingerprintMaterial(want);
    if (!have || !material) continue;
    checks.push(
      fingerprints.verdict(have.live.secretFingerprint, material).then((v) => {
        if (v === 'mismatch') out.mismatch.add(key);
        else if (v === 'match_v1') out.upgrade.add(key);
        else if (v === 'other_key') out.otherKey.add(key);
      }),
    );
  }
  await Promise.all(checks);
  return out;
}

/** The environment for resolving secrets: env files first, the process environment wins. */
export async function resolveEnv(
  env: Readonly<Record<string, string | undefined>>,
  envFiles: readonly string[],
  cwd: string,
): Promise<Readonly<Record<string, string | undefined>>> {
  if (envFiles.length === 0) return env;
  const files = await readEnvFiles(envFiles, cwd);
  if (files.issues.some((i) => i.severity === 'error')) throw new ConfigError(files.issues);
  return mergeEnv(files.env, env);
}
