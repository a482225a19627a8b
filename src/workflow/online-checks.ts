import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { calculationFields } from '../calc/index.js';
import { describeJsonType } from '../live/check-list.js';
import type { LiveClient } from '../live/contract.js';
import { orgPath } from '../live/paths.js';
import { valueCharPosition } from '../load/scalar-position.js';
import { locate, parseYaml, type ParsedFile } from '../load/yaml.js';
import { firesOnEvent, referencesOf } from '../kinds/index.js';
import { ApiConnectionError, ApiError, type Issue } from '../model/errors.js';
import type { Plan } from '../model/plan.js';
import type { DesiredResource } from '../model/resource.js';
import { closest } from '../model/suggest.js';
import { isPlainObject } from '../model/object.js';

/**
 * What only the org can tell about notification rules: whether their event name is one of its event types
 * (`GET /events/types`) and whether m3ter accepts their calculation (`POST /notifications/evaluate`, which
 * evaluates without triggering anything, so it is sent and retried as a read). Shared by `validate --online`
 * (every rule) and by plan and apply (the rules a plan creates or changes, {@link checkPlanOnline}).
 */

/** How many evaluate calls are in flight at once: well under m3ter's 50 requests per second. */
export const EVALUATE_CONCURRENCY = 4;

/**
 * What an endpoint's answer of 403 or 404 means for plan and apply: the org (or a deployment) does not offer the
 * check to this service user, so the plan falls back to the offline check with a warning instead of refusing.
 * Any other failure refuses the plan: an answer that cannot be read never lets a write through.
 */
export const UNAVAILABLE_STATUSES: readonly number[] = [403, 404];

/** The answer to `GET /events/types`. */
export type EventTypesAnswer =
  | { kind: 'ok'; names: ReadonlySet<string> }
  | { kind: 'unavailable'; status: number }
  | { kind: 'bad'; description: string }
  | { kind: 'failed'; message: string };

/** The org's event types, one request. Never throws. */
export async function readEventTypes(client: LiveClient): Promise<EventTypesAnswer> {
  try {
    // A 404 throws (and is caught below), so no body here is an empty 2xx: a bad answer, not an unavailable check.
    const types = await client.get<unknown>(orgPath(client.orgId, 'events', 'types'), undefined, {
      notFound: 'throw',
    });
    const events = isPlainObject(types) ? types['events'] : undefined;
    if (!Array.isArray(events))
      return { kind: 'bad', description: describeAnswer(types, 'an object with an events array') };
    return { kind: 'ok', names: new Set(events.filter((e): e is string => typeof e === 'string')) };
  } catch (error) {
    if (error instanceof ApiError && UNAVAILABLE_STATUSES.includes(error.status))
      return { kind: 'unavailable', status: error.status };
    return { kind: 'failed', message: messageOf(error) };
  }
}

/** The answer to one `POST /notifications/evaluate`. */
export type EvaluateAnswer =
  | { kind: 'valid' }
  | { kind: 'invalid'; message: string; character?: number }
  | { kind: 'unavailable'; status: number }
  | { kind: 'bad'; description: string }
  | { kind: 'failed'; message: string };

