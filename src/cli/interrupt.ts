import { SIGNAL_EXIT, type StopSignal } from './exit-codes.js';
import type { InterruptControl } from './command.js';

/** How long the entry point waits for in-flight writes after the first signal before it exits anyway. */
export const INTERRUPT_BOUND_MS = 30_000;

export interface InterruptHooks {
  write(text: string): void;
  exit(code: number): void;
  /** @default setTimeout, unref'd so that it never keeps a finished command alive */
  setTimer?: (fn: () => void, ms: number) => void;
  /** @default Date.now */
  now?: () => number;
}

/**
 * The entry point's signal policy. The first SIGINT, SIGTERM or SIGHUP aborts `signal` (reason: the signal's name);
 * the command then stops as fast as it safely can. A command finishing writes `hold`s: a repeated signal then only
 * says what it is waiting for, since exiting would cut a write in half. After `boundMs` the process exits anyway.
 * Without a hold, a repeated signal exits at once.
 */
export class Interrupts implements InterruptControl {
  readonly #controller = new AbortController();
  readonly #hooks: InterruptHooks;
  readonly boundMs: number;
  #first: StopSignal | undefined;
  #firstAt = 0;
  #holds = new Set<() => number>();

  constructor(hooks: InterruptHooks, boundMs = INTERRUPT_BOUND_MS) {
    this.#hooks = hooks;
    this.boundMs = boundMs;
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  hold(inFlight: () => number): () => void {
    this.#holds.add(inFlight);
    return () => this.#holds.delete(inFlight);
  }

  #inFlight(): number {
    let n = 0;
    for (const count of this.#holds) n += count();
    return n;
  }

  receive(signal: StopSignal): void {
    const now = this.#hooks.now ?? Date.now;
    if (this.#first === undefined) {
      this.#first = signal;
      this.#firstAt = now();
      this.#controller.abort(signal);
      const setTimer =
        this.#hooks.setTimer ?? ((fn: () => void, ms: number) => void setTimeout(fn, ms).unref());
      setTimer(() => this.#deadline(), this.boundMs);
      return;
    }
    const code = SIGNAL_EXIT[this.#first];
    if (this.#holds.size === 0) {
      this.#hooks.exit(code);
      return;
    }
    const n = this.#inFlight();
    const left = Math.max(0, Math.ceil((this.boundMs - (now() - this.#firstAt)) / 1000));
    this.#hooks.write(
      `${signal} again: waiting for ${n} in-flight change${n === 1 ? '' : 's'} to finish (at most ${left} s more), ` +
        'so that no write is cut off; no new change starts.\n',
    );
  }

  #deadline(): void {
    const first = this.#first as StopSignal;
    const n = this.#inFlight();
    this.#hooks.write(
      `error: ${n > 0 ? `${n} in-flight change${n === 1 ? '' : 's'} did not finish` : 'the command did not stop'} ` +
        `within ${Math.round(this.boundMs / 1000)} s of ${first}; exiting anyway. ` +
        'Run plan: it shows what landed and what is left.\n',
    );
    this.#hooks.exit(SIGNAL_EXIT[first]);
  }
}
