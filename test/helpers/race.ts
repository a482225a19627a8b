import type { ApplyOptions, ApplyResult } from '../../src/apply/index.js';
import type { LiveClient, ReadLiveState } from '../../src/live/contract.js';
import { adapters } from '../../src/live/index.js';
import { readLiveState } from '../../src/live/read-live-state.js';
import { FingerprintCache } from '../../src/model/fingerprint.js';
import { seededRandom } from '../../src/model/random.js';
import type { DesiredState } from '../../src/model/state.js';
import { applyPlan } from '../../src/apply/index.js';
import { planAgainst } from './converge.js';

/**
 * Two applies of the same files at once, as two CI jobs run them: each plans against the org as it is, passes its
 * pre-write check (both before either writes: the worst case, when both jobs started together), then writes. The
 * barrier is on the real readLiveState of the check, not a sleep; how the writes interleave comes from the seed
 * (each run's concurrency) and the emulator's latency.
 */

export interface RaceOutcome {
  /** What each apply returned, or the error it threw (a plan or check that failed under faults). */
  runs: (ApplyResult | Error)[];
  concurrency: [number, number];
}

export async function raceApplies(
  clients: [LiveClient, LiveClient],
  desired: DesiredState,
  seed: number,
  options: ApplyOptions = {},
): Promise<RaceOutcome> {
  const rand = seededRandom(seed);
  const concurrency: [number, number] = [1 + Math.floor(rand() * 12), 1 + Math.floor(rand() * 12)];
  // Both plans see the org before either apply writes.
  const planned = await Promise.all(
    clients.map((c) => planAgainst(c, desired, { fingerprints: new FingerprintCache() })),
  );

  let checked = 0;
  let release!: () => void;
  const bothChecked = new Promise<void>((resolve) => (release = resolve));
  // A run with nothing to do makes no check: it does not hold the other at the gate.
  for (const p of planned) if (p.plan.changes.length === 0) checked++;
  if (checked >= 2) release();
  const gated: ReadLiveState = async (client, kinds) => {
    try {
      return await readLiveState(client, kinds);
    } finally {
      // The first readLiveState of an apply is its pre-write check; the second run's check opens the gate.
      if (++checked >= 2) release();
      await bothChecked;
    }
  };

  const runs = await Promise.all(
    planned.map(async (p, i) => {
      try {
        return await applyPlan(
          p.plan,
          { client: clients[i]!, adapters, ids: p.ids, readLiveState: gated },
          { unclearCreateSettleMs: 0, concurrency: concurrency[i]!, ...options },
        );
      } catch (error) {
        // A run that fails before its check's read returns must not hold the other at the gate.
        if (checked < 2) {
          checked = 2;
          release();
        }
        return error instanceof Error ? error : new Error(String(error));
      }
    }),
  );
  return { runs, concurrency };
}

/** How many changes, across runs, ended with each resolution. */
export function resolutionsOf(runs: readonly (ApplyResult | Error)[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of runs) {
    if (r instanceof Error) continue;
    for (const o of r.applied) if (o.resolution) out[o.resolution] = (out[o.resolution] ?? 0) + 1;
  }
  return out;
}
