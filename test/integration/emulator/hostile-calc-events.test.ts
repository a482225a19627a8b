import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_CALC_DEPTH } from '../../../src/emulator/calc.js';
import { type TestEmulator, notificationBody, start, webhookBody } from './helpers.js';

/** Calculations built to overflow the parser's stack, and floods of events: refused or bounded, never a crash. */

const EVENT = 'configuration.commitment.updated';
const N = 100_000;
const DEEP: Record<string, string> = {
  parentheses: `${'('.repeat(N)}new.a > 1${')'.repeat(N)}`,
  'NOT chain': `${'NOT '.repeat(N)}new.a > 1`,
  'minus chain': `new.a > ${'- '.repeat(N)}1`,
  'plus chain': `new.a > 1${' + 1'.repeat(N)}`,
  // Within the 1 MiB body limit.
  'AND chain': `new.a > 1${' AND new.a > 1'.repeat(N / 10)}`,
  'just over the limit': `${'('.repeat(MAX_CALC_DEPTH + 1)}new.a > 1${')'.repeat(MAX_CALC_DEPTH + 1)}`,
};

let t: TestEmulator | undefined;
let receiver: Server | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
  await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
  receiver = undefined;
});

async function okReceiver(): Promise<string> {
  receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200).end());
  });
  await new Promise<void>((r) => receiver!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
}

describe('calculations nested deeply', () => {
  it('evaluate answers that it is nested too deeply, and the emulator keeps answering', async () => {
    t = await start();
    for (const [what, calculation] of Object.entries(DEEP)) {
      const r = await t.client.call('POST', '/notifications/evaluate', {
        body: { calculation, eventName: EVENT },
      });
      expect(r.status, what).toBe(200);
      expect(r.body.success, what).toBe(false);
      expect(r.body.errorMessage, what).toMatch(/nested too deeply \(more than 100 levels\)/);
    }
    // Deep but within the limit still works.
    const ok = `${'('.repeat(MAX_CALC_DEPTH - 1)}new.a > 1${')'.repeat(MAX_CALC_DEPTH - 1)}`;
    const r = await t.client.call('POST', '/notifications/evaluate', {
      body: { calculation: ok, eventName: EVENT },
    });
    expect(r.body).toEqual({ success: true });
  });

  it('a rule is refused with a 400 naming the calculation; nothing is stored', async () => {
    t = await start();
    for (const [what, calculation] of Object.entries(DEEP)) {
      for (const [method, path] of [['POST', '/notifications/configurations']] as const) {
        const r = await t.client.call(method, path, { body: notificationBody({ calculation }) });
        expect(r.status, what).toBe(400);
        expect(r.body.message, what).toMatch(/^calculation: the calculation is nested too deeply/);
      }
    }
    const created = await t.client.call('POST', '/notifications/configurations', {
      body: notificationBody(),
    });
    const put = await t.client.call('PUT', `/notifications/configurations/${created.body.id}`, {
      body: notificationBody({ calculation: DEEP['parentheses'], version: created.body.version }),
    });
    expect(put.status).toBe(400);
    expect((await t.client.call('GET', '/notifications/configurations')).body.data).toHaveLength(1);
  });

  it('a stored rule nested too deeply is skipped with its reason; the event still reaches the other rules', async () => {
    const url = await okReceiver();
    t = await start({ deliveryAutoRetry: false });
    const good = (
      await t.client.call('POST', '/notifications/configurations', {
        body: notificationBody({ code: 'good', alwaysFireEvent: true }),
      })
    ).body;
    const bad = (
      await t.client.call('POST', '/notifications/configurations', {
        body: notificationBody({ code: 'bad' }),
      })
    ).body;
    // A state file or seed from before the limit may hold one.
    const state = t.emu.admin.exportState();
    state.notifications.find((n) => n.id === bad.id)!.calculation = DEEP['parentheses'] as string;
    await t.emu.admin.seed(state);
    const w = (
      await t.client.call('POST', '/integrationdestinations/webhooks', { body: webhookBody({ url }) })
    ).body;
    for (const rule of [good, bad])
      await t.client.call('POST', '/integrationconfigs', {
        body: {
          entityType: 'Notification',
          entityId: rule.id,
          destination: 'Webhook',
          destinationId: w.id,
          configData: {},
        },
      });
    const fired = await t.emu.admin.fireEvent({ eventName: EVENT, new: { a: 2 } });
    expect(fired.fired.map((f) => f.code)).toEqual(['good']);
    expect(fired.skipped).toEqual([
      { notificationId: bad.id, code: 'bad', reason: expect.stringMatching(/nested too deeply/) },
    ]);
    expect(t.emu.admin.deliveries().map((d) => d.status)).toEqual(['delivered']);
  });
});

describe('kept events and deliveries', () => {
  it('are capped by keepEvents and keepDeliveries, the oldest dropped first', async () => {
    const url = await okReceiver();
    t = await start({ keepEvents: 5, keepDeliveries: 3 });
    const w = (
      await t.client.call('POST', '/integrationdestinations/webhooks', { body: webhookBody({ url }) })
    ).body;
    const rule = (
      await t.client.call('POST', '/notifications/configurations', {
        body: notificationBody({ alwaysFireEvent: true }),
      })
    ).body;
    await t.client.call('POST', '/integrationconfigs', {
      body: {
        entityType: 'Notification',
        entityId: rule.id,
        destination: 'Webhook',
        destinationId: w.id,
        configData: {},
      },
    });
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      const res = await fetch(`${t.emu.url}/_emulator/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ eventName: EVENT, new: { i } }),
      });
      ids.push(((await res.json()) as { event: { id: string } }).event.id);
    }
    const kept = (await (await fetch(`${t.emu.url}/_emulator/deliveries`)).json()) as {
      data: { eventId: string }[];
    };
    expect(kept.data.map((d) => d.eventId)).toEqual(ids.slice(-3));
    const evaluate = (eventId: string) =>
      t!.client.call('POST', '/notifications/evaluate', { body: { calculation: 'new.i >= 0', eventId } });
    expect((await evaluate(ids[0]!)).status).toBe(404);
    expect((await evaluate(ids[44]!)).status).toBe(404);
    expect((await evaluate(ids[45]!)).body).toEqual({ success: true });
  });
});
