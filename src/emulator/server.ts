import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { M3terConfigError } from '../model/errors.js';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ApiContext, ApiResult, Route } from './api.js';
import { TokenIssuer } from './auth.js';
import { Counters, type EmulatorCounters } from './counters.js';
import { evaluateRoutes } from './calc.js';
import { credentialRoutes } from './credentials.js';
import { Deliveries } from './deliveries.js';
import { EmulatorHttpError, badRequest, forbidden, notFound } from './errors.js';
import { eventTypeRoutes } from './event-types.js';
import { eventRoutes } from './events.js';
import { FaultPlan, RateLimiter } from './faults.js';
import { integrationConfigRoutes } from './integration-configs.js';
import { notificationRoutes } from './notifications.js';
import {
  auditNameOf,
  isLoopbackHost,
  ORG_TYPES,
  type ResolvedOptions,
  type UserKind,
  type UsersMeMode,
} from './options.js';
import { StateFile } from './persist.js';
import { scheduledEventRoutes } from './scheduled-events.js';
import { type EmulatorState, Store } from './store.js';
import { usersMeRoutes } from './users-me.js';
import { webhookRoutes } from './webhooks.js';

const MAX_BODY_BYTES = 1024 * 1024;
const JSON_TYPE = 'application/json';

interface Matched {
  route: Route;
  params: Record<string, string>;
}

/** The emulator's HTTP server: plain node:http, a small segment router, no per-request heavy work. */
export class EmulatorServer {
  readonly store = new Store();
  readonly counters = new Counters();
  private readonly tokens: TokenIssuer;
  /** The kind of each accepted access key. */
  private readonly kinds: ReadonlyMap<string, UserKind>;
  private readonly faults: FaultPlan;
  private readonly limiter: RateLimiter;
  private readonly stateFile: StateFile | undefined;
  private readonly routesByLength = new Map<number, Route[]>();
  private readonly server: Server;
  private readonly hung = new Map<Socket, NodeJS.Timeout>();
  private readonly timers = new Set<NodeJS.Timeout>();
  readonly deliveries: Deliveries;
  private closed = false;
  private saveFailing = false;