/** Evaluates each calculation against its event type, {@link EVALUATE_CONCURRENCY} at a time. Never throws. */
export async function evaluateCalculations(
  client: LiveClient,
  items: readonly { eventName: string; calculation: string }[],
): Promise<EvaluateAnswer[]> {
  const out: EvaluateAnswer[] = [];
  for (let i = 0; i < items.length; i += EVALUATE_CONCURRENCY) {
    const batch = items.slice(i, i + EVALUATE_CONCURRENCY);
    const answers = await Promise.allSettled(
      batch.map((item) =>
        client.post<unknown>(
          orgPath(client.orgId, 'notifications', 'evaluate'),
          { eventName: item.eventName, calculation: item.calculation },
          { read: true },
        ),
      ),
    );
    const batchAnswers = answers.map((settled) => evaluateAnswerOf(settled, client));
    out.push(...batchAnswers);
    // An endpoint that times out, drops the connection or keeps failing (5xx, 429) after the client's retries would
    // cost every later batch its full retries (minutes each): the plan is refused anyway, so the rest are not sent.
    const down = answers.findIndex((a) => a.status === 'rejected' && isOutage(a.reason));
    const failed = batchAnswers[down];
    if (failed?.kind === 'failed' && i + EVALUATE_CONCURRENCY < items.length) {
      const reason = `not sent, as an earlier evaluation failed: ${failed.message}`;
      for (let k = i + EVALUATE_CONCURRENCY; k < items.length; k++)
        out.push({ kind: 'failed', message: reason });
      break;
    }
    // Nor are they once a whole batch says the endpoint is not offered to this service user (each 403 would also
    // renew the token); one such answer among others may be about its own calculation, so the rest are still sent.
    const unavailable = batchAnswers[0];
    if (unavailable?.kind === 'unavailable' && batchAnswers.every((a) => a.kind === 'unavailable')) {
      for (let k = i + EVALUATE_CONCURRENCY; k < items.length; k++) out.push(unavailable);
      break;
    }
  }
  return out;
}

/** A failure of the endpoint itself (no answer, or 5xx or 429 after retries), not of one calculation. */
function isOutage(error: unknown): boolean {
  if (error instanceof ApiConnectionError) return true;
  return error instanceof ApiError && (error.status >= 500 || error.status === 429);
}

/** How much of m3ter's reason for refusing a calculation is shown: a line, not whatever size it sent. */
export const REASON_LIMIT = 300;

function evaluateAnswerOf(settled: PromiseSettledResult<unknown>, client: LiveClient): EvaluateAnswer {
  if (settled.status === 'rejected') {
    const error: unknown = settled.reason;
    if (error instanceof ApiError && UNAVAILABLE_STATUSES.includes(error.status))
      return { kind: 'unavailable', status: error.status };
    return { kind: 'failed', message: messageOf(error) };
  }
  const answer = settled.value;
  if (!isPlainObject(answer) || typeof answer['success'] !== 'boolean')
    return { kind: 'bad', description: describeAnswer(answer, 'an object with a success flag') };
  if (answer['success']) return { kind: 'valid' };
  const reason = answer['errorMessage'];
  // Redacted before it is cut, so the cut never leaves the start of a secret behind.
  const said = typeof reason === 'string' ? (client.redact?.(reason) ?? reason) : undefined;
  const message =
    said === undefined
      ? 'm3ter gave no reason'
      : said.length > REASON_LIMIT
        ? `${said.slice(0, REASON_LIMIT)}… (${said.length - REASON_LIMIT} more characters)`
        : said;
  const character = characterOf(message);
  return character === undefined ? { kind: 'invalid', message } : { kind: 'invalid', message, character };
}

/** The fields `GET /events/fields` lists for an event type; undefined when it lists none or cannot be read. */
async function readEventFields(
  client: LiveClient,
  eventName: string,
): Promise<ReadonlySet<string> | undefined> {
  try {
    const answer = await client.get<unknown>(orgPath(client.orgId, 'events', 'fields'), { eventName });
    const events = isPlainObject(answer) ? answer['events'] : undefined;
    const fields = isPlainObject(events) ? events[eventName] : undefined;
    if (!isPlainObject(fields)) return undefined;
    const names = Object.keys(fields);
    return names.length > 0 ? new Set(names) : undefined;
  } catch {
    // A field list only ever adds a warning: without one, nothing is lost but that warning.
    return undefined;
  }
}

