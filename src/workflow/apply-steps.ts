import type { ApplyEvent, ApplyResult } from '../apply/index.js';
import type { Plan } from '../model/plan.js';
import { planIsEmpty } from '../plan/index.js';
import { renderApplyProgress } from '../render/apply.js';
import type { RunApplyResult } from './apply.js';

/**
 * The decisions of `apply` around the run itself, so the command only parses, calls, renders and maps to an exit
 * code: the one refusal of an unsafe plan, the account of a run with nothing to do, what a finished run (with its
 * verify) comes to, and the progress of a run as it goes.
 */

/**
 * The one refusal of an unsafe plan: the command makes it before anyone is asked to confirm, and `applyPlan` again
 * before its first write. `--allow-deletes` lifts the delete budget, never a delete that live entities still
 * reference.
 */
export { refuseUnsafePlan } from '../apply/index.js';

/** The result of applying a plan with no changes. */
export function emptyApplyResult(): ApplyResult {
  return {
    status: 'applied',
    applied: [],
    failed: [],
    notAttempted: [],
    durationMs: 0,
    requests: 0,
    retries: 0,
    rateLimited: 0,
  };
}

/** What a run came to, for the exit code and the lines after the account. */
export type ApplyVerdict =
  | { readonly type: 'interrupted' | 'stale' | 'failed' }
  /** Applied, but a new plan from the files is not empty. */
  | { readonly type: 'verify_plan_failed'; readonly plan: Plan }
  /** Applied, but the org does not show every change of the saved plan. */
  | { readonly type: 'verify_mismatches'; readonly mismatches: readonly string[] }
  /** Applied; `verified` says how, when --verify was given. */
  | { readonly type: 'applied'; readonly verified?: 'plan' | 'saved_plan' };

export function judgeApply(ran: RunApplyResult): ApplyVerdict {
  const { result, verifyPlan, verifyMismatches } = ran;
  if (result.status !== 'applied') return { type: result.status };
  if (verifyPlan && !planIsEmpty(verifyPlan)) return { type: 'verify_plan_failed', plan: verifyPlan };
  if (verifyMismatches && verifyMismatches.length > 0)
    return { type: 'verify_mismatches', mismatches: verifyMismatches };
  if (verifyPlan) return { type: 'applied', verified: 'plan' };
  if (verifyMismatches) return { type: 'applied', verified: 'saved_plan' };
  return { type: 'applied' };
}

/** Where the progress of a run is shown: finished changes as lines, and a status line the next write replaces. */
export interface ApplyProgressSink {
  /** One finished change (`event.type` is not `started`). */
  ended(event: Exclude<ApplyEvent, { type: 'started' }>): void;
  /** The status line: `applying: 3/7 done`; `undefined` clears it. */
  status(text: string | undefined): void;
}

/** Counts the changes in flight and tells a sink what to show as each change starts and ends. */
export class ApplyProgress {
  #inFlight = 0;

  constructor(private readonly sink: ApplyProgressSink) {}

  /** The changes started and not yet ended: what an interrupt waits for. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Pass as `onEvent` to the run. */
  readonly onEvent = (event: ApplyEvent): void => {
    this.#inFlight += event.type === 'started' ? 1 : -1;
    if (event.type !== 'started') {
      this.sink.status(undefined);
      this.sink.ended(event);
    }
    this.sink.status(renderApplyProgress(event));
  };

  /** What an interrupt says while the changes in flight finish. */
  stoppingMessage(reason: string, boundMs: number): string {
    const n = this.#inFlight;
    return `${reason}: stopping; no new change starts. Waiting for ${n} in-flight change${n === 1 ? '' : 's'} to finish (at most ${boundMs / 1000} s).`;
  }
}
