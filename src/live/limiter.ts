/**
 * The client-side rate limiter: smooth pacing, a hard sliding window, and service by priority.
 *
 * m3ter allows 50 requests per second per org, counted "for the remainder of the second" (fixed windows). Three
 * rules decide when the next request may go:
 *
 * 1. **The window (the guarantee).** No span of `windowMs` (one second plus `slackMs`) ever holds more than
 *    `rate` sends. A sliding window is stricter than any alignment of fixed windows, so wherever the server draws
 *    its second boundaries it never counts more than the limit; the slack covers requests bunched in transit.
 * 2. **Pacing, for the leading priority.** A request of the *leading* priority (the highest granted within the
 *    last window: the longest page chain, or every write of an apply, which all share one priority) keeps to a
 *    paced schedule, sends `1000 / rate` ms apart on average (GCRA style), and may run up to `burst` intervals
 *    ahead of it. The capacity of a second is spread over that second instead of being burnt in its first few
 *    hundred ms and then stalling everyone; a chain back from its round trip between two paced slots goes at once.
 * 3. **Spare capacity, for the others.** A request below the leading priority is not paced: it goes as soon as the
 *    window keeps room for the leader. The leader is projected to send every `gap` ms (the last observed time
 *    between two pages of the leading chain) from now on; another request may go only if, with it and those
 *    projected sends, no window from now to one window ahead would exceed `rate`. So shorter chains run at their
 *    own round-trip pace while the window has room beyond the leader's reserve, and the leading chain never
 *    waits for a slot they took. Before any gap is observed, the others may fill half the window.
 * 4. **Priority.** Waiting requests are served highest priority first, first come first served among equals.
 *    `LiveClient.list` gives each page the number of pages its list has read so far, so the list that has read
 *    the most (most likely the longest chain) is never held up by shorter ones; everything else uses the default
 *    priority 0.
 *
 * A 429's Retry-After pauses every sender (`pauseUntil`), not just the one that met it. Token requests take slots
 * too.
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
  /** How many intervals a request of the leading priority may run ahead of the paced schedule. @default 1 */
  burst?: number;
  clock?: Clock;
}

/** The priority of single reads, writes and token requests. */
export const DEFAULT_PRIORITY = 0;

interface Waiter {
  readonly priority: number;
  readonly seq: number;
  readonly resolve: () => void;
}

export class RateLimiter {
  readonly rate: number;
  readonly windowMs: number;
  /** The paced spacing between sends: `1000 / rate`. */
  readonly intervalMs: number;
  readonly #burstMs: number;
  readonly #clock: Clock;
  /** Send times within the last window, oldest first; at most `rate` entries. */
  readonly #stamps: number[] = [];
  /** When the next send is due on the paced schedule (the GCRA's theoretical arrival time). */
  #due = Number.NEGATIVE_INFINITY;
  /** The highest priority granted within the last window, and when. */
  #lead = { priority: Number.NEGATIVE_INFINITY, at: Number.NEGATIVE_INFINITY };
  /** The last observed time between two grants of rising leading priority (two pages of the leading chain). */
  #leadGap: number | undefined;
  #pausedUntil = Number.NEGATIVE_INFINITY;
  /** A binary max-heap by (priority, then earliest seq). */
  readonly #waiters: Waiter[] = [];
  #seq = 0;
  /** The earliest pending wake-up, if any. */
  #wakeAt = Number.POSITIVE_INFINITY;

  constructor(options: RateLimiterOptions) {
    this.rate = options.rate > 0 ? options.rate : Number.POSITIVE_INFINITY;
    this.windowMs = 1000 + (options.slackMs ?? 25);
    this.intervalMs = 1000 / this.rate;
    this.#burstMs = Math.max(0, options.burst ?? 1) * this.intervalMs;
    this.#clock = options.clock ?? realClock;
  }

