import type { Kind } from './kinds.js';

/**
 * One error base for the whole tool. Every error carries a stable snake_case `code` and JSON-safe `meta`.
 * Messages and meta must never contain a secret value.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export class M3terConfigError extends Error {
  readonly code: string;
  readonly meta: Record<string, Json>;
  constructor(code: string, message: string, meta: Record<string, Json> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.meta = meta;
  }
}

/** A problem found in the user's files, with its position. The loader returns these; it never throws them. */
export interface Issue {
  severity: 'error' | 'warning';
  /** Stable snake_case code, e.g. `literal_secret`, `unknown_key`, `dangling_link`. */
  code: string;
  file: string;
  line: number;
  col: number;
  /** JSON pointer inside the file's document, e.g. `/webhooks/0/url`. */
  pointer: string;
  message: string;
  /** What to change, when we can say. */
  hint?: string;
}

/**
 * Bad input: carries every issue found. Nothing was written to the API; nothing was sent at all unless
 * `readsSent` (plan and apply read a remote org while the files load, and drop those reads on an error).
 */
export class ConfigError extends M3terConfigError {
  readonly issues: readonly Issue[];
  readsSent = false;
  constructor(issues: readonly Issue[]) {
    const errors = issues.filter((i) => i.severity === 'error');
    const first = errors[0];
    super(
      'config_invalid',
      first
        ? `${errors.length} error(s) in the configuration; first: ${first.file}:${first.line}:${first.col} ${first.message}`
        : 'the configuration is invalid',
      { errorCount: errors.length },
    );
    this.issues = issues;
  }
}

/**
 * The org refuses what the files declare (an unknown event name, a calculation m3ter rejects), found by plan or
 * apply before any write: the issues are the files', and only reads and evaluations were sent.
 */
export class OnlineCheckError extends ConfigError {}

/** Missing or conflicting target settings (credentials, org id, base URL). */
export class TargetError extends M3terConfigError {}

/** What every error about one request carries: the method and the path (never a secret). */
export type RequestMeta = Record<string, Json> & { method: string; path: string };

/** An HTTP answer from the m3ter API that was not a success, after any retries. */
export class ApiError extends M3terConfigError {
  readonly status: number;
  constructor(status: number, message: string, meta: RequestMeta, options?: { cause?: unknown }) {
    super(ApiError.codeFor(status), message, { ...meta, status }, options);
    this.status = status;
  }
  static codeFor(status: number): string {
    if (status === 400) return 'api_bad_request';
    if (status === 401 || status === 403) return 'api_forbidden';
    if (status === 404) return 'api_not_found';
    if (status === 409) return 'api_conflict';
    if (status === 429) return 'api_rate_limited';
    if (status >= 500) return 'api_server_error';
    return 'api_error';
  }
}

/** No HTTP answer at all: connection refused or reset, or the request timed out. */
export class ApiConnectionError extends M3terConfigError {
  readonly timedOut: boolean;
  constructor(
    message: string,
    meta: Record<string, Json> & { method: string; path: string; timedOut: boolean },
    options?: { cause?: unknown },
  ) {
    super(meta.timedOut ? 'api_timeout' : 'api_connection', message, meta, options);
    this.timedOut = meta.timedOut;
  }
}

/** What was wrong with a list m3ter returned (see ListInconsistentError). */
export type ListProblem =
  | 'not_a_page'
  | 'bad_token'
  | 'repeated_token'
  | 'too_many_pages'
  | 'too_many_items'
  | 'not_an_object'
  | 'missing_id'
  | 'repeated_id'
  | 'bad_version'
  | 'other_org';

/**
 * A list read whose answer cannot be trusted as a whole: the same id twice, a page token that is not a string or
 * never ends, an entity without an id or version, an entity of another org. Planning from it would turn a bad answer
 * into creates or deletes, so nothing is planned from it. `meta.problem` says which; `meta.path` is the list's path.
 */
export class ListInconsistentError extends M3terConfigError {
  readonly problem: ListProblem;
  constructor(problem: ListProblem, message: string, meta: RequestMeta, options?: { cause?: unknown }) {
    super('live_list_inconsistent', message, { ...meta, problem }, options);
    this.problem = problem;
  }
}

/** The plan trips a safety rule; the user must say how to proceed. */
export class UnsafePlanError extends M3terConfigError {}

/** The live state moved since the plan was made (version mismatch, saved plan out of date). */
export class StalePlanError extends M3terConfigError {}

/** An apply stopped part-way. `meta` says what was applied, what failed and what was not attempted. */
export class ApplyError extends M3terConfigError {}

/** A bug in m3ter-config itself. */
export class InternalError extends M3terConfigError {}

/**
 * A create (POST) whose outcome is unknown: the request may have reached m3ter (timeout, reset, 5xx) and must not
 * be sent again blindly. The applier reads by key and adopts what it finds, or creates once more.
 */
export class UnclearWriteError extends M3terConfigError {}

/**
 * m3ter answered 404 on the collection of a newer API that an org's m3ter may not serve: the kind cannot be read or
 * written on this org. `meta.sections` are the config sections to leave out to go on without it.
 */
export class NotServedEndpointError extends M3terConfigError {
  /** The kind whose collection is not served. */
  readonly kind: Kind;
  constructor(
    kind: Kind,
    message: string,
    meta: RequestMeta & { sections: string[] },
    options?: { cause?: unknown },
  ) {
    super('endpoint_not_served', message, { ...meta, kind }, options);
    this.kind = kind;
  }
}

/**
 * m3ter answered 404 on a path it never published, which m3ter-config had to guess: the guess may be wrong for this
 * org. `meta.variable` sets the path; `meta.sections` are the config sections to leave out to go on without it.
 */
export class UnconfirmedEndpointError extends M3terConfigError {
  /** The kind whose path is unconfirmed. */
  readonly kind: Kind;
  constructor(
    kind: Kind,
    message: string,
    meta: RequestMeta & { variable: string; sections: string[] },
    options?: { cause?: unknown },
  ) {
    super('unconfirmed_endpoint', message, { ...meta, kind }, options);
    this.kind = kind;
  }
}
