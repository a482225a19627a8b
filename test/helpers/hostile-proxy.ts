import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A deliberately misbehaving m3ter: an HTTP proxy on 127.0.0.1:0 that forwards every request to a real emulator
 * and spoils the list (and entity) answers for paths matching `scenario.path`, the way a buggy or racing server
 * would. Everything it does is counted, and every loop it could feed is bounded by the client under test.
 */
export type HostileScenario =
  /** Page 2 and later repeat the first item of page 1 (offset paging while something is created), in `reads` reads. */
  | { type: 'repeat-item'; path: RegExp; reads: number }
  /** Every page has a new nextToken, forever; pages after the first are empty and served by the proxy itself. */
  | { type: 'endless-tokens'; path: RegExp }
  /** A page that has more after it gets this nextToken instead of the real one (a number, an object, ...). */
  | { type: 'token'; path: RegExp; token: unknown }
  /** Entities (in lists and single GETs) lose their `version`. */
  | { type: 'strip-version'; path: RegExp };

export interface HostileProxyOptions {
  /** Base URL of the emulator to forward to (loopback). */
  target: string;
  scenario: HostileScenario;
  /** Rewrites the pageSize of every list request, so a few entities span several pages. */
  pageSize?: number;
}

export interface HostileProxy {
  url: string;
  /** List pages answered for paths matching the scenario, forwarded or not. */
  readonly pagesServed: number;
  /** How many times the scenario spoiled an answer. */
  readonly spoiled: number;
  /** `METHOD path` of every write (POST, PUT, DELETE; the token request excluded) that reached the proxy. */
  readonly writes: string[];
  close(): Promise<void>;
}

const ENDLESS_PREFIX = 'hostile-';

export async function startHostileProxy(options: HostileProxyOptions): Promise<HostileProxy> {
  const { scenario } = options;
  const state = { pagesServed: 0, spoiled: 0, writes: [] as string[] };
  /** First item of the most recent first page, per list path. */
  const firstItem = new Map<string, unknown>();
  let repeatsLeft = scenario.type === 'repeat-item' ? scenario.reads : 0;
  /** Lists (by path) whose current read already got its repeated item. */
  const repeatedIn = new Set<string>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://proxy');
    const matches = scenario.path.test(url.pathname);
    const isList = method === 'GET' && url.searchParams.has('pageSize');
    if (method !== 'GET' && !url.pathname.endsWith('/oauth/token'))
      state.writes.push(`${method} ${url.pathname}`);
    if (isList && options.pageSize !== undefined) url.searchParams.set('pageSize', String(options.pageSize));
    const token = url.searchParams.get('nextToken');

    if (matches && isList && scenario.type === 'endless-tokens' && token?.startsWith(ENDLESS_PREFIX)) {
      state.pagesServed++;
      state.spoiled++;
      const n = Number(token.slice(ENDLESS_PREFIX.length));
      return send(res, 200, { data: [], nextToken: `${ENDLESS_PREFIX}${n + 1}` });
    }

    const headers: Record<string, string> = {};
    for (const name of ['authorization', 'content-type', 'accept', 'user-agent']) {
      const v = req.headers[name];
      if (typeof v === 'string') headers[name] = v;
    }
    const upstream = await fetch(`${options.target}${url.pathname}${url.search}`, {
      method,
      headers,
      ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
    });
    const text = await upstream.text();
    const passHeaders: Record<string, string> = {};
    const retryAfter = upstream.headers.get('retry-after');
    if (retryAfter !== null) passHeaders['retry-after'] = retryAfter;
    if (!matches || method !== 'GET' || upstream.status !== 200) {
      return sendText(res, upstream.status, text, upstream.headers.get('content-type'), passHeaders);
    }
    const body = JSON.parse(text) as { data?: unknown[]; nextToken?: unknown } & Record<string, unknown>;
    if (isList) {
      state.pagesServed++;
      const data = body.data ?? [];
      const key = url.pathname;
      switch (scenario.type) {
        case 'endless-tokens':
          body.nextToken = `${ENDLESS_PREFIX}1`;
          state.spoiled++;
          break;
        case 'token':
          if (typeof body.nextToken === 'string' && body.nextToken !== '') {
            body.nextToken = scenario.token;
            state.spoiled++;
          }
          break;
        case 'repeat-item':
          if (token === null) {
            repeatedIn.delete(key);
            if (data.length > 0) firstItem.set(key, data[0]);
          } else if (repeatsLeft > 0 && !repeatedIn.has(key) && firstItem.has(key)) {
            repeatedIn.add(key);
            repeatsLeft--;
            data.unshift(firstItem.get(key));
            state.spoiled++;
          }
          break;
        case 'strip-version':
          for (const item of data) delete (item as Record<string, unknown>)['version'];
          state.spoiled++;
          break;
      }
    } else if (scenario.type === 'strip-version') {
      delete body['version'];
      state.spoiled++;
    }
    return send(res, 200, body);
  };

  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    get pagesServed() {
      return state.pagesServed;
    },
    get spoiled() {
      return state.spoiled;
    },
    writes: state.writes,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  sendText(res, status, JSON.stringify(body), 'application/json', {});
}

function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  contentType: string | null,
  headers: Record<string, string>,
): void {
  res.writeHead(status, { ...(contentType ? { 'content-type': contentType } : {}), ...headers });
  res.end(text);
}
