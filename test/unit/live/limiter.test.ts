import { describe, expect, it } from 'vitest';
import { backoffDelay, retryAfterMs, seededRandom } from '../../../src/live/backoff.js';
import { RateLimiter } from '../../../src/live/limiter.js';
import { fakeClock } from './stub-server.js';

/**
 * A virtual clock for concurrent waiters: `sleep` registers a timer, `settle` runs every timer in time order (ties
 * in the order they were set), letting promise continuations run between timers. No real time passes.
 */
function virtualClock(start = 0) {
  let seq = 0;
  const timers: { at: number; seq: number; fire: () => void }[] = [];
  const clock = {
    t: start,
    now: () => clock.t,
    sleep: (ms: number) =>
      new Promise<void>((fire) => {
        timers.push({ at: clock.t + Math.max(0, ms), seq: seq++, fire });
      }),
    /** Runs timers, in order, until none is left (or `until` is reached). */
    async settle(until = Number.POSITIVE_INFINITY): Promise<void> {
      for (;;) {
        for (let i = 0; i < 10; i++) await Promise.resolve();
        timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
        const next = timers[0];
        if (next === undefined || next.at > until) return;
        timers.shift();
        clock.t = Math.max(clock.t, next.at);
        next.fire();
      }
    },
  };
  return clock;
}

/** Every `rate + 1` consecutive sends span at least the window: no window ever holds more than `rate`. */
function expectWindowHolds(times: number[], rate: number, windowMs: number): void {
  const sorted = [...times].sort((a, b) => a - b);
  let shortest = Number.POSITIVE_INFINITY;
  for (let i = 0; i + rate < sorted.length; i++) {
    shortest = Math.min(shortest, (sorted[i + rate] as number) - (sorted[i] as number));
  }
  // (A hair of tolerance: fractional intervals such as 1000 / 7 do not add up exactly in floating point.)
  expect(shortest).toBeGreaterThanOrEqual(windowMs - 1e-6);
}

