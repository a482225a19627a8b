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
 * Exit codes, in one place.
 * 0 success (with --detailed-exitcode: no changes); 1 error; 2 changes present (plan --detailed-exitcode only);
 * 3 unsafe plan refused; 4 the live state moved since the plan (stale plan).
 */
export const EXIT = { ok: 0, error: 1, changes: 2, unsafe: 3, stale: 4 } as const;

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
