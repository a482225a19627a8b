import {
  ApiConnectionError,
  ApiError,
  ListInconsistentError,
  type ListProblem,
  M3terConfigError,
  UnclearWriteError,
} from '../model/errors.js';
import { basicCredentials, redactSecrets } from '../model/redact.js';
import { backoffDelay, retryAfterMs, seededRandom } from './backoff.js';
import { MAX_LIST_ITEMS, MAX_LIST_PAGES, describeJsonType } from './check-list.js';
import type { ClientStats, ListOptions, LiveClient, Target } from './contract.js';
import { type Clock, type LimiterChain, RateLimiter, realClock } from './limiter.js';
import { Connection, ExchangeError, type Headers, ResponseTooLargeError } from './http.js';
import { type CollectionPaths, TOKEN_PATH } from './paths.js';

/** Tuning and test hooks for `createClient`. Every field is optional. */
export interface ClientOptions {
  /** Requests per second for the whole run, token requests included (m3ter allows 50 per org). @default 50 */
  readonly rateLimit?: number;
  /** Extra width of the limiter's one-second window, against bunching in transit. @default 25 */
  readonly rateWindowSlackMs?: number;
  /** Retries after the first attempt, per request. @default 5 */
  readonly maxRetries?: number;
  /** @default 200 */
  readonly backoffBaseMs?: number;
  /** @default 8000 */
  readonly backoffCapMs?: number;
  /** A server's Retry-After is honoured up to this long; longer asks fall back to our own backoff. @default 60000 */
  readonly maxRetryAfterMs?: number;
  /** Per request, from send to the last byte of the body. @default 30000 */
  readonly timeoutMs?: number;
  /** Renew the token this long before it expires, at most a fifth of its lifetime. @default 300000 */
  readonly tokenRenewMarginMs?: number;
  /** Jitter source; defaults to Math.random, or a seeded PRNG when `seed` is given. */
  readonly random?: () => number;
  readonly seed?: number;
  /** Time source and sleep, used together by backoff, the limiter and token expiry. Inject both or neither. */
  readonly clock?: Clock;
  /** Keep-alive connections to the API. @default 32 */
  readonly connections?: number;
  readonly userAgent?: string;
  /** Pages one list may take before the read is refused as endless (the CLI: M3TER_CONFIG_MAX_LIST_PAGES). @default 10000 */
  readonly maxListPages?: number;
  /** Entities one list may hold before the read is refused (the CLI: M3TER_CONFIG_MAX_LIST_ITEMS). @default 500000 */
  readonly maxListItems?: number;
  /**
   * Largest response body read; a bigger one stops the run with `api_response_too_large` (the CLI:
   * M3TER_CONFIG_MAX_RESPONSE_BYTES). @default 67108864 (64 MiB)
   */
  readonly maxResponseBytes?: number;
  /** Whose HTTPS_PROXY, HTTP_PROXY and NO_PROXY route the requests (see proxy.ts). @default process.env */
  readonly proxyEnv?: Readonly<Record<string, string | undefined>>;
  /** Called before each retry, e.g. for a progress line. Never carries a secret. */
  readonly onRetry?: (event: RetryEvent) => void;
  /** Paths in place of guessed ones (the CLI: M3TER_CONFIG_CREDENTIALS_PATH). @default the guesses in paths.ts */
  readonly paths?: CollectionPaths;
}

