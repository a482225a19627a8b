import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ApiContext } from './api.js';
import { CalcError, calculationHolds, type EventFields } from './calc.js';
import { badRequest } from './errors.js';
import { isEventType } from './event-types.js';
import { IntegrationRuns, SYSTEM_ACTOR } from './integration-runs.js';
import { m3terSignatureHeaders } from './sign.js';
import type { IntegrationConfigEntity, NotificationEntity, WebhookEntity } from './store.js';
import { type Body, optionalObject, optionalString, requireBody, requiredString } from './validate.js';
import { isLoopbackHost } from './options.js';

/**
 * The emulator delivers notifications as m3ter does: an event (POST /_emulator/events) fires every active rule for its
 * name whose calculation holds (or that always fires), through every enabled link of that rule, to the link's
 * active webhook, as a POST signed with the webhook's M3TER_SIGNED_REQUEST credentials. Failed deliveries are retried
 * on a fixed schedule (no jitter: replayable); a link whose deliveries keep failing is disabled, as m3ter disables
 * integrations (`enabled: false`, an `integration.disabled.error` event). Each delivery is
 * recorded as an integration run (integration-runs.ts), as m3ter records them.
 */

/** An event the emulator recorded: the Event entity shape (SPEC EventResponse), with its fields for calculations. */
export interface RecordedEvent extends EventFields {
  id: string;
  eventName: string;
  eventTime: string;
  /** When the emulator ran the event's rules (events.ts: SPEC `dtActioned`); unset while it awaits follow-up. */
  dtActioned?: string;
  /** The rules it fired, for `GET /events?notificationId=` and `notificationCode=`. */
  fired?: { notificationId: string; code: string }[];
}

export interface DeliveryAttempt {
  at: string;
  /** The receiver's HTTP status; absent when no answer came. */
  status?: number;
  /** Why the attempt failed without an answer (connection refused, timeout, refused target...). */
  error?: string;
}

export interface Delivery {
  id: string;
  eventId: string;
  eventName: string;
  notificationId: string;
  notificationCode: string;
  linkId: string;
  webhookId: string;
  /** The integration run that records this delivery (GET /integrationruns/{id}). */
  integrationRunId: string;
  /** The webhook's URL as shown: user info (`user:password@`) masked; deliveries go to the URL itself. */
  url: string;
  /** pending: a retry is due; delivered: a 2xx came back; failed: every attempt failed; refused: never sent. */
  status: 'pending' | 'delivered' | 'failed' | 'refused';
  attempts: DeliveryAttempt[];
  /** When the next attempt is due (pending only). */
  nextAttemptAt?: string;
  /** Set on the failed delivery that made the emulator disable its link: the `integration.disabled.error` event. */
  disabledLinkEventId?: string;
}

export interface FireResult {
  event: Record<string, unknown>;
  fired: { notificationId: string; code: string }[];
  skipped: { notificationId: string; code: string; reason: string }[];
  deliveries: Delivery[];
}

const MAX_ERROR_TEXT = 200;

export class Deliveries {
  private readonly events = new Map<string, RecordedEvent>();
  private readonly deliveries = new Map<string, Delivery>();
  private readonly nextAt = new Map<string, number>();
  /** Where each delivery goes, by delivery id: the webhook's URL unmasked, never listed. */
  private readonly targets = new Map<string, string>();
  /** Consecutive failed deliveries per link; a delivered one resets it. */
  private readonly failures = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly busy = new Map<string, Promise<void>>();
  private closed = false;
  /** Ends deliveries in flight when the emulator closes, so a hung receiver cannot hold the close. */
  private readonly stop = new AbortController();
  readonly runs: IntegrationRuns;

  constructor(
    private readonly ctx: ApiContext,
    /** Persists the store after the emulator changed it (a link disabled). */
    private readonly persist: () => Promise<void>,
  ) {
    this.runs = new IntegrationRuns(ctx);
  }

  event(id: string): RecordedEvent | undefined {
    return this.events.get(id);
  }

  /** The events kept, newest first. */
  eventsNewestFirst(): RecordedEvent[] {
    return [...this.events.values()].reverse();
  }

