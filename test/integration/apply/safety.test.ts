import { afterEach, describe, expect, it } from 'vitest';
import { type ApplyResult, applyPlan } from '../../../src/apply/index.js';
import { readSavedPlan, writeSavedPlan } from '../../../src/workflow/saved-plan.js';
import type { Adapters, LiveClient } from '../../../src/live/contract.js';
import { adapters } from '../../../src/live/index.js';
import { readLiveState } from '../../../src/live/read-live-state.js';
import { StalePlanError, UnclearWriteError, UnsafePlanError } from '../../../src/model/errors.js';
import { newFingerprintSalt } from '../../../src/model/fingerprint.js';
import type { DesiredState } from '../../../src/model/state.js';
import { d, desiredState } from '../../unit/plan/builders.js';
import {
  applyAndConverge,
  applyWith,
  countByKey,
  type Org,
  planAgainst,
  startOrg,
  writeContextFor,
} from '../../helpers/converge.js';
import { hooksAndRules, quickstart, sharedSecrets } from './fixtures.js';
import { writeCount } from '../../helpers/writes.js';

let org: Org | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

/** Write requests (POST, PUT, DELETE on the API; token requests excluded) the emulator has counted. */

function renamedRule(state: DesiredState, code: string, name: string): DesiredState {
  const next = structuredClone({ ...state, resources: undefined }) as unknown as DesiredState;
  next.resources = {
    credential: new Map(state.resources.credential),
    webhook: new Map(state.resources.webhook),
    notificationRule: new Map(state.resources.notificationRule),
    integration: new Map(state.resources.integration),
    scheduledEvent: new Map(state.resources.scheduledEvent),
    link: new Map(state.resources.link),
  };
  next.managedKinds = new Set(state.managedKinds);
  const rule = next.resources.notificationRule.get(code)!;
  next.resources.notificationRule.set(code, { ...rule, attributes: { ...rule.attributes, name } });
  return next;
}