  constructor(readonly options: ResolvedOptions) {
    this.tokens = new TokenIssuer(options);
    this.kinds = new Map([
      [options.apiKey, 'serviceUser'],
      ...options.users.map((u): [string, UserKind] => [u.apiKey, u.kind ?? 'serviceUser']),
    ]);
    this.faults = new FaultPlan(options);
    this.limiter = new RateLimiter(options);
    this.stateFile = options.statePath
      ? new StateFile(options.statePath, () => this.store.exportState(this.org(), false, true))
      : undefined;
    const ctx: ApiContext = {
      store: this.store,
      options,
      nowIso: () => new Date(options.now()).toISOString(),
    };
    this.deliveries = new Deliveries(ctx, () => this.save());
    for (const r of [
      ...webhookRoutes(ctx),
      ...notificationRoutes(ctx),
      ...integrationConfigRoutes(ctx),
      ...credentialRoutes(ctx),
      ...(options.scheduledEvents === 'serve' ? scheduledEventRoutes(ctx) : []),
      ...gated(eventTypeRoutes(ctx), options.eventTypesEndpoint),
      ...gated(
        evaluateRoutes(ctx, (id) => this.deliveries.event(id)),
        options.evaluateEndpoint,
      ),
      ...(options.integrationRuns === 'served' ? this.deliveries.runs.routes() : []),
      ...gated(usersMeRoutes(ctx), options.usersMeEndpoint),
      ...eventRoutes(ctx, this.deliveries),
    ]) {
      const list = this.routesByLength.get(r.segments.length) ?? [];
      list.push(r);
      this.routesByLength.set(r.segments.length, list);
    }
    this.server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
      this.handle(req, res).catch((e: unknown) => this.sendError(res, e));
    });
  }

  async start(): Promise<string> {
    if (this.stateFile) await this.openStateFile(this.stateFile);
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const addr = this.server.address() as AddressInfo;
    const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    return `http://${host}:${addr.port}`;
  }

  private async openStateFile(stateFile: StateFile): Promise<void> {
    const file = stateFile.path;
    const writes = this.options.stateAccess === 'write';
    try {
      // A folder made here holds only emulator state, secrets included: keep it out of Git from inside.
      if ((await mkdir(dirname(file), { recursive: true })) !== undefined)
        await writeFile(
          join(dirname(file), '.gitignore'),
          '# Written by the m3ter emulator: its state.\n*\n',
        );
      if (writes) await stateFile.lock();
      let loaded = await stateFile.load();
      // A reader creates a missing file at once, whole, and only if still missing, so the org id it serves holds.
      if (loaded === undefined && !writes) {
        const empty = `${JSON.stringify(this.store.exportState(this.org(), false, true), null, 2)}\n`;
        if (!(await stateFile.createExclusively(file, empty))) loaded = await stateFile.load();
      }
      if (loaded !== undefined) {
        const orgId = (loaded as { orgId?: unknown }).orgId;
        if (typeof orgId === 'string' && orgId !== this.options.orgId)
          throw new StateFileError(
            'emulator_state_other_org',
            `it holds org ${orgId}, not ${this.options.orgId}: start the emulator with that org id ` +
              `(--org-id ${orgId}) to serve it, or give it another state file. It is left as it is`,
          );
        this.checkOrgType((loaded as { orgType?: unknown }).orgType);
        this.store.importState(loaded, true);
      }
      // Fails at start, not on the first write, when the file cannot be written.
      if (writes) await stateFile.save();
    } catch (e) {
      await stateFile.unlock().catch(() => undefined);
      const why = e instanceof Error ? e.message : String(e);
      if (e instanceof StateFileError)
        throw new M3terConfigError(e.code, `cannot use the emulator state file ${file}: ${why}.`, { file });
      const locked = writes && (await stateFile.lockHeldElsewhere());
      throw new M3terConfigError(
        locked ? 'emulator_state_locked' : 'emulator_state_invalid',
        locked
          ? `cannot use the emulator state file ${file}: ${why}.`
          : `cannot use the emulator state file ${file}: ${why}. Move the file away (a new empty org starts) or fix it.`,
        { file },
        { cause: e },
      );
    }
  }

  private org(): { orgId: string; orgType: ResolvedOptions['orgType'] } {
    return { orgId: this.options.orgId, orgType: this.options.orgType };
  }

  /**
   * A state file keeps the kind of org it was written for, and one of the other kind is not opened: a production
   * org's file served as a sandbox (or the reverse) would let a guard that trusts `users/me` pass the wrong
   * config. A file written before kinds were kept has none, and takes the kind served (a writer records it).
   */
  private checkOrgType(orgType: unknown): void {
    if (orgType === undefined) return;
    if (typeof orgType !== 'string' || !(ORG_TYPES as readonly string[]).includes(orgType))
      throw new Error(`its orgType must be ${ORG_TYPES.join(' or ')}`);
    if (orgType !== this.options.orgType)
      throw new StateFileError(
        'emulator_state_other_org_type',
        `it holds a ${orgType} org, and this emulator serves a ${this.options.orgType} one: start it with ` +
          `--org-type ${orgType} (orgType: '${orgType}') to serve it, or give it another state file. It is left as it is`,
      );
  }

  /** Saves the state file; a failure is reported (once until a save succeeds again) and the emulator keeps serving. */
  private async save(): Promise<void> {
    if (!this.stateFile || this.options.stateAccess !== 'write') return;
    try {
      await this.stateFile.save();
      if (this.saveFailing) {
        this.saveFailing = false;
        this.options.log(`m3ter emulator: the state file ${this.stateFile.path} is saved again`);
      }
    } catch (e) {
      if (this.saveFailing) return;
      this.saveFailing = true;
      this.options.log(
        `m3ter emulator: cannot save the state file ${this.stateFile.path}: ${e instanceof Error ? e.message : String(e)}. ` +
          'Changes stay in memory, and each later change tries again.',
      );
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const [socket, timer] of this.hung) {
      clearTimeout(timer);
      socket.destroy();
    }
    this.hung.clear();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.deliveries.close();
    const closing = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closing;
    await this.stateFile?.flush();
    await this.stateFile?.unlock();
  }

  // --- admin (in-process and /_emulator/*) ---

  async reset(): Promise<void> {
    this.store.reset();
    this.deliveries.reset();
    this.faults.restart();
    this.limiter.clear();
    await this.save();
  }

  /** `adopt`: the state is a parsed request body, taken without a copy. */
  async seed(state: unknown, adopt = false): Promise<void> {
    this.store.importState(state, adopt);
    await this.save();
  }

  exportState(): EmulatorState {
    return this.store.exportState(this.org());
  }

  snapshotCounters(): EmulatorCounters {
    return this.counters.snapshot();
  }

  // --- request handling ---

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const qi = url.indexOf('?');
    const path = qi < 0 ? url : url.slice(0, qi);
    const method = req.method ?? 'GET';
    const refused = this.refusal(req, path.startsWith('/_emulator/'));
    if (refused !== undefined) {
      req.resume();
      return this.send(res, 403, { message: refused }, {}, false);
    }
    if (path.startsWith('/_emulator/')) return this.handleAdmin(req, res, method, path);
    if (path === '/oauth/token') return this.handleToken(req, res, method);

    const segs = path.split('/').filter(Boolean);
    const matched = segs[0] === 'organizations' && segs.length >= 2 ? this.match(method, segs) : undefined;
    this.counters.request(`${method} ${matched ? matched.route.template : '(unmatched)'}`);
    if (segs[0] !== 'organizations' || segs.length < 2) {
      req.resume();
      return this.sendError(res, notFound(`No route for ${method} ${path}`));
    }
    if (this.options.latencyMs > 0) await this.sleep(this.options.latencyMs);

    // Order: rate limit (every request to the org counts, whoever sends it), auth, org, route, faults.
    const retryAfter = this.limiter.take(segs[1] as string);
    if (retryAfter !== undefined) {
      req.resume();
      this.counters.rateLimited();
      return this.send(
        res,
        429,
        { message: 'Too Many Requests: organization rate limit exceeded' },
        this.retryAfter(retryAfter),
      );
    }
    let caller: { apiKey: string; kind: UserKind };
    try {
      const apiKey = this.tokens.check(req.headers.authorization);
      caller = { apiKey, kind: this.kinds.get(apiKey) ?? 'serviceUser' };
      if (segs[1] !== this.options.orgId) throw forbidden('Forbidden: unknown organization');
      if (!matched) throw notFound(`No route for ${method} ${path}`);
    } catch (e) {
      req.resume();
      return this.sendError(res, e);
    }
    const { route, params } = matched;

    const fault = this.faults.next();
    if (fault) {
      this.counters.fault(fault.kind);
      switch (fault.kind) {
        case '5xx':
          req.resume();
          return this.send(res, fault.status, { message: `Injected fault: server error ${fault.status}` });
        case '429':
          req.resume();
          return this.send(res, 429, { message: 'Too Many Requests (injected fault)' }, this.retryAfter(1));
        case 'reset':
          req.socket.destroy();
          return;
        case 'hang':
          return this.hang(req.socket);
        case 'commit-then-fail':
          break;
      }
    }

    let result: ApiResult;
    try {
      let body: unknown;
      if (route.body) body = await readJsonBody(req);
      else req.resume();
      result = route.handle({
        params,
        query: new URLSearchParams(qi < 0 ? '' : url.slice(qi + 1)),
        body,
        // Audit fields name the user whose token made the request.
        actor: auditNameOf(caller.apiKey, caller.kind),
        caller,
      });
      // The change is made: a state file that cannot be saved is reported, not turned into a failed answer.
      if (result.mutated) await this.save();
    } catch (e) {
      if (fault?.kind === 'commit-then-fail') {
        req.socket.destroy();
        return;
      }
      return this.sendError(res, e);
    }
    if (fault?.kind === 'commit-then-fail') {
      // The write is applied (and persisted); the answer is lost.
      req.socket.destroy();
      return;
    }
    this.send(res, result.status ?? 200, result.body);
  }

  private async handleToken(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    this.counters.request(`${method} /oauth/token`);
    if (method !== 'POST') {
      req.resume();
      return this.sendError(res, new EmulatorHttpError(405, 'Method not allowed: use POST /oauth/token'));
    }
    if (this.options.latencyMs > 0) await this.sleep(this.options.latencyMs);
    try {
      const raw = await readRawBody(req);
      const body = this.tokens.issue(req.headers.authorization, req.headers['content-type'], raw);
      this.counters.tokenIssued();
      this.send(res, 200, body);
    } catch (e) {
      this.sendError(res, e);
    }
  }

  private async handleAdmin(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    path: string,
  ): Promise<void> {
    try {
      if (!isLoopback(req.socket.remoteAddress))
        throw forbidden('The admin surface answers loopback callers only');
      const op = `${method} ${path}`;
      if (op === 'POST /_emulator/reset') {
        req.resume();
        await this.reset();
        return this.send(res, 200, { reset: true }, {}, false);
      }
      if (op === 'POST /_emulator/seed') {
        await this.seed(await readJsonBody(req, this.options.maxSeedBytes), true);
        return this.send(res, 200, this.store.sizes(), {}, false);
      }
      if (op === 'GET /_emulator/state')
        return this.send(res, 200, this.store.exportState(this.org(), false), {}, false);
      if (op === 'GET /_emulator/counters') return this.send(res, 200, this.counters.snapshot(), {}, false);
      if (op === 'POST /_emulator/events') {
        const fired = await this.deliveries.fire(await readJsonBody(req));
        return this.send(res, 200, fired, {}, false);
      }
      if (op === 'GET /_emulator/deliveries')
        return this.send(res, 200, { data: this.deliveries.list() }, {}, false);
      if (op === 'POST /_emulator/deliveries/retry') {
        req.resume();
        return this.send(res, 200, { data: await this.deliveries.retryNow() }, {}, false);
      }
      if (op === 'POST /_emulator/counters/reset') {
        req.resume();
        this.counters.reset();
        return this.send(res, 200, this.counters.snapshot(), {}, false);
      }
      req.resume();
      throw notFound(`No admin route ${op}`);
    } catch (e) {
      this.sendError(res, e, false);
    }
  }

  /**
   * Why a request that a web page could have sent is refused, or undefined. Browsers send `Origin` on cross-origin
   * writes and `Host` as the name they resolved, so a page the developer opens can neither drive the admin routes
   * (a `text/plain` form POST needs no preflight) nor read them through DNS rebinding; curl and Node send neither a
   * foreign `Origin` nor a foreign `Host`.
   */
  private refusal(req: IncomingMessage, admin: boolean): string | undefined {
    const host = req.headers.host;
    if (host !== undefined && !this.hostAllowed(hostnameOf(host)))
      return `Forbidden: Host '${printable(host)}' is not this emulator (loopback names, the --host it was started with, or an --allow-host name)`;
    const origin = req.headers.origin;
    if (origin !== undefined && !this.ownOrigin(origin))
      return `Forbidden: cross-origin request from '${printable(origin)}': the emulator answers only its own origin`;
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none')
      return `Forbidden: a ${printable(site)} request from a web page`;
    if (admin && hasBody(req)) {
      const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
      if (type !== JSON_TYPE)
        return `Forbidden: an admin request with a body must send Content-Type: ${JSON_TYPE}`;
    }
    return undefined;
  }

  private hostAllowed(name: string | undefined): boolean {
    if (name === undefined) return false;
    return (
      isLoopbackName(name) ||
      name === this.options.host.toLowerCase().replace(/^\[|\]$/g, '') ||
      this.options.allowHosts.some((h) => h.toLowerCase() === name)
    );
  }

  private ownOrigin(origin: string): boolean {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false; // 'null' (a sandboxed frame, a file:// page) included
    }
    const port = (this.server.address() as AddressInfo | null)?.port;
    return (
      url.protocol === 'http:' &&
      url.username === '' &&
      Number(url.port || '80') === port &&
      this.hostAllowed(url.hostname.toLowerCase().replace(/^\[|\]$/g, ''))
    );
  }

  private match(method: string, segs: string[]): Matched | undefined {
    const candidates = this.routesByLength.get(segs.length);
    if (!candidates) return undefined;
    outer: for (const r of candidates) {
      if (r.method !== method) continue;
      const params: Record<string, string> = {};
      for (let i = 0; i < segs.length; i++) {
        const t = r.segments[i] as string;
        const s = segs[i] as string;
        if (t.charCodeAt(0) === 123 /* { */) params[t.slice(1, -1)] = safeDecode(s);
        else if (t !== s) continue outer;
      }
      return { route: r, params };
    }
    return undefined;
  }

  private retryAfter(seconds: number): Record<string, string> {
    return this.options.retryAfterOn429 ? { 'Retry-After': String(seconds) } : {};
  }

  private hang(socket: Socket): void {
    const timer = setTimeout(() => {
      this.hung.delete(socket);
      socket.destroy();
    }, this.options.hangMs);
    this.hung.set(socket, timer);
    socket.once('close', () => {
      clearTimeout(timer);
      this.hung.delete(socket);
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  private sendError(res: ServerResponse, e: unknown, count = true): void {
    if (e instanceof EmulatorHttpError) this.send(res, e.status, { message: e.message }, e.headers, count);
    else this.fail(res, e, count);
  }

  private fail(res: ServerResponse, e: unknown, count = true): void {
    const message = e instanceof Error ? e.message : String(e);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    this.send(res, 500, { message: `Internal emulator error: ${message}` }, {}, count);
  }

  private send(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Readonly<Record<string, string>> = {},
    count = true,
  ): void {
    if (res.destroyed) return;
    if (count) this.counters.status(status);
    const text = JSON.stringify(body);
    res.writeHead(status, {
      ...headers,
      'Content-Type': JSON_TYPE,
      'Content-Length': Buffer.byteLength(text),
    });
    res.end(text);
  }
}

/** A state file this emulator must not use, with the error code it is reported under. */
class StateFileError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw badRequest(`Malformed path segment ${s}`);
  }
}

