import { ApiError } from '../model/errors.js';

/**
 * True when m3ter rejected a PUT because the version it carried is not the current one.
 *
 * m3ter's status for this is not documented (REFERENCE.md §4: most likely 400 with a message, possibly 409), so both
 * are read as a conflict: any 409, and a 400 whose message mentions the version. This is the one place that decides;
 * change it here once the real answer is known.
 */
export function isVersionConflict(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.status === 409) return true;
  return error.status === 400 && /\bversion\b/i.test(error.message);
}

/** True when m3ter answered 404: the entity is gone. */
export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}