export interface RetryEvent {
  method: string;
  path: string;
  attempt: number;
  delayMs: number;
  /** HTTP status, or `connection` / `timeout`, or `token_rejected` for the refresh after a 401/403. */
  reason: number | 'connection' | 'timeout' | 'token_rejected';
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

type Outcome =
  | { type: 'response'; status: number; headers: Headers; data: unknown }
  | { type: 'failure'; sent: boolean; timedOut: boolean; error: Error };

interface CallOptions {
  query?: Record<string, string> | undefined;
  body?: unknown;
  /** Return `undefined` on 404 instead of throwing. */
  notFoundAsUndefined?: boolean;
  /** A POST that changes nothing: retried as a read, never reported as a create that may have happened. */
  read?: boolean;
  /** The limiter chain of this call's sends (the pages of one list; see limiter.ts). Default: plain sends. */
  chain?: LimiterChain | undefined;
}

const DEFAULTS = {
  rateLimit: 50,
  maxRetries: 5,
  backoffBaseMs: 200,
  backoffCapMs: 8000,
  maxRetryAfterMs: 60_000,
  timeoutMs: 30_000,
  tokenRenewMarginMs: 300_000,
  connections: 32,
  userAgent: 'm3ter-config',
} as const;

/** Error codes of failures where the request certainly never left this machine. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Body keys whose values are secrets: redacted from any server message before it reaches an error. */
const SECRET_KEY = /secret|password|apikey|api_key|token|private|credential/i;

class TimeoutSignal extends Error {}

/**
 * The live client: one keep-alive pool per target, a shared token, a shared limiter, and the retry rules of
 * contract.ts. Paths are absolute API paths (`/organizations/{orgId}/...`, already percent-encoded; see paths.ts).
 */
export function createClient(target: Target, options: ClientOptions = {}): LiveClient {
  return new HttpLiveClient(target, options);
}

class HttpLiveClient implements LiveClient {
  readonly orgId: string;
  readonly baseUrl: string;
  readonly paths: CollectionPaths | undefined;
  readonly #target: Target;
  readonly #connection: Connection;
  readonly #basePath: string;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #limiter: RateLimiter;
  readonly #o: Required<
    Pick<
      ClientOptions,
      | 'maxRetries'
      | 'backoffBaseMs'
      | 'backoffCapMs'
      | 'maxRetryAfterMs'
      | 'timeoutMs'
      | 'tokenRenewMarginMs'
      | 'userAgent'
    >
  >;
  readonly #onRetry: ((event: RetryEvent) => void) | undefined;
  readonly #maxListPages: number;
  readonly #maxListItems: number;
  readonly #stats: ClientStats = { requests: 0, retries: 0, rateLimited: 0, tokenRequests: 0 };
  #token: { value: string; renewAt: number } | undefined;
  #tokenInflight: Promise<string> | undefined;
  #closed = false;

