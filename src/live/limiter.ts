/**
 * The client-side rate limiter: a sliding window of send times.
 *
 * m3ter allows 50 requests per second per org, counted "for the remainder of the second" (fixed windows). A
 * sliding window is stricter than any alignment of fixed windows: no `windowMs` span ever holds more than `rate`
 * sends, wherever the server draws its second boundaries. `slackMs` widens the window a little so that requests
 * bunched in transit (the first of a pair delayed more than the last) still land under the limit at the server.
 *
 * Slots are handed out first come, first served; a 429's Retry-After pauses every sender, not just the one that
 * met it. Token requests take slots too.
 */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface RateLimiterOptions {
  /** Sends per second. `Infinity` (or 0) disables the limiter. */
  rate: number;
  /** Extra width of the window, in ms. @default 25 */
  slackMs?: number;
  clock?: Clock;
}

export class RateLimiter {
  readonly rate: number;
  readonly windowMs: number;
  readonly #clock: Clock;
  /** Send times in the current window, oldest first; at most `rate` entries. */
  readonly #stamps: number[] = [];
  #pausedUntil = 0;
  #tail: Promise<void> = Promise.resolve();

  constructor(options: RateLimiterOptions) {
    this.rate = options.rate > 0 ? options.rate : Number.POSITIVE_INFINITY;
    this.windowMs = 1000 + (options.slackMs ?? 25);
    this.#clock = options.clock ?? realClock;
  }

  /** Resolves when one more request may be sent, and counts it as sent. */
  acquire(): Promise<void> {
    const turn = this.#tail.then(() => this.#take());
    // The next caller queues behind this one whether or not it settles well.
    this.#tail = turn.catch(() => undefined);
    return turn;
  }

  /** Holds every sender until `until` (a clock time), e.g. after a 429 with Retry-After. */
  pauseUntil(until: number): void {
    if (until > this.#pausedUntil) this.#pausedUntil = until;
  }

  async #take(): Promise<void> {
    for (;;) {
      const now = this.#clock.now();
      while (this.#stamps.length > 0 && (this.#stamps[0] ?? 0) <= now - this.windowMs) this.#stamps.shift();
      let wait = this.#pausedUntil - now;
      if (this.#stamps.length >= this.rate)
        wait = Math.max(wait, (this.#stamps[0] ?? now) + this.windowMs - now);
      if (wait <= 0) {
        if (Number.isFinite(this.rate)) this.#stamps.push(now);
        return;
      }
      await this.#clock.sleep(wait);
    }
  }
}
