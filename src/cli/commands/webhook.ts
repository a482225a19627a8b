import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Exchanged,
  type Headers,
  proxyCredentials,
  requestOnce,
  RequestTimeoutError,
  ResponseTooLargeError,
} from '../../live/http.js';
import { ConfigError, type Issue, M3terConfigError } from '../../model/errors.js';
import { redactSecrets, redactUrl } from '../../model/redact.js';
import type { DesiredResource } from '../../model/resource.js';
import type { DesiredState } from '../../model/state.js';
import { escapeText } from '../../render/escape.js';
import { signM3terRequest, verifyM3terRequest, type VerifyResult } from '../../signing/index.js';
import { validate } from '../../workflow/validate.js';
import { type CommandContext, defineCommand, defineCommandGroup } from '../command.js';
import { LOAD_ENV_NAMES, OUTPUT_ENV_NAMES, PROXY_ENV_NAMES } from '../environment.js';
import { EXIT } from '../exit-codes.js';
import { ENV_FILE_OPTION, fileLoadOptions, UsageError, write } from '../options.js';
import { closest } from '../../model/suggest.js';
import { configPaths, showWarnings, untilStopped } from './shared.js';

/** A declared webhook with the key pair its deliveries are signed with (absent when the variables are unset). */
interface DeclaredWebhook {
  code: string;
  url: string;
  where: string;
  keyPair?: { apiKey: string; secret: string };
}

/** Reads the files (secrets optional: an unset one only makes its webhook unverifiable) and their webhooks. */
async function declaredWebhooks(
  ctx: CommandContext,
  positionals: string[],
  load: { envFiles?: string[]; environment?: string },
): Promise<DeclaredWebhook[]> {
  const result = await validate(configPaths(ctx, positionals), {
    env: ctx.env,
    cwd: ctx.cwd,
    ...load,
  });
  if (result.errorCount > 0 || !result.state) throw new ConfigError(result.issues);
  showWarnings(ctx, result.issues, false);
  return webhooksOf(result.state);
}

function webhooksOf(state: DesiredState): DeclaredWebhook[] {
  return [...state.resources.webhook.values()].map((w: DesiredResource<'webhook'>) => {
    const apiKey = w.secrets?.['apiKey'];
    const secret = w.secrets?.['secret'];
    const out: DeclaredWebhook = {
      code: w.key,
      url: w.attributes.url,
      where: `${w.source.file}:${w.source.line}:${w.source.col}`,
    };
    // An empty key or secret cannot sign or verify anything (the signing library refuses it): treated as unset.
    if (apiKey && secret && apiKey.reveal() !== '' && secret.reveal() !== '') {
      out.keyPair = { apiKey: apiKey.reveal(), secret: secret.reveal() };
    }
    return out;
  });
}

const one = (s: string): string => escapeText(s, { newlines: false });