  constructor(target: Target, options: ClientOptions) {
    this.#target = target;
    this.orgId = target.orgId;
    this.paths = options.paths;
    this.baseUrl = target.baseUrl;
    const url = new URL(target.baseUrl);
    this.#basePath = url.pathname.replace(/\/+$/, '');
    this.#clock = options.clock ?? realClock;
    this.#random = options.random ?? (options.seed !== undefined ? seededRandom(options.seed) : Math.random);
    this.#o = {
      maxRetries: options.maxRetries ?? DEFAULTS.maxRetries,
      backoffBaseMs: options.backoffBaseMs ?? DEFAULTS.backoffBaseMs,
      backoffCapMs: options.backoffCapMs ?? DEFAULTS.backoffCapMs,
      maxRetryAfterMs: options.maxRetryAfterMs ?? DEFAULTS.maxRetryAfterMs,
      timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
      tokenRenewMarginMs: options.tokenRenewMarginMs ?? DEFAULTS.tokenRenewMarginMs,
      userAgent: options.userAgent ?? DEFAULTS.userAgent,
    };
    this.#onRetry = options.onRetry;
    this.#maxListPages = options.maxListPages ?? MAX_LIST_PAGES;
    this.#maxListItems = options.maxListItems ?? MAX_LIST_ITEMS;
    this.#limiter = new RateLimiter({
      rate: options.rateLimit ?? DEFAULTS.rateLimit,
      slackMs: options.rateWindowSlackMs ?? 25,
      clock: this.#clock,
    });
    this.#connection = new Connection(url.origin, options.connections ?? DEFAULTS.connections, {
      ...(options.proxyEnv ? { env: options.proxyEnv } : {}),
      ...(options.maxResponseBytes === undefined ? {} : { maxResponseBytes: options.maxResponseBytes }),
    });
  }

  async get<T>(
    path: string,
    query?: Record<string, string>,
    options: { notFound?: 'undefined' | 'throw' } = {},
  ): Promise<T | undefined> {
    const notFoundAsUndefined = options.notFound !== 'throw';
    return (await this.#call('GET', path, { query, notFoundAsUndefined })) as T | undefined;
  }

  redact(text: string): string {
    return this.#redact(text);
  }

  async list<T>(
    path: string,
    pageSize: number,
    query?: Record<string, string>,
    options: ListOptions = {},
  ): Promise<T[]> {
    const short = this.#short(path);
    const fail = (problem: ListProblem, message: string): ListInconsistentError =>
      new ListInconsistentError(problem, `GET ${short}: ${message}`, { method: 'GET', path: short });
    // Each page's limiter priority is the number of pages this list has read: the list that has read the most is
    // most likely the longest chain, and the whole read lasts as long as that chain, so it is served first. Among
    // lists that have read as many pages, the one with the smaller page size ranks first (a fraction below one
    // page): for as many entities, its chain is the longer one.
    const rank = 1 / (1 + Math.max(1, pageSize));
    // A read beside writes takes the writes' plain sends instead of leading.
    const chain = options.beside === 'writes' ? undefined : this.#limiter.chain(rank);
    try {
      return await this.#listPages<T>(path, pageSize, query, chain, fail);
    } finally {
      chain?.close();
    }
  }

  async #listPages<T>(
    path: string,
    pageSize: number,
    query: Record<string, string> | undefined,
    chain: LimiterChain | undefined,
    fail: (problem: ListProblem, message: string) => ListInconsistentError,
  ): Promise<T[]> {
    const items: T[] = [];
    const seen = new Set<string>();
    let nextToken: string | undefined;
    let pagesRead = 0;
    do {
      // m3ter's pages say no total, so the bound is fixed: a token chain that never ends stops here.
      if (pagesRead >= this.#maxListPages) {
        throw fail(
          'too_many_pages',
          `m3ter still sent a next page after ${this.#maxListPages} pages; the list never ends (the limit is M3TER_CONFIG_MAX_LIST_PAGES)`,
        );
      }
      const q: Record<string, string> = { ...query, pageSize: String(pageSize) };
      if (nextToken !== undefined) q['nextToken'] = nextToken;
      const page = await this.#call('GET', path, {
        query: q,
        chain,
      });
      pagesRead++;
      if (typeof page !== 'object' || page === null || !Array.isArray((page as { data?: unknown }).data)) {
        throw fail(
          'not_a_page',
          `page ${pagesRead} is something other than a page ({data: [...], nextToken})`,
        );
      }
      const { data, nextToken: next } = page as { data: T[]; nextToken?: unknown };
      if (items.length + data.length > this.#maxListItems) {
        throw fail(
          'too_many_items',
          `m3ter sent more than ${this.#maxListItems} entities (the limit is M3TER_CONFIG_MAX_LIST_ITEMS)`,
        );
      }
      for (const item of data) items.push(item);
      // The last page has no nextToken: absent, null or empty. Anything else that is not a string is not an end.
      if (next === undefined || next === null || next === '') nextToken = undefined;
      else if (typeof next === 'string') nextToken = next;
      else {
        throw fail(
          'bad_token',
          `page ${pagesRead} has a nextToken that is ${describeJsonType(next)}, not a string; the rest of the list cannot be read`,
        );
      }
      if (nextToken !== undefined) {
        if (seen.has(nextToken))
          throw fail('repeated_token', 'm3ter repeated a page token; the list never ends');
        seen.add(nextToken);
      }
    } while (nextToken !== undefined);
    return items;
  }

  async post<T>(path: string, body?: unknown, options: { read?: boolean } = {}): Promise<T> {
    return (await this.#call('POST', path, { body, read: options.read ?? false })) as T;
  }

  async put<T>(path: string, body?: unknown, query?: Record<string, string>): Promise<T> {
    return (await this.#call('PUT', path, { body, query })) as T;
  }

  async delete<T>(path: string): Promise<T> {
    return (await this.#call('DELETE', path, {})) as T;
  }

  stats(): ClientStats {
    return { ...this.#stats };
  }

  warmUp(): void {
    if (this.#closed) return;
    // A failure here is met again, and reported, by the first request that needs the token.
    this.#getToken().catch(() => undefined);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#connection.close();
  }

  #closedError(method: Method, path: string): M3terConfigError {
    return new M3terConfigError(
      'client_closed',
      `${method} ${this.#short(path)}: not sent, the session was closed`,
      {
        method,
        path: this.#short(path),
      },
    );
  }

  /** The path as people read it: without the `/organizations/{orgId}` prefix every call shares. */
  #short(path: string): string {
    const prefix = `/organizations/${encodeURIComponent(this.orgId)}`;
    return path.startsWith(prefix) ? path.slice(prefix.length) || '/' : path;
  }

  /**
   * One API call with the retry rules of contract.ts:
   * - 401/403: the token is renewed once and the call repeated (m3ter answers 403 for an expired token).
   * - GET, PUT, DELETE: retried on 429, 5xx, connection errors and timeouts.
   * - POST: retried on 429 and when the request never left (connection refused); a 5xx, reset or timeout may
   *   have created the entity, so it throws UnclearWriteError and is not sent again. A POST marked `read`
   *   (an evaluation) creates nothing, so it is retried as a GET is.
   */
  async #call(method: Method, path: string, opts: CallOptions): Promise<unknown> {
    const secrets = collectSecrets(opts.body);
    const write = method === 'POST' && !opts.read;
    let attempt = 0;
    let tokenRenewed = false;
    for (;;) {
      if (this.#closed) throw this.#closedError(method, path);
      const token = await this.#getToken();
      const outcome = await this.#send(method, path, opts, { authorization: `Bearer ${token}` }, false);
      let reason: RetryEvent['reason'];
      let serverDelay: number | undefined;
      if (outcome.type === 'response') {
        const { status } = outcome;
        if (status >= 200 && status < 300) return outcome.data;
        if ((status === 401 || status === 403) && !tokenRenewed) {
          tokenRenewed = true;
          this.#invalidateToken(token);
          this.#retried(method, path, attempt, 0, 'token_rejected');
          continue;
        }
        if (status === 404 && opts.notFoundAsUndefined) return undefined;
        if (status === 429) this.#stats.rateLimited++;
        const message = this.#apiMessage(method, path, outcome, [...secrets, token]);
        if (write && status >= 500) {
          throw new UnclearWriteError(
            'unclear_write',
            `${message}; m3ter may have created it, so it was not sent again`,
            { method, path, status },
          );
        }
        const retryable = status === 429 || status >= 500;
        if (!retryable || attempt >= this.#o.maxRetries) {
          throw new ApiError(status, message, { method, path, retries: attempt });
        }
        reason = status;
        serverDelay = retryAfterMs(outcome.headers, this.#clock.now());
        if (serverDelay !== undefined && serverDelay > this.#o.maxRetryAfterMs) serverDelay = undefined;
      } else {
        const what = outcome.timedOut
          ? `timed out after ${this.#o.timeoutMs} ms`
          : `failed to connect or lost the connection (${this.#redact(describeCause(outcome.error), secrets)})`;
        if (write && outcome.sent) {
          throw new UnclearWriteError(
            'unclear_write',
            `POST ${this.#short(path)} ${what}; m3ter may have created it, so it was not sent again`,
            { method, path, timedOut: outcome.timedOut },
            { cause: outcome.error },
          );
        }
        if (attempt >= this.#o.maxRetries) {
          throw new ApiConnectionError(
            `${method} ${this.#short(path)} ${what}, after ${attempt} retries`,
            { method, path, timedOut: outcome.timedOut, retries: attempt },
            { cause: outcome.error },
          );
        }
        reason = outcome.timedOut ? 'timeout' : 'connection';
      }
      const delay = serverDelay ?? this.#backoff(attempt);
      if (reason === 429 && serverDelay !== undefined)
        this.#limiter.pauseUntil(this.#clock.now() + serverDelay);
      this.#retried(method, path, attempt + 1, delay, reason);
      attempt++;
      await this.#clock.sleep(delay);
    }
  }

  #backoff(attempt: number): number {
    return backoffDelay(attempt, {
      baseMs: this.#o.backoffBaseMs,
      capMs: this.#o.backoffCapMs,
      random: this.#random,
    });
  }

  #retried(
    method: string,
    path: string,
    attempt: number,
    delayMs: number,
    reason: RetryEvent['reason'],
  ): void {
    this.#stats.retries++;
    this.#onRetry?.({ method, path: this.#short(path), attempt, delayMs, reason });
  }

  #apiMessage(
    method: string,
    path: string,
    outcome: Outcome & { type: 'response' },
    secrets: string[],
  ): string {
    const data = outcome.data;
    let detail: string | undefined;
    if (
      typeof data === 'object' &&
      data !== null &&
      typeof (data as { message?: unknown }).message === 'string'
    ) {
      detail = (data as { message: string }).message;
    } else if (typeof data === 'string' && data.trim() !== '') {
      // Redacted before it is cut, so the cut never leaves the start of a secret behind.
      detail = this.#redact(data.trim(), secrets).slice(0, 300);
    }
    const head = `${method} ${this.#short(path)} failed with HTTP ${outcome.status}`;
    return this.#redact(detail ? `${head}: ${detail}` : head, secrets);
  }

  /**
   * `text` without any form of the API secret, its Basic credentials, the current token or `extra` (secrets of the
   * request body). Every message built from a server answer or a transport error passes through here.
   */
  #redact(text: string, extra: readonly string[] = []): string {
    const secret = this.#target.apiSecretReveal();
    const secrets = [secret, basicCredentials(this.#target.apiKey, secret), ...extra];
    if (this.#token) secrets.push(this.#token.value);
    return redactSecrets(text, secrets);
  }

  // --- token -------------------------------------------------------------------------------------------------

  /** The current token; concurrent callers share one in-flight token request. */
  #getToken(): Promise<string> {
    const t = this.#token;
    if (t && this.#clock.now() < t.renewAt) return Promise.resolve(t.value);
    if (!this.#tokenInflight) {
      this.#tokenInflight = this.#fetchToken().finally(() => {
        this.#tokenInflight = undefined;
      });
    }
    return this.#tokenInflight;
  }

  /** Forget `token` if it is still the current one; a newer token fetched meanwhile is kept. */
  #invalidateToken(token: string): void {
    if (this.#token?.value === token) this.#token = undefined;
  }

  async #fetchToken(): Promise<string> {
    const secret = this.#target.apiSecretReveal();
    const basic = basicCredentials(this.#target.apiKey, secret);
    const opts: CallOptions = { body: { grant_type: 'client_credentials' } };
    let attempt = 0;
    for (;;) {
      const sentAt = this.#clock.now();
      const outcome = await this.#send('POST', TOKEN_PATH, opts, { authorization: `Basic ${basic}` }, true);
      let reason: RetryEvent['reason'];
      let serverDelay: number | undefined;
      if (outcome.type === 'response') {
        const { status, data } = outcome;
        if (status >= 200 && status < 300) {
          const body = (data ?? {}) as { access_token?: unknown; expires_in?: unknown };
          if (typeof body.access_token !== 'string' || body.access_token === '') {
            throw new ApiError(status, 'POST /oauth/token: m3ter answered without an access_token', {
              method: 'POST',
              path: TOKEN_PATH,
            });
          }
          const ttlMs =
            typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in * 1000 : 0;
          // Renew early: five minutes before expiry (as m3ter's TypeScript SDK does), but never more than a fifth
          // of the lifetime, so short-lived tokens are still reused.
          const margin = Math.min(this.#o.tokenRenewMarginMs, ttlMs / 5);
          this.#token = { value: body.access_token, renewAt: sentAt + ttlMs - margin };
          return body.access_token;
        }
        if (status === 429) this.#stats.rateLimited++;
        const message =
          status === 401 || status === 403 || status === 400
            ? `m3ter refused the access key ${JSON.stringify(this.#target.apiKey)} and its secret (HTTP ${status}); check M3TER_API_KEY and M3TER_API_SECRET`
            : this.#apiMessage('POST', TOKEN_PATH, outcome, []);
        const retryable = status === 429 || status >= 500;
        if (!retryable || attempt >= this.#o.maxRetries) {
          throw new ApiError(status, this.#redact(message), {
            method: 'POST',
            path: TOKEN_PATH,
            retries: attempt,
          });
        }
        reason = status;
        serverDelay = retryAfterMs(outcome.headers, this.#clock.now());
        if (serverDelay !== undefined && serverDelay > this.#o.maxRetryAfterMs) serverDelay = undefined;
      } else {
        if (attempt >= this.#o.maxRetries) {
          const what = outcome.timedOut
            ? `timed out after ${this.#o.timeoutMs} ms`
            : describeCause(outcome.error);
          throw new ApiConnectionError(
            this.#redact(`could not get a token from ${this.baseUrl}: ${what}, after ${attempt} retries`),
            { method: 'POST', path: TOKEN_PATH, timedOut: outcome.timedOut, retries: attempt },
            { cause: outcome.error },
          );
        }
        reason = outcome.timedOut ? 'timeout' : 'connection';
      }
      // A token request creates nothing, so it is retried like a read.
      const delay = serverDelay ?? this.#backoff(attempt);
      if (reason === 429 && serverDelay !== undefined)
        this.#limiter.pauseUntil(this.#clock.now() + serverDelay);
      this.#retried('POST', TOKEN_PATH, attempt + 1, delay, reason);
      attempt++;
      await this.#clock.sleep(delay);
    }
  }

  // --- one HTTP exchange -------------------------------------------------------------------------------------

  async #send(
    method: Method,
    path: string,
    opts: CallOptions,
    auth: { authorization: string },
    isToken: boolean,
  ): Promise<Outcome> {
    await (opts.chain ? opts.chain.acquire() : this.#limiter.acquire());
    // Closed while waiting for the limiter: not sent (an early read dropped because the files were invalid).
    if (this.#closed) throw this.#closedError(method, path);
    this.#stats.requests++;
    if (isToken) this.#stats.tokenRequests++;
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': this.#o.userAgent,
      ...auth,
    };
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    } else if (method === 'POST' || method === 'PUT') {
      headers['content-length'] = '0';
    }
    const qs = opts.query ? new URLSearchParams(opts.query).toString() : '';
    const fullPath = `${this.#basePath}${path}${qs ? `?${qs}` : ''}`;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new TimeoutSignal('timeout'));
    }, this.#o.timeoutMs);
    try {
      const res = await this.#connection.send({
        path: fullPath,
        method,
        headers,
        body,
        signal: controller.signal,
      });
      return {
        type: 'response',
        status: res.status,
        headers: res.headers,
        data: parseBody(res.text, res.headers),
      };
    } catch (err) {
      if (err instanceof M3terConfigError) throw err;
      if (err instanceof ExchangeError && err.cause instanceof ResponseTooLargeError) {
        throw tooLarge(method, this.#short(path), err.cause);
      }
      const connected = !(err instanceof ExchangeError) || err.connected;
      const error = err instanceof ExchangeError && err.cause instanceof Error ? err.cause : (err as Error);
      const code = errorCode(error);
      const isTimeout = timedOut || error instanceof TimeoutSignal;
      // Nothing left this machine when the connection was never made (refused, no such host, a connect timeout).
      const notSent = !connected && (isTimeout || (code !== undefined && NOT_SENT_CODES.has(code)));
      return { type: 'failure', sent: !notSent, timedOut: isTimeout, error };
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * A body past the limit is refused, not retried: the next answer would be as big. A create's answer may be the
 * entity it created, so that one stays an unclear write, which apply reconciles by reading.
 */
function tooLarge(method: Method, path: string, cause: ResponseTooLargeError): M3terConfigError {
  const what = `${method} ${path}: m3ter's answer (HTTP ${cause.status}) is larger than ${cause.limit} bytes, the limit set by M3TER_CONFIG_MAX_RESPONSE_BYTES`;
  if (method === 'POST' && cause.status >= 200 && cause.status < 300) {
    return new UnclearWriteError(
      'unclear_write',
      `${what}; m3ter may have created it, so it was not sent again`,
      { method, path, status: cause.status, limit: cause.limit },
      { cause },
    );
  }
  return new M3terConfigError(
    'api_response_too_large',
    `${what}; raise it if this answer is expected`,
    { method, path, status: cause.status, limit: cause.limit },
    { cause },
  );
}

function parseBody(text: string, headers: Headers): unknown {
  if (text === '') return undefined;
  const type = String(headers['content-type'] ?? '');
  if (type.includes('json') || /^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

function errorCode(error: Error): string | undefined {
  let e: unknown = error;
  for (let i = 0; i < 4 && e instanceof Error; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = e.cause;
  }
  return undefined;
}

function describeCause(error: Error): string {
  const code = errorCode(error);
  return code ? `${code}: ${error.message}` : error.message;
}

/** String values under secret-looking keys anywhere in a request body. */
/**
 * Values to keep out of error messages: every string under a `secrets` or `credentials` object (credential secrets
 * are named per type: signingKey, webhookUrl, clientSecret, ...), and any field whose name looks secret-bearing.
 * A message that echoes part of the request body then shows `(sensitive)` instead.
 */
const SECRET_CONTAINER = /^(secrets|credentials)$/i;
/** Fields of a credentials object that are not secret and make error messages readable. */
const PLAIN_CREDENTIAL_FIELD = /^(type|destination)$/;

function collectSecrets(body: unknown, out: string[] = [], depth = 0, inSecretObject = false): string[] {
  if (depth > 6 || typeof body !== 'object' || body === null) return out;
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    const secretish = (inSecretObject && !PLAIN_CREDENTIAL_FIELD.test(key)) || SECRET_KEY.test(key);
    if (typeof value === 'string' && value.length >= 4 && secretish) out.push(value);
    else if (typeof value === 'object')
      collectSecrets(value, out, depth + 1, inSecretObject || SECRET_CONTAINER.test(key));
  }
  return out;
}
