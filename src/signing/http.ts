import {
  checkVerifyOptions,
  SigningConfigError,
  type VerifyFailure,
  type VerifyOptions,
  type VerifyResult,
  verifyM3terRequest,
} from './sign.js';

/**
 * What the helpers need of a Node `http.IncomingMessage` (Express's and Fastify's raw requests are ones). Structural
 * and loose on purpose: `socket` is only looked at for `encrypted`, so Node's own types (and any version of them)
 * fit without a cast.
 */
export interface NodeRequestLike extends AsyncIterable<unknown> {
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly url?: string | undefined;
  readonly readableEnded?: boolean;
  readonly socket?: object | null;
  /** Set by a body parser that ran first: bytes (express.raw()) are used, anything else cannot be verified. */
  readonly body?: unknown;
}

/** What the helpers need of a Fetch API `Request` (Node 18+, Deno, Bun, Cloudflare Workers...). */
export interface FetchRequestLike {
  readonly url: string;
  readonly headers: { get(name: string): string | null };
  readonly bodyUsed?: boolean;
  /** Read chunk by chunk, so a body over `maxBodyBytes` is never held whole. */
  readonly body?: ReadableStream<Uint8Array> | null;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export type RequestVerifyOptions = Omit<VerifyOptions, 'url' | 'body' | 'headers'> & {
  /**
   * The URL m3ter signed: the webhook's URL as declared in m3ter. Behind a proxy or a load balancer the server sees
   * another one, so pass it. Without it the URL is not protected: the `Host` header and path it is rebuilt from are
   * the sender's choice, so a request signed for another receiver sharing the secret verifies here too.
   * @default the URL rebuilt from the request (scheme, `Host` header and path)
   */
  url?: string | undefined;
  /** Largest body read, in bytes; reading stops as soon as a body is larger. @default 1 MiB */
  maxBodyBytes?: number;
};

/** The result, and the raw body it was checked against (parse that, not a second read of the request). */
export type RequestVerifyResult = VerifyResult & { body: Uint8Array };

const DEFAULT_MAX_BODY = 1024 * 1024;
const NO_BODY = new Uint8Array(0);

type BodyRead = { bytes: Uint8Array } | { reason: VerifyFailure; message: string };

const tooLarge = (limit: number): BodyRead => ({
  reason: 'body_too_large',
  message: `the request body is larger than ${limit} bytes (maxBodyBytes)`,
});
const notRaw: BodyRead = {
  reason: 'body_not_raw',
  message:
    'the body was parsed before it was verified (a JSON body parser?): mount the receiver before any body parser, or use express.raw()',
};

/** Checks the options as verify does (throwing for a misuse) before anything is read from the request. */
function settingsOf(options: RequestVerifyOptions): { limit: number } {
  if (typeof options !== 'object' || options === null) {
    throw new SigningConfigError('verify needs an options object: { url, secrets, ... }');
  }
  checkVerifyOptions({ ...options, url: options.url ?? 'http://placeholder/', headers: {} });
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new SigningConfigError('maxBodyBytes must be a whole number of bytes');
  }
  return { limit };
}

async function readNodeBody(req: NodeRequestLike, limit: number): Promise<BodyRead> {
  if (req.body instanceof Uint8Array) {
    return req.body.length > limit ? tooLarge(limit) : { bytes: req.body };
  }
  if (req.body !== undefined) return notRaw;
  if (req.readableEnded) {
    return {
      reason: 'body_already_read',
      message:
        'the request body was already read: verify needs the raw bytes; mount the receiver before any body parser, or use express.raw()',
    };
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      const bytes =
        typeof chunk === 'string'
          ? Buffer.from(chunk, 'utf8')
          : chunk instanceof Uint8Array
            ? chunk
            : undefined;
      if (!bytes) return notRaw;
      size += bytes.length;
      // Leaving the loop early ends the iteration, which stops reading the stream.
      if (size > limit) return tooLarge(limit);
      chunks.push(bytes);
    }
  } catch {
    return {
      reason: 'body_unreadable',
      message: 'the request body could not be read (the client went away?)',
    };
  }
  return { bytes: Buffer.concat(chunks) };
}

async function readFetchBody(request: FetchRequestLike, limit: number): Promise<BodyRead> {
  if (request.bodyUsed) {
    return {
      reason: 'body_already_read',
      message: 'the request body was already read: verify needs the raw bytes',
    };
  }
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) return tooLarge(limit);
  try {
    const stream = request.body;
    if (stream === undefined) {
      // A request-like object with no stream: its whole body, checked after the fact.
      const whole = new Uint8Array(await request.arrayBuffer());
      return whole.length > limit ? tooLarge(limit) : { bytes: whole };
    }
    if (stream === null) return { bytes: NO_BODY };
    const reader = stream.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > limit) {
        // Stops the producer: an endless body is not read further.
        await reader.cancel().catch(() => undefined);
        return tooLarge(limit);
      }
      chunks.push(value);
    }
    return { bytes: Buffer.concat(chunks) };
  } catch {
    return { reason: 'body_unreadable', message: 'the request body could not be read' };
  }
}

function firstHeader(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.[0];
}

function encrypted(socket: object | null | undefined): boolean {
  return (
    typeof socket === 'object' && socket !== null && (socket as { encrypted?: unknown }).encrypted === true
  );
}

/**
 * Reads the raw body of a Node request (http, https, Express before any body parser or after express.raw(),
 * Fastify's raw request) and verifies it. A body that cannot be had (too big, already parsed) is a result with
 * its reason, like a bad signature; a misuse of the options throws SigningConfigError before anything is read.
 */
export async function verifyNodeRequest(
  req: NodeRequestLike,
  options: RequestVerifyOptions,
): Promise<RequestVerifyResult> {
  const { limit } = settingsOf(options);
  const read = await readNodeBody(req, limit);
  if (!('bytes' in read)) return { ok: false, reason: read.reason, message: read.message, body: NO_BODY };
  const scheme = encrypted(req.socket) ? 'https' : 'http';
  const url =
    options.url ?? `${scheme}://${firstHeader(req.headers['host']) ?? 'localhost'}${req.url ?? '/'}`;
  return {
    ...verifyM3terRequest({ ...options, url, body: read.bytes, headers: req.headers }),
    body: read.bytes,
  };
}

/**
 * Reads the raw body of a Fetch API `Request` and verifies it, as verifyNodeRequest does. The request's body is
 * consumed; use the returned `body` (e.g. `JSON.parse(new TextDecoder().decode(result.body))`).
 */
export async function verifyFetchRequest(
  request: FetchRequestLike,
  options: RequestVerifyOptions,
): Promise<RequestVerifyResult> {
  const { limit } = settingsOf(options);
  const read = await readFetchBody(request, limit);
  if (!('bytes' in read)) return { ok: false, reason: read.reason, message: read.message, body: NO_BODY };
  const url = options.url ?? request.url;
  return {
    ...verifyM3terRequest({ ...options, url, body: read.bytes, headers: request.headers }),
    body: read.bytes,
  };
}