async function thrown(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('a plan that moved is refused before the first write', () => {
  it('an out-of-band edit between plan and apply: StalePlanError, no write sent', async () => {
    org = await startOrg();
    await applyAndConverge(org.client, quickstart());
    const planned = await planAgainst(org.client, renamedRule(quickstart(), 'commitment-updated', 'Ours'));
    expect(planned.plan.summary).toEqual({ create: 0, update: 1, delete: 0 });

    // Someone edits the rule in the console meanwhile.
    const other = org.newClient();
    const theirs = renamedRule(quickstart(), 'commitment-updated', 'Theirs');
    const rule = planned.live.resources.notificationRule.get('commitment-updated')!;
    await adapters.notificationRule.update(
      other,
      rule.live.id,
      rule.live.version,
      theirs.resources.notificationRule.get('commitment-updated')!,
      writeContextFor(planned),
    );

    org.emulator.admin.resetCounters();
    const error = await thrown(applyWith(org.client, planned));
    expect(error).toBeInstanceOf(StalePlanError);
    expect((error as StalePlanError).code).toBe('plan_stale');
    expect((error as StalePlanError).meta['moved']).toEqual([
      {
        kind: 'notificationRule',
        key: 'commitment-updated',
        action: 'update',
        reason: 'version',
        id: rule.live.id,
        plannedVersion: 1,
        liveVersion: 2,
      },
    ]);
    expect(writeCount(org.emulator.admin.counters())).toBe(0);
    expect(org.emulator.admin.exportState().notifications[0]?.name).toBe('Theirs');
  });

  it('a saved plan: checksum, secrets from the environment, and the same refusal when a planned code was taken', async () => {
    org = await startOrg();
    const planned = await planAgainst(org.client, quickstart());
    const text = writeSavedPlan(planned.plan);
    expect(text).not.toContain('hook-secret-1');
    const env = { HOOK_KEY: 'hook-key-1', HOOK_SECRET: 'hook-secret-1' };

    // Someone creates a webhook with the planned code before the saved plan is applied.
    const ctx = writeContextFor(planned);
    await adapters.webhook.create(
      org.newClient(),
      { ...d.webhook('ops-hook'), secrets: sharedSecrets() },
      ctx,
    );
    org.emulator.admin.resetCounters();
    const error = await thrown(
      applyPlan(readSavedPlan(text, env), { client: org.client, adapters, ids: planned.ids, readLiveState }),
    );
    expect(error).toBeInstanceOf(StalePlanError);
    expect((error as StalePlanError).message).toContain(
      'webhook "ops-hook", which the plan creates, already exists',
    );
    expect(writeCount(org.emulator.admin.counters())).toBe(0);
  });

  it('a saved plan that is still current applies and converges', async () => {
    org = await startOrg();
    const planned = await planAgainst(org.client, quickstart());
    const plan = readSavedPlan(writeSavedPlan(planned.plan), {
      HOOK_KEY: 'hook-key-1',
      HOOK_SECRET: 'hook-secret-1',
    });
    const result = await applyPlan(plan, { client: org.client, adapters, ids: planned.ids, readLiveState });
    expect(result.status).toBe('applied');
    expect((await planAgainst(org.client, quickstart())).plan.changes).toEqual([]);
  });
});

describe('two applies racing on one org', () => {
  it('never lose an update: one applies, the other is stale, and its re-plan shows what is left', async () => {
    org = await startOrg();
    await applyAndConverge(org.client, quickstart());
    const a = org.newClient();
    const b = org.newClient();
    const wantA = renamedRule(quickstart(), 'commitment-updated', 'From A');
    const wantB = renamedRule(quickstart(), 'commitment-updated', 'From B');
    const [planA, planB] = await Promise.all([planAgainst(a, wantA), planAgainst(b, wantB)]);
    // Both past their checks: the PUTs race on the pinned version.
    const [rA, rB] = await Promise.all([
      applyWith(a, planA, { checkCurrent: false }),
      applyWith(b, planB, { checkCurrent: false }),
    ]);
    const statuses = [rA.status, rB.status].sort();
    expect(statuses).toEqual(['applied', 'stale']);
    const [winner, loser, loserWants] =
      rA.status === 'applied' ? ['From A', rB, wantB] : ['From B', rA, wantA];
    expect(loser.failed.map((o) => o.error?.code)).toEqual(['plan_stale']);
    expect(loser.applied).toEqual([]);
    expect(org.emulator.admin.exportState().notifications[0]?.name).toBe(winner);
    const again = await planAgainst(org.client, loserWants);
    expect(again.plan.changes.map((c) => (c.type === 'update' ? c.fields : []))).toEqual([
      [
        {
          field: 'name',
          from: winner,
          to: loserWants.resources.notificationRule.get('commitment-updated')!.attributes.name,
        },
      ],
    ]);
  });

  it('with many entities each update lands exactly once, by the apply that pinned the version it replaced', async () => {
    org = await startOrg();
    const base = hooksAndRules(12, 'r');
    await applyAndConverge(org.client, base);
    let wantA = base;
    let wantB = base;
    for (let i = 0; i < 12; i++) {
      wantA = renamedRule(wantA, `r-rule-${i}`, `A${i}`);
      wantB = renamedRule(wantB, `r-rule-${i}`, `B${i}`);
    }
    const a = org.newClient();
    const b = org.newClient();
    const [planA, planB] = await Promise.all([planAgainst(a, wantA), planAgainst(b, wantB)]);
    const results: ApplyResult[] = await Promise.all([
      applyWith(a, planA, { checkCurrent: false, concurrency: 3 }),
      applyWith(b, planB, { checkCurrent: false, concurrency: 3 }),
    ]);
    const names = new Map(org.emulator.admin.exportState().notifications.map((n) => [n.code, n.name]));
    for (let i = 0; i < 12; i++) {
      const key = `r-rule-${i}`;
      const byA = results[0]!.applied.some((o) => o.key === key);
      const byB = results[1]!.applied.some((o) => o.key === key);
      // At most one apply updated it, and the live value is that apply's; never two writes from version 1.
      expect(byA && byB, key).toBe(false);
      if (byA) expect(names.get(key)).toBe(`A${i}`);
      else if (byB) expect(names.get(key)).toBe(`B${i}`);
      else expect(names.get(key)).toBe(`Rule ${key}`);
    }
    for (const r of results) {
      if (r.status !== 'applied') expect(r.failed.every((o) => o.error?.code === 'plan_stale')).toBe(true);
    }
  });
});

describe('deletes', () => {
  it('a 404 on delete counts as done', async () => {
    org = await startOrg();
    await applyAndConverge(org.client, quickstart());
    const without = desiredState(
      [{ ...d.webhook('ops-hook'), secrets: sharedSecrets() }, d.rule('commitment-updated')],
      {
        managed: ['webhook', 'notificationRule', 'link'],
      },
    );
    const planned = await planAgainst(org.client, without);
    expect(planned.plan.changes.map((c) => `${c.type} ${c.key}`)).toEqual([
      'delete commitment-updated->ops-hook',
    ]);
    const other = org.newClient();
    // The link is deleted by someone else between our GET and our DELETE: m3ter answers our DELETE with 404.
    const racing: Adapters = {
      ...adapters,
      link: {
        ...adapters.link,
        async remove(client: LiveClient, id: string) {
          await adapters.link.remove(other, id);
          return adapters.link.remove(client, id);
        },
      },
    };
    const result = await applyPlan(planned.plan, {
      client: org.client,
      adapters: racing,
      ids: planned.ids,
      readLiveState,
    });
    expect(result.status).toBe('applied');
    expect(result.applied.map((o) => o.resolution)).toEqual(['already_deleted']);
    expect(org.emulator.admin.counters().statuses['404']).toBe(1);
    expect((await planAgainst(org.client, without)).plan.changes).toEqual([]);
  });

  it('an entity already gone when its delete runs counts as done', async () => {
    org = await startOrg();
    await applyAndConverge(org.client, quickstart());
    const without = desiredState(
      [{ ...d.webhook('ops-hook'), secrets: sharedSecrets() }, d.rule('commitment-updated')],
      {
        managed: ['webhook', 'notificationRule', 'link'],
      },
    );
    const planned = await planAgainst(org.client, without);
    const link = [...planned.live.resources.link.values()][0]!;
    await adapters.link.remove(org.newClient(), link.live.id);
    const result = await applyWith(org.client, planned, { checkCurrent: false });
    expect(result.applied.map((o) => `${o.key} ${o.resolution}`)).toEqual([
      'commitment-updated->ops-hook already_deleted',
    ]);
  });

  it('a plan deleting a linked webhook is refused, even with allowUnsafe, before any write', async () => {
    org = await startOrg();
    await applyAndConverge(org.client, quickstart());
    // Links unmanaged here: the link stays, so deleting its webhook trips linked_delete.
    const noHook = desiredState([d.rule('commitment-updated')], { managed: ['webhook', 'notificationRule'] });
    const planned = await planAgainst(org.client, noHook, { allowDeletes: true });
    expect(planned.plan.unsafe.map((u) => u.rule)).toEqual(['linked_delete']);
    org.emulator.admin.resetCounters();
    const error = await thrown(applyWith(org.client, planned, { allowUnsafe: true }));
    expect(error).toBeInstanceOf(UnsafePlanError);
    expect(writeCount(org.emulator.admin.counters())).toBe(0);
    expect(org.emulator.admin.exportState().webhooks).toHaveLength(1);
  });

  it('a webhook that gained a live link after the plan is not deleted, even by a server that would allow it', async () => {
    org = await startOrg({ refuseDeleteWhenReferenced: false });
    const base = desiredState(
      [
        { ...d.webhook('keep'), secrets: sharedSecrets() },
        { ...d.webhook('drop'), secrets: sharedSecrets() },
        d.rule('r'),
        d.link('r', 'keep'),
      ],
      { managed: ['webhook', 'notificationRule', 'link'] },
    );
    await applyAndConverge(org.client, base);
    const next = desiredState(
      [{ ...d.webhook('keep'), secrets: sharedSecrets() }, d.rule('r'), d.link('r', 'keep')],
      { managed: ['webhook', 'notificationRule'] },
    );
    const planned = await planAgainst(org.client, next);
    expect(planned.plan.changes.map((c) => `${c.type} ${c.kind} ${c.key}`)).toEqual(['delete webhook drop']);
    expect(planned.plan.unsafe).toEqual([]);
    // Someone links a rule to it meanwhile.
    await adapters.link.create(org.newClient(), d.link('r', 'drop'), writeContextFor(planned));
    const result = await applyWith(org.client, planned);
    expect(result.status).toBe('failed');
    expect(result.failed.map((o) => [o.key, o.error?.code])).toEqual([['drop', 'linked_delete']]);
    expect(result.failed[0]?.error?.message).toContain('live link "r->drop" still references it');
    expect(countByKey(org.emulator.admin.exportState()).webhook.get('drop')).toBe(1);
  });
});

describe('creates with an unclear outcome', () => {
  it('more than one entity with the key: fails, and never creates another', async () => {
    org = await startOrg({ codeUniqueness: 'allow' });
    const other = org.newClient();
    const planned = await planAgainst(org.client, quickstart());
    const hook = { ...d.webhook('ops-hook'), secrets: sharedSecrets() };
    const duplicating: Adapters = {
      ...adapters,
      webhook: {
        ...adapters.webhook,
        async create(_client, _desired, ctx) {
          // Two land (say, one by an earlier run whose answer was lost), and our POST's answer is lost too.
          await adapters.webhook.create(other, hook, ctx);
          await adapters.webhook.create(other, hook, ctx);
          throw new UnclearWriteError(
            'unclear_write',
            'POST /integrationdestinations/webhooks timed out',
            {},
          );
        },
      },
    };
    const result = await applyPlan(planned.plan, {
      client: org.client,
      adapters: duplicating,
      ids: planned.ids,
      readLiveState,
    });
    expect(result.status).toBe('failed');
    expect(result.failed.map((o) => o.error?.code)).toEqual(['duplicate_entities']);
    expect(result.notAttempted.map((c) => c.key)).toEqual([
      'commitment-updated',
      'commitment-updated->ops-hook',
    ]);
    expect(countByKey(org.emulator.admin.exportState()).webhook.get('ops-hook')).toBe(2);
  });

  it('one entity with the key but other attributes: adopted, then updated to the files', async () => {
    org = await startOrg();
    const planned = await planAgainst(org.client, quickstart());
    const lossy: Adapters = {
      ...adapters,
      webhook: {
        ...adapters.webhook,
        async create(client, desired, ctx) {
          const stale = { ...desired, attributes: { ...desired.attributes, name: 'half-written' } };
          await adapters.webhook.create(client, stale, { ...ctx, salt: newFingerprintSalt() });
          throw new UnclearWriteError(
            'unclear_write',
            'POST /integrationdestinations/webhooks: connection reset',
            {},
          );
        },
      },
    };
    const result = await applyPlan(
      planned.plan,
      { client: org.client, adapters: lossy, ids: planned.ids, readLiveState },
      { unclearCreateSettleMs: 0 },
    );
    expect(result.status).toBe('applied');
    expect(result.applied[0]).toMatchObject({
      key: 'ops-hook',
      resolution: 'adopted_and_updated',
      version: 2,
    });
    expect((await planAgainst(org.client, quickstart())).plan.changes).toEqual([]);
    expect(countByKey(org.emulator.admin.exportState()).webhook.get('ops-hook')).toBe(1);
  });
});