/** What an answer was instead of what was expected, by its shape only: never the server's text itself. */
export function describeAnswer(value: unknown, expected: string): string {
  if (value === undefined) return `no body or 404 where ${expected} was expected`;
  if (typeof value === 'string')
    return /^\s*</.test(value)
      ? `an HTML page where ${expected} was expected`
      : `text that is not JSON where ${expected} was expected`;
  return `${describeJsonType(value)} where ${expected} was expected`;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `(at character N)` in an answer, 0-based: the emulator says where; m3ter's own wording is not known. */
function characterOf(message: string): number | undefined {
  const m = /at character (\d+)/.exec(message);
  return m ? Number(m[1]) - 1 : undefined;
}

export type Placer = (
  rule: DesiredResource<'notificationRule'>,
  field: 'eventName' | 'calculation',
  character?: number,
) => Promise<Pick<Issue, 'file' | 'line' | 'col' | 'pointer'>>;

/**
 * The file, line, column and pointer of a rule's field, read again from its file (cached per file); with
 * `character`, that character inside the value (block scalars included). A file that cannot be read gives the
 * rule's own position.
 */
export function placer(cwd: string): Placer {
  const files = new Map<string, Promise<ParsedFile | undefined>>();
  return async (rule, field, character) => {
    const { source } = rule;
    const pointer = `${source.pointer}/${field}`;
    let parsed = files.get(source.file);
    if (!parsed) {
      parsed = readFile(path.resolve(cwd, source.file), 'utf8').then(
        (text) => parseYaml(source.file, text),
        () => undefined,
      );
      files.set(source.file, parsed);
    }
    const file = await parsed;
    if (!file) return { file: source.file, line: source.line, col: source.col, pointer };
    const value = field === 'calculation' ? rule.attributes.calculation : rule.attributes.eventName;
    const at =
      character !== undefined && value !== null
        ? valueCharPosition(file, pointer, value, character)
        : locate(file, pointer);
    return { file: source.file, line: at.line, col: at.col, pointer };
  };
}

export function eventNameHint(name: string, known: ReadonlySet<string>): string {
  const near = closest(name, [...known]);
  return near
    ? `did you mean ${near}?`
    : 'check the spelling, or create the scheduled event configuration first';
}

/** The error for a rule whose event type the org does not list; `consequence` says what that means for the run. */
export async function unknownEventNameIssue(
  rule: DesiredResource<'notificationRule'>,
  known: ReadonlySet<string>,
  place: Placer,
  consequence?: string,
): Promise<Issue> {
  const name = rule.attributes.eventName;
  return {
    severity: 'error',
    code: 'unknown_event_name',
    ...(await place(rule, 'eventName')),
    message: `event type ${JSON.stringify(name)} is not one this org has (GET /events/types lists ${known.size})${consequence ? `: ${consequence}` : ''}`,
    hint: eventNameHint(name, known),
  };
}

/** The error for a calculation m3ter refuses, at the character its message names. */
export async function invalidCalculationIssue(
  rule: DesiredResource<'notificationRule'>,
  answer: Extract<EvaluateAnswer, { kind: 'invalid' }>,
  place: Placer,
): Promise<Issue> {
  return {
    severity: 'error',
    code: 'invalid_calculation',
    ...(await place(rule, 'calculation', answer.character)),
    message: `m3ter refuses this calculation for ${rule.attributes.eventName}: ${answer.message}`,
    hint: 'fix the calculation; event fields are new.<field> and old.<field>, and conditions join with AND or OR',
  };
}

/** Whether plan and apply check the rules they create or change against the org. */
/**
 * `run`: check before any write; `skip`: `--skip-online-checks`, said loudly; `off`: not checked and nothing said, for
 * commands that only show a plan and never write (`graph --plan`).
 */
export type OnlineChecksMode = 'run' | 'skip' | 'off';

export interface PlanOnlineCheckOptions {
  /** Where the files' relative names resolve, to place each issue. @default process.cwd() */
  cwd?: string;
  /** @default 'run' */
  mode?: OnlineChecksMode;
  /** Where a warning about the whole plan points when no rule is named: the first file. */
  file?: string;
}

/**
 * The online checks of a plan, made before anything is written: every rule the plan creates, or whose `eventName`
 * changes, has its event name checked against `GET /events/types` (one request); every calculation it creates or
 * changes (or whose event name changes) is evaluated by m3ter against its event type, except against event types
 * the plan itself creates. A rule the plan leaves as it is, or changes only elsewhere, is not checked again: it
 * is live already. No rule to check, no request.
 *
 * Returns errors (the plan must be refused) and warnings: a 403 or 404 from either endpoint is a warning and the
 * offline check (already made when the files loaded) stands; a field `/events/fields` does not list is a warning
 * with a did-you-mean, never an error, as m3ter says the lists are dynamic. Anything else m3ter could not answer is
 * an error: a plan whose rules could not be checked is not applied on a guess.
 */
export async function checkPlanOnline(
  plan: Plan,
  client: LiveClient,
  options: PlanOnlineCheckOptions = {},
): Promise<Issue[]> {
  const rules = rulesToCheck(plan);
  if (options.mode === 'off') return [];
  if (options.mode === 'skip') return [skippedWarning(rules, options.file ?? '')];
  if (rules.length === 0) return [];
  const created = eventTypesCreatedBy(plan);
  const place = placer(options.cwd ?? process.cwd());
  const issues: Issue[] = [];
  const namesToCheck = rules.filter((r) => r.eventName && !created.has(r.rule.attributes.eventName));
  let known: ReadonlySet<string> | undefined;
  if (namesToCheck.length > 0) {
    const types = await readEventTypes(client);
    const first = namesToCheck[0]!.rule;
    if (types.kind === 'ok') known = types.names;
    else if (types.kind === 'unavailable')
      issues.push({
        severity: 'warning',
        code: 'online_check_unavailable',
        ...(await place(first, 'eventName')),
        message: `m3ter answered ${types.status} to GET /events/types, so event names were not checked against the org (only offline)`,
        hint: 'give the service user access to events, or check the event names by hand',
      });
    else
      issues.push({
        severity: 'error',
        code: types.kind === 'bad' ? 'online_bad_answer' : 'online_check_failed',
        ...(await place(first, 'eventName')),
        message:
          types.kind === 'bad'
            ? `m3ter gave a bad answer to GET /events/types (${types.description}), so the event names could not be checked and nothing was written; this is not a problem in the files`
            : `could not read the org's event types, so the event names could not be checked and nothing was written: ${types.message}`,
        hint: 'run it again later; to plan without these checks, add --skip-online-checks',
      });
  }
  const toEvaluate: DesiredResource<'notificationRule'>[] = [];
  for (const { rule, eventName, calculation } of rules) {
    const name = rule.attributes.eventName;
    if (eventName && known && !created.has(name) && !known.has(name)) {
      issues.push(await unknownEventNameIssue(rule, known, place, 'the rule would never fire'));
      continue;
    }
    if (calculation && rule.attributes.calculation !== null && !created.has(name)) toEvaluate.push(rule);
  }
  const answers = await evaluateCalculations(
    client,
    toEvaluate.map((r) => ({ eventName: r.attributes.eventName, calculation: r.attributes.calculation! })),
  );
  let unavailable: { status: number; rule: DesiredResource<'notificationRule'> } | undefined;
  const valid: DesiredResource<'notificationRule'>[] = [];
  for (const [k, answer] of answers.entries()) {
    const rule = toEvaluate[k]!;
    switch (answer.kind) {
      case 'valid':
        valid.push(rule);
        break;
      case 'unavailable':
        unavailable ??= { status: answer.status, rule };
        break;
      case 'invalid':
        issues.push(await invalidCalculationIssue(rule, answer, place));
        break;
      case 'bad':
      case 'failed':
        issues.push({
          severity: 'error',
          code: answer.kind === 'bad' ? 'online_bad_answer' : 'online_check_failed',
          ...(await place(rule, 'calculation')),
          message:
            answer.kind === 'bad'
              ? `m3ter gave a bad answer to POST /notifications/evaluate (${answer.description}), so this calculation could not be checked and nothing was written; this is not a problem in the files`
              : `could not evaluate this calculation for ${rule.attributes.eventName}, so nothing was written: ${answer.message}`,
          hint: 'run it again later; to plan without these checks, add --skip-online-checks',
        });
    }
  }
  if (unavailable)
    issues.push({
      severity: 'warning',
      code: 'online_check_unavailable',
      ...(await place(unavailable.rule, 'calculation')),
      message: `m3ter answered ${unavailable.status} to POST /notifications/evaluate, so calculations were checked only offline`,
      hint: 'give the service user access to notifications/evaluate, or try the calculations by hand',
    });
  issues.push(...(await unknownFieldWarnings(client, valid, place)));
  return issues;
}

/**
 * A warning for each field a calculation reads that `/events/fields` does not list for its event type, where it
 * lists any: one request per event type, only for calculations m3ter accepted.
 */
async function unknownFieldWarnings(
  client: LiveClient,
  rules: readonly DesiredResource<'notificationRule'>[],
  place: Placer,
): Promise<Issue[]> {
  const names = [...new Set(rules.map((r) => r.attributes.eventName))];
  const lists = new Map<string, ReadonlySet<string> | undefined>();
  for (let i = 0; i < names.length; i += EVALUATE_CONCURRENCY) {
    const batch = names.slice(i, i + EVALUATE_CONCURRENCY);
    const got = await Promise.all(batch.map((n) => readEventFields(client, n)));
    batch.forEach((n, k) => lists.set(n, got[k]));
  }
  const issues: Issue[] = [];
  for (const rule of rules) {
    const listed = lists.get(rule.attributes.eventName);
    const calculation = rule.attributes.calculation;
    if (!listed || calculation === null) continue;
    for (const field of calculationFields(calculation)) {
      if (listed.has(field.name)) continue;
      const near = closest(field.name, [...listed]);
      issues.push({
        severity: 'warning',
        code: 'unknown_event_field',
        ...(await place(rule, 'calculation', field.at)),
        message: `m3ter does not list ${field.name} among the fields of ${rule.attributes.eventName} (GET /events/fields); the lists are not complete, so this is only a warning`,
        hint: near ? `did you mean ${near}?` : 'check the field name against GET /events/fields',
      });
    }
  }
  return issues;
}

/**
 * The event types the plan itself creates (scheduled events, which a rule's `eventName` names by key): known to the
 * org once applied, so not looked up, and not evaluated against, since m3ter does not have them yet.
 */
export function eventTypesCreatedBy(plan: Plan): Set<string> {
  const kinds = new Set(
    referencesOf('notificationRule')
      .filter((ref) => ref.by === 'key' && ref.attribute === 'eventName')
      .map((ref) => ref.kind),
  );
  return new Set(plan.changes.filter((c) => c.type === 'create' && kinds.has(c.kind)).map((c) => c.key));
}

interface RuleToCheck {
  rule: DesiredResource<'notificationRule'>;
  /** Its event name is new or changed. */
  eventName: boolean;
  /** Its calculation (or the event it is evaluated against) is new or changed. */
  calculation: boolean;
}

/** The rules a plan creates or changes in a way the org must judge. */
function rulesToCheck(plan: Plan): RuleToCheck[] {
  const out: RuleToCheck[] = [];
  for (const change of plan.changes) {
    if (!firesOnEvent(change.kind) || change.type === 'delete') continue;
    const rule = change.desired as DesiredResource<'notificationRule'>;
    if (change.type === 'create') {
      out.push({ rule, eventName: true, calculation: true });
      continue;
    }
    const changed = new Set(change.fields.map((f) => f.field));
    const eventName = changed.has('eventName');
    const calculation = eventName || changed.has('calculation');
    if (eventName || calculation) out.push({ rule, eventName, calculation });
  }
  return out;
}

function skippedWarning(rules: readonly RuleToCheck[], file: string): Issue {
  const n = rules.length;
  return {
    severity: 'warning',
    code: 'online_checks_skipped',
    file: rules[0]?.rule.source.file ?? file,
    line: 0,
    col: 0,
    pointer: '',
    message:
      n === 0
        ? '--skip-online-checks: rules are not checked against the org (this plan creates or changes none)'
        : `--skip-online-checks: the event names and calculations of ${n} created or changed rule${n === 1 ? ' were' : 's were'} not checked against the org; a rule m3ter cannot match never fires, and nothing says so`,
    hint: 'leave out --skip-online-checks once the org answers GET /events/types and POST /notifications/evaluate',
  };
}