  list(): Delivery[] {
    return [...this.deliveries.values()].map((d) => structuredClone(d));
  }

  /** Records an event, fires the rules it matches and waits for each delivery's first attempt. */
  async fire(raw: unknown): Promise<FireResult> {
    const body = requireBody(raw);
    const event = this.record(body);
    const { notifications } = this.ctx.store.collections;
    const result: FireResult = { event: this.renderEvent(event), fired: [], skipped: [], deliveries: [] };
    const started: Delivery[] = [];
    for (const rule of notifications.values()) {
      if (rule.eventName !== event.eventName) continue;
      const skip = (reason: string) =>
        result.skipped.push({ notificationId: rule.id, code: rule.code, reason });
      if (!rule.active) {
        skip('the rule is inactive');
        continue;
      }
      const why = this.whyNot(rule, event);
      if (why) {
        skip(why);
        continue;
      }
      result.fired.push({ notificationId: rule.id, code: rule.code });
      for (const link of this.linksOf(rule)) {
        const webhook = link.destinationId
          ? this.ctx.store.collections.webhooks.get(link.destinationId)
          : undefined;
        if (!link.enabled) skip(`link ${link.id} is disabled`);
        else if (!webhook) skip(`link ${link.id} names no webhook destination`);
        else if (!webhook.active) skip(`webhook ${webhook.id} is inactive`);
        else started.push(this.newDelivery(event, rule, link, webhook));
      }
    }
    event.fired = result.fired;
    event.dtActioned = this.ctx.nowIso();
    await Promise.all(started.map((d) => this.attempt(d)));
    result.deliveries = started.map((d) => structuredClone(d));
    return result;
  }

  /** Attempts every pending delivery now, whatever its schedule (tests drive retries with this, never by waiting). */
  async retryNow(): Promise<Delivery[]> {
    const pending = [...this.deliveries.values()].filter((d) => d.status === 'pending');
    await Promise.all(pending.map((d) => this.attempt(d)));
    return pending.map((d) => structuredClone(d));
  }

  /** Attempts the pending deliveries whose time has come on the emulator's clock. */
  async runDue(): Promise<void> {
    const now = this.ctx.options.now();
    const due = [...this.deliveries.values()].filter(
      (d) => d.status === 'pending' && (this.nextAt.get(d.id) ?? Infinity) <= now,
    );
    await Promise.all(due.map((d) => this.attempt(d)));
  }

