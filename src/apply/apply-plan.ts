import type {
  Adapters,
  IdMap,
  KindAdapter,
  LiveClient,
  ReadLiveState,
  WriteContext,
} from '../live/contract.js';
import { COLLECTION, MAX_PAGE_SIZE, orgPath } from '../live/paths.js';
import {
  ApplyError,
  TargetError,
  type Json,
  M3terConfigError,
  StalePlanError,
  UnclearWriteError,
  UnsafePlanError,
} from '../model/errors.js';
import { FingerprintCache, newFingerprintSalt, parseFingerprint } from '../model/fingerprint.js';
import { KIND_LABEL, type Kind } from '../model/kinds.js';
import type { Change, CreateChange, DeleteChange, Plan } from '../model/plan.js';
import type { DesiredResource, LiveResource } from '../model/resource.js';
import { diffAttributes } from '../plan/diff.js';
import { type CheckDeps, checkPlanIsCurrent, type MovedEntity } from './check-current.js';
import { isNotFound, isVersionConflict } from './conflict.js';
import { ApplyIdMap } from './id-map.js';
import { type Level, planLevels } from './levels.js';
import { runBounded } from './pool.js';
import type { ApplyEvent, ApplyResult, ChangeOutcome, Resolution } from './result.js';

/** Everything apply needs to talk to the org. */
export interface ApplyDeps {
  client: LiveClient;
  adapters: Adapters;
  /** Ids and codes of the live webhooks and rules, as read when planning. */
  ids: IdMap;
  /**
   * Reads whole kinds; used for the checks before the first write and the live-link check before deleting a webhook
   * or rule. Without it, those checks read entity by entity (GET and find-by-key) and list links directly.
   */
  readLiveState?: ReadLiveState | undefined;
}

export interface ApplyOptions {
  /** Called as each change starts and ends (progress lines, a live count). Must not throw. */
  onEvent?: ((event: ApplyEvent) => void) | undefined;
  /**
   * Changes in flight at once within a level. The client's limiter keeps the whole run under the org's rate, so this
   * only needs to be large enough to keep the limiter busy. @default 12
   */
  concurrency?: number | undefined;
  /**
   * `--allow-deletes` given at apply time: lifts the delete budget rule. `linked_delete` is never lifted: apply never
   * deletes a webhook or rule that live links still reference. @default false
   */
  allowUnsafe?: boolean | undefined;
  /**
   * Re-read every entity the plan touches before the first write (see checkPlanIsCurrent), and refuse with
   * StalePlanError if anything moved. @default true
   */
  checkCurrent?: boolean | undefined;
  /** POSTs per create when outcomes are unclear (each followed by a find-by-key). @default 3 */
  maxCreateAttempts?: number | undefined;
  /**
   * After a create got no HTTP answer at all (timeout, reset), wait this long before looking it up by key, so a POST
   * m3ter is still processing has landed by then and is adopted rather than created a second time. @default 1000
   */
  unclearCreateSettleMs?: number | undefined;
  /** Shared fingerprint cache (the planner's, so a secret is hashed once). @default a new cache */
  fingerprints?: FingerprintCache | undefined;
  /** Fingerprint salt of this run. @default newFingerprintSalt() */
  salt?: Buffer | undefined;
  /** @default Date.now */
  now?: (() => number) | undefined;
  /** Once aborted, no new change starts (as after a failure); changes in flight finish; status `interrupted`. */
  signal?: AbortSignal | undefined;
}

/**
 * Applies a plan by levels (see levels.ts): the changes of a level run concurrently, the next level starts when the
 * whole level has ended.
 *
 * - Updates send the version the plan pinned. A version conflict is first checked against our own retried PUT
 *   (re-read: desired attributes and version pinned + 1 means it landed); otherwise the change fails as a stale
 *   plan and nothing more is written.
 * - Creates are never retried blindly: after an unclear POST (timeout, reset, 5xx) the entity is looked up by key
 *   and adopted when found once, created once more when not found (bounded), and never a third time when more than
 *   one exists.
 * - Deletes re-check the pinned version first; a 404 counts as done. A webhook or rule that any live link still
 *   references is never deleted.
 * - On the first failure no new change starts; changes in flight finish; the result says exactly what was applied,
 *   what failed and what was not attempted.
 *
 * Throws (before any write) SavedPlanError for a plan made for another org, UnsafePlanError for an unsafe plan not
 * allowed through, and StalePlanError when the live
 * state moved since the plan (with `checkCurrent`). Failures of single changes are reported in the result, not thrown;
 * `applyResultError` turns a result into the error the CLI maps to its exit code.
 */
