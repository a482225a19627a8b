import {
  ApiConnectionError,
  ApiError,
  ConfigError,
  M3terConfigError,
  StalePlanError,
  UnsafePlanError,
} from '../model/errors.js';
import { escapeText } from '../render/escape.js';

/**
 * Exit codes, in one place. A signal that stops a command gives the shell's 128 + signal number, so a script sees
 * an interrupted run as one.
 */
export const EXIT = {
  ok: 0,
  error: 1,
  changes: 2,
  unsafe: 3,
  stale: 4,
  incomplete: 5,
  hangup: 129,
  interrupted: 130,
  terminated: 143,
} as const;

export type ExitName = keyof typeof EXIT;

/** What each code means; commands may say it more precisely in their own help. */
export const EXIT_MEANING: Readonly<Record<ExitName, string>> = {
  ok: 'success',
  error: 'error (bad input, an API error, a failed change)',
  changes: 'plan --detailed-exitcode: there are changes; drift: there is drift; compare: the orgs differ',
  unsafe: 'unsafe plan refused (linked deletes, delete budget), or the production guard refused the org',
  stale: 'the live state moved since the plan: plan again',
  incomplete: 'import: some live entities could not be written as config (listed, and left under ignore)',
  hangup: 'stopped by SIGHUP',
  interrupted: 'stopped by SIGINT (Ctrl-C)',
  terminated: 'stopped by SIGTERM',
};

/** The signals a command stops on, with the exit code each gives. */
export const SIGNAL_EXIT = {
  SIGHUP: EXIT.hangup,
  SIGINT: EXIT.interrupted,
  SIGTERM: EXIT.terminated,
} as const;

export type StopSignal = keyof typeof SIGNAL_EXIT;

/** The exit code for a run stopped by an abort whose reason is the signal's name (as the entry point aborts). */
export function exitCodeForAbort(signal: AbortSignal): number {
  const reason: unknown = signal.reason;
  return typeof reason === 'string' && reason in SIGNAL_EXIT
    ? SIGNAL_EXIT[reason as StopSignal]
    : EXIT.interrupted;
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof UnsafePlanError) return EXIT.unsafe;
  if (error instanceof StalePlanError) return EXIT.stale;
  return EXIT.error;
}

/**
 * First line says what failed and where; no stack trace for a user error. Never prints a secret. Control and bidi
 * characters in a message (from m3ter, a file name, a value) are escaped.
 */
export function describeError(error: unknown): string {
  return escapeText(describeErrorRaw(error));
}

function describeErrorRaw(error: unknown): string {
  if (error instanceof ConfigError) return `error: ${error.message}`;
  if (error instanceof ApiError) {
    const where = `${String(error.meta['method'] ?? '')} ${String(error.meta['path'] ?? '')}`.trim();
    return `error: m3ter answered ${error.status} to ${where}: ${error.message}`;
  }
  if (error instanceof ApiConnectionError) return `error: ${error.message}`;
  if (error instanceof M3terConfigError) return `error: ${error.message}`;
  const message = error instanceof Error ? error.message : String(error);
  return `internal error: ${message}\nThis is a bug in m3ter-config; please report it with the command you ran.`;
}

/** A user error gets no stack trace; an unexpected one does, when M3TER_CONFIG_DEBUG is set. */
export function isUserError(error: unknown): boolean {
  return error instanceof M3terConfigError;
}
