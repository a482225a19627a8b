import * as http from 'node:http';
import * as https from 'node:https';
import { BlockList, isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import { M3terConfigError } from '../model/errors.js';
import { redactUrl } from '../model/redact.js';

/**
 * Requests through an HTTP proxy named by the environment, as curl, Go and undici read it: `https_proxy` /
 * `HTTPS_PROXY` for https:// targets, `http_proxy` / `HTTP_PROXY` for http:// ones (the lower-case name wins when
 * both are set), and `no_proxy` / `NO_PROXY` for the hosts reached directly. Loaded only when one of them is set.
 */

/** The proxy for one target, as parsed from the environment. */
export interface Proxy {
  readonly hostname: string;
  readonly port: number;
  /** `Basic ...` from the URL's user info, percent-decoded; never shown. */
  readonly authorization: string | undefined;
  /** The proxy URL as it may be shown: user info masked, with the variable it came from. */
  readonly shown: string;
}

/** A proxy setting that cannot be used: named by its variable, credentials masked. */
export class ProxyError extends M3terConfigError {}

type Env = Readonly<Record<string, string | undefined>>;

/** The lower-case name first, as curl and undici read them; an empty value counts as unset. */
function first(...settings: [string, string | undefined][]): { name: string; value: string } | undefined {
  for (const [name, raw] of settings) {
    const value = raw?.trim();
    if (value) return { name, value };
  }
  return undefined;
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** A host name as compared: lower case, no brackets, no trailing dot. */
function plainHost(host: string): string {
  return host
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
}

function isLoopback(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const family = isIP(host);
  return family !== 0 && LOOPBACK.check(host, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Whether `no_proxy` sends the request to host:port directly. Entries are separated by commas or spaces: `*` (every
 * host); a name, with or without a leading `.` or `*.`, which matches that name and every name under it; an IP
 * address, or a CIDR range such as `10.0.0.0/8`; each optionally with `:port`, then only for that port.
 */
export function bypassesProxy(noProxy: string, host: string, port: number): boolean {
  const target = plainHost(host);
  const targetFamily = isIP(target);
  for (const raw of noProxy.split(/[\s,]+/)) {
    let entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    let entryPort: number | undefined;
    const withPort = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(entry);
    if (withPort) {
      entry = withPort[1] as string;
      entryPort = Number(withPort[2]);
    }
    if (entryPort !== undefined && entryPort !== port) continue;
    entry = plainHost(entry.replace(/^\*?\./, ''));
    const cidr = /^(.+)\/(\d{1,3})$/.exec(entry);
    if (cidr && targetFamily !== 0) {
      const family = isIP(cidr[1] as string);
      const bits = Number(cidr[2]);
      if (family === targetFamily && bits <= (family === 4 ? 32 : 128)) {
        const list = new BlockList();
        const type = family === 4 ? 'ipv4' : 'ipv6';
        list.addSubnet(cidr[1] as string, bits, type);
        if (list.check(target, type)) return true;
      }
      continue;
    }
    if (target === entry || (targetFamily === 0 && target.endsWith(`.${entry}`))) return true;
  }
  return false;
}

function parseProxy(name: string, value: string): Proxy {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  const shown = `${redactUrl(withScheme)} (${name})`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ProxyError('proxy_invalid', `the proxy ${shown} is not a URL; unset ${name} or fix it`, {
      variable: name,
    });
  }
  if (url.protocol !== 'http:') {
    throw new ProxyError(
      'proxy_invalid',
      `the proxy ${shown} must be an http:// proxy URL (requests to https:// targets still go through it encrypted, by CONNECT)`,
      { variable: name },
    );
  }
  let authorization: string | undefined;
  if (url.username !== '' || url.password !== '') {
    let user: string;
    let password: string;
    try {
      user = decodeURIComponent(url.username);
      password = decodeURIComponent(url.password);
    } catch {
      throw new ProxyError('proxy_invalid', `the proxy ${shown} has badly percent-encoded credentials`, {
        variable: name,
      });
    }
    authorization = `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
  }
  return {
    hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? 80 : Number(url.port),
    authorization,
    shown,
  };
}

/**
 * The proxy that requests to `target` go through, or undefined to go direct: no proxy variable for its scheme, a
 * loopback host (a proxy cannot reach this machine's loopback), or a `no_proxy` match.
 */
export function proxyFor(target: URL, env: Env): Proxy | undefined {
  const secure = target.protocol === 'https:';
  const setting = secure
    ? first(['https_proxy', env['https_proxy']], ['HTTPS_PROXY', env['HTTPS_PROXY']])
    : first(['http_proxy', env['http_proxy']], ['HTTP_PROXY', env['HTTP_PROXY']]);
  if (!setting) return undefined;
  const host = plainHost(target.hostname);
  const port = target.port === '' ? (secure ? 443 : 80) : Number(target.port);
  if (isLoopback(host)) return undefined;
  const noProxy = first(['no_proxy', env['no_proxy']], ['NO_PROXY', env['NO_PROXY']]);
  if (noProxy && bypassesProxy(noProxy.value, host, port)) return undefined;
  return parseProxy(setting.name, setting.value);
}

/**
 * A keep-alive https agent whose connections are tunnels through `proxy`: a CONNECT request, then TLS to the target
 * over the tunnel, verified against the target's name as a direct connection would be.
 */
export class TunnelAgent extends https.Agent {
  readonly #proxy: Proxy;
  readonly #connects = new Set<http.ClientRequest>();

  constructor(proxy: Proxy, options: https.AgentOptions) {
    super(options);
    this.#proxy = proxy;
  }

  override createConnection(
    options: http.ClientRequestArgs,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex {
    const done = callback ?? (() => undefined);
    const host = plainHost(options.host ?? options.hostname ?? 'localhost');
    const authority = `${isIP(host) === 6 ? `[${host}]` : host}:${options.port ?? 443}`;
    const headers: Record<string, string> = { host: authority };
    if (this.#proxy.authorization) headers['proxy-authorization'] = this.#proxy.authorization;
    const connect = http.request({
      hostname: this.#proxy.hostname,
      port: this.#proxy.port,
      method: 'CONNECT',
      path: authority,
      headers,
      agent: false,
    });
    this.#connects.add(connect);
    let settled = false;
    const settle = (err: Error | null, stream?: Duplex): void => {
      this.#connects.delete(connect);
      if (settled) return;
      settled = true;
      done(err, stream as Duplex);
    };
    connect.once('connect', (res: http.IncomingMessage, socket: Socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        // The code only: the reason phrase is the proxy's own text and may echo the credentials it was sent.
        const status = String(res.statusCode ?? '?');
        if (res.statusCode === 407) {
          settle(
            new ProxyError(
              'proxy_auth_required',
              `the proxy ${this.#proxy.shown} asks for credentials (HTTP 407); put them in the proxy URL (http://user:password@host:port)`,
              { status: 407 },
            ),
          );
        } else {
          settle(
            new Error(`the proxy ${this.#proxy.shown} refused a tunnel to ${authority}: HTTP ${status}`),
          );
        }
        return;
      }
      const { socket: _ignored, ...rest } = options as tls.ConnectionOptions;
      const secure = tls.connect({
        ...rest,
        socket,
        servername: (options as tls.ConnectionOptions).servername ?? host,
      });
      settle(null, secure);
    });
    connect.once('error', (err) =>
      settle(new Error(`cannot reach the proxy ${this.#proxy.shown}: ${err.message}`, { cause: err })),
    );
    connect.end();
    return undefined as unknown as Duplex;
  }

  override destroy(): void {
    for (const c of this.#connects) c.destroy();
    this.#connects.clear();
    super.destroy();
  }
}
