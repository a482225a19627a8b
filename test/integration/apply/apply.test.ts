import { afterEach, describe, expect, it } from 'vitest';
import type { ApplyEvent } from '../../../src/apply/index.js';
import { applyAndConverge, type Org, planAgainst, startOrg } from '../../helpers/converge.js';
import { fullOrg, quickstart } from './fixtures.js';

let org: Org | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

describe('apply converges', () => {
  it('applies the quickstart shape, then plans empty', async () => {
    org = await startOrg();
    const events: ApplyEvent[] = [];
    const { first, result } = await applyAndConverge(org.client, quickstart(), {
      onEvent: (e) => events.push(e),
    });
    expect(first.summary).toEqual({ create: 3, update: 0, delete: 0 });
    expect(result.applied.map((o) => `${o.action} ${o.kind} ${o.key} v${o.version}`)).toEqual([
      'create webhook ops-hook v1',
      'create notificationRule commitment-updated v1',
      'create link commitment-updated->ops-hook v1',
    ]);
    expect(events.filter((e) => e.type === 'finished')).toHaveLength(3);
    expect(events.filter((e) => e.type === 'started')).toHaveLength(3);
  });

  it('applies every kind, then updates and deletes, converging each time', async () => {
    org = await startOrg();
    await applyAndConverge(org.client, fullOrg(3));
    // Change: fewer webhooks (their links go), a renamed rule, a deactivated link.
    const next = fullOrg(2);
    const rule = next.resources.notificationRule.get('rule-0')!;
    next.resources.notificationRule.set('rule-0', {
      ...rule,
      attributes: { ...rule.attributes, name: 'Renamed' },
    });
    const link = next.resources.link.get('rule-1->hook-1')!;
    next.resources.link.set('rule-1->hook-1', { ...link, attributes: { ...link.attributes, active: false } });
    const planned = await planAgainst(org.client, next);
    expect(planned.plan.unsafe).toEqual([]);
    const { result } = await applyAndConverge(org.client, next);
    const by = (a: string) => result.applied.filter((o) => o.action === a).map((o) => `${o.kind} ${o.key}`);
    expect(by('delete')).toEqual(
      expect.arrayContaining([
        'webhook hook-2',
        'link rule-0->hook-2',
        'link rule-2->hook-2',
        'notificationRule rule-3',
      ]),
    );
    expect(by('update')).toEqual(expect.arrayContaining(['notificationRule rule-0', 'link rule-1->hook-1']));
    // Links were deleted before what they referenced.
    const order = result.applied.map((o) => `${o.action} ${o.kind}`);
    expect(order.lastIndexOf('delete link')).toBeLessThan(order.indexOf('delete webhook'));
  });
});
