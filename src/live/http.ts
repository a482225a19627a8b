import * as http from 'node:http';
import * as https from 'node:https';
import { M3terConfigError } from '../model/errors.js';

/** How long an idle keep-alive connection is kept, at most. */
export const IDLE_TIMEOUT_MS = 4_000;

/** The largest response body read, by default: a bigger one is refused while it streams (ResponseTooLargeError). */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** The variables that name a proxy; only when one is set is the proxy code loaded (it costs start-up otherwise). */
const PROXY_ENV = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'];

type Env = Readonly<Record<string, string | undefined>>;

export type Headers = Record<string, string | string[] | undefined>;

export interface Exchanged {
  status: number;
  /** The reason phrase, as the server sent it (data, never markup). */
  statusText: string;
  headers: Headers;
  text: string;
}

/** A response body past the limit: the read stopped there, the connection was dropped. */
export class ResponseTooLargeError extends Error {
  readonly limit: number;
  readonly status: number;
  constructor(limit: number, status: number) {
    super(`the answer is larger than ${limit} bytes`);
    this.limit = limit;
    this.status = status;
  }
}

/** Why an exchange failed, and whether the connection was ever made (if not, no byte of the request left). */
export class ExchangeError extends Error {
  readonly connected: boolean;
  constructor(cause: unknown, connected: boolean) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.connected = connected;
  }
}

export interface ConnectionOptions {
  /** Whose HTTPS_PROXY, HTTP_PROXY and NO_PROXY apply (see proxy.ts). @default process.env */
  readonly env?: Env;
  /** Largest response body read. @default MAX_RESPONSE_BYTES */
  readonly maxResponseBytes?: number;
  /** Certificate authorities trusted instead of Node's own (tests with a self-made certificate). */
  readonly ca?: string;
}

/** Where requests go: straight to the origin, or through a proxy. */
interface Route {
  agent: http.Agent;
  request: typeof http.request;
  origin: { protocol: string; hostname: string; port: string };
  /** Put before each path: the target's origin when a plain-http proxy is asked for an absolute URI. */
  pathPrefix: string;
  headers: Record<string, string>;
}

/**
 * Keep-alive HTTP(S) to one origin, on Node's own http module (loading undici cost a remote command about
 * 70 ms before its first request), directly or through the proxy the environment names. One request is one
 * exchange: the whole body is read as text, up to a limit. `close` waits for the exchanges in flight, then closes
 * every connection.
 */
export class Connection {
  readonly #route: Route | Promise<Route>;
  readonly #maxResponseBytes: number;
  readonly #inflight = new Set<Promise<unknown>>();

  constructor(origin: string, connections: number, options: ConnectionOptions = {}) {
    const url = new URL(origin);
    // An idle connection is closed after IDLE_TIMEOUT_MS, or sooner when the server's `Keep-Alive: timeout=N` says
    // so (Node applies that hint only under an agent timeout): reusing a connection the server is closing would
    // fail a create as unclear. Requests in flight have their own timeout in client.ts.
    const agentOptions = {
      keepAlive: true,
      maxSockets: connections,
      timeout: IDLE_TIMEOUT_MS,
      ...(options.ca === undefined ? {} : { ca: options.ca }),
    };
    this.#maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
    const env = options.env ?? process.env;
    const direct = directRoute(url, agentOptions);
    this.#route = PROXY_ENV.some((n) => env[n]?.trim())
      ? import('./proxy.js').then(({ proxyFor, TunnelAgent }) => {
          const proxy = proxyFor(url, env);
          if (!proxy) return direct;
          direct.agent.destroy();
          if (url.protocol === 'https:') return { ...direct, agent: new TunnelAgent(proxy, agentOptions) };
          // A plain-http target: the request goes to the proxy, naming the target by its absolute URI.
          return {
            agent: new http.Agent(agentOptions),
            request: http.request,
            origin: { protocol: 'http:', hostname: proxy.hostname, port: String(proxy.port) },
            pathPrefix: url.origin,
            headers: {
              host: url.host,
              ...(proxy.authorization ? { 'proxy-authorization': proxy.authorization } : {}),
            },
          };
        })
      : direct;
    // A proxy setting that cannot work is reported by each send; unsent, it must not end the process.
    if (this.#route instanceof Promise) this.#route.catch(() => undefined);
  }

  send(options: {
    method: string;
    path: string;
    headers: Record<string, string>;
    body: string | Buffer | undefined;
    signal: AbortSignal;
  }): Promise<Exchanged> {
    const sent = (async () => {
      const route = await this.#route;
      return this.#exchange(route, options);
    })();
    this.#inflight.add(sent);
    const forget = () => this.#inflight.delete(sent);
    sent.then(forget, forget);
    return sent;
  }

  #exchange(
    route: Route,
    options: {
      method: string;
      path: string;
      headers: Record<string, string>;
      body: string | Buffer | undefined;
      signal: AbortSignal;
    },
  ): Promise<Exchanged> {
    const limit = this.#maxResponseBytes;
    return new Promise<Exchanged>((resolve, reject) => {
      let connected = false;
      // A setting that cannot work (a proxy that wants credentials) is the user's to fix, not a lost connection.
      const fail = (err: unknown) =>
        reject(err instanceof M3terConfigError ? err : new ExchangeError(err, connected));
      const headers = { ...options.headers, ...route.headers };
      if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
      const req = route.request(
        {
          ...route.origin,
          path: `${route.pathPrefix}${options.path}`,
          method: options.method,
          headers,
          agent: route.agent,
          signal: options.signal,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            // Counted as it streams: a body too big for memory (or for one string) never builds up.
            if (size > limit) req.destroy(new ResponseTooLargeError(limit, res.statusCode ?? 0));
            else chunks.push(chunk);
          });
          res.on('error', fail);
          res.on('close', () => {
            if (!res.complete) fail(new Error('the connection closed before the whole response arrived'));
          });
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              statusText: res.statusMessage ?? '',
              headers: res.headers,
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
        },
      );
      req.on('socket', (socket) => {
        if (!socket.connecting) connected = true;
        else socket.once('connect', () => (connected = true));
      });
      req.on('error', fail);
      req.end(options.body);
    });
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.#inflight]);
    (await Promise.resolve(this.#route).catch(() => undefined))?.agent.destroy();
  }
}

