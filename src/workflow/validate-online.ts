import { referencedKey, referencesOf } from '../kinds/index.js';
import type { LiveClient } from '../live/contract.js';
import type { Issue } from '../model/errors.js';
import type { DesiredResource } from '../model/resource.js';
import type { DesiredState } from '../model/state.js';
import {
  describeAnswer,
  evaluateCalculations,
  invalidCalculationIssue,
  placer,
  readEventTypes,
  unknownEventNameIssue,
} from './online-checks.js';

/**
 * `validate --online`: what only the org can tell. Every rule's `eventName` is checked against
 * `GET /events/types`, and every `calculation` through `POST /notifications/evaluate` with its event name (which
 * evaluates without triggering anything). Reads and evaluations only: nothing is created, changed or deleted, so an
 * evaluation is retried as a read is. Each problem is an issue at the field's file, line and column.
 *
 * What m3ter could not answer is not the user's mistake: a request that finally fails is `online_check_failed`, an
 * answer of the wrong shape (HTML, no `events` array, no `success` flag, a 404) is `online_bad_answer`, each said to
 * be m3ter's; and one of them never hides the rest: the other rules are still checked.
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
  const types = await readEventTypes(client);
  const known = types.kind === 'ok' ? types.names : undefined;
  if (types.kind !== 'ok') {
    const at = await place(rules[0] as DesiredResource<'notificationRule'>, 'eventName');
    issues.push(
      types.kind === 'failed' || (types.kind === 'unavailable' && types.status !== 404)
        ? {
            severity: 'error',
            code: 'online_check_failed',
            ...at,
            message: `could not read the org's event types, so no event name was checked: ${types.kind === 'failed' ? types.message : `m3ter answered ${types.status}`}`,
            hint: 'this is not a problem in the files: run it again later',
          }
        : {
            severity: 'error',
            code: 'online_bad_answer',
            ...at,
            message: `m3ter gave a bad answer to GET /events/types (${types.kind === 'bad' ? types.description : describeAnswer(undefined, 'an object with an events array')}), so no event name could be checked; this is not a problem in the files`,
            hint: 'run it again later; if it persists, the org or the base URL (M3TER_BASE_URL) may not be m3ter',
          },
    );
  }
  const toEvaluate: DesiredResource<'notificationRule'>[] = [];
  for (const rule of rules) {
    // An event type the files declare (a scheduled event) that m3ter does not hold yet: apply creates it before the
    // rule. m3ter cannot evaluate a calculation for it until then.
    if (known && !known.has(rule.attributes.eventName) && namesDeclared(state, rule)) continue;
    if (known && !known.has(rule.attributes.eventName)) {
      issues.push(await unknownEventNameIssue(rule, known, place));
    } else if (rule.attributes.calculation !== null) toEvaluate.push(rule);
  }
  const answers = await evaluateCalculations(
    client,
    toEvaluate.map((r) => ({ eventName: r.attributes.eventName, calculation: r.attributes.calculation! })),
  );
  for (const [k, answer] of answers.entries()) {
    const rule = toEvaluate[k] as DesiredResource<'notificationRule'>;
    if (answer.kind === 'valid') continue;
    if (answer.kind === 'invalid') {
      issues.push(await invalidCalculationIssue(rule, answer, place));
    } else if (answer.kind === 'failed') {
      issues.push({
        severity: 'error',
        code: 'online_check_failed',
        ...(await place(rule, 'calculation')),
        message: `could not evaluate this calculation for ${rule.attributes.eventName}: ${answer.message}`,
        hint: 'this is not a problem in the files: run it again later',
      });
    } else {
      const what =
        answer.kind === 'bad'
          ? answer.description
          : `an answer of ${answer.status} where a result was expected`;
      issues.push({
        severity: 'error',
        code: 'online_bad_answer',
        ...(await place(rule, 'calculation')),
        message: `m3ter gave a bad answer to POST /notifications/evaluate (${what}), so this calculation was not checked; this is not a problem in the files`,
        hint: 'run it again later; if it persists, the org or the base URL (M3TER_BASE_URL) may not be m3ter',
      });
    }
  }
  return issues;
}

/** Whether the rule's event type is an entity the files declare (named by key: a scheduled event's name). */
function namesDeclared(state: DesiredState, rule: DesiredResource<'notificationRule'>): boolean {
  return referencesOf(rule.kind).some((ref) => {
    const key = ref.by === 'key' ? referencedKey(rule.attributes, ref) : null;
    return key !== null && state.resources[ref.kind].has(key);
  });
}
