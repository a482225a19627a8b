import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type TestEmulator, notificationBody, start, validatedBySchema, webhookBody } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- tests read replies ad hoc; the contract check types them */

/** A loopback receiver answering the next status of `statuses` (then 200). */
async function receiver(statuses: number[]): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(statuses.shift() ?? 200).end('ok'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, close: () => new Promise((r) => server.close(() => r())) };
}

describe('emulator integration runs', () => {
  let t: TestEmulator | undefined;
  let rx: Awaited<ReturnType<typeof receiver>> | undefined;
  afterEach(async () => {
    await t?.close();
    await rx?.close();
    t = rx = undefined;
  });

  async function wire(url: string) {
    const c = t!.client;
    const w = (await c.call('POST', '/integrationdestinations/webhooks', { body: webhookBody({ url }) }))
      .body;
    const n = (
      await c.call('POST', '/notifications/configurations', {
        body: notificationBody({ alwaysFireEvent: true, calculation: undefined }),
      })
    ).body;
    const link = (
      await c.call('POST', '/integrationconfigs', {
        body: { entityType: 'Notification', entityId: n.id, destination: 'Webhook', destinationId: w.id },
      })
    ).body;
    return { w, n, link };
  }
  const fire = () =>
    t!.emu.admin.fireEvent({ eventName: 'configuration.commitment.updated', new: { amount: 1 } });

  it('records a run per delivery: STARTED, AWAITING_RETRY with the error, then COMPLETE or ERROR', async () => {
    let clock = Date.parse('2026-02-01T00:00:00Z');
    t = await start({ deliveryAutoRetry: false, deliveryRetryDelaysMs: [1000], now: () => clock });
    rx = await receiver([500, 200, 502, 503]);
    const { w, n } = await wire(rx.url);
    const c = t.client;

    const first = await fire();
    const runId = first.deliveries[0]!.integrationRunId;
    let run = (await c.call('GET', `/integrationruns/${runId}`)).body;
    expect(run).toMatchObject({
      id: runId,
      entityType: 'Notification',
      entityId: n.id,
      destination: 'Webhook',
      destinationId: w.id,
      status: 'AWAITING_RETRY',
      error: 'the webhook answered HTTP 500',
      dtStarted: '2026-02-01T00:00:00.000Z',
    });
    expect(run.dtCompleted).toBeUndefined();
    clock += 1000;
    await t.emu.admin.retryDeliveries();
    run = (await c.call('GET', `/integrationruns/${runId}`)).body;
    expect(run).toMatchObject({ status: 'COMPLETE', dtCompleted: '2026-02-01T00:00:01.000Z' });
    expect(run.error).toBeUndefined();

    clock += 1000;
    const second = (await fire()).deliveries[0]!.integrationRunId;
    clock += 1000;
    await t.emu.admin.retryDeliveries();
    const failed = (await c.call('GET', `/integrationruns/${second}`)).body;
    expect(failed).toMatchObject({ status: 'ERROR', error: 'the webhook answered HTTP 503' });

    // Found by the rule (newest first), by the webhook, and as the rule's latest.
    const byRule = (await c.call('GET', `/integrationruns/Notification/${n.id}`)).body;
    expect(byRule.data.map((r: any) => [r.id, r.status])).toEqual([
      [second, 'ERROR'],
      [runId, 'COMPLETE'],
    ]);
    const byWebhook = (
      await c.call('GET', `/integrationruns/destinations/${w.id}`, {
        query: { order: 'ASC', pageSize: '1' },
      })
    ).body;
    expect(byWebhook.data.map((r: any) => r.id)).toEqual([runId]);
    const next = (
      await c.call('GET', `/integrationruns/destinations/${w.id}`, {
        query: { order: 'ASC', pageSize: '1', nextToken: byWebhook.nextToken },
      })
    ).body;
    expect(next.data.map((r: any) => r.id)).toEqual([second]);
    expect(next.nextToken).toBeUndefined();
    const errors = (
      await c.call('GET', `/integrationruns/Notification/${n.id}`, { query: { status: 'ERROR' } })
    ).body;
    expect(errors.data.map((r: any) => r.id)).toEqual([second]);
    expect(
      (
        await c.call('GET', `/integrationruns/Notification/${n.id}`, {
          query: { startDate: '2026-02-01T00:00:01.000Z' },
        })
      ).body.data.map((r: any) => r.id),
    ).toEqual([second]);
    expect((await c.call('GET', `/integrationruns/Notification/latest/${n.id}`)).body.id).toBe(second);
    expect((await c.call('GET', `/integrationruns/Notification/latest/${w.id}`)).status).toBe(404);
    expect((await c.call('GET', `/integrationruns/Invoice/${n.id}`)).status).toBe(400);
    expect(
      (await c.call('GET', `/integrationruns/Notification/${n.id}`, { query: { status: 'BAD' } })).status,
    ).toBe(400);
    expect(validatedBySchema.get('PaginatedIntegrationRunResponseData')).toBeGreaterThan(0);
    expect(validatedBySchema.get('IntegrationRunResponse')).toBeGreaterThan(0);
  });

  it('disables the link after the set number of failed deliveries, with an integration.disabled.error event naming the last run', async () => {
    t = await start({ deliveryAutoRetry: false, deliveryRetryDelaysMs: [], disableLinkAfterFailures: 3 });
    rx = await receiver([500, 500, 500]);
    const { link } = await wire(rx.url);
    const runs: string[] = [];
    for (let i = 0; i < 3; i++) runs.push((await fire()).deliveries[0]!.integrationRunId);
    const after = (await t.client.call('GET', `/integrationconfigs/${link.id}`)).body;
    expect(after).toMatchObject({ enabled: false, lastModifiedBy: 'SYSTEM' });
    const last = t.emu.admin.deliveries().at(-1)!;
    expect(last.integrationRunId).toBe(runs[2]);
    const eventId = last.disabledLinkEventId;
    expect(eventId).toBeDefined();
    const holds = async (calculation: string) =>
      (await t!.client.call('POST', '/notifications/evaluate', { body: { eventId, calculation } })).body;
    expect(await holds(`new.integrationConfigId == "${link.id}"`)).toEqual({ success: true });
    expect(await holds(`new.integrationRunId == "${runs[2]}"`)).toEqual({ success: true });
    expect(await holds(`new.error == "the webhook answered HTTP 500"`)).toEqual({ success: true });
    expect(
      t.emu.admin
        .deliveries()
        .slice(0, 2)
        .map((d) => d.disabledLinkEventId),
    ).toEqual([undefined, undefined]);
    const skipped = await fire();
    expect(skipped.deliveries).toEqual([]);
    expect(skipped.skipped[0]?.reason).toMatch(/disabled/);
    expect(runs).toHaveLength(3);
  });

  it('answers 404 on every run endpoint when told the org has none', async () => {
    t = await start({ integrationRuns: 'absent' });
    expect((await t.client.call('GET', '/integrationruns/Notification/abc')).status).toBe(404);
    expect((await t.client.call('GET', '/integrationruns/destinations/abc')).status).toBe(404);
  });
});
