import type { Kind } from './kinds.js';
import type { LiveResource } from './resource.js';
import type { DesiredState, LiveState } from './state.js';

/**
 * Why m3ter holds a link disabled that the files declare active, from m3ter's own records: the link's last change
 * and the last failed integration run of its rule to its webhook. Every text in it is m3ter's data (an `error` is
 * redacted of the files' secrets before it gets here), shown escaped for its output, never as markup.
 */
export interface LinkHealth {
  /** The latest failed run m3ter lists for the link, or `null` when none was found or the runs could not be read. */
  lastFailedRun: FailedRun | null;
  /** `null` when the runs were read; otherwise why their detail is missing (`HTTP 404`, `an unexpected answer`). */
  runsUnavailable: string | null;
  /** m3ter's request that re-enables the link (what `apply` sends for it). */
  reenableRequest: string;
}

export interface FailedRun {
  id: string | null;
  status: string;
  error: string | null;
  /** When the run ended (or started, when m3ter gives no end). */
  at: string | null;
}

/** The command that re-enables every link the files declare active: apply sends m3ter's enable request for each. */
export const REENABLE_COMMAND = 'm3ter-config apply';

/** A link worth explaining: declared active, disabled live. Its rule's and webhook's ids as m3ter stores them. */
export interface LinkToExplain {
  key: string;
  id: string;
  ruleId: string | undefined;
  webhookId: string | undefined;
}

/**
 * The links the files declare active that m3ter holds disabled: the only ones whose runs are read, so an org with
 * none never depends on the run endpoints.
 */
export function linksToExplain(desired: DesiredState, live: LiveState): LinkToExplain[] {
  const out: LinkToExplain[] = [];
  // This reads the link section itself (typed), so it names its kind once, as a value.
  const kind: Kind = 'link';
  if (!live.readKinds.has(kind)) return out;
  for (const [key, want] of desired.resources.link) {
    const have = live.resources.link.get(key) as LiveResource<'link'> | undefined;
    if (!have || !want.attributes.active || have.attributes.active) continue;
    out.push({ key, id: have.live.id, ruleId: have.live.entityId, webhookId: have.live.destinationId });
  }
  return out;
}
