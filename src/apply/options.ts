import type { Adapters, IdMap, LiveClient, ReadLiveState } from '../live/contract.js';
import type { FingerprintCache } from '../model/fingerprint.js';
import type { ApplyEvent } from './result.js';

/** Everything apply needs to talk to the org. */
export interface ApplyDeps {
  client: LiveClient;
  adapters: Adapters;
  /** Ids and keys of the live entities, as read when planning. Never changed: the run extends a copy. */
  ids: IdMap;
  /** Reads whole kinds, for the check before the first write. */
  readLiveState: ReadLiveState;
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
  /**
   * Aborting it stops the run as a failure does: no new change starts, changes in flight finish, and the result
   * (status `interrupted`) accounts for every change.
   */
  signal?: AbortSignal | undefined;
}
