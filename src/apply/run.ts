import { createIdMap } from '../live/id-map.js';
import { idKey } from '../kinds/index.js';
import { ApiError, M3terConfigError, StalePlanError } from '../model/errors.js';
import { FingerprintCache, newFingerprintSalt } from '../model/fingerprint.js';
import type { Change, Plan } from '../model/plan.js';
import type { LiveResource } from '../model/resource.js';
import type { ApplyDeps, ApplyOptions } from './options.js';
import { runCreate } from './create.js';
import { liveReferrers, runDelete } from './delete.js';
import type { Level } from './levels.js';
import { runBounded } from './pool.js';
import type { ApplyEvent, ChangeOutcome } from './result.js';
import { adapterOf, type StepContext, type StepResult } from './steps.js';
import { runUpdate } from './update.js';

/**
 * The scheduler of one apply run: the changes of a level run concurrently under a bound, the next level starts when
 * the whole level has ended. On the first failure, or when the caller's signal aborts, no new change starts; changes
 * in flight finish; every change ends up applied, failed or not attempted.
 */
export class ApplyRun {
  readonly applied: ChangeOutcome[] = [];
  readonly failed: ChangeOutcome[] = [];
  readonly started = new Set<Change>();
  stale = false;
  #failedOnce = false;
  readonly #ctx: StepContext;
  readonly #signal: AbortSignal | undefined;
  readonly #onEvent: (event: ApplyEvent) => void;
  readonly #concurrency: number;
  readonly #now: () => number;
  readonly #total: number;
  #completed = 0;

  constructor(plan: Plan, deps: ApplyDeps, options: ApplyOptions, now: () => number) {
    const ids = createIdMap(undefined, deps.ids);
    this.#ctx = {
      client: deps.client,
      adapters: deps.adapters,
      ids,
      write: {
        ids,
        fingerprints: options.fingerprints ?? new FingerprintCache(),
        salt: options.salt ?? newFingerprintSalt(),
      },
      maxCreateAttempts: Math.max(1, options.maxCreateAttempts ?? 3),
      unclearCreateSettleMs: Math.max(0, options.unclearCreateSettleMs ?? 1000),
    };
    this.#signal = options.signal;
    this.#onEvent = options.onEvent ?? (() => {});
    this.#concurrency = Math.max(1, options.concurrency ?? 12);
    this.#now = now;
    this.#total = plan.changes.length;
  }

  /** True once a change failed or the run was interrupted: nothing more starts. */
  get stopped(): boolean {
    return this.#failedOnce || this.interrupted;
  }

  get interrupted(): boolean {
    return this.#signal?.aborted === true;
  }

  async runLevel(level: Level): Promise<void> {
    await runBounded(
      level.changes,
      this.#concurrency,
      (change) => this.#execute(change),
      () => !this.stopped,
    );
    if (level.phase === 'upsert' && !this.stopped) await this.#healRacedCreates(level);
  }

  async #execute(change: Change): Promise<void> {
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
      const done: StepResult =
        change.type === 'create'
          ? await runCreate(this.#ctx, change)
          : change.type === 'update'
            ? await runUpdate(this.#ctx, change.kind, change.key, change.id, change.version, change.desired)
            : await runDelete(this.#ctx, change);
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

  /**
   * Two applies of the same files at once both create the same entities. Right after a level's creates, the kind is
   * listed once: where a key this run created now has more than one entity, every run keeps the oldest (the last in
   * m3ter's newest-first list) and deletes its own copy, so whichever run checks last heals the race. A copy that
   * cannot be removed is left for the next plan, which deletes copies as their own kind of change.
   */
  async #healRacedCreates(level: Level): Promise<void> {
    const mine = new Map<string, string>();
    for (const o of this.applied) {
      if (o.kind === level.kind && o.action === 'create' && o.id !== undefined) mine.set(o.key, o.id);
    }
    if (mine.size === 0) return;
    const adapter = adapterOf(this.#ctx, level.kind);
    const { client } = this.#ctx;
    let all: LiveResource[];
    try {
      all = adapter.fromList(await adapter.listRaw(client, undefined, { beside: 'writes' }), this.#ctx.ids);
    } catch {
      return; // The next plan sees any copy; nothing here depends on this read.
    }
    const oldest = new Map<string, string>();
    for (const r of all) if (mine.has(r.key)) oldest.set(r.key, r.live.id); // the last one listed wins
    for (const [key, id] of mine) {
      const keep = oldest.get(key);
      if (keep === undefined || keep === id) continue;
      try {
        // Never a copy that something already points at by id: the next plan shows it, and the referrers with it.
        // (What names it by key names the one kept just as well: the copy is keyed by its id.)
        if ((await liveReferrers(this.#ctx, level.kind, id, idKey(id))).length > 0) continue;
        if (!(await this.#removeCopy(level, id))) continue;
        this.#ctx.ids.set(level.kind, key, keep);
        const outcome = this.applied.find(
          (o) => o.kind === level.kind && o.key === key && o.action === 'create',
        );
        if (outcome) {
          outcome.id = keep;
          outcome.resolution = 'raced_copy_removed';
          delete outcome.version;
        }
      } catch {
        // Left for the next plan.
      }
    }
  }

  /**
   * Removes this run's copy; true when it is gone. A DELETE whose answer was lost may have landed, and its retry then
   * meets 404: the copy is gone all the same, and this run must switch to the kept one, or its next level would
   * reference an entity that no longer exists. Any other failure: gone only if a read says so.
   */
  async #removeCopy(level: Level, id: string): Promise<boolean> {
    const adapter = adapterOf(this.#ctx, level.kind);
    try {
      await adapter.remove(this.#ctx.client, id);
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return true;
      try {
        return (await adapter.read(this.#ctx.client, id, this.#ctx.ids)) === undefined;
      } catch {
        return false;
      }
    }
  }

  #fail(change: Change, t0: number, error: unknown): void {
    this.started.add(change);
    this.#failedOnce = true;
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
}
