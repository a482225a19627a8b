import { type VerifyOptions, type VerifyResult, verifyM3terRequest } from './sign.js';

/** What the helpers need of a Node `http.IncomingMessage` (structural, so no type from node:http is required). */
export interface NodeRequestLike extends AsyncIterable<Uint8Array | string> {
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  url?: string | undefined;
  readableEnded?: boolean;
  socket?: { encrypted?: boolean } | null;
}

/** What the helpers need of a Fetch API `Request` (Node 18+, Deno, Bun, Cloudflare Workers...). */
export interface FetchRequestLike {
  url: string;
  headers: { get(name: string): string | null };
  bodyUsed?: boolean;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export type RequestVerifyOptions = Omit<VerifyOptions, 'url' | 'body' | 'headers'> & {
  /**
   * The URL m3ter signed: the webhook's URL as declared in m3ter. Behind a proxy or a load balancer the server sees
   * another one, so pass it. @default the URL rebuilt from the request (scheme, `Host` header and path)
   */
  url?: string;
  /** Largest body read, in bytes; a larger one is refused before it is read whole. @default 1 MiB */
  maxBodyBytes?: number;
};

/** The result, and the raw body it was checked against (parse that, not a second read of the request). */
export type RequestVerifyResult = VerifyResult & { body: Uint8Array };

const DEFAULT_MAX_BODY = 1024 * 1024;

export class BodyReadError extends Error {
  override name = 'BodyReadError';
}

async function readNodeBody(req: NodeRequestLike, limit: number): Promise<Uint8Array> {
  if (req.readableEnded) {
    throw new BodyReadError(
      'the request body was already read (by a JSON body parser?): verify needs the raw bytes; mount the receiver before any body parser, or use express.raw()',
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    size += bytes.length;
    if (size > limit) throw new BodyReadError(`the request body is larger than ${limit} bytes`);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

function firstHeader(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.[0];
}

/**
 * Reads the raw body of a Node request (http, https, Express before any body parser, Fastify's raw request) and
 * verifies it. Throws BodyReadError when the body cannot be read; a bad signature is a result, not a throw.
 */
export async function verifyNodeRequest(
  req: NodeRequestLike,
  options: RequestVerifyOptions,
): Promise<RequestVerifyResult> {
  const body = await readNodeBody(req, options.maxBodyBytes ?? DEFAULT_MAX_BODY);
  const scheme = req.socket?.encrypted ? 'https' : 'http';
  const url =
    options.url ?? `${scheme}://${firstHeader(req.headers['host']) ?? 'localhost'}${req.url ?? '/'}`;
  return { ...verifyM3terRequest({ ...options, url, body, headers: req.headers }), body };
}

/**
 * Reads the raw body of a Fetch API `Request` and verifies it. The request's body is consumed; use the returned
 * `body` (e.g. `JSON.parse(new TextDecoder().decode(result.body))`).
 */
export async function verifyFetchRequest(
  request: FetchRequestLike,
  options: RequestVerifyOptions,
): Promise<RequestVerifyResult> {
  if (request.bodyUsed)
    throw new BodyReadError('the request body was already read: verify needs the raw bytes');
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) throw new BodyReadError(`the request body is larger than ${limit} bytes`);
  const body = new Uint8Array(await request.arrayBuffer());
  if (body.length > limit) throw new BodyReadError(`the request body is larger than ${limit} bytes`);
  const url = options.url ?? request.url;
  return { ...verifyM3terRequest({ ...options, url, body, headers: request.headers }), body };
}
