import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyM3terRequest } from '../../../src/signing/index.js';
import { type TestEmulator, notificationBody, start, webhookBody } from './helpers.js';

interface Received {
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A loopback receiver that records every request and answers with the next status of `statuses` (then 200). */
async function receiver(
  statuses: number[] = [],
): Promise<{ url: string; got: Received[]; close(): Promise<void> }> {
  const got: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(statuses.shift() ?? 200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/m3ter/hook`,
    got,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe('emulator deliveries', () => {
  let t: TestEmulator | undefined;
  let rx: Awaited<ReturnType<typeof receiver>> | undefined;
  afterEach(async () => {
    await t?.close();
    await rx?.close();
    t = rx = undefined;
  });

  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${t!.emu.url}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };

  /** A webhook at the receiver, a rule and the link between them. */
  async function wire(url: string, rule: Record<string, unknown> = {}) {
    const c = t!.client;
    const w = (await c.call('POST', '/integrationdestinations/webhooks', { body: webhookBody({ url }) }))
      .body;
    const n = (await c.call('POST', '/notifications/configurations', { body: notificationBody(rule) })).body;
    const link = (
      await c.call('POST', '/integrationconfigs', {
        body: { entityType: 'Notification', entityId: n.id, destination: 'Webhook', destinationId: w.id },
      })
    ).body;
    return { w, n, link };
  }

  const spent = (newSpent: number, oldSpent: number) => ({
    eventName: 'configuration.commitment.updated',
    new: { amount: 100, amountSpent: newSpent },
    old: { amount: 100, amountSpent: oldSpent },
  });

  it('delivers a signed Event that the public verifier accepts, only when the calculation holds', async () => {
    t = await start({ deliveryAutoRetry: false });
    rx = await receiver();
    const { n } = await wire(rx.url);
    const quiet = await admin('POST', '/_emulator/events', spent(10, 5));
    expect(quiet.body.fired).toEqual([]);
    expect(quiet.body.skipped).toEqual([
      { notificationId: n.id, code: 'commitment_90', reason: 'the calculation is false' },
    ]);
    expect(rx.got).toHaveLength(0);

    const fired = await admin('POST', '/_emulator/events', spent(95, 5));
    expect(fired.status).toBe(200);
    expect(fired.body.fired).toEqual([{ notificationId: n.id, code: 'commitment_90' }]);
    expect(fired.body.deliveries[0]).toMatchObject({ status: 'delivered', attempts: [{ status: 200 }] });
    expect(rx.got).toHaveLength(1);
    const got = rx.got[0]!;
    expect(
      verifyM3terRequest({ url: rx.url, body: got.body, headers: got.headers, secrets: ['hook-secret'] }),
    ).toEqual({
      ok: true,
      apiKey: 'hook-key',
    });
    expect(
      verifyM3terRequest({ url: rx.url, body: got.body, headers: got.headers, secrets: ['other'] }).ok,
    ).toBe(false);
    const event = JSON.parse(got.body);
    expect(event).toMatchObject({
      eventName: 'configuration.commitment.updated',
      m3terEvent: { eventData: { newDto: { amountSpent: 95 }, oldDto: { amountSpent: 5 } } },
    });
    expect(event.id).toBe(fired.body.event.id);
    const listed = await admin('GET', '/_emulator/deliveries');
    expect(listed.body.data.map((d: { status: string }) => d.status)).toEqual(['delivered']);
    expect(JSON.stringify(listed.body)).not.toContain('hook-secret');

    // The same event checked through m3ter's evaluate endpoint, by id.
    const byId = await t.client.call('POST', '/notifications/evaluate', {
      body: { eventId: event.id, calculation: 'new.amountSpent > 90' },
    });
    expect(byId.body).toEqual({ success: true });
  });

  it('delivers to a URL with user info, and lists and answers it with the user info masked', async () => {
    t = await start({ deliveryAutoRetry: false });
    rx = await receiver();
    const withUser = rx.url.replace('http://', 'http://ops-user:pw-s3cret@');
    await wire(withUser);
    const fired = await admin('POST', '/_emulator/events', spent(95, 5));
    expect(fired.body.deliveries[0]).toMatchObject({ status: 'delivered' });
    expect(rx.got).toHaveLength(1);
    const listed = await admin('GET', '/_emulator/deliveries');
    expect(listed.body.data[0].url).toBe(rx.url.replace('http://', 'http://***@'));
    expect(JSON.stringify(fired.body) + JSON.stringify(listed.body)).not.toContain('pw-s3cret');
  });

  it('retries on a fixed schedule, then disables a link whose deliveries keep failing', async () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    t = await start({
      deliveryAutoRetry: false,
      deliveryRetryDelaysMs: [1000, 5000],
      disableLinkAfterFailures: 2,
      now: () => clock,
    });
    rx = await receiver([500, 503, 200, 500, 500, 500, 500, 500, 500]);
    const { link } = await wire(rx.url, { alwaysFireEvent: true, calculation: undefined });
    const first = await admin('POST', '/_emulator/events', spent(1, 1));
    expect(first.body.deliveries[0]).toMatchObject({
      status: 'pending',
      attempts: [{ status: 500 }],
      nextAttemptAt: '2026-01-01T00:00:01.000Z',
    });
    clock += 1000;
    expect((await admin('POST', '/_emulator/deliveries/retry')).body.data[0]).toMatchObject({
      status: 'pending',
      attempts: [{ status: 500 }, { status: 503 }],
      nextAttemptAt: '2026-01-01T00:00:06.000Z',
    });
    expect((await admin('POST', '/_emulator/deliveries/retry')).body.data[0].status).toBe('delivered');
    // Two deliveries in a row fail every attempt: the link is disabled, as m3ter does.
    for (let i = 0; i < 2; i++) {
      await admin('POST', '/_emulator/events', spent(1, 1));
      await admin('POST', '/_emulator/deliveries/retry');
      await admin('POST', '/_emulator/deliveries/retry');
    }
    const statuses = (await admin('GET', '/_emulator/deliveries')).body.data.map(
      (d: { status: string }) => d.status,
    );
    expect(statuses).toEqual(['delivered', 'failed', 'failed']);
    const after = (await t.client.call('GET', `/integrationconfigs/${link.id}`)).body;
    expect(after).toMatchObject({ enabled: false, version: link.version + 1 });
    const skipped = await admin('POST', '/_emulator/events', spent(1, 1));
    expect(skipped.body.deliveries).toEqual([]);
    expect(skipped.body.skipped[0].reason).toMatch(/disabled/);
    expect(rx.got).toHaveLength(9);
  });

  it('delivers to loopback only, unless told otherwise', async () => {
    t = await start({ deliveryAutoRetry: false });
    await wire('https://hooks.example.com/ops', { alwaysFireEvent: true });
    // In process, the same as over HTTP.
    const r = await t.emu.admin.fireEvent(spent(1, 1));
    expect(r.deliveries[0]).toMatchObject({ status: 'refused' });
    expect(r.deliveries[0]?.attempts[0]?.error).toMatch(/not a loopback host/);
    expect(t.emu.admin.deliveries().map((d) => d.status)).toEqual(['refused']);
    expect(await t.emu.admin.retryDeliveries()).toEqual([]);
  });

  it('closes at once while a receiver hangs, without counting it as a failure', async () => {
    t = await start({ deliveryAutoRetry: false });
    let arrived!: () => void;
    const reached = new Promise<void>((r) => (arrived = r));
    const hung = createServer(() => arrived()); // never answers
    await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
    const { port } = hung.address() as AddressInfo;
    await wire(`http://127.0.0.1:${port}/hook`, { alwaysFireEvent: true });
    const firing = t.emu.admin.fireEvent(spent(1, 1));
    await reached;
    await t.emu.close();
    const result = await firing;
    expect(result.deliveries[0]).toMatchObject({ status: 'pending', attempts: [] });
    hung.closeAllConnections();
    await new Promise<void>((r) => hung.close(() => r()));
  });

  it('refuses an unknown event name', async () => {
    t = await start();
    const r = await admin('POST', '/_emulator/events', { eventName: 'configuration.nothing.updated' });
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/unknown event type/);
  });

  it('evaluates calculations against an event type', async () => {
    t = await start();
    const ev = (calculation: string, eventName = 'configuration.commitment.updated') =>
      t!.client.call('POST', '/notifications/evaluate', { body: { eventName, calculation } });
    expect((await ev('new.amountSpent >= new.amount')).body).toEqual({ success: true });
    expect((await ev('new.amountSpent = 1')).body).toEqual({
      success: false,
      errorMessage: "'=' is not a comparison: write == (at character 17)",
    });
    expect((await ev('old.amount > 1', 'configuration.commitment.created')).body.success).toBe(false);
    expect((await ev('new.a > 1', 'no.such.event')).body.errorMessage).toMatch(/unknown event type/);
  });
});
