import * as http from 'node:http';
import * as https from 'node:https';

/** How long an idle keep-alive connection is kept, at most. */
export const IDLE_TIMEOUT_MS = 4_000;

export type Headers = Record<string, string | string[] | undefined>;

export interface Exchanged {
  status: number;
  headers: Headers;
  text: string;
}

/** Why an exchange failed, and whether the connection was ever made (if not, no byte of the request left). */
export class ExchangeError extends Error {
  readonly connected: boolean;
  constructor(cause: unknown, connected: boolean) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.connected = connected;
  }
}

/**
 * Keep-alive HTTP(S) to one origin, on Node's own http module (issue 10: loading undici cost a remote command about
 * 70 ms before its first request). One request is one exchange: the whole body is read as text. `close` waits for
 * the exchanges in flight, then closes every connection.
 */
export class Connection {
  readonly #agent: http.Agent;
  readonly #request: typeof http.request;
  readonly #origin: { protocol: string; hostname: string; port: string };
  readonly #inflight = new Set<Promise<unknown>>();

  constructor(origin: string, connections: number) {
    const url = new URL(origin);
    const secure = url.protocol === 'https:';
    this.#origin = {
      protocol: url.protocol,
      // A bracketed IPv6 literal is given to the socket without its brackets.
      hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port,
    };
    // An idle connection is closed after IDLE_TIMEOUT_MS, or sooner when the server's `Keep-Alive: timeout=N` says
    // so (Node applies that hint only under an agent timeout): reusing a connection the server is closing would
    // fail a create as unclear. Requests in flight have their own timeout in client.ts.
    const options = { keepAlive: true, maxSockets: connections, timeout: IDLE_TIMEOUT_MS };
    this.#agent = secure ? new https.Agent(options) : new http.Agent(options);
    this.#request = secure ? https.request : http.request;
  }

  send(options: {
    method: string;
    path: string;
    headers: Record<string, string>;
    body: string | undefined;
    signal: AbortSignal;
  }): Promise<Exchanged> {
    const sent = new Promise<Exchanged>((resolve, reject) => {
      let connected = false;
      const fail = (err: unknown) => reject(new ExchangeError(err, connected));
      const headers = { ...options.headers };
      if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
      const req = this.#request(
        {
          ...this.#origin,
          path: options.path,
          method: options.method,
          headers,
          agent: this.#agent,
          signal: options.signal,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', fail);
          res.on('close', () => {
            if (!res.complete) fail(new Error('the connection closed before the whole response arrived'));
          });
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
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
    this.#inflight.add(sent);
    const forget = () => this.#inflight.delete(sent);
    sent.then(forget, forget);
    return sent;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.#inflight]);
    this.#agent.destroy();
  }
}