  /** Resolves when one more request may be sent, and counts it as sent. Higher `priority` is served first. */
  acquire(priority: number = DEFAULT_PRIORITY): Promise<void> {
    if (!Number.isFinite(this.rate)) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.#push({ priority, seq: this.#seq++, resolve });
      this.#pump();
    });
  }

  /** Holds every sender until `until` (a clock time), e.g. after a 429 with Retry-After. */
  pauseUntil(until: number): void {
    if (until > this.#pausedUntil) this.#pausedUntil = until;
  }

  /** Requests waiting for a slot. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /** Grants every waiter that may go now, then sleeps until the first one that may not. */
  #pump(): void {
    for (;;) {
      const top = this.#waiters[0];
      if (top === undefined) return;
      const now = this.#clock.now();
      const at = this.#earliest(top.priority, now);
      if (at > now) {
        if (at < this.#wakeAt) {
          this.#wakeAt = at;
          void this.#clock.sleep(at - now).then(() => {
            if (this.#wakeAt === at) this.#wakeAt = Number.POSITIVE_INFINITY;
            this.#pump();
          });
        }
        return;
      }
      this.#pop();
      this.#grant(top.priority, now);
      top.resolve();
    }
  }

  /** The earliest time a request of `priority` may be sent. The heap's top is always the most eligible waiter. */
  #earliest(priority: number, now: number): number {
    const stamps = this.#stamps;
    // Expiry and the wait below use the same expression, `stamp + windowMs`: with fractional times the two forms
    // `stamp <= now - windowMs` and `stamp + windowMs <= now` can disagree, and the window would leak.
    while (stamps.length > 0 && (stamps[0] as number) + this.windowMs <= now) stamps.shift();
    let at = this.#pausedUntil;
    // The window: the oldest send of a full window must leave it first.
    if (stamps.length >= this.rate) {
      at = Math.max(at, (stamps[stamps.length - this.rate] as number) + this.windowMs);
    }
    if (this.#isLeading(priority, now)) return Math.max(at, this.#due - this.#burstMs);
    if (at > now || this.#spare(now)) return at;
    // Room for another request opens when a send leaves the window (or the leader grants, which pumps anyway).
    return Math.max(now + 1, (stamps[0] as number) + this.windowMs);
  }

  #isLeading(priority: number, now: number): boolean {
    return this.#lead.at <= now - this.windowMs || priority >= this.#lead.priority;
  }

  /**
   * Whether a request below the leading priority may go at `now`: with it, and with the leader sending every
   * `gap` ms from its next expected send on, no window ending within the next `windowMs` holds more than `rate`.
   */
  #spare(now: number): boolean {
    const stamps = this.#stamps;
    const gap = this.#leadGap;
    if (gap === undefined) return stamps.length + 1 <= Math.floor(this.rate / 2);
    if (stamps.length + 1 > this.rate) return false;
    let next = Math.max(now, this.#lead.at + gap);
    let i = 0; // the first stamp inside the window ending at `next`
    for (let k = 1; next < now + this.windowMs; k++, next += gap) {
      while (i < stamps.length && (stamps[i] as number) + this.windowMs <= next) i++;
      // Stamps still inside, the candidate, and k projected sends of the leader.
      if (stamps.length - i + 1 + k > this.rate) return false;
    }
    return true;
  }

  #grant(priority: number, now: number): void {
    this.#stamps.push(now);
    if (!this.#isLeading(priority, now)) return;
    // Only the leader's sends move the paced schedule: the others used capacity it does not need.
    this.#due = Math.max(this.#due, now) + this.intervalMs;
    const live = this.#lead.at > now - this.windowMs;
    if (live && priority > this.#lead.priority) {
      this.#leadGap = Math.max(this.intervalMs, now - this.#lead.at);
    } else if (!live) {
      this.#leadGap = undefined;
    }
    this.#lead = { priority, at: now };
  }

  // --- the heap ------------------------------------------------------------------------------------------------

  static #before(a: Waiter, b: Waiter): boolean {
    return a.priority > b.priority || (a.priority === b.priority && a.seq < b.seq);
  }

  #push(w: Waiter): void {
    const h = this.#waiters;
    let i = h.length;
    h.push(w);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent] as Waiter;
      if (!RateLimiter.#before(w, p)) break;
      h[i] = p;
      i = parent;
    }
    h[i] = w;
  }

  #pop(): void {
    const h = this.#waiters;
    const last = h.pop();
    if (last === undefined || h.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const c = r < h.length && RateLimiter.#before(h[r] as Waiter, h[l] as Waiter) ? r : l;
      if (!RateLimiter.#before(h[c] as Waiter, last)) break;
      h[i] = h[c] as Waiter;
      i = c;
    }
    h[i] = last;
  }
}
