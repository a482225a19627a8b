/**
 * The client-side rate limiter: a hard sliding window, service by priority, and a reserve for the leading page
 * chain while it is open.
 *
 * m3ter allows 50 requests per second per org, counted "for the remainder of the second" (fixed windows). Rules:
 *
 * 1. **The window (the guarantee).** No span of `windowMs` (one second plus `slackMs`) ever holds more than
 *    `rate` sends. A sliding window is stricter than any alignment of fixed windows, so wherever the server draws
 *    its second boundaries it never counts more than the limit; the slack covers requests bunched in transit.
 * 2. **Work-conserving.** A waiting request is sent as soon as the window has room, with one exception (rule 3).
 *    Nothing is paced: a fast API is read as fast as the window allows, and a request never waits for a send that
 *    is not going to happen.
 * 3. **The leader's reserve.** A list reads its pages through a *chain* (`chain(rank)`), whose priority is the
 *    number of sends it has had plus its rank. The leader is the open chain of highest priority (most likely the
 *    longest, so the whole read lasts as long as it). While the leader is open, a request of lower priority goes
 *    only if, with it, the window keeps room for the leader's next sends projected one `gap` apart (its last
 *    observed time between two sends) over the next window. So shorter lists take what the leader does not
 *    need and the leader never stalls on a full window. The reserve lasts exactly as long as the leader's chain:
 *    when it closes (its list ended or failed), the reserve goes with it at once and the waiters are served in the
 *    same tick. Before the leader's gap is known, the others may fill half the window.
 * 4. **Priority.** Waiting requests are served highest priority first, first come first served among equals. Plain
 *    `acquire` (single reads, writes, token requests) uses the default priority 0.
 *
 * A request is therefore held only while (a) the window is full, (b) a 429's Retry-After pause holds every
 * sender (`pauseUntil`), or (c) an open chain of higher priority needs the room. Token requests take slots too.
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

/** The priority of single reads, writes and token requests. */
export const DEFAULT_PRIORITY = 0;

/** A sequence of sends where each waits for the one before (the pages of one list). */
export interface LimiterChain {
  /** Resolves when the chain's next send may go; its priority is the sends it has had plus its rank. */
  acquire(): Promise<void>;
  /** The chain sends no more: its reserve is released at once. Idempotent. */
  close(): void;
}

interface ChainState {
  readonly rank: number;
  sends: number;
  lastAt: number;
  /** The last observed time between two of its sends. */
  gap: number | undefined;
  open: boolean;
}

interface Waiter {
  readonly priority: number;
  readonly seq: number;
  readonly chain: ChainState | undefined;
  readonly resolve: () => void;
}

export class RateLimiter {
  readonly rate: number;
  readonly windowMs: number;
  readonly #clock: Clock;
  /** Send times within the last window, oldest first (from `#head`); at most `rate` live entries. */
  #stamps: number[] = [];
  #head = 0;
  #pausedUntil = Number.NEGATIVE_INFINITY;
  readonly #chains = new Set<ChainState>();
  /** A binary max-heap by (priority, then earliest seq). */
  readonly #waiters: Waiter[] = [];
  #seq = 0;
  /** The earliest pending wake-up, if any. */
  #wakeAt = Number.POSITIVE_INFINITY;

  constructor(options: RateLimiterOptions) {
    this.rate = options.rate > 0 ? options.rate : Number.POSITIVE_INFINITY;
    this.windowMs = 1000 + (options.slackMs ?? 25);
    this.#clock = options.clock ?? realClock;
  }

  /** Resolves when one more request may be sent, and counts it as sent. Higher `priority` is served first. */
  acquire(priority: number = DEFAULT_PRIORITY): Promise<void> {
    if (!Number.isFinite(this.rate)) return Promise.resolve();
    return this.#enqueue(priority, undefined);
  }

  /** A chain of sends (the pages of one list); `rank` (below 1) orders chains with as many sends. */
  chain(rank = 0): LimiterChain {
    const state: ChainState = { rank, sends: 0, lastAt: 0, gap: undefined, open: true };
    this.#chains.add(state);
    return {
      acquire: () => {
        if (!Number.isFinite(this.rate)) return Promise.resolve();
        if (!state.open) {
          state.open = true;
          this.#chains.add(state);
        }
        return this.#enqueue(state.sends + rank, state);
      },
      close: () => {
        if (!state.open) return;
        state.open = false;
        this.#chains.delete(state);
        this.#pump();
      },
    };
  }

