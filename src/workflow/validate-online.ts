import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { referencedKey, referencesOf } from '../kinds/index.js';
import { locate, parseYaml, type ParsedFile } from '../load/yaml.js';
import { orgPath } from '../live/paths.js';
import { describeJsonType } from '../live/check-list.js';
import type { LiveClient } from '../live/contract.js';
import type { Issue } from '../model/errors.js';
import type { DesiredResource } from '../model/resource.js';
import type { DesiredState } from '../model/state.js';
import { closest } from '../model/suggest.js';

/** How many evaluate calls are in flight at once: well under m3ter's 50 requests per second. */
const EVALUATE_CONCURRENCY = 4;

/**
 * `validate --online`: what only the org can tell. Every rule's `eventName` is checked against
 * `GET /events/types`, and every `calculation` through `POST /notifications/evaluate` with its event name (which
 * evaluates without triggering anything). Reads and evaluations only: nothing is created, changed or deleted, so an
 * evaluation is retried as a read is. Each problem is an issue at the field's file, line and column.
 *
 * What m3ter could not answer is not the user's mistake: a request that finally fails is `online_check_failed`, an
 * answer of the wrong shape (HTML, no `events` array, no `success` flag) is `online_bad_answer`, each said to be
 * m3ter's; and one of them never hides the rest: the other rules are still checked.
 */