function isLoopback(address: string | undefined): boolean {
  return (
    address === '::1' || address?.startsWith('127.') === true || address?.startsWith('::ffff:127.') === true
  );
}

/** The name in a Host header, lower-cased, without port or IPv6 brackets; undefined when it is malformed. */
function hostnameOf(host: string): string | undefined {
  const h = host.trim().toLowerCase();
  const v6 = /^\[([0-9a-f:.]+)\](?::\d+)?$/.exec(h);
  if (v6) return v6[1];
  const named = /^([a-z0-9._-]+)(?::\d+)?$/.exec(h);
  return named ? named[1] : undefined;
}

/** 127.0.0.0/8, ::1 (also IPv4-mapped) and localhost. */
function isLoopbackName(name: string): boolean {
  return isLoopbackHost(name) || /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/** A header value quoted in an answer: short and plain ASCII, so an answer never carries markup or control bytes. */
function printable(value: string): string {
  const plain = value.replace(/[^\x20-\x7e]/g, '?');
  return plain.length > 100 ? `${plain.slice(0, 100)}...` : plain;
}

function readRawBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new EmulatorHttpError(413, `Request body too large: over ${limit} bytes`));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const raw = await readRawBody(req, limit);
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw badRequest('Malformed JSON in request body');
  }
}

/** Routes as an endpoint option has them: served, missing (the router's 404), refused with 403, or failing with 500. */
function gated(routes: Route[], mode: UsersMeMode): Route[] {
  if (mode === 'served') return routes;
  if (mode === 'absent') return [];
  return routes.map((r) => ({
    ...r,
    handle: () => {
      if (mode === 'error') throw new EmulatorHttpError(500, 'Internal server error (emulated)');
      throw forbidden('this service user may not use this endpoint');
    },
  }));
}
