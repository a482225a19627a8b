import { describe, expect, it } from 'vitest';
import { backoffDelay, retryAfterMs, seededRandom } from '../../../src/live/backoff.js';
import { RateLimiter } from '../../../src/live/limiter.js';
import { fakeClock } from './stub-server.js';

describe('RateLimiter', () => {
  it('lets a burst through, then never more than `rate` sends in any window', async () => {
    const clock = fakeClock(0);
    const limiter = new RateLimiter({ rate: 5, slackMs: 0, clock });
    const times: number[] = [];
    await Promise.all(Array.from({ length: 12 }, () => limiter.acquire().then(() => times.push(clock.t))));
    expect(times).toEqual([0, 0, 0, 0, 0, 1000, 1000, 1000, 1000, 1000, 2000, 2000]);
  });

  it('holds every sender while paused', async () => {
    const clock = fakeClock(0);
    const limiter = new RateLimiter({ rate: 50, clock });
    limiter.pauseUntil(750);
    await limiter.acquire();
    expect(clock.t).toBe(750);
  });

  it('widens the window by the slack', async () => {
    const clock = fakeClock(0);
    const limiter = new RateLimiter({ rate: 2, slackMs: 25, clock });
    const times: number[] = [];
    for (let i = 0; i < 4; i++) {
      await limiter.acquire();
      times.push(clock.t);
      clock.t += 10;
    }
    expect(times).toEqual([0, 10, 1025, 1035]);
  });

  it('keeps a steady trickle under the rate in every window', async () => {
    const clock = fakeClock(0);
    const limiter = new RateLimiter({ rate: 50, slackMs: 0, clock });
    const times: number[] = [];
    for (let i = 0; i < 400; i++) {
      await limiter.acquire();
      times.push(clock.t);
      clock.t += 7;
    }
    for (let i = 0; i + 50 < times.length; i++) {
      expect((times[i + 50] as number) - (times[i] as number)).toBeGreaterThanOrEqual(1000);
    }
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
