import type { Readable, Writable } from 'node:stream';

/** Lets a command that is finishing writes hold off a repeated interrupt (see interrupt.ts). */
export interface InterruptControl {
  /** While held, a second signal reports `inFlight()` changes still finishing instead of exiting. Returns release. */
  hold(inFlight: () => number): () => void;
  /** How long the entry point waits after the first signal before it exits anyway, in ms. */
  readonly boundMs: number;
}

/** What a command gets from the entry point. Commands never call process.exit; they return an exit code. */
export interface CommandContext {
  /** Arguments after the command name. */
  argv: string[];
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  stdin: Readable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /**
   * Aborts on the first SIGINT, SIGTERM or SIGHUP, with the signal's name as its reason. A plan stops at once;
   * apply starts no new change; the emulator stops.
   */
  signal: AbortSignal;
  /** Set by the entry point; absent when a command runs in-process (tests). */
  interrupts?: InterruptControl;
  /**
   * Calls `onGone` once the process that started this one has gone (it exited or was killed, so this process was
   * re-parented, or a piped stdin was closed). Returns a function that stops watching. Set by the entry point.
   */
  watchParent?: (onGone: (why: string) => void) => () => void;
}