export async function applyPlan(
  plan: Plan,
  deps: ApplyDeps,
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  const now = options.now ?? Date.now;
  const startedAt = now();
  const before = deps.client.stats();
  checkPlanTarget(plan, deps.client.orgId);
  refuseUnsafePlan(plan, options.allowUnsafe ?? false);

  if ((options.checkCurrent ?? true) && plan.changes.length > 0) {
    const checkDeps: CheckDeps = { ...deps, concurrency: options.concurrency };
    const check = await checkPlanIsCurrent(plan, checkDeps);
    if (!check.ok) throw movedError(check.moved);
  }

  const run = new ApplyRun(plan, deps, options, now);
  const stop = (): void => void (run.stopped = true);
  if (options.signal?.aborted) stop();
  options.signal?.addEventListener('abort', stop, { once: true });
  for (const level of planLevels(plan.changes)) {
    if (run.stopped) break;
    await run.runLevel(level);
  }
  options.signal?.removeEventListener('abort', stop);
  const after = deps.client.stats();
  // With no failure, a change is left unattempted only when the signal stopped the run.
  const notAttempted = plan.changes.filter((c) => !run.started.has(c));
  return {
    status:
      run.failed.length > 0
        ? run.stale
          ? 'stale'
          : 'failed'
        : notAttempted.length > 0
          ? 'interrupted'
          : 'applied',
    applied: run.applied,
    failed: run.failed,
    notAttempted,
    durationMs: now() - startedAt,
    requests: after.requests - before.requests,
    retries: after.retries - before.retries,
    rateLimited: after.rateLimited - before.rateLimited,
  };
}

/**
 * Refuses an unsafe plan. The delete budget is lifted by `--allow-deletes` (at plan or at apply time); a planned
 * delete of a webhook or rule that live links still reference is never allowed.
 */
export function refuseUnsafePlan(plan: Plan, allowUnsafe: boolean): void {
  const blocking = plan.unsafe.filter(
    (u) => u.rule === 'linked_delete' || !(allowUnsafe || plan.allowDeletes),
  );
  if (blocking.length === 0) return;
  const first = blocking[0];
  throw new UnsafePlanError(
    'plan_unsafe',
    `the plan is unsafe, nothing was applied: ${blocking.map((u) => u.message).join('; ')}`,
    {
      rules: blocking.map((u) => u.rule),
      hints: blocking.map((u) => u.hint),
      ...(first ? { hint: first.hint } : {}),
    },
  );
}

/** The error for a plan whose entities moved before the first write. */
export function movedError(moved: readonly MovedEntity[]): StalePlanError {
  const what = moved.slice(0, 5).map(describeMoved).join('; ');
  const more = moved.length > 5 ? `; and ${moved.length - 5} more` : '';
  return new StalePlanError(
    'plan_stale',
    `the live state changed since the plan was made, nothing was applied: ${what}${more}. Run plan again.`,
    {
      moved: moved.map((m) => ({ ...m }) as unknown as Json),
      hint: 'Run plan again and review the new plan.',
    },
  );
}

function describeMoved(m: MovedEntity): string {
  const label = `${KIND_LABEL[m.kind]} "${m.key}"`;
  switch (m.reason) {
    case 'version':
      return `${label} is at version ${m.liveVersion}, the plan expected ${m.plannedVersion}`;
    case 'gone':
      return `${label} no longer exists`;
    case 'key_taken':
      return `${label}, which the plan creates, already exists`;
    case 'reference': {
      const ref = m.reference!;
      return `${label} points at ${KIND_LABEL[ref.kind]} "${ref.key}", which ${ref.state === 'gone' ? 'no longer exists' : 'was deleted and created again'}`;
    }
  }
}

/** The error matching a result that did not apply everything (`undefined` when it did): exit 4 when stale, else 1. */
export function applyResultError(result: ApplyResult): ApplyError | StalePlanError | undefined {
  if (result.status === 'applied') return undefined;
  const meta: Record<string, Json> = {
    applied: result.applied.length,
    failed: result.failed.map((o) => ({
      kind: o.kind,
      key: o.key,
      action: o.action,
      code: o.error?.code ?? '',
    })),
    notAttempted: result.notAttempted.length,
    hint: 'Run plan again: it shows exactly what is left.',
  };
  const first = result.failed[0];
  const head = first
    ? `${first.action} of ${KIND_LABEL[first.kind]} "${first.key}" failed: ${first.error?.message ?? 'unknown error'}`
    : 'the apply did not finish';
  const account = `${result.applied.length} applied, ${result.failed.length} failed, ${result.notAttempted.length} not attempted`;
  return result.status === 'stale'
    ? new StalePlanError('plan_stale', `${head} (${account}). Run plan again.`, meta)
    : new ApplyError('apply_failed', `${head} (${account}). Run plan again.`, meta);
}