/** The port every declared loopback webhook URL names, when they agree on one: where deliveries are expected. */
function loopbackPort(hooks: readonly DeclaredWebhook[]): number | undefined {
  const ports = new Set<number>();
  for (const h of hooks) {
    try {
      const u = new URL(h.url);
      if (
        u.protocol === 'http:' &&
        /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(u.hostname) &&
        u.port !== ''
      )
        ports.add(Number(u.port));
    } catch {
      // The loader has checked the URLs; an odd one just does not count.
    }
  }
  return ports.size === 1 ? [...ports][0] : undefined;
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

/** The webhook a delivery is for, and the verdict: by path first, then any declared webhook whose secret fits. */
function check(
  hooks: readonly DeclaredWebhook[],
  path: string,
  body: Buffer,
  headers: IncomingMessage['headers'],
): { code?: string; verdict: string; ok: boolean } {
  const byPath = hooks.filter((h) => pathOf(h.url) === path);
  const candidates = byPath.length > 0 ? byPath : hooks;
  let last: VerifyResult | undefined;
  for (const h of candidates) {
    if (!h.keyPair) continue;
    last = verifyM3terRequest({ url: h.url, body, headers, secrets: [h.keyPair] });
    if (last.ok) return { code: h.code, verdict: 'signature ok', ok: true };
  }
  const code = byPath.length === 1 ? byPath[0]?.code : undefined;
  const withCode = code === undefined ? {} : { code };
  if (!last) {
    return {
      ...withCode,
      verdict: 'signature NOT CHECKED: no matching webhook has its apiKey and secret variables set',
      ok: false,
    };
  }
  const reason = last.ok ? '' : `${last.reason}: ${last.message}`;
  return { ...withCode, verdict: `signature FAILED (${reason})`, ok: false };
}

function eventNameOf(body: Buffer): string {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { eventName?: unknown };
    return typeof parsed.eventName === 'string' ? parsed.eventName : '(no eventName)';
  } catch {
    return '(not JSON)';
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) req.destroy(new Error('body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const FORWARDED_HEADERS = /^(x-m3ter-|content-type$)/i;

/** How much of an answer the local tools read; past it the request is dropped and reported. */
export const MAX_ANSWER_BYTES = 1024 * 1024;
const DEFAULT_FORWARD_TIMEOUT_S = 10;
const DEFAULT_SEND_TIMEOUT_S = 30;

/** `--timeout S`: seconds, fractions allowed, more than 0 and at most an hour. */
function timeoutMs(value: string | undefined, fallbackS: number): number {
  if (value === undefined) return fallbackS * 1000;
  const s = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !(s > 0) || s > 3600)
    throw new UsageError(`invalid value for --timeout: '${value}' (seconds, more than 0, at most 3600)`);
  return Math.ceil(s * 1000);
}

/**
 * Whether a browser sent the request: browsers add `Origin` to every POST (same-origin after DNS rebinding too) and
 * `Sec-Fetch-Site` to every request; m3ter's deliveries carry neither (Node's fetch sends only `Sec-Fetch-Mode`).
 */
function fromBrowser(req: IncomingMessage): boolean {
  const h = req.headers;
  return h.origin !== undefined || h['sec-fetch-site'] !== undefined;
}

/** A redirect's target as it may be shown: no user info, and no secret however encoded (the caller redacts). */
function locationOf(headers: Headers): string {
  const location = headers['location'];
  const value = Array.isArray(location) ? location[0] : location;
  return value === undefined ? '(no Location)' : redactUrl(value);
}

/** Why a one-off request failed, in words; never holds the request's headers. */
function describeFailure(e: unknown): string {
  if (e instanceof RequestTimeoutError) return `${e.message} (--timeout)`;
  if (e instanceof ResponseTooLargeError)
    return `the answer (HTTP ${e.status}) is larger than ${e.limit} bytes; the rest was not read`;
  return e instanceof Error ? e.message : String(e);
}

async function forward(
  to: string,
  body: Buffer,
  headers: IncomingMessage['headers'],
  options: { timeoutMs: number; env: NodeJS.ProcessEnv },
): Promise<{ status?: number; shown: string }> {
  const sent: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers))
    if (FORWARDED_HEADERS.test(k) && typeof v === 'string') sent[k] = v;
  try {
    const res = await requestOnce({
      url: to,
      method: 'POST',
      headers: sent,
      body,
      timeoutMs: options.timeoutMs,
      maxResponseBytes: MAX_ANSWER_BYTES,
      env: options.env,
    });
    // The signed request goes to the --forward URL only: a redirect is reported, never followed.
    if (res.status >= 300 && res.status < 400)
      return {
        status: res.status,
        shown: `${res.status} (redirect to ${locationOf(res.headers)} not followed)`,
      };
    return { status: res.status, shown: `${res.status}` };
  } catch (e) {
    return { shown: `failed (${describeFailure(e)})` };
  }
}

