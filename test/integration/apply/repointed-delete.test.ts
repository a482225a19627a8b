import { afterEach, describe, expect, it } from 'vitest';
import { StalePlanError } from '../../../src/model/errors.js';
import type { DeleteChange, Plan } from '../../../src/model/plan.js';
import { checkPlanIsCurrent } from '../../../src/apply/check-current.js';
import { readLiveState } from '../../../src/live/read-live-state.js';
import { d, desiredState } from '../../unit/plan/builders.js';
import {
  applyAndConverge,
  applyWith,
  countByKey,
  type Org,
  planAgainst,
  startOrg,
} from '../../helpers/converge.js';
import { sharedSecrets } from './fixtures.js';

/**
 * Issue 8 point 7, both layers: the pre-write check (reason `key`) and the delete itself (a GET that compares key and
 * version) each refuse a delete whose id names another entity than the planned key, even at the same version.
 */

let org: Org | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

const both = () =>
  desiredState(
    [
      { ...d.webhook('keep'), secrets: sharedSecrets() },
      { ...d.webhook('drop'), secrets: sharedSecrets() },
    ],
    { managed: ['webhook'] },
  );
const one = () =>
  desiredState([{ ...d.webhook('keep'), secrets: sharedSecrets() }], { managed: ['webhook'] });

/** The plan that deletes "drop", with its delete pointed at "keep" (same version, 1). */
async function repointed(): Promise<{
  plan: Plan;
  keepId: string;
  planned: Awaited<ReturnType<typeof planAgainst>>;
}> {
  const planned = await planAgainst(org!.client, one());
  const keepLive = planned.live.resources.webhook.get('keep')!;
  const del = planned.plan.changes[0] as DeleteChange;
  expect([del.type, del.key, del.version]).toEqual(['delete', 'drop', keepLive.live.version]);
  const plan: Plan = { ...planned.plan, changes: [{ ...del, id: keepLive.live.id }] };
  return { plan, keepId: keepLive.live.id, planned };
}

describe('a delete pointed at another entity', () => {
  it('is refused by the pre-write check, with reason key', async () => {
    org = await startOrg();
    await applyAndConverge(org.client, both());
    const { plan, keepId, planned } = await repointed();
    const current = await checkPlanIsCurrent(plan, { client: org.client, ids: planned.ids, readLiveState });
    expect(current).toEqual({
      ok: false,
      moved: [{ kind: 'webhook', key: 'drop', action: 'delete', reason: 'key', id: keepId, liveKey: 'keep' }],
    });
  });

  it('is refused by the delete step itself when the pre-write check is skipped', async () => {
    org = await startOrg();
    await applyAndConverge(org.client, both());
    const { plan, planned } = await repointed();
    const result = await applyWith(org.client, { ...planned, plan }, { checkCurrent: false });
    expect(result.status).toBe('stale');
    expect(result.failed.map((o) => o.error?.code)).toEqual(['plan_stale']);
    expect(result.failed[0]?.error?.message).toContain('is webhook "keep"');
    const counts = countByKey(org.emulator.admin.exportState()).webhook;
    expect([counts.get('keep'), counts.get('drop')]).toEqual([1, 1]);
  });

  it('through applyPlan: a StalePlanError before any write', async () => {
    org = await startOrg();
    await applyAndConverge(org.client, both());
    const { plan, planned } = await repointed();
    let error: unknown;
    try {
      await applyWith(org.client, { ...planned, plan });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StalePlanError);
    expect(countByKey(org.emulator.admin.exportState()).webhook.get('keep')).toBe(1);
  });
});