interface Applied {
  id?: string;
  version?: number;
  resolution?: Resolution;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function labelOf(kind: Kind, key: string): string {
  return `${KIND_LABEL[kind]} "${key}"`;
}

/** One apply run: its id map, fingerprint salt, outcomes and the stop flag. */
class ApplyRun {
  readonly applied: ChangeOutcome[] = [];
  readonly failed: ChangeOutcome[] = [];
  readonly started = new Set<Change>();
  stopped = false;
  stale = false;
  readonly #deps: ApplyDeps;
  readonly #ids: ApplyIdMap;
  readonly #ctx: WriteContext;
  readonly #onEvent: (event: ApplyEvent) => void;
  readonly #concurrency: number;
  readonly #maxCreateAttempts: number;
  readonly #settleMs: number;
  readonly #now: () => number;
  readonly #total: number;
  #completed = 0;

  constructor(plan: Plan, deps: ApplyDeps, options: ApplyOptions, now: () => number) {
    this.#deps = deps;
    this.#ids = new ApplyIdMap(deps.ids);
    this.#ctx = {
      ids: this.#ids,
      fingerprints: options.fingerprints ?? new FingerprintCache(),
      salt: options.salt ?? newFingerprintSalt(),
    };
    this.#onEvent = options.onEvent ?? (() => {});
    this.#concurrency = Math.max(1, options.concurrency ?? 12);
    this.#maxCreateAttempts = Math.max(1, options.maxCreateAttempts ?? 3);
    this.#settleMs = Math.max(0, options.unclearCreateSettleMs ?? 1000);
    this.#now = now;
    this.#total = plan.changes.length;
  }