const listenCommand = defineCommand({
  name: 'webhook listen',
  summary: 'Receive webhook deliveries locally and check their signatures against the config',
  synopsis: 'webhook listen [PATH...] [options]',
  description: `Listens on loopback for m3ter webhook deliveries (from the emulator, or a tunnel) and prints one line for
each: the time, the event name, the webhook it is for and whether its M3TER_SIGNED_REQUEST signature checks
out against the apiKey and secret the config declares for that webhook (matched by the URL's path, else any
declared webhook). Signed against each webhook's declared URL, as m3ter signs. Secrets are never printed.
Answers 200 to a good signature and 401 to a bad one (with --forward: what the forward target answered).`,
  options: {
    port: {
      type: 'string',
      value: 'N',
      help: 'port to listen on, 0 for a free one (default: the port of the declared loopback\nwebhook URLs when they share one, else 0)',
    },
    host: { type: 'string', value: 'H', help: 'interface to bind (default 127.0.0.1)' },
    forward: {
      type: 'string',
      value: 'URL',
      help: 'also POST each delivery (raw body and X-m3ter-* headers) to URL; redirects are not followed',
    },
    timeout: {
      type: 'string',
      value: 'S',
      help: `seconds to wait for the --forward URL's answer (default ${DEFAULT_FORWARD_TIMEOUT_S})`,
    },
    ...ENV_FILE_OPTION,
  },
  env: [...LOAD_ENV_NAMES, ...PROXY_ENV_NAMES, ...OUTPUT_ENV_NAMES],
  exits: { ok: 'stopped by a signal', error: true },
  async run(ctx, { values, positionals }) {
    const asked = values.port === undefined ? undefined : Number(values.port);
    if (asked !== undefined && (!Number.isInteger(asked) || asked < 0 || asked > 65535))
      throw new UsageError(`invalid value for --port: '${values.port}'`);
    if (values.forward !== undefined && !/^https?:\/\//.test(values.forward))
      throw new UsageError('--forward takes an http:// or https:// URL');
    const forwardTimeoutMs = timeoutMs(values.timeout, DEFAULT_FORWARD_TIMEOUT_S);
    const hooks = await declaredWebhooks(ctx, positionals, fileLoadOptions(values, ctx.env));
    const port = asked ?? loopbackPort(hooks) ?? 0;
    const secrets = [
      ...hooks.flatMap((h) => (h.keyPair ? [h.keyPair.apiKey, h.keyPair.secret] : [])),
      ...proxyCredentials(ctx.env),
    ];
    const say = (text: string): void => write(ctx.stdout, redactSecrets(text, secrets));
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      void (async () => {
        const path = (req.url ?? '/').split('?')[0] as string;
        if (fromBrowser(req)) {
          // A web page the developer opens can POST here (or rebind a name to loopback): never forwarded.
          say(
            `${new Date().toISOString()}  ${one(`${req.method ?? '?'} ${path}`)}  refused: a browser request (Origin ${one(String(req.headers.origin ?? 'none'))}), not a delivery; not forwarded`,
          );
          res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false }));
          return;
        }
        const body = await readBody(req, 1024 * 1024);
        const verdict = check(hooks, path, body, req.headers);
        const forwarded = values.forward
          ? await forward(values.forward, body, req.headers, { timeoutMs: forwardTimeoutMs, env: ctx.env })
          : undefined;
        say(
          [
            new Date().toISOString(),
            one(`${req.method ?? '?'} ${path}`),
            one(eventNameOf(body)),
            `${verdict.code === undefined ? 'webhook ?' : `webhook ${one(verdict.code)}`}: ${one(verdict.verdict)}`,
            ...(forwarded === undefined ? [] : [`forwarded: ${one(forwarded.shown)}`]),
          ].join('  '),
        );
        const status = forwarded?.status ?? (verdict.ok ? 200 : 401);
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: verdict.ok }));
      })().catch(() => res.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, values.host ?? '127.0.0.1', () => resolve());
    });
    // Watching starts before the banner: whoever waits for it may stop us right after.
    const stopped = untilStopped(ctx);
    const addr = server.address() as AddressInfo;
    const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    say(
      [
        `Listening on http://${host}:${addr.port} for m3ter webhook deliveries (Ctrl-C to stop)`,
        ...hooks.map(
          (h) =>
            `  webhook ${one(h.code)}: ${one(redactUrl(h.url))}${h.keyPair ? '' : ' (apiKey/secret variables unset: not checked)'}`,
        ),
        ...(values.forward ? [`  forwarding to ${one(redactUrl(values.forward))}`] : []),
      ].join('\n'),
    );
    const why = await stopped;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    say(`stopped (${why})`);
    return EXIT.ok;
  },
});

/** A sample notification in the Event entity's shape (m3ter does not publish the real body). */
function sampleEvent(eventName: string): Record<string, unknown> {
  const entity = { id: randomUUID(), version: 1, name: 'm3ter-config test-send sample' };
  const eventData: Record<string, unknown> = {};
  if (!eventName.endsWith('.deleted')) eventData['newDto'] = entity;
  if (eventName.endsWith('.updated') || eventName.endsWith('.deleted')) eventData['oldDto'] = entity;
  return { id: randomUUID(), eventName, eventTime: new Date().toISOString(), m3terEvent: { eventData } };
}

const DEFAULT_TEST_EVENT = 'configuration.commitment.updated';
const MAX_SHOWN_ANSWER = 2000;

