import { afterEach, describe, expect, it } from 'vitest';
import { apiSeeder } from '../../helpers/seed-api.js';
import { type TestEmulator, notificationBody, start } from './helpers.js';

/** The Events API over the events the emulator fired, and evaluate against one of them. */
describe('emulator events', () => {
  let t: TestEmulator | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const fire = async (body: unknown) => {
    const res = await fetch(`${t!.emu.url}/_emulator/events`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { event: { id: string }; fired: { notificationId: string }[] };
  };

  it('lists and gets the events it fired, with dtActioned, filtered and paged', async () => {
    t = await start({ now: () => Date.parse('2026-12-06T12:00:00Z') });
    const c = t.client;
    const rule = (
      await c.call('POST', '/notifications/configurations', {
        body: notificationBody({ code: 'big', calculation: 'Math.max(new.amount, 0) >= 1000' }),
      })
    ).body;
    const small = await fire({
      eventName: 'configuration.commitment.updated',
      new: { amount: 5, accountId: 'acc-1' },
    });
    const big = await fire({
      eventName: 'configuration.commitment.updated',
      new: { amount: 5000, id: 'cm-1' },
      old: { amount: 1 },
    });
    const bill = await fire({ eventName: 'billing.bill.created', new: { total: 1 } });
    expect(big.fired).toEqual([{ notificationId: rule.id, code: 'big' }]);

    const all = await c.call('GET', '/events');
    expect(all.body.data.map((e: { id: string }) => e.id)).toEqual([
      bill.event.id,
      big.event.id,
      small.event.id,
    ]);
    const got = await c.call('GET', `/events/${big.event.id}`);
    expect(got.body).toEqual({
      id: big.event.id,
      eventName: 'configuration.commitment.updated',
      eventTime: '2026-12-06T12:00:00.000Z',
      dtActioned: '2026-12-06T12:00:00.000Z',
      m3terEvent: { eventData: { newDto: { amount: 5000, id: 'cm-1' }, oldDto: { amount: 1 } } },
    });
    expect((await c.call('GET', '/events/nope')).status).toBe(404);

    const ids = async (query: Record<string, string>) =>
      (await c.call('GET', '/events', { query })).body.data.map((e: { id: string }) => e.id);
    expect(await ids({ eventName: 'billing.bill.created' })).toEqual([bill.event.id]);
    expect(await ids({ notificationId: rule.id })).toEqual([big.event.id]);
    expect(await ids({ notificationCode: 'big' })).toEqual([big.event.id]);
    expect(await ids({ accountId: 'acc-1' })).toEqual([small.event.id]);
    expect(await ids({ resourceId: 'cm-1' })).toEqual([big.event.id]);
    expect(await ids({ ids: `${small.event.id},${bill.event.id}` })).toEqual([bill.event.id, small.event.id]);
    expect(await ids({ eventType: 'IntegrationEvent' })).toEqual([]);
    expect(await ids({ includeActioned: 'false' })).toEqual([]);
    expect((await c.call('GET', '/events', { query: { eventType: 'Other' } })).status).toBe(400);

    const first = await c.call('GET', '/events', { query: { pageSize: '2' } });
    expect(first.body.data).toHaveLength(2);
    const second = await c.call('GET', '/events', {
      query: { pageSize: '2', nextToken: first.body.nextToken as string },
    });
    expect(second.body.data.map((e: { id: string }) => e.id)).toEqual([small.event.id]);
    expect(second.body.nextToken).toBeUndefined();
  });

  it('serves the published field lists for commitment events, and an empty one for others', async () => {
    t = await start({ eventFields: { 'billing.bill.created': { 'new.total': 'double' } } });
    const c = t.client;
    const created = (
      await c.call('GET', '/events/fields', { query: { eventName: 'configuration.commitment.created' } })
    ).body.events['configuration.commitment.created'];
    expect(Object.keys(created)).toHaveLength(24);
    expect(created).toMatchObject({
      'new.amount': 'double',
      'new.customFields': 'map',
      'new.billingInterval': 'int',
    });
    const updated = (
      await c.call('GET', '/events/fields', { query: { eventName: 'configuration.commitment.updated' } })
    ).body.events['configuration.commitment.updated'];
    expect(updated).toMatchObject({ 'new.amountSpent': 'double', 'old.amountSpent': 'double' });
    const deleted = (
      await c.call('GET', '/events/fields', { query: { eventName: 'configuration.commitment.deleted' } })
    ).body.events['configuration.commitment.deleted'];
    expect(Object.keys(deleted).every((k) => k.startsWith('old.'))).toBe(true);
    expect(
      (await c.call('GET', '/events/fields', { query: { eventName: 'billing.bill.created' } })).body,
    ).toEqual({ events: { 'billing.bill.created': { 'new.total': 'double' } } });
    expect(
      (await c.call('GET', '/events/fields', { query: { eventName: 'configuration.account.created' } })).body,
    ).toEqual({ events: { 'configuration.account.created': {} } });
  });

  it('evaluates a calculation against a fired event by eventId; eventName wins when both are sent', async () => {
    t = await start();
    const c = t.client;
    const { event } = await fire({
      eventName: 'configuration.commitment.updated',
      new: { amount: 100, amountSpent: 95 },
      old: { amount: 100, amountSpent: null },
    });
    const evaluate = async (body: Record<string, unknown>) =>
      (await c.call('POST', '/notifications/evaluate', { body })).body;
    expect(
      await evaluate({
        eventId: event.id,
        calculation: 'isnull(old.amountSpent, 0) < new.amountSpent ? true : false',
      }),
    ).toEqual({ success: true });
    expect(await evaluate({ eventId: event.id, calculation: 'new.amountSpent ^ 2 > 10000' })).toMatchObject({
      success: false,
      errorMessage: 'the calculation is false for this event',
    });
    expect(await evaluate({ eventId: event.id, calculation: 'new.amountSpent = 1' })).toMatchObject({
      success: false,
      errorMessage: expect.stringMatching(/'=' is not a comparison: write == \(at character 17\)/),
    });
    expect(
      await evaluate({
        eventId: event.id,
        eventName: 'configuration.commitment.created',
        calculation: 'old.amount > 1',
      }),
    ).toMatchObject({ success: false, errorMessage: expect.stringMatching(/no old/) });
  });

  it('takes the event types its scheduled events add, as /events/types lists them: fires and evaluates them', async () => {
    t = await start();
    const c = t.client;
    // Seeded without the contract check: the OpenAPI fixtures hold no scheduled event schema.
    await (
      await apiSeeder(t.emu)
    ).scheduledEvent({
      name: 'scheduled.bill.dueSoon',
      entity: 'Bill',
      field: 'dueDate',
      offset: 10,
    });
    const types = (await c.call('GET', '/events/types')).body as { events: string[] };
    expect(types.events).toContain('scheduled.bill.dueSoon');
    const rule = (
      await c.call('POST', '/notifications/configurations', {
        body: notificationBody({ code: 'due', eventName: 'scheduled.bill.dueSoon', calculation: 'true' }),
      })
    ).body;
    const fired = await fire({ eventName: 'scheduled.bill.dueSoon', new: { id: 'bill-1' } });
    expect(fired.fired).toEqual([{ notificationId: rule.id, code: 'due' }]);
    const evaluated = await c.call('POST', '/notifications/evaluate', {
      body: { eventName: 'scheduled.bill.dueSoon', calculation: 'true' },
    });
    expect(evaluated.body).toEqual({ success: true });
  });
});