  reset(): void {
    this.events.clear();
    this.deliveries.clear();
    this.targets.clear();
    this.nextAt.clear();
    this.failures.clear();
    this.runs.reset();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stop.abort();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  private record(body: Body): RecordedEvent {
    const eventName = requiredString(body, 'eventName');
    if (!isEventType(this.ctx, eventName))
      throw badRequest(
        `unknown event type '${eventName}': GET /organizations/{orgId}/events/types lists them`,
      );
    const fields = (key: 'new' | 'old') => {
      const v = optionalObject(body, key);
      return v === undefined ? undefined : structuredClone(v);
    };
    const event: RecordedEvent = {
      id: randomUUID(),
      eventName,
      eventTime: optionalString(body, 'eventTime') ?? this.ctx.nowIso(),
      new: fields('new'),
      old: fields('old'),
    };
    this.keepEvent(event);
    return event;
  }

  /** The Event entity (SPEC EventResponse): `m3terEvent.eventData` holds `newDto` and, when given, `oldDto`. */
  private renderEvent(e: RecordedEvent): Record<string, unknown> {
    const eventData: Record<string, unknown> = {};
    if (e.new) eventData['newDto'] = e.new;
    if (e.old) eventData['oldDto'] = e.old;
    return { id: e.id, eventName: e.eventName, eventTime: e.eventTime, m3terEvent: { eventData } };
  }

  /** Why the rule does not fire for the event, or undefined when it fires. */
  private whyNot(rule: NotificationEntity, event: RecordedEvent): string | undefined {
    // A rule with no calculation has nothing to hold it back: it fires as if it always fired.
    if (rule.alwaysFireEvent || rule.calculation === undefined || rule.calculation.trim() === '')
      return undefined;
    try {
      return calculationHolds(rule.calculation, event, this.ctx.options.calcReadings)
        ? undefined
        : 'the calculation is false';
    } catch (e) {
      if (e instanceof CalcError) return `the calculation does not parse: ${e.message}`;
      // One rule that cannot be evaluated must not stop the event's other deliveries, already started.
      return `the calculation cannot be evaluated: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  private linksOf(rule: NotificationEntity): IntegrationConfigEntity[] {
    return [...this.ctx.store.collections.integrationConfigs.values()].filter(
      (c) => c.entityType.toLowerCase() === 'notification' && c.entityId === rule.id,
    );
  }

  private newDelivery(
    event: RecordedEvent,
    rule: NotificationEntity,
    link: IntegrationConfigEntity,
    webhook: WebhookEntity,
  ): Delivery {
    const d: Delivery = {
      id: randomUUID(),
      eventId: event.id,
      eventName: event.eventName,
      notificationId: rule.id,
      notificationCode: rule.code,
      linkId: link.id,
      webhookId: webhook.id,
      integrationRunId: this.runs.start({
        entityType: link.entityType,
        entityId: rule.id,
        destination: link.destination,
        destinationId: webhook.id,
      }),
      url: withoutUserInfo(webhook.url),
      status: 'pending',
      attempts: [],
    };
    this.deliveries.set(d.id, d);
    this.targets.set(d.id, webhook.url);
    // The oldest go first, pending or not: a dropped pending delivery is never attempted again.
    for (const dropped of trim(this.deliveries, this.ctx.options.keepDeliveries)) {
      this.nextAt.delete(dropped);
      this.targets.delete(dropped);
    }
    return d;
  }

  private attempt(d: Delivery): Promise<void> {
    // A timer and a forced retry may meet: one attempt at a time per delivery.
    const running = this.busy.get(d.id);
    if (running) return running;
    const work = this.attemptOnce(d).finally(() => {
      this.inFlight.delete(work);
      this.busy.delete(d.id);
    });
    this.inFlight.add(work);
    this.busy.set(d.id, work);
    return work;
  }

  private async attemptOnce(d: Delivery): Promise<void> {
    if (d.status !== 'pending') return;
    this.nextAt.delete(d.id);
    delete d.nextAttemptAt;
    const at = this.ctx.nowIso();
    const url = this.targets.get(d.id) ?? d.url;
    const target = this.checkTarget(url);
    if (target) {
      d.attempts.push({ at, error: target });
      d.status = 'refused';
      this.runs.update(d.integrationRunId, 'ERROR', target);
      return;
    }
    const webhook = this.ctx.store.collections.webhooks.get(d.webhookId);
    const key = webhook
      ? this.ctx.store.collections.credentials.get(webhook.credentialId)?.signingKey
      : undefined;
    if (!key) {
      // Seeded from a state export without secrets: nothing to sign with.
      const why = 'the webhook has no signing credentials in this emulator (seeded without secrets)';
      d.attempts.push({ at, error: why });
      d.status = 'refused';
      this.runs.update(d.integrationRunId, 'ERROR', why);
      return;
    }
    const event = this.events.get(d.eventId);
    const rendered = event ? this.renderEvent(event) : { id: d.eventId, eventName: d.eventName };
    const text = JSON.stringify(
      this.ctx.options.deliveryBody === 'm3terEvent' ? rendered['m3terEvent'] : rendered,
    );
    const headers = m3terSignatureHeaders(
      { url, apiKey: key.apiKey, secret: key.secret, body: text, nowMs: this.ctx.options.now() },
      {
        encoding: this.ctx.options.signatureEncoding,
        timestampUnit: this.ctx.options.signatureTimestampUnit,
      },
    );
    const outcome = await post(url, headers, text, this.ctx.options.deliveryTimeoutMs, this.stop.signal);
    // Cut off by close(): not the receiver's failure, so neither counted nor retried here.
    if (this.closed) return;
    d.attempts.push({ at, ...outcome });
    if (outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300) {
      d.status = 'delivered';
      this.runs.update(d.integrationRunId, 'COMPLETE');
      this.failures.delete(d.linkId);
      return;
    }
    const error = runError(outcome);
    const delays = this.ctx.options.deliveryRetryDelaysMs;
    const delay = delays[d.attempts.length - 1];
    if (delay !== undefined) {
      const when = this.ctx.options.now() + delay;
      this.nextAt.set(d.id, when);
      d.nextAttemptAt = new Date(when).toISOString();
      if (this.ctx.options.deliveryAutoRetry) this.schedule(delay);
      this.runs.update(d.integrationRunId, 'AWAITING_RETRY', error);
      return;
    }
    d.status = 'failed';
    this.runs.update(d.integrationRunId, 'ERROR', error);
    await this.countFailure(d);
  }

  private schedule(delay: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      void this.runDue();
    }, delay);
    t.unref();
    this.timers.add(t);
  }

  /** A link is disabled after `disableLinkAfterFailures` failed deliveries in a row. */
  private async countFailure(d: Delivery): Promise<void> {
    const { linkId } = d;
    const count = (this.failures.get(linkId) ?? 0) + 1;
    this.failures.set(linkId, count);
    const limit = this.ctx.options.disableLinkAfterFailures;
    const coll = this.ctx.store.collections.integrationConfigs;
    const link = coll.get(linkId);
    if (limit <= 0 || count < limit || !link?.enabled) return;
    const now = this.ctx.nowIso();
    coll.replace({
      ...link,
      enabled: false,
      version: link.version + 1,
      dtLastModified: now,
      lastModifiedBy: SYSTEM_ACTOR,
    });
    this.failures.delete(linkId);
    const notice: RecordedEvent = {
      id: randomUUID(),
      eventName: 'integration.disabled.error',
      eventTime: now,
      // [U] the fields of m3ter's integration events: the link, what it joins, and the run that failed last.
      new: {
        integrationConfigId: linkId,
        entityType: link.entityType,
        entityId: d.notificationId,
        destinationId: d.webhookId,
        integrationRunId: d.integrationRunId,
        error: this.runs.get(d.integrationRunId)?.error ?? null,
        reason: `${count} deliveries in a row failed`,
      },
    };
    this.keepEvent(notice);
    d.disabledLinkEventId = notice.id;
    await this.persist();
  }

  private keepEvent(event: RecordedEvent): void {
    this.events.set(event.id, event);
    trim(this.events, this.ctx.options.keepEvents);
  }

  private checkTarget(url: string): string | undefined {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return 'the webhook URL does not parse';
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      return 'only http and https are delivered to';
    if (this.ctx.options.deliveryTargets === 'any' || isLoopbackHost(parsed.hostname)) return undefined;
    return `not delivered: ${parsed.hostname} is not a loopback host (emulator option deliveryTargets: 'any' allows it)`;
  }
}

/** A failed attempt as the run's `error` says it. [U] m3ter's texts: the receiver's status, or why none came. */
function runError(outcome: { status?: number; error?: string }): string {
  return outcome.status !== undefined
    ? `the webhook answered HTTP ${outcome.status}`
    : `no answer from the webhook: ${outcome.error ?? 'unknown error'}`;
}

/** A URL with its user info masked, for listing: `https://***@host/path`. Text that is not a URL is kept. */
function withoutUserInfo(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = '***';
    parsed.password = '';
    return parsed.href;
  } catch {
    return url;
  }
}

/** Drops the oldest entries beyond `keep`; returns their keys. */
function trim<V>(map: Map<string, V>, keep: number): string[] {
  const dropped: string[] = [];
  while (map.size > keep) {
    const oldest = map.keys().next().value as string;
    map.delete(oldest);
    dropped.push(oldest);
  }
  return dropped;
}

/** One POST; resolves with the status or the reason there was none, never rejects. */
function post(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<{ status?: number; error?: string }> {
  return new Promise((resolve) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = send(
      url,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'm3ter-config-emulator',
        },
        timeout: timeoutMs,
        signal,
        // A connection of its own per attempt: nothing pooled outlives the emulator.
        agent: false,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
        res.on('error', () => resolve({ status: res.statusCode ?? 0 }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (e) => resolve({ error: e.message.slice(0, MAX_ERROR_TEXT) }));
    req.end(body);
  });
}