const testSendCommand = defineCommand({
  name: 'webhook test-send',
  summary: 'Send a signed sample notification to a declared webhook and show the answer',
  synopsis: 'webhook test-send CODE [PATH...] [options]',
  description: `Signs a sample notification (the Event entity shape) with the apiKey and secret the config declares for the
webhook CODE, as m3ter signs (M3TER_SIGNED_REQUEST), POSTs it to the webhook's declared URL and shows the
answer. The event name is --event, else that of a rule linked to the webhook, else ${DEFAULT_TEST_EVENT}.
Talks only to the webhook's URL, never to m3ter.`,
  options: {
    event: { type: 'string', value: 'NAME', help: 'event name of the sample' },
    timeout: {
      type: 'string',
      value: 'S',
      help: `seconds to wait for the answer (default ${DEFAULT_SEND_TIMEOUT_S})`,
    },
    ...ENV_FILE_OPTION,
  },
  env: [...LOAD_ENV_NAMES, ...PROXY_ENV_NAMES, ...OUTPUT_ENV_NAMES],
  exits: {
    ok: 'the webhook answered 2xx',
    error: 'another answer (a redirect is not followed), no answer in time, or bad input',
  },
  async run(ctx, { values, positionals }) {
    const [code, ...paths] = positionals;
    if (code === undefined)
      throw new UsageError('missing CODE: the code of a webhook declared in the config');
    const waitMs = timeoutMs(values.timeout, DEFAULT_SEND_TIMEOUT_S);
    const result = await validate(configPaths(ctx, paths), {
      env: ctx.env,
      cwd: ctx.cwd,
      ...fileLoadOptions(values, ctx.env),
    });
    if (result.errorCount > 0 || !result.state) throw new ConfigError(result.issues);
    const state = result.state;
    const hook = webhooksOf(state).find((h) => h.code === code);
    if (!hook) {
      const hint = closest(code, [...state.resources.webhook.keys()]);
      throw new UsageError(
        `no webhook with code ${JSON.stringify(code)} in the config${hint ? `; did you mean ${hint}?` : ''}`,
      );
    }
    const resource = state.resources.webhook.get(code) as DesiredResource<'webhook'>;
    if (!hook.keyPair) {
      const unset: Issue[] = result.issues.filter((i) =>
        i.pointer.startsWith(`${resource.source.pointer}/credentials`),
      );
      throw new ConfigError(unset.map((i) => ({ ...i, severity: 'error' as const })));
    }
    const linked = [...state.resources.link.values()].find((l) => l.attributes.webhook === code);
    const rule = linked ? state.resources.notificationRule.get(linked.attributes.rule) : undefined;
    const eventName = values.event ?? rule?.attributes.eventName ?? DEFAULT_TEST_EVENT;
    const body = JSON.stringify(sampleEvent(eventName));
    const { headers } = signM3terRequest({ url: hook.url, body, ...hook.keyPair });
    const secrets = [hook.keyPair.apiKey, hook.keyPair.secret, ...proxyCredentials(ctx.env)];
    write(
      ctx.stdout,
      `POST ${one(redactUrl(hook.url))}  event ${one(eventName)}, signed with webhook ${one(code)}'s credentials`,
    );
    // Everything the receiver sends back is redacted whole, before any of it is cut or shown.
    const clean = (text: string): string => redactSecrets(text, secrets);
    let res: Exchanged;
    try {
      res = await requestOnce({
        url: hook.url,
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body,
        timeoutMs: waitMs,
        maxResponseBytes: MAX_ANSWER_BYTES,
        env: ctx.env,
        signal: ctx.signal,
      });
    } catch (e) {
      if (e instanceof M3terConfigError) throw e;
      const where = one(redactUrl(hook.url));
      write(
        ctx.stderr,
        e instanceof ResponseTooLargeError
          ? `error: the answer from ${where} (HTTP ${e.status}) is larger than ${e.limit} bytes; the rest was not read`
          : `error: no answer from ${where}: ${one(clean(describeFailure(e)))}`,
      );
      return EXIT.error;
    }
    write(ctx.stdout, `answer: ${res.status} ${one(clean(res.statusText))}`);
    if (res.status >= 300 && res.status < 400) {
      write(
        ctx.stderr,
        `error: the webhook answered a redirect to ${one(clean(locationOf(res.headers)))}; not followed: the signed request goes only to the declared URL`,
      );
      return EXIT.error;
    }
    const text = clean(res.text);
    const shown =
      text.length > MAX_SHOWN_ANSWER
        ? `${text.slice(0, MAX_SHOWN_ANSWER)}... (${res.text.length} characters)`
        : text;
    if (shown !== '') write(ctx.stdout, escapeText(shown));
    return res.status >= 200 && res.status < 300 ? EXIT.ok : EXIT.error;
  },
});

/** `m3ter-config webhook listen|test-send`. */
export const webhookCommand = defineCommandGroup({
  name: 'webhook',
  summary: 'Receive and send signed webhook deliveries locally (listen, test-send)',
  description: `Local tools for the receiving side of the webhooks the config declares: check that a receiver verifies
m3ter's M3TER_SIGNED_REQUEST signatures before m3ter ever calls it.`,
  commands: [listenCommand, testSendCommand],
});