  /** Holds every sender until `until` (a clock time), e.g. after a 429 with Retry-After. */
  pauseUntil(until: number): void {
    if (until > this.#pausedUntil) this.#pausedUntil = until;
  }

  /** Requests waiting for a slot. */
  get waiting(): number {
    return this.#waiters.length;
  }

  #enqueue(priority: number, chain: ChainState | undefined): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#push({ priority, seq: this.#seq++, chain, resolve });
      this.#pump();
    });
  }

  /** Grants every waiter that may go now, then sleeps until the first one that may not. */
  #pump(): void {
    for (;;) {
      const top = this.#waiters[0];
      if (top === undefined) return;
      const now = this.#clock.now();
      const at = this.#earliest(top, now);
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
      this.#grant(top, now);
      top.resolve();
    }
  }

  /** Sends within the window ending at `now` (expired ones are dropped). */
  #live(now: number): number {
    const stamps = this.#stamps;
    // Expiry and the wait below use the same expression, `stamp + windowMs`: with fractional times the two forms
    // `stamp <= now - windowMs` and `stamp + windowMs <= now` can disagree, and the window would leak.
    while (this.#head < stamps.length && (stamps[this.#head] as number) + this.windowMs <= now) this.#head++;
    if (this.#head > 1024 && this.#head * 2 > stamps.length) {
      this.#stamps = stamps.slice(this.#head);
      this.#head = 0;
    }
    return this.#stamps.length - this.#head;
  }

  /** The earliest time `w` may be sent. The heap's top is always the most eligible waiter. */
  #earliest(w: Waiter, now: number): number {
    const live = this.#live(now);
    const stamps = this.#stamps;
    let at = this.#pausedUntil;
    // The window: the oldest send of a full window must leave it first.
    if (live >= this.rate) {
      at = Math.max(at, (stamps[stamps.length - this.rate] as number) + this.windowMs);
    }
    if (at > now) return at;
    const leader = this.#leader();
    if (leader === undefined || w.chain === leader || w.priority >= leader.sends + leader.rank) return now;
    if (this.#spare(now, leader)) return now;
    // Room for another request opens when a send leaves the window, or when the leader sends or closes (both pump).
    return Math.max(now + 1, (stamps[this.#head] as number) + this.windowMs);
  }

  /** The open chain of highest priority (the first opened among equals). */
  #leader(): ChainState | undefined {
    let best: ChainState | undefined;
    for (const c of this.#chains) {
      if (best === undefined || c.sends + c.rank > best.sends + best.rank) best = c;
    }
    return best;
  }

  /**
   * Whether a request below the leader may go at `now`: with it, and with the leader sending every `gap` ms from
   * its next expected send on, no window ending within the next `windowMs` holds more than `rate`.
   */
  #spare(now: number, leader: ChainState): boolean {
    const stamps = this.#stamps;
    const live = stamps.length - this.#head;
    const gap = leader.gap;
    if (gap === undefined) return live + 1 <= Math.floor(this.rate / 2);
    if (live + 1 > this.rate) return false;
    let next = Math.max(now, leader.lastAt + gap);
    let i = this.#head; // the first stamp inside the window ending at `next`
    // k grows each round and the check fails once k exceeds `rate`, so this ends even for a gap of 0.
    for (let k = 1; next < now + this.windowMs; k++, next += gap) {
      while (i < stamps.length && (stamps[i] as number) + this.windowMs <= next) i++;
      // Stamps still inside, the candidate, and k projected sends of the leader.
      if (stamps.length - i + 1 + k > this.rate) return false;
    }
    return true;
  }

  #grant(w: Waiter, now: number): void {
    this.#stamps.push(now);
    const c = w.chain;
    if (c === undefined) return;
    if (c.sends > 0) c.gap = now - c.lastAt;
    c.sends++;
    c.lastAt = now;
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