export async function validateOnline(
  state: DesiredState,
  client: LiveClient,
  options: { cwd: string },
): Promise<Issue[]> {
  const rules = [...state.resources.notificationRule.values()];
  if (rules.length === 0) return [];
  const place = placer(options.cwd);
  const issues: Issue[] = [];
  const typesPath = orgPath(client.orgId, 'events', 'types');
  let known: Set<string> | undefined;
  try {
    const types = await client.get<unknown>(typesPath);
    const events = isObject(types) ? types['events'] : undefined;
    if (Array.isArray(events)) known = new Set(events.filter((e): e is string => typeof e === 'string'));
    else
      issues.push({
        severity: 'error',
        code: 'online_bad_answer',
        ...(await place(rules[0] as DesiredResource<'notificationRule'>, 'eventName')),
        message: `m3ter gave a bad answer to GET /events/types (${describeAnswer(types, 'an object with an events array')}), so no event name could be checked; this is not a problem in the files`,
        hint: 'run it again later; if it persists, the org or the base URL (M3TER_BASE_URL) may not be m3ter',
      });
  } catch (error) {
    issues.push({
      severity: 'error',
      code: 'online_check_failed',
      ...(await place(rules[0] as DesiredResource<'notificationRule'>, 'eventName')),
      message: `could not read the org's event types, so no event name was checked: ${messageOf(error)}`,
      hint: 'this is not a problem in the files: run it again later',
    });
  }
  const toEvaluate: DesiredResource<'notificationRule'>[] = [];
  for (const rule of rules) {
    // An event type the files declare (a scheduled event) that m3ter does not hold yet: apply creates it before the
    // rule. m3ter cannot evaluate a calculation for it until then.
    if (known && !known.has(rule.attributes.eventName) && namesDeclared(state, rule)) continue;
    if (known && !known.has(rule.attributes.eventName)) {
      issues.push({
        severity: 'error',
        code: 'unknown_event_name',
        ...(await place(rule, 'eventName')),
        message: `event type ${JSON.stringify(rule.attributes.eventName)} is not one this org has (GET /events/types lists ${known.size})`,
        hint: hintFor(rule.attributes.eventName, known),
      });
    } else if (rule.attributes.calculation !== null) toEvaluate.push(rule);
  }
  for (let i = 0; i < toEvaluate.length; i += EVALUATE_CONCURRENCY) {
    const batch = toEvaluate.slice(i, i + EVALUATE_CONCURRENCY);
    const answers = await Promise.allSettled(
      batch.map((rule) =>
        client.post<unknown>(
          orgPath(client.orgId, 'notifications', 'evaluate'),
          { eventName: rule.attributes.eventName, calculation: rule.attributes.calculation },
          { read: true },
        ),
      ),
    );
    for (const [k, settled] of answers.entries()) {
      const rule = batch[k] as DesiredResource<'notificationRule'>;
      if (settled.status === 'rejected') {
        issues.push({
          severity: 'error',
          code: 'online_check_failed',
          ...(await place(rule, 'calculation')),
          message: `could not evaluate this calculation for ${rule.attributes.eventName}: ${messageOf(settled.reason)}`,
          hint: 'this is not a problem in the files: run it again later',
        });
        continue;
      }
      const answer = settled.value;
      if (!isObject(answer) || typeof answer['success'] !== 'boolean') {
        issues.push({
          severity: 'error',
          code: 'online_bad_answer',
          ...(await place(rule, 'calculation')),
          message: `m3ter gave a bad answer to POST /notifications/evaluate (${describeAnswer(answer, 'an object with a success flag')}), so this calculation was not checked; this is not a problem in the files`,
          hint: 'run it again later; if it persists, the org or the base URL (M3TER_BASE_URL) may not be m3ter',
        });
        continue;
      }
      if (answer['success']) continue;
      const reason = answer['errorMessage'];
      const message = typeof reason === 'string' ? reason : 'm3ter gave no reason';
      issues.push({
        severity: 'error',
        code: 'invalid_calculation',
        ...(await place(rule, 'calculation', characterOf(message))),
        message: `m3ter refuses this calculation for ${rule.attributes.eventName}: ${message}`,
        hint: 'fix the calculation; event fields are new.<field> and old.<field>, joined with AND, OR, NOT',
      });
    }
  }
  return issues;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What an answer was instead of what was expected, by its shape only: never the server's text itself. */
function describeAnswer(value: unknown, expected: string): string {
  if (value === undefined) return `no body or 404 where ${expected} was expected`;
  if (typeof value === 'string')
    return /^\s*</.test(value)
      ? `an HTML page where ${expected} was expected`
      : `text that is not JSON where ${expected} was expected`;
  return `${describeJsonType(value)} where ${expected} was expected`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `(at character N)` in an answer, 0-based: the emulator says where; m3ter's own wording is not known. */
function characterOf(message: string): number | undefined {
  const m = /at character (\d+)/.exec(message);
  return m ? Number(m[1]) - 1 : undefined;
}

/** The file, line, column and pointer of a rule's field, read again from its file (cached per file). */
function placer(cwd: string) {
  const files = new Map<string, Promise<{ parsed: ParsedFile; lines: string[] } | undefined>>();
  return async (
    rule: DesiredResource<'notificationRule'>,
    field: 'eventName' | 'calculation',
    character?: number,
  ): Promise<Pick<Issue, 'file' | 'line' | 'col' | 'pointer'>> => {
    const { source } = rule;
    const pointer = `${source.pointer}/${field}`;
    let parsed = files.get(source.file);
    if (!parsed) {
      parsed = readFile(path.resolve(cwd, source.file), 'utf8').then(
        (text) => ({ parsed: parseYaml(source.file, text), lines: text.split(/\r\n|\r|\n/) }),
        () => undefined,
      );
      files.set(source.file, parsed);
    }
    const file = await parsed;
    if (!file) return { file: source.file, line: source.line, col: source.col, pointer };
    const at = locate(file.parsed, pointer);
    let col = at.col;
    const value = field === 'calculation' ? rule.attributes.calculation : rule.attributes.eventName;
    if (character !== undefined && value !== null) {
      // On one line (plain or quoted), the character m3ter names can be pointed at exactly.
      const lineText = file.lines[at.line - 1] ?? '';
      const start = lineText.indexOf(value, at.col - 1);
      if (start >= 0) col = start + 1 + character;
    }
    return { file: source.file, line: at.line, col, pointer };
  };
}

function hintFor(name: string, known: ReadonlySet<string>): string {
  const near = closest(name, [...known]);
  return near
    ? `did you mean ${near}?`
    : 'check the spelling, or create the scheduled event configuration first';
}

/** Whether the rule's event type is an entity the files declare (named by key: a scheduled event's name). */
function namesDeclared(state: DesiredState, rule: DesiredResource<'notificationRule'>): boolean {
  return referencesOf(rule.kind).some((ref) => {
    const key = ref.by === 'key' ? referencedKey(rule.attributes, ref) : null;
    return key !== null && state.resources[ref.kind].has(key);
  });
}
