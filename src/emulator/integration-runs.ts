import { randomUUID } from 'node:crypto';
import { type ApiContext, type ApiRequest, type Route, readParam, route } from './api.js';
import { badRequest, notFound } from './errors.js';
import { decodeToken, encodeToken, type Page, readPageSize } from './query.js';
import { checkEnum } from './validate.js';

/**
 * Integration runs (SPEC IntegrationRunResponse): one per delivery of a notification through a link, its status
 * moving STARTED -> AWAITING_RETRY (a failed attempt with a retry due) -> COMPLETE or ERROR, with the last failure's
 * `error`. [U] what m3ter puts in `entityId` for a Notification run: here the notification rule's id, so
 * `GET /integrationruns/Notification/{rule id}` lists a rule's runs. Runs are kept in memory (as deliveries are),
 * the oldest dropped beyond `keepDeliveries`.
 */

export const RUN_STATUSES = [
  'WAITING',
  'STARTED',
  'COMPLETE',
  'ERROR',
  'AWAITING_RETRY',
  'AUTH_FAILED',
  'ACCOUNTING_PERIOD_CLOSED',
  'INVOICE_ALREADY_PAID',
  'DISABLED',
  'TIMEOUT_LIMIT_EXCEEDED',
  'RATE_LIMIT_RETRY',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

const ENTITY_TYPES = ['Bill', 'Notification'] as const;
const MAX_PAGE_SIZE = 200;
const BASE = '/organizations/{orgId}/integrationruns';
/** The audit name of what m3ter itself changes. */
export const SYSTEM_ACTOR = 'SYSTEM';

export interface IntegrationRun {
  id: string;
  seq: number;
  version: number;
  dtCreated: string;
  dtLastModified: string;
  entityType: string;
  entityId: string;
  destination: string;
  destinationId: string;
  status: RunStatus;
  dtStarted?: string;
  dtCompleted?: string;
  error?: string;
}

export class IntegrationRuns {
  private readonly runs = new Map<string, IntegrationRun>();
  private seq = 0;

  constructor(private readonly ctx: ApiContext) {}

  /** A run for a delivery whose first attempt starts now. */
  start(fields: {
    entityType: string;
    entityId: string;
    destination: string;
    destinationId: string;
  }): string {
    const now = this.ctx.nowIso();
    const run: IntegrationRun = {
      id: randomUUID(),
      seq: ++this.seq,
      version: 1,
      dtCreated: now,
      dtLastModified: now,
      ...fields,
      status: 'STARTED',
      dtStarted: now,
    };
    this.runs.set(run.id, run);
    while (this.runs.size > this.ctx.options.keepDeliveries) {
      this.runs.delete(this.runs.keys().next().value as string);
    }
    return run.id;
  }

  /** Moves a run on: `COMPLETE` and `ERROR` end it; `error` is the last failure's (cleared on `COMPLETE`). */
  update(id: string, status: RunStatus, error?: string): IntegrationRun | undefined {
    const run = this.runs.get(id);
    if (!run) return undefined;
    const now = this.ctx.nowIso();
    run.status = status;
    run.version++;
    run.dtLastModified = now;
    if (status === 'COMPLETE' || status === 'ERROR') run.dtCompleted = now;
    if (status === 'COMPLETE') delete run.error;
    else if (error !== undefined) run.error = error;
    return run;
  }

  get(id: string): IntegrationRun | undefined {
    return this.runs.get(id);
  }

  reset(): void {
    this.runs.clear();
  }

  routes(): Route[] {
    // Registered before `{entityType}/{entityId}`, which has as many segments: the router takes the first match.
    return [
      route('GET', `${BASE}/destinations/{destinationId}`, (req) => {
        const destinationId = readParam(req, 'destinationId');
        const destination = req.query.get('destination');
        return {
          body: this.page(
            req,
            (r) =>
              r.destinationId === destinationId && (destination === null || r.destination === destination),
          ),
        };
      }),
      route('GET', `${BASE}/{entityType}/latest/{id}`, (req) => {
        const entityType = readEntityType(req);
        const id = readParam(req, 'id');
        const latest = this.newestFirst().find((r) => sameType(r, entityType) && r.entityId === id);
        if (!latest) throw notFound(`No integration run for ${entityType} ${id}`);
        return { body: render(latest) };
      }),
      route('GET', `${BASE}/{entityType}/{entityId}`, (req) => {
        const entityType = readEntityType(req);
        const entityId = readParam(req, 'entityId');
        return { body: this.page(req, (r) => sameType(r, entityType) && r.entityId === entityId) };
      }),
      route('GET', `${BASE}/{id}`, (req) => {
        const run = this.runs.get(readParam(req, 'id'));
        if (!run) throw notFound(`No integration run ${readParam(req, 'id')}`);
        return { body: render(run) };
      }),
    ];
  }

  private newestFirst(): IntegrationRun[] {
    return [...this.runs.values()].reverse();
  }

  /**
   * One page of the runs that pass `filter` and the query's `status`, `startDate` and `endDate` (on `dtStarted`).
   * [U] m3ter's default `order`: newest first here, as the other lists.
   */
  private page(req: ApiRequest, filter: (r: IntegrationRun) => boolean): Page<Record<string, unknown>> {
    const q = req.query;
    const pageSize = readPageSize(q, MAX_PAGE_SIZE, this.ctx.options.defaultPageSize);
    const status = q.get('status');
    if (status !== null) checkEnum(status, RUN_STATUSES, 'status');
    const order = q.get('order') ?? 'DESC';
    checkEnum(order, ['ASC', 'DESC'], 'order');
    const start = readDate(q, 'startDate');
    const end = readDate(q, 'endDate');
    const token = q.get('nextToken');
    const after = token ? decodeToken(token) : undefined;
    let runs = order === 'DESC' ? this.newestFirst() : [...this.runs.values()];
    if (after !== undefined) runs = runs.filter((r) => (order === 'DESC' ? r.seq < after : r.seq > after));
    const data: Record<string, unknown>[] = [];
    let last: IntegrationRun | undefined;
    for (const r of runs) {
      if (!filter(r) || (status !== null && r.status !== status)) continue;
      const started = Date.parse(r.dtStarted ?? r.dtCreated);
      if ((start !== undefined && started <= start) || (end !== undefined && started > end)) continue;
      if (data.length === pageSize) return { data, nextToken: encodeToken((last as IntegrationRun).seq) };
      data.push(render(r));
      last = r;
    }
    return { data };
  }
}

function readEntityType(req: ApiRequest): string {
  const raw = readParam(req, 'entityType');
  const known = ENTITY_TYPES.find((t) => t.toLowerCase() === raw.toLowerCase());
  if (!known) throw badRequest(`entityType must be one of ${ENTITY_TYPES.join(', ')}`);
  return known;
}

function sameType(r: IntegrationRun, entityType: string): boolean {
  return r.entityType.toLowerCase() === entityType.toLowerCase();
}

function readDate(q: URLSearchParams, name: string): number | undefined {
  const raw = q.get(name);
  if (raw === null) return undefined;
  const t = Date.parse(raw);
  if (Number.isNaN(t)) throw badRequest(`${name} must be an ISO 8601 date-time`);
  return t;
}

/** The run as m3ter shows it (SPEC IntegrationRunResponse); m3ter's own changes are audited as SYSTEM. */
function render(r: IntegrationRun): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: r.id,
    version: r.version,
    dtCreated: r.dtCreated,
    dtLastModified: r.dtLastModified,
    createdBy: SYSTEM_ACTOR,
    lastModifiedBy: SYSTEM_ACTOR,
    entityType: r.entityType,
    entityId: r.entityId,
    destination: r.destination,
    destinationId: r.destinationId,
    status: r.status,
  };
  if (r.dtStarted !== undefined) out['dtStarted'] = r.dtStarted;
  if (r.dtCompleted !== undefined) out['dtCompleted'] = r.dtCompleted;
  if (r.error !== undefined) out['error'] = r.error;
  return out;
}
