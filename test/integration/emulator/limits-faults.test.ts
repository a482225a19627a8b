import { afterEach, describe, expect, it } from 'vitest';
import { Agent, request } from 'undici';
import type { FaultKind } from '../../../src/emulator/index.js';
import { type TestEmulator, TestClient, notificationBody, start } from './helpers.js';

/** One request's outcome as a client sees it: a status, or the connection lost ('reset') or timed out ('hang'). */
async function outcome(t: TestEmulator, method: string, path: string, body?: unknown): Promise<string> {
  const agent = new Agent({ keepAliveTimeout: 1, pipelining: 0 });
  try {
    const r = await request(`${t.emu.url}/organizations/${t.emu.orgId}${path}`, {
      method: method as 'GET',
      headers: {
        authorization: `Bearer ${t.client.token}`,
        'content-type': 'application/json',
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      dispatcher: agent,
      headersTimeout: 300,
      bodyTimeout: 300,
    });
    await r.body.text();
    return String(r.statusCode);
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    return code.includes('TIMEOUT') ? 'hang' : 'reset';
  } finally {
    await agent.destroy();
  }
}

async function outcomes(t: TestEmulator, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(await outcome(t, 'GET', '/events/types'));
  return out;
}

describe('emulator rate limit', () => {
  let t: TestEmulator;
  afterEach(() => t?.close());

  it('allows N requests per org per one-second window, then 429 with Retry-After', async () => {
    let now = 1_000_000_000_000 + 250;
    t = await start({ rateLimit: 3, now: () => now });
    const other = new TestClient(t.emu);
    await other.login();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const c = i % 2 === 0 ? t.client : other;
      statuses.push((await c.call('GET', '/events/types')).status);
    }
    // Counted per organization across all callers.
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await t.client.call('GET', '/events/types');
    expect(limited.status).toBe(429);
    expect(limited.body.message).toMatch(/Too Many Requests/);
    expect(limited.headers.get('retry-after')).toBe('1');
    // The token endpoint is not limited.
    expect((await t.client.tokenRequest()).status).toBe(200);
    now += 750; // next whole second: a fresh window
    expect((await t.client.call('GET', '/events/types')).status).toBe(200);
    const counters = t.emu.admin.counters();
    expect(counters.rateLimited).toBe(2);
    expect(counters.statuses['429']).toBe(2);
  });

  it('sends no Retry-After when retryAfterOn429 is off, and no limit with rateLimit 0', async () => {
    t = await start({ rateLimit: 1, retryAfterOn429: false, now: () => 5_000 });
    await t.client.call('GET', '/events/types');
    const r = await t.client.call('GET', '/events/types');
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBeNull();
    await t.close();
    t = await start({ rateLimit: 0, now: () => 5_000 });
    for (let i = 0; i < 60; i++) expect((await t.client.call('GET', '/events/types')).status).toBe(200);
  });

  it('limits 50 requests per second by default', async () => {
    t = await start({ rateLimit: undefined as unknown as number, now: () => 7_000 });
    const statuses = await Promise.all(
      Array.from({ length: 55 }, () => t.client.call('GET', '/events/types').then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(50);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
  });
});

describe('emulator fault injection', () => {
  let t: TestEmulator;
  afterEach(() => t?.close());

  const kinds: FaultKind[] = ['5xx', '429', 'reset', 'hang', 'commit-then-fail'];

  it('replays the exact same outcomes for the same seed', async () => {
    const run = async (seed: number) => {
      t = await start({ faultRate: 0.5, faultKinds: kinds, seed, hangMs: 5_000 });
      const seq = await outcomes(t, 16);
      const counters = t.emu.admin.counters();
      await t.close();
      return { seq, counters };
    };
    const a = await run(42);
    const b = await run(42);
    expect(b.seq).toEqual(a.seq);
    // 'reset' is a reset or a commit-then-fail (both lose the answer); faultsByKind tells them apart.
    expect(a.seq).toEqual([
      '200',
      'reset',
      '200',
      'reset',
      'hang',
      '200',
      '429',
      '200',
      '200',
      '502',
      '200',
      '200',
      'reset',
      '200',
      'reset',
      '429',
    ]);
    expect(b.counters.faultsByKind).toEqual(a.counters.faultsByKind);
    expect(a.counters.faultsInjected).toBe(a.seq.filter((s) => s !== '200').length);
    const c = await run(7);
    expect(c.seq).not.toEqual(a.seq);
  });

  it('commit-then-fail applies the write and loses the answer', async () => {
    t = await start({ faultRate: 1, faultKinds: ['commit-then-fail'] });
    expect(await outcome(t, 'POST', '/notifications/configurations', notificationBody())).toBe('reset');
    const state = t.emu.admin.exportState();
    expect(state.notifications.map((n) => n.code)).toEqual(['commitment_90']);
    expect(t.emu.admin.counters().faultsByKind).toEqual({ 'commit-then-fail': 1 });
  });

  it('reset destroys the socket without applying the write', async () => {
    t = await start({ faultRate: 1, faultKinds: ['reset'] });
    expect(await outcome(t, 'POST', '/notifications/configurations', notificationBody())).toBe('reset');
    expect(t.emu.admin.exportState().notifications).toEqual([]);
  });

  it('5xx and 429 faults answer JSON with a message', async () => {
    t = await start({ faultRate: 1, faultKinds: ['5xx'] });
    const r = await t.client.call('GET', '/events/types');
    expect([500, 502, 504]).toContain(r.status);
    expect(r.body.message).toMatch(/Injected/);
    await t.close();
    t = await start({ faultRate: 1, faultKinds: ['429'] });
    const l = await t.client.call('GET', '/events/types');
    expect(l.status).toBe(429);
    expect(l.headers.get('retry-after')).toBe('1');
  });

  it('a hang holds the request until hangMs, and close() ends hung sockets at once', async () => {
    t = await start({ faultRate: 1, faultKinds: ['hang'], hangMs: 50 });
    const headers = { authorization: `Bearer ${t.client.token}` };
    // hangMs passes: the socket is destroyed without an answer.
    await expect(
      fetch(`${t.emu.url}/organizations/${t.emu.orgId}/events/types`, { headers }),
    ).rejects.toThrow();
    await t.close();
    t = await start({ faultRate: 1, faultKinds: ['hang'], hangMs: 600_000 });
    const pending = fetch(`${t.emu.url}/organizations/${t.emu.orgId}/events/types`, {
      headers: { authorization: `Bearer ${t.client.token}` },
    });
    const settled = pending.then(
      () => 'answered',
      () => 'failed',
    );
    // Wait until the emulator holds the request, then close.
    while (t.emu.admin.counters().faultsInjected === 0) await new Promise((r) => setImmediate(r));
    await t.emu.close();
    expect(await settled).toBe('failed');
  });

  it('never injects faults on /oauth/token or /_emulator/*', async () => {
    t = await start({ faultRate: 1, faultKinds: ['reset'] });
    for (let i = 0; i < 5; i++) expect((await t.client.tokenRequest()).status).toBe(200);
    const res = await fetch(`${t.emu.url}/_emulator/counters`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { faultsInjected: number }).faultsInjected).toBe(0);
  });

  it('adds latency to each request', async () => {
    t = await start({ latencyMs: 40 });
    const started = performance.now();
    await t.client.call('GET', '/events/types');
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
  });
});