describe('RateLimiter', () => {
  it('spaces sends 1000/rate ms apart instead of bursting the whole window', async () => {
    const clock = virtualClock();
    const limiter = new RateLimiter({ rate: 50, slackMs: 0, burst: 0, clock });
    const times: number[] = [];
    for (let i = 0; i < 10; i++) void limiter.acquire().then(() => times.push(clock.t));
    await clock.settle();
    expect(times).toEqual([0, 20, 40, 60, 80, 100, 120, 140, 160, 180]);
  });

  it('allows one interval of burst by default, then keeps the pace', async () => {
    const clock = virtualClock();
    const limiter = new RateLimiter({ rate: 50, slackMs: 0, clock });
    const times: number[] = [];
    for (let i = 0; i < 5; i++) void limiter.acquire().then(() => times.push(clock.t));
    await clock.settle();
    expect(times).toEqual([0, 0, 20, 40, 60]);
  });

  it('lets a lone sender go at once when the pace allows it', async () => {
    const clock = virtualClock();
    const limiter = new RateLimiter({ rate: 50, slackMs: 0, burst: 0, clock });
    await limiter.acquire();
    clock.t = 500;
    const p = limiter.acquire().then(() => clock.t);
    await clock.settle();
    await expect(p).resolves.toBe(500);
  });

  it('never lets more than `rate` sends into any window, whatever the pacing', async () => {
    // Pacing alone at burst 10 would let 10 + 50 into the first second; the window holds it to 50.
    const clock = virtualClock();
    const limiter = new RateLimiter({ rate: 50, slackMs: 0, burst: 10, clock });
    const times: number[] = [];
    for (let i = 0; i < 120; i++) void limiter.acquire().then(() => times.push(clock.t));
    await clock.settle();
    expect(times).toHaveLength(120);
    expectWindowHolds(times, 50, 1000);
    expect(times.filter((t) => t < 1000)).toHaveLength(50);
  });

  it('widens the window by the slack', async () => {
    const clock = virtualClock();
    const limiter = new RateLimiter({ rate: 2, slackMs: 25, clock });
    const times: number[] = [];
    for (let i = 0; i < 4; i++) {
      const p = limiter.acquire().then(() => times.push(clock.t));
      await clock.settle();
      await p;
      clock.t += 10;
    }
    expect(times).toEqual([0, 10, 1025, 1035]);
  });

  it('keeps a steady trickle under the rate in every window', async () => {
    const clock = virtualClock();
    const limiter = new RateLimiter({ rate: 50, slackMs: 0, clock });
    const times: number[] = [];
    for (let i = 0; i < 400; i++) {
      const p = limiter.acquire().then(() => times.push(clock.t));
      await clock.settle();
      await p;
      clock.t += 7;
    }
    expectWindowHolds(times, 50, 1000);
  });

  it('holds the window guarantee under any arrival pattern (seeded, property-style)', async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const rnd = seededRandom(seed);
      const clock = virtualClock();
      const rate = 1 + Math.floor(rnd() * 60);
      const slackMs = Math.floor(rnd() * 50);
      const burst = Math.floor(rnd() * 6);
      const limiter = new RateLimiter({ rate, slackMs, burst, clock });
      const times: number[] = [];
      const n = 150 + Math.floor(rnd() * 150);
      // Arrivals in clumps and trickles, with random priorities and the odd pause (as after a 429).
      let at = 0;
      for (let i = 0; i < n; i++) {
        at += rnd() < 0.3 ? 0 : Math.floor(rnd() ** 3 * 400);
        // Odd seeds mix priorities; even seeds send everything at one priority (every send leads, as in apply).
        const priority = seed % 2 === 0 || rnd() < 0.5 ? 0 : Math.floor(rnd() * 40);
        void clock.sleep(at).then(() => {
          if (rnd() < 0.01) limiter.pauseUntil(clock.t + Math.floor(rnd() * 2000));
          return limiter.acquire(priority).then(() => times.push(clock.t));
        });
      }
      await clock.settle();
      expect(times, `seed ${seed}`).toHaveLength(n);
      expectWindowHolds(times, rate, limiter.windowMs);
      // And the pace: over any span, at most burst + 1 more than span / interval (GCRA's bound). Only the leading
      // priority keeps to it (the others take spare capacity unpaced), so it holds when every send is of one.
      if (seed % 2 === 1) continue;
      const sorted = [...times].sort((a, b) => a - b);
      let excess = 0;
      for (let i = 0; i < sorted.length; i++) {
        for (let j = i + 1; j < sorted.length && j - i <= 3 * rate; j++) {
          const span = (sorted[j] as number) - (sorted[i] as number);
          excess = Math.max(excess, j - i - (Math.floor(span / limiter.intervalMs + 1e-6) + burst));
        }
      }
      expect(excess, `seed ${seed}`).toBeLessThanOrEqual(0);
    }
  });

  it('serves waiters by priority, highest first', async () => {
    const clock = virtualClock();
    const limiter = new RateLimiter({ rate: 10, slackMs: 0, burst: 0, clock });
    await limiter.acquire(); // the pace now holds the next send until t = 100
    const order: string[] = [];
    const ask = (name: string, priority: number) =>
      void limiter.acquire(priority).then(() => order.push(name));
    ask('p1', 1);
    ask('p7', 7);
    ask('p0', 0);
    ask('p3', 3);
    await clock.settle();
    expect(order).toEqual(['p7', 'p3', 'p1', 'p0']);
  });

  it('serves equal priorities first come, first served', async () => {
    const clock = virtualClock();
    const limiter = new RateLimiter({ rate: 10, slackMs: 0, burst: 0, clock });
    await limiter.acquire();
    const order: string[] = [];
    for (const [name, priority] of [
      ['a', 2],
      ['b', 5],
      ['c', 2],
      ['d', 5],
      ['e', 2],
    ] as const) {
      void limiter.acquire(priority).then(() => order.push(name));
    }
    await clock.settle();
    expect(order).toEqual(['b', 'd', 'a', 'c', 'e']);
  });

  it('a late high-priority request overtakes those already waiting', async () => {
    const clock = virtualClock();
    const limiter = new RateLimiter({ rate: 10, slackMs: 0, burst: 0, clock });
    const order: string[] = [];
    for (let i = 0; i < 4; i++) void limiter.acquire(0).then(() => order.push(`low${i}`));
    await clock.settle(150); // low0 at 0, low1 at 100
    void limiter.acquire(9).then(() => order.push('high'));
    await clock.settle();
    expect(order).toEqual(['low0', 'low1', 'high', 'low2', 'low3']);
  });

  it('keeps the longest page chain at its own pace while shorter ones take what is left', async () => {
    // Three lists (10, 40 and 20 pages), each page a 30 ms round trip, priority = pages read: the 40-page chain
    // must not be slowed below its round trip, and the whole read stays at the rate.
    const clock = virtualClock();
    const limiter = new RateLimiter({ rate: 50, slackMs: 25, clock });
    const sends: Record<string, number[]> = { a: [], b: [], c: [] };
    const chain = async (name: 'a' | 'b' | 'c', pages: number) => {
      for (let p = 0; p < pages; p++) {
        await limiter.acquire(p);
        sends[name]?.push(clock.t);
        await clock.sleep(30);
      }
    };
    const all = Promise.all([chain('a', 10), chain('b', 40), chain('c', 20)]);
    await clock.settle();
    await all;
    const b = sends['b'] as number[];
    const gaps = b.slice(1).map((t, i) => t - (b[i] as number));
    // While the 10-page chain keeps level with it (a tie, served first come first served), the long chain may
    // wait up to two paced intervals a page; once it leads alone it never waits: the others keep off the slots
    // its projected sends need.
    expect(Math.max(...gaps)).toBeLessThanOrEqual(30 + 2 * limiter.intervalMs);
    expect(gaps.slice(10).filter((g) => g > 30)).toEqual([]);
    const every = Object.values(sends).flat();
    expect(every).toHaveLength(70);
    expectWindowHolds(every, 50, limiter.windowMs);
    // The whole read: 70 sends at 50 per second, plus the last round trip; well inside 1.3 x (40 x 30 ms).
    expect(Math.max(...every) + 30).toBeLessThanOrEqual(1.3 * 40 * 30);
  });

  it('holds every sender while paused', async () => {
    const clock = virtualClock();
    const limiter = new RateLimiter({ rate: 50, clock });
    limiter.pauseUntil(750);
    const p = limiter.acquire(99).then(() => clock.t);
    await clock.settle();
    await expect(p).resolves.toBe(750);
  });

  it('still works with a clock whose sleep just advances time', async () => {
    const clock = fakeClock(0);
    const limiter = new RateLimiter({ rate: 5, slackMs: 0, clock });
    const times: number[] = [];
    await Promise.all(Array.from({ length: 12 }, () => limiter.acquire().then(() => times.push(clock.t))));
    // Such a clock runs every sleep at once, so only the totals can be checked: 12 sends at 5 per second.
    expect(times).toHaveLength(12);
    expect(clock.t).toBeGreaterThanOrEqual(2000);
  });

  it('is a no-op at rate 0 (disabled)', async () => {
    const clock = fakeClock(0);
    const limiter = new RateLimiter({ rate: 0, clock });
    await Promise.all(Array.from({ length: 1000 }, () => limiter.acquire()));
    expect(clock.t).toBe(0);
  });
});

describe('backoff', () => {
  it('is full jitter under a capped exponential', () => {
    const o = { baseMs: 200, capMs: 8000, random: () => 0.999999 };
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((a) => backoffDelay(a, o))).toEqual([
      199, 399, 799, 1599, 3199, 6399, 7999, 7999,
    ]);
    expect(backoffDelay(3, { ...o, random: () => 0 })).toBe(0);
  });

  it('replays with a seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });

  it('reads retry-after-ms, Retry-After seconds and HTTP dates', () => {
    expect(retryAfterMs({ 'retry-after-ms': '250' }, 0)).toBe(250);
    expect(retryAfterMs({ 'retry-after': '3' }, 0)).toBe(3000);
    expect(retryAfterMs({ 'retry-after': '0.5' }, 0)).toBe(500);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }, now)).toBe(5000);
    expect(retryAfterMs({ 'retry-after': 'Wed, 31 Dec 2025 23:00:00 GMT' }, now)).toBe(0);
    expect(retryAfterMs({ 'retry-after': 'soon' }, 0)).toBeUndefined();
    expect(retryAfterMs({}, 0)).toBeUndefined();
  });
});
