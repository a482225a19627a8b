import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the stub saw of one request. */
export interface SeenRequest {
  method: string;
  url: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Reply =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { action: 'reset' }
  | { action: 'hang' };

export type Handler = (req: SeenRequest, index: number) => Reply | Promise<Reply>;

/**
 * A tiny node:http server on 127.0.0.1:0 for client mechanics. `/oauth/token` answers a token unless `onToken` says
 * otherwise; every other request goes to `handler`.
 */
export class StubServer {
  readonly seen: SeenRequest[] = [];
  readonly tokenRequests: SeenRequest[] = [];
  handler: Handler = () => ({ status: 200, body: {} });
  onToken: (req: SeenRequest, index: number) => Reply = (_req, i) => ({
    status: 200,
    body: { access_token: `tok-${i + 1}`, expires_in: this.tokenTtl, token_type: 'Bearer' },
  });
  tokenTtl = 18_000;
  port = 0;
  #server: Server | undefined;
  readonly #sockets = new Set<Socket>();

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** API requests only (not the token). */
  get api(): SeenRequest[] {
    return this.seen.filter((r) => !r.path.endsWith('/oauth/token'));
  }

  async start(port = this.port): Promise<this> {
    const server = createServer((req, res) => {
      this.#handle(req, res).catch(() => res.destroy());
    });
    server.on('connection', (s) => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.#server = server;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = req.url ?? '/';
    const u = new URL(url, 'http://stub');
    const seen: SeenRequest = {
      method: req.method ?? 'GET',
      url,
      path: u.pathname,
      query: u.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    this.seen.push(seen);
    let reply: Reply;
    if (seen.path.endsWith('/oauth/token')) {
      this.tokenRequests.push(seen);
      reply = this.onToken(seen, this.tokenRequests.length - 1);
    } else {
      reply = await this.handler(seen, this.api.length - 1);
    }
    if ('action' in reply) {
      if (reply.action === 'reset') req.socket.destroy();
      // 'hang': answer nothing; stop() destroys the socket.
      return;
    }
    const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    res.end(text);
  }
}

/** A clock whose sleep advances time at once and records each wait. */
export function fakeClock(start = 1_700_000_000_000) {
  const clock = {
    t: start,
    sleeps: [] as number[],
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
      clock.t += ms;
    },
  };
  return clock;
}