  #adapter(kind: Kind): KindAdapter<Kind> {
    return this.#deps.adapters[kind] as unknown as KindAdapter<Kind>;
  }

  async runLevel(level: Level): Promise<void> {
    let blocked = new Map<string, string>();
    if (level.phase === 'delete' && (level.kind === 'webhook' || level.kind === 'notificationRule')) {
      try {
        blocked = await this.#linkedDeletes(level);
      } catch (error) {
        // The live links could not be read: nothing of this level may be deleted.
        const first = level.changes[0];
        if (first) this.#fail(first, this.#now(), error);
        return;
      }
    }
    await runBounded(
      level.changes,
      this.#concurrency,
      (change) => this.#execute(change, blocked),
      () => !this.stopped,
    );
  }

  async #execute(change: Change, blocked: ReadonlyMap<string, string>): Promise<void> {
    this.started.add(change);
    const t0 = this.#now();
    this.#emit({
      type: 'started',
      kind: change.kind,
      key: change.key,
      action: change.type,
      completed: this.#completed,
      total: this.#total,
    });
    try {
      let done: Applied;
      if (change.type === 'create') done = await this.#create(change);
      else if (change.type === 'update')
        done = await this.#update(change.kind, change.key, change.id, change.version, change.desired);
      else {
        const refs = blocked.get(change.id);
        if (refs !== undefined) {
          throw new ApplyError(
            'linked_delete',
            `${labelOf(change.kind, change.key)} was not deleted: live links still reference it (${refs}). Delete or re-point those links first.`,
            { kind: change.kind, key: change.key },
          );
        }
        done = await this.#delete(change);
      }
      const outcome: ChangeOutcome = {
        kind: change.kind,
        key: change.key,
        action: change.type,
        status: 'applied',
        ...(done.id !== undefined ? { id: done.id } : {}),
        ...(done.version !== undefined ? { version: done.version } : {}),
        durationMs: this.#now() - t0,
        ...(done.resolution !== undefined ? { resolution: done.resolution } : {}),
      };
      this.applied.push(outcome);
      this.#completed++;
      this.#emit({ type: 'finished', outcome, completed: this.#completed, total: this.#total });
    } catch (error) {
      this.#fail(change, t0, error);
    }
  }

  #fail(change: Change, t0: number, error: unknown): void {
    this.started.add(change);
    this.stopped = true;
    if (error instanceof StalePlanError) this.stale = true;
    const code = error instanceof M3terConfigError ? error.code : 'internal_error';
    const message = error instanceof Error ? error.message : String(error);
    const outcome: ChangeOutcome = {
      kind: change.kind,
      key: change.key,
      action: change.type,
      status: 'failed',
      ...(change.type !== 'create' ? { id: change.id } : {}),
      durationMs: this.#now() - t0,
      error: { code, message },
    };
    this.failed.push(outcome);
    this.#completed++;
    this.#emit({ type: 'failed', outcome, completed: this.#completed, total: this.#total });
  }

  #emit(event: ApplyEvent): void {
    try {
      this.#onEvent(event);
    } catch {
      // Progress output must never break an apply half-way.
    }
  }

  // --- creates -------------------------------------------------------------------------------------------------

  /**
   * POST once. After an unclear outcome, find by key: exactly one → adopt it (and update it if it differs from the
   * files); none → POST once more (bounded); more than one → fail, never create another.
   */
  async #create(change: CreateChange): Promise<Applied> {
    const adapter = this.#adapter(change.kind);
    const { client } = this.#deps;
    for (let attempt = 1; ; attempt++) {
      let unclear: UnclearWriteError;
      try {
        const created = await adapter.create(client, change.desired, this.#ctx);
        this.#ids.remember(change.kind, change.key, created.live.id);
        return {
          id: created.live.id,
          version: created.live.version,
          ...(attempt > 1 ? { resolution: 'created_again' as const } : {}),
        };
      } catch (error) {
        if (!(error instanceof UnclearWriteError)) throw error;
        unclear = error;
      }
      // No HTTP answer: the POST may still be in flight at m3ter. A 5xx is an answer; the work has ended.
      if (unclear.meta['status'] === undefined && this.#settleMs > 0) await sleep(this.#settleMs);
      const found = await adapter.findByKey(client, change.key, this.#ctx.ids);
      if (found.length > 1) {
        throw new ApplyError(
          'duplicate_entities',
          `${labelOf(change.kind, change.key)}: m3ter has ${found.length} entities with this key after a create whose outcome was unclear (${unclear.message}); no further one was created. Delete all but one (ids ${found.map((f) => f.live.id).join(', ')}) and plan again.`,
          { kind: change.kind, key: change.key, ids: found.map((f) => f.live.id) },
        );
      }
      const existing = found[0];
      if (existing) return this.#adopt(change, existing);
      if (attempt >= this.#maxCreateAttempts) {
        throw new ApplyError(
          'create_unresolved',
          `${labelOf(change.kind, change.key)} was not created: ${attempt} attempt(s) ended with an unclear outcome and nothing with this key exists (last: ${unclear.message}). Plan again.`,
          { kind: change.kind, key: change.key, attempts: attempt },
        );
      }
    }
  }

  async #adopt(change: CreateChange, existing: LiveResource): Promise<Applied> {
    this.#ids.remember(change.kind, change.key, existing.live.id);
    const differs = diffAttributes(change.kind, existing.attributes, change.desired.attributes).length > 0;
    // A webhook written by this run carries this run's salt in its secret fingerprint; any other (a race, a hand-made
    // one) may hold other secrets, so it is updated to send ours.
    if (!differs && (change.kind !== 'webhook' || this.#writtenThisRun(existing))) {
      return { id: existing.live.id, version: existing.live.version, resolution: 'adopted' };
    }
    const updated = await this.#update(
      change.kind,
      change.key,
      existing.live.id,
      existing.live.version,
      change.desired,
    );
    return { ...updated, resolution: 'adopted_and_updated' };
  }

  #writtenThisRun(live: LiveResource): boolean {
    const parsed = parseFingerprint(live.live.secretFingerprint);
    return parsed?.salt.equals(this.#ctx.salt) === true;
  }

  // --- updates -------------------------------------------------------------------------------------------------

  /**
   * PUT with the pinned version. The client retries a PUT after a 5xx or a lost connection, so a version conflict may
   * be our own first PUT having landed: re-read, and count it as applied when the entity now holds the desired
   * attributes at exactly the next version (and, for a webhook, the secret fingerprint of this run).
   */
  async #update(
    kind: Kind,
    key: string,
    id: string,
    version: number,
    desired: DesiredResource,
  ): Promise<Applied> {
    const adapter = this.#adapter(kind);
    const { client } = this.#deps;
    try {
      const updated = await adapter.update(client, id, version, desired, this.#ctx);
      return { id: updated.live.id, version: updated.live.version };
    } catch (error) {
      if (isNotFound(error)) {
        throw new StalePlanError(
          'plan_stale',
          `${labelOf(kind, key)} no longer exists (it was deleted since the plan was made); nothing more was written. Run plan again.`,
          { kind, key, id },
        );
      }
      if (!isVersionConflict(error)) throw error;
      const current = await adapter.read(client, id, this.#ctx.ids);
      if (
        current &&
        current.live.version === version + 1 &&
        diffAttributes(kind, current.attributes, desired.attributes).length === 0 &&
        (kind !== 'webhook' || this.#writtenThisRun(current))
      ) {
        return { id, version: current.live.version, resolution: 'confirmed' };
      }
      const m3ter = error instanceof Error ? error.message : String(error);
      throw new StalePlanError(
        'plan_stale',
        `${labelOf(kind, key)} changed since the plan was made (planned against version ${version}, m3ter has ${current ? `version ${current.live.version}` : 'no such entity'}): ${m3ter}. Nothing more was written. Run plan again.`,
        { kind, key, id, plannedVersion: version, liveVersion: current?.live.version ?? null },
      );
    }
  }

  // --- deletes -------------------------------------------------------------------------------------------------

  /** m3ter's DELETE takes no version, so the pinned one is checked by a GET first. Gone or 404 counts as done. */
  async #delete(change: DeleteChange): Promise<Applied> {
    const adapter = this.#adapter(change.kind);
    const { client } = this.#deps;
    const current = await adapter.read(client, change.id, this.#ctx.ids);
    if (!current) return { resolution: 'already_deleted' };
    if (current.live.version !== change.version) {
      throw new StalePlanError(
        'plan_stale',
        `${labelOf(change.kind, change.key)} changed since the plan was made (planned against version ${change.version}, m3ter has version ${current.live.version}); it was not deleted and nothing more was written. Run plan again.`,
        {
          kind: change.kind,
          key: change.key,
          id: change.id,
          plannedVersion: change.version,
          liveVersion: current.live.version,
        },
      );
    }
    try {
      await adapter.remove(client, change.id);
    } catch (error) {
      if (isNotFound(error)) return { resolution: 'already_deleted' };
      throw error;
    }
    return {};
  }

  /**
   * The deletes of this level that live links still reference, by id, with those links named. Read fresh: links
   * made since the plan (by anyone) count, and the plan's own link deletes ran at an earlier level.
   */
  async #linkedDeletes(level: Level): Promise<Map<string, string>> {
    const links = await this.#readLiveLinks();
    const blocked = new Map<string, string>();
    for (const change of level.changes) {
      if (change.type !== 'delete') continue;
      const refs = links
        .filter((l) => (level.kind === 'webhook' ? l.destinationId : l.entityId) === change.id)
        .map((l) => l.name);
      if (refs.length > 0)
        blocked.set(change.id, refs.slice(0, 5).join(', ') + (refs.length > 5 ? ', ...' : ''));
    }
    return blocked;
  }

  async #readLiveLinks(): Promise<{ name: string; entityId?: string; destinationId?: string }[]> {
    const { client, readLiveState } = this.#deps;
    if (readLiveState) {
      const live = await readLiveState(client, new Set<Kind>(['link']));
      return [...live.resources.link.values()].map((l) => ({
        name: `link "${l.key}"`,
        ...(l.live.entityId !== undefined ? { entityId: l.live.entityId } : {}),
        ...(l.live.destinationId !== undefined ? { destinationId: l.live.destinationId } : {}),
      }));
    }
    // Integration configurations as m3ter returns them (REFERENCE.md §3d): entityId is the rule, destinationId the
    // webhook.
    const raw = await client.list<{ id?: unknown; entityId?: unknown; destinationId?: unknown }>(
      orgPath(client.orgId, ...COLLECTION.link),
      MAX_PAGE_SIZE.link,
    );
    return raw.map((c) => ({
      name: `integration configuration ${String(c.id)}`,
      ...(typeof c.entityId === 'string' ? { entityId: c.entityId } : {}),
      ...(typeof c.destinationId === 'string' ? { destinationId: c.destinationId } : {}),
    }));
  }
}

/** Refuses a plan made for another org. (The base URL may differ: the local emulator listens on a new port each run.) */
export function checkPlanTarget(plan: Plan, orgId: string): void {
  if (plan.target.orgId !== orgId) {
    throw new TargetError(
      'plan_target_mismatch',
      `the saved plan was made for org ${plan.target.orgId}, but the target is org ${orgId}. Plan again against this org.`,
      { planOrgId: plan.target.orgId, orgId },
    );
  }
}
