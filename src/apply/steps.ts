import type { Adapters, KindAdapter, LiveClient, WriteContext } from '../live/contract.js';
import type { MutableIdMap } from '../live/id-map.js';
import type { Kind } from '../model/kinds.js';
import type { Resolution } from './result.js';

/** What each write protocol (create.ts, update.ts, delete.ts) needs from the run. */
export interface StepContext {
  client: LiveClient;
  adapters: Adapters;
  /** The run's id map: the planner's, extended with what this run creates and trimmed by what it deletes. */
  ids: MutableIdMap;
  write: WriteContext;
  /** POSTs per create when outcomes are unclear. */
  maxCreateAttempts: number;
  /** Wait after a create that got no HTTP answer, before looking it up by key. */
  unclearCreateSettleMs: number;
}

/** The ids and version a change left, and how it got there when it was not the plain single write. */
export interface StepResult {
  id?: string;
  version?: number;
  resolution?: Resolution;
}

export function adapterOf(ctx: StepContext, kind: Kind): KindAdapter<Kind> {
  return ctx.adapters[kind] as unknown as KindAdapter<Kind>;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