function directRoute(url: URL, agentOptions: https.AgentOptions): Route {
  const secure = url.protocol === 'https:';
  return {
    agent: secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions),
    request: secure ? https.request : http.request,
    // A bracketed IPv6 literal is given to the socket without its brackets.
    origin: { protocol: url.protocol, hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: url.port },
    pathPrefix: '',
    headers: {},
  };
}

/**
 * The credentials in the proxy variables (the password, and `user:password` as Basic credentials), for the
 * redaction of an answer a proxy may have written: a proxy's error page can echo the Proxy-Authorization it got.
 */
export function proxyCredentials(env: Env): string[] {
  const out: string[] = [];
  for (const name of PROXY_ENV) {
    const value = env[name]?.trim();
    if (!value?.includes('@')) continue;
    try {
      const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
      const user = decodeURIComponent(url.username);
      const password = decodeURIComponent(url.password);
      if (password !== '') out.push(password);
      out.push(Buffer.from(`${user}:${password}`, 'utf8').toString('base64'));
    } catch {
      // A proxy URL that does not parse is refused before any request (proxy.ts).
    }
  }
  return out;
}

/** A one-off request that got no answer in time. */
export class RequestTimeoutError extends Error {
  readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super(`timed out after ${timeoutMs / 1000} s`);
    this.timeoutMs = timeoutMs;
  }
}

/**
 * One request to `url` on a connection of its own, for the local tools (webhook test-send, listen --forward):
 * through the environment's proxy like the API client, never following a redirect (the answer is returned as it
 * is), the body read up to `maxResponseBytes`, and the whole exchange bounded by `timeoutMs` on a timer of its own
 * (a timeout signal combined with AbortSignal.any can be collected before it fires on Node 20).
 * Throws RequestTimeoutError, ResponseTooLargeError, a proxy setting's M3terConfigError, or what the socket threw.
 */
export async function requestOnce(request: {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | Buffer;
  timeoutMs: number;
  maxResponseBytes: number;
  env: Env;
  signal?: AbortSignal;
}): Promise<Exchanged> {
  const url = new URL(request.url);
  const connection = new Connection(url.origin, 1, {
    env: request.env,
    maxResponseBytes: request.maxResponseBytes,
  });
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new RequestTimeoutError(request.timeoutMs)),
    request.timeoutMs,
  );
  const outer = request.signal;
  const stop = (): void => controller.abort(outer?.reason);
  outer?.addEventListener('abort', stop, { once: true });
  if (outer?.aborted) stop();
  try {
    return await connection.send({
      method: request.method,
      path: `${url.pathname}${url.search}`,
      headers: request.headers,
      body: request.body,
      signal: controller.signal,
    });
  } catch (err) {
    // The abort error of a timeout carries the timeout as its cause.
    for (let e: unknown = err, i = 0; e instanceof Error && i < 4; e = e.cause, i++) {
      if (e instanceof RequestTimeoutError || e instanceof ResponseTooLargeError) throw e;
    }
    throw err instanceof ExchangeError && err.cause instanceof Error ? err.cause : err;
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', stop);
    await connection.close();
  }
}
