import { describe, expect, it } from 'vitest';
import type { DesiredResource, LiveResource } from '../../../src/model/resource.js';
import { createPlan } from '../../../src/plan/index.js';
import { d, desiredState, l, liveState, options } from '../plan/builders.js';
import { CountingMap, countingResources } from './counting.js';

/**
 * 100,000 entities (20,000 webhooks, 40,000 rules, 40,000 links), 10% of the webhooks and rules gone from the files
 * while the links to them stay: every one of those deletes is a linked delete to check. The checks must cost a few
 * map operations per entity, not one scan of the links per delete (that was 6,000 x 40,000 = 240 million).
 */
describe('createPlan at 100,000 entities', () => {
  it('plans 10% deletes with linked-delete checks in a linear number of map operations', () => {
    const hooks = 20_000;
    const rules = 40_000;
    const desired: DesiredResource[] = [];
    const live: LiveResource[] = [];
    const hook = (i: number) => `hook_${i}`;
    const rule = (i: number) => `rule_${i}`;
    for (let i = 0; i < hooks; i++) {
      live.push(l.webhook(hook(i)));
      if (i % 10 !== 0) desired.push(d.webhook(hook(i)));
    }
    for (let i = 0; i < rules; i++) {
      live.push(l.rule(rule(i)), l.link(rule(i), hook(i % hooks)));
      // The links stay declared: the deleted rules and webhooks are still pointed at.
      if (i % 10 !== 1) desired.push(d.rule(rule(i)));
      desired.push(d.link(rule(i), hook(i % hooks)));
    }
    const want = desiredState(desired);
    const have = liveState(live);
    countingResources(want.resources);
    countingResources(have.resources);
    CountingMap.ops = 0;
    const plan = createPlan(want, have, options({ allowDeletes: true }));
    const n = live.length;
    expect(n).toBe(100_000);
    expect(plan.summary.delete).toBe(hooks / 10 + rules / 10);
    expect(plan.unsafe.filter((u) => u.rule === 'linked_delete')).toHaveLength(hooks / 10 + rules / 10);
    // A handful of lookups per entity; a quadratic check would be thousands of times this.
    expect(CountingMap.ops).toBeLessThan(10 * n);
  });
});
