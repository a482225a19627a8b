import type { Kind } from '../model/kinds.js';
import type { Change } from '../model/plan.js';

/** What a change does: the plan's `create` / `update` / `delete`. */
export type ChangeAction = Change['type'];

/**
 * How a change reached its outcome when it was not the plain, single write:
 * - `adopted`: a create whose POST had an unclear outcome (timeout, reset, 5xx); the entity was then found by its key
 *   with the desired attributes and taken over, so nothing was created twice.
 * - `adopted_and_updated`: as `adopted`, but the entity found differed from the files and was updated.
 * - `created_again`: an unclear create found nothing with its key, so it was created once more.
 * - `confirmed`: an update whose retried PUT met a version conflict; re-reading showed that our first PUT had landed.
 * - `already_deleted`: a delete that found the entity gone (m3ter answered 404).
 * - `raced_copy_removed`: another run created the same entity at the same time; this run's copy was removed and the
 *   older one kept (its id is the outcome's).
 */
export type Resolution =
  | 'adopted'
  | 'adopted_and_updated'
  | 'created_again'
  | 'confirmed'
  | 'already_deleted'
  | 'raced_copy_removed';

/** The outcome of one change. Never carries a secret. */
export interface ChangeOutcome {
  kind: Kind;
  key: string;
  action: ChangeAction;
  status: 'applied' | 'failed';
  /** The entity's id after the change (absent for a delete, or when it failed before m3ter answered). */
  id?: string;
  /** The entity's version after the change (creates and updates). */
  version?: number;
  durationMs: number;
  resolution?: Resolution;
  /** Failed changes: a stable code (`stale_plan`, `duplicate_entities`, `api_bad_request`, ...) and m3ter's message. */
  error?: { code: string; message: string };
}

/** Progress of an apply, one event as each change starts and as it ends. */
export type ApplyEvent = ApplyStartedEvent | ApplyEndedEvent;

export interface ApplyStartedEvent {
  type: 'started';
  kind: Kind;
  key: string;
  action: ChangeAction;
  /** Changes ended so far, and the number in the plan. */
  completed: number;
  total: number;
}

export interface ApplyEndedEvent {
  type: 'finished' | 'failed';
  outcome: ChangeOutcome;
  /** Changes ended so far, this one included, and the number in the plan. */
  completed: number;
  total: number;
}

/**
 * - `applied`: every change was applied.
 * - `failed`: a change failed; the rest was not attempted.
 * - `stale`: the live state moved since the plan was made (a version was rejected, or an entity was gone); nothing
 *   more was written. Plan again.
 * - `interrupted`: the run was stopped (`ApplyOptions.signal`, the CLI's SIGINT/SIGTERM) with no change failed; the
 *   changes in flight finished, the rest was not attempted. Apply again to finish.
 */
export type ApplyStatus = 'applied' | 'failed' | 'stale' | 'interrupted';

/**
 * An exact account of an apply. `applied`, `failed` and `notAttempted` together hold every change of the plan,
 * each once. After a failure or an interruption a new plan shows exactly what is left (the `notAttempted` changes,
 * and the failed ones).
 */
export interface ApplyResult {
  status: ApplyStatus;
  applied: readonly ChangeOutcome[];
  failed: readonly ChangeOutcome[];
  /** In plan order. */
  notAttempted: readonly Change[];
  durationMs: number;
  /** HTTP requests this apply sent (retries and the checks before the first write included). */
  requests: number;
  /** Of those, retries (429, 5xx, connection errors) and 429s met. */
  retries: number;
  rateLimited: number;
}
